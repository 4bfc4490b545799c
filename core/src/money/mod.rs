//! Billing: the dated price list, each case's budget (granted by the referral's annex, used by
//! accepted invoices, committed by invoices not yet decided, left), the parents' confirmations
//! of services received, and providers' invoices with the check line by line and the
//! coordinator's outcome, frozen once given. Owns price_list (edits), invoice, invoice_line and
//! service_confirmation. Money is integer cents and quantities are thousandths: no floating
//! point anywhere on the way from what was typed to what is paid.

pub mod invoice_io;

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashMap};

use crate::clock::ts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::decisions::AnnexLine;
use crate::error::{Error, FieldError, Localized, Result};
use crate::values::{money_en, money_et, parse_money, parse_quantity, quantity_text};

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Quantity (thousandths) × unit price, to the cent, half up.
pub fn line_amount(quantity_milli: i64, unit_price_cents: i64) -> i64 {
    (quantity_milli * unit_price_cents + 500).div_euclid(1000)
}

// ------------------------------------------------------------------------------------------
// The price list
// ------------------------------------------------------------------------------------------

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
pub fn price_list(conn: &Connection) -> Result<Vec<PriceVersion>> {
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
        Ok(Self::from_list(price_list(conn)?))
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
    let latest = price_list(conn)?
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
        crate::deadlines::rules::end_version(conn, "price_list", l.id, from, &ts(now))?;
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

// ------------------------------------------------------------------------------------------
// What the referral grants
// ------------------------------------------------------------------------------------------

/// A referral in force as amended: its number, its period and its annex.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub number: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub annex: Vec<AnnexLine>,
}

impl Grant {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && day <= self.valid_to
    }
}

/// The case's approved or sent referrals, each as its amendments left it: an amendment with an
/// annex replaces the annex, one with a period replaces the period; a termination ends the
/// period on its own last day (or its decision date).
pub fn grants(conn: &Connection, case_id: i64) -> Result<Vec<Grant>> {
    type Row = (
        String,
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        String,
        String,
        Option<NaiveDate>,
    );
    let mut stmt = conn.prepare_cached(
        "SELECT kind, number, valid_from, valid_to, annex, related_number, decision_date
         FROM decision WHERE case_id = ?1 AND status IN ('approved', 'sent') ORDER BY id",
    )?;
    let rows: Vec<Row> = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: Vec<Grant> = Vec::new();
    for (kind, number, from, to, annex, related, decided) in rows {
        let annex: Vec<AnnexLine> = serde_json::from_str(&annex).unwrap_or_default();
        match kind.as_str() {
            "referral" => {
                if let (Some(number), Some(from), Some(to)) = (number, from, to) {
                    out.push(Grant {
                        number,
                        valid_from: from,
                        valid_to: to,
                        annex,
                    });
                }
            }
            "amendment" => {
                if let Some(g) = out.iter_mut().find(|g| g.number == related.trim()) {
                    if annex.iter().any(|l| l.amounts.iter().any(|a| a.cents != 0)) {
                        g.annex = annex;
                    }
                    if let Some(f) = from {
                        g.valid_from = f;
                    }
                    if let Some(t) = to {
                        g.valid_to = t;
                    }
                }
            }
            "termination" => {
                if let Some(g) = out.iter_mut().find(|g| g.number == related.trim()) {
                    if let Some(end) = to.or(decided) {
                        g.valid_to = g.valid_to.min(end);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

// ------------------------------------------------------------------------------------------
// The budget of a case
// ------------------------------------------------------------------------------------------

/// One activity in one year.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLine {
    pub code: String,
    pub name: Localized,
    pub granted_cents: i64,
    pub used_cents: i64,
    pub committed_cents: i64,
    pub left_cents: i64,
}

/// One calendar year: the activities, their totals and the child's yearly cap.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BudgetYear {
    pub year: i32,
    pub lines: Vec<BudgetLine>,
    pub granted_cents: i64,
    pub used_cents: i64,
    pub committed_cents: i64,
    pub left_cents: i64,
    /// The yearly cost limit per child (None when the settings have none for the year).
    pub cap_cents: Option<i64>,
    /// Accepted for the child this year over all the child's cases (the cap counts these).
    pub child_used_cents: i64,
    pub cap_left_cents: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    pub case_id: i64,
    pub decisions: Vec<String>,
    pub years: Vec<BudgetYear>,
}

/// Per (activity, annex year): (accepted on decided invoices, committed by undecided ones).
type ActivityUse = HashMap<(String, i32), (i64, i64)>;

/// The annex year a line of a case counts against ([`crate::decisions::annex_year`]): its
/// calendar year, or for a rehabilitation plan in the first period of the referral in force on
/// its date, the year that referral began.
fn annex_year_of(grants: &[Grant], code: &str, date: NaiveDate) -> i32 {
    match grants.iter().find(|g| g.covers(date)) {
        Some(g) => crate::decisions::annex_year(code, date, g.valid_from),
        None => date.year(),
    }
}

/// Sums of invoice lines of a case by (activity, annex year): accepted on decided invoices, and
/// committed ("broneeritud") by invoices entered but not decided. `except` leaves one invoice out.
///
/// What an undecided invoice commits: a draft has not been checked, so its full billed amount;
/// a checked invoice the amount its check accepted (the outcome confirms that figure, so the
/// part the check already rejected reserves nothing).
fn case_use(
    conn: &Connection,
    case_id: i64,
    except: Option<i64>,
    grants: &[Grant],
) -> Result<ActivityUse> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.activity_code, l.service_date,
                SUM(CASE WHEN i.status IN ('accepted', 'partly_accepted') THEN l.accepted_cents ELSE 0 END),
                SUM(CASE i.status WHEN 'draft' THEN l.amount_cents
                                  WHEN 'checked' THEN l.accepted_cents ELSE 0 END)
         FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE l.case_id = ?1 AND i.id <> ?2
         GROUP BY 1, 2",
    )?;
    let mut out: ActivityUse = HashMap::new();
    for row in stmt.query_map(params![case_id, except.unwrap_or(-1)], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?),
            (r.get::<_, i64>(2)?, r.get::<_, i64>(3)?),
        ))
    })? {
        let ((code, date), (accepted, committed)) = row?;
        let year = annex_year_of(grants, &code, date);
        let sum = out.entry((code, year)).or_default();
        sum.0 += accepted;
        sum.1 += committed;
    }
    Ok(out)
}

/// Accepted money of all a child's cases by year (what the yearly cap counts).
fn child_use(conn: &Connection, child_id: i64, except: Option<i64>) -> Result<HashMap<i32, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT CAST(substr(l.service_date, 1, 4) AS INTEGER), SUM(l.accepted_cents)
         FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE l.case_id IN (SELECT id FROM srt_case WHERE child_id = ?1)
           AND +i.status IN ('accepted', 'partly_accepted') AND i.id <> ?2
         GROUP BY 1",
    )?;
    // The unary `+` keeps the planner on the child's own lines (invoice_line_case): with the
    // status index it walked every line of every accepted invoice of the desk for each child
    // (seen: the 1 000-line check at minutes with 1.3 million lines).
    let mut out = HashMap::new();
    for row in stmt.query_map(params![child_id, except.unwrap_or(-1)], |r| {
        Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (k, v) = row?;
        out.insert(k, v);
    }
    Ok(out)
}

fn child_of(conn: &Connection, case_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT child_id FROM srt_case WHERE id = ?1")?
        .query_row([case_id], |r| r.get(0))
        .optional()?
        .ok_or(Error::CaseNotFound(case_id))
}

fn activity_name(book: &PriceBook, code: &str) -> Localized {
    book.any(code)
        .map(|p| Localized::new(p.name_et.clone(), p.name_en.clone()))
        .unwrap_or_else(|| Localized::new(code, code))
}

/// The budget of a case per year and activity: granted, used, committed and left, with the cap.
pub fn budget(conn: &Connection, case_id: i64) -> Result<Budget> {
    let child_id = child_of(conn, case_id)?;
    let grants = grants(conn, case_id)?;
    let book = PriceBook::load(conn)?;
    let used = case_use(conn, case_id, None, &grants)?;
    let child = child_use(conn, child_id, None)?;
    let mut granted: BTreeMap<(i32, String), i64> = BTreeMap::new();
    for g in &grants {
        for l in &g.annex {
            for a in &l.amounts {
                *granted.entry((a.year, l.code.clone())).or_default() += a.cents;
            }
        }
        for y in crate::decisions::years_of(g.valid_from, g.valid_to) {
            for l in &g.annex {
                granted.entry((y, l.code.clone())).or_default();
            }
        }
    }
    // Money billed for an activity or year the annex does not name still shows.
    for (code, year) in used.keys() {
        granted.entry((*year, code.clone())).or_default();
    }
    let mut years: Vec<BudgetYear> = Vec::new();
    for ((year, code), g) in granted {
        let (u, c) = used.get(&(code.clone(), year)).copied().unwrap_or((0, 0));
        let line = BudgetLine {
            name: activity_name(&book, &code),
            code,
            granted_cents: g,
            used_cents: u,
            committed_cents: c,
            left_cents: g - u - c,
        };
        match years.last_mut() {
            Some(y) if y.year == year => y.lines.push(line),
            _ => years.push(BudgetYear {
                year,
                lines: vec![line],
                granted_cents: 0,
                used_cents: 0,
                committed_cents: 0,
                left_cents: 0,
                cap_cents: None,
                child_used_cents: 0,
                cap_left_cents: None,
            }),
        }
    }
    for y in &mut years {
        y.granted_cents = y.lines.iter().map(|l| l.granted_cents).sum();
        y.used_cents = y.lines.iter().map(|l| l.used_cents).sum();
        y.committed_cents = y.lines.iter().map(|l| l.committed_cents).sum();
        y.left_cents = y.granted_cents - y.used_cents - y.committed_cents;
        y.cap_cents = crate::decisions::yearly_cap(conn, y.year)?.map(|c| c.0);
        y.child_used_cents = child.get(&y.year).copied().unwrap_or(0);
        y.cap_left_cents = y
            .cap_cents
            .map(|c| c - y.child_used_cents - y.committed_cents);
    }
    Ok(Budget {
        case_id,
        decisions: grants.iter().map(|g| g.number.clone()).collect(),
        years,
    })
}

// ------------------------------------------------------------------------------------------
// The parent's confirmations of services received
// ------------------------------------------------------------------------------------------

pub const CHANNELS: [&str; 5] = ["paper", "email", "phone", "portal", "other"];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Confirmation {
    pub id: i64,
    pub case_id: i64,
    pub provider_id: Option<i64>,
    pub provider_name: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub confirmed_on: NaiveDate,
    pub channel: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConfirmationInput {
    pub provider_id: Option<i64>,
    pub period_from: String,
    pub period_to: String,
    pub confirmed_on: String,
    pub channel: String,
    pub notes: String,
}

pub fn confirmations(conn: &Connection, case_id: i64) -> Result<Vec<Confirmation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.case_id, s.provider_id, p.name, s.period_from, s.period_to,
                s.confirmed_on, s.channel, s.notes
         FROM service_confirmation s LEFT JOIN provider p ON p.id = s.provider_id
         WHERE s.case_id = ?1 ORDER BY s.period_from, s.id",
    )?;
    let list = stmt
        .query_map([case_id], |r| {
            Ok(Confirmation {
                id: r.get(0)?,
                case_id: r.get(1)?,
                provider_id: r.get(2)?,
                provider_name: r.get(3)?,
                period_from: r.get(4)?,
                period_to: r.get(5)?,
                confirmed_on: r.get(6)?,
                channel: r.get(7)?,
                notes: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

fn date_field(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<NaiveDate> {
    let d = crate::values::parse_date(text);
    if d.is_none() {
        errors.push(crate::values::date_error(field, text));
    }
    d
}

pub fn add_confirmation(
    tx: &Transaction,
    case_id: i64,
    input: &ConfirmationInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    child_of(tx, case_id)?;
    let mut errors = Vec::new();
    let from = date_field(&mut errors, "periodFrom", &input.period_from);
    let to = date_field(&mut errors, "periodTo", &input.period_to);
    let on = date_field(&mut errors, "confirmedOn", &input.confirmed_on);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FieldError::new(
                "periodTo",
                "date.order",
                "Perioodi lõpp on enne algust.",
                "The period ends before it starts.",
            ));
        }
    }
    if on.is_some_and(|d| d > today) {
        errors.push(FieldError::new(
            "confirmedOn",
            "date.future",
            "Kinnituse kuupäev ei saa olla tulevikus.",
            "The confirmation date cannot be in the future.",
        ));
    }
    if !CHANNELS.contains(&input.channel.as_str()) {
        errors.push(FieldError::new(
            "channel",
            "invalid_choice",
            "Vali, kuidas kinnitus saadi.",
            "Choose how the confirmation came.",
        ));
    }
    if let Some(p) = input.provider_id {
        let exists: bool = tx.query_row_cached(
            "SELECT EXISTS (SELECT 1 FROM provider WHERE id = ?1)",
            [p],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::ProviderNotFound(p));
        }
    }
    let (Some(from), Some(to), Some(on), true) = (from, to, on, errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    tx.execute_cached(
        "INSERT INTO service_confirmation (case_id, provider_id, period_from, period_to,
            confirmed_on, channel, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            case_id,
            input.provider_id,
            from.to_string(),
            to.to_string(),
            on.to_string(),
            input.channel,
            input.notes.trim(),
            ts(now)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Remove a confirmation recorded by mistake (a mistyped period lets every line of the period
/// pass the confirmation rule). Refused while a decided invoice's accepted line relies on it,
/// i.e. falls in its period (and provider) and no other confirmation of the case covers it:
/// that outcome is frozen and was paid on this confirmation. Undecided invoices need no guard:
/// their outcome is refused until they are checked again (see [`decide`]).
pub fn remove_confirmation(tx: &Transaction, case_id: i64, id: i64) -> Result<Confirmation> {
    let all = confirmations(tx, case_id)?;
    let Some(gone) = all.iter().find(|c| c.id == id).cloned() else {
        return Err(Error::field(
            "confirmation",
            "not_found",
            "Seda kinnitust juhtumil ei ole (see võib olla juba eemaldatud).",
            "The case has no such confirmation (it may have been removed already).",
        ));
    };
    let mut stmt = tx.prepare_cached(
        "SELECT i.number, i.provider_id, l.service_date
         FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE (l.case_id = ?1 OR (l.case_id IS NULL AND l.child_code IN
                 (SELECT ch.personal_code FROM srt_case c JOIN child ch ON ch.id = c.child_id
                  WHERE c.id = ?1)))
           AND i.status IN ('accepted', 'partly_accepted') AND l.accepted_cents > 0
           AND l.service_date BETWEEN ?2 AND ?3 AND (?4 IS NULL OR i.provider_id = ?4)
         ORDER BY l.service_date, i.number",
    )?;
    let relying: Vec<(String, NaiveDate)> = stmt
        .query_map(
            params![
                case_id,
                gone.period_from.to_string(),
                gone.period_to.to_string(),
                gone.provider_id
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|(_, provider, day)| {
            !all.iter().any(|c| {
                c.id != id
                    && c.period_from <= *day
                    && *day <= c.period_to
                    && c.provider_id.is_none_or(|p| p == *provider)
            })
        })
        .map(|(number, _, day)| (number, day))
        .collect();
    if !relying.is_empty() {
        let mut numbers: Vec<&str> = relying.iter().map(|(n, _)| n.as_str()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let numbers = numbers.join(", ");
        let (first, last) = (relying[0].1, relying[relying.len() - 1].1);
        let days = if first == last {
            fmt(first)
        } else {
            format!("{}–{}", fmt(first), fmt(last))
        };
        return Err(Error::field(
            "confirmation",
            "confirmation.in_use",
            &format!(
                "Kinnitust ei saa eemaldada: arve {numbers} otsus on tehtud ja selle aktsepteeritud read ({days}) tuginevad sellele kinnitusele."
            ),
            &format!(
                "The confirmation cannot be removed: invoice {numbers} has its outcome and its accepted lines ({days}) rely on this confirmation."
            ),
        ));
    }
    tx.execute_cached(
        "DELETE FROM service_confirmation WHERE id = ?1 AND case_id = ?2",
        params![id, case_id],
    )?;
    Ok(gone)
}

// ------------------------------------------------------------------------------------------
// Invoices: entry
// ------------------------------------------------------------------------------------------

pub const STATUSES: [&str; 5] = [
    "draft",
    "checked",
    "accepted",
    "partly_accepted",
    "rejected",
];

fn is_decided(status: &str) -> bool {
    matches!(status, "accepted" | "partly_accepted" | "rejected")
}

/// One line as typed (or read from the provider's CSV). An empty unit price is taken from the
/// price list on the service date, an empty amount is quantity × unit price.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct LineInput {
    pub child_code: String,
    pub decision_number: String,
    pub activity_code: String,
    pub mode: String,
    pub service_date: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
    pub specialist: String,
    pub content: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InvoiceInput {
    pub provider_id: Option<i64>,
    pub number: String,
    pub invoice_date: String,
    pub period_from: String,
    pub period_to: String,
    pub notes: String,
    pub lines: Vec<LineInput>,
}

/// A line that passed the entry checks, with its unit price and amount filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLine {
    pub child_code: String,
    pub decision_number: String,
    pub activity_code: String,
    pub mode: String,
    pub service_date: NaiveDate,
    pub quantity_milli: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub specialist: String,
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct ValidInvoice {
    pub provider_id: i64,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub notes: String,
    pub lines: Vec<ValidLine>,
}

const MAX_LINES: usize = 5_000;

/// A line's form as typed or read from a provider's file, in either language and any case:
/// Some("") when empty (the price list decides), None when it is not a form.
pub fn mode_of(text: &str) -> Option<&'static str> {
    match text.trim().to_lowercase().as_str() {
        "" => Some(""),
        "individual" | "individuaalne" => Some("individual"),
        "group" | "rühm" | "grupp" => Some("group"),
        _ => None,
    }
}

/// Check one line's shape; errors are named `{prefix}{field}` (e.g. `lines.3.quantity`).
pub fn validate_line(
    book: &PriceBook,
    line: &LineInput,
    period: Option<(NaiveDate, NaiveDate)>,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<ValidLine> {
    let before = errors.len();
    let f = |name: &str| format!("{prefix}{name}");
    let child = line.child_code.trim();
    if child.is_empty() {
        errors.push(FieldError::new(
            f("childCode"),
            "required",
            "Sisesta lapse isikukood.",
            "Enter the child's personal code.",
        ));
    } else if let Err(e) = crate::cases::ids::PersonalCode::parse(child) {
        errors.push(e.to_field_error(&f("childCode")));
    }
    let code = line.activity_code.trim();
    if code.is_empty() {
        errors.push(FieldError::new(
            f("activityCode"),
            "required",
            "Sisesta tegevuse kood.",
            "Enter the activity code.",
        ));
    } else if !book.knows(code) {
        errors.push(FieldError::new(
            f("activityCode"),
            "activity.unknown",
            &format!("Tegevuse koodi {code} ei ole hinnakirjas."),
            &format!("The activity code {code} is not in the price list."),
        ));
    }
    let mode_typed = line.mode.trim();
    let mode = mode_of(mode_typed).unwrap_or_default();
    if mode_of(mode_typed).is_none() {
        errors.push(FieldError::new(
            f("mode"),
            "invalid_choice",
            &format!("Vorm „{mode_typed}” ei sobi: kirjuta „individuaalne” või „rühm” (tühja vormi võtab hinnakiri)."),
            &format!("The form “{mode_typed}” is not valid: write “individual” or “group” (an empty form is taken from the price list)."),
        ));
    }
    let date = date_field(errors, &f("serviceDate"), &line.service_date);
    if let (Some(d), Some((from, to))) = (date, period) {
        if d < from || d > to {
            errors.push(FieldError::new(
                f("serviceDate"),
                "date.outside_period",
                &format!(
                    "Teenuse kuupäev {} on väljaspool arve perioodi {}–{}.",
                    fmt(d),
                    fmt(from),
                    fmt(to)
                ),
                &format!(
                    "The service date {} is outside the invoice period {}–{}.",
                    fmt(d),
                    fmt(from),
                    fmt(to)
                ),
            ));
        }
    }
    let quantity = parse_quantity(&line.quantity).filter(|q| *q > 0);
    if quantity.is_none() {
        errors.push(FieldError::new(
            f("quantity"),
            "quantity.invalid",
            "Sisesta kogus (tunnid, päevad või km), nt 1,5.",
            "Enter the quantity (hours, days or km), e.g. 1.5.",
        ));
    }
    let listed = date.and_then(|d| book.on(code, mode, d));
    let unit_price = if line.unit_price.trim().is_empty() {
        match (listed, date, book.knows(code)) {
            (Some(p), _, _) => Some(p.price_cents),
            (None, Some(d), true) => {
                errors.push(FieldError::new(
                    f("unitPrice"),
                    "price.none_on_date",
                    &format!(
                        "Tegevusel {code} ei ole {} kehtivat hinda: sisesta ühikuhind.",
                        fmt(d)
                    ),
                    &format!(
                        "Activity {code} has no price on {}: enter the unit price.",
                        fmt(d)
                    ),
                ));
                None
            }
            _ => None,
        }
    } else {
        let p = parse_money(&line.unit_price);
        if p.is_none() {
            errors.push(FieldError::new(
                f("unitPrice"),
                "money.invalid",
                "Sisesta ühikuhind eurodes (nt 29,40).",
                "Enter the unit price in euros (e.g. 29.40).",
            ));
        }
        p
    };
    let amount = if line.amount.trim().is_empty() {
        quantity.zip(unit_price).map(|(q, p)| line_amount(q, p))
    } else {
        let a = parse_money(&line.amount);
        if a.is_none() {
            errors.push(FieldError::new(
                f("amount"),
                "money.invalid",
                "Sisesta summa eurodes (nt 58,80).",
                "Enter the amount in euros (e.g. 58.80).",
            ));
        }
        a
    };
    if errors.len() > before {
        return None;
    }
    let (Some(date), Some(quantity), Some(unit_price), Some(amount)) =
        (date, quantity, unit_price, amount)
    else {
        return None;
    };
    Some(ValidLine {
        child_code: child.to_string(),
        decision_number: line.decision_number.trim().to_string(),
        activity_code: code.to_string(),
        mode: if mode.is_empty() {
            listed
                .map(|p| p.mode.clone())
                .unwrap_or_else(|| "individual".into())
        } else {
            mode.to_string()
        },
        service_date: date,
        quantity_milli: quantity,
        unit_price_cents: unit_price,
        amount_cents: amount,
        specialist: line.specialist.trim().to_string(),
        content: line.content.trim().to_string(),
    })
}

/// Check an invoice as typed; every field in error is named. The same number from the same
/// provider is refused here, before anything is saved.
pub fn validate(
    conn: &Connection,
    book: &PriceBook,
    id: Option<i64>,
    input: &InvoiceInput,
) -> Result<ValidInvoice> {
    let mut errors = Vec::new();
    let provider = match input.provider_id {
        None => {
            errors.push(FieldError::new(
                "providerId",
                "required",
                "Vali teenuseosutaja.",
                "Choose the provider.",
            ));
            None
        }
        Some(p) => conn
            .query_row_cached("SELECT name FROM provider WHERE id = ?1", [p], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map(|name| (p, name))
            .or_else(|| {
                errors.push(FieldError::new(
                    "providerId",
                    "provider.not_found",
                    "Sellist teenuseosutajat ei ole.",
                    "There is no such provider.",
                ));
                None
            }),
    };
    let number = input.number.trim();
    if number.is_empty() {
        errors.push(FieldError::new(
            "number",
            "required",
            "Sisesta arve number.",
            "Enter the invoice number.",
        ));
    } else if let Some((p, name)) = &provider {
        let other: Option<(i64, String)> = conn
            .query_row_cached(
                "SELECT id, invoice_date FROM invoice WHERE provider_id = ?1 AND number = ?2 AND id <> ?3",
                params![p, number, id.unwrap_or(-1)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((_, date)) = other {
            let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map(fmt)
                .unwrap_or(date);
            errors.push(FieldError::new(
                "number",
                "invoice.duplicate",
                &format!(
                    "Teenuseosutaja {name} arve number {number} ({date}) on juba sisestatud. Sama arvet ei sisestata kaks korda."
                ),
                &format!(
                    "Invoice number {number} ({date}) from {name} is already entered. The same invoice is not entered twice."
                ),
            ));
        }
    }
    let invoice_date = date_field(&mut errors, "invoiceDate", &input.invoice_date);
    let from = date_field(&mut errors, "periodFrom", &input.period_from);
    let to = date_field(&mut errors, "periodTo", &input.period_to);
    let period = match (from, to) {
        (Some(f), Some(t)) if t < f => {
            errors.push(FieldError::new(
                "periodTo",
                "date.order",
                "Perioodi lõpp on enne algust.",
                "The period ends before it starts.",
            ));
            None
        }
        (Some(f), Some(t)) => Some((f, t)),
        _ => None,
    };
    if input.lines.is_empty() {
        errors.push(FieldError::new(
            "lines",
            "required",
            "Arvel peab olema vähemalt üks rida.",
            "An invoice needs at least one line.",
        ));
    }
    if input.lines.len() > MAX_LINES {
        errors.push(FieldError::new(
            "lines",
            "too_many",
            &format!("Arvel võib olla kuni {MAX_LINES} rida."),
            &format!("An invoice may have up to {MAX_LINES} lines."),
        ));
    }
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        if let Some(v) = validate_line(book, l, period, &format!("lines.{i}."), &mut errors) {
            lines.push(v);
        }
    }
    let (Some((provider_id, _)), Some(invoice_date), Some((period_from, period_to)), true) =
        (provider, invoice_date, period, errors.is_empty())
    else {
        return Err(Error::Validation(errors));
    };
    Ok(ValidInvoice {
        provider_id,
        number: number.to_string(),
        invoice_date,
        period_from,
        period_to,
        notes: input.notes.trim().to_string(),
        lines,
    })
}

/// The case a line belongs to: the case of the named decision when it is this child's, else
/// the child's latest case.
fn case_for(conn: &Connection, child_code: &str, decision_number: &str) -> Result<Option<i64>> {
    if !decision_number.is_empty() {
        let by_decision: Option<i64> = conn
            .prepare_cached(
                "SELECT d.case_id FROM decision d JOIN srt_case c ON c.id = d.case_id
                 JOIN child ch ON ch.id = c.child_id
                 WHERE d.number = ?1 AND ch.personal_code = ?2",
            )?
            .query_row(params![decision_number, child_code], |r| r.get(0))
            .optional()?;
        if by_decision.is_some() {
            return Ok(by_decision);
        }
    }
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM srt_case c JOIN child ch ON ch.id = c.child_id
             WHERE ch.personal_code = ?1 ORDER BY c.id DESC LIMIT 1",
        )?
        .query_row([child_code], |r| r.get(0))
        .optional()?)
}

fn status_of(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row_cached("SELECT status FROM invoice WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(Error::InvoiceNotFound(id))
}

fn frozen(conn: &Connection, id: i64) -> Result<()> {
    let status = status_of(conn, id)?;
    if is_decided(&status) {
        let number: String =
            conn.query_row_cached("SELECT number FROM invoice WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        return Err(Error::InvoiceFrozen { number });
    }
    Ok(())
}

/// Save a new invoice (`id` None) or replace a draft's header and lines; the check's verdicts
/// are cleared (the invoice is a draft again until checked).
pub fn save(
    tx: &Transaction,
    id: Option<i64>,
    v: &ValidInvoice,
    source: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let total: i64 = v.lines.iter().map(|l| l.amount_cents).sum();
    let id = match id {
        Some(id) => {
            frozen(tx, id)?;
            tx.execute_cached(
                "UPDATE invoice SET provider_id = ?2, number = ?3, invoice_date = ?4, period_from = ?5,
                    period_to = ?6, notes = ?7, status = 'draft', total_cents = ?8, accepted_cents = 0,
                    checked_at = NULL, updated_at = ?9 WHERE id = ?1",
                params![
                    id,
                    v.provider_id,
                    v.number,
                    v.invoice_date.to_string(),
                    v.period_from.to_string(),
                    v.period_to.to_string(),
                    v.notes,
                    total,
                    ts(now)
                ],
            )?;
            tx.execute_cached("DELETE FROM invoice_line WHERE invoice_id = ?1", [id])?;
            id
        }
        None => {
            tx.execute_cached(
                "INSERT INTO invoice (provider_id, number, invoice_date, period_from, period_to, source,
                    status, total_cents, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?8, ?9, ?9)",
                params![
                    v.provider_id,
                    v.number,
                    v.invoice_date.to_string(),
                    v.period_from.to_string(),
                    v.period_to.to_string(),
                    source,
                    total,
                    v.notes,
                    ts(now)
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    let mut insert = tx.prepare_cached(
        "INSERT INTO invoice_line (invoice_id, position, child_code, case_id, decision_number,
            activity_code, mode, service_date, quantity_milli, unit_price_cents, amount_cents,
            specialist, content, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    )?;
    let mut cases: HashMap<(String, String), Option<i64>> = HashMap::new();
    for (i, l) in v.lines.iter().enumerate() {
        let key = (l.child_code.clone(), l.decision_number.clone());
        let case_id = match cases.get(&key) {
            Some(c) => *c,
            None => {
                let c = case_for(tx, &l.child_code, &l.decision_number)?;
                cases.insert(key, c);
                c
            }
        };
        insert.execute(params![
            id,
            i as i64 + 1,
            l.child_code,
            case_id,
            l.decision_number,
            l.activity_code,
            l.mode,
            l.service_date.to_string(),
            l.quantity_milli,
            l.unit_price_cents,
            l.amount_cents,
            l.specialist,
            l.content,
            ts(now)
        ])?;
    }
    Ok(id)
}

/// Delete an invoice entered by mistake (never one with an outcome).
pub fn delete(tx: &Transaction, id: i64) -> Result<()> {
    frozen(tx, id)?;
    tx.execute_cached("DELETE FROM invoice WHERE id = ?1", [id])?;
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Invoices: reading
// ------------------------------------------------------------------------------------------

/// One of the check's reasons on a line, with its figures in the text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub code: String,
    /// "reject": the line is not paid; "reduce": paid in part; "note": paid, but look.
    pub effect: String,
    pub message: Localized,
    /// How much of the line's amount this reason takes off, in cents.
    pub cut_cents: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    pub id: i64,
    pub position: i64,
    pub child_code: String,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub child_name: Option<String>,
    pub decision_number: String,
    pub activity_code: String,
    pub activity_name: Localized,
    pub mode: String,
    pub unit: String,
    pub service_date: NaiveDate,
    pub quantity_milli: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub specialist: String,
    pub content: String,
    pub reasons: Vec<Reason>,
    pub verdict: String,
    pub accepted_cents: i64,
    pub override_note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub provider_registry_code: String,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub source: String,
    pub status: String,
    pub total_cents: i64,
    pub accepted_cents: i64,
    pub rejected_cents: i64,
    pub outcome_note: String,
    pub checked_at: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub notes: String,
    pub lines: Vec<InvoiceLine>,
    /// The lines as the edit form takes them back.
    pub input: Vec<LineInput>,
    /// What the check would give now: the outcome the coordinator confirms.
    pub proposed_status: Option<String>,
    pub decided: bool,
}

pub fn get(conn: &Connection, id: i64) -> Result<Invoice> {
    let book = PriceBook::load(conn)?;
    let mut inv = conn
        .query_row_cached(
            "SELECT i.id, i.provider_id, p.name, p.registry_code, i.number, i.invoice_date,
                i.period_from, i.period_to, i.source, i.status, i.total_cents, i.accepted_cents,
                i.outcome_note, i.checked_at, i.decided_at, i.decided_by, i.notes
             FROM invoice i JOIN provider p ON p.id = i.provider_id WHERE i.id = ?1",
            [id],
            |r| {
                let status: String = r.get(9)?;
                Ok(Invoice {
                    id: r.get(0)?,
                    provider_id: r.get(1)?,
                    provider_name: r.get(2)?,
                    provider_registry_code: r.get(3)?,
                    number: r.get(4)?,
                    invoice_date: r.get(5)?,
                    period_from: r.get(6)?,
                    period_to: r.get(7)?,
                    source: r.get(8)?,
                    decided: is_decided(&status),
                    status,
                    total_cents: r.get(10)?,
                    accepted_cents: r.get(11)?,
                    rejected_cents: 0,
                    outcome_note: r.get(12)?,
                    checked_at: r.get(13)?,
                    decided_at: r.get(14)?,
                    decided_by: r.get(15)?,
                    notes: r.get(16)?,
                    lines: Vec::new(),
                    input: Vec::new(),
                    proposed_status: None,
                })
            },
        )
        .optional()?
        .ok_or(Error::InvoiceNotFound(id))?;
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.position, l.child_code, l.case_id, c.case_no,
                ch.first_name || ' ' || ch.last_name, l.decision_number, l.activity_code, l.mode,
                l.service_date, l.quantity_milli, l.unit_price_cents, l.amount_cents, l.specialist,
                l.content, l.check_reasons, l.verdict, l.accepted_cents, l.override_note
         FROM invoice_line l LEFT JOIN srt_case c ON c.id = l.case_id
         LEFT JOIN child ch ON ch.id = c.child_id
         WHERE l.invoice_id = ?1 ORDER BY l.position",
    )?;
    inv.lines = stmt
        .query_map([id], |r| {
            let code: String = r.get(7)?;
            let reasons: String = r.get(15)?;
            Ok(InvoiceLine {
                id: r.get(0)?,
                position: r.get(1)?,
                child_code: r.get(2)?,
                case_id: r.get(3)?,
                case_no: r.get(4)?,
                child_name: r.get(5)?,
                decision_number: r.get(6)?,
                activity_name: activity_name(&book, &code),
                unit: book.any(&code).map(|p| p.unit.clone()).unwrap_or_default(),
                activity_code: code,
                mode: r.get(8)?,
                service_date: r.get(9)?,
                quantity_milli: r.get(10)?,
                unit_price_cents: r.get(11)?,
                amount_cents: r.get(12)?,
                specialist: r.get(13)?,
                content: r.get(14)?,
                reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                verdict: r.get(16)?,
                accepted_cents: r.get(17)?,
                override_note: r.get(18)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    inv.input = inv
        .lines
        .iter()
        .map(|l| LineInput {
            child_code: l.child_code.clone(),
            decision_number: l.decision_number.clone(),
            activity_code: l.activity_code.clone(),
            mode: l.mode.clone(),
            service_date: l.service_date.to_string(),
            quantity: quantity_text(l.quantity_milli, true),
            unit_price: crate::pdf::money(l.unit_price_cents).replace(['\u{a0}', '€'], ""),
            amount: crate::pdf::money(l.amount_cents).replace(['\u{a0}', '€'], ""),
            specialist: l.specialist.clone(),
            content: l.content.clone(),
        })
        .collect();
    if inv.status != "draft" {
        let accepted: i64 = inv.lines.iter().map(|l| l.accepted_cents).sum();
        if !inv.decided {
            inv.accepted_cents = accepted;
            inv.proposed_status = Some(outcome_of(inv.total_cents, accepted).into());
        }
        inv.rejected_cents = inv.total_cents - inv.accepted_cents;
    }
    Ok(inv)
}

fn outcome_of(total: i64, accepted: i64) -> &'static str {
    if accepted == 0 {
        "rejected"
    } else if accepted == total {
        "accepted"
    } else {
        "partly_accepted"
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InvoiceFilter {
    pub status: String,
    pub provider_id: Option<i64>,
    /// The page: 50 from the newest unless asked (at most 500). A decade of a national desk has
    /// ~17 000 invoices; the list once showed the newest 500 and no way to the older ones.
    pub offset: Option<u32>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceListItem {
    pub id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub status: String,
    pub total_cents: i64,
    pub accepted_cents: i64,
    pub line_count: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceList {
    pub items: Vec<InvoiceListItem>,
    /// How many invoices the filter keeps (the page is `items`).
    pub total: i64,
    pub counts: BTreeMap<String, i64>,
}

/// A page of invoices, the newest first, by status and provider; with how many the filter keeps
/// and the count per status.
pub fn list(conn: &Connection, filter: &InvoiceFilter) -> Result<InvoiceList> {
    let status = filter.status.trim();
    if !status.is_empty() && !STATUSES.contains(&status) && status != "open" {
        return Err(Error::field(
            "status",
            "invalid_choice",
            "Tundmatu olek.",
            "Unknown status.",
        ));
    }
    const WHERE: &str =
        "WHERE (?1 = '' OR i.status = ?1 OR (?1 = 'open' AND i.status IN ('draft', 'checked')))
           AND (?2 IS NULL OR i.provider_id = ?2)";
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM invoice i {WHERE}"))?
        .query_row(params![status, filter.provider_id], |r| r.get(0))?;
    let (limit, offset) = crate::values::page_bounds(filter.limit, filter.offset);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT i.id, i.provider_id, p.name, i.number, i.invoice_date, i.period_from, i.period_to,
                i.status, i.total_cents, i.accepted_cents,
                (SELECT COUNT(*) FROM invoice_line l WHERE l.invoice_id = i.id)
         FROM invoice i JOIN provider p ON p.id = i.provider_id
         {WHERE}
         ORDER BY i.invoice_date DESC, i.id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let items = stmt
        .query_map(params![status, filter.provider_id, limit, offset], |r| {
            Ok(InvoiceListItem {
                id: r.get(0)?,
                provider_id: r.get(1)?,
                provider_name: r.get(2)?,
                number: r.get(3)?,
                invoice_date: r.get(4)?,
                period_from: r.get(5)?,
                period_to: r.get(6)?,
                status: r.get(7)?,
                total_cents: r.get(8)?,
                accepted_cents: r.get(9)?,
                line_count: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut counts = BTreeMap::new();
    let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM invoice GROUP BY status")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (s, n) = row?;
        counts.insert(s, n);
    }
    Ok(InvoiceList {
        items,
        total,
        counts,
    })
}

/// A provider's invoices in figures (for the provider report).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInvoiceFigures {
    pub invoices: i64,
    pub open: i64,
    pub accepted: i64,
    pub partly_accepted: i64,
    pub rejected: i64,
    /// Billed on decided invoices.
    pub billed_cents: i64,
    pub accepted_cents: i64,
    pub open_cents: i64,
}

pub fn provider_figures(conn: &Connection, provider_id: i64) -> Result<ProviderInvoiceFigures> {
    let mut f = ProviderInvoiceFigures::default();
    let mut stmt = conn.prepare_cached(
        "SELECT status, COUNT(*), SUM(total_cents), SUM(accepted_cents) FROM invoice
         WHERE provider_id = ?1 GROUP BY status",
    )?;
    for row in stmt.query_map([provider_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (status, n, total, accepted) = row?;
        f.invoices += n;
        match status.as_str() {
            "accepted" => f.accepted += n,
            "partly_accepted" => f.partly_accepted += n,
            "rejected" => f.rejected += n,
            _ => {
                f.open += n;
                f.open_cents += total;
                continue;
            }
        }
        f.billed_cents += total;
        f.accepted_cents += accepted;
    }
    Ok(f)
}

// ------------------------------------------------------------------------------------------
// The check
// ------------------------------------------------------------------------------------------

/// What the check knows about one case, loaded once per invoice.
struct CaseFacts {
    grants: Vec<Grant>,
    child_id: i64,
    confirmations: Vec<(NaiveDate, NaiveDate, Option<i64>)>,
}

/// One line as the check reads it.
#[derive(Debug, Clone)]
struct CheckLine {
    id: i64,
    case_id: Option<i64>,
    child_code: String,
    decision_number: String,
    activity_code: String,
    mode: String,
    service_date: NaiveDate,
    quantity_milli: i64,
    unit_price_cents: i64,
    amount_cents: i64,
}

/// The verdict on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineVerdict {
    pub line_id: i64,
    pub reasons: Vec<Reason>,
    pub verdict: &'static str,
    pub accepted_cents: i64,
}

fn reason(code: &str, effect: &str, cut: i64, et: String, en: String) -> Reason {
    Reason {
        code: code.into(),
        effect: effect.into(),
        message: Localized::new(et, en),
        cut_cents: cut,
    }
}

/// Run the check on every line of an invoice, in order: each line counts the money accepted on
/// earlier decided invoices and on the lines above it. Returns the verdicts (not saved).
pub fn check_lines(conn: &Connection, invoice_id: i64) -> Result<Vec<LineVerdict>> {
    let provider_id: i64 = conn
        .query_row_cached(
            "SELECT provider_id FROM invoice WHERE id = ?1",
            [invoice_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::InvoiceNotFound(invoice_id))?;
    let book = PriceBook::load(conn)?;
    let lines: Vec<CheckLine> = conn
        .prepare_cached(
            "SELECT id, case_id, child_code, decision_number, activity_code, mode, service_date,
                quantity_milli, unit_price_cents, amount_cents
             FROM invoice_line WHERE invoice_id = ?1 ORDER BY position",
        )?
        .query_map([invoice_id], |r| {
            Ok(CheckLine {
                id: r.get(0)?,
                case_id: r.get(1)?,
                child_code: r.get(2)?,
                decision_number: r.get(3)?,
                activity_code: r.get(4)?,
                mode: r.get(5)?,
                service_date: r.get(6)?,
                quantity_milli: r.get(7)?,
                unit_price_cents: r.get(8)?,
                amount_cents: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut facts: HashMap<i64, CaseFacts> = HashMap::new();
    // Remaining money, filled from the database the first time a case or child is met and
    // then lowered by every line accepted above.
    let mut annex_used: HashMap<i64, ActivityUse> = HashMap::new();
    let mut child_used: HashMap<i64, HashMap<i32, i64>> = HashMap::new();
    let mut above_annex: HashMap<(i64, String, i32), i64> = HashMap::new();
    let mut above_child: HashMap<(i64, i32), i64> = HashMap::new();
    let mut caps: HashMap<i32, Option<i64>> = HashMap::new();
    let mut out = Vec::with_capacity(lines.len());
    for l in &lines {
        let mut reasons = Vec::new();
        let date = fmt(l.service_date);
        let year = l.service_date.year();
        // The case: stored at entry; looked up again when the child was registered later.
        let case_id = match l.case_id {
            Some(c) => Some(c),
            None => case_for(conn, &l.child_code, &l.decision_number)?,
        };
        let Some(case_id) = case_id else {
            reasons.push(reason(
                "child.unknown",
                "reject",
                l.amount_cents,
                format!("Isikukoodiga {} last ei ole registris.", l.child_code),
                format!(
                    "No child with the personal code {} is on the register.",
                    l.child_code
                ),
            ));
            out.push(LineVerdict {
                line_id: l.id,
                reasons,
                verdict: "reject",
                accepted_cents: 0,
            });
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = facts.entry(case_id) {
            let child_id = child_of(conn, case_id)?;
            let confirmations = confirmations(conn, case_id)?
                .into_iter()
                .map(|c| (c.period_from, c.period_to, c.provider_id))
                .collect();
            e.insert(CaseFacts {
                grants: grants(conn, case_id)?,
                child_id,
                confirmations,
            });
            let grants = &facts[&case_id].grants;
            annex_used.insert(case_id, case_use(conn, case_id, Some(invoice_id), grants)?);
            if let std::collections::hash_map::Entry::Vacant(c) = child_used.entry(child_id) {
                c.insert(child_use(conn, child_id, Some(invoice_id))?);
            }
        }
        let f = &facts[&case_id];
        // The decision in force on the service date.
        let named = if l.decision_number.is_empty() {
            None
        } else {
            Some(l.decision_number.as_str())
        };
        let grant = f
            .grants
            .iter()
            .filter(|g| named.is_none_or(|n| g.number == n))
            .find(|g| g.covers(l.service_date));
        if grant.is_none() {
            let (et, en) = match (
                named,
                f.grants.iter().find(|g| Some(g.number.as_str()) == named),
            ) {
                (Some(n), Some(g)) => (
                    format!(
                        "Otsus {n} kehtib {}–{}; teenuse kuupäev {date} jääb sellest välja.",
                        fmt(g.valid_from),
                        fmt(g.valid_to)
                    ),
                    format!(
                        "Decision {n} is valid {}–{}; the service date {date} is outside it.",
                        fmt(g.valid_from),
                        fmt(g.valid_to)
                    ),
                ),
                (Some(n), None) => (
                    format!("Lapsel ei ole kehtivat suunamisotsust numbriga {n}."),
                    format!("The child has no referral decision in force numbered {n}."),
                ),
                (None, _) => (
                    format!("Lapsel ei ole {date} kehtivat suunamisotsust."),
                    format!("The child has no referral decision in force on {date}."),
                ),
            };
            reasons.push(reason(
                "decision.not_valid",
                "reject",
                l.amount_cents,
                et,
                en,
            ));
        }
        let in_annex = grant.and_then(|g| g.annex.iter().find(|a| a.code == l.activity_code));
        // The annex year the line counts against: its own, or for the rehabilitation plan in
        // the referral's first period the year the referral began.
        let annex_year = grant.map_or(year, |g| {
            crate::decisions::annex_year(&l.activity_code, l.service_date, g.valid_from)
        });
        if let Some(g) = grant {
            if in_annex.is_none_or(|a| a.cents_in(annex_year) == 0) {
                let plan = if l.activity_code == crate::decisions::REHABILITATION_PLAN {
                    (
                        format!(
                            " Rehabilitatsiooniplaan koostatakse otsuse esimese {} päeva jooksul.",
                            crate::decisions::FIRST_PERIOD_DAYS
                        ),
                        format!(
                            " The rehabilitation plan is made within the first {} days of the decision.",
                            crate::decisions::FIRST_PERIOD_DAYS
                        ),
                    )
                } else {
                    (String::new(), String::new())
                };
                reasons.push(reason(
                    "activity.not_in_annex",
                    "reject",
                    l.amount_cents,
                    format!(
                        "Tegevust {} ei ole otsuse {} lisas aastaks {year}.{}",
                        l.activity_code, g.number, plan.0
                    ),
                    format!(
                        "Activity {} is not in the annex of decision {} for {year}.{}",
                        l.activity_code, g.number, plan.1
                    ),
                ));
            }
        }
        if !f.confirmations.iter().any(|(from, to, p)| {
            *from <= l.service_date && l.service_date <= *to && p.is_none_or(|p| p == provider_id)
        }) {
            reasons.push(reason(
                "confirmation.missing",
                "reject",
                l.amount_cents,
                format!("Lapsevanema kinnitust {date} osutatud teenuse kohta ei ole juhtumile märgitud."),
                format!("No parent's confirmation covering the service on {date} is recorded on the case."),
            ));
        }
        // The price list on the service date and the line's own arithmetic.
        let listed = book.on(&l.activity_code, &l.mode, l.service_date);
        let billed = line_amount(l.quantity_milli, l.unit_price_cents);
        let qty = quantity_text(l.quantity_milli, true);
        let qty_en = quantity_text(l.quantity_milli, true);
        let mut payable = l.amount_cents;
        match listed {
            None => reasons.push(reason(
                "price.unknown",
                "reject",
                l.amount_cents,
                format!(
                    "Tegevusel {} ei ole hinnakirjas {date} kehtivat hinda.",
                    l.activity_code
                ),
                format!(
                    "Activity {} has no price in the price list on {date}.",
                    l.activity_code
                ),
            )),
            Some(p) => {
                let list_amount = line_amount(l.quantity_milli, p.price_cents);
                payable = l.amount_cents.min(list_amount);
                if l.unit_price_cents != p.price_cents {
                    let cut = (l.amount_cents.min(billed) - list_amount).max(0);
                    reasons.push(reason(
                        "price.differs",
                        if cut > 0 { "reduce" } else { "note" },
                        cut,
                        format!(
                            "Ühikuhind {} erineb hinnakirja hinnast {} ({date}); arvestatakse {qty} × {} = {}.",
                            money_et(l.unit_price_cents),
                            money_et(p.price_cents),
                            money_et(p.price_cents),
                            money_et(list_amount)
                        ),
                        format!(
                            "The unit price {} differs from the price list's {} ({date}); counted {qty_en} × {} = {}.",
                            money_en(l.unit_price_cents),
                            money_en(p.price_cents),
                            money_en(p.price_cents),
                            money_en(list_amount)
                        ),
                    ));
                }
                if l.amount_cents != billed {
                    let cut = (l.amount_cents - billed.max(list_amount)).max(0);
                    reasons.push(reason(
                        "amount.mismatch",
                        if cut > 0 { "reduce" } else { "note" },
                        cut,
                        format!(
                            "Summa {} ei võrdu kogus × ühikuhind: {qty} × {} = {}.",
                            money_et(l.amount_cents),
                            money_et(l.unit_price_cents),
                            money_et(billed)
                        ),
                        format!(
                            "The amount {} is not quantity × unit price: {qty_en} × {} = {}.",
                            money_en(l.amount_cents),
                            money_en(l.unit_price_cents),
                            money_en(billed)
                        ),
                    ));
                }
            }
        }
        if reasons.iter().any(|r| r.effect == "reject") {
            out.push(LineVerdict {
                line_id: l.id,
                reasons,
                verdict: "reject",
                accepted_cents: 0,
            });
            continue;
        }
        // The annex's amount for the activity and year, and the child's yearly cap.
        if let Some(g) = grant {
            let granted: i64 = f
                .grants
                .iter()
                .flat_map(|g| g.annex.iter())
                .filter(|a| a.code == l.activity_code)
                .map(|a| a.cents_in(annex_year))
                .sum();
            let earlier = annex_used
                .get(&case_id)
                .and_then(|m| m.get(&(l.activity_code.clone(), annex_year)))
                .map(|u| u.0)
                .unwrap_or(0);
            let above = above_annex
                .get(&(case_id, l.activity_code.clone(), annex_year))
                .copied()
                .unwrap_or(0);
            let left = (granted - earlier - above).max(0);
            if payable > left {
                reasons.push(reason(
                    "annex.exceeded",
                    if left > 0 { "reduce" } else { "reject" },
                    payable - left,
                    format!(
                        "Otsuse {} lisas on tegevusele {} aastaks {annex_year} {}; varem aktsepteeritud {}, sellel arvel eespool {}; alles {}.",
                        g.number, l.activity_code, money_et(granted), money_et(earlier), money_et(above), money_et(left)
                    ),
                    format!(
                        "The annex of decision {} grants {} for activity {} in {annex_year}; accepted earlier {}, on the lines above {}; left {}.",
                        g.number, money_en(granted), l.activity_code, money_en(earlier), money_en(above), money_en(left)
                    ),
                ));
                payable = left;
            }
        }
        let cap = match caps.get(&year) {
            Some(c) => *c,
            None => {
                let c = crate::decisions::yearly_cap(conn, year)?.map(|c| c.0);
                caps.insert(year, c);
                c
            }
        };
        if let Some(cap) = cap {
            let earlier = child_used
                .get(&f.child_id)
                .and_then(|m| m.get(&year))
                .copied()
                .unwrap_or(0);
            let above = above_child.get(&(f.child_id, year)).copied().unwrap_or(0);
            let left = (cap - earlier - above).max(0);
            if payable > left {
                reasons.push(reason(
                    "cap.exceeded",
                    if left > 0 { "reduce" } else { "reject" },
                    payable - left,
                    format!(
                        "Lapse aasta {year} piirmäär on {}; varem aktsepteeritud {}, sellel arvel eespool {}; alles {}.",
                        money_et(cap), money_et(earlier), money_et(above), money_et(left)
                    ),
                    format!(
                        "The child's yearly cap for {year} is {}; accepted earlier {}, on the lines above {}; left {}.",
                        money_en(cap), money_en(earlier), money_en(above), money_en(left)
                    ),
                ));
                payable = left;
            }
        }
        *above_annex
            .entry((case_id, l.activity_code.clone(), annex_year))
            .or_default() += payable;
        *above_child.entry((f.child_id, year)).or_default() += payable;
        let verdict = if payable == l.amount_cents {
            "ok"
        } else if payable == 0 {
            "reject"
        } else {
            "part"
        };
        out.push(LineVerdict {
            line_id: l.id,
            reasons,
            verdict,
            accepted_cents: payable,
        });
    }
    Ok(out)
}

fn write_verdicts(tx: &Transaction, verdicts: &[LineVerdict], now: DateTime<Utc>) -> Result<i64> {
    let mut stmt = tx.prepare_cached(
        "UPDATE invoice_line SET check_reasons = ?2, verdict = ?3, accepted_cents = ?4,
            override_note = '', updated_at = ?5 WHERE id = ?1",
    )?;
    let mut accepted = 0;
    for v in verdicts {
        stmt.execute(params![
            v.line_id,
            serde_json::to_string(&v.reasons).unwrap_or_else(|_| "[]".into()),
            v.verdict,
            v.accepted_cents,
            ts(now)
        ])?;
        accepted += v.accepted_cents;
    }
    Ok(accepted)
}

/// Check an invoice not yet decided and keep the verdicts on its lines.
pub fn check(tx: &Transaction, id: i64, now: DateTime<Utc>) -> Result<()> {
    frozen(tx, id)?;
    let verdicts = check_lines(tx, id)?;
    let accepted = write_verdicts(tx, &verdicts, now)?;
    tx.execute_cached(
        "UPDATE invoice SET status = 'checked', accepted_cents = ?2, checked_at = ?3, updated_at = ?3
         WHERE id = ?1",
        params![id, accepted, ts(now)],
    )?;
    Ok(())
}

/// The coordinator's outcome. The check runs again in the same transaction (another invoice
/// may have been decided since), the outcome follows from its figures, and the invoice is frozen.
/// `reject_all` rejects the whole invoice, with a note saying why.
pub fn decide(
    tx: &Transaction,
    id: i64,
    reject_all: bool,
    note: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    frozen(tx, id)?;
    if status_of(tx, id)? != "checked" {
        return Err(Error::InvoiceNotChecked);
    }
    if reject_all && note.trim().is_empty() {
        return Err(Error::field(
            "note",
            "required",
            "Kirjuta, miks kogu arve tagasi lükatakse.",
            "Write why the whole invoice is rejected.",
        ));
    }
    let mut verdicts = check_lines(tx, id)?;
    if !reject_all {
        refuse_if_changed(tx, id, &verdicts)?;
    }
    if reject_all {
        for v in &mut verdicts {
            v.verdict = "reject";
            v.accepted_cents = 0;
        }
    }
    let accepted = write_verdicts(tx, &verdicts, now)?;
    if reject_all {
        tx.execute_cached(
            "UPDATE invoice_line SET override_note = ?2 WHERE invoice_id = ?1",
            params![id, note.trim()],
        )?;
    }
    let total: i64 =
        tx.query_row_cached("SELECT total_cents FROM invoice WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    let status = outcome_of(total, accepted);
    tx.execute_cached(
        "UPDATE invoice SET status = ?2, accepted_cents = ?3, outcome_note = ?4, checked_at = ?5,
            decided_at = ?5, decided_by = ?6, updated_at = ?5 WHERE id = ?1",
        params![id, status, accepted, note.trim(), ts(now), by],
    )?;
    Ok(status.to_string())
}

/// The outcome confirmed is the one the coordinator saw: when the fresh check differs from the
/// stored one on any line (verdict or accepted cents), e.g. because another invoice using the
/// same child's money was decided meanwhile, nothing is decided and the error names the new
/// figures, so the coordinator looks again and confirms the new outcome knowingly.
fn refuse_if_changed(tx: &Transaction, id: i64, fresh: &[LineVerdict]) -> Result<()> {
    let stored: HashMap<i64, (String, i64)> = tx
        .prepare_cached(
            "SELECT id, verdict, accepted_cents FROM invoice_line WHERE invoice_id = ?1",
        )?
        .query_map([id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let same = fresh.len() == stored.len()
        && fresh.iter().all(|v| {
            stored
                .get(&v.line_id)
                .is_some_and(|(verdict, cents)| verdict == v.verdict && *cents == v.accepted_cents)
        });
    if same {
        return Ok(());
    }
    let (total, before): (i64, i64) = tx.query_row_cached(
        "SELECT total_cents, accepted_cents FROM invoice WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let accepted: i64 = fresh.iter().map(|v| v.accepted_cents).sum();
    let (et, en) = match outcome_of(total, accepted) {
        "accepted" => ("aktsepteeritud", "accepted"),
        "partly_accepted" => ("osaliselt aktsepteeritud", "partly accepted"),
        _ => ("tagasi lükatud", "rejected"),
    };
    Err(Error::field(
        "outcome",
        "invoice.check_changed",
        &format!(
            "Kontrolli tulemus muutus vahepeal: nüüd {et} – aktsepteeritakse {} summast {} (enne {}). Vaata arve uuesti üle ja kinnita uus tulemus.",
            money_et(accepted),
            money_et(total),
            money_et(before)
        ),
        &format!(
            "The check's result changed meanwhile: now {en} – {} of {} accepted (before {}). Look at the invoice again and confirm the new outcome.",
            money_en(accepted),
            money_en(total),
            money_en(before)
        ),
    ))
}

/// The cases an invoice's lines name (for the audit trail of a case).
pub fn cases_of(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT case_id FROM invoice_line WHERE invoice_id = ?1 AND case_id IS NOT NULL",
    )?;
    let list = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_thousandths_and_amounts_round_half_up_to_the_cent() {
        assert_eq!(parse_quantity("1,5"), Some(1500));
        assert_eq!(parse_quantity("2"), Some(2000));
        assert_eq!(parse_quantity("0.25"), Some(250));
        assert_eq!(parse_quantity("1,125"), Some(1125));
        assert_eq!(parse_quantity("1,1255"), None, "no finer than a thousandth");
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(parse_quantity("kaks"), None);
        assert_eq!(parse_quantity(""), None);
        // 1.5 h of psychology at 29.40 € = 44.10 €, exactly.
        assert_eq!(line_amount(1500, 2940), 4410);
        // 0.333 h × 29.40 € = 9.7902 € → 9.79 €; 0.125 × 0.10 € = 0.0125 € → 0.01 €.
        assert_eq!(line_amount(333, 2940), 979);
        assert_eq!(line_amount(125, 10), 1);
        // 0.5 km at 0.01 € is half a cent: half up.
        assert_eq!(line_amount(500, 1), 1);
        // Big invoices stay exact: 9 999 h × 71.52 €.
        assert_eq!(line_amount(9_999_000, 7152), 71_512_848);
        assert_eq!(quantity_text(1500, true), "1,5");
        assert_eq!(quantity_text(1125, false), "1.125");
        assert_eq!(quantity_text(3000, true), "3");
    }

    #[test]
    fn money_reads_in_both_languages() {
        assert_eq!(money_en(123_456), "1\u{a0}234,56\u{a0}€");
        assert_eq!(money_en(5), "0,05\u{a0}€");
        assert_eq!(money_en(123_456), money_et(123_456), "one notation in both");
        assert_eq!(money_et(123_456), "1\u{a0}234,56\u{a0}€");
    }
}
