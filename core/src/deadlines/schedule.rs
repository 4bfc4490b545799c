//! Which legal deadlines a case has now, computed from its facts and the dated rules, and the
//! dashboard of what needs the coordinator today. The case view computes a case's deadlines from
//! its facts each time; the dashboard reads them stored (case_deadline, migration 013), computed
//! again only for the cases whose facts changed since ([`refresh_deadlines`]).

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

fn from_rule(
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

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardItem {
    pub case_id: i64,
    pub case_no: String,
    pub child_name: String,
    pub due: NaiveDate,
    pub days_left: i64,
    pub urgency: String,
    pub title: Localized,
    pub explanation: Localized,
    /// A contact follow-up about a provider or a partner (no case): whom it is about, so the row
    /// opens that provider's page or that partner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<i64>,
}

impl DashboardItem {
    /// A case's deadline as a dashboard row, with its urgency as counted.
    fn of(
        case_id: i64,
        case_no: String,
        child_name: String,
        d: CaseDeadline,
        urgency: &str,
    ) -> Self {
        DashboardItem {
            case_id,
            case_no,
            child_name,
            due: d.due,
            days_left: d.days_left,
            urgency: urgency.into(),
            title: d.title,
            explanation: d.explanation,
            provider_id: None,
            partner_id: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardGroup {
    pub kind: String,
    pub title: Localized,
    pub items: Vec<DashboardItem>,
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UrgencyCounts {
    pub overdue: usize,
    pub today: usize,
    pub week: usize,
    pub later: usize,
}

impl UrgencyCounts {
    /// The urgency of a deadline `days_left` days away, counted in its group.
    fn count(&mut self, days_left: i64) -> &'static str {
        match days_left {
            n if n < 0 => {
                self.overdue += 1;
                "overdue"
            }
            0 => {
                self.today += 1;
                "today"
            }
            n if n <= 7 => {
                self.week += 1;
                "week"
            }
            _ => {
                self.later += 1;
                "later"
            }
        }
    }
}

/// How far ahead the dashboard looks: overdue, today, this week, and later within this many days.
pub const LATER_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub today: NaiveDate,
    pub counts: UrgencyCounts,
    pub groups: Vec<DashboardGroup>,
    /// Meetings: the open agreed actions, until done.
    pub actions: Vec<crate::meetings::DueAction>,
    /// Tasks: the coordinator's own open tasks due within the horizon, counted with the deadlines.
    pub tasks: Vec<crate::work::tasks::Task>,
    /// Tasks: open tasks without a due date (their own small list, not counted).
    pub undated_tasks: Vec<crate::work::tasks::Task>,
}

fn group_title(kind: &str) -> Localized {
    match kind {
        "decision_due" => Localized::new("Otsuse tähtaeg", "Decision due"),
        "missing_documents" => {
            Localized::new("Puuduvate dokumentide tähtaeg", "Missing documents due")
        }
        "provider_registration" => Localized::new(
            "Teenuseosutaja juurde registreerumine",
            "Registration with a provider",
        ),
        "challenge_period" => Localized::new("Vaidlustamise tähtaeg", "Challenge period"),
        "referral_end" => Localized::new("Suunamise lõpp", "Referral ending"),
        "document_due" => Localized::new("Dokumentide tähtajad", "Documents due"),
        _ => Localized::new("Muu", "Other"),
    }
}

/// One case's deadline on the dashboard, with the case's number and the child's name.
type CaseItem = (i64, String, String, CaseDeadline);

/// What needs the coordinator: deadlines overdue, due today, within a week and later within
/// [`LATER_DAYS`], grouped by kind, most urgent first. The case deadlines come from the stored
/// table, brought up to date first; where it cannot be written (a read-only file) they are
/// computed from the facts as [`dashboard_live`] does.
pub fn dashboard(conn: &Connection, today: NaiveDate) -> Result<Dashboard> {
    let items = match refresh_deadlines(conn) {
        Ok(_) => stored_items(conn, today)?,
        Err(_) => live_items(conn, today)?,
    };
    assemble(conn, today, items)
}

/// The same dashboard with every open case's deadlines computed from its facts now, without the
/// stored table (what the dashboard did before it; the tests hold the two equal).
pub fn dashboard_live(conn: &Connection, today: NaiveDate) -> Result<Dashboard> {
    let items = live_items(conn, today)?;
    assemble(conn, today, items)
}

/// A running deadline that belongs on the dashboard on `today`.
fn shown(d: &CaseDeadline) -> bool {
    d.state == "running" && d.days_left <= LATER_DAYS
}

fn live_items(conn: &Connection, today: NaiveDate) -> Result<Vec<CaseItem>> {
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
fn stored_items(conn: &Connection, today: NaiveDate) -> Result<Vec<CaseItem>> {
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

/// The dashboard around the case deadlines: groups, documents due, providers, meetings, tasks.
fn assemble(conn: &Connection, today: NaiveDate, items: Vec<CaseItem>) -> Result<Dashboard> {
    let mut counts = UrgencyCounts::default();
    let mut groups: Vec<DashboardGroup> = Vec::new();
    for (case_id, case_no, child_name, d) in items {
        let urgency = counts.count(d.days_left);
        let kind = d.kind.clone();
        push_item(
            &mut groups,
            &kind,
            group_title(&kind),
            DashboardItem::of(case_id, case_no, child_name, d, urgency),
        );
    }
    // Other documents with a due date (a letter to answer, a report to check), until marked done.
    let mut stmt = conn.prepare_cached(
        "SELECT d.case_id, c.case_no, ch.first_name || ' ' || ch.last_name, d.due_date, d.title, d.reg_no
         FROM document d JOIN srt_case c ON c.id = d.case_id JOIN child ch ON ch.id = c.child_id
         WHERE d.status = 'open' AND d.due_date IS NOT NULL AND d.doc_type <> 'missing_request'
           AND c.status <> 'closed' AND d.due_date <= ?1",
    )?;
    let horizon = (today + chrono::Duration::days(LATER_DAYS)).to_string();
    let docs = stmt
        .query_map([horizon], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, NaiveDate>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case_id, case_no, child_name, due, title, reg_no) in docs {
        let days_left = deadlines::days_left(due, today);
        let urgency = counts.count(days_left);
        let item = DashboardItem {
            case_id,
            case_no,
            child_name,
            due,
            days_left,
            urgency: urgency.into(),
            title: Localized::new(format!("Dokument: {title}"), format!("Document: {title}")),
            explanation: Localized::new(
                format!(
                    "Dokumendi {reg_no} tähtaeg {}; märgi see tehtuks, kui see on menetletud.",
                    fmt(due)
                ),
                format!(
                    "Document {reg_no} is due {}; mark it done when it is handled.",
                    fmt(due)
                ),
            ),
            provider_id: None,
            partner_id: None,
        };
        match groups.iter_mut().find(|g| g.kind == "document_due") {
            Some(g) => g.items.push(item),
            None => groups.push(DashboardGroup {
                kind: "document_due".into(),
                title: group_title("document_due"),
                items: vec![item],
            }),
        }
    }
    provider_groups(conn, today, &mut counts, &mut groups)?;
    for g in &mut groups {
        g.items.sort_by_key(|i| (i.days_left, i.case_id));
    }
    groups.sort_by(|a, b| {
        let first = |g: &DashboardGroup| g.items.first().map(|i| i.days_left).unwrap_or(i64::MAX);
        (first(a), &a.kind).cmp(&(first(b), &b.kind))
    });
    let actions = meeting_actions(conn, today, &mut counts)?;
    let (tasks, undated_tasks) = work_tasks(conn, today, &mut counts)?;
    Ok(Dashboard {
        today,
        counts,
        groups,
        actions,
        tasks,
        undated_tasks,
    })
}

// --- Meetings ---

/// The open agreed actions of network meetings within the dashboard's horizon, counted with
/// the deadlines (overdue, today, this week, later).
fn meeting_actions(
    conn: &Connection,
    today: NaiveDate,
    counts: &mut UrgencyCounts,
) -> Result<Vec<crate::meetings::DueAction>> {
    let horizon = today + chrono::Duration::days(LATER_DAYS);
    let mut list = crate::meetings::due_actions(conn, today, horizon)?;
    for a in &mut list {
        a.urgency = counts.count(a.days_left).into();
    }
    Ok(list)
}

// --- Providers ---

/// The 60-day registration with a provider, counted from the day the referral decision reached
/// the family ([`crate::providers::referrals::referral_delivered_on`]); met once the family registered.
pub fn registration_deadline(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
) -> Result<Option<CaseDeadline>> {
    let Some(sent) = crate::providers::referrals::referral_delivered_on(conn, case_id)? else {
        return Ok(None);
    };
    let status: String = conn.query_row_cached(
        "SELECT status FROM srt_case WHERE id = ?1",
        [case_id],
        |r| r.get(0),
    )?;
    if status == "closed" {
        return Ok(None);
    }
    let registered =
        crate::providers::referrals::current_choice(conn, case_id)?.and_then(|c| c.registered_on);
    let book = RuleBook::load(conn)?;
    let (d, name, legal) = from_rule(
        &book,
        "provider_registration",
        sent,
        Period {
            count: 60,
            unit: Unit::CalendarDays,
        },
    );
    let (state, explanation) = match registered {
        Some(r) => (
            "met",
            Localized::new(
                format!("{} Pere registreerus {}.", d.explanation.et, fmt(r)),
                format!("{} The family registered on {}.", d.explanation.en, fmt(r)),
            ),
        ),
        None => ("running", d.explanation.clone()),
    };
    Ok(Some(CaseDeadline {
        kind: "provider_registration".into(),
        due: d.due,
        days_left: deadlines::days_left(d.due, today),
        state: state.into(),
        title: name,
        explanation,
        legal_ref: legal,
    }))
}

/// Put the registration deadline counted from the decision's delivery in place of the one
/// counted from the status change.
pub fn merge_registration(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
    list: &mut Vec<CaseDeadline>,
) -> Result<()> {
    if let Some(d) = registration_deadline(conn, case_id, today)? {
        list.retain(|x| x.kind != "provider_registration");
        list.push(d);
        list.sort_by_key(|d| (d.state != "running", d.due));
    }
    Ok(())
}

fn uncount(counts: &mut UrgencyCounts, urgency: &str) {
    let slot = match urgency {
        "overdue" => &mut counts.overdue,
        "today" => &mut counts.today,
        "week" => &mut counts.week,
        _ => &mut counts.later,
    };
    *slot = slot.saturating_sub(1);
}

fn push_item(groups: &mut Vec<DashboardGroup>, kind: &str, title: Localized, item: DashboardItem) {
    match groups.iter_mut().find(|g| g.kind == kind) {
        Some(g) => g.items.push(item),
        None => groups.push(DashboardGroup {
            kind: kind.into(),
            title,
            items: vec![item],
        }),
    }
}

/// Registration deadlines counted from the decision's delivery, and the contact log's
/// follow-ups (a follow-up about a provider or partner only has case id 0).
fn provider_groups(
    conn: &Connection,
    today: NaiveDate,
    counts: &mut UrgencyCounts,
    groups: &mut Vec<DashboardGroup>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        // Only cases whose registration deadline can still be shown or must be taken off:
        // a choice not yet registered (a partial index keeps these few at hand), or a case
        // still "decided" (its running deadline from the facts is replaced here). Walking every
        // case that ever had a provider took seconds at 100 000 cases.
        "SELECT c.id, c.case_no, ch.first_name || ' ' || ch.last_name
         FROM (SELECT case_id FROM provider_choice WHERE registered_on IS NULL
               UNION
               SELECT pc.case_id FROM srt_case s JOIN provider_choice pc ON pc.case_id = s.id
               WHERE s.status = 'decided') k
         JOIN srt_case c ON c.id = k.case_id JOIN child ch ON ch.id = c.child_id
         WHERE c.status <> 'closed'",
    )?;
    let cases = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (case_id, case_no, child_name) in cases {
        let Some(d) = registration_deadline(conn, case_id, today)? else {
            continue;
        };
        if let Some(g) = groups
            .iter_mut()
            .find(|g| g.kind == "provider_registration")
        {
            let (gone, kept): (Vec<_>, Vec<_>) =
                g.items.drain(..).partition(|i| i.case_id == case_id);
            g.items = kept;
            for i in gone {
                uncount(counts, &i.urgency);
            }
        }
        if d.state != "running" || d.days_left > LATER_DAYS {
            continue;
        }
        let urgency = counts.count(d.days_left);
        push_item(
            groups,
            "provider_registration",
            group_title("provider_registration"),
            DashboardItem::of(case_id, case_no, child_name, d, urgency),
        );
    }
    groups.retain(|g| !g.items.is_empty());
    let horizon = today + chrono::Duration::days(LATER_DAYS);
    for f in crate::providers::partners::follow_ups_until(conn, horizon)? {
        let Some(due) = f.follow_up_on else { continue };
        let days_left = deadlines::days_left(due, today);
        let urgency = counts.count(days_left);
        let with = f
            .provider_name
            .clone()
            .or(f.partner_name.clone())
            .unwrap_or_default();
        let child_name: String = match f.case_id {
            Some(id) => conn.query_row_cached(
                "SELECT ch.first_name || ' ' || ch.last_name FROM srt_case c JOIN child ch ON ch.id = c.child_id WHERE c.id = ?1",
                [id],
                |r| r.get(0),
            )?,
            None => with.clone(),
        };
        // A follow-up on a case opens the case; one without opens whom it is about.
        let (provider_id, partner_id) = match f.case_id {
            Some(_) => (None, None),
            None => (f.provider_id, f.partner_id),
        };
        push_item(
            groups,
            "contact_follow_up",
            Localized::new("Suhtluse järeltegevused", "Contact follow-ups"),
            DashboardItem {
                case_id: f.case_id.unwrap_or(0),
                // Without a case the row names the provider or partner once (as its heading).
                case_no: f.case_no.clone().unwrap_or_default(),
                child_name,
                due,
                days_left,
                urgency: urgency.into(),
                title: Localized::new(
                    format!("Järeltegevus: {}", f.summary),
                    format!("Follow-up: {}", f.summary),
                ),
                explanation: Localized::new(
                    format!("Suhtlus {} ({}): {}", fmt(f.contact_date), f.who, f.summary),
                    format!(
                        "Contact on {} ({}): {}",
                        fmt(f.contact_date),
                        f.who,
                        f.summary
                    ),
                ),
                provider_id,
                partner_id,
            },
        );
    }
    Ok(())
}

// --- Tasks ---

/// The coordinator's open tasks within the dashboard's horizon, counted with the deadlines in the
/// same bands (overdue, today, this week, later), and the open tasks without a due date.
fn work_tasks(
    conn: &Connection,
    today: NaiveDate,
    counts: &mut UrgencyCounts,
) -> Result<(Vec<crate::work::tasks::Task>, Vec<crate::work::tasks::Task>)> {
    let horizon = today + chrono::Duration::days(LATER_DAYS);
    let (dated, undated) = crate::work::tasks::for_dashboard(conn, today, horizon)?;
    for t in &dated {
        if let Some(days) = t.days_left {
            counts.count(days);
        }
    }
    Ok((dated, undated))
}
