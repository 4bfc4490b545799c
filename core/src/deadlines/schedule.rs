//! Which legal deadlines a case has now, computed from its facts and the dated rules, and the
//! stored deadlines the dashboard and the case list read (case_deadline, migration 013), computed
//! again only for the cases whose facts changed since ([`refresh_deadlines`]). The case view
//! computes a case's deadlines from its facts each time.

use crate::store::cached::CachedSql;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::deadlines::rules::RuleBook;
use crate::deadlines::{self, Period, Unit};
use crate::error::{Localized, Result};

/// One deadline of a case as the UI shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseDeadline {
    pub kind: String,
    pub due: NaiveDate,
    pub days_left: i64,
    /// "running", "stopped" (the clock waits for the applicant) or "met".
    pub state: String,
    pub title: Localized,
    pub explanation: Localized,
    pub legal_ref: String,
}

/// The facts of a case that its deadlines depend on.
#[derive(Debug, Clone)]
pub struct DeadlineFacts {
    pub case_id: i64,
    pub status: String,
    pub application_date: NaiveDate,
    pub complete_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub missing_request: Option<(NaiveDate, NaiveDate)>,
    /// The case's decision is a refusal: no provider to choose.
    pub refused: bool,
}

const FACTS_SQL: &str = "
    SELECT c.id, c.status, c.application_date, c.complete_on,
           -- Decisions: the challenge and provider deadlines count from the delivery of the
           -- referral or refusal; before it is delivered they have not started.
           CASE WHEN EXISTS (SELECT 1 FROM decision x WHERE x.case_id = c.id AND x.status <> 'draft'
                               AND x.kind IN ('referral', 'refusal'))
                THEN (SELECT max(x.delivered_on) FROM decision x WHERE x.case_id = c.id
                        AND +x.status = 'sent' AND x.kind IN ('referral', 'refusal'))
                ELSE (SELECT date(max(h.changed_at)) FROM case_status_change h WHERE h.case_id = c.id AND +h.to_status = 'decided')
           END,
           (SELECT d.doc_date FROM document d WHERE d.case_id = c.id AND d.doc_type = 'missing_request'
              AND +d.status = 'open' AND +d.due_date IS NOT NULL ORDER BY d.id DESC LIMIT 1),
           (SELECT d.due_date FROM document d WHERE d.case_id = c.id AND d.doc_type = 'missing_request'
              AND +d.status = 'open' AND +d.due_date IS NOT NULL ORDER BY d.id DESC LIMIT 1),
           coalesce((SELECT x.kind = 'refusal' FROM decision x WHERE x.case_id = c.id AND x.status <> 'draft'
                       AND x.kind IN ('referral', 'refusal') ORDER BY x.id DESC LIMIT 1), 0)
    FROM srt_case c";
// The unary `+` keeps the planner on the per-case indexes (document_case, decision_case): with the
// status indexes it would walk every open document of the whole desk for each case (seen: 50 µs a
// case at 100 000), or every sent decision for the newest delivery (seen: 340 µs a case, the
// dashboard at 0.5 s with 100 000 decisions).

fn facts_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeadlineFacts> {
    let sent: Option<NaiveDate> = r.get(5)?;
    let due: Option<NaiveDate> = r.get(6)?;
    Ok(DeadlineFacts {
        case_id: r.get(0)?,
        status: r.get(1)?,
        application_date: r.get(2)?,
        complete_on: r.get(3)?,
        decided_on: r
            .get::<_, Option<String>>(4)?
            .and_then(|s| crate::values::parse_date(&s)),
        missing_request: sent.zip(due),
        refused: r.get(7)?,
    })
}

pub fn facts(conn: &Connection, case_id: i64) -> Result<DeadlineFacts> {
    Ok(conn.query_row_cached(
        &format!("{FACTS_SQL} WHERE c.id = ?1"),
        [case_id],
        facts_from_row,
    )?)
}

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub(crate) fn from_rule(
    book: &RuleBook,
    code: &str,
    event: NaiveDate,
    fallback: Period,
) -> (deadlines::Deadline, Localized, String) {
    let (period, name, legal) = match book.rule(code, event) {
        Some(r) => (r.period(), r.name.clone(), r.legal_ref.clone()),
        None => (fallback, Localized::new(code, code), String::new()),
    };
    let d = deadlines::deadline(event, period, &name, &legal);
    (d, name, legal)
}

/// The deadlines of one case, the next one to act on first.
pub fn case_deadlines(book: &RuleBook, f: &DeadlineFacts, today: NaiveDate) -> Vec<CaseDeadline> {
    undated_deadlines(book, f)
        .into_iter()
        .filter_map(|d| on_day(d, today))
        .collect()
}

/// A deadline as it stands on `today`: its days left, or None for a challenge period that is
/// over (the only deadline that leaves the list by itself).
fn on_day(mut d: CaseDeadline, today: NaiveDate) -> Option<CaseDeadline> {
    if d.kind == "challenge_period" && d.due < today {
        return None;
    }
    d.days_left = deadlines::days_left(d.due, today);
    Some(d)
}

/// The deadlines of one case from its facts alone, whatever the day (days_left is 0): what
/// [`refresh_deadlines`] stores.
fn undated_deadlines(book: &RuleBook, f: &DeadlineFacts) -> Vec<CaseDeadline> {
    let mut out = Vec::new();
    let open = f.status != "closed";
    let mk = |kind: &str,
              d: &deadlines::Deadline,
              title: Localized,
              legal: String,
              state: &str,
              extra: Option<Localized>| {
        let explanation = match extra {
            Some(x) => Localized::new(
                format!("{} {}", d.explanation.et, x.et),
                format!("{} {}", d.explanation.en, x.en),
            ),
            None => d.explanation.clone(),
        };
        CaseDeadline {
            kind: kind.into(),
            due: d.due,
            days_left: 0,
            state: state.into(),
            title,
            explanation,
            legal_ref: legal,
        }
    };
    if !open {
        return out;
    }
    // The decision: N working days after the application is complete. While documents are
    // missing the clock is stopped and starts again from the day they arrive.
    match f.status.as_str() {
        "received" | "in_assessment" | "incomplete" => {
            let event = f.complete_on.unwrap_or(f.application_date);
            let (d, name, legal) = from_rule(
                book,
                "decision_due",
                event,
                Period {
                    count: 10,
                    unit: Unit::WorkingDays,
                },
            );
            if f.status == "incomplete" {
                out.push(mk(
                    "decision_due",
                    &d,
                    name,
                    legal,
                    "stopped",
                    Some(Localized::new(
                        "Tähtaeg on peatatud, kuni taotleja esitab puuduvad dokumendid; see algab uuesti nende saabumise päevast.",
                        "The clock is stopped until the applicant sends the missing documents; it starts again from the day they arrive.",
                    )),
                ));
            } else {
                out.push(mk("decision_due", &d, name, legal, "running", None));
            }
        }
        _ => {}
    }
    if let (true, Some((sent, due))) = (f.status == "incomplete", f.missing_request) {
        let legal = book
            .rule("missing_documents", sent)
            .map(|r| r.legal_ref.clone())
            .unwrap_or_default();
        out.push(CaseDeadline {
            kind: "missing_documents".into(),
            due,
            days_left: 0,
            state: "running".into(),
            title: Localized::new("Puuduvate dokumentide tähtaeg", "Missing documents due"),
            explanation: Localized::new(
                format!("Taotlejale {} saadetud nõudes antud tähtaeg puuduste kõrvaldamiseks ({legal}).", fmt(sent)),
                format!("The deadline given to the applicant to fix the application in the request of {} ({legal}).", fmt(sent)),
            ),
            legal_ref: legal,
        });
    }
    if let Some(decided) = f.decided_on {
        if f.status == "decided" && !f.refused {
            let (d, name, legal) = from_rule(
                book,
                "provider_registration",
                decided,
                Period {
                    count: 60,
                    unit: Unit::CalendarDays,
                },
            );
            out.push(mk(
                "provider_registration",
                &d,
                name,
                legal,
                "running",
                None,
            ));
        }
        let (d, name, legal) = from_rule(
            book,
            "challenge_period",
            decided,
            Period {
                count: 30,
                unit: Unit::CalendarDays,
            },
        );
        out.push(mk("challenge_period", &d, name, legal, "running", None));
    }
    out.sort_by_key(|d| (d.state != "running", d.due));
    out
}

/// The first running deadline of a case.
pub fn next_deadline(list: &[CaseDeadline]) -> Option<CaseDeadline> {
    list.iter().find(|d| d.state == "running").cloned()
}

/// How far ahead the dashboard looks: overdue, today, this week, and later within this many days.
pub const LATER_DAYS: i64 = 30;

/// One case's deadline on the dashboard, with the case's number and the child's name.
pub(crate) type CaseItem = (i64, String, String, CaseDeadline);

/// A running deadline that belongs on the dashboard on `today`.
pub(crate) fn shown(d: &CaseDeadline) -> bool {
    d.state == "running" && d.days_left <= LATER_DAYS
}

pub(crate) fn live_items(conn: &Connection, today: NaiveDate) -> Result<Vec<CaseItem>> {
    let book = RuleBook::load(conn)?;
    // Later statuses have no deadline the dashboard shows. The challenge period is shown: a
    // challenge that comes in it must be answered, and it closes the decision's file.
    let mut stmt = conn.prepare_cached(&format!(
        "{FACTS_SQL} INDEXED BY srt_case_status WHERE c.status IN ({OPEN_STATUSES})"
    ))?;
    // INDEXED BY: without it the planner prefers a scan of the statistics' covering index
    // (srt_case_stats, which holds the status too) over the few open cases (seen: 2 s).
    let facts = stmt
        .query_map([], facts_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut names = conn.prepare_cached(
        "SELECT c.case_no, ch.first_name || ' ' || ch.last_name FROM srt_case c JOIN child ch ON ch.id = c.child_id WHERE c.id = ?1",
    )?;
    let mut items = Vec::new();
    for f in &facts {
        for d in case_deadlines(&book, f, today) {
            if !shown(&d) {
                continue;
            }
            let (case_no, child_name): (String, String) =
                names.query_row(params![f.case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            items.push((f.case_id, case_no, child_name, d));
        }
    }
    Ok(items)
}

/// The statuses whose cases have deadlines on the dashboard.
const OPEN_STATUSES: &str = "'received', 'incomplete', 'in_assessment', 'decided'";

/// Compute again the stored deadlines of the cases the triggers of migration 013 marked, in one
/// savepoint. Returns how many cases were brought up to date.
pub fn refresh_deadlines(conn: &Connection) -> Result<usize> {
    let marked: i64 = conn
        .prepare_cached("SELECT count(*) FROM case_deadline_dirty")?
        .query_row([], |r| r.get(0))?;
    if marked == 0 {
        return Ok(0);
    }
    crate::store::in_savepoint(conn, "deadline_refresh", || {
        let book = RuleBook::load(conn)?;
        conn.execute_cached(
            "DELETE FROM case_deadline WHERE case_id IN (SELECT case_id FROM case_deadline_dirty)",
            [],
        )?;
        let mut stmt = conn.prepare_cached(&format!(
            "{FACTS_SQL} JOIN case_deadline_dirty k ON k.case_id = c.id
             WHERE c.status IN ({OPEN_STATUSES})"
        ))?;
        let facts = stmt
            .query_map([], facts_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut names = conn.prepare_cached(
            "SELECT c.case_no, ch.first_name || ' ' || ch.last_name
             FROM srt_case c JOIN child ch ON ch.id = c.child_id WHERE c.id = ?1",
        )?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO case_deadline (case_id, case_no, child_name, kind, due, state, title_et,
                title_en, explanation_et, explanation_en, legal_ref)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for f in &facts {
            let deadlines = undated_deadlines(&book, f);
            if deadlines.is_empty() {
                continue;
            }
            let (case_no, child_name): (String, String) =
                names.query_row([f.case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for d in deadlines {
                insert.execute(params![
                    f.case_id,
                    case_no,
                    child_name,
                    d.kind,
                    d.due.to_string(),
                    d.state,
                    d.title.et,
                    d.title.en,
                    d.explanation.et,
                    d.explanation.en,
                    d.legal_ref,
                ])?;
            }
        }
        conn.execute_cached("DELETE FROM case_deadline_dirty", [])?;
        Ok(marked as usize)
    })
}

/// The stored deadlines that belong on the dashboard on `today`.
pub(crate) fn stored_items(conn: &Connection, today: NaiveDate) -> Result<Vec<CaseItem>> {
    let horizon = (today + chrono::Duration::days(LATER_DAYS)).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, case_no, child_name, kind, due, state, title_et, title_en, explanation_et,
                explanation_en, legal_ref
         FROM case_deadline WHERE state = 'running' AND due <= ?1",
    )?;
    let rows = stmt.query_map([horizon], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            CaseDeadline {
                kind: r.get(3)?,
                due: r.get(4)?,
                days_left: 0,
                state: r.get(5)?,
                title: Localized::new(r.get::<_, String>(6)?, r.get::<_, String>(7)?),
                explanation: Localized::new(r.get::<_, String>(8)?, r.get::<_, String>(9)?),
                legal_ref: r.get(10)?,
            },
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (case_id, case_no, child_name, d) = row?;
        if let Some(d) = on_day(d, today).filter(shown) {
            items.push((case_id, case_no, child_name, d));
        }
    }
    Ok(items)
}
