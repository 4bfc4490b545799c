//! The need assessment of a case: the four well-being areas, goals, the activities needed with
//! hours, the sign-off; and the eligibility verdict by route, in words for the decision.
//! Owns assessment, assessment_activity, assessment_held_field.
//!
//! The draft is saved field by field: a value refused (hours that are no number, a level not in
//! the list) keeps what was saved before, its text is held in assessment_held_field until it is
//! corrected, and every other field is saved as typed.

use crate::clock::ts;
use crate::store::cached::CachedSql;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::eligibility::eligibility_value;
use crate::error::{Error, FieldError, HeldField, Localized, Result};
use crate::prices::PriceItem;

pub const AREAS: [&str; 4] = ["physical", "psychological", "social", "cognitive"];
const LEVELS: [&str; 4] = ["", "none", "some", "significant"];

pub fn area_name(area: &str) -> (&'static str, &'static str) {
    match area {
        "physical" => ("füüsiline tervis", "physical health"),
        "psychological" => (
            "psühholoogiline ja emotsionaalne",
            "psychological and emotional",
        ),
        "social" => ("sotsiaalne", "social"),
        _ => ("kognitiivne ja hariduslik", "cognitive and educational"),
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct AreaAssessment {
    pub area: String,
    pub level: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivityNeed {
    pub code: String,
    #[serde(deserialize_with = "lenient_hours")]
    pub hours: f64,
}

/// Hours as typed: a number, or text like "1,5"; anything else becomes NaN so that saving
/// answers with a message next to the field instead of failing to read the whole draft.
fn lenient_hours<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Hours {
        Number(f64),
        Text(String),
        Nothing,
    }
    Ok(match Hours::deserialize(d)? {
        Hours::Number(n) => n,
        Hours::Text(t) if t.trim().is_empty() => 0.0,
        Hours::Text(t) => t.trim().replace(',', ".").parse().unwrap_or(f64::NAN),
        Hours::Nothing => 0.0,
    })
}

/// What the form autosaves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssessmentDraft {
    pub areas: Vec<AreaAssessment>,
    pub child_goals: String,
    pub family_goals: String,
    pub activities: Vec<ActivityNeed>,
}

/// What the window sends: the draft, and each activity's hours as typed (by position), which is
/// what is held when the hours are refused ("30 h" rather than a number that could not be read).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssessmentInput {
    #[serde(flatten)]
    pub draft: AssessmentDraft,
    pub hours_typed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Criterion {
    pub code: String,
    /// None: not known yet (the assessment is not filled in).
    pub met: Option<bool>,
    pub text: Localized,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Eligibility {
    pub eligible: Option<bool>,
    pub criteria: Vec<Criterion>,
    pub summary: Localized,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    pub case_id: i64,
    pub areas: Vec<AreaAssessment>,
    pub child_goals: String,
    pub family_goals: String,
    pub activities: Vec<ActivityNeed>,
    pub signed_on: Option<NaiveDate>,
    pub signed_by: Option<String>,
    pub updated_at: Option<String>,
    /// Signed with no activity listed: the coordinator found that no activities are needed.
    pub no_activities_needed: bool,
    pub eligibility: Eligibility,
    pub activity_options: Vec<PriceItem>,
    /// Refused text held in the desk: shown in its field, with its message, instead of the saved.
    pub held: Vec<HeldField>,
}

/// The facts about the case that eligibility depends on.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub route_kind: String,
    pub severity: Option<String>,
    pub kov_municipality: Option<String>,
    pub kov_worker: String,
    pub birth_date: NaiveDate,
    pub application_date: NaiveDate,
}

pub fn case_facts(conn: &Connection, case_id: i64) -> Result<CaseFacts> {
    conn.query_row_cached(
        "SELECT c.route_kind, c.severity, m.name, c.kov_worker_name, ch.birth_date, c.application_date
         FROM srt_case c JOIN child ch ON ch.id = c.child_id
         LEFT JOIN municipality m ON m.ehak_code = c.kov_municipality_code WHERE c.id = ?1",
        [case_id],
        |r| {
            Ok(CaseFacts {
                route_kind: r.get(0)?,
                severity: r.get(1)?,
                kov_municipality: r.get(2)?,
                kov_worker: r.get(3)?,
                birth_date: r.get(4)?,
                application_date: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or(Error::CaseNotFound(case_id))
}

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The last day the service can run for the child by the route's age limit, with the limit and
/// its legal reference: on the disability route the end of the year the child turns the limit
/// (16, configurable); on a municipality referral the day before the child turns the maximum age
/// (18, configurable). The limits in force on the application date apply.
pub fn age_limit(conn: &Connection, facts: &CaseFacts) -> Result<(NaiveDate, i64, String)> {
    let on = facts.application_date;
    if facts.route_kind == "disability" {
        let (limit, legal) = eligibility_value(conn, "disability_age_limit_year", on)?
            .unwrap_or((16, "SHS § 67".into()));
        let last_day = NaiveDate::from_ymd_opt(facts.birth_date.year() + limit as i32, 12, 31)
            .unwrap_or(facts.birth_date);
        Ok((last_day, limit, legal))
    } else {
        let (max_age, legal) =
            eligibility_value(conn, "kov_max_age", on)?.unwrap_or((18, "SHS § 67".into()));
        let last_day = facts
            .birth_date
            .checked_add_months(chrono::Months::new(12 * max_age.max(0) as u32))
            .map(|d| d - chrono::Duration::days(1))
            .unwrap_or(facts.birth_date);
        Ok((last_day, max_age, legal))
    }
}

/// "1 well-being area", "2 well-being areas".
fn areas_en(n: i64) -> &'static str {
    if n == 1 {
        "well-being area"
    } else {
        "well-being areas"
    }
}

/// The eligibility verdict: each criterion met, not met or not known yet, in words a decision can use.
pub fn eligibility(
    conn: &Connection,
    facts: &CaseFacts,
    areas: &[AreaAssessment],
) -> Result<Eligibility> {
    let on = facts.application_date;
    let age = age_on(facts.birth_date, on);
    let level = |a: &str| {
        areas
            .iter()
            .find(|x| x.area == a)
            .map(|x| x.level.as_str())
            .unwrap_or("")
    };
    let significant: Vec<&str> = AREAS
        .iter()
        .copied()
        .filter(|a| level(a) == "significant")
        .collect();
    let some_or_more: Vec<&str> = AREAS
        .iter()
        .copied()
        .filter(|a| matches!(level(a), "some" | "significant"))
        .collect();
    let unassessed = AREAS.iter().filter(|a| level(a).is_empty()).count();
    let names = |list: &[&str]| {
        let et: Vec<&str> = list.iter().map(|a| area_name(a).0).collect();
        let en: Vec<&str> = list.iter().map(|a| area_name(a).1).collect();
        (et.join(", "), en.join(", "))
    };
    let mut criteria = Vec::new();
    if facts.route_kind == "disability" {
        let sev = facts.severity.as_deref().unwrap_or("");
        let (sev_et, sev_en) = match sev {
            "moderate" => ("keskmine", "moderate"),
            "severe" => ("raske", "severe"),
            "profound" => ("sügav", "profound"),
            _ => ("", ""),
        };
        criteria.push(Criterion {
            code: "disability".into(),
            met: Some(!sev.is_empty()),
            text: if sev.is_empty() {
                Localized::new(
                    "Lapse puude raskusaste ei ole tuvastatud.",
                    "No degree of disability is established for the child.",
                )
            } else {
                Localized::new(
                    format!("Lapsel on tuvastatud {sev_et} puue."),
                    format!("The child has an established {sev_en} disability."),
                )
            },
        });
        let (last_day, limit, legal) = age_limit(conn, facts)?;
        let met = on <= last_day;
        criteria.push(Criterion {
            code: "age".into(),
            met: Some(met),
            text: Localized::new(
                format!(
                    "Laps on taotluse esitamise päeval ({}) {age}-aastane. Puude alusel saab teenust kuni selle aasta lõpuni, mil laps saab {limit}-aastaseks ({}) ({legal}){}",
                    fmt(on),
                    fmt(last_day),
                    if met { "." } else { "; see tähtaeg on möödas." }
                ),
                format!(
                    "On the application date ({}) the child is {age} years old. On the disability route the service is available until the end of the year the child turns {limit} ({}) ({legal}){}",
                    fmt(on),
                    fmt(last_day),
                    if met { "." } else { "; that date has passed." }
                ),
            ),
        });
        criteria.push(Criterion {
            code: "need".into(),
            met: if !some_or_more.is_empty() {
                Some(true)
            } else if unassessed > 0 {
                None
            } else {
                Some(false)
            },
            text: if some_or_more.is_empty() {
                if unassessed > 0 {
                    Localized::new("Heaolu valdkonnad on veel hindamata.", "The well-being areas are not assessed yet.")
                } else {
                    Localized::new(
                        "Hindamisel ei ilmnenud rehabilitatsiooniteenuse vajadust üheski heaolu valdkonnas.",
                        "The assessment found no need for rehabilitation in any well-being area.",
                    )
                }
            } else {
                let (et, en) = names(&some_or_more);
                Localized::new(
                    format!("Lapsel on rehabilitatsiooniteenuse vajadus järgmistes valdkondades: {et}."),
                    format!("The child needs rehabilitation in these areas: {en}."),
                )
            },
        });
    } else {
        let referral = facts.kov_municipality.is_some() && !facts.kov_worker.trim().is_empty();
        criteria.push(Criterion {
            code: "kov_referral".into(),
            met: Some(referral),
            text: if referral {
                Localized::new(
                    // The municipality's name stays in the nominative in brackets: a genitive
                    // ("Tallinna", "Saue valla") cannot be made from every name correctly.
                    format!(
                        "Lapse suunas teenusele kohaliku omavalitsuse lastekaitsetöötaja {} ({}).",
                        facts.kov_worker.trim(),
                        facts.kov_municipality.as_deref().unwrap_or("")
                    ),
                    format!(
                        "The child was referred by the municipality's child-protection worker {} ({}).",
                        facts.kov_worker.trim(),
                        facts.kov_municipality.as_deref().unwrap_or("")
                    ),
                )
            } else {
                Localized::new(
                    "Kohaliku omavalitsuse suunamine puudub.",
                    "There is no referral from the municipality.",
                )
            },
        });
        let (_, max_age, legal) = age_limit(conn, facts)?;
        let met = age < max_age as i32;
        criteria.push(Criterion {
            code: "age".into(),
            met: Some(met),
            text: Localized::new(
                format!(
                    "Laps on taotluse esitamise päeval ({}) {age}-aastane; KOV suunamisel saab teenust alla {max_age}-aastane laps ({legal}).",
                    fmt(on)
                ),
                format!(
                    "On the application date ({}) the child is {age} years old; on a municipality referral the service is for children under {max_age} ({legal}).",
                    fmt(on)
                ),
            ),
        });
        let (min, legal) = eligibility_value(conn, "kov_min_significant_areas", on)?
            .unwrap_or((2, "SHS § 67".into()));
        let n = significant.len() as i64;
        let met = if n >= min {
            Some(true)
        } else if (n + unassessed as i64) >= min {
            None
        } else {
            Some(false)
        };
        let (et, en) = names(&significant);
        criteria.push(Criterion {
            code: "significant_areas".into(),
            met,
            text: match met {
                Some(true) => Localized::new(
                    format!("Lapsel on olulised puudujäägid {n} heaolu valdkonnas ({et}); nõutav on vähemalt {min} ({legal})."),
                    format!("The child has significant shortfalls in {n} {} ({en}); at least {min} are required ({legal}).", areas_en(n)),
                ),
                Some(false) => Localized::new(
                    format!("Lapsel on olulisi puudujääke {n} heaolu valdkonnas, nõutav on vähemalt {min} ({legal})."),
                    format!("The child has significant shortfalls in {n} {}; at least {min} are required ({legal}).", areas_en(n)),
                ),
                None => Localized::new(
                    format!("Heaolu valdkonnad on osaliselt hindamata; nõutav on olulised puudujäägid vähemalt {min} valdkonnas."),
                    format!("Some well-being areas are not assessed yet; significant shortfalls in at least {min} {} are required.", if min == 1 { "area" } else { "areas" }),
                ),
            },
        });
    }
    let eligible = if criteria.iter().any(|c| c.met == Some(false)) {
        Some(false)
    } else if criteria.iter().all(|c| c.met == Some(true)) {
        Some(true)
    } else {
        None
    };
    let summary = match eligible {
        Some(true) => Localized::new(
            "Kõik tingimused on täidetud: lapsel on õigus sotsiaalse rehabilitatsiooni teenusele.",
            "All conditions are met: the child is entitled to the social rehabilitation service.",
        ),
        Some(false) => Localized::new(
            "Kõik tingimused ei ole täidetud: teenust ei saa määrata.",
            "Not all conditions are met: the service cannot be granted.",
        ),
        None => Localized::new(
            "Otsustamiseks on veel andmeid puudu: täida hindamine.",
            "Some facts are still missing: complete the assessment.",
        ),
    };
    Ok(Eligibility {
        eligible,
        criteria,
        summary,
    })
}

/// A stored draft with its sign-off: (draft, signed on, signed by, updated at).
type StoredDraft = (
    AssessmentDraft,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

fn load_draft(conn: &Connection, case_id: i64) -> Result<StoredDraft> {
    let row = conn
        .query_row_cached(
            "SELECT physical_level, physical_notes, psychological_level, psychological_notes,
                    social_level, social_notes, cognitive_level, cognitive_notes, child_goals,
                    family_goals, signed_on, signed_by, updated_at
             FROM assessment WHERE case_id = ?1",
            [case_id],
            |r| {
                let mut areas = Vec::new();
                for (i, a) in AREAS.iter().enumerate() {
                    areas.push(AreaAssessment {
                        area: a.to_string(),
                        level: r.get(i * 2)?,
                        notes: r.get(i * 2 + 1)?,
                    });
                }
                Ok((
                    AssessmentDraft {
                        areas,
                        child_goals: r.get(8)?,
                        family_goals: r.get(9)?,
                        activities: Vec::new(),
                    },
                    r.get::<_, Option<NaiveDate>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    r.get::<_, Option<String>>(12)?,
                ))
            },
        )
        .optional()?;
    let Some((mut draft, signed_on, signed_by, updated)) = row else {
        let areas = AREAS
            .iter()
            .map(|a| AreaAssessment {
                area: a.to_string(),
                ..Default::default()
            })
            .collect();
        return Ok((
            AssessmentDraft {
                areas,
                ..Default::default()
            },
            None,
            None,
            None,
        ));
    };
    let mut stmt = conn.prepare_cached(
        "SELECT code, hours FROM assessment_activity WHERE case_id = ?1 ORDER BY position",
    )?;
    draft.activities = stmt
        .query_map([case_id], |r| {
            Ok(ActivityNeed {
                code: r.get(0)?,
                hours: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((draft, signed_on, signed_by, updated))
}

pub fn get(conn: &Connection, case_id: i64, today: NaiveDate) -> Result<Assessment> {
    let facts = case_facts(conn, case_id)?;
    let (draft, signed_on, signed_by, updated_at) = load_draft(conn, case_id)?;
    let eligibility = eligibility(conn, &facts, &draft.areas)?;
    Ok(Assessment {
        case_id,
        areas: draft.areas,
        child_goals: draft.child_goals,
        family_goals: draft.family_goals,
        no_activities_needed: signed_on.is_some() && draft.activities.is_empty(),
        activities: draft.activities,
        signed_on,
        signed_by,
        updated_at,
        eligibility,
        activity_options: crate::prices::prices_on(conn, today)?,
        held: held_fields(conn, case_id)?,
    })
}

/// The text held for an assessment's refused fields.
pub fn held_fields(conn: &Connection, case_id: i64) -> Result<Vec<HeldField>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, held_text, code, message_et, message_en FROM assessment_held_field
         WHERE case_id = ?1 ORDER BY field",
    )?;
    let list = stmt
        .query_map([case_id], HeldField::from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// Save the draft as typed; only the shapes are checked (a draft may be incomplete). A value
/// refused keeps what was saved before and its text is held; returns the refused fields.
pub fn save_draft(
    tx: &Transaction,
    case_id: i64,
    draft: &AssessmentDraft,
    hours_typed: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<FieldError>> {
    case_facts(tx, case_id)?;
    let (before, signed, _, _) = load_draft(tx, case_id)?;
    if signed.is_some() {
        return Err(Error::AssessmentSigned);
    }
    let mut errors = Vec::new();
    // The text held for each refused field, in the order of `errors`.
    let mut held: Vec<String> = Vec::new();
    let mut cols: Vec<(String, String)> = Vec::new();
    for area in AREAS {
        let a = draft
            .areas
            .iter()
            .find(|x| x.area == area)
            .cloned()
            .unwrap_or_default();
        if LEVELS.contains(&a.level.as_str()) {
            cols.push((a.level, a.notes));
        } else {
            errors.push(FieldError::new(
                format!("areas.{area}.level"),
                "invalid_choice",
                "Vali loetelust.",
                "Choose from the list.",
            ));
            held.push(a.level.clone());
            let old = before
                .areas
                .iter()
                .find(|x| x.area == area)
                .map(|x| x.level.clone())
                .unwrap_or_default();
            cols.push((old, a.notes));
        }
    }
    let mut activities = draft.activities.clone();
    for (i, act) in activities.iter_mut().enumerate() {
        let refusal = if !act.hours.is_finite() || act.hours < 0.0 || act.hours > 2000.0 {
            Some(FieldError::new(
                format!("activities.{i}.hours"),
                "out_of_range",
                "Sisesta tundide arv vahemikus 0–2000 (nt 12 või 1,5).",
                "Enter the hours as a number from 0 to 2000 (e.g. 12 or 1.5).",
            ))
        } else if ((act.hours * 100.0).round() - act.hours * 100.0).abs() > 1e-6 {
            // The cost is hours × price to the cent: "1,333" was costed as 1,33 h without a word.
            Some(FieldError::new(
                format!("activities.{i}.hours"),
                "hours.precision",
                "Kirjuta tunnid kuni kahe komakohaga (nt 1,5 või 1,25).",
                "Write the hours with at most two decimals (e.g. 1.5 or 1.25).",
            ))
        } else {
            None
        };
        if let Some(e) = refusal {
            let typed = hours_typed
                .get(i)
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| act.hours.to_string());
            held.push(typed);
            errors.push(e);
            // The row stays (its activity is saved); its hours stay as saved before.
            act.hours = before.activities.get(i).map(|b| b.hours).unwrap_or(0.0);
        }
    }
    let now_s = ts(now);
    tx.execute_cached(
        "DELETE FROM assessment_held_field WHERE case_id = ?1",
        [case_id],
    )?;
    for (e, text) in errors.iter().zip(&held) {
        tx.execute_cached(
            "INSERT INTO assessment_held_field (case_id, field, held_text, code, message_et,
             message_en, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                case_id,
                e.field,
                text,
                e.code,
                e.message.et,
                e.message.en,
                now_s
            ],
        )?;
    }
    tx.execute_cached(
        "INSERT INTO assessment (case_id, physical_level, physical_notes, psychological_level,
            psychological_notes, social_level, social_notes, cognitive_level, cognitive_notes,
            child_goals, family_goals, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
         ON CONFLICT(case_id) DO UPDATE SET physical_level = ?2, physical_notes = ?3,
            psychological_level = ?4, psychological_notes = ?5, social_level = ?6, social_notes = ?7,
            cognitive_level = ?8, cognitive_notes = ?9, child_goals = ?10, family_goals = ?11,
            updated_at = ?12",
        params![
            case_id,
            cols[0].0,
            cols[0].1,
            cols[1].0,
            cols[1].1,
            cols[2].0,
            cols[2].1,
            cols[3].0,
            cols[3].1,
            draft.child_goals,
            draft.family_goals,
            now_s
        ],
    )?;
    tx.execute_cached(
        "DELETE FROM assessment_activity WHERE case_id = ?1",
        [case_id],
    )?;
    for (i, act) in activities.iter().enumerate() {
        tx.execute_cached(
            "INSERT INTO assessment_activity (case_id, position, code, hours, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![case_id, i as i64, act.code.trim(), act.hours, now_s],
        )?;
    }
    Ok(errors)
}

/// Sign the assessment off: every area assessed, every listed activity known and with hours. An
/// assessment with no activity listed is signed as "no activities needed".
pub fn sign(
    tx: &Transaction,
    case_id: i64,
    signed_on: &str,
    signed_by: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let facts = case_facts(tx, case_id)?;
    let (draft, already, _, _) = load_draft(tx, case_id)?;
    if already.is_some() {
        return Err(Error::AssessmentSigned);
    }
    let mut errors = Vec::new();
    // Signing what is not saved would sign something else than is on screen.
    for held in held_fields(tx, case_id)? {
        errors.push(FieldError {
            field: held.field,
            code: "assessment.text_not_saved".into(),
            message: Localized::new(
                format!("Ei ole salvestatud: {}", held.message.et),
                format!("Not saved: {}", held.message.en),
            ),
        });
    }
    for a in &draft.areas {
        if a.level.is_empty() {
            errors.push(FieldError::new(
                format!("areas.{}.level", a.area),
                "required",
                "Hinda see valdkond enne allkirjastamist.",
                "Assess this area before signing.",
            ));
        }
    }
    let known: Vec<String> = crate::prices::prices_on(tx, today)?
        .into_iter()
        .map(|p| p.code)
        .collect();
    // No activity listed at all is the coordinator's finding "no activities are needed" (the
    // basis of a refusal); a listed activity must still be known and have its hours. Whether
    // a referral can rest on such an assessment is the decision check's question.
    for (i, act) in draft.activities.iter().enumerate() {
        if !known.contains(&act.code) {
            errors.push(FieldError::new(
                format!("activities.{i}.code"),
                "unknown_activity",
                "Tundmatu tegevuse kood.",
                "Unknown activity code.",
            ));
        }
        if act.hours <= 0.0 {
            errors.push(FieldError::new(
                format!("activities.{i}.hours"),
                "required",
                "Sisesta hinnanguline tundide arv.",
                "Enter the estimated number of hours.",
            ));
        }
    }
    match crate::values::parse_date(signed_on) {
        None => errors.push(crate::values::date_error("signedOn", signed_on)),
        Some(d) if d > today => errors.push(FieldError::new(
            "signedOn",
            "date.future",
            "Allkirjastamise kuupäev ei saa olla tulevikus.",
            "The signing date cannot be in the future.",
        )),
        Some(d) if d < facts.application_date => errors.push(FieldError::new(
            "signedOn",
            "date.before_application",
            "Hindamist ei saa allkirjastada enne taotluse kuupäeva.",
            "The assessment cannot be signed before the application date.",
        )),
        Some(d) => {
            if errors.is_empty() {
                tx.execute_cached(
                    "UPDATE assessment SET signed_on = ?2, signed_by = ?3, updated_at = ?4 WHERE case_id = ?1",
                    params![case_id, d.to_string(), signed_by, ts(now)],
                )?;
                return Ok(());
            }
        }
    }
    Err(Error::Validation(errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_as_typed_and_nonsense_is_caught_not_crashed_on() {
        let d: AssessmentDraft = serde_json::from_str(
            r#"{"activities":[{"code":"2010","hours":"1,5"},{"code":"2013","hours":12},{"code":"2001","hours":"kaks"},{"code":"2003","hours":""}]}"#,
        )
        .expect("a draft with odd hours still reads");
        assert_eq!(d.activities[0].hours, 1.5);
        assert_eq!(d.activities[1].hours, 12.0);
        assert!(d.activities[2].hours.is_nan());
        assert_eq!(d.activities[3].hours, 0.0);
    }

    #[test]
    fn age_counts_whole_years_on_the_day() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        assert_eq!(age_on(d(2010, 3, 15), d(2026, 3, 14)), 15);
        assert_eq!(age_on(d(2010, 3, 15), d(2026, 3, 15)), 16);
        assert_eq!(age_on(d(2012, 2, 29), d(2026, 2, 28)), 13);
    }
}
