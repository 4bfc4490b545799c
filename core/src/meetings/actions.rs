//! Agreed actions.

use super::*;

/// An agreed action as typed: what, who, by when. A due date before the meeting day is refused
/// unless `confirm_early_due` says the coordinator means it (e.g. recording a meeting late).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ActionInput {
    pub what: String,
    pub owner: String,
    pub due_date: String,
    pub confirm_early_due: bool,
}

/// A checked [`ActionInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAction {
    pub what: String,
    pub owner: String,
    pub due: NaiveDate,
    pub early_due_confirmed: bool,
}

/// The rules of an agreed action: what and who are required, the due date is a real date, not
/// before the meeting unless confirmed, and not absurdly far ahead.
pub fn validate_action(input: &ActionInput, meeting_date: NaiveDate) -> Result<ValidAction> {
    let mut errors = Vec::new();
    let mut err =
        |f: &str, code: &str, et: &str, en: &str| errors.push(FieldError::new(f, code, et, en));
    let what = input.what.trim();
    if what.is_empty() {
        err(
            "what",
            "required",
            "Kirjuta, mis on kokku lepitud.",
            "Write what was agreed.",
        );
    } else if too_long(what, MAX_WHAT) {
        err(
            "what",
            "too_long",
            "Kuni 1000 märki.",
            "At most 1,000 characters.",
        );
    }
    let owner = input.owner.trim();
    if owner.is_empty() {
        err(
            "owner",
            "required",
            "Kirjuta, kes selle teeb.",
            "Write who will do it.",
        );
    } else if too_long(owner, MAX_SHORT) {
        err(
            "owner",
            "too_long",
            "Kuni 200 märki.",
            "At most 200 characters.",
        );
    }
    let due = crate::values::parse_date(&input.due_date);
    let mut early = false;
    match due {
        None if input.due_date.trim().is_empty() => err(
            "dueDate",
            "required",
            "Sisesta tähtaeg: ilma selleta ei jõua tegevus töölauale.",
            "Enter a due date: without one the action does not reach the dashboard.",
        ),
        None => {
            let e = crate::values::date_error("dueDate", &input.due_date);
            err(&e.field, &e.code, &e.message.et, &e.message.en)
        }
        Some(d) if d < meeting_date => {
            if input.confirm_early_due {
                early = true;
            } else {
                errors.push(FieldError::new(
                    "dueDate",
                    "action.due_before_meeting",
                    &format!(
                        "Tähtaeg {} on enne kohtumist ({}). Kui see on õige, kinnita varasem tähtaeg.",
                        fmt(d),
                        fmt(meeting_date)
                    ),
                    &format!(
                        "The due date {} is before the meeting ({}). If that is right, confirm the earlier date.",
                        fmt(d),
                        fmt(meeting_date)
                    ),
                ));
            }
        }
        Some(d) if d > meeting_date + chrono::Duration::days(3 * 366) => err(
            "dueDate",
            "date.too_late",
            "Tähtaeg on üle kolme aasta pärast: kontrolli aastat.",
            "The due date is over three years ahead: check the year.",
        ),
        _ => {}
    }
    match (due, errors.is_empty()) {
        (Some(due), true) => Ok(ValidAction {
            what: what.to_string(),
            owner: owner.to_string(),
            due,
            early_due_confirmed: early,
        }),
        _ => Err(Error::Validation(errors)),
    }
}

/// Done needs a date: a real one, not before the meeting and not in the future.
pub fn check_done(done_on: &str, meeting_date: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    let field = |code: &str, et: &str, en: &str| Error::field("doneOn", code, et, en);
    match crate::values::parse_date(done_on) {
        None if done_on.trim().is_empty() => Err(field(
            "required",
            "Märgi, mis päeval tegevus tehti.",
            "Give the day the action was done.",
        )),
        None => Err(Error::Validation(vec![crate::values::date_error(
            "doneOn", done_on,
        )])),
        Some(d) if d > today => Err(field(
            "date.future",
            "Tehtud kuupäev ei saa olla tulevikus.",
            "The done date cannot be in the future.",
        )),
        Some(d) if d < meeting_date => Err(Error::Validation(vec![FieldError::new(
            "doneOn",
            "action.done_before_meeting",
            &format!(
                "Tegevus lepiti kokku {}; tehtud kuupäev ei saa olla varasem.",
                fmt(meeting_date)
            ),
            &format!(
                "The action was agreed on {}; it cannot be done earlier.",
                fmt(meeting_date)
            ),
        )])),
        Some(d) => Ok(d),
    }
}

/// How urgent an open action due on `due` is on `today`, and the days left (negative: overdue).
/// The same bands as the dashboard: overdue, today, within a week, later.
pub fn urgency(due: NaiveDate, today: NaiveDate) -> (&'static str, i64) {
    let days = (due - today).num_days();
    let band = match days {
        n if n < 0 => "overdue",
        0 => "today",
        n if n <= 7 => "week",
        _ => "later",
    };
    (band, days)
}

/// Open actions first, the most overdue at the top, then by due date; done ones last, the most
/// recently done first. Ties keep the order they were agreed in.
pub fn order_actions(list: &mut [Action]) {
    list.sort_by(|a, b| match (a.done_on, b.done_on) {
        (None, None) => (a.due_date, a.id).cmp(&(b.due_date, b.id)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x).then(a.id.cmp(&b.id)),
    });
}

pub(super) fn action_from_row(r: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<Action> {
    let due: NaiveDate = r.get(4)?;
    let done_on: Option<NaiveDate> = r.get(6)?;
    let (band, days) = urgency(due, today);
    Ok(Action {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        what: r.get(2)?,
        owner: r.get(3)?,
        due_date: due,
        early_due_confirmed: r.get(5)?,
        done_on,
        urgency: if done_on.is_some() { "done" } else { band }.into(),
        days_left: days,
    })
}

pub(super) const ACTION_COLUMNS: &str =
    "id, meeting_id, what, owner, due_date, early_due_confirmed, done_on";

pub(super) fn actions(conn: &Connection, meeting_id: i64, today: NaiveDate) -> Result<Vec<Action>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACTION_COLUMNS} FROM meeting_action WHERE meeting_id = ?1"
    ))?;
    let mut list = stmt
        .query_map([meeting_id], |r| action_from_row(r, today))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    order_actions(&mut list);
    Ok(list)
}

/// The meeting an action belongs to.
pub fn meeting_of_action(conn: &Connection, action_id: i64) -> Result<i64> {
    conn.query_row_cached(
        "SELECT meeting_id FROM meeting_action WHERE id = ?1",
        [action_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::ActionNotFound(action_id))
}

pub fn add_action(
    conn: &Connection,
    meeting_id: i64,
    a: &ValidAction,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO meeting_action (meeting_id, what, owner, due_date, early_due_confirmed,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            meeting_id,
            a.what,
            a.owner,
            a.due.to_string(),
            a.early_due_confirmed,
            ts(now)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_action(
    conn: &Connection,
    id: i64,
    a: &ValidAction,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE meeting_action SET what = ?2, owner = ?3, due_date = ?4, early_due_confirmed = ?5,
         updated_at = ?6 WHERE id = ?1",
        params![
            id,
            a.what,
            a.owner,
            a.due.to_string(),
            a.early_due_confirmed,
            ts(now)
        ],
    )?;
    Ok(())
}

/// Mark done on a checked date, or open again with `None`.
pub fn set_done(
    conn: &Connection,
    id: i64,
    done_on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE meeting_action SET done_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, done_on.map(|d| d.to_string()), ts(now)],
    )?;
    Ok(())
}

pub fn remove_action(conn: &Connection, id: i64) -> Result<()> {
    conn.execute_cached("DELETE FROM meeting_action WHERE id = ?1", [id])?;
    Ok(())
}

/// An open action for the dashboard.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueAction {
    pub action_id: i64,
    pub meeting_id: i64,
    pub meeting_date: NaiveDate,
    pub case_id: i64,
    pub case_no: String,
    pub child_name: String,
    pub what: String,
    pub owner: String,
    pub due: NaiveDate,
    pub days_left: i64,
    pub urgency: String,
}

/// Open actions of open cases due on or before `horizon`, ordered like [`order_actions`].
pub fn due_actions(
    conn: &Connection,
    today: NaiveDate,
    horizon: NaiveDate,
) -> Result<Vec<DueAction>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.meeting_id, m.meeting_date, m.case_id, c.case_no,
                ch.first_name || ' ' || ch.last_name, a.what, a.owner, a.due_date
         FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id
         JOIN srt_case c ON c.id = m.case_id JOIN child ch ON ch.id = c.child_id
         WHERE a.done_on IS NULL AND a.due_date <= ?1 AND c.status <> 'closed'
         ORDER BY a.due_date, a.id",
    )?;
    let list = stmt
        .query_map([horizon.to_string()], |r| {
            let due: NaiveDate = r.get(8)?;
            let (band, days) = urgency(due, today);
            Ok(DueAction {
                action_id: r.get(0)?,
                meeting_id: r.get(1)?,
                meeting_date: r.get(2)?,
                case_id: r.get(3)?,
                case_no: r.get(4)?,
                child_name: r.get(5)?,
                what: r.get(6)?,
                owner: r.get(7)?,
                due,
                days_left: days,
                urgency: band.into(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// The case timeline's share: each meeting, each agreed action and each action done.
pub fn timeline_entries(
    conn: &Connection,
    case_id: i64,
) -> Result<Vec<crate::casework::timeline::TimelineEntry>> {
    use crate::casework::timeline::TimelineEntry;
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.kind, m.meeting_date, m.start_time, m.place, m.video_link,
                (SELECT count(*) FROM meeting_participant p WHERE p.meeting_id = m.id AND p.presence = 'present')
         FROM meeting m WHERE m.case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    for row in rows {
        let (_, kind, date, time, place, link, present) = row?;
        let (et, en) = kind_name(&kind);
        let mut detail = Vec::new();
        if !time.is_empty() {
            detail.push(format!("kell {time}"));
        }
        if !place.is_empty() {
            detail.push(place);
        } else if !link.is_empty() {
            detail.push("videokohtumine".into());
        }
        if present > 0 {
            detail.push(format!("kohal {present}"));
        }
        // The meeting's own (local) time when it has one, so it sorts among the day's events.
        let at = if time.is_empty() {
            date
        } else {
            format!("{date}T{time}:00")
        };
        out.push(TimelineEntry {
            at,
            kind: "meeting".into(),
            title: Localized::new(
                format!("Võrgustikukohtumine ({et})"),
                format!("Network meeting ({en})"),
            ),
            detail: detail.join(" · "),
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT a.created_at, a.what, a.owner, a.due_date, a.done_on, a.updated_at FROM meeting_action a
         JOIN meeting m ON m.id = a.meeting_id WHERE m.case_id = ?1",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, NaiveDate>(3)?,
            r.get::<_, Option<NaiveDate>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (created, what, owner, due, done, updated) = row?;
        out.push(TimelineEntry {
            at: created,
            kind: "action".into(),
            title: Localized::new(
                format!("Kokkulepitud tegevus: {what}"),
                format!("Agreed action: {what}"),
            ),
            detail: format!("{owner} · tähtaeg {}", fmt(due)),
        });
        if let Some(done) = done {
            // Marked done the same day: the moment it was marked; otherwise the day given.
            let day = done.to_string();
            let at = if updated.starts_with(&day) {
                updated
            } else {
                day
            };
            out.push(TimelineEntry {
                at,
                kind: "action".into(),
                title: Localized::new(
                    format!("Tegevus tehtud: {what}"),
                    format!("Action done: {what}"),
                ),
                detail: owner,
            });
        }
    }
    Ok(out)
}

/// The name of a kind of meeting.
pub fn kind_name(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "first" => ("esimene kohtumine", "first meeting"),
        "follow_up" => ("järelkohtumine", "follow-up meeting"),
        _ => ("muu kohtumine", "other meeting"),
    }
}
