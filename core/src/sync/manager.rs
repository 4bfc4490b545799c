//! The service manager's desk: besides the team-wide rows every member pulls, it takes the rows
//! of every team case that the statistics read, without personal data (`GET /v1/manager/rows`;
//! the server sends only the columns PostgreSQL's `manager_columns` lists, names, codes,
//! addresses and free texts masked). They are applied as a pull's snapshots are, capture off,
//! so the manager's statistics and periodic report come from the same `stats` code as the
//! lead's. The cursor is the desk's own (`meta` key below), apart from the pull's `last_seq`.

use super::apply::{self, Applied};
use super::desk::SyncReport;
use super::steps::{step, LocalSteps};
use super::{PullPage, SyncClient};
use crate::error::Result;
use crate::store::meta;

const CURSOR: &str = "team_manager_seq";
const LIMIT: u32 = 2000;

/// Whether this desk belongs to a service manager (the role given at join).
pub(super) fn is_manager(conn: &rusqlite::Connection) -> Result<bool> {
    let role: String =
        conn.query_row("SELECT member_role FROM sync_state WHERE id = 1", [], |r| {
            r.get(0)
        })?;
    Ok(role == "manager")
}

/// Takes the manager's rows page by page until the server has no more.
pub(super) fn pull_rows<L: LocalSteps + ?Sized>(
    l: &L,
    client: &SyncClient,
    report: &mut SyncReport,
) -> Result<()> {
    loop {
        let after: i64 = step(l, |d, _| {
            Ok(meta::get(d.store.connection(), CURSOR)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0))
        })?;
        let started = std::time::Instant::now();
        let page: PullPage = client.manager_rows(after, LIMIT)?;
        tracing::info!(
            after,
            next_seq = page.next_seq,
            rows = page.snapshots.len(),
            duration_ms = started.elapsed().as_millis() as u64,
            "manager rows"
        );
        let applied: Applied = step(l, |d, _| {
            let now = crate::clock::ts(chrono::Utc::now());
            let tx = d.store.connection_mut().transaction()?;
            let current: i64 = meta::get(&tx, CURSOR)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if current != after {
                return Ok(Applied::default());
            }
            tx.execute("UPDATE sync_state SET capturing = 0 WHERE id = 1", [])?;
            let applied = apply::apply_page(&tx, &page, &now)?;
            apply::reindex(&tx, &applied.searched)?;
            apply::refresh_derived(&tx)?;
            tx.execute("UPDATE sync_state SET capturing = 1 WHERE id = 1", [])?;
            meta::set(&tx, CURSOR, &page.next_seq.max(after).to_string(), &now)?;
            tx.commit()?;
            Ok(applied)
        })?;
        report.count_pulled(&applied);
        if !page.more || page.next_seq <= after {
            return Ok(());
        }
    }
}
