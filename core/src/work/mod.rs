//! The coordinator's own work beside the cases: tasks and proposals.

pub mod proposals;
pub mod tasks;
