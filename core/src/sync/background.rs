//! The sync as the window runs it: off the UI thread and without holding the desk across a
//! network call. The window keeps its desk behind a mutex; a sync that held it while waiting for
//! the server would freeze every screen for as long as the network takes (a stalled server: up to
//! the client's 120 s timeout). [`team_sync_in_steps`] is the one sync: [`Desk::team_sync`]
//! (srt-admin, the tests) runs it holding its own desk. It is split into local steps (each a short time with the desk, one transaction) and network calls made with
//! the desk let go. A second connection to the same SQLCipher file was the other way; it was not
//! taken because the desk's key is not kept after unlocking (a passphrase desk could not open it
//! again), and two writers of the one audit chain would need their own care.
//!
//! Between two steps the window may write: each step reads what it needs afresh (the outbox,
//! `last_seq`, the audit rows not yet sent), so a change made meanwhile goes with the next push.

use std::collections::BTreeMap;
use std::time::Instant;

use rusqlite::params;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::apply::{self, Applied};
use super::desk::SyncReport;
use super::steps::step;
pub use super::steps::LocalSteps;
use super::{capture, numbers, ChangeRecord, Op, SyncClient, SyncError};
use crate::error::Result;
use crate::Desk;

const PUSH_BATCH: i64 = 1000;
const PULL_LIMIT: u32 = 1000;
const AUDIT_BATCH: i64 = 2000;

/// Sync in steps: push, pull, refresh the members and conflicts, top up the number blocks,
/// upload the audit chain; the desk is held only for the local part of each.
/// Logged for the Board's IT (`sync` or `sync failed`).
pub fn team_sync_in_steps<L: LocalSteps + ?Sized>(l: &L) -> Result<SyncReport> {
    let device_id = step(l, |d, _| Ok(device_id(d)))?;
    logged(device_id, || sync_steps(l))
}

fn sync_steps<L: LocalSteps + ?Sized>(l: &L) -> Result<SyncReport> {
    let client = step(l, |d, k| d.team_client(k))?;
    let mut report = SyncReport::default();
    // A desk restored from an old backup takes the server's state before it pushes: what the
    // server had from this device is asked with the desk let go; only a desk found behind (rare)
    // is held for the pulls that take the server's state.
    let me = client.get_json("/v1/me")?;
    let writers = me["team_data_writers"]
        .as_str()
        .unwrap_or("lead")
        .to_string();
    step(l, |d, _| {
        d.store.connection().execute(
            "UPDATE sync_state SET team_data_writers = ?1 WHERE id = 1 AND team_data_writers <> ?1",
            [&writers],
        )?;
        Ok(())
    })?;
    step(l, |d, _| {
        d.team_rejoin_if_restored(&me, &client, &mut report)
    })?;
    push(l, &client, &mut report)?;
    super::files::upload(l, &client)?;
    pull(l, &client, &mut report)?;
    if step(l, |d, _| super::manager::is_manager(d.store.connection()))? {
        super::manager::pull_rows(l, &client, &mut report)?;
    }
    super::files::download(l, &client)?;
    let members = client.get_json("/v1/team/members")?;
    let conflicts = client.get_json("/v1/conflicts")?;
    report.open_conflicts = step(l, |d, _| store_refresh(d, &members, &conflicts))?;
    owner_changes(l, &client)?;
    for kind in ["case", "decision"] {
        if step(l, |d, _| numbers::remaining(d.store.connection(), kind))? < numbers::LOW {
            let (first, last) = numbers::reserve(&client, kind, numbers::RESERVE)?;
            step(l, |d, _| {
                numbers::add_block(d.store.connection(), kind, first, last)
            })?;
        }
    }
    let detail = format!(
        "pushed {} pulled {} conflicts {} rejected {} unapplied {}",
        report.pushed, report.pulled, report.conflicts, report.rejected, report.unapplied
    );
    step(l, |d, _| {
        d.write_detailed("team.sync", "team", "", &detail, |tx, now, _| {
            tx.execute(
                "UPDATE sync_state SET synced_at = ?1, updated_at = ?1 WHERE id = 1",
                [crate::clock::ts(now)],
            )?;
            Ok(())
        })
    })?;
    upload_audit(l, &client)?;
    if report.purges_refused > 0 {
        return Err(SyncError::new(
            "sync.purge_waiting",
            "Mõni juhtum ei ole enam sinu vaates, kuid sellel on saatmata muudatusi; need jäid töölauale. Sünkrooni uuesti, kui ühendus on olemas, või küsi meeskonna juhilt",
            "Some cases are no longer yours to see but hold changes not yet sent; they stay on this desk. Sync again when online, or ask the team lead",
            format!("{} cases", report.purges_refused),
        )
        .into());
    }
    Ok(report)
}

/// This desk's device id on the server (0 before it joined), for the log.
fn device_id(d: &Desk) -> i64 {
    d.store
        .connection()
        .query_row(
            "SELECT coalesce(device_id, 0) FROM sync_state WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
}

/// Runs one sync and logs it (one line for the Board's IT, core/src/logging.rs: the device, the
/// counts, the duration, or the error's stable code; never names, personal codes or texts) (`sync` with the counts, or `sync failed` with the error's code).
fn logged(device_id: i64, run: impl FnOnce() -> Result<SyncReport>) -> Result<SyncReport> {
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

type Batch = Vec<(i64, ChangeRecord)>;

/// An outbox row as read: id, change id, table, row gid, case gid, op, old, new, when.
type OutboxRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn outbox_rows(conn: &rusqlite::Connection, sql: &str, p: i64) -> Result<Vec<OutboxRow>> {
    Ok(conn
        .prepare(sql)?
        .query_map([p], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Turns outbox rows into the wire's changes; rows that change nothing the team sees go to
/// `empty`.
fn to_changes(
    conn: &rusqlite::Connection,
    cache: &mut capture::ColumnCache,
    rows: Vec<OutboxRow>,
    batch: &mut Batch,
    empty: &mut Vec<i64>,
) -> Result<()> {
    for (id, change_id, tbl, row_gid, case_gid, op, old, new, at) in rows {
        let Some(s) = capture::by_table(&tbl) else {
            empty.push(id);
            continue;
        };
        let op = match op.as_str() {
            "insert" => Op::Insert,
            "update" => Op::Update,
            _ => Op::Delete,
        };
        let parse = |t: Option<String>| -> Option<Map<String, Value>> {
            t.and_then(|t| serde_json::from_str::<Map<String, Value>>(&t).ok())
        };
        let (old, new) = (parse(old), parse(new));
        let Some(columns) = apply::wire_columns(conn, cache, s, op, old.as_ref(), new.as_ref())?
        else {
            empty.push(id);
            continue;
        };
        let case_id = apply::case_of(conn, s, &row_gid, case_gid)?;
        batch.push((
            id,
            ChangeRecord {
                change_id,
                table: s.wire.to_string(),
                row_id: row_gid,
                case_id,
                op,
                columns,
                hlc: format!("{at}-{id:010}"),
            },
        ));
    }
    Ok(())
}

/// The next batch of the outbox in the wire's form; rows that change nothing the team sees are
/// deleted at once. None when the outbox is empty.
fn push_batch(d: &mut Desk) -> Result<Option<Batch>> {
    let conn = d.store.connection();
    let rows = outbox_rows(
        conn,
        "SELECT id, change_id, tbl, row_gid, case_gid, op, old, new, at
         FROM sync_outbox ORDER BY id LIMIT ?1",
        PUSH_BATCH,
    )?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut batch: Batch = Vec::new();
    let mut cache = capture::ColumnCache::default();
    let mut empty: Vec<i64> = Vec::new();
    to_changes(conn, &mut cache, rows, &mut batch, &mut empty)?;
    // The server creates a case by its own insert and refuses a row of a case it does not know
    // (`unknown_case`). A first push sends the children before the cases (parents first): with
    // more than a batch of them, a child's case insert sat in a later batch and every child was
    // refused (found by bench-sync). The pending inserts of this batch's cases join the batch.
    let inserted: std::collections::BTreeSet<&str> = batch
        .iter()
        .filter(|(_, c)| c.table == "cases" && c.op == Op::Insert)
        .map(|(_, c)| c.row_id.as_str())
        .collect();
    let needed: std::collections::BTreeSet<String> = batch
        .iter()
        .filter_map(|(_, c)| c.case_id.clone())
        .filter(|c| !inserted.contains(c.as_str()))
        .collect();
    let last = batch
        .iter()
        .map(|(id, _)| *id)
        .chain(empty.iter().copied())
        .max();
    if let (false, Some(last)) = (needed.is_empty(), last) {
        let more: Vec<OutboxRow> = outbox_rows(
            conn,
            "SELECT id, change_id, tbl, row_gid, case_gid, op, old, new, at
             FROM sync_outbox WHERE tbl = 'srt_case' AND op = 'insert' AND id > ?1 ORDER BY id",
            last,
        )?
        .into_iter()
        .filter(|r| needed.contains(&r.3))
        .collect();
        to_changes(conn, &mut cache, more, &mut batch, &mut empty)?;
    }
    // A case is created on the server by its own insert: those first, so the rows written before
    // it in the same transaction (its child) find it.
    batch.sort_by_key(|(_, c)| !(c.table == "cases" && c.op == Op::Insert));
    if !empty.is_empty() {
        let tx = d.store.connection_mut().transaction()?;
        for id in &empty {
            tx.execute("DELETE FROM sync_outbox WHERE id = ?1", [id])?;
        }
        tx.commit()?;
    }
    Ok(Some(batch))
}

fn push<L: LocalSteps + ?Sized>(l: &L, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    loop {
        let Some(batch) = step(l, |d, _| push_batch(d))? else {
            return Ok(());
        };
        if batch.is_empty() {
            continue;
        }
        let changes: Vec<ChangeRecord> = batch.iter().map(|(_, c)| c.clone()).collect();
        let started = std::time::Instant::now();
        let reply = client.push(&changes)?;
        tracing::info!(
            changes = changes.len(),
            applied = reply.applied,
            conflicted = reply.conflicted,
            duplicates = reply.duplicates,
            rejected = reply.rejected,
            duration_ms = started.elapsed().as_millis() as u64,
            "push"
        );
        step(l, |d, _| {
            let member_id: Option<i64> = d.store.connection().query_row(
                "SELECT member_id FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )?;
            let outcomes: BTreeMap<&str, &super::PushOutcome> = reply
                .results
                .iter()
                .map(|o| (o.change_id.as_str(), o))
                .collect();
            let tx = d.store.connection_mut().transaction()?;
            let now = crate::clock::ts(chrono::Utc::now());
            for (id, change) in &batch {
                let Some(o) = outcomes.get(change.change_id.as_str()) else {
                    continue;
                };
                match o.outcome.as_str() {
                    "applied" | "duplicate" => report.pushed += 1,
                    "conflicted" => {
                        report.pushed += 1;
                        report.conflicts += 1;
                    }
                    _ => {
                        report.rejected += 1;
                        tx.execute(
                            "INSERT INTO sync_rejected (change_id, tbl, row_gid, reason, change, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![
                                change.change_id,
                                change.table,
                                change.row_id,
                                o.reason.clone().unwrap_or_default(),
                                serde_json::to_string(change).unwrap_or_default(),
                                now
                            ],
                        )?;
                    }
                }
                if change.table == "cases"
                    && change.op == Op::Insert
                    && (o.outcome == "applied" || o.outcome == "duplicate")
                {
                    if let Some(member) = member_id {
                        tx.execute(
                            "INSERT OR IGNORE INTO sync_case_owner (case_gid, owner_id) VALUES (?1, ?2)",
                            params![change.row_id, member],
                        )?;
                    }
                }
                tx.execute("DELETE FROM sync_outbox WHERE id = ?1", [id])?;
            }
            tx.commit()?;
            Ok(())
        })?;
    }
}

fn pull<L: LocalSteps + ?Sized>(l: &L, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    // After a page with a refused purge, no later page of this sync is confirmed either (a
    // confirmation covers every page before it): the next sync gets them again.
    let mut confirm = true;
    loop {
        let (after, ack): (i64, i64) = step(l, |d, _| {
            let conn = d.store.connection();
            let after =
                conn.query_row("SELECT last_seq FROM sync_state WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
            Ok((after, apply::applied_page(conn)?))
        })?;
        let started = std::time::Instant::now();
        let page = client.pull(after, PULL_LIMIT, ack)?;
        tracing::info!(
            after,
            next_seq = page.next_seq,
            changes = page.changes.len(),
            snapshots = page.snapshots.len(),
            purges = page.purges.len(),
            duration_ms = started.elapsed().as_millis() as u64,
            "pull"
        );
        let applied: Applied = step(l, |d, _| {
            let now = crate::clock::ts(chrono::Utc::now());
            let tx = d.store.connection_mut().transaction()?;
            // The page is applied only when last_seq is still where it was read: another sync
            // (srt-admin, a second press) that ran meanwhile already applied it.
            let current: i64 =
                tx.query_row("SELECT last_seq FROM sync_state WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
            if current != after {
                return Ok(Applied::default());
            }
            let applied = apply::apply_pulled(&tx, &page, &now, confirm)?;
            tx.commit()?;
            Ok(applied)
        })?;
        confirm &= applied.purge_refused.is_empty();
        report.count_pulled(&applied);
        // A page of cases sent whole is progress even when the cursor stays: the server sends
        // at most a page's limit of new cases at once, the rest on the next pages.
        if !page.more || (page.next_seq <= after && page.snapshots.is_empty()) {
            return Ok(());
        }
    }
}

/// Stores the members and open conflicts the server gave; answers the number of conflicts.
fn store_refresh(d: &mut Desk, members: &Value, conflicts: &Value) -> Result<u64> {
    let tx = d.store.connection_mut().transaction()?;
    if let Some(list) = members["members"].as_array() {
        tx.execute("DELETE FROM sync_member", [])?;
        for m in list {
            tx.execute(
                "INSERT INTO sync_member (id, login, name, role) VALUES (?1, ?2, ?3, ?4)",
                params![
                    m["id"].as_i64(),
                    m["login"].as_str().unwrap_or(""),
                    m["name"].as_str().unwrap_or(""),
                    m["role"].as_str().unwrap_or("")
                ],
            )?;
        }
    }
    tx.execute("DELETE FROM sync_conflict", [])?;
    let mut n = 0;
    for c in conflicts["conflicts"].as_array().into_iter().flatten() {
        tx.execute(
            "INSERT INTO sync_conflict (id, tbl, row_gid, case_gid, op, columns,
                 server_author_id, author_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c["id"].as_i64(),
                c["table"].as_str().unwrap_or(""),
                c["row_id"].as_str().unwrap_or(""),
                c["case_id"].as_str(),
                c["op"].as_str().unwrap_or(""),
                c["columns"].to_string(),
                c["server_author_id"].as_i64(),
                c["author_id"].as_i64().unwrap_or(0),
                c["created_at"].as_str().unwrap_or("")
            ],
        )?;
        n += 1;
    }
    tx.commit()?;
    Ok(n)
}

/// Where the desk is in the server's history of reassignments (a key of `meta`).
const OWNERS_AFTER: &str = "team.owners_after";

/// The responsible coordinators changed since the last sync, for the cases this desk already
/// holds (a reassigned case stays on the lead's desk and comes with no snapshot).
fn owner_changes<L: LocalSteps + ?Sized>(l: &L, client: &SyncClient) -> Result<()> {
    loop {
        let after: i64 = step(l, |d, _| {
            Ok(crate::store::meta::get(d.store.connection(), OWNERS_AFTER)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0))
        })?;
        let page = client.get_json(&format!("/v1/team/owners?after={after}"))?;
        let last = page["last"].as_i64().unwrap_or(after);
        let changes = page["changes"].as_array().cloned().unwrap_or_default();
        step(l, |d, _| {
            let tx = d.store.connection_mut().transaction()?;
            for c in &changes {
                tx.execute(
                    "UPDATE sync_case_owner SET owner_id = ?2 WHERE case_gid = ?1",
                    params![c["case_id"].as_str(), c["owner_id"].as_i64()],
                )?;
            }
            let now = crate::clock::ts(chrono::Utc::now());
            crate::store::meta::set(&tx, OWNERS_AFTER, &last.to_string(), &now)?;
            tx.commit()?;
            Ok(())
        })?;
        if changes.len() < 5000 || last <= after {
            return Ok(());
        }
    }
}

fn upload_audit<L: LocalSteps + ?Sized>(l: &L, client: &SyncClient) -> Result<()> {
    loop {
        let (sent, first_prev, offset, rows) = step(l, |d, _| {
            let conn = d.store.connection();
            // The server's seq is the row's id plus the offset (0 but on a restored desk).
            let (sent, prev, offset): (i64, String, i64) = conn.query_row(
                "SELECT audit_sent, audit_hash, audit_offset FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let rows: Vec<(i64, String)> = conn
                .prepare(
                    "SELECT id, json_object('at', at, 'actor', actor, 'action', action,
                         'entity', entity, 'entity_id', entity_id, 'detail', detail, 'hash', hash)
                     FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2",
                )?
                .query_map(params![sent, AUDIT_BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((sent, prev, offset, rows))
        })?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut prev = if first_prev.is_empty() {
            "0".repeat(64)
        } else {
            first_prev.clone()
        };
        let mut entries = Vec::new();
        for (seq, payload) in &rows {
            let mut h = Sha256::new();
            h.update(prev.as_bytes());
            h.update(payload.as_bytes());
            let hash = hex::encode(h.finalize());
            entries.push(json!({"seq": seq + offset, "prev_hash": prev, "hash": hash,
                                "payload": payload}));
            prev = hash;
        }
        client.post_json("/v1/audit", &json!({ "entries": entries }))?;
        let last_id = rows.last().map(|r| r.0).unwrap_or(sent);
        step(l, |d, _| {
            // Only when nobody else (another sync) moved the mark meanwhile.
            d.store.connection().execute(
                "UPDATE sync_state SET audit_sent = ?1, audit_hash = ?2
                 WHERE id = 1 AND audit_sent = ?3 AND audit_hash = ?4",
                params![last_id, prev, sent, first_prev],
            )?;
            Ok(())
        })?;
    }
}
