//! The case and decision numbers a desk joined to a team takes from the blocks its team server
//! reserved for it (`sync_number_block`, migration 023; `crate::sync::numbers` asks for them), so
//! two desks never give the same number, offline too. Here, below the parts, because the case
//! and the decision parts number from it.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// Whether this desk is joined to a team (false on a schema older than migration 023, as the
/// upgrade tests write it).
pub(crate) fn joined(conn: &Connection) -> Result<bool> {
    match conn
        .prepare_cached("SELECT joined FROM sync_state WHERE id = 1")
        .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)).optional())
    {
        Ok(v) => Ok(v == Some(1)),
        Err(rusqlite::Error::SqliteFailure(_, Some(m))) if m.starts_with("no such table") => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// The next number of a joined desk's reserve (`kind` is "case" or "decision"); None on a desk
/// not in a team (it numbers as before). A joined desk whose reserve is spent says so.
pub(crate) fn take(conn: &Connection, kind: &str) -> Result<Option<i64>> {
    if !joined(conn)? {
        return Ok(None);
    }
    let block: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT id, next_number FROM sync_number_block
             WHERE kind = ?1 AND next_number <= last_number ORDER BY id LIMIT 1",
        )?
        .query_row([kind], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, n)) = block else {
        return Err(if kind == "decision" {
            Error::refused(
                "sync.numbers_empty",
                "Selle töölaua otsuste numbrid on otsas. Ühenda arvuti võrku ja sünkrooni: meeskonna server annab uued numbrid.",
                "This desk has used up its decision numbers. Connect to the network and sync: the team server hands out new ones.",
                None,
            )
        } else {
            Error::refused(
                "sync.numbers_empty",
                "Selle töölaua juhtumite numbrid on otsas. Ühenda arvuti võrku ja sünkrooni: meeskonna server annab uued numbrid.",
                "This desk has used up its case numbers. Connect to the network and sync: the team server hands out new ones.",
                None,
            )
        });
    };
    conn.prepare_cached(
        "UPDATE sync_number_block SET next_number = next_number + 1 WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(Some(n))
}
