//! The dated eligibility limits the assessment checks (the disability age limit, the local
//! government's age range, the least number of significant areas), each with its legal reference.
//! Owns eligibility_rule.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::store::cached::CachedSql;

/// An eligibility limit (e.g. the age limit) valid on `date`.
pub fn eligibility_value(
    conn: &Connection,
    code: &str,
    date: NaiveDate,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row_cached(
            "SELECT value, legal_ref FROM eligibility_rule
             WHERE code = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to >= ?2)
             ORDER BY valid_from DESC LIMIT 1",
            params![code, date.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
