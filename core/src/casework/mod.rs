//! The casework on one case: the need assessment with its eligibility limits, the documents
//! register and the timeline.

pub mod assessment;
pub mod documents;
pub mod eligibility;
pub mod timeline;
