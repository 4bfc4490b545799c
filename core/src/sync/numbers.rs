//! Case and decision numbers on a joined desk: the blocks the team server reserves for this
//! device (taken by `crate::store::team_numbers`), so two desks never make the same number,
//! offline too; and the renumbering of a joining desk's cases whose numbers were handed to
//! another desk (the old number kept and searchable).

use rusqlite::{params, Connection};

use super::{SyncClient, SyncError};
use crate::error::Result;

/// New numbers asked for when fewer than [`LOW`] are left: enough for a week offline.
pub(crate) const RESERVE: i64 = 100;
pub(crate) const LOW: i64 = 20;

/// Numbers left in the reserve.
pub(crate) fn remaining(conn: &Connection, kind: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(last_number - next_number + 1), 0) FROM sync_number_block
         WHERE kind = ?1 AND next_number <= last_number",
        [kind],
        |r| r.get(0),
    )?)
}

/// A block from the server: (first, last).
pub(crate) fn reserve(client: &SyncClient, kind: &str, count: i64) -> Result<(i64, i64)> {
    let a = client.post_json(
        "/v1/numbers",
        &serde_json::json!({"kind": kind, "count": count}),
    )?;
    match (a["first"].as_i64(), a["last"].as_i64()) {
        (Some(f), Some(l)) if l - f + 1 == count => Ok((f, l)),
        _ => Err(SyncError::new(
            "sync.bad_reply",
            "Meeskonna serveri vastus ei olnud arusaadav",
            "The team server's answer could not be understood",
            "numbers",
        )
        .into()),
    }
}

pub(crate) fn add_block(conn: &Connection, kind: &str, first: i64, last: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_number_block (kind, next_number, last_number) VALUES (?1, ?2, ?3)",
        params![kind, first, last],
    )?;
    Ok(())
}

/// The running number of a case number `SRT-YYYY-NNNNN`.
pub(crate) fn number_of(case_no: &str) -> Option<i64> {
    let mut parts = case_no.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("SRT"), Some(_), Some(n)) => n.parse().ok(),
        _ => None,
    }
}

/// The highest decision number this desk gave (its sequence).
pub(crate) fn highest_decision(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(last_value), 0) FROM decision_sequence",
        [],
        |r| r.get(0),
    )?)
}

/// The highest running number on this desk (its cases of every year).
pub(crate) fn highest(conn: &Connection) -> Result<i64> {
    let nos: Vec<String> = conn
        .prepare("SELECT case_no FROM srt_case")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(nos.iter().filter_map(|n| number_of(n)).max().unwrap_or(0))
}

/// At join, the desk's running numbers 1..=highest became the server's block first..: each case
/// numbered n gets first + n - 1 (the same year), its old number kept in `former_case_no`.
/// Nothing changes when the block starts at 1 (nobody had those numbers). Returns the cases
/// renumbered.
pub(crate) fn renumber(conn: &Connection, first: i64) -> Result<Vec<i64>> {
    let shift = first - 1;
    if shift == 0 {
        return Ok(Vec::new());
    }
    let mut cases: Vec<(i64, String, i64)> = conn
        .prepare("SELECT id, case_no FROM srt_case")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(id, no)| number_of(&no).map(|n| (id, no, n)))
        .collect();
    // Highest first: a new number never meets an old one still waiting to move.
    cases.sort_by_key(|c| std::cmp::Reverse(c.2));
    let mut moved = Vec::new();
    for (id, old, n) in cases {
        let year = old.split('-').nth(1).unwrap_or_default().to_string();
        let new = format!("SRT-{year}-{:05}", n + shift);
        conn.execute(
            "UPDATE srt_case SET former_case_no = case_no, case_no = ?1 WHERE id = ?2",
            params![new, id],
        )?;
        moved.push(id);
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_numbers_are_read_from_case_numbers() {
        assert_eq!(number_of("SRT-2026-00042"), Some(42));
        assert_eq!(number_of("SRT-2025-100001"), Some(100_001));
        assert_eq!(number_of("X-2026-1"), None);
        assert_eq!(number_of("SRT-2026-abc"), None);
    }
}
