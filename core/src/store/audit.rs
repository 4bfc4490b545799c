//! The append-only audit log: every read of a case, every change and every export leaves a row.
//! Rows are hash-chained (each hash covers the previous one), so an edited or removed row is
//! detected by [`verify`]. Owns the table audit_log.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::Result;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn row_hash(
    prev: &str,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, at, actor, action, entity, entity_id, detail] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Append one event.
pub fn record(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<()> {
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let hash = row_hash(&prev, &at, actor, action, entity, entity_id, detail);
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail, prev_hash, hash,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?1, ?1)",
    )?
    .execute(params![
        at, actor, action, entity, entity_id, detail, prev, hash
    ])?;
    Ok(())
}

/// The result of walking the chain: the number of rows and the first broken one, if any.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditCheck {
    pub rows: i64,
    pub first_broken_id: Option<i64>,
}

pub fn verify(conn: &Connection) -> Result<AuditCheck> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, action, entity, entity_id, detail, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut n = 0;
    while let Some(r) = rows.next()? {
        n += 1;
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(7)?;
        let stored: String = r.get(8)?;
        let expect = row_hash(
            &prev,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            &r.get::<_, String>(6)?,
        );
        if stored_prev != prev || stored != expect {
            return Ok(AuditCheck {
                rows: n,
                first_broken_id: Some(id),
            });
        }
        prev = stored;
    }
    Ok(AuditCheck {
        rows: n,
        first_broken_id: None,
    })
}

/// The latest row of `action` about `entity` `entity_id`: its time and detail (the opening of a
/// colleague's case and its reason, for the case's page).
pub fn latest(
    conn: &Connection,
    action: &str,
    entity: &str,
    entity_id: &str,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT at, detail FROM audit_log
             WHERE action = ?1 AND entity = ?2 AND entity_id = ?3 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([action, entity, entity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Which audit rows to show: one case, one day, one action; newest first, a page at a time.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditFilter {
    pub case_id: Option<i64>,
    /// A day (YYYY-MM-DD, UTC).
    pub day: String,
    pub action: String,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
    /// The case number when the row is about a case.
    pub case_no: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub total: i64,
    pub rows: Vec<AuditRow>,
    /// Every action that occurs in the log, for the filter.
    pub actions: Vec<String>,
}

pub fn list(conn: &Connection, filter: &AuditFilter) -> Result<AuditPage> {
    let day = filter.day.trim();
    if !day.is_empty() && chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
        return Err(crate::Error::Validation(vec![crate::values::date_error(
            "day", day,
        )]));
    }
    // Only the conditions asked for, each one an index can search (migration 017): with
    // `(?1 = '' OR ...)` the planner walks the whole log for every filter.
    let case = filter.case_id.map(|c| c.to_string());
    let day_end = format!("{day}U"); // after every "YYYY-MM-DDT..." of that day
    let action = filter.action.trim();
    let mut conditions: Vec<&str> = Vec::new();
    let mut args: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(case) = &case {
        conditions.push("entity = 'case' AND entity_id = :case");
        args.push((":case", case));
    }
    if !day.is_empty() {
        conditions.push("at >= :day AND at < :day_end");
        args.push((":day", &day));
        args.push((":day_end", &day_end));
    }
    if !action.is_empty() {
        conditions.push("action = :action");
        args.push((":action", &action));
    }
    let where_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let args = args.as_slice();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM audit_log {where_sql}"))?
        .query_row(args, |r| r.get(0))?;
    let limit = filter.limit.unwrap_or(100).clamp(1, 1000);
    let offset = filter.offset.unwrap_or(0);
    let mut args = args.to_vec();
    args.push((":limit", &limit));
    args.push((":offset", &offset));
    let args = args.as_slice();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.detail,
                (SELECT c.case_no FROM srt_case c WHERE a.entity = 'case' AND c.id = CAST(a.entity_id AS INTEGER))
         FROM (SELECT * FROM audit_log {where_sql} ORDER BY id DESC LIMIT :limit OFFSET :offset) a
         ORDER BY a.id DESC"
    ))?;
    let rows = stmt
        .query_map(args, |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                detail: r.get(6)?,
                case_no: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // From one action to the next in the index: a seek each, not a walk of the log.
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE a(action) AS (
           SELECT min(action) FROM audit_log
           UNION ALL
           SELECT (SELECT min(l.action) FROM audit_log l WHERE l.action > a.action)
           FROM a WHERE a.action IS NOT NULL)
         SELECT action FROM a WHERE action IS NOT NULL",
    )?;
    let actions = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(AuditPage {
        total,
        rows,
        actions,
    })
}
