//! The Desk's team methods: join a team, sync (push the outbox, pull, upload the audit chain),
//! the cases with their responsible coordinator, substitutions, conflicts and their resolution.
//! The network calls run between the desk's transactions, never inside one.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::apply::{self, Applied};
use super::{capture, numbers};
use super::{ChangeRecord, Member, Op, SyncClient, SyncError};
use crate::error::Result;
use crate::{Desk, KeyStore};

/// Where the device token is kept in the key store (the OS credential store), per desk.
const TOKEN_ENTRY: &str = "team-device-token";
/// Changes per push request.
const PUSH_BATCH: usize = 1000;
/// Rows per pull page.
const PULL_LIMIT: u32 = 1000;
/// Audit rows per upload.
const AUDIT_BATCH: usize = 2000;

/// What one sync did (`srt-admin sync` prints the first three).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// Changes the server took (applied, or seen before: a push cut off and sent again).
    pub pushed: u64,
    /// Rows and purges applied from the pull.
    pub pulled: u64,
    /// Changes of this push that conflicted with the server's values.
    pub conflicts: u64,
    /// Changes the server refused (out of this member's scope): kept in `sync_rejected`.
    pub rejected: u64,
    /// Pulled rows this desk could not apply: kept in `sync_unapplied`.
    pub unapplied: u64,
    /// Cases the server took away that stay because changes on them are still waiting.
    pub purges_refused: u64,
    /// Open conflicts of the rows this desk holds, after the sync.
    pub open_conflicts: u64,
}

/// The desk's team state, for the window's sync line.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamState {
    pub joined: bool,
    pub server: String,
    pub login: String,
    pub role: String,
    pub waiting: i64,
    pub synced_at: Option<String>,
    pub last_seq: i64,
}

/// A case on this desk and its responsible coordinator (`srt-admin cases`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCaseLine {
    pub case_no: String,
    pub child_name: String,
    pub status: String,
    /// The responsible coordinator's login; empty on a desk that is not in a team.
    pub coordinator: String,
}

/// One column of a conflict: the value both edits started from, the server's, this desk's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictColumn {
    pub base: Value,
    pub server: Value,
    pub mine: Value,
}

/// A conflict as the desk shows it: both values of each column, side by side.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamConflict {
    pub id: i64,
    pub table: String,
    pub row_id: String,
    pub case_no: Option<String>,
    pub columns: BTreeMap<String, ConflictColumn>,
    /// Logins: who set the server's value, who pushed the other.
    pub server_author: Option<String>,
    pub author: String,
}

/// The coordinator's choice for a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep the server's values.
    Server,
    /// The pushed values.
    Mine,
    /// An edited merge: a value for each of the conflict's columns.
    Merged(BTreeMap<String, Value>),
}

impl Resolution {
    fn as_str(&self) -> &'static str {
        match self {
            Resolution::Server => "server",
            Resolution::Mine => "mine",
            Resolution::Merged(_) => "merged",
        }
    }
}

fn not_joined() -> SyncError {
    SyncError::new(
        "sync.not_joined",
        "See töölaud ei ole meeskonnaga liitunud (srt-admin team join)",
        "This desk has not joined a team (srt-admin team join)",
        "",
    )
}

/// A captured change as the outbox keeps it.
struct OutboxRow {
    id: i64,
    change_id: String,
    tbl: String,
    row_gid: String,
    case_gid: Option<String>,
    op: String,
    old: Option<String>,
    new: Option<String>,
    at: String,
}

struct Conn {
    server: String,
    ca: String,
}

impl Desk {
    fn team_conn(&self) -> Result<Conn> {
        let conn = self.store.connection();
        let row: Option<(i64, String, String)> = conn
            .query_row(
                "SELECT joined, server_url, ca_pem FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            Some((1, server, ca)) => Ok(Conn { server, ca }),
            _ => Err(not_joined().into()),
        }
    }

    fn token_entry(&self) -> Result<String> {
        let id: String = self.store.connection().query_row(
            "SELECT value FROM meta WHERE key = 'desk_id'",
            [],
            |r| r.get(0),
        )?;
        Ok(format!("{TOKEN_ENTRY}:{id}"))
    }

    /// The client of this desk's team server, speaking with its device token.
    fn team_client(&self, keys: &dyn KeyStore) -> Result<SyncClient> {
        let c = self.team_conn()?;
        let token = keys.get_password(&self.token_entry()?)?.ok_or_else(|| {
            SyncError::new(
                "sync.token_missing",
                "Selle seadme meeskonnavõtit ei ole võtmehoidlas; liitu uuesti uue liitumiskoodiga",
                "This device's team token is not in the credential store; join again with a new join code",
                "",
            )
        })?;
        Ok(SyncClient::new(&c.server, c.ca.as_bytes())?.with_token(token.as_str()))
    }

    /// Joins the team at `server` (https) with a one-time code, trusting only `ca_pem`: the
    /// device token goes into `keys` (the OS credential store), the server and CA into the desk,
    /// and every case already on the desk into the outbox for the first push (with the team's
    /// data too when the member is the team lead).
    pub fn team_join(
        &mut self,
        keys: &dyn KeyStore,
        server: &str,
        ca_pem: &[u8],
        code: &str,
        device_name: &str,
    ) -> Result<Member> {
        if capture::joined(self.store.connection())? {
            return Err(SyncError::new(
                "sync.already_joined",
                "See töölaud on juba meeskonnaga liitunud",
                "This desk has already joined a team",
                "",
            )
            .into());
        }
        let ca = std::str::from_utf8(ca_pem)
            .map_err(|_| {
                SyncError::new(
                    "sync.bad_ca",
                    "Serveri sertifikaadi fail ei ole loetav (oodati PEM-faili)",
                    "The server's certificate file cannot be read (a PEM file was expected)",
                    "not UTF-8",
                )
            })?
            .to_string();
        let client = SyncClient::new(server, ca_pem)?;
        let joined = client.join(code, device_name)?;
        keys.set_password(&self.token_entry()?, &joined.token)?;
        // The desk's running numbers become a block of the team's (renumbered where another
        // desk had them), and a reserve for the cases to come.
        let client = client.with_token(joined.token.as_str());
        let highest = numbers::highest(self.store.connection())?;
        if highest > 10_000 {
            return Err(SyncError::new(
                "sync.too_many_numbers",
                "Selle töölaua juhtumite numbrid on liiga suured meeskonnaga liitumiseks (üle 10 000)",
                "This desk's case numbers are too high to join a team (over 10 000)",
                highest.to_string(),
            )
            .into());
        }
        let own = if highest > 0 {
            Some(numbers::reserve(&client, "case", highest)?)
        } else {
            None
        };
        let reserve = numbers::reserve(&client, "case", numbers::RESERVE)?;
        // Decision numbers are printed on letters already sent: never renumbered. The team's
        // counter is moved past the desk's own, and new ones come from a reserve.
        let decisions = numbers::highest_decision(self.store.connection())?;
        if decisions > 0 {
            numbers::reserve(&client, "decision", decisions.min(10_000))?;
        }
        let decision_reserve = numbers::reserve(&client, "decision", numbers::RESERVE)?;
        let server = server.trim_end_matches('/').to_string();
        let member = joined.member.clone();
        let detail = format!("device {} member {}", joined.device_id, member.id);
        self.write_detailed("team.join", "team", &server, &detail, |tx, now, _| {
            let now = crate::clock::ts(now);
            tx.execute(
                "UPDATE sync_state SET joined = 1, capturing = 1, server_url = ?1, ca_pem = ?2,
                     device_id = ?3, member_id = ?4, member_login = ?5, member_role = ?6,
                     last_seq = 0, audit_sent = 0, audit_hash = '', updated_at = ?7
                 WHERE id = 1",
                params![
                    server,
                    ca,
                    joined.device_id,
                    member.id,
                    member.login,
                    member.role,
                    now
                ],
            )?;
            tx.execute(
                "INSERT INTO sync_member (id, login, name, role) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET login = excluded.login, name = excluded.name,
                     role = excluded.role",
                params![member.id, member.login, member.name, member.role],
            )?;
            if let Some((first, _)) = own {
                let moved = numbers::renumber(tx, first)?;
                let moved = moved.into_iter().collect();
                apply::reindex(tx, &moved)?;
            }
            numbers::add_block(tx, "case", reserve.0, reserve.1)?;
            numbers::add_block(tx, "decision", decision_reserve.0, decision_reserve.1)?;
            capture::enqueue_existing(tx, member.role == "lead")?;
            capture::ensure_triggers(tx)?;
            Ok(())
        })?;
        Ok(joined.member)
    }

    /// This desk's team state (joined, who, changes waiting, last sync).
    pub fn team_state(&self) -> Result<TeamState> {
        let conn = self.store.connection();
        let waiting: i64 = conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
        Ok(conn.query_row(
            "SELECT joined, server_url, member_login, member_role, synced_at, last_seq
             FROM sync_state WHERE id = 1",
            [],
            |r| {
                Ok(TeamState {
                    joined: r.get::<_, i64>(0)? == 1,
                    server: r.get(1)?,
                    login: r.get(2)?,
                    role: r.get(3)?,
                    waiting,
                    synced_at: r.get(4)?,
                    last_seq: r.get(5)?,
                })
            },
        )?)
    }

    /// Push the outbox (a push cut off is simply sent again: change ids make it idempotent), pull
    /// (snapshots, changes, purges) with capture off, bring the derived tables up to date, then
    /// refresh the members and open conflicts and upload the audit chain.
    pub fn team_sync(&mut self, keys: &dyn KeyStore) -> Result<SyncReport> {
        let client = self.team_client(keys)?;
        let mut report = SyncReport::default();
        self.team_push(&client, &mut report)?;
        self.team_pull(&client, &mut report)?;
        self.team_refresh(&client, &mut report)?;
        for kind in ["case", "decision"] {
            if numbers::remaining(self.store.connection(), kind)? < numbers::LOW {
                let (first, last) = numbers::reserve(&client, kind, numbers::RESERVE)?;
                numbers::add_block(self.store.connection(), kind, first, last)?;
            }
        }
        let detail = format!(
            "pushed {} pulled {} conflicts {} rejected {} unapplied {}",
            report.pushed, report.pulled, report.conflicts, report.rejected, report.unapplied
        );
        self.write_detailed("team.sync", "team", "", &detail, |tx, now, _| {
            tx.execute(
                "UPDATE sync_state SET synced_at = ?1, updated_at = ?1 WHERE id = 1",
                [crate::clock::ts(now)],
            )?;
            Ok(())
        })?;
        self.team_upload_audit(&client)?;
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

    fn team_push(&mut self, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
        loop {
            // The batch: outbox rows in order, each turned into the wire's form; updates that
            // changed nothing the team sees are dropped.
            let (batch, empty) = {
                let conn = self.store.connection();
                let read = |sql: &str, p: i64| -> Result<Vec<OutboxRow>> {
                    Ok(conn
                        .prepare(sql)?
                        .query_map([p], |r| {
                            Ok(OutboxRow {
                                id: r.get(0)?,
                                change_id: r.get(1)?,
                                tbl: r.get(2)?,
                                row_gid: r.get(3)?,
                                case_gid: r.get(4)?,
                                op: r.get(5)?,
                                old: r.get(6)?,
                                new: r.get(7)?,
                                at: r.get(8)?,
                            })
                        })?
                        .collect::<rusqlite::Result<_>>()?)
                };
                let mut rows: Vec<OutboxRow> = read(
                    "SELECT id, change_id, tbl, row_gid, case_gid, op, old, new, at
                     FROM sync_outbox ORDER BY id LIMIT ?1",
                    PUSH_BATCH as i64,
                )?;
                let mut batch: Vec<(i64, ChangeRecord)> = Vec::new();
                let mut cache = capture::ColumnCache::default();
                let mut empty: Vec<i64> = Vec::new();
                let mut extra_done = false;
                while !rows.is_empty() {
                    for OutboxRow {
                        id,
                        change_id,
                        tbl,
                        row_gid,
                        case_gid,
                        op,
                        old,
                        new,
                        at,
                    } in std::mem::take(&mut rows)
                    {
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
                        let Some(columns) = apply::wire_columns(
                            conn,
                            &mut cache,
                            s,
                            op,
                            old.as_ref(),
                            new.as_ref(),
                        )?
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
                    // The server creates a case by its own insert, and refuses a row of a case it
                    // does not know (`unknown_case`). A first push sends the children before the
                    // cases (parents first): with more than a batch of them, a child's case insert
                    // sat in a later batch and every child was refused. The pending inserts of the
                    // cases this batch's rows belong to join the batch.
                    if extra_done {
                        break;
                    }
                    extra_done = true;
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
                    rows = match (needed.is_empty(), last) {
                        (false, Some(last)) => read(
                            "SELECT id, change_id, tbl, row_gid, case_gid, op, old, new, at
                         FROM sync_outbox WHERE tbl = 'srt_case' AND op = 'insert' AND id > ?1
                         ORDER BY id",
                            last,
                        )?
                        .into_iter()
                        .filter(|r| needed.contains(&r.row_gid))
                        .collect(),
                        _ => Vec::new(),
                    };
                }
                // A case is created on the server by its own insert: send those first, so the
                // rows written before it in the same transaction (its child) find it.
                batch.sort_by_key(|(_, c)| !(c.table == "cases" && c.op == Op::Insert));
                (batch, empty)
            };
            if !empty.is_empty() {
                let tx = self.store.connection_mut().transaction()?;
                for id in &empty {
                    tx.execute("DELETE FROM sync_outbox WHERE id = ?1", [id])?;
                }
                tx.commit()?;
            }
            if batch.is_empty() {
                if empty.is_empty() {
                    return Ok(());
                }
                continue;
            }
            let changes: Vec<ChangeRecord> = batch.iter().map(|(_, c)| c.clone()).collect();
            let reply = client.push(&changes)?;
            let member_id: Option<i64> = self.store.connection().query_row(
                "SELECT member_id FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )?;
            let outcomes: BTreeMap<&str, &super::PushOutcome> = reply
                .results
                .iter()
                .map(|o| (o.change_id.as_str(), o))
                .collect();
            let tx = self.store.connection_mut().transaction()?;
            let now = crate::clock::ts(chrono::Utc::now());
            for (id, change) in &batch {
                let Some(o) = outcomes.get(change.change_id.as_str()) else {
                    continue; // not answered: stays for the next push
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
        }
    }

    fn team_pull(&mut self, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
        loop {
            let after: i64 = self.store.connection().query_row(
                "SELECT last_seq FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )?;
            let page = client.pull(after, PULL_LIMIT)?;
            let now = crate::clock::ts(chrono::Utc::now());
            let tx = self.store.connection_mut().transaction()?;
            tx.execute("UPDATE sync_state SET capturing = 0 WHERE id = 1", [])?;
            let applied: Applied = apply::apply_page(&tx, &page, &now)?;
            apply::reindex(&tx, &applied.cases)?;
            apply::refresh_derived(&tx)?;
            tx.execute(
                "UPDATE sync_state SET capturing = 1, last_seq = max(last_seq, ?1) WHERE id = 1",
                [page.next_seq],
            )?;
            tx.commit()?;
            report.pulled += (applied.rows + applied.purged) as u64;
            report.unapplied += applied.unapplied as u64;
            report.purges_refused += applied.purge_refused.len() as u64;
            if !page.more || page.next_seq <= after {
                return Ok(());
            }
        }
    }

    /// The team's members and the open conflicts of this desk's rows, as the server has them.
    fn team_refresh(&mut self, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
        let members = client.get_json("/v1/team/members")?;
        let conflicts = client.get_json("/v1/conflicts")?;
        let tx = self.store.connection_mut().transaction()?;
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
            report.open_conflicts += 1;
        }
        tx.commit()?;
        Ok(())
    }

    /// Sends the audit rows not yet sent, as a chain of this device on the server:
    /// `hash = sha256_hex(prev_hash || payload)`, the payload the desk's row (with its own hash).
    fn team_upload_audit(&mut self, client: &SyncClient) -> Result<()> {
        loop {
            let conn = self.store.connection();
            let (sent, mut prev): (i64, String) = conn.query_row(
                "SELECT audit_sent, audit_hash FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if prev.is_empty() {
                prev = "0".repeat(64);
            }
            let rows: Vec<(i64, String)> = conn
                .prepare(
                    "SELECT id, json_object('at', at, 'actor', actor, 'action', action,
                         'entity', entity, 'entity_id', entity_id, 'detail', detail, 'hash', hash)
                     FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2",
                )?
                .query_map(params![sent, AUDIT_BATCH as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut entries = Vec::new();
            // The chain's seq is the audit row's id: 1, 2, 3 without gaps (the log is
            // append-only and its rows are never deleted).
            for (seq, payload) in &rows {
                let mut h = Sha256::new();
                h.update(prev.as_bytes());
                h.update(payload.as_bytes());
                let hash = hex::encode(h.finalize());
                entries
                    .push(json!({"seq": seq, "prev_hash": prev, "hash": hash, "payload": payload}));
                prev = hash;
            }
            client.post_json("/v1/audit", &json!({ "entries": entries }))?;
            let last_id = rows.last().map(|r| r.0).unwrap_or(sent);
            self.store.connection().execute(
                "UPDATE sync_state SET audit_sent = ?1, audit_hash = ?2 WHERE id = 1",
                params![last_id, prev],
            )?;
        }
    }

    /// Every case on this desk with its responsible coordinator's login (tab-separated lines in
    /// `srt-admin cases`); the listing is audited.
    pub fn team_cases(&self) -> Result<Vec<TeamCaseLine>> {
        let conn = self.store.connection();
        let lines = conn
            .prepare(
                "SELECT c.case_no, ch.first_name || ' ' || ch.last_name, c.status,
                        coalesce(m.login, CASE WHEN s.joined = 1 AND o.owner_id IS NULL
                                               THEN s.member_login ELSE '' END, '')
                 FROM srt_case c JOIN child ch ON ch.id = c.child_id
                 JOIN sync_state s ON s.id = 1
                 LEFT JOIN sync_case_owner o ON o.case_gid = c.gid
                 LEFT JOIN sync_member m ON m.id = o.owner_id
                 ORDER BY c.case_no",
            )?
            .query_map([], |r| {
                Ok(TeamCaseLine {
                    case_no: r.get(0)?,
                    child_name: r.get(1)?,
                    status: r.get(2)?,
                    coordinator: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.audit(
            "case.list",
            "case",
            "",
            &format!("team cases {}", lines.len()),
        )?;
        Ok(lines)
    }

    /// Records a substitution on the server (the team lead's desk): `by` stands in for `absent`
    /// from `from` to `to`, whole days. Takes effect at each desk's next sync.
    pub fn team_substitute(
        &mut self,
        keys: &dyn KeyStore,
        absent: &str,
        by: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64> {
        if to < from {
            return Err(crate::error::Error::field(
                "to",
                "team.substitution_dates",
                "Asendamise lõpp ei saa olla enne algust.",
                "A substitution cannot end before it starts.",
            ));
        }
        let client = self.team_client(keys)?;
        let answer = client.post_json(
            "/v1/team/substitutions",
            &json!({"absent": absent, "substitute": by, "from": from.to_string(), "to": to.to_string()}),
        )?;
        let id = answer["id"].as_i64().unwrap_or(0);
        self.audit(
            "team.substitute",
            "substitution",
            &id.to_string(),
            &format!("{from}..{to}"),
        )?;
        Ok(id)
    }

    /// Cancels a substitution (kept in the server's history); its cases leave the substitute's
    /// desk at their next sync.
    pub fn team_cancel_substitution(&mut self, keys: &dyn KeyStore, id: i64) -> Result<()> {
        let client = self.team_client(keys)?;
        client.post_json(&format!("/v1/team/substitutions/{id}/cancel"), &json!({}))?;
        self.audit(
            "team.substitution_cancel",
            "substitution",
            &id.to_string(),
            "",
        )?;
        Ok(())
    }

    /// The open conflicts of the rows this desk holds (as of the last sync), both values of each
    /// column side by side.
    pub fn team_conflicts(&self) -> Result<Vec<TeamConflict>> {
        let conn = self.store.connection();
        let rows = conn
            .prepare(
                "SELECT k.id, k.tbl, k.row_gid, c.case_no, k.columns, sa.login, coalesce(a.login, '')
                 FROM sync_conflict k
                 LEFT JOIN srt_case c ON c.gid = k.case_gid
                 LEFT JOIN sync_member sa ON sa.id = k.server_author_id
                 LEFT JOIN sync_member a ON a.id = k.author_id
                 ORDER BY k.id",
            )?
            .query_map([], |r| {
                let cols: String = r.get(4)?;
                let cols: Map<String, Value> = serde_json::from_str(&cols).unwrap_or_default();
                Ok(TeamConflict {
                    id: r.get(0)?,
                    table: r.get(1)?,
                    row_id: r.get(2)?,
                    case_no: r.get(3)?,
                    columns: cols
                        .into_iter()
                        .map(|(k, v)| {
                            (
                                k,
                                ConflictColumn {
                                    base: v["base"].clone(),
                                    server: v["server"].clone(),
                                    mine: v["mine"].clone(),
                                },
                            )
                        })
                        .collect(),
                    server_author: r.get(5)?,
                    author: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Resolves a conflict on the server and brings this desk's row to the chosen values (the
    /// resolving desk applies its choice itself: pulls leave out a device's own changes). The
    /// choice is audited, with the table, the row and the columns.
    pub fn team_resolve(&mut self, keys: &dyn KeyStore, id: i64, choice: Resolution) -> Result<()> {
        let conflict = self
            .team_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| {
                SyncError::new(
                    "sync.conflict_unknown",
                    "Seda konflikti ei ole sellel töölaual (sünkrooni uuesti)",
                    "This desk does not have this conflict (sync again)",
                    id.to_string(),
                )
            })?;
        if let Resolution::Merged(values) = &choice {
            if values.keys().any(|k| !conflict.columns.contains_key(k))
                || conflict.columns.keys().any(|k| !values.contains_key(k))
            {
                return Err(crate::error::Error::field(
                    "columns",
                    "team.merge_columns",
                    "Ühendatud versioonis peab olema väärtus igale konfliktis olevale väljale (ja ainult neile).",
                    "A merge needs a value for each field in the conflict (and only those).",
                ));
            }
        }
        let client = self.team_client(keys)?;
        let body = match &choice {
            Resolution::Merged(values) => json!({"choice": "merged", "columns": values}),
            other => json!({"choice": other.as_str()}),
        };
        client.post_json(&format!("/v1/conflicts/{id}/resolve"), &body)?;
        let values: Map<String, Value> = match &choice {
            Resolution::Server => conflict
                .columns
                .iter()
                .map(|(k, v)| (k.clone(), v.server.clone()))
                .collect(),
            Resolution::Mine => conflict
                .columns
                .iter()
                .map(|(k, v)| (k.clone(), v.mine.clone()))
                .collect(),
            Resolution::Merged(v) => v.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        };
        let detail = format!(
            "conflict {id} choice {} table {} row {} columns {}",
            choice.as_str(),
            conflict.table,
            conflict.row_id,
            conflict
                .columns
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(",")
        );
        self.write_detailed("team.conflict.resolve", "conflict", &id.to_string(), &detail, |tx, now, _| {
            if !values.is_empty() {
                tx.execute("UPDATE sync_state SET capturing = 0 WHERE id = 1", [])?;
                let mut applied = Applied::default();
                apply::apply_items(
                    tx,
                    vec![apply::Item {
                        table: conflict.table.clone(),
                        row_id: conflict.row_id.clone(),
                        case_id: None,
                        op: Op::Update,
                        values,
                    }],
                    &crate::clock::ts(now),
                    &mut applied,
                )?;
                if let Some(case) = tx
                    .query_row(
                        "SELECT c.id FROM sync_conflict k JOIN srt_case c ON c.gid = k.case_gid WHERE k.id = ?1",
                        [id],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()?
                {
                    applied.cases.insert(case);
                }
                apply::reindex(tx, &applied.cases)?;
                apply::refresh_derived(tx)?;
                tx.execute("UPDATE sync_state SET capturing = 1 WHERE id = 1", [])?;
            }
            tx.execute("DELETE FROM sync_conflict WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}
