//! The yearly cost limit per child: the version in force in a year, every version, and a new one
//! saved from a 1 January.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::clock::ts;
use crate::error::{Error, FieldError, Result};
use crate::store::cached::CachedSql;
use crate::store::dated::end_version;
use crate::values::parse_money;

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
    let from = crate::values::parse_date(&input.valid_from);
    match from {
        None => errors.push(crate::values::date_error("validFrom", &input.valid_from)),
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
        end_version(conn, "yearly_cap", l.id, from, &ts(now))?;
    }
    conn.execute_cached(
        "INSERT INTO yearly_cap (amount_cents, legal_ref, valid_from, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
        params![amount, input.legal_ref.trim(), from.to_string(), ts(now)],
    )?;
    Ok(())
}
