//! Intake: the application, its checks, registering, status changes.

use super::*;

/// What the coordinator submits when registering an application. Strings as typed; checked by
/// [`validate_application`], which names every field in error.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationInput {
    pub child: ChildInput,
    pub guardians: Vec<GuardianInput>,
    pub route: RouteInput,
    pub application_date: String,
    pub channel: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChildInput {
    pub first_name: String,
    pub last_name: String,
    pub personal_code: String,
    pub birth_date: String,
    pub sex: String,
    pub municipality_code: String,
    pub address: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GuardianInput {
    pub first_name: String,
    pub last_name: String,
    pub personal_code: String,
    pub phone: String,
    pub email: String,
    pub postal_address: String,
    pub language: String,
    pub delivery: String,
    pub relation: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RouteInput {
    pub kind: String,
    pub severity: String,
    pub municipality_code: String,
    pub worker_name: String,
    pub worker_phone: String,
    pub worker_email: String,
}

pub(super) const ROUTES: [&str; 2] = ["disability", "kov"];
pub(super) const SEVERITIES: [&str; 3] = ["moderate", "severe", "profound"];
pub(super) const CHANNELS: [&str; 5] = ["email", "post", "in_person", "eesti_ee", "kov"];
pub(super) const LANGUAGES: [&str; 3] = ["et", "ru", "en"];
pub(super) const DELIVERIES: [&str; 4] = ["email", "post", "in_person", "eesti_ee"];
pub(super) const RELATIONS: [&str; 3] = ["parent", "guardian", "other"];
pub(super) const MAX_NAME: usize = 100;
pub(super) const MAX_NOTES: usize = 20_000;

pub(super) struct Check {
    pub(super) errors: Vec<FieldError>,
}

impl Check {
    pub(super) fn err(&mut self, field: impl Into<String>, code: &str, et: &str, en: &str) {
        self.errors.push(FieldError::new(field, code, et, en));
    }

    pub(super) fn required(&mut self, field: &str, value: &str) -> bool {
        if value.trim().is_empty() {
            self.err(
                field,
                "required",
                "Kohustuslik väli.",
                "This field is required.",
            );
            false
        } else {
            true
        }
    }

    pub(super) fn name(&mut self, field: &str, value: &str) {
        if self.required(field, value) && value.trim().chars().count() > MAX_NAME {
            self.err(
                field,
                "too_long",
                "Nimi on liiga pikk (kuni 100 märki).",
                "The name is too long (at most 100 characters).",
            );
        }
    }

    pub(super) fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) -> bool {
        if !self.required(field, value) {
            return false;
        }
        if !allowed.contains(&value) {
            self.err(
                field,
                "invalid_choice",
                "Vali loetelust.",
                "Choose from the list.",
            );
            return false;
        }
        true
    }

    pub(super) fn email(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() && !is_email(value.trim()) {
            self.err(
                field,
                "email",
                "E-posti aadress ei ole õige kujuga (nt nimi@näide.ee).",
                "The e-mail address is not valid (e.g. name@example.ee).",
            );
        }
    }

    pub(super) fn phone(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() && !is_phone(value.trim()) {
            self.err(
                field,
                "phone",
                "Telefoninumber ei ole õige kujuga (numbrid, võib alata +-ga).",
                "The phone number is not valid (digits, may start with +).",
            );
        }
    }

    pub(super) fn municipality(
        &mut self,
        conn: &Connection,
        field: &str,
        code: &str,
    ) -> Result<bool> {
        if !code.is_empty() && places::municipality_name(conn, code)?.is_none() {
            self.err(
                field,
                "unknown_municipality",
                "Tundmatu omavalitsus.",
                "Unknown municipality.",
            );
            return Ok(false);
        }
        Ok(true)
    }
}

/// A checked application, ready to store.
#[derive(Debug, Clone)]
pub struct ValidApplication {
    pub input: ApplicationInput,
    pub child_code: Option<PersonalCode>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub application_date: NaiveDate,
}

/// Check every field; all errors are reported at once, each with its field path.
pub fn validate_application(
    conn: &Connection,
    input: &ApplicationInput,
    today: NaiveDate,
) -> Result<ValidApplication> {
    let mut c = Check { errors: Vec::new() };
    let child = &input.child;
    c.name("child.firstName", &child.first_name);
    c.name("child.lastName", &child.last_name);

    let mut child_code = None;
    let mut birth = None;
    let mut sex = None;
    if child.personal_code.trim().is_empty() {
        // A child without an Estonian code: the birth date and sex are entered by hand.
        // Not marked required in the form (a child with a code has neither): the message says
        // why they are needed here.
        if child.birth_date.trim().is_empty() {
            c.err(
                "child.birthDate",
                "required",
                "Lapsel ei ole isikukoodi: sisesta sünnikuupäev.",
                "The child has no personal code: enter the birth date.",
            );
        } else {
            match parse_date(&child.birth_date) {
                Some(d) if d > today => c.err(
                    "child.birthDate",
                    "date.future",
                    "Sünnikuupäev ei saa olla tulevikus.",
                    "The birth date cannot be in the future.",
                ),
                Some(d) => birth = Some(d),
                None => c
                    .errors
                    .push(date_error("child.birthDate", &child.birth_date)),
            }
        }
        if child.sex.trim().is_empty() {
            c.err(
                "child.sex",
                "required",
                "Lapsel ei ole isikukoodi: vali sugu.",
                "The child has no personal code: choose the sex.",
            );
        } else if c.one_of("child.sex", &child.sex, &["male", "female"]) {
            sex = Sex::parse(&child.sex);
        }
    } else {
        match PersonalCode::parse(&child.personal_code) {
            Ok(pc) if pc.birth_date() > today => c.err(
                "child.personalCode",
                "personal_code.future",
                "Isikukoodi järgi on laps sündinud tulevikus.",
                "By this personal code the child is born in the future.",
            ),
            Ok(pc) => {
                birth = Some(pc.birth_date());
                sex = Some(pc.sex());
                child_code = Some(pc);
            }
            Err(e) => c.errors.push(e.to_field_error("child.personalCode")),
        }
    }
    // The municipality of residence is marked required on the form: it decides the county the
    // case is counted in, the KOV to work with and the providers near the family.
    if c.required("child.municipalityCode", &child.municipality_code) {
        c.municipality(
            conn,
            "child.municipalityCode",
            child.municipality_code.trim(),
        )?;
    }

    if input.guardians.is_empty() {
        c.err(
            "guardians",
            "guardian.required",
            "Lisa vähemalt üks lapse esindaja.",
            "Add at least one of the child's representatives.",
        );
    }
    for (i, g) in input.guardians.iter().enumerate() {
        let f = |name: &str| format!("guardians.{i}.{name}");
        c.name(&f("firstName"), &g.first_name);
        c.name(&f("lastName"), &g.last_name);
        if !g.personal_code.trim().is_empty() {
            if let Err(e) = PersonalCode::parse(&g.personal_code) {
                c.errors.push(e.to_field_error(&f("personalCode")));
            }
        }
        c.phone(&f("phone"), &g.phone);
        c.email(&f("email"), &g.email);
        c.one_of(&f("language"), &g.language, &LANGUAGES);
        c.one_of(&f("relation"), &g.relation, &RELATIONS);
        if c.one_of(&f("delivery"), &g.delivery, &DELIVERIES) {
            if g.delivery == "email" && g.email.trim().is_empty() {
                c.err(
                    f("email"),
                    "delivery.email_missing",
                    "Dokumendid saadetakse e-postiga: sisesta e-posti aadress.",
                    "Documents go by e-mail: enter the e-mail address.",
                );
            }
            if g.delivery == "post" && g.postal_address.trim().is_empty() {
                c.err(
                    f("postalAddress"),
                    "delivery.address_missing",
                    "Dokumendid saadetakse postiga: sisesta postiaadress.",
                    "Documents go by post: enter the postal address.",
                );
            }
        }
        if g.phone.trim().is_empty() && g.email.trim().is_empty() {
            c.err(
                f("phone"),
                "contact.missing",
                "Sisesta telefon või e-post, et esindajaga ühendust saada.",
                "Enter a phone or an e-mail to reach the representative.",
            );
        }
    }

    let route = &input.route;
    if c.one_of("route.kind", &route.kind, &ROUTES) {
        if route.kind == "disability" {
            c.one_of("route.severity", &route.severity, &SEVERITIES);
        } else {
            if c.required("route.municipalityCode", &route.municipality_code) {
                c.municipality(
                    conn,
                    "route.municipalityCode",
                    route.municipality_code.trim(),
                )?;
            }
            c.name("route.workerName", &route.worker_name);
            c.phone("route.workerPhone", &route.worker_phone);
            c.email("route.workerEmail", &route.worker_email);
            if route.worker_phone.trim().is_empty() && route.worker_email.trim().is_empty() {
                c.err(
                    "route.workerEmail",
                    "contact.missing",
                    "Sisesta lastekaitsetöötaja e-post või telefon.",
                    "Enter the child-protection worker's e-mail or phone.",
                );
            }
        }
    }

    let mut application_date = None;
    if c.required("applicationDate", &input.application_date) {
        match parse_date(&input.application_date) {
            Some(d) if d > today => c.err(
                "applicationDate",
                "date.future",
                "Taotluse kuupäev ei saa olla tulevikus.",
                "The application date cannot be in the future.",
            ),
            Some(d) if birth.is_some_and(|b| d < b) => c.err(
                "applicationDate",
                "date.before_birth",
                "Taotluse kuupäev on enne lapse sündi.",
                "The application date is before the child's birth.",
            ),
            Some(d) => application_date = Some(d),
            None => c
                .errors
                .push(date_error("applicationDate", &input.application_date)),
        }
    }
    c.one_of("channel", &input.channel, &CHANNELS);
    if input.notes.chars().count() > MAX_NOTES {
        c.err(
            "notes",
            "too_long",
            "Märkused on liiga pikad.",
            "The notes are too long.",
        );
    }

    match (birth, sex, application_date) {
        (Some(birth_date), Some(sex), Some(application_date)) if c.errors.is_empty() => {
            Ok(ValidApplication {
                input: input.clone(),
                child_code,
                birth_date,
                sex,
                application_date,
            })
        }
        _ => Err(Error::Validation(c.errors)),
    }
}

pub(super) fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// The open case of a child with this personal code, if any.
pub fn open_case_for_code(conn: &Connection, code: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.case_no FROM srt_case c JOIN child ch ON ch.id = c.child_id
             WHERE ch.personal_code = ?1 AND c.status <> 'closed' ORDER BY c.id DESC LIMIT 1",
        )?
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn next_case_no(tx: &Transaction, year: i32) -> Result<String> {
    let prefix = format!("SRT-{year}-");
    // A desk in a team numbers from the blocks the team server reserved for it.
    if let Some(n) = crate::store::team_numbers::take(tx, "case")? {
        return Ok(format!("{prefix}{n:05}"));
    }
    // A range on the unique index (LIKE would scan every case).
    let last: Option<String> = tx
        .prepare_cached(
            "SELECT case_no FROM srt_case WHERE case_no >= ?1 AND case_no < ?1 || '~'
             ORDER BY case_no DESC LIMIT 1",
        )?
        .query_row([&prefix], |r| r.get(0))
        .optional()?;
    let n = last
        .and_then(|s| s.strip_prefix(&prefix).and_then(|n| n.parse::<u32>().ok()))
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}{n:05}"))
}

/// Store a validated application as a new case in status "received". Refuses a second open case
/// for the same child.
pub fn register(tx: &Transaction, app: &ValidApplication, now: DateTime<Utc>) -> Result<i64> {
    let case_id = register_unindexed(tx, app, now)?;
    refresh_search(tx, case_id)?;
    crate::cases::search::index_case(tx, case_id)?;
    Ok(case_id)
}

/// [`register`] without the search rows, for a bulk load that indexes the cases it added at its
/// end ([`index_cases_in_bulk`]).
pub(crate) fn register_unindexed(
    tx: &Transaction,
    app: &ValidApplication,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = ts(now);
    let input = &app.input;
    let code = app.child_code.as_ref().map(|c| c.as_str().to_string());
    if let Some(code) = &code {
        if let Some((case_id, case_no)) = open_case_for_code(tx, code)? {
            return Err(Error::DuplicateOpenCase { case_id, case_no });
        }
    }
    let child = &input.child;
    let existing: Option<i64> = match &code {
        Some(code) => tx
            .prepare_cached("SELECT id FROM child WHERE personal_code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let child_id = match existing {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE child SET first_name = ?2, last_name = ?3, birth_date = ?4, sex = ?5,
                 municipality_code = ?6, address = ?7, updated_at = ?8 WHERE id = ?1",
            )?
            .execute(params![
                id,
                child.first_name.trim(),
                child.last_name.trim(),
                app.birth_date.to_string(),
                app.sex.as_str(),
                opt(&child.municipality_code),
                child.address.trim(),
                now_s
            ])?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO child (first_name, last_name, personal_code, birth_date, sex,
                 municipality_code, address, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?
            .execute(params![
                child.first_name.trim(),
                child.last_name.trim(),
                code,
                app.birth_date.to_string(),
                app.sex.as_str(),
                opt(&child.municipality_code),
                child.address.trim(),
                now_s
            ])?;
            tx.last_insert_rowid()
        }
    };
    let case_no = next_case_no(tx, app.application_date.year())?;
    let route = &input.route;
    let is_kov = route.kind == "kov";
    tx.prepare_cached("INSERT INTO srt_case (case_no, child_id, status, route_kind, severity, kov_municipality_code,
         kov_worker_name, kov_worker_phone, kov_worker_email, application_date, channel, notes,
         created_at, updated_at, complete_on)
         VALUES (?1, ?2, 'received', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?9)")?.execute(
        params![
            case_no,
            child_id,
            route.kind,
            (!is_kov).then_some(route.severity.as_str()),
            if is_kov { opt(&route.municipality_code) } else { None },
            if is_kov { route.worker_name.trim() } else { "" },
            if is_kov { route.worker_phone.trim() } else { "" },
            if is_kov { route.worker_email.trim() } else { "" },
            app.application_date.to_string(),
            input.channel,
            input.notes.trim_end(),
            now_s
        ],
    )?;
    let case_id = tx.last_insert_rowid();
    for (i, g) in input.guardians.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO guardian (case_id, position, first_name, last_name, personal_code, phone,
             email, postal_address, language, delivery, relation, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        )?
        .execute(params![
            case_id,
            i as i64,
            g.first_name.trim(),
            g.last_name.trim(),
            opt(&g.personal_code),
            g.phone.trim(),
            g.email.trim(),
            g.postal_address.trim(),
            g.language,
            g.delivery,
            g.relation,
            now_s
        ])?;
    }
    tx.prepare_cached(
        "INSERT INTO case_status_change (case_id, from_status, to_status, reason, changed_at,
         created_at, updated_at) VALUES (?1, NULL, 'received', ?2, ?3, ?3, ?3)",
    )?
    .execute(params![case_id, "Taotlus registreeritud", now_s])?;
    Ok(case_id)
}

/// Keep the full-text index of one case in step with its child and number.
pub fn refresh_search(conn: &Connection, case_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_search WHERE rowid = ?1")?
        .execute([case_id])?;
    insert_search_rows(conn, case_id, case_id)?;
    // A case renumbered when its desk joined a team is found by its old number too.
    conn.prepare_cached(
        "UPDATE case_search SET body = body || ' ' || (SELECT former_case_no FROM srt_case WHERE id = ?1)
         WHERE rowid = ?1 AND (SELECT former_case_no FROM srt_case WHERE id = ?1) IS NOT NULL",
    )?
    .execute([case_id])?;
    Ok(())
}

/// Both search indexes (the case list's and the global one) for the cases with ids from `first`
/// on, which hold no rows there yet: a bulk load's cases, in one pass at its end.
pub(crate) fn index_cases_in_bulk(conn: &Connection, first: i64) -> Result<()> {
    insert_search_rows(conn, first, i64::MAX)?;
    crate::cases::search::insert_case_rows(conn, first, i64::MAX)
}

pub(super) fn insert_search_rows(conn: &Connection, first: i64, last: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO case_search (rowid, body)
         SELECT c.id, ch.first_name || ' ' || ch.last_name || ' ' || coalesce(ch.personal_code, '')
                || ' ' || c.case_no
         FROM srt_case c JOIN child ch ON ch.id = c.child_id WHERE c.id BETWEEN ?1 AND ?2",
    )?
    .execute([first, last])?;
    Ok(())
}

/// Move a case to another status, with a reason; illegal moves are refused.
pub fn change_status(
    tx: &Transaction,
    case_id: i64,
    to: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    change_status_steps(tx, case_id, &[(to, reason, now)])
}

/// Several status changes of one case in a row, each checked as [`change_status`] checks it and
/// each in the history; the case row is written once, with the last step's status. All or
/// nothing only within the caller's transaction.
pub fn change_status_steps(
    tx: &Transaction,
    case_id: i64,
    steps: &[(&str, &str, DateTime<Utc>)],
) -> Result<()> {
    let Some(((_, _, last_at), _)) = steps.split_last() else {
        return Ok(());
    };
    let (current, mut complete_on): (String, Option<String>) = tx
        .prepare_cached("SELECT status, complete_on FROM srt_case WHERE id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))?;
    let mut from = CaseStatus::parse(&current).ok_or_else(|| Error::IllegalTransition {
        from: CaseStatus::labels_of(&current),
        to: CaseStatus::labels_of(steps[0].0),
    })?;
    for (to, reason, now) in steps {
        let target = CaseStatus::parse(to)
            .filter(|t| from.can_move_to(*t))
            .ok_or_else(|| Error::IllegalTransition {
                from: CaseStatus::labels_of(from.as_str()),
                to: CaseStatus::labels_of(to),
            })?;
        let reason = reason.trim();
        if CaseStatus::reason_required_for(target) && reason.is_empty() {
            return Err(Error::Validation(vec![FieldError::new(
                "reason",
                "case.reason_required",
                "Kirjuta põhjus: see jääb juhtumi ajalukku.",
                "Write the reason: it stays in the case history.",
            )]));
        }
        // The decision clock stops while the applicant fixes the application and starts again
        // from the day it is complete.
        match (from, target) {
            (_, CaseStatus::Incomplete) => complete_on = None,
            (CaseStatus::Incomplete, _) => complete_on = Some(now.date_naive().to_string()),
            _ => {}
        }
        tx.prepare_cached(
            "INSERT INTO case_status_change (case_id, from_status, to_status, reason, changed_at,
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)",
        )?
        .execute(params![
            case_id,
            from.as_str(),
            target.as_str(),
            reason,
            ts(*now)
        ])?;
        from = target;
    }
    tx.prepare_cached(
        "UPDATE srt_case SET status = ?2, updated_at = ?3, complete_on = ?4 WHERE id = ?1",
    )?
    .execute(params![case_id, from.as_str(), ts(*last_at), complete_on])?;
    Ok(())
}
