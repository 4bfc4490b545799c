//! Network meetings (võrgustikukohtumine) of a case: date, time and place or video link, the
//! participants (picked from the case's guardians, the municipality's worker and the
//! coordinator, or typed freely) with their role and presence, the agenda, the notes (those for
//! the minutes and the coordinator's private ones), the decisions and the agreed actions with
//! what, who, due date and done date. Also the agenda templates for a first and a follow-up
//! meeting. Owns meeting_template, meeting, meeting_participant, meeting_action,
//! meeting_held_field.
//!
//! The notes draft is saved as typed, never trimmed or judged, so that reopening a meeting shows
//! exactly what was on screen; only its size is limited. A field refused for its size does not
//! stop the others: they are saved, and its text is held in meeting_held_field (in the encrypted
//! desk) until it is corrected, so that a restart puts it back with its message. Agreed actions follow rules (see
//! [`validate_action`], [`check_done`], [`order_actions`]).

pub mod minutes;

use crate::store::cached::CachedSql;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, HeldField, Localized, Result};

pub const KINDS: [&str; 3] = ["first", "follow_up", "other"];
pub const TEMPLATE_CODES: [&str; 2] = ["first", "follow_up"];
pub const SOURCES: [&str; 4] = ["guardian", "kov", "provider", "other"];
pub const PRESENCES: [&str; 2] = ["present", "absent"];

/// The longest text field of a meeting (notes, private notes, decisions, agenda), in characters.
pub const MAX_TEXT: usize = 200_000;
const MAX_PARTICIPANTS: usize = 60;
const MAX_SHORT: usize = 200;
const MAX_LINK: usize = 500;
const MAX_WHAT: usize = 1000;
const MAX_AGENDA_ITEMS: usize = 40;

fn ts(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

// ---- Templates ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingTemplate {
    pub code: String,
    pub name: Localized,
    pub agenda: Vec<String>,
    pub updated_at: String,
    /// False while the template is as shipped.
    pub edited: bool,
}

/// A template as edited in Settings: its agenda items, one per line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateInput {
    pub code: String,
    pub agenda: String,
}

/// The agenda items of a text: one per line, bullets and numbers dropped, empty lines skipped.
pub fn agenda_items(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("- ")
                .or_else(|| l.strip_prefix("* "))
                .or_else(|| l.strip_prefix("• "))
                .unwrap_or(l);
            // "1. Item" or "1) Item" (a year like "2026. aasta" is text)
            let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
            let rest = &l[digits..];
            let l = if (1..=2).contains(&digits)
                && (rest.starts_with(". ") || rest.starts_with(") "))
            {
                &rest[2..]
            } else {
                l
            };
            l.trim().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

pub fn templates(conn: &Connection) -> Result<Vec<MeetingTemplate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name_et, name_en, agenda, updated_at, updated_at <> created_at FROM meeting_template
         ORDER BY CASE code WHEN 'first' THEN 0 ELSE 1 END",
    )?;
    let list = stmt
        .query_map([], |r| {
            Ok(MeetingTemplate {
                code: r.get(0)?,
                name: Localized::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                agenda: agenda_items(&r.get::<_, String>(3)?),
                updated_at: r.get(4)?,
                edited: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

pub fn save_template(conn: &Connection, input: &TemplateInput, now: DateTime<Utc>) -> Result<()> {
    if !TEMPLATE_CODES.contains(&input.code.as_str()) {
        return Err(Error::field(
            "code",
            "invalid_choice",
            "Tundmatu mall.",
            "Unknown template.",
        ));
    }
    let items = agenda_items(&input.agenda);
    if items.is_empty() {
        return Err(Error::field(
            "agenda",
            "required",
            "Mallis peab olema vähemalt üks päevakorrapunkt.",
            "A template needs at least one agenda item.",
        ));
    }
    if items.len() > MAX_AGENDA_ITEMS || items.iter().any(|i| too_long(i, MAX_SHORT)) {
        return Err(Error::field(
            "agenda",
            "too_long",
            "Kuni 40 päevakorrapunkti, igaüks kuni 200 märki.",
            "At most 40 agenda items of at most 200 characters each.",
        ));
    }
    conn.execute_cached(
        "UPDATE meeting_template SET agenda = ?2, updated_at = ?3 WHERE code = ?1",
        params![input.code, items.join("\n"), ts(now)],
    )?;
    Ok(())
}

fn template_agenda(conn: &Connection, kind: &str) -> Result<String> {
    Ok(conn
        .query_row_cached(
            "SELECT agenda FROM meeting_template WHERE code = ?1",
            [kind],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .unwrap_or_default())
}

// ---- Meetings ----------------------------------------------------------------------------

/// When, where and what kind of meeting, as typed in the form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MeetingInput {
    pub kind: String,
    /// YYYY-MM-DD or DD.MM.YYYY.
    pub date: String,
    /// HH:MM or empty.
    pub time: String,
    pub place: String,
    pub video_link: String,
}

/// A checked [`MeetingInput`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidMeeting {
    pub kind: String,
    pub date: NaiveDate,
    pub time: String,
    pub place: String,
    pub video_link: String,
}

fn parse_time(s: &str) -> Option<String> {
    let s = s.trim().replace('.', ":");
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && m.to_string().len() <= 2).then(|| format!("{h:02}:{m:02}"))
}

/// Check a meeting's when and where against the case's application date and today.
pub fn validate_meeting(
    input: &MeetingInput,
    application_date: NaiveDate,
    today: NaiveDate,
) -> Result<ValidMeeting> {
    let mut errors = Vec::new();
    let mut err =
        |f: &str, code: &str, et: &str, en: &str| errors.push(FieldError::new(f, code, et, en));
    if !KINDS.contains(&input.kind.as_str()) {
        err(
            "kind",
            "invalid_choice",
            "Vali kohtumise liik.",
            "Choose the kind of meeting.",
        );
    }
    let date = crate::values::parse_date(&input.date);
    match date {
        None if input.date.trim().is_empty() => err(
            "date",
            "required",
            "Kohustuslik väli.",
            "This field is required.",
        ),
        None => {
            let e = crate::values::date_error("date", &input.date);
            err(&e.field, &e.code, &e.message.et, &e.message.en)
        }
        Some(d) if d < application_date - chrono::Duration::days(366) => err(
            "date",
            "date.too_early",
            "Kohtumine on üle aasta enne taotlust: kontrolli aastat.",
            "The meeting is over a year before the application: check the year.",
        ),
        Some(d) if d > today + chrono::Duration::days(2 * 366) => err(
            "date",
            "date.too_late",
            "Kohtumine on üle kahe aasta tulevikus: kontrolli aastat.",
            "The meeting is over two years ahead: check the year.",
        ),
        _ => {}
    }
    let time = if input.time.trim().is_empty() {
        Some(String::new())
    } else {
        parse_time(&input.time)
    };
    if time.is_none() {
        err(
            "time",
            "time.invalid",
            "Kellaaeg ei ole päris kellaaeg (tt:mm).",
            "This is not a real time (hh:mm).",
        );
    }
    if too_long(&input.place, MAX_SHORT) {
        err(
            "place",
            "too_long",
            "Koht on liiga pikk (kuni 200 märki).",
            "The place is too long (at most 200 characters).",
        );
    }
    let link = input.video_link.trim();
    if !link.is_empty() {
        let scheme_ok = link.starts_with("https://") || link.starts_with("http://");
        if !scheme_ok || link.chars().any(char::is_whitespace) || link.len() < 12 {
            err(
                "videoLink",
                "link.invalid",
                "Videolink peab olema veebiaadress, mis algab https://",
                "The video link must be a web address starting with https://",
            );
        } else if too_long(link, MAX_LINK) {
            err(
                "videoLink",
                "too_long",
                "Link on liiga pikk (kuni 500 märki).",
                "The link is too long (at most 500 characters).",
            );
        }
    }
    match (date, time, errors.is_empty()) {
        (Some(date), Some(time), true) => Ok(ValidMeeting {
            kind: input.kind.clone(),
            date,
            time,
            place: input.place.trim().to_string(),
            video_link: link.to_string(),
        }),
        _ => Err(Error::Validation(errors)),
    }
}

/// One participant of a meeting, as saved with the notes.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Participant {
    pub source: String,
    pub guardian_id: Option<i64>,
    pub name: String,
    pub role: String,
    pub organisation: String,
    /// "present" or "absent".
    pub presence: String,
}

/// What the meeting page saves continuously: the texts as typed and the participants.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct MeetingDraft {
    pub agenda: String,
    pub notes: String,
    /// Whether the notes go into the minutes.
    pub notes_shared: bool,
    pub private_notes: String,
    pub decisions: String,
    pub participants: Vec<Participant>,
}

/// Check a draft: only what could not be stored (sizes, unknown codes) is refused; text is kept
/// exactly as typed, a participant without a name included (the minutes ask for it).
pub fn check_draft(draft: &MeetingDraft) -> Result<()> {
    let errors = draft_errors(draft);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// What [`check_draft`] refuses in a draft, field by field.
pub fn draft_errors(draft: &MeetingDraft) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, text) in [
        ("agenda", &draft.agenda),
        ("notes", &draft.notes),
        ("privateNotes", &draft.private_notes),
        ("decisions", &draft.decisions),
    ] {
        if too_long(text, MAX_TEXT) {
            errors.push(FieldError::new(
                field,
                "too_long",
                "Tekst on liiga pikk (kuni 200 000 märki). Jaga see osadeks.",
                "The text is too long (at most 200,000 characters). Split it up.",
            ));
        }
    }
    if draft.participants.len() > MAX_PARTICIPANTS {
        errors.push(FieldError::new(
            "participants",
            "too_many",
            "Kohtumisel saab olla kuni 60 osalejat.",
            "A meeting can have at most 60 participants.",
        ));
    }
    for (i, p) in draft.participants.iter().enumerate() {
        if !SOURCES.contains(&p.source.as_str()) || !PRESENCES.contains(&p.presence.as_str()) {
            errors.push(FieldError::new(
                format!("participants.{i}"),
                "invalid_choice",
                "Vali loetelust.",
                "Choose from the list.",
            ));
        }
        for (field, text) in [
            ("name", &p.name),
            ("role", &p.role),
            ("organisation", &p.organisation),
        ] {
            if too_long(text, MAX_SHORT) {
                errors.push(FieldError::new(
                    format!("participants.{i}.{field}"),
                    "too_long",
                    "Kuni 200 märki.",
                    "At most 200 characters.",
                ));
            }
        }
    }
    errors
}

/// Someone the coordinator can add with one pick.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantOption {
    pub source: String,
    pub guardian_id: Option<i64>,
    pub name: String,
    pub role: String,
    pub organisation: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub id: i64,
    pub meeting_id: i64,
    pub what: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub early_due_confirmed: bool,
    pub done_on: Option<NaiveDate>,
    /// "overdue", "today", "week", "later" or "done".
    pub urgency: String,
    pub days_left: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinutesInfo {
    pub document_id: i64,
    pub reg_no: String,
    pub doc_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub child_name: String,
    pub kind: String,
    pub date: NaiveDate,
    pub time: String,
    pub place: String,
    pub video_link: String,
    pub agenda: String,
    pub notes: String,
    pub notes_shared: bool,
    pub private_notes: String,
    pub decisions: String,
    pub draft_rev: i64,
    pub draft_saved_at: Option<String>,
    pub participants: Vec<Participant>,
    /// Refused text held in the desk: shown in its field, with its message, instead of the saved.
    pub held: Vec<HeldField>,
    pub actions: Vec<Action>,
    pub participant_options: Vec<ParticipantOption>,
    pub minutes: Option<MinutesInfo>,
    /// The file name offered when the minutes are saved.
    pub minutes_file_name: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A meeting in the case's list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingSummary {
    pub id: i64,
    pub kind: String,
    pub date: NaiveDate,
    pub time: String,
    pub place: String,
    pub video_link: String,
    pub participants: i64,
    pub open_actions: i64,
    pub actions: i64,
    pub has_minutes: bool,
}

/// The minutes made: where they are filed and where the copy was written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinutesExport {
    pub document_id: i64,
    pub reg_no: String,
    pub path: String,
    pub file_name: String,
    pub bytes: usize,
}

/// The answer to a draft save: which save it was and when.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftSaved {
    pub meeting_id: i64,
    pub rev: i64,
    pub saved_at: String,
    /// The fields not saved (their text is held in the desk): empty when all was saved.
    pub refused: Vec<FieldError>,
}

pub fn create(
    conn: &Connection,
    case_id: i64,
    m: &ValidMeeting,
    now: DateTime<Utc>,
) -> Result<i64> {
    let agenda = template_agenda(conn, &m.kind)?;
    conn.execute_cached(
        "INSERT INTO meeting (case_id, kind, meeting_date, start_time, place, video_link, agenda,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            case_id,
            m.kind,
            m.date.to_string(),
            m.time,
            m.place,
            m.video_link,
            agenda,
            ts(now)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, m: &ValidMeeting, now: DateTime<Utc>) -> Result<()> {
    let n = conn.execute_cached(
        "UPDATE meeting SET kind = ?2, meeting_date = ?3, start_time = ?4, place = ?5,
         video_link = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            id,
            m.kind,
            m.date.to_string(),
            m.time,
            m.place,
            m.video_link,
            ts(now)
        ],
    )?;
    if n == 0 {
        return Err(Error::MeetingNotFound(id));
    }
    Ok(())
}

/// The case a meeting belongs to and the meeting's date.
pub fn case_and_date(conn: &Connection, id: i64) -> Result<(i64, NaiveDate)> {
    conn.query_row_cached(
        "SELECT case_id, meeting_date FROM meeting WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or(Error::MeetingNotFound(id))
}

/// Store the draft; returns the new save number. The texts are stored exactly as given.
pub fn save_draft(
    conn: &Connection,
    id: i64,
    draft: &MeetingDraft,
    now: DateTime<Utc>,
) -> Result<DraftSaved> {
    let refused = draft_errors(draft);
    let at = ts(now);
    // A refused field keeps what was saved before; every other field is saved as typed.
    let (old_agenda, old_notes, old_private, old_decisions): (String, String, String, String) =
        conn.query_row_cached(
            "SELECT agenda, notes, private_notes, decisions FROM meeting WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or(Error::MeetingNotFound(id))?;
    let is_refused = |field: &str| {
        refused
            .iter()
            .any(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
    };
    let pick = |field: &str, typed: &str, old: String| {
        if is_refused(field) {
            old
        } else {
            typed.to_string()
        }
    };
    conn.execute_cached(
        "UPDATE meeting SET agenda = ?2, notes = ?3, notes_shared = ?4, private_notes = ?5,
         decisions = ?6, draft_rev = draft_rev + 1, draft_saved_at = ?7, updated_at = ?7
         WHERE id = ?1",
        params![
            id,
            pick("agenda", &draft.agenda, old_agenda),
            pick("notes", &draft.notes, old_notes),
            draft.notes_shared,
            pick("privateNotes", &draft.private_notes, old_private),
            pick("decisions", &draft.decisions, old_decisions),
            at
        ],
    )?;
    // What was refused is held until corrected; what was corrected is held no more.
    conn.execute_cached("DELETE FROM meeting_held_field WHERE meeting_id = ?1", [id])?;
    for (field, text) in [
        ("agenda", draft.agenda.clone()),
        ("notes", draft.notes.clone()),
        ("privateNotes", draft.private_notes.clone()),
        ("decisions", draft.decisions.clone()),
        (
            "participants",
            serde_json::to_string(&draft.participants).unwrap_or_default(),
        ),
    ] {
        let Some(e) = refused
            .iter()
            .find(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
        else {
            continue;
        };
        conn.execute_cached(
            "INSERT INTO meeting_held_field (meeting_id, field, held_text, code, message_et,
             message_en, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, field, text, e.code, e.message.et, e.message.en, at],
        )?;
    }
    // The participants as on screen: compare first, so a notes keystroke rewrites no rows.
    if !is_refused("participants") && participants(conn, id)? != draft.participants {
        conn.execute_cached(
            "DELETE FROM meeting_participant WHERE meeting_id = ?1",
            [id],
        )?;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO meeting_participant (meeting_id, position, source, guardian_id, name, role,
             organisation, presence, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )?;
        for (i, p) in draft.participants.iter().enumerate() {
            // A guardian of another case is not linked (the name stays as typed).
            let guardian_id: Option<i64> = match p.guardian_id {
                Some(g) => conn
                    .query_row_cached(
                        "SELECT g.id FROM guardian g JOIN meeting m ON m.case_id = g.case_id
                         WHERE g.id = ?1 AND m.id = ?2",
                        params![g, id],
                        |r| r.get(0),
                    )
                    .optional()?,
                None => None,
            };
            stmt.execute(params![
                id,
                i as i64,
                p.source,
                guardian_id,
                p.name,
                p.role,
                p.organisation,
                p.presence,
                at
            ])?;
        }
    }
    let rev = conn.query_row_cached("SELECT draft_rev FROM meeting WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    Ok(DraftSaved {
        meeting_id: id,
        rev,
        saved_at: at,
        refused,
    })
}

/// The text held for a meeting's refused fields, in the order of the page.
pub fn held_fields(conn: &Connection, meeting_id: i64) -> Result<Vec<HeldField>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, held_text, code, message_et, message_en FROM meeting_held_field
         WHERE meeting_id = ?1 ORDER BY CASE field WHEN 'participants' THEN 0 WHEN 'agenda' THEN 1
         WHEN 'notes' THEN 2 WHEN 'privateNotes' THEN 3 ELSE 4 END",
    )?;
    let list = stmt
        .query_map([meeting_id], HeldField::from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

fn participants(conn: &Connection, meeting_id: i64) -> Result<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(
        "SELECT source, guardian_id, name, role, organisation, presence FROM meeting_participant
         WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let list = stmt
        .query_map([meeting_id], |r| {
            Ok(Participant {
                source: r.get(0)?,
                guardian_id: r.get(1)?,
                name: r.get(2)?,
                role: r.get(3)?,
                organisation: r.get(4)?,
                presence: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

fn relation_role(relation: &str) -> &'static str {
    match relation {
        "parent" => "lapsevanem",
        "guardian" => "eestkostja",
        _ => "seaduslik esindaja",
    }
}

/// Who can be added with one pick: the case's guardians, the municipality's worker, the child,
/// and the coordinator (`coordinator` is the name on sign-offs).
pub fn participant_options(
    conn: &Connection,
    case_id: i64,
    coordinator: &str,
) -> Result<Vec<ParticipantOption>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, first_name || ' ' || last_name, relation FROM guardian WHERE case_id = ?1
         ORDER BY position",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, name, relation) = row?;
        out.push(ParticipantOption {
            source: "guardian".into(),
            guardian_id: Some(id),
            name,
            role: relation_role(&relation).into(),
            organisation: String::new(),
        });
    }
    let (worker, municipality, child): (String, Option<String>, String) = conn.query_row_cached(
        "SELECT c.kov_worker_name, m.name, ch.first_name || ' ' || ch.last_name
         FROM srt_case c JOIN child ch ON ch.id = c.child_id
         LEFT JOIN municipality m ON m.ehak_code = coalesce(c.kov_municipality_code, ch.municipality_code)
         WHERE c.id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if !worker.trim().is_empty() {
        out.push(ParticipantOption {
            source: "kov".into(),
            guardian_id: None,
            name: worker.trim().to_string(),
            role: "KOV lastekaitsetöötaja".into(),
            organisation: municipality.clone().unwrap_or_default(),
        });
    }
    out.push(ParticipantOption {
        source: "other".into(),
        guardian_id: None,
        name: child,
        role: "laps".into(),
        organisation: String::new(),
    });
    if !coordinator.trim().is_empty() {
        out.push(ParticipantOption {
            source: "other".into(),
            guardian_id: None,
            name: coordinator.trim().to_string(),
            role: "SRT koordinaator".into(),
            organisation: "Sotsiaalkindlustusamet".into(),
        });
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64, today: NaiveDate, coordinator: &str) -> Result<Meeting> {
    let mut m = conn
        .query_row_cached(
            "SELECT m.id, m.case_id, c.case_no, ch.first_name || ' ' || ch.last_name, m.kind,
                    m.meeting_date, m.start_time, m.place, m.video_link, m.agenda, m.notes,
                    m.notes_shared, m.private_notes, m.decisions, m.draft_rev, m.draft_saved_at,
                    m.created_at, m.updated_at, d.id, d.reg_no, d.doc_date
             FROM meeting m JOIN srt_case c ON c.id = m.case_id JOIN child ch ON ch.id = c.child_id
             LEFT JOIN document d ON d.id = m.minutes_document_id
             WHERE m.id = ?1",
            [id],
            |r| {
                let minutes = match r.get::<_, Option<i64>>(18)? {
                    Some(document_id) => Some(MinutesInfo {
                        document_id,
                        reg_no: r.get(19)?,
                        doc_date: r.get(20)?,
                    }),
                    None => None,
                };
                Ok(Meeting {
                    id: r.get(0)?,
                    case_id: r.get(1)?,
                    case_no: r.get(2)?,
                    child_name: r.get(3)?,
                    kind: r.get(4)?,
                    date: r.get(5)?,
                    time: r.get(6)?,
                    place: r.get(7)?,
                    video_link: r.get(8)?,
                    agenda: r.get(9)?,
                    notes: r.get(10)?,
                    notes_shared: r.get(11)?,
                    private_notes: r.get(12)?,
                    decisions: r.get(13)?,
                    draft_rev: r.get(14)?,
                    draft_saved_at: r.get(15)?,
                    participants: Vec::new(),
                    held: Vec::new(),
                    actions: Vec::new(),
                    participant_options: Vec::new(),
                    minutes,
                    minutes_file_name: String::new(),
                    created_at: r.get(16)?,
                    updated_at: r.get(17)?,
                })
            },
        )
        .optional()?
        .ok_or(Error::MeetingNotFound(id))?;
    m.participants = participants(conn, id)?;
    m.held = held_fields(conn, id)?;
    m.actions = actions(conn, id, today)?;
    m.participant_options = participant_options(conn, m.case_id, coordinator)?;
    m.minutes_file_name = crate::meetings::minutes::file_name(&m);
    Ok(m)
}

/// A case's meetings, the latest first.
pub fn list(conn: &Connection, case_id: i64) -> Result<Vec<MeetingSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.kind, m.meeting_date, m.start_time, m.place, m.video_link,
                (SELECT count(*) FROM meeting_participant p WHERE p.meeting_id = m.id),
                (SELECT count(*) FROM meeting_action a WHERE a.meeting_id = m.id AND a.done_on IS NULL),
                (SELECT count(*) FROM meeting_action a WHERE a.meeting_id = m.id),
                m.minutes_document_id IS NOT NULL
         FROM meeting m WHERE m.case_id = ?1 ORDER BY m.meeting_date DESC, m.start_time DESC, m.id DESC",
    )?;
    let list = stmt
        .query_map([case_id], |r| {
            Ok(MeetingSummary {
                id: r.get(0)?,
                kind: r.get(1)?,
                date: r.get(2)?,
                time: r.get(3)?,
                place: r.get(4)?,
                video_link: r.get(5)?,
                participants: r.get(6)?,
                open_actions: r.get(7)?,
                actions: r.get(8)?,
                has_minutes: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// Delete a meeting created by mistake, with its participants and actions. A meeting whose
/// minutes were filed is a record and stays.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let filed: Option<i64> = conn
        .query_row_cached(
            "SELECT minutes_document_id FROM meeting WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::MeetingNotFound(id))?;
    if filed.is_some() {
        return Err(Error::field(
            "meeting",
            "meeting.minutes_filed",
            "Selle kohtumise protokoll on registreeritud; kohtumist ei saa kustutada.",
            "The minutes of this meeting are filed; the meeting cannot be deleted.",
        ));
    }
    conn.execute_cached("DELETE FROM meeting WHERE id = ?1", [id])?;
    Ok(())
}

pub fn set_minutes_document(conn: &Connection, id: i64, document_id: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE meeting SET minutes_document_id = ?2 WHERE id = ?1",
        params![id, document_id],
    )?;
    Ok(())
}

// ---- Agreed actions ------------------------------------------------------------------------

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

fn action_from_row(r: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<Action> {
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

const ACTION_COLUMNS: &str = "id, meeting_id, what, owner, due_date, early_due_confirmed, done_on";

fn actions(conn: &Connection, meeting_id: i64, today: NaiveDate) -> Result<Vec<Action>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    fn input(what: &str, owner: &str, due: &str, confirm: bool) -> ActionInput {
        ActionInput {
            what: what.into(),
            owner: owner.into(),
            due_date: due.into(),
            confirm_early_due: confirm,
        }
    }

    fn codes(e: Error) -> Vec<(String, String)> {
        match e {
            Error::Validation(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("expected a validation error, got {other}"),
        }
    }

    #[test]
    fn an_action_due_before_the_meeting_is_refused_until_confirmed() {
        let meeting = d(2026, 11, 25);
        let e = validate_action(&input("Saata plaan", "Kadri", "24.11.2026", false), meeting)
            .expect_err("a due date the day before the meeting needs confirming");
        assert_eq!(
            codes(e),
            vec![("dueDate".into(), "action.due_before_meeting".into())]
        );
        let ok = validate_action(&input("Saata plaan", "Kadri", "24.11.2026", true), meeting)
            .expect("a confirmed earlier date is kept");
        assert_eq!(ok.due, d(2026, 11, 24));
        assert!(ok.early_due_confirmed, "the confirmation is remembered");
        let same_day = validate_action(&input("Helistada", "KOV", "2026-11-25", false), meeting)
            .expect("due on the meeting day itself needs no confirmation");
        assert!(!same_day.early_due_confirmed);
    }

    #[test]
    fn what_who_and_a_real_due_date_are_required() {
        let meeting = d(2026, 11, 25);
        let e = validate_action(&input("  ", "", "", false), meeting).expect_err("empty");
        assert_eq!(
            codes(e),
            vec![
                ("what".into(), "required".into()),
                ("owner".into(), "required".into()),
                ("dueDate".into(), "required".into()),
            ]
        );
        let e = validate_action(&input("x", "y", "31.02.2027", false), meeting).expect_err("bad");
        assert_eq!(codes(e), vec![("dueDate".into(), "date.invalid".into())]);
        let e = validate_action(&input("x", "y", "01.01.2036", false), meeting).expect_err("far");
        assert_eq!(codes(e), vec![("dueDate".into(), "date.too_late".into())]);
        let ok = validate_action(&input("  Saata  ", " Kadri ", "1.12.2026", false), meeting)
            .expect("valid");
        assert_eq!((ok.what.as_str(), ok.owner.as_str()), ("Saata", "Kadri"));
    }

    #[test]
    fn done_needs_a_real_date_between_the_meeting_and_today() {
        let meeting = d(2026, 11, 20);
        let today = d(2026, 11, 25);
        let code = |s: &str| check_done(s, meeting, today).map_err(codes);
        assert_eq!(
            code(""),
            Err(vec![("doneOn".into(), "required".into())]),
            "done without a date is refused"
        );
        assert_eq!(
            code("kolmapäeval"),
            Err(vec![("doneOn".into(), "date.format".into())])
        );
        assert_eq!(
            code("26.11.2026"),
            Err(vec![("doneOn".into(), "date.future".into())])
        );
        assert_eq!(
            code("19.11.2026"),
            Err(vec![("doneOn".into(), "action.done_before_meeting".into())])
        );
        assert_eq!(code("20.11.2026"), Ok(meeting));
        assert_eq!(code("2026-11-25"), Ok(today));
    }

    #[test]
    fn urgency_bands_match_the_dashboard() {
        let today = d(2026, 11, 25);
        assert_eq!(urgency(d(2026, 11, 23), today), ("overdue", -2));
        assert_eq!(urgency(today, today), ("today", 0));
        assert_eq!(urgency(d(2026, 11, 26), today), ("week", 1));
        assert_eq!(urgency(d(2026, 12, 2), today), ("week", 7));
        assert_eq!(urgency(d(2026, 12, 3), today), ("later", 8));
    }

    #[test]
    fn actions_are_ordered_overdue_first_then_today_week_later_and_done_last() {
        let today = d(2026, 11, 25);
        let mk = |id: i64, due: NaiveDate, done: Option<NaiveDate>| {
            let (band, days) = urgency(due, today);
            Action {
                id,
                meeting_id: 1,
                what: format!("a{id}"),
                owner: "x".into(),
                due_date: due,
                early_due_confirmed: false,
                done_on: done,
                urgency: if done.is_some() { "done" } else { band }.into(),
                days_left: days,
            }
        };
        let mut list = vec![
            mk(1, d(2026, 12, 20), None),                  // later
            mk(2, d(2026, 11, 20), Some(d(2026, 11, 21))), // done earlier
            mk(3, today, None),                            // today
            mk(4, d(2026, 11, 27), None),                  // this week
            mk(5, d(2026, 11, 22), None),                  // overdue 3 days
            mk(6, d(2026, 11, 24), None),                  // overdue 1 day
            mk(7, d(2026, 11, 10), Some(d(2026, 11, 24))), // done recently
            mk(8, today, None),                            // today, agreed later than 3
        ];
        order_actions(&mut list);
        let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
        assert_eq!(ids, vec![5, 6, 3, 8, 4, 1, 7, 2]);
        let bands: Vec<&str> = list.iter().map(|a| a.urgency.as_str()).collect();
        assert_eq!(
            bands,
            vec!["overdue", "overdue", "today", "today", "week", "later", "done", "done"]
        );
    }

    #[test]
    fn agenda_items_are_read_one_per_line_without_bullets() {
        assert_eq!(
            agenda_items(
                "1. Tutvustus\n\n- Eesmärgid\n  * Kokkulepped  \n2) Järgmine aeg\n2026. aasta"
            ),
            vec![
                "Tutvustus",
                "Eesmärgid",
                "Kokkulepped",
                "Järgmine aeg",
                "2026. aasta"
            ]
        );
    }

    #[test]
    fn the_meeting_time_and_link_are_checked() {
        let app = d(2026, 11, 1);
        let today = d(2026, 11, 25);
        let base = MeetingInput {
            kind: "first".into(),
            date: "26.11.2026".into(),
            time: "9.30".into(),
            place: " Tallinna Lastekeskus ".into(),
            video_link: String::new(),
        };
        let ok = validate_meeting(&base, app, today).expect("valid");
        assert_eq!(ok.time, "09:30");
        assert_eq!(ok.place, "Tallinna Lastekeskus");
        let bad = MeetingInput {
            time: "25:00".into(),
            video_link: "teams meeting".into(),
            kind: "party".into(),
            ..base.clone()
        };
        let mut got = codes(validate_meeting(&bad, app, today).expect_err("bad"));
        got.sort();
        assert_eq!(
            got,
            vec![
                ("kind".into(), "invalid_choice".into()),
                ("time".into(), "time.invalid".into()),
                ("videoLink".into(), "link.invalid".into()),
            ]
        );
        let link = MeetingInput {
            video_link: "https://meet.example.invalid/abc-def".into(),
            time: String::new(),
            ..base
        };
        assert!(validate_meeting(&link, app, today).is_ok());
    }

    #[test]
    fn a_draft_keeps_text_as_typed_and_refuses_only_what_cannot_be_stored() {
        let mut draft = MeetingDraft {
            notes: "  - ema: \"hommikud on rasked\"\n\n\t<b>ei ole HTML</b>  ".into(),
            participants: vec![Participant {
                source: "other".into(),
                presence: "present".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(
            check_draft(&draft).is_ok(),
            "a participant without a name is kept while typing"
        );
        draft.private_notes = "x".repeat(MAX_TEXT + 1);
        draft.participants[0].presence = "maybe".into();
        let mut got = codes(check_draft(&draft).expect_err("too long"));
        got.sort();
        assert_eq!(
            got,
            vec![
                ("participants.0".into(), "invalid_choice".into()),
                ("privateNotes".into(), "too_long".into()),
            ]
        );
    }
}
