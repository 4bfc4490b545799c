//! The price list: every dated version of every activity's price, the prices in force on a day,
//! and a new version saved from a date.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::clock::ts;
use crate::error::{Error, FieldError, Result};
use crate::store::cached::CachedSql;
use crate::store::dated::end_version;
use crate::values::parse_money;

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// One version of an activity's price.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PriceVersion {
    pub id: i64,
    pub code: String,
    pub name_et: String,
    pub name_en: String,
    pub mode: String,
    pub unit: String,
    pub price_cents: i64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Every version of every price, by code and then oldest first.
pub fn price_versions(conn: &Connection) -> Result<Vec<PriceVersion>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name_et, name_en, mode, unit, price_cents, valid_from, valid_to
         FROM price_list ORDER BY code, mode, valid_from",
    )?;
    let list = stmt
        .query_map([], |r| {
            Ok(PriceVersion {
                id: r.get(0)?,
                code: r.get(1)?,
                name_et: r.get(2)?,
                name_en: r.get(3)?,
                mode: r.get(4)?,
                unit: r.get(5)?,
                price_cents: r.get(6)?,
                valid_from: r.get(7)?,
                valid_to: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

/// The price list in memory, for looking up many lines at once.
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    by_code: HashMap<String, Vec<PriceVersion>>,
}

impl PriceBook {
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(Self::from_list(price_versions(conn)?))
    }

    pub fn from_list(list: Vec<PriceVersion>) -> Self {
        let mut by_code: HashMap<String, Vec<PriceVersion>> = HashMap::new();
        for p in list {
            by_code.entry(p.code.clone()).or_default().push(p);
        }
        Self { by_code }
    }

    pub fn knows(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// The price of `code` in force on `day`, in `mode` when the code has several modes.
    pub fn on(&self, code: &str, mode: &str, day: NaiveDate) -> Option<&PriceVersion> {
        let in_force =
            |p: &&PriceVersion| p.valid_from <= day && p.valid_to.is_none_or(|t| day <= t);
        let versions = self.by_code.get(code)?;
        versions
            .iter()
            .filter(in_force)
            .find(|p| mode.is_empty() || p.mode == mode)
            .or_else(|| versions.iter().find(in_force))
    }

    /// Any version of `code` (for its name and unit).
    pub fn any(&self, code: &str) -> Option<&PriceVersion> {
        self.by_code.get(code).and_then(|v| v.last())
    }
}

/// A new price version as typed in Settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriceInput {
    pub code: String,
    pub mode: String,
    pub name_et: String,
    pub name_en: String,
    pub unit: String,
    pub price: String,
    pub valid_from: String,
}

/// Save a new price of an activity from a date; the version in force until then ends the day
/// before. A past invoice keeps the unit price it was billed at and the check made then.
pub fn save_price(conn: &Connection, input: &PriceInput, now: DateTime<Utc>) -> Result<()> {
    let mut errors = Vec::new();
    let code = input.code.trim();
    let mode = input.mode.trim();
    if code.is_empty() || code.len() > 10 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        errors.push(FieldError::new(
            "code",
            "required",
            "Sisesta tegevuse kood (nt 2010).",
            "Enter the activity code (e.g. 2010).",
        ));
    }
    if !matches!(mode, "individual" | "group") {
        errors.push(FieldError::new(
            "mode",
            "invalid_choice",
            "Vali, kas hind on individuaalne või grupis osaleja kohta.",
            "Choose whether the price is individual or per group participant.",
        ));
    }
    let price = parse_money(&input.price).filter(|c| *c > 0);
    if price.is_none() {
        errors.push(FieldError::new(
            "price",
            "money.invalid",
            "Sisesta hind eurodes (nt 29,40).",
            "Enter the price in euros (e.g. 29.40).",
        ));
    }
    let from = crate::values::parse_date(&input.valid_from);
    if from.is_none() {
        errors.push(crate::values::date_error("validFrom", &input.valid_from));
    }
    let latest = price_versions(conn)?
        .into_iter()
        .rfind(|p| p.code == code && p.mode == mode);
    if let (Some(l), Some(d)) = (&latest, from) {
        if d <= l.valid_from {
            errors.push(FieldError::new(
                "validFrom",
                "date.too_early",
                &format!(
                    "Uus hind peab kehtima hiljem kui praegune (alates {}).",
                    fmt(l.valid_from)
                ),
                &format!(
                    "The new price must start after the current one (from {}).",
                    fmt(l.valid_from)
                ),
            ));
        }
    }
    let (name_et, name_en, unit) = match &latest {
        Some(l) => (l.name_et.clone(), l.name_en.clone(), l.unit.clone()),
        None => {
            if input.name_et.trim().is_empty() || input.name_en.trim().is_empty() {
                errors.push(FieldError::new(
                    "nameEt",
                    "required",
                    "Uuel tegevusel on vaja nime eesti ja inglise keeles.",
                    "A new activity needs its name in Estonian and English.",
                ));
            }
            if !matches!(input.unit.trim(), "hour" | "day" | "km") {
                errors.push(FieldError::new(
                    "unit",
                    "invalid_choice",
                    "Vali ühik (tund, päev või km).",
                    "Choose the unit (hour, day or km).",
                ));
            }
            (
                input.name_et.trim().to_string(),
                input.name_en.trim().to_string(),
                input.unit.trim().to_string(),
            )
        }
    };
    let (Some(price), Some(from), true) = (price, from, errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    if let Some(l) = latest {
        end_version(conn, "price_list", l.id, from, &ts(now))?;
    }
    conn.execute_cached(
        "INSERT INTO price_list (code, name_et, name_en, mode, unit, price_cents, valid_from,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            code,
            name_et,
            name_en,
            mode,
            unit,
            price,
            from.to_string(),
            ts(now)
        ],
    )?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceItem {
    pub code: String,
    pub name_et: String,
    pub name_en: String,
    pub mode: String,
    pub unit: String,
    pub price_cents: i64,
}

/// The activities and their prices valid on `date`.
pub fn prices_on(conn: &Connection, date: NaiveDate) -> Result<Vec<PriceItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.code, p.name_et, p.name_en, p.mode, p.unit, p.price_cents FROM price_list p
         WHERE p.valid_from = (SELECT max(q.valid_from) FROM price_list q
                               WHERE q.code = p.code AND q.valid_from <= ?1)
           AND (p.valid_to IS NULL OR p.valid_to >= ?1)
         ORDER BY p.code",
    )?;
    let items = stmt
        .query_map([date.to_string()], |r| {
            Ok(PriceItem {
                code: r.get(0)?,
                name_et: r.get(1)?,
                name_en: r.get(2)?,
                mode: r.get(3)?,
                unit: r.get(4)?,
                price_cents: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(items)
}
