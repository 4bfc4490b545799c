//! Change capture in the same transaction as the write: triggers on every shared table, made
//! here from the tables' columns (`PRAGMA table_info`), write each insert, update and delete with
//! the row's old and new values into `sync_outbox` (migration 023). They write only while
//! `sync_state.capturing` is 1: the desk is joined to a team and is not applying a pull. No write
//! path of the desk knows about them.

use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// How a shared table's rows belong to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CasePath {
    /// Team-wide data (providers, prices, rules, templates, questions): no case.
    Team,
    /// The case itself (`srt_case`).
    Own,
    /// A `case_id` column (the case's local id).
    Column,
    /// The child: the case that refers to it.
    Child,
    /// Through a parent row that has a `case_id`: (the foreign key column, the parent table).
    Via(&'static str, &'static str),
    /// A member's own row, not a case's (invoices, proposals, tasks): its `box` column holds the
    /// member box it belongs to (see [`own_box_sql`]), set when it is first written.
    Box,
    /// Through a parent row that has a `box`: (the foreign key column, the parent table).
    ViaBox(&'static str, &'static str),
    /// A `case_id` column when it names a case, else the member box in its `box` column: a
    /// contact with a provider or partner about no case is the member's own (`contact_log`).
    ColumnOrBox,
}

impl CasePath {
    /// Whether the table's rows may live in a member box (it has a `box` column).
    pub(crate) fn boxed(self) -> bool {
        matches!(self, CasePath::Box | CasePath::ColumnOrBox)
    }
}

/// A table whose rows the team shares: its name on the desk, on the wire, and its case.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shared {
    pub table: &'static str,
    pub wire: &'static str,
    pub case: CasePath,
}

const fn shared(table: &'static str, case: CasePath) -> Shared {
    Shared {
        table,
        wire: table,
        case,
    }
}

/// The shared tables, parents before children (a first push and a pull apply in this order).
/// Everything else is the desk's own: derived tables computed from these (stored deadlines,
/// money cells, statistics, the search indexes, granted money per decision), the audit log (it
/// goes up through /v1/audit), the desk's settings and held drafts (see docs/team-protocol.md,
/// "The desk's tables").
pub(crate) const SHARED: &[Shared] = &[
    shared("provider", CasePath::Team),
    shared("provider_location", CasePath::Team),
    shared("provider_contact", CasePath::Team),
    shared("provider_activity", CasePath::Team),
    shared("partner", CasePath::Team),
    shared("price_list", CasePath::Team),
    shared("yearly_cap", CasePath::Team),
    shared("deadline_rule", CasePath::Team),
    shared("eligibility_rule", CasePath::Team),
    shared("decision_template", CasePath::Team),
    shared("meeting_template", CasePath::Team),
    shared("feedback_question", CasePath::Team),
    shared("child", CasePath::Child),
    Shared {
        table: "srt_case",
        wire: "cases",
        case: CasePath::Own,
    },
    shared("guardian", CasePath::Column),
    shared("case_status_change", CasePath::Column),
    shared("assessment", CasePath::Column),
    shared("assessment_activity", CasePath::Column),
    shared("document", CasePath::Column),
    shared("decision", CasePath::Column),
    shared("meeting", CasePath::Column),
    shared(
        "meeting_participant",
        CasePath::Via("meeting_id", "meeting"),
    ),
    shared("meeting_action", CasePath::Via("meeting_id", "meeting")),
    shared("provider_choice", CasePath::Column),
    shared("service_confirmation", CasePath::Column),
    shared("contact_log", CasePath::ColumnOrBox),
    shared("feedback_response", CasePath::Column),
    shared(
        "feedback_answer",
        CasePath::Via("response_id", "feedback_response"),
    ),
    // A document's file: its bytes travel apart, through /v1/files (core/src/sync/files.rs).
    shared("attachment", CasePath::Via("document_id", "document")),
    shared(
        "decision_delivery",
        CasePath::Via("decision_id", "decision"),
    ),
    shared(
        "decision_signature",
        CasePath::Via("decision_id", "decision"),
    ),
    shared("invoice", CasePath::Box),
    shared("invoice_line", CasePath::ViaBox("invoice_id", "invoice")),
    shared("proposal", CasePath::Box),
    shared("proposal_link", CasePath::ViaBox("proposal_id", "proposal")),
    shared("task", CasePath::Box),
    shared("task_link", CasePath::ViaBox("task_id", "task")),
];

/// Whether a case id is a member box (not a case of `srt_case`): the server keeps a member's
/// invoices, proposals and tasks under a case id of its own per member,
/// `00000000-0000-8000-8000-<member id in 12 hex digits>` (docs/team-protocol.md).
pub(crate) fn is_box(case_gid: &str) -> bool {
    case_gid.starts_with("00000000-0000-8000-8000-")
}

/// The member box of member `id`.
pub(crate) fn member_box(id: i64) -> String {
    format!("00000000-0000-8000-8000-{id:012x}")
}

/// SQL: this desk's own member box (NULL before it joined).
fn own_box_sql() -> String {
    "(SELECT '00000000-0000-8000-8000-' || printf('%012x', member_id) FROM sync_state WHERE id = 1 AND member_id IS NOT NULL)".into()
}

/// SQL: the box of a new row of a `Box` table (`p` is NEW or the table): a task given to a
/// member goes to that member's box, everything else to this desk's own.
fn box_sql(table: &str, p: &str) -> String {
    if table == "task" {
        format!(
            "coalesce((SELECT '00000000-0000-8000-8000-' || printf('%012x', m.id) FROM sync_member m WHERE m.login = {p}.assignee), {})",
            own_box_sql()
        )
    } else {
        own_box_sql()
    }
}

/// SQL: the further condition for a row to go into a box — a `ColumnOrBox` row only when it
/// names no case.
fn unboxed_only(s: &Shared) -> &'static str {
    if s.case == CasePath::ColumnOrBox {
        " AND case_id IS NULL"
    } else {
        ""
    }
}

/// Team-wide tables the migrations seed alike on every desk: a row of theirs that existed before
/// the join gets an id made from its table and local id, so the seeded rows are one row across
/// the team. Providers and partners are each desk's own entries: their ids are random, so two
/// desks' provider number 5 never pass for one.
const SEEDED: &[&str] = &[
    "price_list",
    "yearly_cap",
    "deadline_rule",
    "eligibility_rule",
    "decision_template",
    "meeting_template",
    "feedback_question",
];

pub(crate) fn by_table(table: &str) -> Option<&'static Shared> {
    SHARED.iter().find(|s| s.table == table)
}

pub(crate) fn by_wire(wire: &str) -> Option<&'static Shared> {
    SHARED.iter().find(|s| s.wire == wire)
}

/// A column of a shared table as the sync sees it.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    /// A foreign key to a shared table: (parent table, parent column). Its value travels as the
    /// parent row's global id.
    pub refers: Option<(String, String)>,
}

/// The columns that travel: all but the row's local integer id (unless it is also a foreign key,
/// as `assessment.case_id`), `gid` and binary columns.
pub(crate) fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let mut fks: Vec<(String, String, String)> = Vec::new();
    {
        let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>("from")?,
                r.get::<_, String>("table")?,
                r.get::<_, Option<String>>("to")?,
            ))
        })?;
        for row in rows {
            let (from, parent, to) = row?;
            fks.push((from, parent, to.unwrap_or_else(|| "id".into())));
        }
    }
    let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>("name")?,
            r.get::<_, String>("type")?,
            r.get::<_, i64>("pk")?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (name, ty, pk) = row?;
        // `box` is the row's case on the server (the change's case_id), not a column of its own.
        if name == "gid" || name == "box" || ty.eq_ignore_ascii_case("BLOB") {
            continue;
        }
        let refers = fks
            .iter()
            .find(|(from, parent, _)| *from == name && by_table(parent).is_some())
            .map(|(_, parent, to)| (parent.clone(), to.clone()));
        if pk == 1 && ty.eq_ignore_ascii_case("INTEGER") && refers.is_none() {
            continue;
        }
        out.push(Column { name, refers });
    }
    Ok(out)
}

/// The columns of each shared table, read once per push or pull (not once per row).
#[derive(Debug, Default)]
pub(crate) struct ColumnCache(std::collections::HashMap<&'static str, Vec<Column>>);

impl ColumnCache {
    pub(crate) fn of(&mut self, conn: &Connection, table: &'static str) -> Result<&[Column]> {
        if !self.0.contains_key(table) {
            let cols = columns(conn, table)?;
            self.0.insert(table, cols);
        }
        Ok(self.0.get(table).map(Vec::as_slice).unwrap_or_default())
    }
}

/// A UUID v7 made by SQLite (milliseconds since 1970, then random bits).
pub(crate) const SQL_UUID7: &str = "(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8) || '-' || \
substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4) || '-7' || \
substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || \
substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))";

const SQL_NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The global id of a team-wide row that existed before the desk joined: the same on every desk
/// for the same seeded row (every desk seeds prices, rules and templates alike), a UUID v8.
pub(crate) fn seeded_gid(table: &str, rowid: i64) -> String {
    let mut h = Sha256::new();
    h.update(format!("srt-desk/team-row/{table}/{rowid}"));
    let d = h.finalize();
    let x = hex::encode(&d[..16]);
    format!(
        "{}-{}-8{}-{:x}{}-{}",
        &x[0..8],
        &x[8..12],
        &x[13..16],
        8 + (d[8] & 3),
        &x[17..20],
        &x[20..32]
    )
}

/// The SQL expression for the case's global id of a row (`p` is NEW, OLD or the table itself).
fn case_expr(s: &Shared, p: &str, insert: bool) -> String {
    match s.case {
        CasePath::Team => "NULL".into(),
        CasePath::Own if insert => format!("(SELECT gid FROM srt_case WHERE rowid = {p}.rowid)"),
        CasePath::Own => format!("{p}.gid"),
        CasePath::Column => format!("(SELECT gid FROM srt_case WHERE id = {p}.case_id)"),
        CasePath::Child => {
            format!("(SELECT gid FROM srt_case WHERE child_id = {p}.id ORDER BY id LIMIT 1)")
        }
        CasePath::Via(col, parent) => format!(
            "(SELECT c.gid FROM \"{parent}\" x JOIN srt_case c ON c.id = x.case_id WHERE x.id = {p}.\"{col}\")"
        ),
        CasePath::Box if insert => format!(
            "(SELECT box FROM \"{}\" WHERE rowid = {p}.rowid)",
            s.table
        ),
        CasePath::Box => format!("{p}.box"),
        CasePath::ViaBox(col, parent) => {
            format!("(SELECT x.box FROM \"{parent}\" x WHERE x.id = {p}.\"{col}\")")
        }
        CasePath::ColumnOrBox if insert => format!(
            "coalesce((SELECT gid FROM srt_case WHERE id = {p}.case_id), (SELECT box FROM \"{}\" WHERE rowid = {p}.rowid))",
            s.table
        ),
        CasePath::ColumnOrBox => format!(
            "coalesce((SELECT gid FROM srt_case WHERE id = {p}.case_id), {p}.box)"
        ),
    }
}

fn json_of(cols: &[Column], p: &str) -> String {
    if cols.is_empty() {
        return "json_object()".into();
    }
    let parts: Vec<String> = cols
        .iter()
        .map(|c| format!("'{0}', {p}.\"{0}\"", c.name))
        .collect();
    format!("json_object({})", parts.join(", "))
}

/// The capture triggers of every shared table.
pub(crate) fn trigger_sql(conn: &Connection) -> Result<String> {
    let mut sql = String::new();
    let when = "(SELECT capturing FROM sync_state WHERE id = 1) = 1";
    for s in SHARED {
        let t = s.table;
        let cols = columns(conn, t)?;
        let set_box = if s.case.boxed() {
            format!(
                "UPDATE \"{t}\" SET box = {} WHERE rowid = NEW.rowid AND box IS NULL{};\n  ",
                box_sql(t, "NEW"),
                unboxed_only(s)
            )
        } else {
            String::new()
        };
        let file = if t == "attachment" {
            "\n  INSERT OR IGNORE INTO sync_file_upload (row_gid) SELECT gid FROM attachment WHERE rowid = NEW.rowid;"
        } else {
            ""
        };
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS sync_{t}_insert;
DROP TRIGGER IF EXISTS sync_{t}_update;
DROP TRIGGER IF EXISTS sync_{t}_delete;
CREATE TRIGGER sync_{t}_insert AFTER INSERT ON \"{t}\" WHEN {when}
BEGIN
  UPDATE \"{t}\" SET gid = {SQL_UUID7} WHERE rowid = NEW.rowid AND gid IS NULL;
  {set_box}INSERT INTO sync_outbox (change_id, tbl, row_gid, case_gid, op, old, new, at)
  VALUES ({SQL_UUID7}, '{t}', (SELECT gid FROM \"{t}\" WHERE rowid = NEW.rowid), {case_new_ins},
          'insert', NULL, {new}, {SQL_NOW});{file}
END;
CREATE TRIGGER sync_{t}_update AFTER UPDATE ON \"{t}\" WHEN {when} AND OLD.gid IS NOT NULL
BEGIN
  INSERT INTO sync_outbox (change_id, tbl, row_gid, case_gid, op, old, new, at)
  VALUES ({SQL_UUID7}, '{t}', NEW.gid, {case_new}, 'update', {old}, {new}, {SQL_NOW});
END;
CREATE TRIGGER sync_{t}_delete AFTER DELETE ON \"{t}\" WHEN {when} AND OLD.gid IS NOT NULL
BEGIN
  INSERT INTO sync_outbox (change_id, tbl, row_gid, case_gid, op, old, new, at)
  VALUES ({SQL_UUID7}, '{t}', OLD.gid, {case_old}, 'delete', {old}, NULL, {SQL_NOW});
END;
",
            case_new_ins = case_expr(s, "NEW", true),
            case_new = case_expr(s, "NEW", false),
            case_old = case_expr(s, "OLD", false),
            new = json_of(&cols, "NEW"),
            old = json_of(&cols, "OLD"),
        ));
    }
    Ok(sql)
}

/// Whether this desk is joined to a team.
pub(crate) fn joined(conn: &Connection) -> Result<bool> {
    crate::store::team_numbers::joined(conn)
}

/// Makes the capture triggers again when the shared tables' columns changed since they were made
/// (an upgrade); nothing is written when they are current or the desk is not joined.
pub(crate) fn ensure_triggers(conn: &Connection) -> Result<()> {
    if !joined(conn)? {
        return Ok(());
    }
    let sql = trigger_sql(conn)?;
    let sig = hex::encode(Sha256::digest(sql.as_bytes()));
    let stored: String = conn.query_row(
        "SELECT triggers_sig FROM sync_state WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    if stored != sig {
        conn.execute_batch(&format!(
            "SAVEPOINT sync_triggers; {sql} UPDATE sync_state SET triggers_sig = '{sig}' WHERE id = 1; RELEASE sync_triggers;"
        ))?;
    }
    Ok(())
}

/// At join: global ids for the rows that have none (seeded ones for team-wide rows, v7 for case
/// rows), then every existing row into the outbox as an insert, parents first: the desk's cases
/// go up with its first push. `with_team_data` (the lead's desk): the seeded team-wide rows too.
pub(crate) fn enqueue_existing(conn: &Connection, with_team_data: bool) -> Result<usize> {
    let mut queued = 0;
    for s in SHARED {
        let t = s.table;
        if SEEDED.contains(&t) {
            let ids: Vec<i64> = conn
                .prepare(&format!("SELECT rowid FROM \"{t}\" WHERE gid IS NULL"))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                conn.execute(
                    &format!("UPDATE \"{t}\" SET gid = ?1 WHERE rowid = ?2"),
                    params![seeded_gid(t, id), id],
                )?;
            }
        } else {
            conn.execute(
                &format!("UPDATE \"{t}\" SET gid = {SQL_UUID7} WHERE gid IS NULL"),
                [],
            )?;
        }
        if s.case.boxed() {
            conn.execute(
                &format!(
                    "UPDATE \"{t}\" SET box = {} WHERE box IS NULL{}",
                    box_sql(t, &format!("\"{t}\"")),
                    unboxed_only(s)
                ),
                [],
            )?;
        }
        if t == "attachment" {
            conn.execute(
                "INSERT OR IGNORE INTO sync_file_upload (row_gid) SELECT gid FROM attachment",
                [],
            )?;
        }
        // A coordinator's desk sends the team-wide rows of its own (providers, partners: made
        // before the join, random ids), not the seeded ones every desk has alike: the server
        // takes them as new rows in the device's first upload (docs/team-protocol.md, "Join").
        if s.case == CasePath::Team && !with_team_data && SEEDED.contains(&t) {
            continue;
        }
        let cols = columns(conn, t)?;
        queued += conn.execute(
            &format!(
                "INSERT INTO sync_outbox (change_id, tbl, row_gid, case_gid, op, old, new, at)
                 SELECT {SQL_UUID7}, '{t}', gid, {case}, 'insert', NULL, {new}, {SQL_NOW}
                 FROM \"{t}\" ORDER BY rowid",
                case = case_expr(s, &format!("\"{t}\""), false),
                new = json_of(&cols, &format!("\"{t}\"")),
            ),
            [],
        )?;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == vec![8, 4, 4, 4, 12]
            && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    }

    /// A desk as a migration leaves it, with one provider of its own entered.
    fn desk_with_provider(name: &str, registry_code: &str) -> Connection {
        let mut conn = Connection::open_in_memory().expect("db");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        conn.execute(
            "INSERT INTO provider (name, registry_code, created_at, updated_at)
             VALUES (?1, ?2, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
            [name, registry_code],
        )
        .expect("provider");
        conn
    }

    fn gids(conn: &Connection, table: &str) -> Vec<String> {
        conn.prepare(&format!("SELECT gid FROM {table} ORDER BY rowid"))
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("gids")
    }

    #[test]
    fn seeded_rows_are_one_row_across_desks_and_each_desks_providers_are_its_own() {
        let a = desk_with_provider("Näidis OÜ", "10000001");
        let b = desk_with_provider("Proov MTÜ", "10000002");
        enqueue_existing(&a, true).expect("a joins");
        enqueue_existing(&b, true).expect("b joins");
        for table in SEEDED {
            let (ga, gb) = (gids(&a, table), gids(&b, table));
            assert!(!ga.is_empty(), "{table} is seeded");
            assert_eq!(ga, gb, "{table}");
        }
        // Both desks' first provider has local id 1; they are different providers.
        assert_ne!(gids(&a, "provider"), gids(&b, "provider"));
        let queued: i64 = a
            .query_row(
                "SELECT count(*) FROM sync_outbox WHERE tbl = 'provider' AND op = 'insert'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(queued, 1);
    }

    #[test]
    fn ids_are_uuids_of_their_version() {
        let conn = Connection::open_in_memory().expect("db");
        let b: String = conn
            .query_row(&format!("SELECT {SQL_UUID7}"), [], |r| r.get(0))
            .expect("sql uuid");
        assert!(is_uuid(&b), "{b}");
        assert_eq!(&b[14..15], "7");
        // The first 48 bits are the milliseconds since 1970.
        let ms = i64::from_str_radix(&(b[0..8].to_string() + &b[9..13]), 16).expect("hex");
        assert!((ms - chrono::Utc::now().timestamp_millis()).abs() < 60_000);
        let s = seeded_gid("price_list", 3);
        assert!(is_uuid(&s), "{s}");
        assert_eq!(s, seeded_gid("price_list", 3));
        assert_ne!(s, seeded_gid("price_list", 4));
    }
}
