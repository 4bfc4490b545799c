//! Meetings.

use super::*;

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

pub(super) fn parse_time(s: &str) -> Option<String> {
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

pub(super) fn participants(conn: &Connection, meeting_id: i64) -> Result<Vec<Participant>> {
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

pub(super) fn relation_role(relation: &str) -> &'static str {
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
