//! Each case's facts as the statistics count them, one narrow row per case (migration 015): when
//! it was applied for and complete, its route and municipality, its current provider and start of
//! service, its first referral or refusal, and whether and when it was closed. Triggers mark a
//! case whose facts changed; [`refresh`] computes the marked cases again from their facts before
//! the statistics read ([`crate::stats::compute`]).

use crate::store::cached::CachedSql;
use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::error::Result;

/// From this many marked cases on (a new or upgraded desk, the demo data) the rows are computed
/// from one pass over each table rather than case by case: 100 000 cases take half a second
/// instead of twelve.
const BULK_FROM: i64 = 4096;

/// One case's row, computed from its facts. The rules are the statistics' own: the newest
/// provider choice is the current one; the first decision is the earliest approved or sent
/// referral or refusal with a date (then the lowest id); a closed case was closed on the day of
/// its last closing, or all along when none is recorded.
const CASE_ROW_SQL: &str = "
    SELECT c.id, c.application_date, coalesce(c.complete_on, c.application_date), c.route_kind,
           coalesce(ch.municipality_code, c.kov_municipality_code, ''),
           pc.provider_id, pc.service_start, fd.decision_date, fd.id,
           CASE WHEN c.status = 'closed' THEN
               coalesce((SELECT substr(max(s.changed_at), 1, 10) FROM case_status_change s
                         WHERE s.case_id = c.id AND +s.to_status = 'closed'), '')
           END
    FROM stats_case_dirty k JOIN srt_case c ON c.id = k.case_id
    LEFT JOIN child ch ON ch.id = c.child_id
    LEFT JOIN provider_choice pc
           ON pc.id = (SELECT max(p.id) FROM provider_choice p WHERE p.case_id = c.id)
    LEFT JOIN decision fd
           ON fd.id = (SELECT d.id FROM decision d INDEXED BY decision_case
                       WHERE d.case_id = c.id AND d.kind IN ('referral', 'refusal')
                         AND d.status IN ('approved', 'sent') AND d.decision_date IS NOT NULL
                       ORDER BY d.decision_date, d.id LIMIT 1)";

const INSERT_SQL: &str = "INSERT INTO stats_case (case_id, applied, complete, route, municipality,
    provider_id, service_start, first_decision, first_decision_id, closed_on)";

/// Compute again the cases the triggers marked, in one savepoint. Returns how many.
pub fn refresh(conn: &Connection) -> Result<usize> {
    let marked: i64 = conn
        .prepare_cached("SELECT count(*) FROM stats_case_dirty")?
        .query_row([], |r| r.get(0))?;
    if marked == 0 {
        return Ok(0);
    }
    refresh_marked(conn, marked >= BULK_FROM)?;
    Ok(marked as usize)
}

/// [`refresh`] case by case, or in bulk (the test holds the two equal).
fn refresh_marked(conn: &Connection, bulk: bool) -> Result<()> {
    crate::store::in_savepoint(conn, "stats_case_refresh", || {
        conn.execute_cached(
            "DELETE FROM stats_case WHERE case_id IN (SELECT case_id FROM stats_case_dirty)",
            [],
        )?;
        if bulk {
            insert_in_bulk(conn)?;
        } else {
            conn.execute_cached(&format!("{INSERT_SQL} {CASE_ROW_SQL}"), [])?;
        }
        conn.execute_cached("DELETE FROM stats_case_dirty", [])?;
        Ok(())
    })
}

/// The rows of the marked cases, by the rules of [`CASE_ROW_SQL`], from one pass over the
/// narrow indexes of each table (migration 012) instead of a search per case.
fn insert_in_bulk(conn: &Connection) -> Result<()> {
    let mut municipality: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, municipality_code FROM child INDEXED BY child_municipality
         WHERE municipality_code IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        municipality.insert(r.get(0)?, r.get(1)?);
    }
    // The newest choice: later rows (by id within a case) overwrite earlier ones.
    let mut choice: HashMap<i64, (Option<i64>, Option<String>)> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, provider_id, service_start FROM provider_choice
         INDEXED BY provider_choice_stats ORDER BY case_id, id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        choice.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
    }
    let mut first: HashMap<i64, (String, i64)> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, decision_date, id FROM decision INDEXED BY decision_stats
         WHERE kind IN ('referral', 'refusal') AND status IN ('approved', 'sent')
           AND decision_date IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let found: (String, i64) = (r.get(1)?, r.get(2)?);
        match first.get_mut(&r.get(0)?) {
            Some(earliest) if *earliest <= found => {}
            Some(earliest) => *earliest = found,
            None => {
                first.insert(r.get(0)?, found);
            }
        }
    }
    let mut closing: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, changed_at FROM case_status_change INDEXED BY case_status_change_closed
         WHERE to_status = 'closed'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let at: String = r.get(1)?;
        let last = closing.entry(r.get(0)?).or_default();
        if at > *last {
            *last = at;
        }
    }
    let mut insert = conn.prepare_cached(&format!(
        "{INSERT_SQL} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.application_date, coalesce(c.complete_on, c.application_date), c.route_kind,
                c.child_id, coalesce(c.kov_municipality_code, ''), c.status = 'closed'
         FROM srt_case c INDEXED BY srt_case_stats JOIN stats_case_dirty k ON k.case_id = c.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let kov: String = r.get(5)?;
        let (provider, start) = choice.remove(&id).unwrap_or_default();
        let (first_date, first_id) = match first.remove(&id) {
            Some((date, decision)) => (Some(date), Some(decision)),
            None => (None, None),
        };
        let closed_on = if r.get::<_, bool>(6)? {
            Some(
                closing
                    .get(&id)
                    .map(|at| at.chars().take(10).collect::<String>())
                    .unwrap_or_default(),
            )
        } else {
            None
        };
        insert.execute(params![
            id,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            municipality.get(&r.get::<_, i64>(4)?).unwrap_or(&kov),
            provider,
            start,
            first_date,
            first_id,
            closed_on,
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row as it is stored, in case order.
    fn stored(conn: &Connection) -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = conn
            .prepare("SELECT * FROM stats_case ORDER BY case_id")
            .expect("prepare");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .expect("query")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows");
        rows
    }

    /// The rows kept case by case equal the rows computed from scratch in bulk, at the start and
    /// after each kind of change the triggers must see.
    #[test]
    fn kept_rows_follow_every_fact_they_are_made_of() {
        let conn = crate::stats::fixture::march_2026();
        refresh_marked(&conn, false).expect("refresh case by case");
        let from_scratch = |conn: &Connection| {
            let kept = stored(conn);
            conn.execute_batch(
                "INSERT OR IGNORE INTO stats_case_dirty (case_id) SELECT case_id FROM stats_case;
                 INSERT OR IGNORE INTO stats_case_dirty (case_id) SELECT id FROM srt_case;",
            )
            .expect("mark all");
            refresh_marked(conn, true).expect("refresh all in bulk");
            (kept, stored(conn))
        };
        let (kept, fresh) = from_scratch(&conn);
        assert_eq!(kept, fresh);
        assert!(!kept.is_empty(), "the fixture has cases");
        let t = crate::stats::fixture::T;
        let changes: Vec<(&str, String)> = vec![
            ("application date", "UPDATE srt_case SET application_date = '2025-02-03' WHERE id = 1".into()),
            ("complete day", "UPDATE srt_case SET complete_on = '2025-02-20' WHERE id = 2".into()),
            ("route", "UPDATE srt_case SET route_kind = 'kov', kov_municipality_code = '0784' WHERE id = 1".into()),
            ("child's municipality", "UPDATE child SET municipality_code = '0793' WHERE id = (SELECT child_id FROM srt_case WHERE id = 2)".into()),
            ("child's municipality gone", "UPDATE child SET municipality_code = NULL WHERE id = (SELECT child_id FROM srt_case WHERE id = 1)".into()),
            ("provider chosen", format!("INSERT INTO provider_choice (case_id, provider_id, service_start, created_at, updated_at)
                 VALUES (1, (SELECT min(id) FROM provider), '2025-06-01', '{t}', '{t}')")),
            ("start of service moved", "UPDATE provider_choice SET service_start = '2025-07-01' WHERE case_id = 1".into()),
            ("choice withdrawn", "DELETE FROM provider_choice WHERE case_id = 1".into()),
            ("decision date", "UPDATE decision SET decision_date = '2025-01-02' WHERE id = (SELECT max(id) FROM decision WHERE kind = 'referral')".into()),
            ("decision back to draft", "UPDATE decision SET status = 'draft' WHERE id = (SELECT min(id) FROM decision WHERE status IN ('approved', 'sent'))".into()),
            ("decision kind", "UPDATE decision SET kind = 'amendment' WHERE id = (SELECT min(id) FROM decision WHERE kind = 'referral' AND status IN ('approved', 'sent'))".into()),
            ("decision deleted", "DELETE FROM decision WHERE id = (SELECT max(id) FROM decision)".into()),
            ("closed", format!("UPDATE srt_case SET status = 'closed' WHERE id = 2;
                 INSERT INTO case_status_change (case_id, from_status, to_status, changed_at, created_at, updated_at)
                 VALUES (2, 'in_service', 'closed', '2025-09-30T10:00:00Z', '{t}', '{t}')")),
            ("closing moved", "UPDATE case_status_change SET changed_at = '2025-10-31T10:00:00Z' WHERE case_id = 2 AND to_status = 'closed'".into()),
            ("closing forgotten", "DELETE FROM case_status_change WHERE case_id = 2 AND to_status = 'closed'".into()),
            ("reopened", "UPDATE srt_case SET status = 'in_service' WHERE id = 2".into()),
            ("case deleted", "DELETE FROM srt_case WHERE id = (SELECT max(id) FROM srt_case)".into()),
        ];
        for (what, sql) in changes {
            conn.execute_batch(&sql)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            refresh(&conn).expect("refresh");
            let (kept, fresh) = from_scratch(&conn);
            assert_eq!(kept, fresh, "after: {what}");
        }
    }
}
