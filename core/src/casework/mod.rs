//! The casework on one case: the need assessment with its eligibility limits, the documents
//! register and the timeline.

pub mod assessment;
pub mod documents;
pub(crate) mod eligibility;
pub mod timeline;

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &[
    "assessment_held_field",
    "assessment_activity",
    "assessment",
    "document",
];

/// Retention: delete the case's rows this part owns — the assessment and the documents register
/// (attachments cascade). Called by `trust::privacy::delete_due` in its transaction.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}
