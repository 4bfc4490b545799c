//! Results kept in the session's memory until a row they were computed from changes (issue 30:
//! the statistics and the waiting children were computed again at every visit).
//!
//! Migration 030's triggers bump one counter, `figures_generation`, at every insert, update and
//! delete of the tables those results read. Triggers see every writer — the app, a pull applying a
//! colleague's rows with capture off, retention, a restore's checks, `srt-admin` or any other
//! connection — where `PRAGMA data_version` misses the connection's own writes and a counter in
//! the Desk misses what does not go through it. A kept result is used only while the counter
//! still has the value read before it was computed; a restore opens a new Desk, with nothing kept.

use std::sync::Mutex;

use rusqlite::Connection;

use crate::error::Result;
use crate::store::cached::CachedSql;

/// The figures' generation: changes whenever a row the kept results read changes.
pub fn figures_generation(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row_cached("SELECT n FROM figures_generation WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// Up to `capacity` results by key, all of one generation (the newest used first).
pub(crate) struct Memo<V> {
    capacity: usize,
    kept: Mutex<Kept<V>>,
}

struct Kept<V> {
    generation: i64,
    entries: Vec<(String, V)>,
}

impl<V: Clone> Memo<V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            kept: Mutex::new(Kept {
                generation: -1,
                entries: Vec::new(),
            }),
        }
    }

    /// The result kept for `key` at the desk's generation, else `compute`'s, kept. Inside a
    /// caller's transaction nothing is kept or used: its rows may yet be rolled back (and the
    /// counter with them).
    pub(crate) fn get_or(
        &self,
        conn: &Connection,
        key: &str,
        compute: impl FnOnce() -> Result<V>,
    ) -> Result<V> {
        if !conn.is_autocommit() {
            return compute();
        }
        let generation = figures_generation(conn)?;
        {
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if kept.generation == generation {
                if let Some(i) = kept.entries.iter().position(|(k, _)| k == key) {
                    let entry = kept.entries.remove(i);
                    let value = entry.1.clone();
                    kept.entries.insert(0, entry);
                    return Ok(value);
                }
            }
        }
        // Computed from the state at `generation` or a later one: a write meanwhile (another
        // connection) bumps the counter past it, and the next visit computes again.
        let value = compute()?;
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.generation != generation {
            kept.generation = generation;
            kept.entries.clear();
        }
        kept.entries.retain(|(k, _)| k != key);
        kept.entries.insert(0, (key.to_string(), value.clone()));
        kept.entries.truncate(self.capacity);
        Ok(value)
    }
}
