//! The case as its page shows it: the case part's view with the deadlines part's deadlines, and
//! the registration with a provider counted by the providers part from the referral's delivery
//! in place of the one counted from the status change.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::cases::CaseDetail;
use crate::error::Result;

pub fn case_detail(conn: &Connection, case_id: i64, today: NaiveDate) -> Result<CaseDetail> {
    let mut detail = crate::cases::get(conn, case_id, today)?;
    crate::providers::registration::merge_registration(
        conn,
        case_id,
        today,
        &mut detail.deadlines,
    )?;
    detail.next_deadline = crate::deadlines::schedule::next_deadline(&detail.deadlines);
    Ok(detail)
}
