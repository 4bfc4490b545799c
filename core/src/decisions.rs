//! Decisions: referral, refusal, amendment and termination letters drafted from the case and the
//! signed assessment, with the standard texts (templates with placeholders such as
//! `{{laps.nimi}}`), the annex of euro amounts per activity and calendar year within the yearly
//! cap, the check before approval, the number given once at approval, the frozen text and PDF
//! filed on the case, and the delivery date that starts the challenge and provider deadlines.
//! Owns decision_settings, decision_sequence, yearly_cap, decision_template, decision.

use crate::cached::CachedSql;
use std::collections::BTreeMap;

use crate::clock::ts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Localized, Result};

pub const KINDS: [&str; 4] = ["referral", "refusal", "amendment", "termination"];
pub const DELIVERIES: [&str; 4] = ["email", "post", "in_person", "eesti_ee"];
pub const LANGUAGES: [&str; 3] = ["et", "ru", "en"];

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

// ------------------------------------------------------------------------------------------
// Placeholders
// ------------------------------------------------------------------------------------------

/// Every placeholder a text may use, with what it becomes.
pub const PLACEHOLDERS: [(&str, &str, &str); 29] = [
    (
        "laps.nimi",
        "lapse ees- ja perekonnanimi",
        "the child's full name",
    ),
    ("laps.eesnimi", "lapse eesnimi", "the child's first name"),
    (
        "laps.perenimi",
        "lapse perekonnanimi",
        "the child's last name",
    ),
    (
        "laps.isikukood",
        "lapse isikukood (või sünniaeg)",
        "the child's personal code (or birth date)",
    ),
    ("laps.sünniaeg", "lapse sünniaeg", "the child's birth date"),
    (
        "esindaja.nimi",
        "adressaadi (lapse esindaja) nimi",
        "the addressee's (guardian's) name",
    ),
    (
        "esindaja.aadress",
        "adressaadi postiaadress",
        "the addressee's postal address",
    ),
    (
        "esindaja.epost",
        "adressaadi e-post",
        "the addressee's e-mail",
    ),
    ("juhtum.number", "juhtumi number", "the case number"),
    (
        "taotlus.kuupäev",
        "taotluse kuupäev",
        "the application date",
    ),
    (
        "hindamine.kuupäev",
        "hindamise allkirjastamise kuupäev",
        "the date the assessment was signed",
    ),
    (
        "hindamine.põhjendus",
        "hindamise tingimused sõnadega",
        "the assessment's criteria in words",
    ),
    (
        "hindamine.puudused",
        "täitmata tingimused sõnadega",
        "the criteria not met, in words",
    ),
    (
        "hindamine.valdkonnad",
        "valdkonnad, kus on teenusevajadus",
        "the areas with a need",
    ),
    (
        "otsus.number",
        "otsuse number (antakse kinnitamisel)",
        "the decision number (given at approval)",
    ),
    ("otsus.kuupäev", "otsuse kuupäev", "the decision date"),
    (
        "kehtivus.algus",
        "suunamise kehtivuse algus",
        "the referral's first day",
    ),
    (
        "kehtivus.lõpp",
        "suunamise kehtivuse lõpp",
        "the referral's last day",
    ),
    (
        "valik.tähtaeg",
        "teenuseosutaja valimise tähtaeg: 60. päev otsuse kättesaamisest (kuupäev vaid siis, kui kättesaamise päev on teada)",
        "the provider choice deadline: the 60th day after receipt (a date only when the receipt day is known)",
    ),
    (
        "seotud.otsus",
        "muudetava või lõpetatava otsuse number",
        "the number of the decision amended or ended",
    ),
    (
        "teenuseosutajad",
        "sobivad teenuseosutajad",
        "the suitable providers",
    ),
    ("lisa.kokku", "lisa summa kokku", "the annex total"),
    ("amet.nimi", "asutuse nimi", "the Board's name"),
    ("amet.aadress", "asutuse aadress", "the Board's address"),
    ("amet.telefon", "asutuse telefon", "the Board's phone"),
    ("amet.epost", "asutuse e-post", "the Board's e-mail"),
    (
        "koordinaator.nimi",
        "juhtumikorraldaja nimi",
        "the coordinator's name",
    ),
    (
        "koordinaator.telefon",
        "juhtumikorraldaja telefon (kui seadetes pole, siis asutuse oma)",
        "the coordinator's phone (the Board's when none is set)",
    ),
    (
        "koordinaator.epost",
        "juhtumikorraldaja e-post (kui seadetes pole, siis asutuse oma)",
        "the coordinator's e-mail (the Board's when none is set)",
    ),
];

pub fn is_placeholder(name: &str) -> bool {
    PLACEHOLDERS.iter().any(|(n, _, _)| *n == name)
}

/// What is wrong with a placeholder in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceholderProblem {
    /// "unknown", "unclosed" or "empty".
    pub code: String,
    pub name: String,
    /// Character offset of the "{{" in the text.
    pub offset: usize,
}

impl PlaceholderProblem {
    pub fn message(&self) -> Localized {
        match self.code.as_str() {
            "unknown" => Localized::new(
                format!("Tundmatu kohatäide {{{{{}}}}}: kontrolli kirjapilti (nt {{{{laps.nimi}}}}).", self.name),
                format!("Unknown placeholder {{{{{}}}}}: check the spelling (e.g. {{{{laps.nimi}}}}).", self.name),
            ),
            "unclosed" => Localized::new(
                "Kohatäide on lõpetamata: „{{” järel puudub „}}”. Kui soovid kirjutada „{{”, kirjuta „\\{{”.",
                "A placeholder is not closed: “{{” has no “}}”. To write “{{” itself, type “\\{{”.",
            ),
            _ => Localized::new(
                "Tühi kohatäide {{}}: kirjuta selle sisse nimi või eemalda see.",
                "Empty placeholder {{}}: write a name in it or remove it.",
            ),
        }
    }
}

/// A text split into literal parts and placeholder names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Name(String),
}

/// Parse `{{name}}` placeholders; `\{{` is a literal "{{". Every problem is reported.
fn parse(text: &str) -> (Vec<Piece>, Vec<PlaceholderProblem>) {
    let mut pieces = Vec::new();
    let mut problems = Vec::new();
    let mut literal = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1) == Some(&'{') && chars.get(i + 2) == Some(&'{') {
            literal.push_str("{{");
            i += 3;
            continue;
        }
        if chars[i] == '{' && chars.get(i + 1) == Some(&'{') {
            let start = i;
            let mut j = i + 2;
            let mut found = None;
            while j + 1 < chars.len() {
                if chars[j] == '}' && chars[j + 1] == '}' {
                    found = Some(j);
                    break;
                }
                if chars[j] == '{' && chars[j + 1] == '{' {
                    break;
                }
                j += 1;
            }
            match found {
                None => {
                    problems.push(PlaceholderProblem {
                        code: "unclosed".into(),
                        name: String::new(),
                        offset: start,
                    });
                    literal.push_str("{{");
                    i += 2;
                }
                Some(end) => {
                    let name: String = chars[i + 2..end]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string();
                    if name.is_empty() {
                        problems.push(PlaceholderProblem {
                            code: "empty".into(),
                            name: String::new(),
                            offset: start,
                        });
                    } else if !is_placeholder(&name) {
                        problems.push(PlaceholderProblem {
                            code: "unknown".into(),
                            name: name.clone(),
                            offset: start,
                        });
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Name(name));
                    i = end + 2;
                }
            }
            continue;
        }
        literal.push(chars[i]);
        i += 1;
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    (pieces, problems)
}

/// The problems of a text's placeholders (none: every placeholder is known and closed).
pub fn check_placeholders(text: &str) -> Vec<PlaceholderProblem> {
    parse(text).1
}

/// Fill a text's placeholders with `values`. Values go in as they are (never read again as
/// placeholders). A problem leaves the placeholder as written, so a preview shows where it is;
/// the problems are returned too and block approval.
pub fn fill(text: &str, values: &BTreeMap<&str, String>) -> (String, Vec<PlaceholderProblem>) {
    let (pieces, problems) = parse(text);
    let mut out = String::with_capacity(text.len() + 64);
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&t),
            Piece::Name(n) => match values.get(n.as_str()) {
                Some(v) => out.push_str(v),
                None => {
                    out.push_str("{{");
                    out.push_str(&n);
                    out.push_str("}}");
                }
            },
        }
    }
    (out, problems)
}

fn placeholder_errors(field: &str, text: &str) -> Vec<FieldError> {
    check_placeholders(text)
        .into_iter()
        .map(|p| {
            let m = p.message();
            FieldError::new(field, &format!("placeholder.{}", p.code), &m.et, &m.en)
        })
        .collect()
}

// ------------------------------------------------------------------------------------------
// Money and the annex
// ------------------------------------------------------------------------------------------

/// Euros as typed ("1 234,56", "1234.5", "80") to cents; None when it is no amount.
pub fn parse_money(text: &str) -> Option<i64> {
    let s: String = text
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if s.is_empty() {
        return Some(0);
    }
    let (whole, frac) = match s.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 9
    {
        return None;
    }
    let euros: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(euros * 100 + cents)
}

/// An amount for one calendar year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct YearAmount {
    pub year: i32,
    pub cents: i64,
}

/// One activity of the annex with its amount per calendar year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnnexLine {
    pub code: String,
    pub amounts: Vec<YearAmount>,
}

impl AnnexLine {
    pub fn cents_in(&self, year: i32) -> i64 {
        self.amounts
            .iter()
            .filter(|a| a.year == year)
            .map(|a| a.cents)
            .sum()
    }
}

/// The calendar years a period touches.
pub fn years_of(from: NaiveDate, to: NaiveDate) -> Vec<i32> {
    if to < from {
        return vec![from.year()];
    }
    (from.year()..=to.year()).collect()
}

/// The cost of `hours` at `price_cents` an hour, to the cent (hours in hundredths, half up).
pub fn cost_cents(hours: f64, price_cents: i64) -> i64 {
    let hundredths = (hours * 100.0).round() as i64;
    (hundredths * price_cents + 50).div_euclid(100)
}

/// The rehabilitation plan's activity code.
pub const REHABILITATION_PLAN: &str = "1001";

/// The referral's first period, in days from the start of its validity: the family registers
/// with a provider within 60 days and the provider's team makes the rehabilitation plan in the
/// first weeks after that.
pub const FIRST_PERIOD_DAYS: i64 = 90;

/// How the annex spreads an activity's amount over the calendar years of the referral: the
/// per-year amounts follow when the activities are planned to happen. The rehabilitation plan
/// (1001) is made once, at the start: its whole amount stands in the year the referral begins,
/// and a plan billed within the first period ([`FIRST_PERIOD_DAYS`]) counts against that year's
/// amount even when it falls in the next calendar year (a referral from 7 December: the plan in
/// January). Every other activity runs through the whole period: its amount is split by the
/// period's days in each year ([`split_by_year`]).
pub fn annex_amounts(
    code: &str,
    total_cents: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<YearAmount> {
    if code != REHABILITATION_PLAN {
        return split_by_year(total_cents, from, to);
    }
    years_of(from, to)
        .into_iter()
        .enumerate()
        .map(|(i, year)| YearAmount {
            year,
            cents: if i == 0 { total_cents } else { 0 },
        })
        .collect()
}

/// The annex year a service counts against: its calendar year, except a rehabilitation plan
/// within the referral's first period, which counts against the year the referral began
/// ([`annex_amounts`]).
pub fn annex_year(code: &str, service_date: NaiveDate, valid_from: NaiveDate) -> i32 {
    let first_period = service_date >= valid_from
        && service_date < valid_from + chrono::Duration::days(FIRST_PERIOD_DAYS);
    if code == REHABILITATION_PLAN && first_period {
        valid_from.year()
    } else {
        service_date.year()
    }
}

/// Split an amount over the calendar years of a period in proportion to its days in each
/// year; the cents always add up to the whole (the last year takes the remainder).
pub fn split_by_year(total_cents: i64, from: NaiveDate, to: NaiveDate) -> Vec<YearAmount> {
    let years = years_of(from, to);
    if years.len() == 1 || to < from {
        return vec![YearAmount {
            year: from.year(),
            cents: total_cents,
        }];
    }
    let total_days = (to - from).num_days() + 1;
    let mut out = Vec::new();
    let mut given = 0;
    for (i, y) in years.iter().enumerate() {
        let start = from.max(NaiveDate::from_ymd_opt(*y, 1, 1).unwrap_or(from));
        let end = to.min(NaiveDate::from_ymd_opt(*y, 12, 31).unwrap_or(to));
        let cents = if i + 1 == years.len() {
            total_cents - given
        } else {
            let days = (end - start).num_days() + 1;
            total_cents * days / total_days
        };
        given += cents;
        out.push(YearAmount { year: *y, cents });
    }
    out
}

/// The yearly cost limit per child in force in `year` (on its first day), with its legal reference.
pub fn yearly_cap(conn: &Connection, year: i32) -> Result<Option<(i64, String)>> {
    let day = NaiveDate::from_ymd_opt(year, 1, 1).map(|d| d.to_string());
    Ok(conn
        .query_row_cached(
            "SELECT amount_cents, legal_ref FROM yearly_cap
             WHERE valid_from <= ?1 AND (valid_to IS NULL OR valid_to >= ?1)
             ORDER BY valid_from DESC LIMIT 1",
            [day],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// One version of the yearly cap.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearlyCapRule {
    pub id: i64,
    pub amount_cents: i64,
    pub legal_ref: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Every version of the yearly cap, oldest first.
pub fn yearly_caps(conn: &Connection) -> Result<Vec<YearlyCapRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, amount_cents, legal_ref, valid_from, valid_to FROM yearly_cap ORDER BY valid_from",
    )?;
    let list = stmt
        .query_map([], |r| {
            Ok(YearlyCapRule {
                id: r.get(0)?,
                amount_cents: r.get(1)?,
                legal_ref: r.get(2)?,
                valid_from: r.get(3)?,
                valid_to: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// A new yearly cap from a date, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct YearlyCapInput {
    pub amount: String,
    pub legal_ref: String,
    pub valid_from: String,
}

/// Save a new cap from `valid_from` (a 1 January: the cap is per calendar year); the version in
/// force until then ends the day before.
pub fn save_yearly_cap(
    conn: &Connection,
    input: &YearlyCapInput,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut errors = Vec::new();
    let amount = parse_money(&input.amount).filter(|c| *c > 0);
    if amount.is_none() {
        errors.push(FieldError::new(
            "amount",
            "money.invalid",
            "Sisesta piirmäär eurodes (nt 2695,00).",
            "Enter the cap in euros (e.g. 2695.00).",
        ));
    }
    if input.legal_ref.trim().is_empty() {
        errors.push(FieldError::new(
            "legalRef",
            "required",
            "Kirjuta õiguslik alus.",
            "Write the legal basis.",
        ));
    }
    let latest = yearly_caps(conn)?.into_iter().last();
    let from = crate::cases::parse_date(&input.valid_from);
    match from {
        None => errors.push(crate::cases::date_error("validFrom", &input.valid_from)),
        Some(d) if d.month() != 1 || d.day() != 1 => errors.push(FieldError::new(
            "validFrom",
            "date.not_year_start",
            "Piirmäär kehtib kalendriaasta kaupa: alguskuupäev on 1. jaanuar.",
            "The cap is per calendar year: it starts on 1 January.",
        )),
        Some(d) if latest.as_ref().is_some_and(|l| d <= l.valid_from) => {
            errors.push(FieldError::new(
                "validFrom",
                "date.too_early",
                "Uus piirmäär peab kehtima hiljem kui praegune.",
                "The new cap must start after the current one.",
            ))
        }
        _ => {}
    }
    let (Some(amount), Some(from), true) = (amount, from, errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    if let Some(l) = latest {
        crate::rules::end_version(conn, "yearly_cap", l.id, from, &ts(now))?;
    }
    conn.execute_cached(
        "INSERT INTO yearly_cap (amount_cents, legal_ref, valid_from, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![amount, input.legal_ref.trim(), from.to_string(), ts(now)],
    )?;
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Settings
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionSettings {
    pub board_name: String,
    pub board_unit: String,
    pub board_address: String,
    pub board_phone: String,
    pub board_email: String,
    pub number_prefix: String,
    pub signer_title: String,
    pub challenge_text: String,
}

pub fn settings(conn: &Connection) -> Result<DecisionSettings> {
    Ok(conn.query_row_cached(
        "SELECT board_name, board_unit, board_address, board_phone, board_email, number_prefix,
                signer_title, challenge_text FROM decision_settings WHERE id = 1",
        [],
        |r| {
            Ok(DecisionSettings {
                board_name: r.get(0)?,
                board_unit: r.get(1)?,
                board_address: r.get(2)?,
                board_phone: r.get(3)?,
                board_email: r.get(4)?,
                number_prefix: r.get(5)?,
                signer_title: r.get(6)?,
                challenge_text: r.get(7)?,
            })
        },
    )?)
}

pub fn save_settings(conn: &Connection, s: &DecisionSettings, now: DateTime<Utc>) -> Result<()> {
    let mut errors = Vec::new();
    let required = "Kohustuslik väli: see on iga otsuse päises.";
    let required_en = "This field is required: it is on every decision.";
    for (field, value) in [
        ("boardName", &s.board_name),
        ("boardAddress", &s.board_address),
        ("signerTitle", &s.signer_title),
        ("challengeText", &s.challenge_text),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, "required", required, required_en));
        }
    }
    let prefix = s.number_prefix.trim();
    if prefix.is_empty()
        || prefix.chars().count() > 6
        || !prefix
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '/')
    {
        errors.push(FieldError::new(
            "numberPrefix",
            "invalid",
            "Eesliide on 1–6 tähte, numbrit, „-” või „/” (nt K).",
            "The prefix is 1–6 letters, digits, “-” or “/” (e.g. K).",
        ));
    }
    if !s.board_email.trim().is_empty() && !s.board_email.contains('@') {
        errors.push(FieldError::new(
            "boardEmail",
            "email",
            "E-posti aadress ei ole õige kujuga.",
            "The e-mail address is not valid.",
        ));
    }
    errors.extend(placeholder_errors("challengeText", &s.challenge_text));
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    conn.execute_cached(
        "UPDATE decision_settings SET board_name = ?1, board_unit = ?2, board_address = ?3,
         board_phone = ?4, board_email = ?5, number_prefix = ?6, signer_title = ?7,
         challenge_text = ?8, updated_at = ?9 WHERE id = 1",
        params![
            s.board_name.trim(),
            s.board_unit.trim(),
            s.board_address.trim(),
            s.board_phone.trim(),
            s.board_email.trim(),
            prefix,
            s.signer_title.trim(),
            s.challenge_text.trim(),
            ts(now)
        ],
    )?;
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Templates
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub code: String,
    pub lang: String,
    pub category: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub saved_by: String,
    #[serde(default)]
    pub updated_at: String,
}

const TEMPLATES_JSON: &str = include_str!("../data/decision-templates.json");

/// Seed the standard texts (migration 005's hook).
pub fn seed_templates(tx: &Transaction) -> rusqlite_migration::HookResult {
    let list: Vec<Template> = serde_json::from_str(TEMPLATES_JSON)
        .map_err(|e| rusqlite_migration::HookError::Hook(format!("decision templates: {e}")))?;
    for t in list {
        if let Some(p) = check_placeholders(&t.body).first() {
            return Err(rusqlite_migration::HookError::Hook(format!(
                "template {} has a bad placeholder {:?}",
                t.code, p
            )));
        }
        tx.execute_cached(
            "INSERT INTO decision_template (code, lang, category, kind, title, body, version,
             saved_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 'SRT Desk', ?7, ?7)",
            params![t.code, t.lang, t.category, t.kind, t.title, t.body, "2026-01-01T00:00:00Z"],
        )?;
    }
    Ok(())
}

const TEMPLATE_COLUMNS: &str =
    "code, lang, category, kind, title, body, version, saved_by, updated_at";

fn template_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Template> {
    Ok(Template {
        code: r.get(0)?,
        lang: r.get(1)?,
        category: r.get(2)?,
        kind: r.get(3)?,
        title: r.get(4)?,
        body: r.get(5)?,
        version: r.get(6)?,
        saved_by: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

/// The current version of every template.
pub fn templates(conn: &Connection) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM decision_template t
         WHERE version = (SELECT max(version) FROM decision_template u WHERE u.code = t.code AND u.lang = t.lang)
         ORDER BY category, code, lang"
    ))?;
    let list = stmt
        .query_map([], template_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// Every version of one template, newest first.
pub fn template_versions(conn: &Connection, code: &str, lang: &str) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM decision_template WHERE code = ?1 AND lang = ?2 ORDER BY version DESC"
    ))?;
    let list = stmt
        .query_map([code, lang], template_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

fn current_template(conn: &Connection, code: &str, lang: &str) -> Result<Option<Template>> {
    Ok(template_versions(conn, code, lang)?.into_iter().next())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateInput {
    pub code: String,
    pub lang: String,
    pub title: String,
    pub body: String,
}

/// Save a new version of a template; an unknown placeholder is refused here, at editing time.
pub fn save_template(
    conn: &Connection,
    input: &TemplateInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Template> {
    let Some(current) = current_template(conn, &input.code, &input.lang)? else {
        return Err(Error::field(
            "code",
            "invalid_choice",
            "Tundmatu mall.",
            "Unknown template.",
        ));
    };
    let mut errors = placeholder_errors("body", &input.body);
    if input.body.trim().is_empty() {
        errors.push(FieldError::new(
            "body",
            "required",
            "Malli tekst ei saa olla tühi.",
            "The template text cannot be empty.",
        ));
    }
    if input.title.trim().is_empty() {
        errors.push(FieldError::new(
            "title",
            "required",
            "Kohustuslik väli.",
            "This field is required.",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    if current.body == input.body.trim_end() && current.title == input.title.trim() {
        return Ok(current);
    }
    conn.execute_cached(
        "INSERT INTO decision_template (code, lang, category, kind, title, body, version, saved_by,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            current.code,
            current.lang,
            current.category,
            current.kind,
            input.title.trim(),
            input.body.trim_end(),
            current.version + 1,
            by,
            ts(now)
        ],
    )?;
    current_template(conn, &input.code, &input.lang)?.ok_or(Error::field(
        "code",
        "invalid_choice",
        "Tundmatu mall.",
        "Unknown template.",
    ))
}

// ------------------------------------------------------------------------------------------
// The decision
// ------------------------------------------------------------------------------------------

/// A decision as stored.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub status: String,
    pub number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub addressee_name: String,
    pub addressee_address: String,
    pub addressee_email: String,
    pub delivery: String,
    pub summary_language: String,
    pub operative: String,
    pub reasoning: String,
    pub legal_basis: String,
    pub summary: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub annex: Vec<AnnexLine>,
    pub providers: Vec<String>,
    pub late_reason: String,
    pub related_number: String,
    pub templates_used: BTreeMap<String, i64>,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub warnings_confirmed: String,
    pub delivered_on: Option<NaiveDate>,
    pub document_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

const DECISION_COLUMNS: &str = "id, case_id, kind, status, number, decision_date, addressee_name,
    addressee_address, addressee_email, delivery, summary_language, operative, reasoning,
    legal_basis, summary, valid_from, valid_to, annex, providers, late_reason, related_number,
    templates_used, approved_at, approved_by, warnings_confirmed, delivered_on, document_id,
    created_at, updated_at";

fn decision_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Decision> {
    let json = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    Ok(Decision {
        id: r.get(0)?,
        case_id: r.get(1)?,
        kind: r.get(2)?,
        status: r.get(3)?,
        number: r.get(4)?,
        decision_date: r.get(5)?,
        addressee_name: r.get(6)?,
        addressee_address: r.get(7)?,
        addressee_email: r.get(8)?,
        delivery: r.get(9)?,
        summary_language: r.get(10)?,
        operative: r.get(11)?,
        reasoning: r.get(12)?,
        legal_basis: r.get(13)?,
        summary: r.get(14)?,
        valid_from: r.get(15)?,
        valid_to: r.get(16)?,
        annex: serde_json::from_str(&json(17)?).unwrap_or_default(),
        providers: serde_json::from_str(&json(18)?).unwrap_or_default(),
        late_reason: r.get(19)?,
        related_number: r.get(20)?,
        templates_used: serde_json::from_str(&json(21)?).unwrap_or_default(),
        approved_at: r.get(22)?,
        approved_by: r.get(23)?,
        warnings_confirmed: r.get(24)?,
        delivered_on: r.get(25)?,
        document_id: r.get(26)?,
        created_at: r.get(27)?,
        updated_at: r.get(28)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Decision> {
    conn.query_row_cached(
        &format!("SELECT {DECISION_COLUMNS} FROM decision WHERE id = ?1"),
        [id],
        decision_row,
    )
    .optional()?
    .ok_or(Error::DecisionNotFound(id))
}

/// A line of a case's list of decisions.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionListItem {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub updated_at: String,
}

pub fn list(conn: &Connection, case_id: i64) -> Result<Vec<DecisionListItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, status, number, decision_date, delivered_on, updated_at FROM decision
         WHERE case_id = ?1 ORDER BY id DESC",
    )?;
    let list = stmt
        .query_map([case_id], |r| {
            Ok(DecisionListItem {
                id: r.get(0)?,
                kind: r.get(1)?,
                status: r.get(2)?,
                number: r.get(3)?,
                decision_date: r.get(4)?,
                delivered_on: r.get(5)?,
                updated_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// What the editor autosaves (the kind is fixed when the draft is made).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionDraft {
    pub decision_date: String,
    pub addressee_name: String,
    pub addressee_address: String,
    pub addressee_email: String,
    pub delivery: String,
    pub summary_language: String,
    pub operative: String,
    pub reasoning: String,
    pub legal_basis: String,
    pub summary: String,
    pub valid_from: String,
    pub valid_to: String,
    pub annex: Vec<AnnexLineInput>,
    pub providers: Vec<String>,
    pub late_reason: String,
    pub related_number: String,
}

/// An annex line as typed: euros per year as text ("1 234,56").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnnexLineInput {
    pub code: String,
    pub amounts: Vec<YearAmountInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct YearAmountInput {
    pub year: i32,
    pub amount: String,
}

fn optional_date(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let d = crate::cases::parse_date(text);
    if d.is_none() {
        errors.push(crate::cases::date_error(field, text));
    }
    d
}

fn must_be_draft(d: &Decision) -> Result<()> {
    if d.status != "draft" {
        return Err(Error::DecisionFrozen {
            number: d.number.clone().unwrap_or_default(),
        });
    }
    Ok(())
}

/// The facts a decision is drafted from.
#[derive(Debug, Clone)]
pub struct Facts {
    pub case: crate::cases::CaseDetail,
    pub assessment: crate::assessment::Assessment,
    pub settings: DecisionSettings,
    /// The coordinator's name (empty while not set: the check then refuses approval).
    pub signer: String,
    /// The coordinator as the letter prints them: the Board's phone and e-mail where none of
    /// their own.
    pub coordinator: crate::prefs::Coordinator,
}

pub fn facts(
    conn: &Connection,
    case_id: i64,
    coordinator: &crate::prefs::Coordinator,
    today: NaiveDate,
) -> Result<Facts> {
    let settings = settings(conn)?;
    let coordinator = coordinator.with_board_contacts(&settings.board_phone, &settings.board_email);
    Ok(Facts {
        case: crate::cases::get(conn, case_id, today)?,
        assessment: crate::assessment::get(conn, case_id, today)?,
        signer: coordinator.name.clone(),
        coordinator,
        settings,
    })
}

fn template_or_empty(
    conn: &Connection,
    code: &str,
    lang: &str,
    used: &mut BTreeMap<String, i64>,
) -> Result<String> {
    Ok(match current_template(conn, code, lang)? {
        Some(t) => {
            used.insert(format!("{code}@{lang}"), t.version);
            t.body
        }
        None => String::new(),
    })
}

/// The annex prefilled from the assessment: hours × hourly price, spread over the calendar
/// years of the period by [`annex_amounts`] (the plan in the first year, the rest by days).
pub fn annex_from_assessment(
    assessment: &crate::assessment::Assessment,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<AnnexLine> {
    assessment
        .activities
        .iter()
        .filter_map(|a| {
            let price = assessment
                .activity_options
                .iter()
                .find(|p| p.code == a.code)?;
            let total = cost_cents(a.hours, price.price_cents);
            Some(AnnexLine {
                code: a.code.clone(),
                amounts: annex_amounts(&a.code, total, from, to),
            })
        })
        .collect()
}

/// The default referral period: from the day after the decision, as long as the rule allows and
/// no later than the child's age limit on the case's route.
fn default_period(
    conn: &Connection,
    case_id: i64,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let book = crate::rules::RuleBook::load(conn)?;
    let months = book
        .rule("referral_max", today)
        .map(|r| r.count)
        .unwrap_or(24);
    let from = today + chrono::Duration::days(1);
    let to = from
        .checked_add_months(chrono::Months::new(months))
        .map(|d| d - chrono::Duration::days(1))
        .unwrap_or(from);
    let facts = crate::assessment::case_facts(conn, case_id)?;
    let (last_day, _, _) = crate::assessment::age_limit(conn, &facts)?;
    Ok((from, to.min(last_day)))
}

/// Make a new draft of `kind`, prefilled from the case, its assessment and the templates.
pub fn create(
    tx: &Transaction,
    case_id: i64,
    kind: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    if !KINDS.contains(&kind) {
        return Err(Error::field(
            "kind",
            "invalid_choice",
            "Vali otsuse liik.",
            "Choose the kind of decision.",
        ));
    }
    let f = facts(tx, case_id, &crate::prefs::Coordinator::default(), today)?;
    let guardian = f.case.guardians.first();
    let lang = guardian
        .map(|g| g.language.clone())
        .filter(|l| LANGUAGES.contains(&l.as_str()))
        .unwrap_or_else(|| "et".into());
    let mut used = BTreeMap::new();
    let operative = template_or_empty(tx, &format!("{kind}.operative"), "et", &mut used)?;
    let reasoning = template_or_empty(tx, &format!("{kind}.reasoning"), "et", &mut used)?;
    let legal_basis = template_or_empty(tx, &format!("{kind}.legal_basis"), "et", &mut used)?;
    let summary = template_or_empty(tx, &format!("summary.{kind}"), &lang, &mut used)?;
    let (from, to, annex) = if kind == "referral" {
        let (from, to) = default_period(tx, case_id, today)?;
        (
            Some(from),
            Some(to),
            annex_from_assessment(&f.assessment, from, to),
        )
    } else {
        (None, None, Vec::new())
    };
    // An amendment or a termination is about the case's latest approved decision.
    let related: String = if kind == "amendment" || kind == "termination" {
        tx.query_row_cached(
            "SELECT number FROM decision WHERE case_id = ?1 AND number IS NOT NULL ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default()
    } else {
        String::new()
    };
    tx.execute_cached(
        "INSERT INTO decision (case_id, kind, status, decision_date, addressee_name, addressee_address,
            addressee_email, delivery, summary_language, operative, reasoning, legal_basis, summary,
            valid_from, valid_to, annex, providers, related_number, templates_used, created_at, updated_at)
         VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, '[]', ?16, ?17, ?18, ?18)",
        params![
            case_id,
            kind,
            today.to_string(),
            guardian
                .map(|g| format!("{} {}", g.first_name, g.last_name))
                .unwrap_or_default(),
            guardian.map(|g| g.postal_address.clone()).unwrap_or_default(),
            guardian.map(|g| g.email.clone()).unwrap_or_default(),
            guardian.map(|g| g.delivery.clone()).unwrap_or_default(),
            lang,
            operative,
            reasoning,
            legal_basis,
            summary,
            from.map(|d| d.to_string()),
            to.map(|d| d.to_string()),
            to_json(&annex),
            related,
            to_json(&used),
            ts(now)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// What is stored as JSON text (these types always serialise).
fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Save the draft as typed. Only shapes are checked here (an incomplete draft is fine); what
/// blocks approval is in [`check`].
pub fn save_draft(
    tx: &Transaction,
    id: i64,
    draft: &DecisionDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let current = get(tx, id)?;
    must_be_draft(&current)?;
    let mut errors = Vec::new();
    let date = optional_date("decisionDate", &draft.decision_date, &mut errors);
    let from = optional_date("validFrom", &draft.valid_from, &mut errors);
    let to = optional_date("validTo", &draft.valid_to, &mut errors);
    if !draft.delivery.is_empty() && !DELIVERIES.contains(&draft.delivery.as_str()) {
        errors.push(FieldError::new(
            "delivery",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    let lang = if draft.summary_language.is_empty() {
        current.summary_language.clone()
    } else {
        draft.summary_language.clone()
    };
    if !LANGUAGES.contains(&lang.as_str()) {
        errors.push(FieldError::new(
            "summaryLanguage",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    let mut annex = Vec::new();
    for (i, line) in draft.annex.iter().enumerate() {
        let mut amounts = Vec::new();
        for a in &line.amounts {
            match parse_money(&a.amount) {
                Some(c) => amounts.push(YearAmount {
                    year: a.year,
                    cents: c,
                }),
                None => errors.push(FieldError::new(
                    format!("annex.{i}.{}", a.year),
                    "money.invalid",
                    "Sisesta summa eurodes ja sentides (nt 1234,56).",
                    "Enter the amount in euros and cents (e.g. 1234.56).",
                )),
            }
        }
        annex.push(AnnexLine {
            code: line.code.trim().to_string(),
            amounts,
        });
    }
    let providers: Vec<String> = draft
        .providers
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    // A new summary language brings its standard text, unless the summary was edited.
    let mut summary = draft.summary.clone();
    let mut used = current.templates_used.clone();
    if lang != current.summary_language {
        let code = format!("summary.{}", current.kind);
        let old = current_template(tx, &code, &current.summary_language)?.map(|t| t.body);
        if summary.trim().is_empty() || old.as_deref().map(str::trim) == Some(summary.trim()) {
            used.remove(&format!("{code}@{}", current.summary_language));
            summary = template_or_empty(tx, &code, &lang, &mut used)?;
        }
    }
    tx.execute_cached(
        "UPDATE decision SET decision_date = ?2, addressee_name = ?3, addressee_address = ?4,
            addressee_email = ?5, delivery = ?6, summary_language = ?7, operative = ?8,
            reasoning = ?9, legal_basis = ?10, summary = ?11, valid_from = ?12, valid_to = ?13,
            annex = ?14, providers = ?15, late_reason = ?16, related_number = ?17,
            templates_used = ?18, updated_at = ?19
         WHERE id = ?1",
        params![
            id,
            date.map(|d| d.to_string()),
            draft.addressee_name.trim(),
            draft.addressee_address.trim(),
            draft.addressee_email.trim(),
            draft.delivery,
            lang,
            draft.operative,
            draft.reasoning,
            draft.legal_basis,
            summary,
            from.map(|d| d.to_string()),
            to.map(|d| d.to_string()),
            to_json(&annex),
            to_json(&providers),
            draft.late_reason,
            draft.related_number.trim(),
            to_json(&used),
            ts(now)
        ],
    )?;
    Ok(())
}

/// Recompute the annex of a referral draft from the assessment for its current period.
pub fn refill_annex(tx: &Transaction, id: i64, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let d = get(tx, id)?;
    must_be_draft(&d)?;
    let (Some(from), Some(to)) = (d.valid_from, d.valid_to) else {
        return Err(Error::field(
            "validFrom",
            "required",
            "Määra enne kehtivuse algus ja lõpp.",
            "Set the first and last day of the referral first.",
        ));
    };
    let a = crate::assessment::get(tx, d.case_id, today)?;
    let annex = annex_from_assessment(&a, from, to);
    tx.execute_cached(
        "UPDATE decision SET annex = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, to_json(&annex), ts(now)],
    )?;
    Ok(())
}

pub fn delete_draft(tx: &Transaction, id: i64) -> Result<i64> {
    let d = get(tx, id)?;
    must_be_draft(&d)?;
    tx.execute_cached("DELETE FROM decision WHERE id = ?1", [id])?;
    Ok(d.case_id)
}

// ------------------------------------------------------------------------------------------
// The check before approval
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CheckItem {
    pub code: String,
    /// The editor field it is about ("" for the decision as a whole).
    pub field: String,
    pub message: Localized,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DecisionCheck {
    pub errors: Vec<CheckItem>,
    pub warnings: Vec<CheckItem>,
}

impl DecisionCheck {
    fn error(&mut self, code: &str, field: &str, et: impl Into<String>, en: impl Into<String>) {
        self.errors.push(CheckItem {
            code: code.into(),
            field: field.into(),
            message: Localized::new(et, en),
        });
    }
    fn warning(&mut self, code: &str, field: &str, et: impl Into<String>, en: impl Into<String>) {
        self.warnings.push(CheckItem {
            code: code.into(),
            field: field.into(),
            message: Localized::new(et, en),
        });
    }
    pub fn warning_codes(&self) -> String {
        self.warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The decision's legal deadline, if it still runs: (due, explanation).
fn decision_due(conn: &Connection, case_id: i64, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let book = crate::rules::RuleBook::load(conn)?;
    let f = crate::schedule::facts(conn, case_id)?;
    Ok(crate::schedule::case_deadlines(&book, &f, today)
        .into_iter()
        .find(|d| d.kind == "decision_due")
        .map(|d| d.due))
}

/// Everything that is wrong (errors: approval is refused) or worth a second look (warnings:
/// approval needs a confirmation).
pub fn check(
    conn: &Connection,
    d: &Decision,
    f: &Facts,
    today: NaiveDate,
) -> Result<DecisionCheck> {
    let mut c = DecisionCheck::default();
    if !f.coordinator.missing().is_empty() {
        // The letter is signed with the coordinator's name and gives their contacts: never the
        // computer's user name. The UI links this item to Settings.
        c.error(
            "coordinator.profile_missing",
            "",
            crate::prefs::PROFILE_MISSING_ET,
            crate::prefs::PROFILE_MISSING_EN,
        );
    }
    let referral = d.kind == "referral";
    let first_decision = d.kind == "referral" || d.kind == "refusal";
    let status = f.case.status.as_str();
    if first_decision && status != "in_assessment" {
        c.error(
            "case.status",
            "",
            format!(
                "Juhtumi olek on „{}”: suunamis- või keeldumisotsuse saab kinnitada hindamisel olevale juhtumile. Kui otsus on juba tehtud, koosta muutmisotsus.",
                crate::cases::CaseStatus::label_et_of(status)
            ),
            format!(
                "The case is “{}”: a referral or refusal can be approved for a case in assessment. If a decision was already made, draft an amendment.",
                crate::cases::CaseStatus::label_en_of(status)
            ),
        );
    }
    if !first_decision && !matches!(status, "decided" | "provider_chosen" | "in_service") {
        c.error(
            "case.status",
            "",
            "Muuta või lõpetada saab juhtumit, millel on kehtiv otsus.",
            "Only a case with a decision in force can be amended or ended.",
        );
    }
    if first_decision && f.assessment.signed_on.is_none() {
        c.error(
            "assessment.unsigned",
            "",
            "Hindamine on allkirjastamata: otsus tugineb allkirjastatud hindamisele.",
            "The assessment is not signed: the decision rests on a signed assessment.",
        );
    }
    if d.addressee_name.trim().is_empty() {
        c.error(
            "addressee.missing",
            "addresseeName",
            "Kellele otsus on adresseeritud? Sisesta adressaadi nimi.",
            "Who is the decision addressed to? Enter the addressee's name.",
        );
    }
    match d.delivery.as_str() {
        "" => c.error(
            "delivery.missing",
            "delivery",
            "Vali, kuidas otsus kätte toimetatakse.",
            "Choose how the decision is delivered.",
        ),
        "email" if d.addressee_email.trim().is_empty() => c.error(
            "delivery.email_missing",
            "addresseeEmail",
            "Otsus saadetakse e-postiga, aga e-posti aadress puudub.",
            "The decision goes by e-mail, but there is no e-mail address.",
        ),
        "email" if !d.addressee_email.contains('@') || d.addressee_email.contains(' ') => c.error(
            "delivery.email_invalid",
            "addresseeEmail",
            "E-posti aadress ei ole õige kujuga.",
            "The e-mail address is not valid.",
        ),
        "post" if d.addressee_address.trim().is_empty() => c.error(
            "delivery.address_missing",
            "addresseeAddress",
            "Otsus saadetakse postiga, aga postiaadress puudub.",
            "The decision goes by post, but there is no postal address.",
        ),
        _ => {}
    }
    match d.decision_date {
        None => c.error(
            "date.missing",
            "decisionDate",
            "Sisesta otsuse kuupäev.",
            "Enter the decision date.",
        ),
        Some(date) if date > today => c.error(
            "date.future",
            "decisionDate",
            "Otsuse kuupäev ei saa olla tulevikus.",
            "The decision date cannot be in the future.",
        ),
        Some(date) if date < f.case.application_date => c.error(
            "date.before_application",
            "decisionDate",
            "Otsuse kuupäev on enne taotlust.",
            "The decision date is before the application.",
        ),
        Some(date) => {
            if first_decision {
                if let Some(due) = decision_due(conn, d.case_id, today)? {
                    if date > due {
                        if d.late_reason.trim().is_empty() {
                            c.error(
                                "date.late_reason_missing",
                                "lateReason",
                                format!("Otsuse tähtaeg oli {}. Otsuse võib teha hiljem, aga kirjuta hilinemise põhjus.", fmt(due)),
                                format!("The decision was due on {}. It may be made later, but write the reason for the delay.", fmt(due)),
                            );
                        } else {
                            c.warning(
                                "date.late",
                                "decisionDate",
                                format!("Otsus tehakse pärast tähtaega ({}); põhjus jääb otsuse juurde.", fmt(due)),
                                format!("The decision is made after its deadline ({}); the reason is kept with it.", fmt(due)),
                            );
                        }
                    }
                }
            }
        }
    }
    for (field, text, et, en) in [
        (
            "operative",
            &d.operative,
            "Resolutsioon (mida otsustati) on tühi.",
            "The operative part (what was decided) is empty.",
        ),
        (
            "reasoning",
            &d.reasoning,
            "Põhjendus puudub: otsus peab ütlema, miks nii otsustati (HMS § 56).",
            "The reasoning is missing: a decision must say why (HMS § 56).",
        ),
        (
            "legalBasis",
            &d.legal_basis,
            "Õiguslik alus puudub (HMS § 56).",
            "The legal basis is missing (HMS § 56).",
        ),
        (
            "summary",
            &d.summary,
            "Lapsevanemale mõeldud kokkuvõte on tühi.",
            "The summary for the parent is empty.",
        ),
    ] {
        if text.trim().is_empty() {
            c.error(&format!("{field}.missing"), field, et, en);
        }
    }
    for (field, text) in [
        ("operative", &d.operative),
        ("reasoning", &d.reasoning),
        ("legalBasis", &d.legal_basis),
        ("summary", &d.summary),
    ] {
        for p in check_placeholders(text) {
            let m = p.message();
            c.error(&format!("placeholder.{}", p.code), field, m.et, m.en);
        }
    }
    if !first_decision {
        let exists: bool = conn.query_row_cached(
            "SELECT EXISTS (SELECT 1 FROM decision WHERE case_id = ?1 AND number = ?2)",
            params![d.case_id, d.related_number.trim()],
            |r| r.get(0),
        )?;
        if !exists {
            c.error(
                "related.missing",
                "relatedNumber",
                "Nimeta juhtumi otsus, mida muudetakse või lõpetatakse.",
                "Name the case's decision that is amended or ended.",
            );
        }
    }
    match (d.kind.as_str(), f.assessment.eligibility.eligible) {
        ("referral", Some(true)) | ("refusal", Some(false)) => {}
        ("referral", _) => c.warning(
            "eligibility.mismatch",
            "",
            "Hindamise järgi ei ole kõik tingimused täidetud, aga koostatakse suunamisotsus.",
            "By the assessment not every condition is met, yet this is a referral.",
        ),
        ("refusal", _) => c.warning(
            "eligibility.mismatch",
            "",
            "Hindamise järgi on tingimused täidetud, aga koostatakse keeldumisotsus.",
            "By the assessment every condition is met, yet this is a refusal.",
        ),
        _ => {}
    }
    if referral {
        check_referral(conn, d, f, &mut c)?;
    }
    Ok(c)
}

fn check_referral(conn: &Connection, d: &Decision, f: &Facts, c: &mut DecisionCheck) -> Result<()> {
    let (from, to) = match (d.valid_from, d.valid_to) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            c.error(
                "validity.missing",
                if d.valid_from.is_none() {
                    "validFrom"
                } else {
                    "validTo"
                },
                "Suunamisotsusel peab olema kehtivuse algus ja lõpp.",
                "A referral needs its first and last day.",
            );
            return Ok(());
        }
    };
    if to < from {
        c.error(
            "validity.order",
            "validTo",
            "Kehtivuse lõpp on enne algust.",
            "The last day is before the first day.",
        );
        return Ok(());
    }
    let book = crate::rules::RuleBook::load(conn)?;
    let (months, legal) = book
        .rule("referral_max", from)
        .map(|r| (r.count, r.legal_ref.clone()))
        .unwrap_or((24, "SHS § 70".into()));
    let longest = from
        .checked_add_months(chrono::Months::new(months))
        .map(|x| x - chrono::Duration::days(1))
        .unwrap_or(from);
    if to > longest {
        c.error(
            "validity.too_long",
            "validTo",
            format!(
                "Suunamine võib kehtida kuni {months} kuud ({legal}): viimane lubatud päev on {}.",
                fmt(longest)
            ),
            format!(
                "A referral may last up to {months} months ({legal}): the last day allowed is {}.",
                fmt(longest)
            ),
        );
    }
    let case_facts = crate::assessment::case_facts(conn, d.case_id)?;
    let (last_day, limit, legal) = crate::assessment::age_limit(conn, &case_facts)?;
    if to > last_day {
        if case_facts.route_kind == "disability" {
            c.error(
                "validity.after_age_limit",
                "validTo",
                format!(
                    "Kehtivus lõpeb pärast lapse vanusepiiri: puude alusel saab teenust kuni selle aasta lõpuni, mil laps saab {limit}-aastaseks ({legal}), s.o kuni {}. Lõpeta kehtivus hiljemalt sel päeval.",
                    fmt(last_day)
                ),
                format!(
                    "The referral ends after the child's age limit: on the disability route the service is available until the end of the year the child turns {limit} ({legal}), that is until {}. End the referral on that day at the latest.",
                    fmt(last_day)
                ),
            );
        } else {
            c.error(
                "validity.after_age_limit",
                "validTo",
                format!(
                    "Kehtivus lõpeb pärast lapse vanusepiiri: kohaliku omavalitsuse suunamisel saab teenust alla {limit}-aastane laps ({legal}), s.o kuni {}. Lõpeta kehtivus hiljemalt sel päeval.",
                    fmt(last_day)
                ),
                format!(
                    "The referral ends after the child's age limit: on a municipality referral the service is for children under {limit} ({legal}), that is until {}. End the referral on that day at the latest.",
                    fmt(last_day)
                ),
            );
        }
    }
    if d.decision_date.is_some_and(|date| from < date) {
        c.warning(
            "validity.before_decision",
            "validFrom",
            "Kehtivus algab enne otsuse kuupäeva.",
            "The referral starts before the decision date.",
        );
    }
    if d.providers.is_empty() {
        c.warning(
            "providers.empty",
            "providers",
            "Sobivaid teenuseosutajaid pole nimetatud: perel on neid valides abi vaja.",
            "No suitable providers are named: the family needs them to choose.",
        );
    }
    if f.assessment.signed_on.is_some() && f.assessment.activities.is_empty() {
        c.error(
            "assessment.no_activities",
            "",
            "Hindamise järgi ei ole ühtegi tegevust vaja: suunamisotsus tugineb hindamisele, milles on vähemalt üks vajalik tegevus. Kui teenust ei ole vaja, koosta keeldumisotsus.",
            "The assessment found no activities needed: a referral rests on an assessment that lists at least one activity needed. If the service is not needed, draft a refusal.",
        );
    }
    let assessed: Vec<&str> = f
        .assessment
        .activities
        .iter()
        .map(|a| a.code.as_str())
        .collect();
    if d.annex
        .iter()
        .all(|l| l.amounts.iter().all(|a| a.cents == 0))
    {
        c.error(
            "annex.empty",
            "annex",
            "Lisas ei ole ühtegi summat: suunamisotsusel on lisa tegevuste maksumusega.",
            "The annex has no amounts: a referral has an annex with the cost of the activities.",
        );
    }
    let years = years_of(from, to);
    for (i, line) in d.annex.iter().enumerate() {
        if !assessed.contains(&line.code.as_str()) {
            c.error(
                "annex.not_assessed",
                &format!("annex.{i}.code"),
                format!(
                    "Tegevus {} ei ole hindamises vajalike tegevuste hulgas.",
                    line.code
                ),
                format!(
                    "Activity {} is not among the activities the assessment found needed.",
                    line.code
                ),
            );
        }
        for a in &line.amounts {
            if a.cents < 0 {
                c.error(
                    "annex.negative",
                    &format!("annex.{i}.{}", a.year),
                    "Summa ei saa olla negatiivne.",
                    "An amount cannot be negative.",
                );
            }
            if a.cents != 0 && !years.contains(&a.year) {
                c.error(
                    "annex.year_outside",
                    &format!("annex.{i}.{}", a.year),
                    format!("Aasta {} jääb suunamise kehtivusest välja.", a.year),
                    format!("The year {} is outside the referral's period.", a.year),
                );
            }
        }
    }
    for y in years {
        let used: i64 = d.annex.iter().map(|l| l.cents_in(y)).sum();
        match yearly_cap(conn, y)? {
            Some((cap, legal)) if used > cap => c.error(
                "annex.over_cap",
                &format!("annex.total.{y}"),
                format!(
                    "Aasta {y} summa {} ületab lapse aastase piirmäära {} ({legal}) {} võrra.",
                    crate::pdf::money(used),
                    crate::pdf::money(cap),
                    crate::pdf::money(used - cap)
                ),
                format!(
                    "The {y} total {} is over the child's yearly cap {} ({legal}) by {}.",
                    crate::pdf::money(used),
                    crate::pdf::money(cap),
                    crate::pdf::money(used - cap)
                ),
            ),
            None => c.error(
                "annex.no_cap",
                &format!("annex.total.{y}"),
                format!("Aasta {y} piirmäär puudub seadetest."),
                format!("There is no yearly cap for {y} in the settings."),
            ),
            _ => {}
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------
// The letter
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LetterSection {
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AnnexRow {
    pub code: String,
    pub name: String,
    pub cents: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AnnexTable {
    pub years: Vec<i32>,
    pub rows: Vec<AnnexRow>,
    pub totals: Vec<i64>,
    pub caps: Vec<i64>,
    pub total: i64,
}

/// The decision as the parent reads it: what the preview shows and the PDF prints. Frozen
/// (stored) when the decision is approved.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Letter {
    pub kind: String,
    pub title: String,
    pub board_name: String,
    pub board_unit: String,
    pub board_contact: String,
    pub number: String,
    pub date: String,
    pub addressee: Vec<String>,
    pub delivery: String,
    pub summary_language: String,
    pub summary_heading: String,
    pub summary: String,
    pub child: String,
    pub sections: Vec<LetterSection>,
    pub providers: Vec<String>,
    pub signer_name: String,
    pub signer_title: String,
    /// How the family reaches the signer: "tel … · e-post …" (none in letters approved before).
    #[serde(default)]
    pub signer_contact: String,
    pub annex: Option<AnnexTable>,
}

pub fn kind_title(kind: &str) -> &'static str {
    match kind {
        "referral" => "OTSUS sotsiaalse rehabilitatsiooni teenusele suunamise kohta",
        "refusal" => "OTSUS sotsiaalse rehabilitatsiooni teenusele suunamisest keeldumise kohta",
        "amendment" => "OTSUS sotsiaalse rehabilitatsiooni teenuse otsuse muutmise kohta",
        _ => "OTSUS sotsiaalse rehabilitatsiooni teenuse lõpetamise kohta",
    }
}

fn delivery_words(delivery: &str) -> &'static str {
    match delivery {
        "email" => "e-posti teel",
        "post" => "posti teel",
        "in_person" => "isiklikult kätte",
        "eesti_ee" => "riigiportaali eesti.ee kaudu",
        _ => "",
    }
}

fn summary_heading(lang: &str) -> &'static str {
    match lang {
        "ru" => "Что означает это решение?",
        "en" => "What does this decision mean?",
        _ => "Mida see otsus tähendab?",
    }
}

/// The time to choose a provider and register runs from the day the decision reached the family,
/// which a letter printed at approval cannot know: a date counted from the decision date would be
/// earlier than the law's. So it is a date only once the receipt is known (with the rest-day
/// roll-over); before that it is the rule in words, in `lang`, to follow "hiljemalt" / "by … at
/// the latest" / "не позднее".
pub fn registration_deadline(conn: &Connection, d: &Decision, lang: &str) -> Result<String> {
    let book = crate::rules::RuleBook::load(conn)?;
    let on = d.delivered_on.or(d.decision_date).unwrap_or(NaiveDate::MIN);
    let period = book
        .rule("provider_registration", on)
        .map(|r| r.period())
        .unwrap_or(crate::deadlines::Period::calendar_days(60));
    if let Some(received) = d.delivered_on {
        return Ok(fmt(crate::deadlines::deadline(
            received,
            period,
            &Localized::new("", ""),
            "",
        )
        .due));
    }
    let n = period.count;
    let months = period.unit == crate::deadlines::Unit::Months;
    let working = period.unit == crate::deadlines::Unit::WorkingDays;
    Ok(match lang {
        "en" => {
            let suffix = match (n % 100, n % 10) {
                (11..=13, _) => "th",
                (_, 1) => "st",
                (_, 2) => "nd",
                (_, 3) => "rd",
                _ => "th",
            };
            if months {
                format!(
                    "{n} months after you receive it (the next working day if that is a rest day)"
                )
            } else if working {
                format!("the {n}{suffix} working day after you receive it")
            } else {
                format!("the {n}{suffix} day after you receive it (the next working day if that is a rest day)")
            }
        }
        "ru" => {
            if months {
                format!("истечения {n} месяцев после получения решения (если это выходной день — следующего рабочего дня)")
            } else if working {
                format!("{n}-го рабочего дня после получения решения")
            } else {
                format!("{n}-го дня после получения решения (если это выходной день — следующего рабочего дня)")
            }
        }
        _ => {
            if months {
                format!("{n} kuu möödumisel otsuse kättesaamisest (kui see on puhkepäev, siis järgmisel tööpäeval)")
            } else if working {
                format!("{n}. tööpäeval pärast otsuse kättesaamist")
            } else {
                format!("{n}. päeval pärast otsuse kättesaamist (kui see on puhkepäev, siis järgmisel tööpäeval)")
            }
        }
    })
}

/// The values of the placeholders for a decision.
pub fn values(
    conn: &Connection,
    d: &Decision,
    f: &Facts,
    number: Option<&str>,
) -> Result<BTreeMap<&'static str, String>> {
    let child = &f.case.child;
    let mut v: BTreeMap<&'static str, String> = BTreeMap::new();
    v.insert(
        "laps.nimi",
        format!("{} {}", child.first_name, child.last_name),
    );
    v.insert("laps.eesnimi", child.first_name.clone());
    v.insert("laps.perenimi", child.last_name.clone());
    v.insert(
        "laps.isikukood",
        child
            .personal_code
            .clone()
            .unwrap_or_else(|| format!("puudub, sündinud {}", fmt(child.birth_date))),
    );
    v.insert("laps.sünniaeg", fmt(child.birth_date));
    v.insert("esindaja.nimi", d.addressee_name.trim().to_string());
    v.insert("esindaja.aadress", d.addressee_address.trim().to_string());
    v.insert("esindaja.epost", d.addressee_email.trim().to_string());
    v.insert("juhtum.number", f.case.case_no.clone());
    v.insert("taotlus.kuupäev", fmt(f.case.application_date));
    v.insert(
        "hindamine.kuupäev",
        f.assessment
            .signed_on
            .map(fmt)
            .unwrap_or_else(|| "…".into()),
    );
    let criteria = &f.assessment.eligibility.criteria;
    v.insert(
        "hindamine.põhjendus",
        criteria
            .iter()
            .map(|c| c.text.et.clone())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let not_met: Vec<String> = criteria
        .iter()
        .filter(|c| c.met == Some(false))
        .map(|c| c.text.et.clone())
        .collect();
    v.insert(
        "hindamine.puudused",
        if not_met.is_empty() {
            v["hindamine.põhjendus"].clone()
        } else {
            not_met.join(" ")
        },
    );
    let areas: Vec<&str> = f
        .assessment
        .areas
        .iter()
        .filter(|a| matches!(a.level.as_str(), "some" | "significant"))
        .map(|a| crate::assessment::area_name(&a.area).0)
        .collect();
    v.insert(
        "hindamine.valdkonnad",
        if areas.is_empty() {
            "—".into()
        } else {
            areas.join(", ")
        },
    );
    v.insert(
        "otsus.number",
        number.map(str::to_string).unwrap_or_else(|| "…".into()),
    );
    v.insert(
        "otsus.kuupäev",
        d.decision_date.map(fmt).unwrap_or_else(|| "…".into()),
    );
    v.insert(
        "kehtivus.algus",
        d.valid_from.map(fmt).unwrap_or_else(|| "…".into()),
    );
    v.insert(
        "kehtivus.lõpp",
        d.valid_to.map(fmt).unwrap_or_else(|| "…".into()),
    );
    v.insert("valik.tähtaeg", registration_deadline(conn, d, "et")?);
    v.insert(
        "seotud.otsus",
        if d.related_number.trim().is_empty() {
            "…".into()
        } else {
            d.related_number.trim().to_string()
        },
    );
    v.insert("teenuseosutajad", d.providers.join("; "));
    let total: i64 = d
        .annex
        .iter()
        .flat_map(|l| l.amounts.iter())
        .map(|a| a.cents)
        .sum();
    v.insert("lisa.kokku", crate::pdf::money(total));
    let s = &f.settings;
    v.insert("amet.nimi", s.board_name.clone());
    v.insert("amet.aadress", s.board_address.clone());
    v.insert("amet.telefon", s.board_phone.clone());
    v.insert("amet.epost", s.board_email.clone());
    v.insert("koordinaator.nimi", f.signer.clone());
    v.insert("koordinaator.telefon", f.coordinator.phone.clone());
    v.insert("koordinaator.epost", f.coordinator.email.clone());
    Ok(v)
}

/// Build the letter from the draft; placeholders that cannot be filled stay visible as written.
pub fn letter(conn: &Connection, d: &Decision, f: &Facts, number: Option<&str>) -> Result<Letter> {
    let v = values(conn, d, f, number)?;
    let put = |t: &str| fill(t.trim(), &v).0;
    let s = &f.settings;
    let child = &f.case.child;
    let mut addressee = vec![d.addressee_name.trim().to_string()];
    match d.delivery.as_str() {
        "email" => addressee.push(d.addressee_email.trim().to_string()),
        _ => addressee.extend(
            d.addressee_address
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty()),
        ),
    }
    addressee.retain(|l| !l.is_empty());
    let mut sections = vec![
        LetterSection {
            heading: "Otsustan".into(),
            text: put(&d.operative),
        },
        LetterSection {
            heading: "Põhjendus".into(),
            text: put(&d.reasoning),
        },
    ];
    if !d.late_reason.trim().is_empty() {
        sections.push(LetterSection {
            heading: "Menetlustähtaeg".into(),
            text: put(&d.late_reason),
        });
    }
    sections.push(LetterSection {
        heading: "Õiguslik alus".into(),
        text: put(&d.legal_basis),
    });
    if d.kind == "referral" {
        sections.push(LetterSection {
            heading: "Suunamise kehtivus".into(),
            text: format!("{} kuni {}", v["kehtivus.algus"], v["kehtivus.lõpp"]),
        });
    }
    sections.push(LetterSection {
        heading: "Vaidlustamine".into(),
        text: put(&s.challenge_text),
    });
    let annex = if d.kind == "referral" {
        let years = match (d.valid_from, d.valid_to) {
            (Some(a), Some(b)) => years_of(a, b),
            _ => {
                let mut ys: Vec<i32> = d
                    .annex
                    .iter()
                    .flat_map(|l| l.amounts.iter().map(|a| a.year))
                    .collect();
                ys.sort_unstable();
                ys.dedup();
                ys
            }
        };
        let names: BTreeMap<&str, String> = f
            .assessment
            .activity_options
            .iter()
            .map(|p| {
                let mode = if p.mode == "group" { " (rühm)" } else { "" };
                (p.code.as_str(), format!("{}{mode}", p.name_et))
            })
            .collect();
        let rows: Vec<AnnexRow> = d
            .annex
            .iter()
            .map(|l| {
                let cents: Vec<i64> = years.iter().map(|y| l.cents_in(*y)).collect();
                AnnexRow {
                    code: l.code.clone(),
                    name: names.get(l.code.as_str()).cloned().unwrap_or_default(),
                    total: cents.iter().sum(),
                    cents,
                }
            })
            .collect();
        let totals: Vec<i64> = years
            .iter()
            .map(|y| d.annex.iter().map(|l| l.cents_in(*y)).sum())
            .collect();
        let mut caps = Vec::new();
        for y in &years {
            caps.push(yearly_cap(conn, *y)?.map(|c| c.0).unwrap_or(0));
        }
        Some(AnnexTable {
            total: totals.iter().sum(),
            years,
            rows,
            totals,
            caps,
        })
    } else {
        None
    };
    Ok(Letter {
        kind: d.kind.clone(),
        title: kind_title(&d.kind).into(),
        board_name: s.board_name.clone(),
        board_unit: s.board_unit.clone(),
        board_contact: [
            s.board_address.as_str(),
            s.board_phone.as_str(),
            s.board_email.as_str(),
        ]
        .into_iter()
        .filter(|x| !x.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
        number: number.unwrap_or("").to_string(),
        date: d.decision_date.map(fmt).unwrap_or_default(),
        addressee,
        delivery: delivery_words(&d.delivery).to_string(),
        summary_language: d.summary_language.clone(),
        summary_heading: summary_heading(&d.summary_language).into(),
        // The summary is in the family's language: so is the registration deadline in words
        // (`v` has it in Estonian; once the receipt is known it is a date in every language).
        summary: if d.summary_language == "et" || d.delivered_on.is_some() {
            put(&d.summary)
        } else {
            let mut sv = v.clone();
            sv.insert(
                "valik.tähtaeg",
                registration_deadline(conn, d, &d.summary_language)?,
            );
            fill(d.summary.trim(), &sv).0
        },
        child: format!(
            "{} {}, {}",
            child.first_name,
            child.last_name,
            match &child.personal_code {
                Some(code) => format!("isikukood {code}"),
                None => format!("sünniaeg {}", fmt(child.birth_date)),
            }
        ),
        sections,
        providers: if d.kind == "referral" {
            d.providers.clone()
        } else {
            Vec::new()
        },
        signer_name: f.signer.clone(),
        signer_title: s.signer_title.clone(),
        signer_contact: [
            (!f.coordinator.phone.is_empty()).then(|| format!("tel {}", f.coordinator.phone)),
            (!f.coordinator.email.is_empty()).then(|| f.coordinator.email.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
        annex,
    })
}

// ------------------------------------------------------------------------------------------
// What the editor shows
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnnexOption {
    pub code: String,
    pub name: Localized,
    pub mode: String,
    pub price_cents: i64,
    pub hours: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearCap {
    pub year: i32,
    pub cap_cents: Option<i64>,
    pub used_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceholderInfo {
    pub name: String,
    pub description: Localized,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionView {
    pub decision: Decision,
    pub letter: Letter,
    /// The printed letter's own words (labels) for the preview: the PDF's, not the interface's.
    pub letter_labels: crate::decision_pdf::LetterLabels,
    pub check: DecisionCheck,
    pub annex_years: Vec<i32>,
    pub caps: Vec<YearCap>,
    pub activity_options: Vec<AnnexOption>,
    pub paragraphs: Vec<Template>,
    pub placeholders: Vec<PlaceholderInfo>,
    pub related_options: Vec<String>,
    pub pdf_attachment_id: Option<i64>,
    pub pdf_file_name: Option<String>,
}

pub fn placeholder_list() -> Vec<PlaceholderInfo> {
    PLACEHOLDERS
        .iter()
        .map(|(n, et, en)| PlaceholderInfo {
            name: n.to_string(),
            description: Localized::new(*et, *en),
        })
        .collect()
}

pub fn view(
    conn: &Connection,
    id: i64,
    coordinator: &crate::prefs::Coordinator,
    today: NaiveDate,
) -> Result<DecisionView> {
    let d = get(conn, id)?;
    let f = facts(conn, d.case_id, coordinator, today)?;
    let (letter, check) = if d.status == "draft" {
        (letter(conn, &d, &f, None)?, check(conn, &d, &f, today)?)
    } else {
        let frozen: Option<String> =
            conn.query_row_cached("SELECT letter FROM decision WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        let l = match frozen.and_then(|s| serde_json::from_str(&s).ok()) {
            Some(l) => l,
            None => letter(conn, &d, &f, d.number.as_deref())?,
        };
        (l, DecisionCheck::default())
    };
    let annex_years = match (d.valid_from, d.valid_to) {
        (Some(a), Some(b)) => years_of(a, b),
        _ => Vec::new(),
    };
    let mut caps = Vec::new();
    for y in &annex_years {
        caps.push(YearCap {
            year: *y,
            cap_cents: yearly_cap(conn, *y)?.map(|c| c.0),
            used_cents: d.annex.iter().map(|l| l.cents_in(*y)).sum(),
        });
    }
    let activity_options = f
        .assessment
        .activity_options
        .iter()
        .map(|p| AnnexOption {
            code: p.code.clone(),
            name: Localized::new(p.name_et.clone(), p.name_en.clone()),
            mode: p.mode.clone(),
            price_cents: p.price_cents,
            hours: f
                .assessment
                .activities
                .iter()
                .find(|a| a.code == p.code)
                .map(|a| a.hours),
        })
        .collect();
    let paragraphs = templates(conn)?
        .into_iter()
        .filter(|t| t.category == "paragraph" && (t.kind.is_empty() || t.kind == d.kind))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT number FROM decision WHERE case_id = ?1 AND number IS NOT NULL AND id <> ?2 ORDER BY id DESC",
    )?;
    let related_options = stmt
        .query_map(params![d.case_id, id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let pdf: Option<(i64, String)> = match d.document_id {
        Some(doc) => conn
            .query_row_cached(
                "SELECT id, file_name FROM attachment WHERE document_id = ?1 ORDER BY id LIMIT 1",
                [doc],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        None => None,
    };
    Ok(DecisionView {
        decision: d,
        letter_labels: crate::decision_pdf::labels(&letter),
        letter,
        check,
        annex_years,
        caps,
        activity_options,
        paragraphs,
        placeholders: placeholder_list(),
        related_options,
        pdf_attachment_id: pdf.as_ref().map(|p| p.0),
        pdf_file_name: pdf.map(|p| p.1),
    })
}

// ------------------------------------------------------------------------------------------
// Approval and delivery
// ------------------------------------------------------------------------------------------

fn next_number(tx: &Transaction, prefix: &str, now: DateTime<Utc>) -> Result<String> {
    // A desk in a team numbers from the blocks the team server reserved for it.
    if let Some(n) = crate::sync::numbers::take(tx, "decision")? {
        return Ok(format!("{prefix}{n:06}"));
    }
    let n: i64 = tx.query_row_cached(
        "UPDATE decision_sequence SET last_value = last_value + 1, updated_at = ?1 WHERE id = 1
         RETURNING last_value",
        [ts(now)],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{n:06}"))
}

/// Approve a draft: the check must have no errors and its warnings must be confirmed. The number
/// is given, the text frozen, the PDF made and filed on the case's documents, and a referral or
/// refusal moves the case to "decided". All or nothing.
pub fn approve(
    tx: &Transaction,
    id: i64,
    confirm_warnings: bool,
    coordinator: &crate::prefs::Coordinator,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String> {
    let d = get(tx, id)?;
    must_be_draft(&d)?;
    let f = facts(tx, d.case_id, coordinator, today)?;
    let signer = f.signer.as_str();
    let c = check(tx, &d, &f, today)?;
    if !c.errors.is_empty() {
        return Err(Error::DecisionCheckFailed(Box::new(c)));
    }
    if !c.warnings.is_empty() && !confirm_warnings {
        return Err(Error::DecisionNeedsConfirmation(Box::new(c)));
    }
    let number = next_number(tx, f.settings.number_prefix.trim(), now)?;
    let letter = letter(tx, &d, &f, Some(&number))?;
    let pdf = crate::decision_pdf::render_stamped(&letter, &crate::demo_desk::pdf_stamp(tx))?;
    let date = d.decision_date.unwrap_or(today);
    let doc = crate::documents::DocumentInput {
        direction: "out".into(),
        doc_type: "decision".into(),
        title: format!("{} {number}", kind_name(&d.kind)),
        doc_date: date.to_string(),
        reg_no: number.clone(),
        party: d.addressee_name.trim().to_string(),
        due_date: String::new(),
        notes: String::new(),
    };
    let doc_id = crate::documents::insert(tx, d.case_id, &doc, date, None, now)?;
    crate::documents::attach(
        tx,
        doc_id,
        &format!("otsus-{number}.pdf"),
        "application/pdf",
        &pdf,
        now,
    )?;
    crate::documents::set_status(tx, doc_id, "done", now)?;
    if d.kind == "referral" || d.kind == "refusal" {
        crate::cases::change_status(
            tx,
            d.case_id,
            "decided",
            &format!("{} {number} kinnitati", kind_name(&d.kind)),
            now,
        )?;
    }
    tx.execute_cached(
        "UPDATE decision SET status = 'approved', number = ?2, decision_date = ?3, letter = ?4,
            approved_at = ?5, approved_by = ?6, warnings_confirmed = ?7, document_id = ?8, updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            number,
            date.to_string(),
            to_json(&letter),
            ts(now),
            signer,
            c.warning_codes(),
            doc_id
        ],
    )?;
    Ok(number)
}

pub fn kind_name(kind: &str) -> &'static str {
    match kind {
        "referral" => "Suunamisotsus",
        "refusal" => "Keeldumisotsus",
        "amendment" => "Muutmisotsus",
        _ => "Lõpetamisotsus",
    }
}

/// Record the day the decision reached the addressee: the challenge period and the time to
/// choose a provider count from it.
pub fn mark_sent(
    tx: &Transaction,
    id: i64,
    delivered_on: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let d = get(tx, id)?;
    if d.status != "approved" {
        return Err(Error::DecisionNotApproved);
    }
    let err = |code: &str, et: &str, en: &str| Err(Error::field("deliveredOn", code, et, en));
    let on = match crate::cases::parse_date(delivered_on) {
        None => {
            return Err(Error::Validation(vec![crate::cases::date_error(
                "deliveredOn",
                delivered_on,
            )]))
        }
        Some(x) if x > today => {
            return err(
                "date.future",
                "Kättetoimetamise kuupäev ei saa olla tulevikus.",
                "The delivery date cannot be in the future.",
            )
        }
        Some(x) if d.decision_date.is_some_and(|dd| x < dd) => {
            return err(
                "date.before_decision",
                "Otsust ei saa kätte toimetada enne selle kuupäeva.",
                "A decision cannot be delivered before its date.",
            )
        }
        Some(x) => x,
    };
    tx.execute_cached(
        "UPDATE decision SET status = 'sent', delivered_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, on.to_string(), ts(now)],
    )?;
    Ok(())
}

/// The PDF of an approved decision, as filed.
pub fn pdf_bytes(conn: &Connection, id: i64) -> Result<(String, Vec<u8>)> {
    let d = get(conn, id)?;
    let Some(doc) = d.document_id else {
        return Err(Error::DecisionNotApproved);
    };
    conn.query_row_cached(
        "SELECT file_name, content FROM attachment WHERE document_id = ?1 ORDER BY id LIMIT 1",
        [doc],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or(Error::DecisionNotApproved)
}

/// The decision events of a case for its timeline.
pub fn timeline_entries(
    conn: &Connection,
    case_id: i64,
) -> Result<Vec<crate::timeline::TimelineEntry>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT kind, number, created_at, approved_at, approved_by, delivered_on FROM decision WHERE case_id = ?1",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (kind, number, created, approved, by, delivered) in rows {
        let name = kind_name(&kind);
        let en = match kind.as_str() {
            "referral" => "Referral",
            "refusal" => "Refusal",
            "amendment" => "Amendment",
            _ => "Termination",
        };
        out.push(crate::timeline::TimelineEntry {
            at: created,
            kind: "decision".into(),
            title: Localized::new(
                format!("Otsuse eelnõu: {}", name.to_lowercase()),
                format!("Decision drafted: {}", en.to_lowercase()),
            ),
            detail: String::new(),
        });
        if let (Some(at), Some(no)) = (approved, number.as_ref()) {
            out.push(crate::timeline::TimelineEntry {
                at,
                kind: "decision".into(),
                title: Localized::new(
                    format!("{name} {no} kinnitati"),
                    format!("{en} {no} approved"),
                ),
                detail: by.unwrap_or_default(),
            });
        }
        if let (Some(on), Some(no)) = (delivered, number.as_ref()) {
            out.push(crate::timeline::TimelineEntry {
                at: on,
                kind: "decision".into(),
                title: Localized::new(
                    format!("Otsus {no} toimetati kätte"),
                    format!("Decision {no} delivered"),
                ),
                detail: String::new(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn vals() -> BTreeMap<&'static str, String> {
        let mut v = BTreeMap::new();
        v.insert("laps.nimi", "Mirtel Näidis-Õunapuu".to_string());
        v.insert("otsus.number", "K000001".to_string());
        v
    }

    #[test]
    fn placeholders_are_filled_and_unknown_names_are_errors_not_blanks() {
        let (text, problems) = fill("Laps {{laps.nimi}}, otsus {{ otsus.number }}.", &vals());
        assert_eq!(text, "Laps Mirtel Näidis-Õunapuu, otsus K000001.");
        assert!(problems.is_empty());

        let (text, problems) = fill("Tere {{laps.nimmi}}!", &vals());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "unknown");
        assert_eq!(problems[0].name, "laps.nimmi");
        assert_eq!(problems[0].offset, 5);
        assert_eq!(
            text, "Tere {{laps.nimmi}}!",
            "the mistake stays visible in the preview"
        );
        assert!(problems[0].message().et.contains("{{laps.nimmi}}"));
    }

    #[test]
    fn unclosed_and_empty_placeholders_are_reported() {
        let p = check_placeholders("Laps {{laps.nimi");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].code, "unclosed");
        let p = check_placeholders("{{ }} ja {{laps.nimi}}");
        assert_eq!(
            p.iter().map(|x| x.code.as_str()).collect::<Vec<_>>(),
            ["empty"]
        );
        let p = check_placeholders("{{a {{laps.nimi}}");
        assert_eq!(p[0].code, "unclosed", "an unclosed one before a good one");
    }

    #[test]
    fn escaping_writes_braces_and_values_are_never_read_as_placeholders() {
        let (text, problems) = fill(r"Kirjuta \{{laps.nimi}} nii.", &vals());
        assert!(problems.is_empty());
        assert_eq!(text, "Kirjuta {{laps.nimi}} nii.");
        let mut v = vals();
        v.insert("laps.nimi", "{{otsus.number}} <b>&".to_string());
        let (text, problems) = fill("{{laps.nimi}}", &v);
        assert!(problems.is_empty());
        assert_eq!(
            text, "{{otsus.number}} <b>&",
            "a value goes in as it is, once"
        );
        assert!(check_placeholders("Üks } ja }} ja { üksi").is_empty());
    }

    #[test]
    fn every_seeded_template_uses_only_known_placeholders() {
        let list: Vec<Template> = serde_json::from_str(TEMPLATES_JSON).expect("json");
        for t in &list {
            assert!(
                check_placeholders(&t.body).is_empty(),
                "{} {}",
                t.code,
                t.lang
            );
        }
        for kind in KINDS {
            for lang in LANGUAGES {
                assert!(
                    list.iter()
                        .any(|t| t.code == format!("summary.{kind}") && t.lang == lang),
                    "summary.{kind} in {lang}"
                );
            }
        }
    }

    #[test]
    fn money_is_read_as_typed_to_the_cent() {
        assert_eq!(parse_money("1 234,56"), Some(123_456));
        assert_eq!(parse_money("1234.5"), Some(123_450));
        assert_eq!(parse_money("80"), Some(8000));
        assert_eq!(parse_money("0,05 €"), Some(5));
        assert_eq!(parse_money(""), Some(0));
        assert_eq!(parse_money("12,345"), None, "no fractions of a cent");
        assert_eq!(parse_money("-5"), None);
        assert_eq!(parse_money("kaks"), None);
        assert_eq!(parse_money("1,2,3"), None);
    }

    #[test]
    fn annex_cents_split_over_two_calendar_years_add_up_exactly() {
        // 40 h of psychology at 29.40 €/h = 1176.00 €, 01.07.2026–30.06.2028 spans three years.
        let total = cost_cents(40.0, 2940);
        assert_eq!(total, 117_600);
        let split = split_by_year(total, d(2026, 7, 1), d(2027, 6, 30));
        assert_eq!(
            split.iter().map(|a| a.year).collect::<Vec<_>>(),
            [2026, 2027]
        );
        // 184 of 365 days fall in 2026.
        assert_eq!(split[0].cents, 117_600 * 184 / 365);
        assert_eq!(split[0].cents, 59_283);
        assert_eq!(split[1].cents, 58_317);
        assert_eq!(
            split.iter().map(|a| a.cents).sum::<i64>(),
            total,
            "no cent lost or made"
        );
        // 1.5 h at 29.80 €/h = 44.70 €; 0.333 h rounds to 0.33 h.
        assert_eq!(cost_cents(1.5, 2980), 4470);
        assert_eq!(cost_cents(0.333, 2980), 983);
        // One year only: all of it.
        assert_eq!(
            split_by_year(100, d(2026, 1, 1), d(2026, 12, 31)),
            vec![YearAmount {
                year: 2026,
                cents: 100
            }]
        );
        assert_eq!(years_of(d(2026, 12, 1), d(2028, 1, 31)), [2026, 2027, 2028]);
    }

    #[test]
    fn a_line_counts_only_its_own_year() {
        let line = AnnexLine {
            code: "2010".into(),
            amounts: vec![
                YearAmount {
                    year: 2026,
                    cents: 500,
                },
                YearAmount {
                    year: 2027,
                    cents: 250,
                },
            ],
        };
        assert_eq!(line.cents_in(2026), 500);
        assert_eq!(line.cents_in(2027), 250);
        assert_eq!(line.cents_in(2028), 0);
    }

    /// A case in assessment with a signed assessment (psychologist 40 h, speech therapist 30 h)
    /// and a fresh referral draft, in memory; "today" is 25.11.2026.
    fn drafted() -> (Connection, Decision, Facts) {
        use chrono::TimeZone;
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        let today = d(2026, 11, 25);
        let now = Utc
            .with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .single()
            .expect("time");
        let tx = conn.transaction().expect("tx");
        let app = crate::cases::ApplicationInput {
            child: crate::cases::ChildInput {
                first_name: "Mirtel".into(),
                last_name: "Näidis".into(),
                personal_code: "61303150029".into(),
                municipality_code: "0784".into(),
                ..Default::default()
            },
            guardians: vec![crate::cases::GuardianInput {
                first_name: "Kadri".into(),
                last_name: "Näidis".into(),
                email: "kadri@example.invalid".into(),
                language: "et".into(),
                delivery: "email".into(),
                relation: "parent".into(),
                ..Default::default()
            }],
            route: crate::cases::RouteInput {
                kind: "disability".into(),
                severity: "moderate".into(),
                ..Default::default()
            },
            application_date: "2026-11-20".into(),
            channel: "email".into(),
            notes: String::new(),
        };
        let valid = crate::cases::validate_application(&tx, &app, today).expect("valid");
        let case_id = crate::cases::register(&tx, &valid, now).expect("register");
        crate::cases::change_status(&tx, case_id, "in_assessment", "", now).expect("status");
        let draft = crate::assessment::AssessmentDraft {
            areas: crate::assessment::AREAS
                .iter()
                .map(|a| crate::assessment::AreaAssessment {
                    area: a.to_string(),
                    level: "some".into(),
                    notes: String::new(),
                })
                .collect(),
            activities: vec![
                crate::assessment::ActivityNeed {
                    code: "2010".into(),
                    hours: 40.0,
                },
                crate::assessment::ActivityNeed {
                    code: "2013".into(),
                    hours: 30.0,
                },
            ],
            ..Default::default()
        };
        crate::assessment::save_draft(&tx, case_id, &draft, &[], now).expect("assessment");
        crate::assessment::sign(&tx, case_id, "2026-11-24", "Mari", today, now).expect("sign");
        let id = create(&tx, case_id, "referral", today, now).expect("draft");
        tx.commit().expect("commit");
        let decision = get(&conn, id).expect("get");
        let mari = crate::prefs::Coordinator {
            name: "Mari".into(),
            ..Default::default()
        };
        let f = facts(&conn, case_id, &mari, today).expect("facts");
        (conn, decision, f)
    }

    fn check_codes(conn: &Connection, dec: &Decision, f: &Facts) -> (Vec<String>, Vec<String>) {
        let c = check(conn, dec, f, d(2026, 11, 25)).expect("check");
        (
            c.errors.into_iter().map(|i| i.code).collect(),
            c.warnings.into_iter().map(|i| i.code).collect(),
        )
    }

    #[test]
    fn a_fresh_referral_draft_passes_the_check_but_asks_about_providers() {
        let (conn, dec, f) = drafted();
        assert_eq!(dec.valid_from, Some(d(2026, 11, 26)));
        assert_eq!(
            dec.valid_to,
            Some(d(2028, 11, 25)),
            "24 months, the longest allowed"
        );
        let total: i64 = dec
            .annex
            .iter()
            .flat_map(|l| &l.amounts)
            .map(|a| a.cents)
            .sum();
        assert_eq!(total, 117_600 + 89_400, "40 h × 29.40 € + 30 h × 29.80 €");
        let (errors, warnings) = check_codes(&conn, &dec, &f);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(warnings, ["providers.empty"]);
    }

    #[test]
    fn the_check_lists_every_error_that_blocks_approval() {
        let (conn, mut dec, f) = drafted();
        dec.valid_to = Some(d(2028, 11, 26));
        dec.reasoning = " ".into();
        dec.legal_basis = String::new();
        dec.delivery = "post".into();
        dec.addressee_address = String::new();
        dec.annex.push(AnnexLine {
            code: "2001".into(),
            amounts: vec![
                YearAmount {
                    year: 2027,
                    cents: 270_000,
                },
                YearAmount {
                    year: 2030,
                    cents: 100,
                },
            ],
        });
        dec.operative.push_str(" {{laps.nimi");
        let (errors, _) = check_codes(&conn, &dec, &f);
        for code in [
            "validity.too_long",
            "reasoning.missing",
            "legalBasis.missing",
            "delivery.address_missing",
            "annex.not_assessed",
            "annex.year_outside",
            "annex.over_cap",
            "placeholder.unclosed",
        ] {
            assert!(
                errors.iter().any(|e| e == code),
                "{code} missing from {errors:?}"
            );
        }
    }

    #[test]
    fn the_cap_is_per_calendar_year_and_exactly_the_cap_is_allowed() {
        let (conn, mut dec, f) = drafted();
        dec.providers = vec!["Teenuseosutaja".into()];
        dec.annex = vec![AnnexLine {
            code: "2010".into(),
            amounts: vec![
                YearAmount {
                    year: 2027,
                    cents: 269_500,
                },
                YearAmount {
                    year: 2028,
                    cents: 269_500,
                },
            ],
        }];
        let (errors, warnings) = check_codes(&conn, &dec, &f);
        assert!(
            errors.is_empty(),
            "exactly 2695.00 € a year is within the cap: {errors:?}"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        dec.annex[0].amounts[1].cents += 1;
        let c = check(&conn, &dec, &f, d(2026, 11, 25)).expect("check");
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].field, "annex.total.2028");
        assert!(
            c.errors[0].message.et.contains("0,01"),
            "{}",
            c.errors[0].message.et
        );
    }

    #[test]
    fn a_late_decision_needs_its_reason_and_then_only_a_confirmation() {
        let (conn, mut dec, f) = drafted();
        dec.providers = vec!["Teenuseosutaja".into()];
        // Due 10 working days after 20.11.2026: 04.12.2026.
        dec.decision_date = Some(d(2026, 12, 7));
        dec.valid_from = Some(d(2026, 12, 8));
        let c = check(&conn, &dec, &f, d(2026, 12, 8)).expect("check");
        assert_eq!(
            c.errors.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            ["date.late_reason_missing"]
        );
        assert!(c.errors[0].message.et.contains("04.12.2026"));
        dec.late_reason = "Ootasime arsti hinnangut.".into();
        let c = check(&conn, &dec, &f, d(2026, 12, 8)).expect("check");
        assert!(c.errors.is_empty());
        assert_eq!(c.warning_codes(), "date.late");
        dec.decision_date = Some(d(2026, 12, 9));
        let c = check(&conn, &dec, &f, d(2026, 12, 8)).expect("check");
        assert_eq!(c.errors[0].code, "date.future");
    }

    #[test]
    fn the_registration_deadline_is_a_date_only_from_the_day_of_receipt() {
        let (conn, mut dec, _) = drafted();
        dec.decision_date = Some(d(2026, 11, 25));
        assert_eq!(
            registration_deadline(&conn, &dec, "et").expect("words"),
            "60. päeval pärast otsuse kättesaamist (kui see on puhkepäev, siis järgmisel tööpäeval)",
            "not 25.01.2027: 60 days from the decision date is earlier than the law's"
        );
        // Received 01.12.2026: + 60 days is Saturday 30.01.2027, so Monday 01.02.2027.
        dec.delivered_on = Some(d(2026, 12, 1));
        assert_eq!(
            registration_deadline(&conn, &dec, "ru").expect("date"),
            "01.02.2027",
            "the rest-day roll-over"
        );
    }
}
