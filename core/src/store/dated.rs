//! Dated settings (a deadline rule, a price, the yearly cap): each version applies from its
//! valid_from, and saving a successor ends the version in force the day before.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::store::cached::CachedSql;

/// A dated setting (a deadline rule, a price, the yearly cap): the version in force ends the day
/// before its successor starts, so that every date has exactly one version.
pub(crate) fn end_version(
    conn: &Connection,
    table: &'static str,
    id: i64,
    successor_from: NaiveDate,
    now: &str,
) -> Result<()> {
    conn.execute_cached(
        &format!("UPDATE {table} SET valid_to = ?2, updated_at = ?3 WHERE id = ?1"),
        params![id, (successor_from - Duration::days(1)).to_string(), now],
    )?;
    Ok(())
}
