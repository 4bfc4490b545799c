//! The coordinator's own work beside the cases: tasks and proposals.

pub mod proposals;
pub mod tasks;

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["task_link", "proposal_link"];

/// Retention: delete the case's rows this part owns — the links of tasks and proposals to the case
/// (the tasks stay). Called by `trust::privacy::delete_due` in its transaction, the parts above
/// first.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}
