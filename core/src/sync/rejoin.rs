//! A desk restored from an old backup rejoins its team (docs/team-protocol.md, "A desk restored
//! from a backup"). Its `last_seq`, outbox and audit chain are those of the backup's day, while the
//! server has already given this device later changes and received its later audit rows, and
//! pulls leave out a device's own changes: pulled as usual, the rows this desk itself deleted or
//! wrote after the backup would come back or stay missing. So before anything is pushed the desk
//! asks the server what it already had from this device (`GET /v1/me`); when it is behind, it
//! takes the server's state first: every case in scope whole again (deleted rows as deletions),
//! its own changes included, and the cases it may no longer hold leave. The backup's outbox is
//! pushed only afterwards, where change ids the server has seen are answered "duplicate" and the
//! others are checked against their base values like any change: nothing stale overwrites a newer
//! value. Its audit rows written from now on continue the device's chain after the server's last.

use std::collections::BTreeSet;

use rusqlite::params;

use super::apply::{self, Applied};
use super::{PullPage, SyncClient, SyncReport};
use crate::error::Result;
use crate::Desk;

/// Rows per page of the pull that takes the server's state.
const RESYNC_LIMIT: u32 = 1000;

impl Desk {
    /// Whether this desk is behind what the server already gave it or received from it (restored
    /// from an old backup); if so, takes the server's state and moves its audit chain on. The
    /// notice is audited with the sequence numbers only.
    /// `me` is the server's answer to `GET /v1/me`, fetched without holding the desk; only a
    /// desk found behind holds it for the pulls that take the server's state (rare).
    pub(super) fn team_rejoin_if_restored(
        &mut self,
        me: &serde_json::Value,
        client: &SyncClient,
        report: &mut SyncReport,
    ) -> Result<bool> {
        let pulled = me["pulled_seq"].as_i64().unwrap_or(0);
        let audit_seq = me["audit_seq"].as_i64().unwrap_or(0);
        let audit_hash = me["audit_hash"].as_str().unwrap_or("").to_string();
        let (last_seq, sent, offset): (i64, i64, i64) = self.store.connection().query_row(
            "SELECT last_seq, audit_sent, audit_offset FROM sync_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let pulls_behind = last_seq < pulled;
        let audit_behind = sent + offset < audit_seq;
        if !pulls_behind && !audit_behind {
            return Ok(false);
        }
        tracing::warn!(
            last_seq,
            pulled_seq = pulled,
            audit_seq_desk = sent + offset,
            audit_seq_server = audit_seq,
            "restored desk: taking the server's state"
        );
        let detail = format!(
            "restored desk: last_seq {last_seq} server {pulled}; audit {} server {audit_seq}",
            sent + offset
        );
        self.write_detailed("team.restore_noticed", "team", "", &detail, |tx, _, _| {
            if audit_behind {
                // The next unsent row (id sent + 1) becomes the server's audit_seq + 1.
                tx.execute(
                    "UPDATE sync_state SET audit_offset = ?1 - audit_sent, audit_hash = ?2
                     WHERE id = 1",
                    params![audit_seq, audit_hash],
                )?;
            }
            tx.execute("UPDATE sync_state SET last_seq = 0 WHERE id = 1", [])?;
            Ok(())
        })?;
        self.team_take_server_state(client, report)?;
        Ok(true)
    }

    /// Pulls every case in scope whole (from 0, this device's own changes included), then removes
    /// the cases on this desk the server did not send.
    fn team_take_server_state(
        &mut self,
        client: &SyncClient,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut sent_whole: BTreeSet<String> = BTreeSet::new();
        let mut after = 0;
        loop {
            let ack = apply::applied_page(self.store.connection())?;
            let page = client.pull_resync(after, RESYNC_LIMIT, ack)?;
            sent_whole.extend(page.snapshots.iter().map(|s| s.case_id.clone()));
            let next = page.next_seq;
            // A page of cases sent whole is progress even when the cursor stays (the server
            // sends a limited number of new cases a page).
            let more = page.more && (next > after || !page.snapshots.is_empty());
            self.team_apply_pulled(&page, report)?;
            if !more {
                break;
            }
            after = next;
        }
        let held: Vec<String> = self
            .store
            .connection()
            .prepare("SELECT gid FROM srt_case WHERE gid IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let purges: Vec<String> = held
            .into_iter()
            .filter(|g| !sent_whole.contains(g))
            .collect();
        if !purges.is_empty() {
            let next_seq = self.store.connection().query_row(
                "SELECT last_seq FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )?;
            let page = PullPage {
                changes: Vec::new(),
                snapshots: Vec::new(),
                purges,
                next_seq,
                more: false,
                page: None,
            };
            self.team_apply_pulled(&page, report)?;
        }
        Ok(())
    }

    /// Applies one pulled page with capture off, in one transaction, as a sync does.
    fn team_apply_pulled(&mut self, page: &PullPage, report: &mut SyncReport) -> Result<()> {
        let now = crate::clock::ts(chrono::Utc::now());
        let tx = self.store.connection_mut().transaction()?;
        let applied: Applied = apply::apply_pulled(&tx, page, &now, true)?;
        tx.commit()?;
        report.count_pulled(&applied);
        Ok(())
    }
}
