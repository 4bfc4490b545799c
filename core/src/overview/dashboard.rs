//! The dashboard: what needs the coordinator today, across the parts — the case deadlines
//! (stored by the deadlines part), documents due, the families' registration with a provider and
//! partner follow-ups, agreed actions of network meetings, and tasks — by urgency and by kind.
//! Owns no table: it reads each part through that part's functions.

use crate::store::cached::CachedSql;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::deadlines;
use crate::deadlines::schedule::{
    live_items, refresh_deadlines, stored_items, CaseDeadline, CaseItem, LATER_DAYS,
};
use crate::error::{Localized, Result};
use crate::providers::registration::registration_deadline;

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
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
    /// A follow-up about no case on a team desk: the member box its contact is in (this
    /// desk's own, or a colleague's the lead or a substitute holds), for the coordinator filter.
    #[serde(skip)]
    pub member_box: Option<String>,
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
            member_box: None,
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
    /// Signing: approved decisions that have not left (signature needs confirmation, not sent).
    pub signing: Vec<WaitingDecision>,
    /// The dashboard as the window is given it: the first rows of each kind and urgency and the
    /// counts of all (`dashboard_page::page`); `None`: every row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<DashboardPage>,
}

/// An approved decision the dashboard keeps in sight until it has left: its signature waits
/// for confirmation ("allkiri vajab kinnitust") or it is not sent yet ("saatmata"). The signing
/// part finds them (`signing::record::waiting`); the desk puts them on the dashboard.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitingDecision {
    pub decision_id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub number: String,
    /// The child's name, as the dashboard's other rows show it.
    pub child_name: String,
    /// `referral`, `refusal`, `amendment`, `termination`.
    pub kind: String,
    pub decision_date: Option<chrono::NaiveDate>,
    /// `needs_confirmation` (signed at B level) or `not_sent` (unsigned, or signed and not sent).
    pub reason: String,
    /// Whether a container is filed (a `not_sent` decision may still need signing).
    pub signed: bool,
    /// What the dashboard says about it: "Allkiri vajab kinnitust", "Saatmata", ...
    pub title: crate::error::Localized,
    /// Why the last try failed (LT extension or e-mail), empty when none.
    pub last_error: String,
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
            member_box: None,
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
        // The desk adds the signing part's rows (Desk::dashboard).
        signing: Vec::new(),
        page: None,
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
        let member_box: Option<String> = match f.case_id {
            Some(_) => None,
            None => {
                conn.query_row_cached("SELECT box FROM contact_log WHERE id = ?1", [f.id], |r| {
                    r.get(0)
                })?
            }
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
                member_box,
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

// --- Team desk: the filter by responsible coordinator ---

/// Keeps on the dashboard only what concerns the cases in `cases` (one coordinator's, found by
/// the team desk in SQL) and counts the urgencies again. What belongs to no case (a follow-up
/// about a provider, a task without a case) stays when it is in that coordinator's member box
/// (`member_box`), or has no box and the coordinator is this desk's own (`own`): it is their
/// work, not a colleague's.
pub fn keep_cases(
    dash: &mut Dashboard,
    cases: &std::collections::HashSet<i64>,
    own: bool,
    member_box: &str,
) {
    let keep = |case_id: i64| cases.contains(&case_id) || (own && case_id == 0);
    for g in &mut dash.groups {
        g.items.retain(|i| match (i.case_id, &i.member_box) {
            (0, Some(b)) => b == member_box,
            (id, _) => keep(id),
        });
    }
    dash.groups.retain(|g| !g.items.is_empty());
    dash.actions.retain(|a| keep(a.case_id));
    let task_kept = |t: &crate::work::tasks::Task| {
        if t.cases.is_empty() {
            own
        } else {
            t.cases.iter().any(|c| cases.contains(&c.id))
        }
    };
    dash.tasks.retain(task_kept);
    dash.undated_tasks.retain(task_kept);
    dash.signing.retain(|d| cases.contains(&d.case_id));
    let mut counts = UrgencyCounts::default();
    for i in dash.groups.iter().flat_map(|g| &g.items) {
        counts.count(i.days_left);
    }
    for a in &dash.actions {
        counts.count(a.days_left);
    }
    for t in &dash.tasks {
        if let Some(days) = t.days_left {
            counts.count(days);
        }
    }
    dash.counts = counts;
}

/// What was cut: how many rows each kind has, by urgency, and which rows were given.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DashboardPage {
    /// At most this many rows of each kind and urgency are given.
    pub per: usize,
    /// Every row of the dashboard counted by its kind (a deadline group's kind,
    /// `meeting_action`, `task`) and urgency, the rows not given included.
    pub by_kind: std::collections::BTreeMap<String, UrgencyCounts>,
    /// Only rows of this urgency were given (`None`: every urgency).
    pub urgency: Option<String>,
    /// Only rows of this kind were given (`None`: every kind).
    pub kind: Option<String>,
}
