//! The service's tariff: the dated price list of the activities and the yearly cost limit per
//! child. Owns price_list and yearly_cap. The assessment, the decision's annex, budgets and the
//! invoice check read prices and caps here; Settings edits them here.

mod cap;
mod versions;

pub use cap::*;
pub use versions::*;
