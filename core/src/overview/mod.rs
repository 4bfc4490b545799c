//! What the coordinator sees across the parts: the dashboard (`dashboard.rs`) and the case as its
//! page shows it (`case.rs`). Owns no table; it gathers each part through that part's functions,
//! so the parts below need not know each other.

pub mod case;
pub mod dashboard;
pub mod dashboard_page;
