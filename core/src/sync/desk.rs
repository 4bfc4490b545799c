//! The Desk's team methods: join a team, sync (push the outbox, pull, upload the audit chain),
//! the cases with their responsible coordinator, substitutions, conflicts and their resolution.
//! The network calls run between the desk's transactions, never inside one.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::apply::{self, Applied};
use super::{capture, numbers};
use super::{Member, Op, SyncClient, SyncError};
use crate::error::Result;
use crate::{Desk, KeyStore};

/// Where the device token is kept in the key store (the OS credential store), per desk.
const TOKEN_ENTRY: &str = "team-device-token";

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
    /// Pulled rows this desk could not apply: kept in `sync_unapplied`. A row that waited for a
    /// parent from a later page and was applied when it came is no longer counted.
    pub unapplied: u64,
    /// Cases the server took away that stay because changes on them are still waiting.
    pub purges_refused: u64,
    /// Open conflicts of the rows this desk holds, after the sync.
    pub open_conflicts: u64,
}

impl SyncReport {
    /// Counts a pulled page as applied: its rows and purges, what could not be applied, and the
    /// purges refused for changes still waiting.
    pub(super) fn count_pulled(&mut self, applied: &super::apply::Applied) {
        self.pulled += (applied.rows + applied.purged) as u64;
        self.unapplied =
            (self.unapplied + applied.unapplied as u64).saturating_sub(applied.resolved as u64);
        self.purges_refused += applied.purge_refused.len() as u64;
    }
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
    /// Who may change the team-wide data: "lead" or "all" (the team's setting, as last synced).
    pub team_data_writers: String,
    /// A coordinator on a team desk may open a colleague's case with a stated reason (the lead
    /// sees every case; the service manager none, nor a desk not in a team).
    pub can_open_cases: bool,
    /// The shortest reason taken for opening one (characters), told up front.
    pub open_reason_min: usize,
}

/// The shortest reason taken for opening a colleague's case (characters, after trimming;
/// `open_case.rs`); the server holds the same rule.
pub const MIN_REASON: usize = 10;

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
    pub(crate) fn team_client(&self, keys: &dyn KeyStore) -> Result<SyncClient> {
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
        // What would stop the join after the server took the one-time code is checked first:
        // a spent code is a new one to ask the lead for.
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
        if !keys.available() {
            return Err(crate::error::Error::KeyStoreUnavailable(keys.describe()));
        }
        let client = SyncClient::new(server, ca_pem)?;
        let joined = client.join(code, device_name)?;
        keys.set_password(&self.token_entry()?, &joined.token)?;
        // The desk's running numbers become a block of the team's (renumbered where another
        // desk had them), and a reserve for the cases to come.
        let client = client.with_token(joined.token.as_str());
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
                "UPDATE sync_state SET joined = 1, capturing = 0, server_url = ?1, ca_pem = ?2,
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
            // Capture from here: the ids given above are the desk's own bookkeeping, not a
            // member's change of team-wide data (which migration 028 refuses on most desks).
            tx.execute("UPDATE sync_state SET capturing = 1 WHERE id = 1", [])?;
            Ok(())
        })?;
        Ok(joined.member)
    }

    /// This desk's team state (joined, who, changes waiting, last sync).
    pub fn team_state(&self) -> Result<TeamState> {
        let conn = self.store.connection();
        let waiting: i64 = conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
        Ok(conn.query_row(
            "SELECT joined, server_url, member_login, member_role, synced_at, last_seq,
                    team_data_writers
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
                    team_data_writers: r.get(6)?,
                    can_open_cases: r.get::<_, i64>(0)? == 1
                        && r.get::<_, String>(3)? == "coordinator",
                    open_reason_min: MIN_REASON,
                })
            },
        )?)
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

    /// How many conflicts are open (the sync line asks every few seconds: a count, not the list).
    pub fn team_conflict_count(&self) -> Result<usize> {
        let n: i64 =
            self.store
                .connection()
                .query_row("SELECT count(*) FROM sync_conflict", [], |r| r.get(0))?;
        Ok(n as usize)
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
                    applied.searched.insert(case);
                }
                apply::reindex(tx, &applied.searched)?;
                apply::refresh_derived(tx)?;
                tx.execute("UPDATE sync_state SET capturing = 1 WHERE id = 1", [])?;
            }
            tx.execute("DELETE FROM sync_conflict WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}
