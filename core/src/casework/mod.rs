//! The casework on one case: the need assessment, the documents register and the timeline.

pub mod assessment;
pub mod documents;
pub mod timeline;
