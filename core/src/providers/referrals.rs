//! From a decided case to a provider: matching providers to the case's needs (activities, the
//! child's age, the family's language, nearest first, shortest wait first, with reasons), the
//! family's choice (provider, registration, start of service), the registration deadline, and the
//! overview of children waiting and where the service is scarce. Owns provider_choice.

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::cases::CaseStatus;
use crate::error::{Error, FieldError, Localized, Result};
use crate::providers::{self, Catalog, Provider};
use crate::values::parse_date;

pub use super::registration::Choice;
use super::registration::{choices, current_choice, recorded_delivery, registration_deadline};

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// What a case needs from a provider.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Needs {
    pub activities: Vec<String>,
    pub age: i64,
    pub language: Option<String>,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
    pub county_code: Option<String>,
}

/// How near a provider is: its nearest location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Nearness {
    SameMunicipality,
    SameCounty,
    NeighbouringCounty,
    Elsewhere,
}

impl Nearness {
    fn text(self, place: &str) -> Localized {
        match self {
            Nearness::SameMunicipality => Localized::new(
                format!("Samas omavalitsuses ({place})"),
                format!("In the same municipality ({place})"),
            ),
            Nearness::SameCounty => Localized::new(
                format!("Samas maakonnas ({place})"),
                format!("In the same county ({place})"),
            ),
            Nearness::NeighbouringCounty => Localized::new(
                format!("Naabermaakonnas ({place})"),
                format!("In a neighbouring county ({place})"),
            ),
            Nearness::Elsewhere => Localized::new(
                format!("Kaugemal ({place})"),
                format!("Further away ({place})"),
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub code: String,
    pub ok: bool,
    /// Fits, but the coordinator should know (a licence or the Board's contract ending soon or
    /// not recorded): shown with the reasons, does not make the provider a partial match.
    pub warning: bool,
    pub text: Localized,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub provider_id: i64,
    pub name: String,
    pub nearness: Nearness,
    pub nearest_place: String,
    pub waiting_days: Option<i64>,
    pub free_places: Option<i64>,
    pub capacity_confirmed_on: Option<NaiveDate>,
    /// No shortfall among the reasons: every activity, the age, the language, the child's own
    /// county (or the next one), a free place, a valid licence and contract.
    pub full_match: bool,
    /// How many reasons fall short (✗): the rank puts fewer first.
    pub shortfalls: usize,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MatchResult {
    pub case_id: i64,
    pub needs: Needs,
    pub candidates: Vec<Candidate>,
}

fn nearness(catalog: &Catalog, needs: &Needs, p: &Provider) -> (Nearness, String) {
    let mut best = (Nearness::Elsewhere, String::new());
    for (i, l) in p.locations.iter().enumerate() {
        let n = match (&needs.municipality_code, &needs.county_code) {
            (Some(m), _) if *m == l.municipality_code => Nearness::SameMunicipality,
            (_, Some(c)) if *c == l.county_code => Nearness::SameCounty,
            (_, Some(c))
                if catalog
                    .neighbours
                    .contains(&(c.clone(), l.county_code.clone())) =>
            {
                Nearness::NeighbouringCounty
            }
            _ => Nearness::Elsewhere,
        };
        if i == 0 || n < best.0 {
            best = (n, l.municipality_name.clone());
        }
    }
    best
}

fn lang_name(code: &str) -> (&'static str, &'static str) {
    match code {
        "ru" => ("vene", "Russian"),
        "en" => ("inglise", "English"),
        _ => ("eesti", "Estonian"),
    }
}

/// Rank the providers for the needs: those offering at least one needed activity (every active
/// provider when no activity is assessed yet); those that fit ("sobib": no shortfall among the
/// reasons) first, then fewest shortfalls, nearest, shortest wait. Each candidate says why it
/// fits or falls short, and the badge is what those reasons say.
pub fn rank(
    catalog: &Catalog,
    needs: &Needs,
    providers: &[Provider],
    today: NaiveDate,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for p in providers.iter().filter(|p| p.active) {
        let offered: Vec<&String> = needs.activities.iter().filter(|a| p.offers(a)).collect();
        if !needs.activities.is_empty() && offered.is_empty() {
            continue;
        }
        let mut reasons = Vec::new();
        let missing: Vec<&String> = needs.activities.iter().filter(|a| !p.offers(a)).collect();
        if !needs.activities.is_empty() {
            if missing.is_empty() {
                reasons.push(Reason {
                    code: "activities".into(),
                    ok: true,
                    warning: false,
                    text: Localized::new(
                        "Pakub kõiki vajalikke tegevusi.",
                        "Offers every activity needed.",
                    ),
                });
            } else {
                let list = |lang: fn(&Localized) -> &str| {
                    missing
                        .iter()
                        .map(|c| format!("{c} {}", lang(&catalog.activity_name(c))))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                reasons.push(Reason {
                    code: "activities".into(),
                    ok: false,
                    warning: false,
                    text: Localized::new(
                        format!("Ei paku: {}.", list(|l| &l.et)),
                        format!("Does not offer: {}.", list(|l| &l.en)),
                    ),
                });
            }
        }
        let age_ok = (p.age_min..=p.age_max).contains(&needs.age);
        reasons.push(Reason {
            code: "age".into(),
            ok: age_ok,
            warning: false,
            text: if age_ok {
                Localized::new(
                    format!(
                        "Vanus sobib ({}–{} a, laps {} a).",
                        p.age_min, p.age_max, needs.age
                    ),
                    format!(
                        "Age fits ({}–{} years, the child is {}).",
                        p.age_min, p.age_max, needs.age
                    ),
                )
            } else {
                Localized::new(
                    format!(
                        "Teenindab vanuses {}–{} a, laps on {} a.",
                        p.age_min, p.age_max, needs.age
                    ),
                    format!(
                        "Serves ages {}–{}, the child is {}.",
                        p.age_min, p.age_max, needs.age
                    ),
                )
            },
        });
        if let Some(lang) = &needs.language {
            let lang_ok = p.languages.iter().any(|l| l == lang);
            let (et, en) = lang_name(lang);
            reasons.push(Reason {
                code: "language".into(),
                ok: lang_ok,
                warning: false,
                text: if lang_ok {
                    Localized::new(
                        format!("Teenindab {et} keeles."),
                        format!("Serves in {en}."),
                    )
                } else {
                    Localized::new(
                        format!("Ei teeninda {et} keeles."),
                        format!("Does not serve in {en}."),
                    )
                },
            });
        }
        let (near, place) = nearness(catalog, needs, p);
        // Serving the child's own county fits; a neighbouring county fits with a word of
        // caution; further away is a shortfall. Where the child lives is unknown: nothing to
        // compare, said as a caution.
        let known_home = needs.county_code.is_some();
        reasons.push(Reason {
            code: "distance".into(),
            ok: known_home && near <= Nearness::SameCounty,
            warning: !known_home || near == Nearness::NeighbouringCounty,
            text: if known_home {
                near.text(&place)
            } else {
                Localized::new(
                    format!("Lapse elukoht on teadmata; teenuseosutaja asub: {place}."),
                    format!("Where the child lives is unknown; the provider is in {place}."),
                )
            },
        });
        let capacity_ok = p.free_places.is_none_or(|n| n > 0);
        let confirmed = p
            .capacity_confirmed_on
            .map(|d| {
                (
                    format!(", kinnitatud {}", fmt(d)),
                    format!(", confirmed {}", fmt(d)),
                )
            })
            .unwrap_or_else(|| (", kinnitamata".into(), ", not confirmed".into()));
        reasons.push(Reason {
            code: "capacity".into(),
            ok: capacity_ok,
            warning: false,
            text: match (p.waiting_days, p.free_places) {
                (w, Some(0)) => Localized::new(
                    format!(
                        "Vabu kohti pole; ootab {} päeva{}.",
                        w.unwrap_or(0),
                        confirmed.0
                    ),
                    format!(
                        "No free places; waiting {} days{}.",
                        w.unwrap_or(0),
                        confirmed.1
                    ),
                ),
                (Some(w), f) => Localized::new(
                    format!(
                        "Ootejärjekord {w} päeva{}{}.",
                        f.map(|f| format!(", vabu kohti {f}")).unwrap_or_default(),
                        confirmed.0
                    ),
                    format!(
                        "Waiting time {w} days{}{}.",
                        f.map(|f| format!(", {f} free places")).unwrap_or_default(),
                        confirmed.1
                    ),
                ),
                (None, _) => Localized::new(
                    format!("Ootejärjekord teadmata{}.", confirmed.0),
                    format!("Waiting time unknown{}.", confirmed.1),
                ),
            },
        });
        for f in p.flags.iter().filter(|f| f.severity == "error") {
            reasons.push(Reason {
                code: f.code.clone(),
                ok: false,
                warning: false,
                text: f.text.clone(),
            });
        }
        // A licence or contract ending soon (or not recorded) matters for a referral of up to two
        // years: the directory flagged it, the match once showed such a provider as fitting
        // with nothing said.
        for f in p.flags.iter().filter(|f| {
            f.severity == "warning"
                && (f.code.starts_with("licence_") || f.code.starts_with("contract_"))
        }) {
            reasons.push(Reason {
                code: f.code.clone(),
                ok: false,
                warning: true,
                text: f.text.clone(),
            });
        }
        let _ = today;
        out.push(Candidate {
            provider_id: p.id,
            name: p.name.clone(),
            nearness: near,
            nearest_place: place,
            waiting_days: p.waiting_days,
            free_places: p.free_places,
            capacity_confirmed_on: p.capacity_confirmed_on,
            // "Sobib" is what the reasons say: no ✗ among them (a ! is a caution, not a
            // shortfall). The badge and the rank follow the same list the coordinator reads.
            full_match: reasons.iter().all(|r| r.ok || r.warning),
            shortfalls: reasons.iter().filter(|r| !r.ok && !r.warning).count(),
            reasons,
        });
    }
    out.sort_by(|a, b| {
        (
            !a.full_match,
            a.shortfalls,
            a.nearness,
            a.waiting_days.unwrap_or(i64::MAX),
            &a.name,
        )
            .cmp(&(
                !b.full_match,
                b.shortfalls,
                b.nearness,
                b.waiting_days.unwrap_or(i64::MAX),
                &b.name,
            ))
    });
    out
}

/// The needs of a case: its assessed activities, the child's age today, the first
/// representative's language, and where the child lives (else the referring municipality).
pub fn needs(
    conn: &Connection,
    catalog: &Catalog,
    case_id: i64,
    today: NaiveDate,
) -> Result<Needs> {
    let (birth, home, kov): (NaiveDate, Option<String>, Option<String>) = conn
        .query_row_cached(
            "SELECT ch.birth_date, ch.municipality_code, c.kov_municipality_code
             FROM srt_case c JOIN child ch ON ch.id = c.child_id WHERE c.id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))?;
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT code FROM assessment_activity WHERE case_id = ?1 ORDER BY position",
    )?;
    let activities = stmt
        .query_map([case_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let language: Option<String> = conn
        .query_row_cached(
            "SELECT language FROM guardian WHERE case_id = ?1 ORDER BY position LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    let municipality_code = home.or(kov);
    let county_code = municipality_code
        .as_deref()
        .and_then(|m| catalog.county_of(m))
        .map(str::to_string);
    Ok(Needs {
        activities,
        age: i64::from(crate::casework::assessment::age_on(birth, today)),
        language,
        municipality_name: municipality_code
            .as_ref()
            .and_then(|m| catalog.municipalities.get(m))
            .map(|(n, _)| n.clone()),
        municipality_code,
        county_code,
    })
}

// ---- The family's choice ----

/// What the coordinator enters when the family has chosen (dates as typed).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChoiceInput {
    pub provider_id: Option<i64>,
    pub decision_sent_on: String,
    pub chosen_on: String,
    pub registered_on: String,
    pub service_start: String,
    pub notes: String,
    /// The coordinator has seen the warning that a change of provider needs a new application.
    pub confirm_change: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseChoice {
    pub case_id: i64,
    pub current: Option<Choice>,
    /// Earlier choices, newest first.
    pub earlier: Vec<Choice>,
    pub registration_deadline: Option<crate::deadlines::schedule::CaseDeadline>,
    /// The referral decision was marked delivered on this day: the choice does not ask for the
    /// day again (the 60 days already count from it).
    pub decision_delivered_on: Option<NaiveDate>,
}

pub fn get_choice(conn: &Connection, case_id: i64, today: NaiveDate) -> Result<CaseChoice> {
    crate::casework::assessment::case_facts(conn, case_id)?;
    let mut all = choices(conn, case_id)?;
    let current = if all.is_empty() {
        None
    } else {
        Some(all.remove(0))
    };
    Ok(CaseChoice {
        case_id,
        decision_delivered_on: recorded_delivery(conn, case_id)?,
        registration_deadline: registration_deadline(conn, case_id, today)?,
        current,
        earlier: all,
    })
}

fn date_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    today: NaiveDate,
    future_ok: bool,
) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        return None;
    }
    match parse_date(value) {
        None => {
            errors.push(crate::values::date_error(field, value));
            None
        }
        Some(d) if !future_ok && d > today => {
            errors.push(FieldError::new(
                field,
                "future",
                "See kuupäev ei saa olla tulevikus.",
                "This date cannot be in the future.",
            ));
            None
        }
        d => d,
    }
}

/// Record the family's choice. A different provider than the current one needs a new
/// application: refused with `provider.change_needs_application` until `confirm_change`.
/// The case moves on where its status allows: decided → provider chosen → in service.
pub fn save_choice(
    tx: &Transaction,
    case_id: i64,
    input: &ChoiceInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let facts = crate::casework::assessment::case_facts(tx, case_id)?;
    let mut e = Vec::new();
    // A referral decision marked delivered in the app gives the day: it is not asked again.
    let delivered = recorded_delivery(tx, case_id)?;
    let sent = match delivered {
        Some(d) if input.decision_sent_on.trim().is_empty() => Some(d),
        _ => date_field(
            &mut e,
            "decisionSentOn",
            &input.decision_sent_on,
            today,
            false,
        ),
    };
    if input.decision_sent_on.trim().is_empty() && delivered.is_none() {
        e.push(FieldError::new(
            "decisionSentOn",
            "required",
            "Kirjuta suunamisotsuse saatmise kuupäev: registreerimise 60 päeva loetakse sellest.",
            "Write the day the referral decision was sent: the 60 days to register count from it.",
        ));
    }
    let chosen = date_field(&mut e, "chosenOn", &input.chosen_on, today, false);
    let registered = date_field(&mut e, "registeredOn", &input.registered_on, today, false);
    let start = date_field(&mut e, "serviceStart", &input.service_start, today, true);
    if let Some(s) = sent {
        if s < facts.application_date {
            e.push(FieldError::new(
                "decisionSentOn",
                "before_application",
                "Otsus ei saa olla saadetud enne taotlust.",
                "The decision cannot have been sent before the application.",
            ));
        }
    }
    if let (Some(s), Some(r)) = (sent, registered) {
        if r < s {
            e.push(FieldError::new(
                "registeredOn",
                "before_decision",
                "Registreerimine ei saa olla enne otsuse saatmist.",
                "Registration cannot be before the decision was sent.",
            ));
        }
    }
    if let (Some(r), Some(st)) = (registered, start) {
        if st < r {
            e.push(FieldError::new(
                "serviceStart",
                "before_registration",
                "Teenus ei saa alata enne registreerimist.",
                "The service cannot start before registration.",
            ));
        }
    }
    if input.provider_id.is_none() && (registered.is_some() || start.is_some() || chosen.is_some())
    {
        e.push(FieldError::new(
            "providerId",
            "required",
            "Vali teenuseosutaja.",
            "Choose the provider.",
        ));
    }
    if start.is_some() && registered.is_none() && !input.registered_on.trim().is_empty() {
        // the date itself is in error and already named
    } else if start.is_some() && registered.is_none() {
        e.push(FieldError::new(
            "registeredOn",
            "required",
            "Kirjuta ka registreerimise kuupäev.",
            "Write the registration date too.",
        ));
    }
    if let Some(pid) = input.provider_id {
        let known: Option<i64> = tx
            .query_row_cached("SELECT id FROM provider WHERE id = ?1", [pid], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            e.push(FieldError::new(
                "providerId",
                "unknown_provider",
                "Seda teenuseosutajat ei ole kataloogis.",
                "This provider is not in the directory.",
            ));
        }
    }
    if !e.is_empty() {
        return Err(Error::Validation(e));
    }
    let now_s = crate::clock::ts(now);
    let current = current_choice(tx, case_id)?;
    let changing = matches!(
        (&current, input.provider_id),
        (Some(Choice { provider_id: Some(old), .. }), Some(new)) if *old != new
    );
    if changing && !input.confirm_change {
        let old = current
            .as_ref()
            .and_then(|c| c.provider_name.clone())
            .unwrap_or_default();
        return Err(Error::ProviderChangeNeedsApplication { from: old });
    }
    let values = params![
        case_id,
        input.provider_id,
        sent.map(|d| d.to_string()),
        chosen.map(|d| d.to_string()),
        registered.map(|d| d.to_string()),
        start.map(|d| d.to_string()),
        input.notes.trim(),
        now_s,
    ];
    match (&current, changing) {
        (Some(c), false) => {
            tx.execute_cached(
                "UPDATE provider_choice SET case_id = ?1, provider_id = ?2, decision_sent_on = ?3,
                 chosen_on = ?4, registered_on = ?5, service_start = ?6, notes = ?7, updated_at = ?8
                 WHERE id = ?9",
                rusqlite::params_from_iter(
                    values
                        .iter()
                        .copied()
                        .chain([&c.id as &dyn rusqlite::ToSql]),
                ),
            )?;
        }
        _ => {
            tx.execute_cached(
                "INSERT INTO provider_choice (case_id, provider_id, decision_sent_on, chosen_on,
                 registered_on, service_start, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                values,
            )?;
        }
    }
    // Move the case along as far as its status allows.
    let status: String = tx.query_row_cached(
        "SELECT status FROM srt_case WHERE id = ?1",
        [case_id],
        |r| r.get(0),
    )?;
    let mut status = CaseStatus::parse(&status);
    if input.provider_id.is_some() && status == Some(CaseStatus::Decided) {
        crate::cases::change_status(
            tx,
            case_id,
            "provider_chosen",
            "Pere valis teenuseosutaja",
            now,
        )?;
        status = Some(CaseStatus::ProviderChosen);
    }
    if start.is_some_and(|s| s <= today) && status == Some(CaseStatus::ProviderChosen) {
        crate::cases::change_status(tx, case_id, "in_service", "Teenus algas", now)?;
    }
    Ok(())
}

// ---- Waiting and availability ----

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WaitingCase {
    pub case_id: i64,
    pub case_no: String,
    pub child_name: String,
    pub county_code: Option<String>,
    pub county_name: String,
    pub activities: Vec<String>,
    /// "provider" (no registration yet) or "start" (registered, the service has not started).
    pub waiting_for: String,
    pub since: NaiveDate,
    pub days_waited: i64,
    pub provider_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WaitingGroup {
    pub key: String,
    pub label: Localized,
    pub waiting: usize,
    pub average_days: i64,
    pub longest_days: i64,
}

/// A county and an activity: children waiting against providers there with free places.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub county_code: String,
    pub county_name: String,
    pub activity_code: String,
    pub activity_name: Localized,
    pub waiting: usize,
    pub providers: usize,
    pub providers_with_places: usize,
    pub scarce: bool,
}

/// Which waiting cases the list shows: a county, an activity, what they wait for ("" = all), and
/// the page (the longest waits first).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WaitingFilter {
    pub county: String,
    pub activity: String,
    /// "provider" or "start".
    pub waiting_for: String,
    pub offset: Option<u32>,
    pub limit: Option<u32>,
    /// How many rows of the availability to give, scarce ones first (all when None): the window
    /// draws the first ones and asks for more (issue 30: ~140 rows, most of the page's elements).
    pub availability_limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WaitingOverview {
    pub today: NaiveDate,
    /// One page of the cases the filter keeps, the longest waits first. A national desk has
    /// thousands waiting: the window draws a page, not all of them.
    pub cases: Vec<WaitingCase>,
    /// How many cases the filter keeps, and where the page starts.
    pub total: usize,
    pub offset: usize,
    /// The groups and the availability count every waiting case, whatever the filter.
    pub by_county: Vec<WaitingGroup>,
    pub by_activity: Vec<WaitingGroup>,
    /// Scarce places first; the first `availability_limit` of them.
    pub availability: Vec<Availability>,
    /// How many rows the availability has, and how many of them are scarce.
    pub availability_total: usize,
    pub availability_scarce: usize,
}

/// Scarce: children wait and no provider there has free places, or three or more children
/// wait per provider with free places.
pub fn is_scarce(waiting: usize, with_places: usize) -> bool {
    waiting > 0 && (with_places == 0 || waiting >= 3 * with_places)
}

pub fn waiting(
    conn: &Connection,
    catalog: &Catalog,
    today: NaiveDate,
    filter: &WaitingFilter,
) -> Result<WaitingOverview> {
    check_waiting_filter(filter)?;
    Ok(waiting_page(&waiting_all(conn, catalog, today)?, filter))
}

/// Every waiting case (the longest waits first), the groups and the whole availability: what
/// [`waiting`] computes whatever the filter, kept by the desk until a row it reads changes.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingAll {
    pub today: NaiveDate,
    pub cases: Vec<WaitingCase>,
    pub by_county: Vec<WaitingGroup>,
    pub by_activity: Vec<WaitingGroup>,
    pub availability: Vec<Availability>,
}

/// The filter's choice of whom the children wait for is one the page knows.
pub fn check_waiting_filter(filter: &WaitingFilter) -> Result<()> {
    if !["", "provider", "start"].contains(&filter.waiting_for.as_str()) {
        return Err(Error::field(
            "waitingFor",
            "invalid_choice",
            "Tundmatu valik: ootab teenuseosutajat või teenuse algust.",
            "Unknown choice: waiting for a provider or for the start.",
        ));
    }
    Ok(())
}

/// [`WaitingAll`] of the desk on `today`.
pub fn waiting_all(conn: &Connection, catalog: &Catalog, today: NaiveDate) -> Result<WaitingAll> {
    // Decided cases and cases with a choice whose service has not started, still open. The open
    // statuses are named (not "NOT IN closed, in_service"), so that SQLite reads them from the
    // status index instead of walking every case of the desk (84 -> 13.5 ms at 100 000 cases).
    let open = CaseStatus::ALL
        .iter()
        .filter(|s| !matches!(s, CaseStatus::Closed | CaseStatus::InService))
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.case_no, ch.first_name || ' ' || ch.last_name,
                coalesce(ch.municipality_code, c.kov_municipality_code),
                pc.registered_on, pc.decision_sent_on, p.name,
                (SELECT date(max(h.changed_at)) FROM case_status_change h
                   WHERE h.case_id = c.id AND +h.to_status = 'decided'),
                c.application_date, pc.service_start
         FROM srt_case c JOIN child ch ON ch.id = c.child_id
         LEFT JOIN provider_choice pc ON pc.id = (SELECT max(id) FROM provider_choice WHERE case_id = c.id)
         LEFT JOIN provider p ON p.id = pc.provider_id
         WHERE c.status IN ({open})
           AND (c.status IN ('decided', 'provider_chosen') OR pc.id IS NOT NULL)"
    ))?;
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<String>,
        Option<String>,
        NaiveDate,
        Option<NaiveDate>,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The assessed activities of the open cases, in one pass.
    let mut activities_of: HashMap<i64, Vec<String>> = HashMap::new();
    let mut acts = conn.prepare_cached(&format!(
        "SELECT DISTINCT a.case_id, a.code FROM assessment_activity a
         JOIN srt_case c ON c.id = a.case_id
         WHERE c.status IN ({open}) ORDER BY a.case_id, a.code"
    ))?;
    for row in acts.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (case_id, code) = row?;
        activities_of.entry(case_id).or_default().push(code);
    }
    let mut cases = Vec::new();
    for (id, case_no, child, muni, registered, sent, provider, decided, applied, start) in rows {
        if start.is_some_and(|s| s <= today) {
            continue;
        }
        let (waiting_for, since) = match registered {
            Some(r) => ("start", r),
            None => (
                "provider",
                sent.or_else(|| decided.as_deref().and_then(parse_date))
                    .unwrap_or(applied),
            ),
        };
        let county_code = muni
            .as_deref()
            .and_then(|m| catalog.county_of(m))
            .map(str::to_string);
        cases.push(WaitingCase {
            case_id: id,
            case_no,
            child_name: child,
            county_name: county_code
                .as_ref()
                .and_then(|c| catalog.counties.get(c))
                .cloned()
                .unwrap_or_default(),
            county_code,
            activities: activities_of.remove(&id).unwrap_or_default(),
            waiting_for: waiting_for.into(),
            since,
            days_waited: (today - since).num_days().max(0),
            provider_name: provider,
        });
    }
    cases.sort_by_key(|c| (std::cmp::Reverse(c.days_waited), c.case_id));
    let group = |keyed: Vec<(String, Localized, i64)>| -> Vec<WaitingGroup> {
        let mut m: BTreeMap<String, (Localized, Vec<i64>)> = BTreeMap::new();
        for (k, l, d) in keyed {
            m.entry(k).or_insert_with(|| (l, Vec::new())).1.push(d);
        }
        let mut out: Vec<WaitingGroup> = m
            .into_iter()
            .map(|(key, (label, days))| WaitingGroup {
                key,
                label,
                waiting: days.len(),
                average_days: days.iter().sum::<i64>() / days.len().max(1) as i64,
                longest_days: days.iter().copied().max().unwrap_or(0),
            })
            .collect();
        out.sort_by_key(|g| (std::cmp::Reverse(g.waiting), g.key.clone()));
        out
    };
    let by_county = group(
        cases
            .iter()
            .map(|c| {
                let name = if c.county_name.is_empty() {
                    Localized::new("Elukoht teadmata", "Home unknown")
                } else {
                    Localized::new(c.county_name.clone(), c.county_name.clone())
                };
                (
                    c.county_code.clone().unwrap_or_default(),
                    name,
                    c.days_waited,
                )
            })
            .collect(),
    );
    let by_activity = group(
        cases
            .iter()
            .flat_map(|c| {
                c.activities
                    .iter()
                    .map(|a| (a.clone(), catalog.activity_name(a), c.days_waited))
            })
            .collect(),
    );
    // Availability where children wait: for each county and activity they need.
    let providers = providers::all(conn, catalog, today)?;
    let mut need: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.waiting_for == "provider") {
        if let Some(county) = &c.county_code {
            for a in &c.activities {
                *need.entry((county.clone(), a.clone())).or_default() += 1;
            }
        }
    }
    let mut availability: Vec<Availability> = need
        .into_iter()
        .map(|((county, code), waiting)| {
            let there: Vec<&Provider> = providers
                .iter()
                .filter(|p| {
                    p.active
                        && p.offers(&code)
                        && p.locations.iter().any(|l| l.county_code == county)
                })
                .collect();
            let with_places = there
                .iter()
                .filter(|p| p.free_places.unwrap_or(0) > 0)
                .count();
            Availability {
                county_name: catalog.counties.get(&county).cloned().unwrap_or_default(),
                county_code: county,
                activity_name: catalog.activity_name(&code),
                activity_code: code,
                waiting,
                providers: there.len(),
                providers_with_places: with_places,
                scarce: is_scarce(waiting, with_places),
            }
        })
        .collect();
    availability.sort_by(|a, b| {
        (
            !a.scarce,
            std::cmp::Reverse(a.waiting),
            &a.county_name,
            &a.activity_code,
        )
            .cmp(&(
                !b.scarce,
                std::cmp::Reverse(b.waiting),
                &b.county_name,
                &b.activity_code,
            ))
    });
    Ok(WaitingAll {
        today,
        cases,
        by_county,
        by_activity,
        availability,
    })
}

/// The page of [`WaitingAll`] the filter asks for; the groups count every waiting case.
pub fn waiting_page(all: &WaitingAll, filter: &WaitingFilter) -> WaitingOverview {
    let mut availability = all.availability.clone();
    let availability_total = availability.len();
    let availability_scarce = availability.iter().filter(|a| a.scarce).count();
    if let Some(n) = filter.availability_limit {
        availability.truncate(n as usize);
    }
    let kept: Vec<&WaitingCase> = all
        .cases
        .iter()
        .filter(|c| {
            (filter.county.is_empty() || c.county_code.as_deref().unwrap_or("") == filter.county)
                && (filter.activity.is_empty() || c.activities.contains(&filter.activity))
                && (filter.waiting_for.is_empty() || c.waiting_for == filter.waiting_for)
        })
        .collect();
    let total = kept.len();
    let (limit, offset) = crate::values::page_bounds(filter.limit, filter.offset);
    let cases = kept
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .cloned()
        .collect();
    WaitingOverview {
        today: all.today,
        cases,
        total,
        offset: offset as usize,
        by_county: all.by_county.clone(),
        by_activity: all.by_activity.clone(),
        availability,
        availability_total,
        availability_scarce,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{Activity, Location};

    fn catalog() -> Catalog {
        let mut conn = Connection::open_in_memory().expect("mem");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        Catalog::load(&conn).expect("catalog")
    }

    fn provider(id: i64, name: &str, municipality: &str, c: &Catalog) -> Provider {
        let (mname, county) = c.municipalities[municipality].clone();
        Provider {
            id,
            name: name.into(),
            registry_code: format!("1000000{id}"),
            licence_no: String::new(),
            licence_valid_to: NaiveDate::from_ymd_opt(2030, 1, 1),
            contract_no: String::new(),
            contract_valid_to: NaiveDate::from_ymd_opt(2030, 1, 1),
            locations: vec![Location {
                address: String::new(),
                municipality_code: municipality.into(),
                municipality_name: mname,
                county_name: c.counties[&county].clone(),
                county_code: county,
            }],
            contacts: vec![],
            activities: ["2001", "2010"]
                .iter()
                .map(|a| Activity {
                    code: (*a).into(),
                    name: c.activity_name(a),
                })
                .collect(),
            age_min: 0,
            age_max: 18,
            languages: vec!["et".into(), "ru".into()],
            waiting_days: Some(30),
            free_places: Some(2),
            capacity_confirmed_on: NaiveDate::from_ymd_opt(2026, 1, 1),
            accessibility: String::new(),
            notes: String::new(),
            quality_notes: String::new(),
            active: true,
            flags: vec![],
            updated_at: String::new(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
    }

    fn tartu_child(c: &Catalog) -> Needs {
        Needs {
            activities: vec!["2001".into()],
            age: 7,
            language: Some("et".into()),
            municipality_code: Some("0793".into()),
            municipality_name: Some("Tartu linn".into()),
            county_code: c.county_of("0793").map(str::to_string),
        }
    }

    #[test]
    fn nearest_first_municipality_then_county_then_neighbour_then_elsewhere() {
        let c = catalog();
        // Tallinn (Harju, not a neighbour of Tartu), Valga linn? use Valga vald (neighbour),
        // Elva vald (Tartu county), Tartu linn.
        let valga = c.municipality("Valga vald").expect("valga");
        let ps = vec![
            provider(1, "Kaugel", "0784", &c),
            provider(2, "Naabris", &valga, &c),
            provider(3, "Maakonnas", "0171", &c),
            provider(4, "Kodus", "0793", &c),
        ];
        let r = rank(&c, &tartu_child(&c), &ps, today());
        let names: Vec<&str> = r.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["Kodus", "Maakonnas", "Naabris", "Kaugel"]);
        assert_eq!(r[2].nearness, Nearness::NeighbouringCounty);
    }

    #[test]
    fn shorter_wait_first_among_equally_near() {
        let c = catalog();
        let mut slow = provider(1, "Aeglane", "0793", &c);
        slow.waiting_days = Some(90);
        let mut fast = provider(2, "Kiire", "0793", &c);
        fast.waiting_days = Some(5);
        let r = rank(&c, &tartu_child(&c), &[slow, fast], today());
        assert_eq!(r[0].name, "Kiire");
    }

    #[test]
    fn wrong_language_or_age_falls_short_with_the_reason_and_goes_last() {
        let c = catalog();
        let mut estonian_only = provider(1, "Ainult eesti", "0793", &c);
        estonian_only.languages = vec!["et".into()];
        let mut teens = provider(2, "Noortele", "0793", &c);
        teens.age_min = 12;
        // In the county (Elva vald), not in the child's own town: it fits, the others do not.
        let county = provider(3, "Maakonnas vene", "0171", &c);
        let mut needs = tartu_child(&c);
        needs.language = Some("ru".into());
        let r = rank(&c, &needs, &[estonian_only, teens, county], today());
        let names: Vec<&str> = r.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["Maakonnas vene", "Ainult eesti", "Noortele"]);
        assert!(r[0].full_match && !r[1].full_match && !r[2].full_match);
        let lang = r[1]
            .reasons
            .iter()
            .find(|x| x.code == "language")
            .expect("language");
        assert!(!lang.ok);
        assert_eq!(lang.text.en, "Does not serve in Russian.");
        let age = r[2].reasons.iter().find(|x| x.code == "age").expect("age");
        assert!(!age.ok && age.text.et.contains("12–18"));
    }

    #[test]
    fn providers_without_any_needed_activity_or_inactive_are_left_out() {
        let c = catalog();
        let mut other = provider(1, "Logopeed", "0793", &c);
        other.activities = vec![Activity {
            code: "2013".into(),
            name: c.activity_name("2013"),
        }];
        let mut closed = provider(2, "Suletud", "0793", &c);
        closed.active = false;
        assert!(rank(&c, &tartu_child(&c), &[other, closed], today()).is_empty());
    }

    #[test]
    fn scarcity() {
        assert!(is_scarce(1, 0));
        assert!(is_scarce(6, 2));
        assert!(!is_scarce(5, 2));
        assert!(!is_scarce(0, 0));
    }
}
