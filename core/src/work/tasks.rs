//! The coordinator's own tasks that belong to no case: one-off jobs from the team lead, the
//! service manager or someone else, with a due date, notes, links to cases or providers, and
//! done (or undone). They show on the dashboard beside the case deadlines and on the timeline of
//! a linked case. Owns task and task_link (migration 010).

use crate::clock::ts;
use crate::store::cached::CachedSql;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Localized, Result};

pub const FROM_KINDS: [&str; 3] = ["team_lead", "service_manager", "other"];
/// Which tasks the list shows.
pub const FILTERS: [&str; 4] = ["open", "overdue", "done", "all"];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskInput {
    pub title: String,
    pub from_kind: String,
    pub from_name: String,
    /// dd.mm.yyyy or YYYY-MM-DD; empty: no due date.
    pub due_on: String,
    pub notes: String,
    pub case_ids: Vec<i64>,
    pub provider_ids: Vec<i64>,
    /// On the team lead's desk: the member (login) the task is given to; empty: the desk's own.
    /// Kept from the first save (a task given stays with its member).
    pub assignee: String,
}

/// A case a task or proposal points at.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LinkedCase {
    pub id: i64,
    pub case_no: String,
    pub child_name: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LinkedProvider {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub from_kind: String,
    pub from_name: String,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub done_on: Option<NaiveDate>,
    pub cases: Vec<LinkedCase>,
    pub providers: Vec<LinkedProvider>,
    /// Days to the due date (negative: overdue); None without a due date.
    pub days_left: Option<i64>,
    /// "overdue", "today", "week", "later", "undated" or "done".
    pub urgency: String,
    pub created_at: String,
    /// The member (login) the team lead gave it to; None: the desk's own task.
    pub assignee: Option<String>,
    /// That member's name as the team lists it.
    pub assignee_name: Option<String>,
}

/// A task checked and ready to store.
#[derive(Debug, Clone)]
pub struct ValidTask {
    pub title: String,
    pub from_kind: String,
    pub from_name: String,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub case_ids: Vec<i64>,
    pub provider_ids: Vec<i64>,
    pub assignee: Option<String>,
}

pub(crate) fn bad_date(field: &str, text: &str) -> FieldError {
    crate::values::date_error(field, text)
}

/// A date as typed; an empty text is no date. `Err` names the field.
pub(crate) fn optional_date(field: &str, text: &str, e: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    match crate::values::parse_date(text) {
        Some(d) => Some(d),
        None => {
            e.push(bad_date(field, text));
            None
        }
    }
}

/// Drop repeats, keep the order picked.
pub(crate) fn unique(ids: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Check what was typed. A due date must be a real day within a year back and five years ahead
/// (a typo like 2062 or 1926 is caught, a task that came in already late is not refused).
pub fn validate(input: &TaskInput, today: NaiveDate) -> Result<ValidTask> {
    let mut e = Vec::new();
    if input.title.trim().is_empty() {
        e.push(FieldError::new(
            "title",
            "required",
            "Kirjuta ülesande pealkiri.",
            "Give the task a title.",
        ));
    }
    if !FROM_KINDS.contains(&input.from_kind.as_str()) {
        e.push(FieldError::new(
            "fromKind",
            "invalid_choice",
            "Vali, kellelt ülesanne tuli.",
            "Choose whom the task came from.",
        ));
    } else if input.from_kind == "other" && input.from_name.trim().is_empty() {
        e.push(FieldError::new(
            "fromName",
            "required",
            "Kirjuta, kellelt ülesanne tuli.",
            "Say whom the task came from.",
        ));
    }
    let due = optional_date("dueOn", &input.due_on, &mut e);
    if let Some(d) = due {
        if d.year() < today.year() - 1 || d > today + chrono::Duration::days(5 * 366) {
            e.push(FieldError::new(
                "dueOn",
                "date_out_of_range",
                &format!(
                    "Tähtaeg {} on liiga kaugel (lubatud aasta tagasi kuni viis aastat ette); kas aastaarv on õige?",
                    d.format("%d.%m.%Y")
                ),
                &format!(
                    "The due date {} is too far away (a year back to five years ahead); is the year right?",
                    d.format("%d.%m.%Y")
                ),
            ));
        }
    }
    if !e.is_empty() {
        return Err(Error::Validation(e));
    }
    Ok(ValidTask {
        title: input.title.trim().to_string(),
        from_kind: input.from_kind.clone(),
        from_name: input.from_name.trim().to_string(),
        due_on: due,
        notes: input.notes.trim_end().to_string(),
        case_ids: unique(&input.case_ids),
        provider_ids: unique(&input.provider_ids),
        assignee: Some(input.assignee.trim().to_string()).filter(|a| !a.is_empty()),
    })
}

/// A task given to a member: only the team lead's desk gives tasks, and only to a member the
/// team lists (coordinator or lead). Then it comes from the team lead, by the lead's name.
pub fn check_assignee(conn: &Connection, v: &mut ValidTask) -> Result<()> {
    let Some(login) = v.assignee.clone() else {
        return Ok(());
    };
    let (role, me): (String, Option<String>) = conn.query_row(
        "SELECT s.member_role, m.name FROM sync_state s
         LEFT JOIN sync_member m ON m.id = s.member_id WHERE s.id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if role != "lead" {
        return Err(Error::field(
            "assignee",
            "not_lead",
            "Ülesandeid saab teistele anda ainult meeskonna juhi töölaud.",
            "Only the team lead's desk gives tasks to others.",
        ));
    }
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sync_member WHERE login = ?1 AND role IN ('coordinator', 'lead'))",
        [&login],
        |r| r.get(0),
    )?;
    if !known {
        return Err(Error::field(
            "assignee",
            "unknown_member",
            &format!("Meeskonnas ei ole liiget kasutajanimega „{login}”."),
            &format!("The team has no member with the login \"{login}\"."),
        ));
    }
    v.from_kind = "team_lead".into();
    v.from_name = me.unwrap_or_default();
    Ok(())
}

/// The members a task can be given to (login, name), on the team lead's desk; none elsewhere.
pub fn assignees(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare(
            "SELECT m.login, m.name FROM sync_member m, sync_state s
             WHERE s.id = 1 AND s.member_role = 'lead' AND m.role IN ('coordinator', 'lead')
             ORDER BY m.role = 'lead', m.name, m.login",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every linked case and provider exists; the one missing is named on `field`.
pub(crate) fn check_links(conn: &Connection, case_ids: &[i64], provider_ids: &[i64]) -> Result<()> {
    for id in case_ids {
        let found: Option<i64> = conn
            .query_row_cached("SELECT id FROM srt_case WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if found.is_none() {
            return Err(Error::field(
                "caseIds",
                "unknown_case",
                &format!("Seotud juhtumit {id} ei leitud (kas see on kustutatud?)."),
                &format!("The linked case {id} was not found (was it deleted?)."),
            ));
        }
    }
    for id in provider_ids {
        let found: Option<i64> = conn
            .query_row_cached("SELECT id FROM provider WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if found.is_none() {
            return Err(Error::field(
                "providerIds",
                "unknown_provider",
                &format!("Seotud teenuseosutajat {id} ei leitud."),
                &format!("The linked provider {id} was not found."),
            ));
        }
    }
    Ok(())
}

fn write_links(tx: &Transaction, id: i64, v: &ValidTask, now: &str) -> Result<()> {
    tx.execute_cached("DELETE FROM task_link WHERE task_id = ?1", [id])?;
    for c in &v.case_ids {
        tx.execute_cached(
            "INSERT INTO task_link (task_id, case_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![id, c, now],
        )?;
    }
    for p in &v.provider_ids {
        tx.execute_cached(
            "INSERT INTO task_link (task_id, provider_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![id, p, now],
        )?;
    }
    Ok(())
}

/// Add a task (`id` None) or change one.
pub fn save(tx: &Transaction, id: Option<i64>, v: &ValidTask, now: DateTime<Utc>) -> Result<i64> {
    check_links(tx, &v.case_ids, &v.provider_ids)?;
    let now = ts(now);
    let id = match id {
        Some(id) => {
            let n = tx.execute_cached(
                "UPDATE task SET title = ?2, from_kind = ?3, from_name = ?4, due_on = ?5, notes = ?6,
                 updated_at = ?7 WHERE id = ?1",
                params![
                    id,
                    v.title,
                    v.from_kind,
                    v.from_name,
                    v.due_on.map(|d| d.to_string()),
                    v.notes,
                    now
                ],
            )?;
            if n == 0 {
                return Err(Error::TaskNotFound(id));
            }
            id
        }
        None => {
            tx.execute_cached(
                "INSERT INTO task (title, from_kind, from_name, due_on, notes, created_at, updated_at,
                     assignee)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                params![
                    v.title,
                    v.from_kind,
                    v.from_name,
                    v.due_on.map(|d| d.to_string()),
                    v.notes,
                    now,
                    v.assignee
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    write_links(tx, id, v, &now)?;
    Ok(id)
}

/// Mark done on a day (not in the future), or undo with `None`.
pub fn set_done(
    tx: &Transaction,
    id: i64,
    done_on: Option<&str>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let on = match done_on {
        None => None,
        Some(text) => match crate::values::parse_date(text) {
            None => return Err(Error::Validation(vec![bad_date("doneOn", text)])),
            Some(d) if d > today => {
                return Err(Error::field(
                    "doneOn",
                    "future",
                    "Ülesannet ei saa märkida tehtuks tulevikus.",
                    "A task cannot be marked done in the future.",
                ))
            }
            Some(d) => Some(d),
        },
    };
    let n = tx.execute_cached(
        "UPDATE task SET done_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, on.map(|d| d.to_string()), ts(now)],
    )?;
    if n == 0 {
        return Err(Error::TaskNotFound(id));
    }
    Ok(())
}

pub fn delete(tx: &Transaction, id: i64) -> Result<()> {
    let n = tx.execute_cached("DELETE FROM task WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::TaskNotFound(id));
    }
    Ok(())
}

/// Where a task stands on `today`.
pub fn urgency(
    due: Option<NaiveDate>,
    done: Option<NaiveDate>,
    today: NaiveDate,
) -> (&'static str, Option<i64>) {
    let days = due.map(|d| crate::values::days_left(d, today));
    if done.is_some() {
        return ("done", days);
    }
    match days {
        None => ("undated", None),
        Some(n) if n < 0 => ("overdue", days),
        Some(0) => ("today", days),
        Some(n) if n <= 7 => ("week", days),
        Some(_) => ("later", days),
    }
}

const TASK_SQL: &str =
    "SELECT id, title, from_kind, from_name, due_on, notes, done_on, created_at, assignee,
            (SELECT m.name FROM sync_member m WHERE m.login = task.assignee)
     FROM task";

/// The tasks that are this desk's own on a team: those of its member box (its own and those the
/// lead gave it), or every task on a desk that has not joined (no box).
const OWN: &str =
    "(box IS NULL OR box = (SELECT '00000000-0000-8000-8000-' || printf('%012x', member_id)
                    FROM sync_state WHERE id = 1 AND member_id IS NOT NULL))";
/// The task list: the desk's own and the tasks given to a member (the lead sees those it gave,
/// a substitute those given to the absent colleague); not a colleague's private ones.
const LISTED: &str = "(box IS NULL OR assignee IS NOT NULL
                    OR box = (SELECT '00000000-0000-8000-8000-' || printf('%012x', member_id)
                    FROM sync_state WHERE id = 1 AND member_id IS NOT NULL))";

fn links(conn: &Connection, id: i64) -> Result<(Vec<LinkedCase>, Vec<LinkedProvider>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.case_no, ch.first_name || ' ' || ch.last_name
         FROM task_link l JOIN srt_case c ON c.id = l.case_id JOIN child ch ON ch.id = c.child_id
         WHERE l.task_id = ?1 ORDER BY l.id",
    )?;
    let cases = stmt
        .query_map([id], |r| {
            Ok(LinkedCase {
                id: r.get(0)?,
                case_no: r.get(1)?,
                child_name: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name FROM task_link l JOIN provider p ON p.id = l.provider_id
         WHERE l.task_id = ?1 ORDER BY l.id",
    )?;
    let providers = stmt
        .query_map([id], |r| {
            Ok(LinkedProvider {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((cases, providers))
}

fn rows(
    conn: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    today: NaiveDate,
) -> Result<Vec<Task>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let bare = stmt
        .query_map(p, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<NaiveDate>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<NaiveDate>>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(bare.len());
    for (id, title, from_kind, from_name, due_on, notes, done_on, created_at, assignee, name) in
        bare
    {
        let (cases, providers) = links(conn, id)?;
        let (band, days_left) = urgency(due_on, done_on, today);
        out.push(Task {
            id,
            title,
            from_kind,
            from_name,
            due_on,
            notes,
            done_on,
            cases,
            providers,
            days_left,
            urgency: band.into(),
            created_at,
            assignee,
            assignee_name: name,
        });
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Task> {
    rows(conn, &format!("{TASK_SQL} WHERE id = ?1"), [id], today)?
        .into_iter()
        .next()
        .ok_or(Error::TaskNotFound(id))
}

/// The task list: open ones by due date (undated last), overdue ones, done ones latest first, or all.
pub fn list(conn: &Connection, filter: &str, today: NaiveDate) -> Result<Vec<Task>> {
    let t = today.to_string();
    let sql = match filter {
        "open" | "" => format!(
            "{TASK_SQL} WHERE {LISTED} AND done_on IS NULL ORDER BY due_on IS NULL, due_on, id LIMIT 1000"
        ),
        "overdue" => format!(
            "{TASK_SQL} WHERE {LISTED} AND done_on IS NULL AND due_on < ?1 ORDER BY due_on, id LIMIT 1000"
        ),
        "done" => format!(
            "{TASK_SQL} WHERE {LISTED} AND done_on IS NOT NULL ORDER BY done_on DESC, id DESC LIMIT 1000"
        ),
        "all" => format!(
            "{TASK_SQL} WHERE {LISTED} ORDER BY done_on IS NOT NULL, due_on IS NULL, due_on, id LIMIT 1000"
        ),
        _ => {
            return Err(Error::field(
                "filter",
                "invalid_choice",
                "Tundmatu valik.",
                "Unknown filter.",
            ))
        }
    };
    if filter == "overdue" {
        rows(conn, &sql, [t], today)
    } else {
        rows(conn, &sql, [], today)
    }
}

/// For the dashboard: open tasks due on or before `horizon` (soonest first), and open tasks
/// without a due date (oldest first).
pub fn for_dashboard(
    conn: &Connection,
    today: NaiveDate,
    horizon: NaiveDate,
) -> Result<(Vec<Task>, Vec<Task>)> {
    let dated = rows(
        conn,
        &format!(
            "{TASK_SQL} WHERE {OWN} AND done_on IS NULL AND due_on IS NOT NULL AND due_on <= ?1
             ORDER BY due_on, id"
        ),
        [horizon.to_string()],
        today,
    )?;
    let undated = rows(
        conn,
        &format!(
            "{TASK_SQL} WHERE {OWN} AND done_on IS NULL AND due_on IS NULL ORDER BY id LIMIT 50"
        ),
        [],
        today,
    )?;
    Ok((dated, undated))
}

/// Who the task came from, in Estonian (for the timeline).
pub fn from_label(kind: &str, name: &str) -> Localized {
    let (et, en) = match kind {
        "team_lead" => ("meeskonnajuht", "team lead"),
        "service_manager" => ("teenusejuht", "service manager"),
        _ => ("muu", "other"),
    };
    if name.trim().is_empty() {
        Localized::new(et, en)
    } else {
        Localized::new(
            format!("{et} {}", name.trim()),
            format!("{en} {}", name.trim()),
        )
    }
}

/// The case timeline's share: each task linked to the case, when it was given and when done.
pub fn timeline_entries(
    conn: &Connection,
    case_id: i64,
) -> Result<Vec<crate::casework::timeline::TimelineEntry>> {
    use crate::casework::timeline::TimelineEntry;
    let mut stmt = conn.prepare_cached(
        "SELECT t.title, t.from_kind, t.from_name, t.due_on, t.done_on, t.created_at
         FROM task_link l JOIN task t ON t.id = l.task_id WHERE l.case_id = ?1",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<NaiveDate>>(3)?,
                r.get::<_, Option<NaiveDate>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (title, kind, name, due, done, created) in rows {
        let from = from_label(&kind, &name);
        let detail = match due {
            Some(d) => format!("{} · tähtaeg {}", from.et, d.format("%d.%m.%Y")),
            None => from.et.clone(),
        };
        out.push(TimelineEntry {
            at: created,
            kind: "task".into(),
            title: Localized::new(format!("Ülesanne: {title}"), format!("Task: {title}")),
            detail,
        });
        if let Some(d) = done {
            out.push(TimelineEntry {
                at: d.to_string(),
                kind: "task".into(),
                title: Localized::new(
                    format!("Ülesanne tehtud: {title}"),
                    format!("Task done: {title}"),
                ),
                detail: from.et,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    fn input() -> TaskInput {
        TaskInput {
            title: "Koosta ülevaade ootejärjekorrast".into(),
            from_kind: "team_lead".into(),
            due_on: "04.12.2026".into(),
            ..Default::default()
        }
    }

    fn codes(r: Result<ValidTask>) -> Vec<(String, String)> {
        match r {
            Err(Error::Validation(f)) => f.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn a_task_needs_a_title_and_whom_it_came_from() {
        let today = d(2026, 11, 26);
        let v = validate(&input(), today).expect("valid");
        assert_eq!(v.due_on, Some(d(2026, 12, 4)), "dd.mm.yyyy is read");
        let mut bad = input();
        bad.title = "   ".into();
        bad.from_kind = "boss".into();
        assert_eq!(
            codes(validate(&bad, today)),
            vec![
                ("title".into(), "required".into()),
                ("fromKind".into(), "invalid_choice".into())
            ]
        );
        let mut other = input();
        other.from_kind = "other".into();
        assert_eq!(
            codes(validate(&other, today)),
            vec![("fromName".into(), "required".into())],
            "someone other than the team lead or service manager must be named"
        );
    }

    #[test]
    fn an_impossible_or_far_due_date_is_refused_and_none_is_allowed() {
        let today = d(2026, 11, 26);
        let mut t = input();
        t.due_on = "31.02.2026".into();
        assert_eq!(
            codes(validate(&t, today)),
            vec![("dueOn".into(), "date.invalid".into())]
        );
        t.due_on = "04.12.2062".into();
        assert_eq!(
            codes(validate(&t, today)),
            vec![("dueOn".into(), "date_out_of_range".into())]
        );
        t.due_on = "20.11.2026".into();
        assert!(
            validate(&t, today).is_ok(),
            "a task that came in already late is recorded"
        );
        t.due_on = String::new();
        assert_eq!(validate(&t, today).expect("valid").due_on, None);
    }

    #[test]
    fn urgency_uses_the_dashboard_bands() {
        let today = d(2026, 11, 26);
        assert_eq!(
            urgency(Some(d(2026, 11, 25)), None, today),
            ("overdue", Some(-1))
        );
        assert_eq!(urgency(Some(today), None, today), ("today", Some(0)));
        assert_eq!(
            urgency(Some(d(2026, 12, 3)), None, today),
            ("week", Some(7))
        );
        assert_eq!(
            urgency(Some(d(2026, 12, 4)), None, today),
            ("later", Some(8))
        );
        assert_eq!(urgency(None, None, today), ("undated", None));
        assert_eq!(
            urgency(Some(d(2026, 11, 1)), Some(today), today).0,
            "done",
            "a done task is never overdue"
        );
    }

    #[test]
    fn links_are_kept_once_in_the_order_picked() {
        assert_eq!(unique(&[3, 1, 3, 2, 1]), vec![3, 1, 2]);
    }
}
