//! One log line per sync for the Board's IT (core/src/logging.rs): the device, the counts, the
//! duration, or the error's stable code; never names, personal codes or texts. With the server's
//! `push`/`pull` lines of the same device (docs/team-server.md) a sync problem can be followed.

use std::cell::RefCell;
use std::time::Instant;

use super::background::{team_sync_in_steps, LocalSteps};
use super::SyncReport;
use crate::error::Result;
use crate::{Desk, KeyStore};

/// This desk's device id on the server (0 before it joined), for the log.
pub(super) fn device_id(d: &Desk) -> i64 {
    d.store
        .connection()
        .query_row(
            "SELECT coalesce(device_id, 0) FROM sync_state WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
}

/// Runs one sync and logs it (`sync` with the counts, or `sync failed` with the error's code).
pub(super) fn logged(
    device_id: i64,
    run: impl FnOnce() -> Result<SyncReport>,
) -> Result<SyncReport> {
    let started = Instant::now();
    let result = run();
    let duration_ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(r) => tracing::info!(
            device_id,
            pushed = r.pushed,
            pulled = r.pulled,
            conflicts = r.conflicts,
            rejected = r.rejected,
            unapplied = r.unapplied,
            open_conflicts = r.open_conflicts,
            duration_ms,
            "sync"
        ),
        Err(e) => tracing::warn!(device_id, code = e.code(), duration_ms, "sync failed"),
    }
    result
}

/// The desk held by its owner for a whole sync (srt-admin, the tests): every step takes it.
struct Held<'a> {
    desk: RefCell<&'a mut Desk>,
    keys: &'a dyn KeyStore,
}

impl LocalSteps for Held<'_> {
    fn local(&self, step: &mut dyn FnMut(&mut Desk, &dyn KeyStore) -> Result<()>) -> Result<()> {
        let mut desk = self.desk.borrow_mut();
        step(&mut desk, self.keys)
    }
}

impl Desk {
    /// Push the outbox (a push cut off is simply sent again: change ids make it idempotent), pull
    /// (snapshots, changes, purges) with capture off, bring the derived tables up to date, then
    /// refresh the members and open conflicts and upload the audit chain. Logged (`sync` or
    /// `sync failed`). The window runs the same sync in steps without holding the desk across a
    /// network call ([`team_sync_in_steps`]).
    pub fn team_sync(&mut self, keys: &dyn KeyStore) -> Result<SyncReport> {
        team_sync_in_steps(&Held {
            desk: RefCell::new(self),
            keys,
        })
    }
}
