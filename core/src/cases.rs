//! Applications and cases: the child, the guardians, the route into the service, the case status
//! and its history. Owns the tables child, srt_case, guardian, case_status_change, case_search.

use crate::clock::ts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Result};
use crate::ids::{PersonalCode, Sex};
use crate::places;

/// Where a case is in the process. Transitions are enforced here, never in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    Incomplete,
    InAssessment,
    Decided,
    ProviderChosen,
    InService,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 7] = [
        CaseStatus::Received,
        CaseStatus::Incomplete,
        CaseStatus::InAssessment,
        CaseStatus::Decided,
        CaseStatus::ProviderChosen,
        CaseStatus::InService,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::Incomplete => "incomplete",
            CaseStatus::InAssessment => "in_assessment",
            CaseStatus::Decided => "decided",
            CaseStatus::ProviderChosen => "provider_chosen",
            CaseStatus::InService => "in_service",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_et(self) -> &'static str {
        match self {
            CaseStatus::Received => "Vastu võetud",
            CaseStatus::Incomplete => "Puudulik, ootab taotlejat",
            CaseStatus::InAssessment => "Hindamisel",
            CaseStatus::Decided => "Otsus tehtud",
            CaseStatus::ProviderChosen => "Teenuseosutaja valitud",
            CaseStatus::InService => "Teenusel",
            CaseStatus::Closed => "Suletud",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            CaseStatus::Received => "Received",
            CaseStatus::Incomplete => "Incomplete, waiting for applicant",
            CaseStatus::InAssessment => "In assessment",
            CaseStatus::Decided => "Decided",
            CaseStatus::ProviderChosen => "Provider chosen",
            CaseStatus::InService => "In service",
            CaseStatus::Closed => "Closed",
        }
    }

    pub fn label_et_of(s: &str) -> String {
        Self::parse(s).map_or_else(|| s.to_string(), |st| st.label_et().to_string())
    }

    pub fn label_en_of(s: &str) -> String {
        Self::parse(s).map_or_else(|| s.to_string(), |st| st.label_en().to_string())
    }

    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }

    /// The statuses a case may move to from this one.
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Received => &[Incomplete, InAssessment, Closed],
            Incomplete => &[InAssessment, Closed],
            InAssessment => &[Incomplete, Decided, Closed],
            Decided => &[ProviderChosen, Closed],
            ProviderChosen => &[InService, Closed],
            InService => &[Closed],
            Closed => &[],
        }
    }

    pub fn can_move_to(self, to: CaseStatus) -> bool {
        self.next().contains(&to)
    }

    /// A reason must be written when the applicant is asked to fix the application and when a
    /// case is closed: both are things the family will ask about.
    pub fn reason_required_for(to: CaseStatus) -> bool {
        matches!(to, CaseStatus::Incomplete | CaseStatus::Closed)
    }
}

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

const ROUTES: [&str; 2] = ["disability", "kov"];
const SEVERITIES: [&str; 3] = ["moderate", "severe", "profound"];
const CHANNELS: [&str; 5] = ["email", "post", "in_person", "eesti_ee", "kov"];
const LANGUAGES: [&str; 3] = ["et", "ru", "en"];
const DELIVERIES: [&str; 4] = ["email", "post", "in_person", "eesti_ee"];
const RELATIONS: [&str; 3] = ["parent", "guardian", "other"];
const MAX_NAME: usize = 100;
const MAX_NOTES: usize = 20_000;

/// Parse a date as the UI sends it (YYYY-MM-DD) or as a coordinator types it (DD.MM.YYYY).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // The year is written in full: chrono's %Y also reads "1.1.26" as the year 26, which then
    // surfaced as "before the child's birth" or a decision dated 01.12.0026.
    let year_digits = |year: &str| {
        year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && ("1900".."2200").contains(&year)
    };
    if let Some(year) = s.split('-').next().filter(|_| s.contains('-')) {
        return year_digits(year)
            .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .flatten();
    }
    let year = s.rsplit('.').next().unwrap_or("");
    year_digits(year)
        .then(|| NaiveDate::parse_from_str(s, "%d.%m.%Y").ok())
        .flatten()
}

/// Whether a text is written as a date (d.m.yyyy, dd.mm.yyyy or yyyy-mm-dd), a real day or not.
fn has_date_form(s: &str) -> bool {
    let s = s.trim();
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let dotted: Vec<&str> = s.split('.').collect();
    let dashed: Vec<&str> = s.split('-').collect();
    (dotted.len() == 3
        && digits(dotted[0], 1, 2)
        && digits(dotted[1], 1, 2)
        && digits(dotted[2], 4, 4))
        || (dashed.len() == 3
            && digits(dashed[0], 4, 4)
            && digits(dashed[1], 1, 2)
            && digits(dashed[2], 1, 2))
}

/// What is wrong with a typed date, said the same way in every form: written in another form
/// ("1.11.26", "eile") or, written right, a day the calendar does not have ("31.11.2026").
/// An empty text is "required" with the form's message.
pub fn date_error(field: impl Into<String>, text: &str) -> FieldError {
    if has_date_form(text) {
        FieldError::new(
            field,
            "date.invalid",
            "Sellist kuupäeva ei ole: kontrolli päeva ja kuud.",
            "There is no such date: check the day and the month.",
        )
    } else {
        FieldError::new(
            field,
            if text.trim().is_empty() {
                "required"
            } else {
                "date.format"
            },
            "Sisesta kuupäev kujul pp.kk.aaaa, nt 05.03.2026.",
            "Enter the date as dd.mm.yyyy, e.g. 05.03.2026.",
        )
    }
}

/// A typed date, or [`date_error`] for it.
pub fn date_in(field: &str, text: &str) -> std::result::Result<NaiveDate, FieldError> {
    parse_date(text).ok_or_else(|| date_error(field, text))
}

pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

pub(crate) fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (5..=15).contains(&digits)
        && s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        && s.trim_start().chars().skip(1).all(|c| c != '+')
}

struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn err(&mut self, field: impl Into<String>, code: &str, et: &str, en: &str) {
        self.errors.push(FieldError::new(field, code, et, en));
    }

    fn required(&mut self, field: &str, value: &str) -> bool {
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

    fn name(&mut self, field: &str, value: &str) {
        if self.required(field, value) && value.trim().chars().count() > MAX_NAME {
            self.err(
                field,
                "too_long",
                "Nimi on liiga pikk (kuni 100 märki).",
                "The name is too long (at most 100 characters).",
            );
        }
    }

    fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) -> bool {
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

    fn email(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() && !is_email(value.trim()) {
            self.err(
                field,
                "email",
                "E-posti aadress ei ole õige kujuga (nt nimi@näide.ee).",
                "The e-mail address is not valid (e.g. name@example.ee).",
            );
        }
    }

    fn phone(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() && !is_phone(value.trim()) {
            self.err(
                field,
                "phone",
                "Telefoninumber ei ole õige kujuga (numbrid, võib alata +-ga).",
                "The phone number is not valid (digits, may start with +).",
            );
        }
    }

    fn municipality(&mut self, conn: &Connection, field: &str, code: &str) -> Result<bool> {
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

fn opt(s: &str) -> Option<&str> {
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

fn next_case_no(tx: &Transaction, year: i32) -> Result<String> {
    let prefix = format!("SRT-{year}-");
    // A desk in a team numbers from the blocks the team server reserved for it.
    if let Some(n) = crate::sync::numbers::take(tx, "case")? {
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
    crate::search::index_case(tx, case_id)?;
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
    crate::search::insert_case_rows(conn, first, i64::MAX)
}

fn insert_search_rows(conn: &Connection, first: i64, last: i64) -> Result<()> {
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
        from: current.clone(),
        to: steps[0].0.to_string(),
    })?;
    for (to, reason, now) in steps {
        let target = CaseStatus::parse(to)
            .filter(|t| from.can_move_to(*t))
            .ok_or_else(|| Error::IllegalTransition {
                from: from.as_str().to_string(),
                to: to.to_string(),
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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CaseFilter {
    pub text: String,
    pub status: String,
    /// "deadline": by the next running deadline, soonest (most overdue) first, then the cases
    /// without one, newest first; anything else (the default): newest application first.
    pub sort: String,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseListItem {
    pub id: i64,
    pub case_no: String,
    pub child_name: String,
    pub personal_code: Option<String>,
    pub birth_date: NaiveDate,
    pub no_personal_code: bool,
    pub status: String,
    pub route_kind: String,
    pub application_date: NaiveDate,
    pub municipality_name: Option<String>,
    pub updated_at: String,
    /// The case's next running deadline as the dashboard counts it, if it has one.
    pub next_deadline: Option<ListDeadline>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ListDeadline {
    pub kind: String,
    pub title: crate::Localized,
    pub due: NaiveDate,
    /// Negative: overdue by that many days.
    pub days_left: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseList {
    pub total: i64,
    pub items: Vec<CaseListItem>,
}

/// The rows a list page asks for: 50 unless told, at least 1 and at most 500, from `offset` (0
/// unless told). The case list, the waiting children and the invoices page alike.
pub(crate) fn page_bounds(limit: Option<u32>, offset: Option<u32>) -> (u32, u32) {
    (limit.unwrap_or(50).clamp(1, 500), offset.unwrap_or(0))
}

pub fn list(conn: &Connection, filter: &CaseFilter, today: NaiveDate) -> Result<CaseList> {
    let (limit, offset) = page_bounds(filter.limit, filter.offset);
    let (limit, offset) = (i64::from(limit), i64::from(offset));
    let status = filter.status.trim();
    if !status.is_empty() && CaseStatus::parse(status).is_none() {
        return Err(Error::field(
            "status",
            "invalid_choice",
            "Tundmatu olek.",
            "Unknown status.",
        ));
    }
    let fts = crate::search::fts_query(&filter.text);
    // Two shapes, not `(?1 = '' OR c.status = ?1)`: with the OR the planner cannot search the
    // status index and walks all of it (a status's page 5 -> 0.5 ms at 100 000 cases).
    let mut where_sql = String::from(if status.is_empty() {
        "WHERE ?1 = ''"
    } else {
        "WHERE c.status = ?1"
    });
    if fts.is_some() {
        where_sql
            .push_str(" AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?2)");
    } else {
        where_sql.push_str(" AND ?2 = ''");
    }
    let q = ListQuery {
        where_sql,
        status: status.to_string(),
        fts: fts.unwrap_or_default(),
        limit,
        offset,
        today: today.to_string(),
    };
    // The stored deadlines (migration 013) brought up to date first, as the dashboard does. On a
    // desk that cannot be written the rows are as the last session left them.
    let _ = crate::schedule::refresh_deadlines(conn);
    // The count and the page from one state of the desk, in one transaction (its start is paid
    // once); the statements are kept prepared.
    crate::store::in_read_transaction(conn, |conn| {
        let mut list = if filter.sort == "deadline" {
            q.by_deadline(conn)?
        } else {
            q.newest_first(conn)?
        };
        q.add_next_deadlines(conn, &mut list.items, today)?;
        Ok(list)
    })
}

/// The condition on a stored deadline row `alias` that it is running and still counts on the day
/// in parameter `today` (a challenge period that is over has ended; it is not overdue). The
/// unary `+` keeps the planner on a case's own rows (the primary key): with the (state, due)
/// index it walks every running deadline of the desk for each case.
fn counts_on(alias: &str, today: &str) -> String {
    format!(
        "+{alias}.state = 'running' AND NOT ({alias}.kind = 'challenge_period' AND {alias}.due < {today})"
    )
}

/// One page of the case list: the filter's condition (on `c`, with the status as ?1 and the
/// text query as ?2) and the page asked for.
struct ListQuery {
    where_sql: String,
    status: String,
    fts: String,
    limit: i64,
    offset: i64,
    today: String,
}

/// The columns of a list row, from `srt_case c` joined to its child and municipality.
const ITEM_COLUMNS: &str =
    "c.id, c.case_no, ch.first_name || ' ' || ch.last_name, ch.personal_code,
        ch.birth_date, c.status, c.route_kind, c.application_date, m.name, c.updated_at";
const ITEM_FROM: &str = "srt_case c JOIN child ch ON ch.id = c.child_id
     LEFT JOIN municipality m ON m.ehak_code = coalesce(c.kov_municipality_code, ch.municipality_code)";

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseListItem> {
    let code: Option<String> = r.get(3)?;
    Ok(CaseListItem {
        id: r.get(0)?,
        case_no: r.get(1)?,
        child_name: r.get(2)?,
        no_personal_code: code.is_none(),
        personal_code: code,
        birth_date: r.get(4)?,
        status: r.get(5)?,
        route_kind: r.get(6)?,
        application_date: r.get(7)?,
        municipality_name: r.get(8)?,
        updated_at: r.get(9)?,
        next_deadline: None,
    })
}

impl ListQuery {
    fn searching(&self) -> bool {
        !self.fts.is_empty()
    }

    /// Each row's next deadline, from the stored deadlines.
    fn add_next_deadlines(
        &self,
        conn: &Connection,
        items: &mut [CaseListItem],
        today: NaiveDate,
    ) -> Result<()> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT d.kind, d.title_et, d.title_en, d.due FROM case_deadline d
             WHERE d.case_id = ?1 AND {} ORDER BY d.due, d.kind LIMIT 1",
            counts_on("d", "?2")
        ))?;
        for item in items {
            item.next_deadline = stmt
                .query_row(params![item.id, self.today], |r| {
                    let due: NaiveDate = r.get(3)?;
                    Ok(ListDeadline {
                        kind: r.get(0)?,
                        title: crate::Localized::new(
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                        ),
                        due,
                        days_left: crate::deadlines::days_left(due, today),
                    })
                })
                .optional()?;
        }
        Ok(())
    }

    fn count(&self, conn: &Connection) -> Result<i64> {
        if self.status.is_empty() && !self.searching() {
            // Without a WHERE, SQLite counts the smallest index page by page instead of row by
            // row (1 against 5 ms at 100 000 cases).
            return Ok(conn
                .prepare_cached("SELECT count(*) FROM srt_case")?
                .query_row([], |r| r.get(0))?);
        }
        let where_sql = &self.where_sql;
        Ok(conn
            .prepare_cached(&format!("SELECT count(*) FROM srt_case c {where_sql}"))?
            .query_row(params![self.status, self.fts], |r| r.get(0))?)
    }

    /// Newest application first, from the date index.
    fn newest_first(&self, conn: &Connection) -> Result<CaseList> {
        let where_sql = &self.where_sql;
        if !self.searching() {
            // The whole list pages from the date index and is counted apart.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} {where_sql}
                 ORDER BY c.application_date DESC, c.id DESC LIMIT ?3 OFFSET ?4"
            ))?;
            let items = stmt
                .query_map(
                    params![self.status, self.fts, self.limit, self.offset],
                    item_from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(CaseList {
                total: self.count(conn)?,
                items,
            });
        }
        // A search sorts all its matches by date: it reads only the case row of each (its date)
        // and counts them in the same statement (a window over the matches, which the page sorts
        // anyway: the text index is searched once); the child and the municipality are read for
        // the page's rows alone. Joined for every match before the sort, "näidis mari" (1 953
        // matches at 100 000 cases) took 11.8 ms; this way 5.7 ms.
        let mut total = None;
        let ids = conn
            .prepare_cached(&format!(
                "SELECT c.id, count(*) OVER () FROM srt_case c {where_sql}
                 ORDER BY c.application_date DESC, c.id DESC LIMIT ?3 OFFSET ?4"
            ))?
            .query_map(
                params![self.status, self.fts, self.limit, self.offset],
                |r| {
                    total.get_or_insert(r.get::<_, i64>(1)?);
                    r.get::<_, i64>(0)
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let items = items_by_id(conn, &ids)?;
        // No row to carry the count (nothing found, or a page past the end): count apart.
        let total = match total {
            Some(n) => n,
            None => self.count(conn)?,
        };
        Ok(CaseList { total, items })
    }

    /// By the next running deadline, soonest first; then the cases without one, newest first.
    /// The first part walks the stored deadlines in date order (their index) and keeps each
    /// case at its earliest deadline, so a page reads about as many rows as it shows.
    fn by_deadline(&self, conn: &Connection) -> Result<CaseList> {
        let where_sql = &self.where_sql;
        let (d_counts, e_counts) = (counts_on("d", "?3"), counts_on("e", "?3"));
        let with_deadline = conn
            .prepare_cached(&format!(
                "SELECT d.case_id FROM case_deadline d JOIN srt_case c ON c.id = d.case_id
                 {where_sql} AND d.state = 'running' AND {d_counts}
                   AND NOT EXISTS (SELECT 1 FROM case_deadline e WHERE e.case_id = d.case_id
                     AND {e_counts} AND (e.due, e.kind) < (d.due, d.kind))
                 ORDER BY d.due, d.case_id LIMIT ?4 OFFSET ?5"
            ))?
            .query_map(
                params![self.status, self.fts, self.today, self.limit, self.offset],
                |r| r.get::<_, i64>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut ids = with_deadline;
        let short = self.limit - ids.len() as i64;
        if short > 0 {
            // The page reaches the cases without a deadline. When it starts among them, skip
            // those that earlier pages showed after the first part.
            let skip = if ids.is_empty() {
                let first_part: i64 = conn
                    .prepare_cached(&format!(
                        "SELECT count(DISTINCT d.case_id) FROM case_deadline d
                         JOIN srt_case c ON c.id = d.case_id {where_sql} AND {d_counts}"
                    ))?
                    .query_row(params![self.status, self.fts, self.today], |r| r.get(0))?;
                (self.offset - first_part).max(0)
            } else {
                0
            };
            let rest = conn
                .prepare_cached(&format!(
                    // The few cases with a deadline are set apart once (NOT IN builds them
                    // into a lookup), not asked about for each case the page skips.
                    "SELECT c.id FROM srt_case c {where_sql}
                       AND c.id NOT IN (SELECT d.case_id FROM case_deadline d WHERE {d_counts})
                     ORDER BY c.application_date DESC, c.id DESC LIMIT ?4 OFFSET ?5"
                ))?
                .query_map(
                    params![self.status, self.fts, self.today, short, skip],
                    |r| r.get::<_, i64>(0),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.extend(rest);
        }
        Ok(CaseList {
            total: self.count(conn)?,
            items: items_by_id(conn, &ids)?,
        })
    }
}

/// The list rows of these cases, in this order.
fn items_by_id(conn: &Connection, ids: &[i64]) -> Result<Vec<CaseListItem>> {
    let mut one = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE c.id = ?1"
    ))?;
    Ok(ids
        .iter()
        .map(|id| one.query_row([id], item_from_row))
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildView {
    pub first_name: String,
    pub last_name: String,
    pub personal_code: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub no_personal_code: bool,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    pub address: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardianView {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub personal_code: Option<String>,
    pub phone: String,
    pub email: String,
    pub postal_address: String,
    pub language: String,
    pub delivery: String,
    pub relation: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    pub kind: String,
    pub severity: Option<String>,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    pub worker_name: String,
    pub worker_phone: String,
    pub worker_email: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub to: String,
    pub reason_required: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseDetail {
    pub id: i64,
    pub case_no: String,
    pub status: String,
    pub child: ChildView,
    pub guardians: Vec<GuardianView>,
    pub route: RouteView,
    pub application_date: NaiveDate,
    pub channel: String,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    pub history: Vec<StatusChange>,
    pub allowed_transitions: Vec<Transition>,
    pub complete_on: Option<NaiveDate>,
    pub deadlines: Vec<crate::schedule::CaseDeadline>,
    pub next_deadline: Option<crate::schedule::CaseDeadline>,
}

/// Set the day the application became complete (the decision clock counts from it).
pub fn set_complete_on(conn: &Connection, case_id: i64, on: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE srt_case SET complete_on = ?2 WHERE id = ?1")?
        .execute(params![case_id, on.to_string()])?;
    Ok(())
}

pub fn get(conn: &Connection, case_id: i64, today: NaiveDate) -> Result<CaseDetail> {
    let mut detail = conn
        .prepare_cached(
            "SELECT c.id, c.case_no, c.status, ch.first_name, ch.last_name, ch.personal_code,
                    ch.birth_date, ch.sex, ch.municipality_code, cm.name, ch.address,
                    c.route_kind, c.severity, c.kov_municipality_code, km.name, c.kov_worker_name,
                    c.kov_worker_phone, c.kov_worker_email, c.application_date, c.channel, c.notes,
                    c.created_at, c.updated_at
             FROM srt_case c JOIN child ch ON ch.id = c.child_id
             LEFT JOIN municipality cm ON cm.ehak_code = ch.municipality_code
             LEFT JOIN municipality km ON km.ehak_code = c.kov_municipality_code
             WHERE c.id = ?1",
        )?
        .query_row([case_id], |r| {
            let code: Option<String> = r.get(5)?;
            Ok(CaseDetail {
                id: r.get(0)?,
                case_no: r.get(1)?,
                status: r.get(2)?,
                child: ChildView {
                    first_name: r.get(3)?,
                    last_name: r.get(4)?,
                    no_personal_code: code.is_none(),
                    personal_code: code,
                    birth_date: r.get(6)?,
                    sex: r.get(7)?,
                    municipality_code: r.get(8)?,
                    municipality_name: r.get(9)?,
                    address: r.get(10)?,
                },
                guardians: Vec::new(),
                route: RouteView {
                    kind: r.get(11)?,
                    severity: r.get(12)?,
                    municipality_code: r.get(13)?,
                    municipality_name: r.get(14)?,
                    worker_name: r.get(15)?,
                    worker_phone: r.get(16)?,
                    worker_email: r.get(17)?,
                },
                application_date: r.get(18)?,
                channel: r.get(19)?,
                notes: r.get(20)?,
                created_at: r.get(21)?,
                updated_at: r.get(22)?,
                history: Vec::new(),
                allowed_transitions: Vec::new(),
                complete_on: None,
                deadlines: Vec::new(),
                next_deadline: None,
            })
        })
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, first_name, last_name, personal_code, phone, email, postal_address, language,
                delivery, relation
         FROM guardian WHERE case_id = ?1 ORDER BY position",
    )?;
    detail.guardians = stmt
        .query_map([case_id], |r| {
            Ok(GuardianView {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                personal_code: r.get(3)?,
                phone: r.get(4)?,
                email: r.get(5)?,
                postal_address: r.get(6)?,
                language: r.get(7)?,
                delivery: r.get(8)?,
                relation: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT from_status, to_status, reason, changed_at FROM case_status_change
         WHERE case_id = ?1 ORDER BY id",
    )?;
    detail.history = stmt
        .query_map([case_id], |r| {
            Ok(StatusChange {
                from_status: r.get(0)?,
                to_status: r.get(1)?,
                reason: r.get(2)?,
                at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    detail.allowed_transitions = CaseStatus::parse(&detail.status)
        .map(|s| {
            s.next()
                .iter()
                .map(|t| Transition {
                    to: t.as_str().to_string(),
                    reason_required: CaseStatus::reason_required_for(*t),
                })
                .collect()
        })
        .unwrap_or_default();
    let facts = crate::schedule::facts(conn, case_id)?;
    detail.complete_on = facts.complete_on;
    let book = crate::rules::RuleBook::load(conn)?;
    detail.deadlines = crate::schedule::case_deadlines(&book, &facts, today);
    crate::schedule::merge_registration(conn, case_id, today, &mut detail.deadlines)?;
    detail.next_deadline = crate::schedule::next_deadline(&detail.deadlines);
    Ok(detail)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseCounts {
    pub total: i64,
    pub by_status: std::collections::BTreeMap<String, i64>,
}

pub fn counts(conn: &Connection) -> Result<CaseCounts> {
    let mut by_status: std::collections::BTreeMap<String, i64> = CaseStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut stmt = conn.prepare_cached("SELECT status, count(*) FROM srt_case GROUP BY status")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut total = 0;
    for row in rows {
        let (s, n) = row?;
        total += n;
        by_status.insert(s, n);
    }
    Ok(CaseCounts { total, by_status })
}

/// A request to the applicant for missing documents.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DocumentRequest {
    pub what: String,
    pub recipient: String,
    pub sent_on: String,
    pub due_date: String,
}

impl DocumentRequest {
    /// The outgoing letter it is recorded as.
    pub fn to_document(&self) -> crate::documents::DocumentInput {
        crate::documents::DocumentInput {
            direction: "out".into(),
            doc_type: "missing_request".into(),
            title: "Puuduvate dokumentide nõue".into(),
            doc_date: self.sent_on.clone(),
            reg_no: String::new(),
            party: self.recipient.clone(),
            due_date: self.due_date.clone(),
            notes: self.what.clone(),
        }
    }

    /// Document field names become the request form's names.
    pub fn map_errors(&self, e: Error) -> Error {
        match e {
            Error::Validation(fields) => Error::Validation(
                fields
                    .into_iter()
                    .map(|mut f| {
                        f.field = match f.field.as_str() {
                            "docDate" => "sentOn".into(),
                            "party" => "recipient".into(),
                            other => other.to_string(),
                        };
                        f
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn check(&self, due: Option<NaiveDate>) -> Result<()> {
        let mut errors = Vec::new();
        if self.what.trim().is_empty() {
            errors.push(FieldError::new(
                "what",
                "required",
                "Kirjuta, mis dokumendid puuduvad: see läheb taotlejale saadetavasse nõudesse.",
                "Write which documents are missing: it goes into the request to the applicant.",
            ));
        }
        if self.recipient.trim().is_empty() {
            errors.push(FieldError::new(
                "recipient",
                "required",
                "Kohustuslik väli.",
                "This field is required.",
            ));
        }
        if due.is_none() {
            errors.push(FieldError::new(
                "dueDate",
                "required",
                "Määra tähtaeg puuduste kõrvaldamiseks.",
                "Set the deadline for fixing the application.",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errors))
        }
    }
}

/// The day the missing documents arrived: a real date, not before the request, not in the future.
pub fn parse_received_on(
    input: &str,
    requested_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let err = |code: &str, et: &str, en: &str| Err(Error::field("receivedOn", code, et, en));
    match parse_date(input) {
        None => Err(Error::Validation(vec![date_error("receivedOn", input)])),
        Some(d) if d > today => err(
            "date.future",
            "Saabumise kuupäev ei saa olla tulevikus.",
            "The arrival date cannot be in the future.",
        ),
        Some(d) if requested_on.is_some_and(|r| d < r) => err(
            "date.before_request",
            "Dokumendid ei saa saabuda enne nende küsimist.",
            "The documents cannot arrive before they were asked for.",
        ),
        Some(d) => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn the_process_moves_forward_and_may_close_at_any_open_step() {
        assert!(Received.can_move_to(InAssessment));
        assert!(Received.can_move_to(Incomplete));
        assert!(Incomplete.can_move_to(InAssessment));
        assert!(InAssessment.can_move_to(Decided));
        assert!(Decided.can_move_to(ProviderChosen));
        assert!(ProviderChosen.can_move_to(InService));
        assert!(InService.can_move_to(Closed));
        for s in CaseStatus::ALL.iter().filter(|s| s.is_open()) {
            assert!(s.can_move_to(Closed), "{s:?} can be closed");
        }
    }

    #[test]
    fn no_skipping_steps_no_going_back_no_reopening() {
        assert!(
            !Received.can_move_to(Decided),
            "no decision without assessment"
        );
        assert!(!Received.can_move_to(InService));
        assert!(!Decided.can_move_to(InAssessment));
        assert!(!InService.can_move_to(ProviderChosen));
        assert!(Closed.next().is_empty(), "a closed case stays closed");
        for s in CaseStatus::ALL {
            assert!(!s.can_move_to(s), "{s:?} cannot move to itself");
        }
    }

    #[test]
    fn reason_required_when_closing_or_asking_to_fix() {
        assert!(CaseStatus::reason_required_for(Closed));
        assert!(CaseStatus::reason_required_for(Incomplete));
        assert!(!CaseStatus::reason_required_for(InAssessment));
    }

    #[test]
    fn status_codes_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CaseStatus::parse("open"), None);
    }

    #[test]
    fn a_date_in_the_wrong_form_and_a_day_that_does_not_exist_each_have_one_message() {
        // 31.11.2026 is written right: the coordinator must hear that November has no 31st,
        // not to write the date "as dd.mm.yyyy" (which it already is).
        let impossible = [
            date_error("serviceDate", "31.11.2026"),
            date_error("serviceDate", "2026-11-31"),
            date_error("validFrom", "29.02.2027"),
        ];
        for e in &impossible {
            assert_eq!(e.code, "date.invalid");
            assert_eq!(
                e.message.et,
                "Sellist kuupäeva ei ole: kontrolli päeva ja kuud."
            );
        }
        for text in ["1.11.26", "eile", "31/11", "2026.11.30"] {
            let e = date_error("serviceDate", text);
            assert_eq!(e.code, "date.format", "{text}");
            assert_eq!(
                e.message.et, "Sisesta kuupäev kujul pp.kk.aaaa, nt 05.03.2026.",
                "{text}"
            );
        }
        assert_eq!(date_error("x", "  ").code, "required");
        assert_eq!(
            date_in("x", "5.3.2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 5).expect("day"))
        );
    }

    #[test]
    fn dates_in_both_formats_and_impossible_dates() {
        assert_eq!(
            parse_date("2026-03-01"),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        assert_eq!(
            parse_date("01.03.2026"),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        assert_eq!(parse_date("2026-02-30"), None);
        // A year of two digits is not read as the year 26 (or 0026).
        assert_eq!(parse_date("1.1.26"), None);
        assert_eq!(parse_date("01.12.26"), None);
        assert_eq!(parse_date("26-12-01"), None);
        assert_eq!(
            parse_date("0026-12-01"),
            None,
            "no date of this work is before 1900"
        );
        assert_eq!(parse_date("1.1.2026"), NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(parse_date("29.02.2025"), None);
        assert_eq!(
            parse_date("29.02.2024"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn contact_shapes() {
        assert!(is_email("mari.maasikas@example.ee"));
        assert!(!is_email("mari@"));
        assert!(!is_email("mari example.ee"));
        assert!(!is_email("a@b@c.ee"));
        assert!(is_phone("+372 5123 4567"));
        assert!(is_phone("5123456"));
        assert!(!is_phone("12"));
        assert!(!is_phone("51a23456"));
        assert!(!is_phone("51+23456"));
    }
}
