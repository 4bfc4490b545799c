//! Dated, editable deadline rules: each period with its legal reference. A rule applies from its
//! valid_from; saving a new version closes the previous one. Owns deadline_rule.

use crate::store::cached::CachedSql;
use crate::store::dated::end_version;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::deadlines::{Period, Unit};
use crate::error::{Error, FieldError, Localized, Result};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineRule {
    pub id: i64,
    pub code: String,
    pub name: Localized,
    pub count: u32,
    pub unit: Unit,
    pub legal_ref: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl DeadlineRule {
    pub fn period(&self) -> Period {
        Period {
            count: self.count,
            unit: self.unit,
        }
    }

    pub fn applies_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

fn parse_unit(s: &str) -> Unit {
    match s {
        "working_days" => Unit::WorkingDays,
        "months" => Unit::Months,
        _ => Unit::CalendarDays,
    }
}

fn unit_str(u: Unit) -> &'static str {
    match u {
        Unit::WorkingDays => "working_days",
        Unit::CalendarDays => "calendar_days",
        Unit::Months => "months",
    }
}

/// Every version of every deadline rule, current and past.
pub fn deadline_rules(conn: &Connection) -> Result<Vec<DeadlineRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name_et, name_en, count, unit, legal_ref, valid_from, valid_to
         FROM deadline_rule ORDER BY code, valid_from",
    )?;
    let rules = stmt
        .query_map([], |r| {
            Ok(DeadlineRule {
                id: r.get(0)?,
                code: r.get(1)?,
                name: Localized::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
                count: r.get(4)?,
                unit: parse_unit(&r.get::<_, String>(5)?),
                legal_ref: r.get(6)?,
                valid_from: r.get(7)?,
                valid_to: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rules)
}

/// All rules, to pick the version that applies on a date without asking the database again.
#[derive(Debug, Clone)]
pub struct RuleBook {
    rules: Vec<DeadlineRule>,
}

impl RuleBook {
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(Self {
            rules: deadline_rules(conn)?,
        })
    }

    /// The version of `code` that applies on `date` (the earliest one if the date is before all).
    pub fn rule(&self, code: &str, date: NaiveDate) -> Option<&DeadlineRule> {
        let mut versions = self.rules.iter().filter(|r| r.code == code);
        versions
            .clone()
            .find(|r| r.applies_on(date))
            .or_else(|| versions.next())
    }
}

/// What the coordinator submits to change a deadline rule from a date on.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeadlineRuleInput {
    pub code: String,
    pub count: i64,
    pub unit: String,
    pub legal_ref: String,
    pub valid_from: String,
}

/// Save a new version of a rule from `valid_from`; the version in force until then ends the day before.
pub fn save_deadline_rule(conn: &Connection, input: &DeadlineRuleInput, now: &str) -> Result<()> {
    let mut errors = Vec::new();
    let current = deadline_rules(conn)?
        .into_iter()
        .filter(|r| r.code == input.code)
        .collect::<Vec<_>>();
    let Some(latest) = current.last() else {
        return Err(Error::field(
            "code",
            "invalid_choice",
            "Tundmatu reegel.",
            "Unknown rule.",
        ));
    };
    if !(1..=3650).contains(&input.count) {
        errors.push(FieldError::new(
            "count",
            "out_of_range",
            "Sisesta arv 1 kuni 3650.",
            "Enter a number from 1 to 3650.",
        ));
    }
    if !["working_days", "calendar_days", "months"].contains(&input.unit.as_str()) {
        errors.push(FieldError::new(
            "unit",
            "invalid_choice",
            "Vali loetelust.",
            "Choose from the list.",
        ));
    }
    if input.legal_ref.trim().is_empty() {
        errors.push(FieldError::new(
            "legalRef",
            "required",
            "Kirjuta õiguslik alus: see jõuab tähtaja selgitusse.",
            "Write the legal basis: it goes into the deadline's explanation.",
        ));
    }
    let valid_from = crate::values::parse_date(&input.valid_from);
    match valid_from {
        None => errors.push(crate::values::date_error("validFrom", &input.valid_from)),
        Some(d) if d <= latest.valid_from => errors.push(FieldError::new(
            "validFrom",
            "date.too_early",
            "Uus versioon peab kehtima hiljem kui praegune.",
            "The new version must start after the current one.",
        )),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let Some(from) = valid_from else {
        return Err(Error::Validation(errors));
    };
    end_version(conn, "deadline_rule", latest.id, from, now)?;
    conn.execute_cached(
        "INSERT INTO deadline_rule (code, name_et, name_en, count, unit, legal_ref, valid_from,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            latest.code,
            latest.name.et,
            latest.name.en,
            input.count,
            unit_str(parse_unit(&input.unit)),
            input.legal_ref.trim(),
            from.to_string(),
            now
        ],
    )?;
    Ok(())
}
