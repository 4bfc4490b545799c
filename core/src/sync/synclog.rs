//! One log line per sync for the Board's IT (core/src/logging.rs): the device, the counts, the
//! duration, or the error's stable code; never names, personal codes or texts. With the server's
//! `push`/`pull` lines of the same device (docs/team-server.md) a sync problem can be followed.

use std::time::Instant;

use super::SyncReport;
use crate::error::Result;
use crate::{Desk, KeyStore};

impl Desk {
    /// Push the outbox (a push cut off is simply sent again: change ids make it idempotent), pull
    /// (snapshots, changes, purges) with capture off, bring the derived tables up to date, then
    /// refresh the members and open conflicts and upload the audit chain. Logged (`sync` or
    /// `sync failed`).
    pub fn team_sync(&mut self, keys: &dyn KeyStore) -> Result<SyncReport> {
        let started = Instant::now();
        let device_id: i64 = self
            .store
            .connection()
            .query_row(
                "SELECT coalesce(device_id, 0) FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        let result = self.team_sync_unlogged(keys);
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
}
