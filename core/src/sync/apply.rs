//! Applying what a pull brings (snapshots, changes, purges) to the desk, with capture off, in the
//! caller's transaction; and turning the outbox's local values into the wire's global ones.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::capture::{self, CasePath, Column, Shared};
use super::{Op, PullPage};
use crate::error::Result;

/// A row to bring onto the desk: a snapshot or a change.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub table: String,
    pub row_id: String,
    pub case_id: Option<String>,
    pub op: Op,
    pub values: Map<String, Value>,
}

/// What applying a page did.
#[derive(Debug, Default, Clone)]
pub(crate) struct Applied {
    pub rows: usize,
    pub purged: usize,
    pub unapplied: usize,
    /// Rows that had waited for a parent (an earlier page's) and were applied now.
    pub resolved: usize,
    /// Purges refused because the desk still has unpushed changes on the case.
    pub purge_refused: Vec<String>,
    /// Local ids of the cases whose searched rows a page touched (their search rows are made
    /// again): the case, its child, guardians and documents — not a contact entry or a meeting.
    pub searched: BTreeSet<i64>,
}

enum Failure {
    /// A parent row (by global id) is not on the desk yet: try again after the others.
    Missing,
    Sql(String),
}

fn json_to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// A local id of a shared parent row → its global id (None when the parent is gone).
pub(crate) fn local_to_gid(
    conn: &Connection,
    parent: &str,
    column: &str,
    v: &Value,
) -> Result<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    let gid: Option<Option<String>> = conn
        .prepare_cached(&format!(
            "SELECT gid FROM \"{parent}\" WHERE \"{column}\" = ?1"
        ))?
        .query_row([json_to_sql(v)], |r| r.get(0))
        .optional()?;
    Ok(gid.flatten().map(Value::String).unwrap_or(Value::Null))
}

fn gid_to_local(conn: &Connection, parent: &str, column: &str, gid: &str) -> Result<Option<i64>> {
    let found: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT \"{column}\" FROM \"{parent}\" WHERE gid = ?1"
        ))?
        .query_row([gid], |r| r.get(0))
        .optional()?;
    if found.is_some() || parent != "provider" {
        return Ok(found);
    }
    alias(conn, parent, gid)
}

/// The local row another desk's copy of a team-wide row stands for (`sync_alias`).
fn alias(conn: &Connection, table: &str, gid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT local_id FROM sync_alias WHERE tbl = ?1 AND gid = ?2")?
        .query_row([table, gid], |r| r.get(0))
        .optional()?)
}

/// A provider from another desk that this desk already has (the same registry code, another
/// global id: both desks had it before they joined) is not made twice: its id stands for the
/// local one, and its locations, contacts and activities are the local provider's already.
/// True when the row was taken as such an alias (or hangs on one) and is not to be inserted.
fn provider_alias(conn: &Connection, table: &str, item: &Item) -> rusqlite::Result<bool> {
    match table {
        "provider" => {
            let Some(code) = item.values.get("registry_code").and_then(Value::as_str) else {
                return Ok(false);
            };
            let local: Option<i64> = conn
                .query_row(
                    "SELECT id FROM provider WHERE registry_code = ?1 AND gid IS NOT ?2",
                    [code, item.row_id.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(local) = local else {
                return Ok(false);
            };
            conn.execute(
                "INSERT OR IGNORE INTO sync_alias (tbl, gid, local_id) VALUES ('provider', ?1, ?2)",
                params![item.row_id, local],
            )?;
            Ok(true)
        }
        "provider_location" | "provider_contact" | "provider_activity" => {
            let Some(parent) = item.values.get("provider_id").and_then(Value::as_str) else {
                return Ok(false);
            };
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_alias WHERE tbl = 'provider' AND gid = ?1)",
                [parent],
                |r| r.get(0),
            )
        }
        _ => Ok(false),
    }
}

/// The wire's values of a row (foreign keys as global ids) → the desk's (local ids).
fn to_local(
    conn: &Connection,
    cols: &[Column],
    values: &Map<String, Value>,
) -> std::result::Result<Vec<(String, SqlValue)>, Failure> {
    let mut out = Vec::new();
    for c in cols {
        let Some(v) = values.get(&c.name) else {
            continue;
        };
        let value = match (&c.refers, v) {
            (Some((parent, to)), Value::String(gid)) => {
                match gid_to_local(conn, parent, to, gid)
                    .map_err(|e| Failure::Sql(e.to_string()))?
                {
                    Some(id) => SqlValue::Integer(id),
                    None => return Err(Failure::Missing),
                }
            }
            _ => json_to_sql(v),
        };
        out.push((c.name.clone(), value));
    }
    Ok(out)
}

fn apply_one(
    conn: &Connection,
    s: &Shared,
    item: &Item,
    cache: &mut capture::ColumnCache,
) -> std::result::Result<(), Failure> {
    let sql_err = |e: rusqlite::Error| Failure::Sql(e.to_string());
    let t = s.table;
    if item.op == Op::Delete {
        conn.prepare_cached(&format!("DELETE FROM \"{t}\" WHERE gid = ?1"))
            .and_then(|mut st| st.execute([&item.row_id]))
            .map_err(sql_err)?;
        return Ok(());
    }
    let cols = cache.of(conn, t).map_err(|e| Failure::Sql(e.to_string()))?;
    let mut values = to_local(conn, cols, &item.values)?;
    let exists: bool = conn
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM \"{t}\" WHERE gid = ?1)"
        ))
        .and_then(|mut st| st.query_row([&item.row_id], |r| r.get(0)))
        .map_err(sql_err)?;
    if exists {
        if values.is_empty() {
            return Ok(());
        }
        let sets: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("\"{c}\" = ?{}", i + 2))
            .collect();
        let mut args: Vec<SqlValue> = vec![SqlValue::Text(item.row_id.clone())];
        args.extend(values.into_iter().map(|(_, v)| v));
        conn.prepare_cached(&format!(
            "UPDATE \"{t}\" SET {} WHERE gid = ?1",
            sets.join(", ")
        ))
        .and_then(|mut st| st.execute(params_from_iter(args)))
        .map_err(sql_err)?;
    } else if item.op == Op::Update || values.is_empty() {
        // An insert without values: its row was deleted since and the server wiped its data
        // (its delete follows in the pull). Nothing to make.
        // A change to a row this desk does not hold (its insert was sent whole before): nothing.
    } else if provider_alias(conn, t, item).map_err(sql_err)? {
        // The same provider under another desk's id: the local one stands for it.
    } else {
        if s.case == CasePath::Box {
            // The member box it belongs to is its case on the server.
            let case = item.case_id.clone().map_or(SqlValue::Null, SqlValue::Text);
            values.push(("box".into(), case));
        } else if s.case == CasePath::ColumnOrBox {
            // A contact about no case: in the member box that is its case on the server.
            if let Some(b) = item.case_id.as_deref().filter(|c| capture::is_box(c)) {
                values.push(("box".into(), SqlValue::Text(b.to_string())));
            }
        }
        if t == "attachment" {
            // The file's bytes come apart (/v1/files) after the pull: empty until then.
            values.push(("content".into(), SqlValue::Blob(Vec::new())));
        }
        let names: Vec<String> = values.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        let marks: Vec<String> = (0..=values.len()).map(|i| format!("?{}", i + 1)).collect();
        let mut args: Vec<SqlValue> = vec![SqlValue::Text(item.row_id.clone())];
        args.extend(values.into_iter().map(|(_, v)| v));
        let mut all = vec!["gid".to_string()];
        all.extend(names);
        // From the connection's statement cache: a first pull inserts ~25 rows of each kind per
        // case with the same columns, and preparing an insert parses every trigger on its table.
        conn.prepare_cached(&format!(
            "INSERT INTO \"{t}\" ({}) VALUES ({})",
            all.join(", "),
            marks.join(", ")
        ))
        .and_then(|mut st| st.execute(params_from_iter(args)))
        .map_err(sql_err)?;
    }
    Ok(())
}

/// Applies rows in order, a row whose parent has not arrived yet after the others. A row whose
/// parent is still missing waits in `sync_unapplied` and is tried again, before the rows of
/// every later page (it is older than they are), until its parent has come: a page sends its new
/// cases whole, so a task's link or an invoice line in the member box can come a page before the
/// case it points at. What cannot be applied for another reason is kept there for the log,
/// never silently dropped.
pub(crate) fn apply_items(
    conn: &Connection,
    items: Vec<Item>,
    now: &str,
    applied: &mut Applied,
) -> Result<()> {
    // A row this page deletes no longer waits for its parent.
    let deleted: BTreeSet<(&str, &str)> = items
        .iter()
        .filter(|i| i.op == Op::Delete)
        .map(|i| (i.table.as_str(), i.row_id.as_str()))
        .collect();
    let waiting: Vec<(Item, Option<String>)> = take_waiting(conn)?
        .into_iter()
        .filter(|(i, _)| !deleted.contains(&(i.table.as_str(), i.row_id.as_str())))
        .collect();
    // (the row, when it first failed if it waited already, why it failed)
    let mut pending: Vec<(Item, Option<String>, Failure)> = waiting
        .into_iter()
        .map(|(i, since)| (i, since, Failure::Missing))
        .chain(items.into_iter().map(|i| (i, None, Failure::Missing)))
        .collect();
    let mut cache = capture::ColumnCache::default();
    loop {
        let mut left = Vec::new();
        let before = pending.len();
        for (item, since, _) in pending {
            let Some(s) = capture::by_wire(&item.table) else {
                left.push((
                    item,
                    since,
                    Failure::Sql("table not shared by this desk".into()),
                ));
                continue;
            };
            match apply_one(conn, s, &item, &mut cache) {
                Ok(()) => {
                    applied.rows += 1;
                    if since.is_some() {
                        applied.resolved += 1;
                    }
                    if let Some(case) = item.case_id.as_ref().filter(|_| searched(s.table)) {
                        if let Some(id) = gid_to_local(conn, "srt_case", "id", case)? {
                            applied.searched.insert(id);
                        }
                    }
                }
                Err(failure) => left.push((item, since, failure)),
            }
        }
        if left.is_empty() || left.len() == before {
            for (item, since, failure) in &left {
                let (error, waiting) = match failure {
                    Failure::Missing => ("a parent row is missing", true),
                    Failure::Sql(e) => (e.as_str(), false),
                };
                conn.prepare_cached(
                    "INSERT INTO sync_unapplied (tbl, row_gid, error, change, created_at, op,
                                                 case_gid, waiting)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    item.table,
                    item.row_id,
                    error,
                    Value::Object(item.values.clone()).to_string(),
                    since.as_deref().unwrap_or(now),
                    op_name(item.op),
                    item.case_id,
                    waiting,
                ])?;
                // A row that waited already was counted when it first failed.
                if since.is_none() {
                    applied.unapplied += 1;
                }
            }
            return Ok(());
        }
        pending = left;
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Insert => "insert",
        Op::Update => "update",
        Op::Delete => "delete",
    }
}

/// The rows waiting for a parent, oldest first, taken out of `sync_unapplied` (those still
/// waiting after this page go back with the time they first failed).
fn take_waiting(conn: &Connection) -> Result<Vec<(Item, Option<String>)>> {
    let rows: Vec<(Item, String)> = conn
        .prepare_cached(
            "SELECT tbl, row_gid, case_gid, op, change, created_at FROM sync_unapplied
             WHERE waiting = 1 ORDER BY id",
        )?
        .query_map([], |r| {
            let op = match r.get::<_, String>(3)?.as_str() {
                "update" => Op::Update,
                "delete" => Op::Delete,
                _ => Op::Insert,
            };
            let values = serde_json::from_str::<Value>(&r.get::<_, String>(4)?)
                .ok()
                .and_then(|v| match v {
                    Value::Object(m) => Some(m),
                    _ => None,
                })
                .unwrap_or_default();
            Ok((
                Item {
                    table: r.get(0)?,
                    row_id: r.get(1)?,
                    case_id: r.get(2)?,
                    op,
                    values,
                },
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Every waiting row was read above, in the caller's transaction.
    conn.execute("DELETE FROM sync_unapplied WHERE waiting = 1", [])?;
    Ok(rows
        .into_iter()
        .map(|(item, since)| (item, Some(since)))
        .collect())
}

/// Whether the search indexes hold text of a table's rows (`cases::search`: the case, its
/// child, guardians and documents; `case_search`: the case and its child). A pulled row of any
/// other table leaves its case's search rows as they are.
fn searched(table: &str) -> bool {
    matches!(table, "srt_case" | "child" | "guardian" | "document")
}

/// The order rows are applied in: parents first (the order of [`capture::SHARED`]).
fn rank(table: &str) -> usize {
    capture::SHARED
        .iter()
        .position(|s| s.wire == table)
        .unwrap_or(usize::MAX)
}

/// Removes a case this desk may no longer hold: its rows, its search entries, and its child
/// when no other case refers to it. Refused (false) while the desk has unpushed changes on it.
fn purge_case(conn: &Connection, case_gid: &str) -> Result<bool> {
    let waiting: i64 = conn.query_row(
        "SELECT count(*) FROM sync_outbox WHERE case_gid = ?1",
        [case_gid],
        |r| r.get(0),
    )?;
    if waiting > 0 {
        return Ok(false);
    }
    let Some((id, child)) = conn
        .query_row(
            "SELECT id, child_id FROM srt_case WHERE gid = ?1",
            [case_gid],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?
    else {
        if capture::is_box(case_gid) {
            // A member box (a colleague's invoices, proposals, tasks, contacts about no case):
            // its rows go, their lines and links with them (ON DELETE CASCADE).
            for t in ["invoice", "proposal", "task", "contact_log"] {
                conn.execute(&format!("DELETE FROM \"{t}\" WHERE box = ?1"), [case_gid])?;
            }
        }
        conn.execute(
            "DELETE FROM sync_case_owner WHERE case_gid = ?1",
            [case_gid],
        )?;
        return Ok(true);
    };
    // The case's rows refer to each other (a provider choice to its decision, a confirmation to
    // its choice) and the tables come in no such order: the keys are checked at the page's
    // commit, when all of them are gone (the pragma ends with the transaction).
    conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    conn.execute("DELETE FROM global_search WHERE case_id = ?1", [id])?;
    conn.execute("DELETE FROM case_search WHERE rowid = ?1", [id])?;
    let tables: Vec<String> = conn
        .prepare(
            "SELECT m.name FROM sqlite_master m
             WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
               AND m.name NOT LIKE '%search%' AND m.name NOT LIKE 'sqlite_%'
               AND m.name <> 'srt_case'
               AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'case_id')",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Rows that hang on the case's rows without a case_id of their own, then the case's rows.
    conn.execute(
        "DELETE FROM decision_signature WHERE decision_id IN (SELECT id FROM decision WHERE case_id = ?1)",
        [id],
    )?;
    conn.execute(
        "DELETE FROM decision_delivery WHERE decision_id IN (SELECT id FROM decision WHERE case_id = ?1)",
        [id],
    )?;
    for t in &tables {
        conn.execute(&format!("DELETE FROM \"{t}\" WHERE case_id = ?1"), [id])?;
    }
    conn.execute("DELETE FROM srt_case WHERE id = ?1", [id])?;
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM srt_case WHERE child_id = ?1",
        [child],
        |r| r.get(0),
    )?;
    if others == 0 {
        conn.execute("DELETE FROM child WHERE id = ?1", [child])?;
    }
    conn.execute(
        "DELETE FROM sync_case_owner WHERE case_gid = ?1",
        [case_gid],
    )?;
    conn.execute("DELETE FROM sync_conflict WHERE case_gid = ?1", [case_gid])?;
    Ok(true)
}

/// Applies a pulled page as a sync does, in the caller's transaction: capture off, the page,
/// the search index of the cases it touched, the derived tables, then capture on and `last_seq`
/// moved on. The page is confirmed to the server (its number kept for the next pull's `ack`)
/// when `confirm` and no purge of it was refused: a refused purge (the case has changes not sent
/// yet) is sent again by the server at the next sync, which pushes those changes first.
pub(crate) fn apply_pulled(
    tx: &Connection,
    page: &PullPage,
    now: &str,
    confirm: bool,
) -> Result<Applied> {
    tx.execute("UPDATE sync_state SET capturing = 0 WHERE id = 1", [])?;
    let started = std::time::Instant::now();
    let applied = apply_page(tx, page, now)?;
    let rows_ms = started.elapsed().as_millis() as u64;
    reindex(tx, &applied.searched)?;
    let reindex_ms = started.elapsed().as_millis() as u64 - rows_ms;
    refresh_derived(tx)?;
    // Where a page's time goes on the desk (ids and counts only): the rows, the search rows of
    // the cases touched, the derived tables.
    tracing::info!(
        cases = applied.searched.len(),
        rows_ms,
        reindex_ms,
        derived_ms = started.elapsed().as_millis() as u64 - rows_ms - reindex_ms,
        "pull applied"
    );
    tx.execute(
        "UPDATE sync_state SET capturing = 1, last_seq = max(last_seq, ?1) WHERE id = 1",
        [page.next_seq],
    )?;
    // Applied: the server may count what this page sent as arrived (said at the next pull).
    if let Some(number) = page
        .page
        .filter(|_| confirm && applied.purge_refused.is_empty())
    {
        let ack = applied_page(tx)?.max(number);
        crate::store::meta::set(tx, APPLIED_PAGE, &ack.to_string(), now)?;
    }
    Ok(applied)
}

/// The `meta` key of the last pulled page applied (the pull's `ack`).
const APPLIED_PAGE: &str = "team_pull_applied_page";

/// The last pulled page this desk applied (0: none yet).
pub(crate) fn applied_page(conn: &Connection) -> Result<i64> {
    Ok(crate::store::meta::get(conn, APPLIED_PAGE)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Applies one page of a pull: snapshots (parents first), then changes in server order, then
/// purges; records each new case's responsible coordinator. Capture must be off (the caller).
pub(crate) fn apply_page(conn: &Connection, page: &PullPage, now: &str) -> Result<Applied> {
    let mut applied = Applied::default();
    let mut snaps: Vec<&super::Snapshot> = page.snapshots.iter().collect();
    snaps.sort_by_key(|s| rank(&s.table));
    let mut items = Vec::new();
    for s in snaps {
        if s.table == "cases" {
            conn.execute(
                "INSERT INTO sync_case_owner (case_gid, owner_id) VALUES (?1, ?2)
                 ON CONFLICT (case_gid) DO UPDATE SET owner_id = excluded.owner_id",
                params![s.case_id, s.owner_id],
            )?;
        }
        items.push(Item {
            table: s.table.clone(),
            row_id: s.row_id.clone(),
            case_id: Some(s.case_id.clone()),
            op: if s.deleted { Op::Delete } else { Op::Insert },
            values: s.data.clone(),
        });
    }
    // Then the changes in server order; the snapshots and changes go through one pass, so a
    // snapshot's row whose parent arrives as a change (a provider chosen on the case, which is
    // team-wide data) waits for it.
    items.extend(page.changes.iter().map(|c| {
        Item {
            table: c.table.clone(),
            row_id: c.row_id.clone(),
            case_id: c.case_id.clone(),
            op: c.op,
            values: c
                .columns
                .iter()
                .map(|(k, v)| (k.clone(), v.new.clone()))
                .collect(),
        }
    }));
    apply_items(conn, items, now, &mut applied)?;
    for case in &page.purges {
        if let Some(id) = gid_to_local(conn, "srt_case", "id", case)? {
            applied.searched.remove(&id);
        }
        if purge_case(conn, case)? {
            // What waited for a parent in a case that left the desk no longer comes.
            conn.execute(
                "DELETE FROM sync_unapplied WHERE waiting = 1 AND case_gid = ?1",
                [case],
            )?;
            applied.purged += 1;
        } else {
            applied.purge_refused.push(case.clone());
        }
    }
    Ok(applied)
}

/// The search rows of the cases a pull touched, made again from their synced rows.
pub(crate) fn reindex(conn: &Connection, cases: &BTreeSet<i64>) -> Result<()> {
    for id in cases {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM srt_case WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            // Deleted by a pulled change (a retention deletion on another desk): its search
            // rows go with it.
            conn.execute("DELETE FROM global_search WHERE case_id = ?1", [id])?;
            conn.execute("DELETE FROM case_search WHERE rowid = ?1", [id])?;
            continue;
        }
        crate::cases::refresh_search(conn, *id)?;
        crate::cases::search::index_case(conn, *id)?;
        let docs: Vec<i64> = conn
            .prepare("SELECT id FROM document WHERE case_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for d in docs {
            crate::cases::search::index_document(conn, d)?;
        }
    }
    Ok(())
}

/// The outbox row's columns as the wire wants them: only the changed ones of an update (and not
/// `updated_at`, which every edit touches and which would make every two edits of one row a
/// conflict), foreign keys as global ids. None when nothing of an update is left.
pub(crate) fn wire_columns(
    conn: &Connection,
    cache: &mut capture::ColumnCache,
    s: &Shared,
    op: Op,
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
) -> Result<Option<BTreeMap<String, super::ColumnChange>>> {
    let cols = cache.of(conn, s.table)?;
    let mut out = BTreeMap::new();
    for c in cols {
        let base = old.and_then(|m| m.get(&c.name)).cloned();
        let next = new.and_then(|m| m.get(&c.name)).cloned();
        let (base, next) = match op {
            Op::Insert => (Value::Null, next.unwrap_or(Value::Null)),
            Op::Update => {
                let (b, n) = (base.unwrap_or(Value::Null), next.unwrap_or(Value::Null));
                if b == n || c.name == "updated_at" {
                    continue;
                }
                (b, n)
            }
            Op::Delete => continue,
        };
        let (base, next) = match &c.refers {
            Some((parent, to)) => (
                local_to_gid(conn, parent, to, &base)?,
                local_to_gid(conn, parent, to, &next)?,
            ),
            None => (base, next),
        };
        out.insert(c.name.clone(), super::ColumnChange { base, new: next });
    }
    if op == Op::Update && out.is_empty() {
        return Ok(None);
    }
    Ok(Some(out))
}

/// The case's global id of an outbox row whose trigger could not know it (a child inserted before
/// its case): looked up now.
pub(crate) fn case_of(
    conn: &Connection,
    s: &Shared,
    row_gid: &str,
    stored: Option<String>,
) -> Result<Option<String>> {
    if stored.is_some() || s.case != CasePath::Child {
        return Ok(stored);
    }
    Ok(conn
        .query_row(
            "SELECT c.gid FROM srt_case c JOIN child ch ON ch.id = c.child_id
             WHERE ch.gid = ?1 ORDER BY c.id LIMIT 1",
            [row_gid],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// The tables kept from the desk's facts, brought up to date after a pull (what the demo load and
/// the desk's `refresh_kept_rows` do): the stored deadlines and the statistics' money and cases.
pub(crate) fn refresh_derived(conn: &Connection) -> Result<()> {
    crate::deadlines::schedule::refresh_deadlines(conn)?;
    crate::stats::money::refresh(conn)?;
    crate::stats::cases::refresh(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> Connection {
        let mut conn = Connection::open_in_memory().expect("db");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        conn.execute("UPDATE sync_state SET capturing = 0 WHERE id = 1", [])
            .expect("capture off");
        conn.execute(
            "INSERT INTO provider (name, registry_code, created_at, updated_at, gid)
             VALUES ('Näidis OÜ', '10000001', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'P')",
            [],
        )
        .expect("provider");
        conn
    }

    fn item(table: &str, row: &str, case: &str, op: Op, values: Value) -> Item {
        let Value::Object(values) = values else {
            panic!("values")
        };
        Item {
            table: table.into(),
            row_id: row.into(),
            case_id: Some(case.into()),
            op,
            values,
        }
    }

    fn link(row: &str, task: &str) -> Item {
        item(
            "task_link",
            row,
            "box",
            Op::Insert,
            serde_json::json!({"task_id": task, "provider_id": "P",
                "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z"}),
        )
    }

    fn task(row: &str) -> Item {
        item(
            "task",
            row,
            "box",
            Op::Insert,
            serde_json::json!({"title": "Helista perele", "from_kind": "team_lead",
                "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z"}),
        )
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    #[test]
    fn a_row_whose_parent_comes_on_a_later_page_waits_for_it_unless_deleted_meanwhile() {
        let conn = desk();
        // Page 1: three links to tasks that come later.
        let mut first = Applied::default();
        let page = vec![link("L1", "T1"), link("L2", "T2"), link("L3", "T3")];
        apply_items(&conn, page, "2026-12-07T01:00:00Z", &mut first).expect("page 1");
        assert_eq!((first.rows, first.unapplied), (0, 3));
        let waiting = "SELECT count(*) FROM sync_unapplied WHERE waiting = 1";
        assert_eq!(count(&conn, waiting), 3);

        // Page 2: T1 comes, L2 is deleted on the server (its delete arrives, it waits no more).
        let mut second = Applied::default();
        let page = vec![
            task("T1"),
            item("task_link", "L2", "box", Op::Delete, serde_json::json!({})),
        ];
        apply_items(&conn, page, "2026-12-07T02:00:00Z", &mut second).expect("page 2");
        assert_eq!((second.resolved, second.unapplied), (1, 0));
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM task_link l JOIN task t ON t.id = l.task_id
                 WHERE l.gid = 'L1' AND t.gid = 'T1' AND t.box = 'box'"
            ),
            1
        );
        // L3 still waits, since it first failed (for the log); L2 is gone.
        let left: Vec<(String, String)> = conn
            .prepare("SELECT row_gid, created_at FROM sync_unapplied WHERE waiting = 1")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(left, vec![("L3".into(), "2026-12-07T01:00:00Z".into())]);

        // Page 3: T3 comes; nothing waits any more, and L2 was never made.
        let mut third = Applied::default();
        apply_items(&conn, vec![task("T3")], "2026-12-07T03:00:00Z", &mut third).expect("page 3");
        assert_eq!((third.rows, third.resolved), (2, 1));
        assert_eq!(count(&conn, "SELECT count(*) FROM sync_unapplied"), 0);
        assert_eq!(count(&conn, "SELECT count(*) FROM task_link"), 2);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM task_link WHERE gid = 'L2'"),
            0
        );
    }
}
