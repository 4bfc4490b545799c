//! The service's statistics for any period: applications, decisions, time to decision and the
//! share decided on time, time from decision to the start of service, children waiting and in
//! service, money granted / invoiced / accepted by month, and families' feedback — as totals, by
//! month and broken down by route, county, municipality, provider or activity, with the same five
//! as filters. [`compute`] returns one [`Statistics`] that the screen, the XLSX and CSV exports,
//! the monthly PDF and the periodic report all render, so every exported figure equals the screen.
//!
//! Reads only; the tables belong to cases, decisions, referrals (provider_choice), billing and
//! feedback. The SQL reads each table once over indexed date columns and the grouping is done in
//! one pass in Rust, because the medians need the individual day counts anyway.

pub mod cases;
pub mod charts;
pub mod export;
pub mod money;

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::deadlines::rules::RuleBook;
use crate::deadlines::{self, Period, Unit};
use crate::error::{Error, Localized, Result};
use crate::providers::Catalog;

/// How the coordinator picks the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PeriodInput {
    /// month | quarter | year | custom | all
    pub kind: String,
    pub year: i32,
    /// 1-12 for a month, 1-4 for a quarter.
    pub number: u32,
    /// dd.mm.yyyy or yyyy-mm-dd, for a custom period.
    pub from: String,
    pub to: String,
}

/// What to compute: the period, the breakdown and the filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatsQuery {
    pub period: PeriodInput,
    /// route | county | municipality | provider | activity | "" (none)
    pub breakdown: String,
    pub filter: StatsFilter,
}

/// Only the cases (and money, and feedback) that match every filter set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatsFilter {
    pub route: String,
    pub county: String,
    pub municipality: String,
    pub provider: String,
    pub activity: String,
}

/// The period that was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsPeriod {
    pub kind: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: Localized,
}

/// A spread of whole days: how many, the median and the 90th percentile (see [`percentile`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaySpread {
    pub count: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl DaySpread {
    fn of(mut days: Vec<i64>) -> Self {
        days.sort_unstable();
        DaySpread {
            count: days.len() as i64,
            median: percentile(&days, 50),
            p90: percentile(&days, 90),
        }
    }
}

/// The figures of one group (or of everything).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Applications with an application date in the period.
    pub received: i64,
    /// Approved or sent decisions dated in the period, by kind.
    pub referrals: i64,
    pub refusals: i64,
    pub amendments: i64,
    pub terminations: i64,
    /// Calendar days from the complete application to the first decision (referral or refusal)
    /// dated in the period.
    pub days_to_decision: DaySpread,
    /// Of those first decisions, how many were dated on or before the decision deadline.
    pub on_time: i64,
    /// on_time / days_to_decision.count in percent, one decimal; None when nothing was decided.
    pub on_time_pct: Option<f64>,
    /// Calendar days from the first decision to the start of service, for services that started
    /// in the period.
    pub days_to_start: DaySpread,
    /// At the end of the period (or today, if sooner): a valid referral whose service has not
    /// started (provider not chosen yet, or chosen and not started).
    pub waiting: i64,
    /// At the same day: the service has started and the case is not closed.
    pub active: i64,
    /// The annexes of referral decisions dated in the period (all their years).
    pub granted_cents: i64,
    /// Invoice lines of invoices dated in the period (drafts excluded).
    pub invoiced_cents: i64,
    /// What was accepted of those lines (invoices with an outcome).
    pub accepted_cents: i64,
    /// Feedback answered in the period: responses and the mean of all their scores (2 decimals).
    pub feedback_responses: i64,
    pub feedback_average: Option<f64>,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub key: String,
    pub label: String,
    pub figures: Figures,
}

/// One calendar month of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthFigures {
    /// yyyy-mm
    pub month: String,
    pub received: i64,
    pub decided: i64,
    pub granted_cents: i64,
    pub invoiced_cents: i64,
    pub accepted_cents: i64,
    /// Feedback answered in the month: responses and the mean of their scores (2 decimals).
    pub feedback_responses: i64,
    pub feedback_average: Option<f64>,
}

/// A first decision dated after its deadline, with the reason written on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LateDecision {
    pub case_no: String,
    pub number: String,
    pub decision_date: NaiveDate,
    pub due: NaiveDate,
    pub days_late: i64,
    pub reason: String,
}

/// One question's answers in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionFigures {
    pub question_id: i64,
    pub position: i64,
    pub text: Localized,
    pub active: bool,
    pub count: i64,
    /// Mean score, 2 decimals.
    pub average: Option<f64>,
    /// How many answered 1, 2, 3, 4 and 5.
    pub distribution: [i64; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackComment {
    pub answered_on: NaiveDate,
    pub provider: String,
    pub comment: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackFigures {
    pub responses: i64,
    pub questions: Vec<QuestionFigures>,
    /// Newest first.
    pub comments: Vec<FeedbackComment>,
}

/// Everything the statistics screen and its exports show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    pub period: StatsPeriod,
    /// The day waiting and active cases are counted on.
    pub as_of: NaiveDate,
    pub breakdown: String,
    pub filter: StatsFilter,
    /// The filter as a reader names it (county, municipality and provider names, the activity's
    /// code and name): exports and reports say what was counted in words, not codes.
    pub filter_names: StatsFilter,
    pub totals: Figures,
    pub groups: Vec<Group>,
    pub months: Vec<MonthFigures>,
    pub late: Vec<LateDecision>,
    pub feedback: FeedbackFigures,
}

/// The nearest-rank percentile of values sorted ascending: the value at 1-based rank
/// ⌈p/100 × n⌉ (rank 1 for p = 0). It is always a value that occurred — a whole number of days —
/// and the median is its 50th percentile: for an even count, the lower of the two middle values
/// (1, 2, 3, 4 → 2). None for no values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p.min(100)) * n).div_ceil(100).max(1);
    sorted.get((rank - 1) as usize).copied()
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    if whole == 0 {
        None
    } else {
        Some((part as f64 * 1000.0 / whole as f64).round() / 10.0)
    }
}

fn mean2(sum: i64, count: i64) -> Option<f64> {
    if count == 0 {
        None
    } else {
        Some((sum as f64 * 100.0 / count as f64).round() / 100.0)
    }
}

fn bad_period(et: &str, en: &str) -> Error {
    Error::field("period", "invalid", et, en)
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    crate::values::parse_date(s.trim())
}

const MONTHS_ET: [&str; 12] = [
    "jaanuar",
    "veebruar",
    "märts",
    "aprill",
    "mai",
    "juuni",
    "juuli",
    "august",
    "september",
    "oktoober",
    "november",
    "detsember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The dates of the period asked for. `first_day` is the earliest date in the data (for "all").
pub fn resolve_period(
    input: &PeriodInput,
    today: NaiveDate,
    first_day: NaiveDate,
) -> Result<StatsPeriod> {
    let year = if input.year == 0 {
        today.year()
    } else {
        input.year
    };
    if !(2000..=2100).contains(&year) {
        return Err(bad_period(
            "Aasta peab olema vahemikus 2000–2100.",
            "The year must be between 2000 and 2100.",
        ));
    }
    let kind = if input.kind.is_empty() {
        "month"
    } else {
        input.kind.as_str()
    };
    let (from, to, label) = match kind {
        "month" => {
            let m = if input.number == 0 {
                today.month()
            } else {
                input.number
            };
            let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, m, 1), month_end(year, m))
            else {
                return Err(bad_period(
                    "Kuu peab olema 1–12.",
                    "The month must be 1 to 12.",
                ));
            };
            let i = (m - 1) as usize;
            (
                from,
                to,
                Localized::new(
                    format!("{} {year}", MONTHS_ET[i]),
                    format!("{} {year}", MONTHS_EN[i]),
                ),
            )
        }
        "quarter" => {
            let q = if input.number == 0 {
                (today.month() - 1) / 3 + 1
            } else {
                input.number
            };
            if !(1..=4).contains(&q) {
                return Err(bad_period(
                    "Kvartal peab olema 1–4.",
                    "The quarter must be 1 to 4.",
                ));
            }
            let from = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)
                .ok_or_else(|| bad_period("Vigane kvartal.", "Invalid quarter."))?;
            let to = month_end(year, q * 3)
                .ok_or_else(|| bad_period("Vigane kvartal.", "Invalid quarter."))?;
            (
                from,
                to,
                Localized::new(format!("{year} {q}. kvartal"), format!("Q{q} {year}")),
            )
        }
        "year" => {
            let from = NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| bad_period("Vigane aasta.", "Invalid year."))?;
            let to = NaiveDate::from_ymd_opt(year, 12, 31)
                .ok_or_else(|| bad_period("Vigane aasta.", "Invalid year."))?;
            (
                from,
                to,
                Localized::new(format!("{year}. aasta"), format!("Year {year}")),
            )
        }
        "custom" => {
            let from = parse_day(&input.from).ok_or_else(|| {
                Error::Validation(vec![crate::values::date_error("period.from", &input.from)])
            })?;
            let to = parse_day(&input.to).ok_or_else(|| {
                Error::Validation(vec![crate::values::date_error("period.to", &input.to)])
            })?;
            if to < from {
                return Err(Error::field(
                    "period.to",
                    "before_start",
                    "Lõppkuupäev on enne alguskuupäeva.",
                    "The end date is before the start date.",
                ));
            }
            (
                from,
                to,
                Localized::new(
                    format!("{} – {}", dmy(from), dmy(to)),
                    format!("{} – {}", dmy(from), dmy(to)),
                ),
            )
        }
        "all" => {
            let from = NaiveDate::from_ymd_opt(first_day.year(), 1, 1).unwrap_or(first_day);
            let to = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
            (
                from,
                to,
                Localized::new(
                    format!("kõik aastad ({}–{})", from.year(), to.year()),
                    format!("all years ({}–{})", from.year(), to.year()),
                ),
            )
        }
        _ => {
            return Err(bad_period(
                "Tundmatu perioodi liik.",
                "Unknown kind of period.",
            ))
        }
    };
    Ok(StatsPeriod {
        kind: kind.to_string(),
        from,
        to,
        label,
    })
}

/// The breakdowns the screen offers, with their names.
pub const BREAKDOWNS: [(&str, &str, &str); 5] = [
    ("route", "Suunamise tee", "Route"),
    ("county", "Maakond", "County"),
    ("municipality", "Omavalitsus", "Municipality"),
    ("provider", "Teenuseosutaja", "Provider"),
    ("activity", "Tegevus", "Activity"),
];

/// A grouping key shared by every case that has it (a hundred thousand cases, a few hundred keys).
type Key = Rc<str>;

/// Hands out one shared [`Key`] per distinct text.
#[derive(Default)]
struct Keys(HashSet<Key>);

impl Keys {
    fn get(&mut self, text: &str) -> Key {
        match self.0.get(text) {
            Some(k) => k.clone(),
            None => {
                let k: Key = text.into();
                self.0.insert(k.clone());
                k
            }
        }
    }
}

/// One case's keys for grouping and filtering.
#[derive(Debug, Clone, Default)]
struct CaseKeys {
    route: Key,
    municipality: Key,
    county: Key,
    provider: Key,
    activities: Vec<Key>,
}

/// A case as the statistics see it.
#[derive(Debug)]
struct CaseRow {
    keys: CaseKeys,
    applied: NaiveDate,
    complete: NaiveDate,
    service_start: Option<NaiveDate>,
    /// The first referral or refusal (date, id), when made by the end of the period.
    first_decision: Option<(NaiveDate, i64)>,
    /// Closed on or before the as-of day (a closed case stays closed).
    closed: bool,
}

/// The kept row's columns (stats_case, migration 015); ?1 is the as-of day.
const CASE_COLUMNS: &str = "case_id, applied, complete, route, municipality, provider_id,
    service_start, first_decision, first_decision_id,
    closed_on IS NOT NULL AND closed_on <= ?1";

/// Reads cases from their kept rows and gives them their grouping keys.
struct CaseLoader<'a> {
    catalog: &'a Catalog,
    keys: Keys,
    counties: HashMap<Key, Key>,
    providers: HashMap<i64, Key>,
    /// Each case's assessed activities, read only for an activity breakdown or filter.
    activities: Option<HashMap<i64, Vec<Key>>>,
    /// The period's end: a case applied for later does not count.
    to: NaiveDate,
    to_s: String,
    as_of_s: String,
    none: Key,
}

/// Which assessed activities of the cases the statistics need.
#[derive(Clone, Copy)]
enum Activities<'q> {
    None,
    /// Only whether a case has this one (an activity filter): the cases that have it, from the
    /// index on the code (migration 016).
    Only(&'q str),
    All,
}

impl<'a> CaseLoader<'a> {
    fn new(
        conn: &Connection,
        catalog: &'a Catalog,
        activities: Activities<'_>,
        to: NaiveDate,
        as_of: NaiveDate,
    ) -> Result<Self> {
        let mut keys = Keys::default();
        let providers = provider_keys(conn)?;
        let activities = match activities {
            Activities::None => None,
            Activities::Only(code) => {
                let chosen = vec![keys.get(code)];
                let mut stmt = conn.prepare_cached(
                    "SELECT DISTINCT case_id FROM assessment_activity WHERE code = ?1",
                )?;
                let by_case = stmt
                    .query_map([code], |r| Ok((r.get::<_, i64>(0)?, chosen.clone())))?
                    .collect::<rusqlite::Result<HashMap<_, _>>>()?;
                Some(by_case)
            }
            Activities::All => {
                let mut by_case: HashMap<i64, Vec<Key>> = HashMap::new();
                let mut stmt =
                    conn.prepare_cached("SELECT case_id, code FROM assessment_activity")?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let list = by_case.entry(r.get(0)?).or_default();
                    let code = text(r, 1)?;
                    if !list.iter().any(|a| **a == *code) {
                        list.push(keys.get(code));
                    }
                }
                for list in by_case.values_mut() {
                    list.sort();
                }
                Some(by_case)
            }
        };
        Ok(CaseLoader {
            catalog,
            none: keys.get(""),
            keys,
            counties: HashMap::new(),
            providers,
            activities,
            to,
            to_s: to.to_string(),
            as_of_s: as_of.to_string(),
        })
    }

    /// Every case applied for by the end of the period that the period can touch: applied for,
    /// started or first decided in it or later, or not closed on the as-of day.
    fn scan(&mut self, conn: &Connection, cases: &mut CaseTable, from: NaiveDate) -> Result<()> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM stats_case
             WHERE applied <= ?2 AND (applied >= ?3 OR service_start >= ?3
                   OR first_decision >= ?3 OR closed_on IS NULL OR closed_on > ?1)"
        ))?;
        let mut rows = stmt.query(params![self.as_of_s, self.to_s, from.to_string()])?;
        while let Some(r) = rows.next()? {
            let (id, row) = self.row(r)?;
            cases.insert(id, row);
        }
        Ok(())
    }

    /// Read case `id` unless it is known already (or known not to count).
    fn ensure(&mut self, conn: &Connection, cases: &mut CaseTable, id: i64) -> Result<()> {
        if cases.get(id).is_some() || cases.absent.contains(&id) {
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM stats_case WHERE case_id = ?2 AND applied <= ?3"
        ))?;
        let mut rows = stmt.query(params![self.as_of_s, id, self.to_s])?;
        match rows.next()? {
            Some(r) => {
                let (id, row) = self.row(r)?;
                cases.insert(id, row);
            }
            None => {
                cases.absent.insert(id);
            }
        }
        Ok(())
    }

    fn row(&mut self, r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, CaseRow)> {
        let id: i64 = r.get(0)?;
        let municipality = self.keys.get(text(r, 4)?);
        let county = match self.counties.get(&municipality) {
            Some(c) => c.clone(),
            None => {
                let c = self
                    .keys
                    .get(self.catalog.county_of(&municipality).unwrap_or(""));
                self.counties.insert(municipality.clone(), c.clone());
                c
            }
        };
        let provider = match r.get::<_, Option<i64>>(5)? {
            Some(p) => match self.providers.get(&p) {
                Some(k) => k.clone(),
                None => self.keys.get(&p.to_string()),
            },
            None => self.none.clone(),
        };
        let first_decision = match (day(r, 7)?, r.get::<_, Option<i64>>(8)?) {
            (Some(date), Some(decision)) if date <= self.to => Some((date, decision)),
            _ => None,
        };
        let activities = match &self.activities {
            Some(by_case) => by_case.get(&id).cloned().unwrap_or_default(),
            None => Vec::new(),
        };
        Ok((
            id,
            CaseRow {
                keys: CaseKeys {
                    route: self.keys.get(text(r, 3)?),
                    county,
                    municipality,
                    provider,
                    activities,
                },
                applied: some_day(r, 1)?,
                complete: some_day(r, 2)?,
                service_start: day(r, 6)?,
                first_decision,
                closed: r.get(9)?,
            },
        ))
    }
}

/// What the grouping keys are named.
struct Names {
    municipalities: BTreeMap<String, String>,
    counties: BTreeMap<String, String>,
    providers: HashMap<String, String>,
    activities: BTreeMap<String, Localized>,
}

impl Names {
    fn label(&self, breakdown: &str, key: &str) -> String {
        if key.is_empty() {
            return "—".into();
        }
        match breakdown {
            "route" => match key {
                "disability" => "puude tee".into(),
                "kov" => "KOV tee".into(),
                _ => key.into(),
            },
            "county" => self.counties.get(key).cloned().unwrap_or(key.into()),
            "municipality" => self.municipalities.get(key).cloned().unwrap_or(key.into()),
            "provider" => self.providers.get(key).cloned().unwrap_or(key.into()),
            "activity" => self
                .activities
                .get(key)
                .map(|l| format!("{key} {}", l.et))
                .unwrap_or(key.into()),
            _ => key.into(),
        }
    }
}

/// Accumulates one group's figures.
#[derive(Debug, Default)]
struct Acc {
    f: Figures,
    to_decision: Vec<i64>,
    to_start: Vec<i64>,
    score_sum: i64,
    score_count: i64,
}

impl Acc {
    fn finish(mut self) -> Figures {
        self.f.days_to_decision = DaySpread::of(self.to_decision);
        self.f.on_time_pct = pct(self.f.on_time, self.f.days_to_decision.count);
        self.f.days_to_start = DaySpread::of(self.to_start);
        self.f.feedback_average = mean2(self.score_sum, self.score_count);
        self.f
    }
}

/// Filters applied to keys: whether a fact counts at all.
struct Sieve<'a> {
    breakdown: &'a str,
    filter: &'a StatsFilter,
}

impl Sieve<'_> {
    /// `provider`: the fact's own provider (money, feedback) or the case's current one;
    /// `activity`: the fact's own activity (money lines) or None for "any of the case's".
    fn passes(&self, k: &CaseKeys, provider: &str, activity: Option<&str>) -> bool {
        let f = self.filter;
        if (!f.route.is_empty() && f.route != *k.route)
            || (!f.county.is_empty() && f.county != *k.county)
            || (!f.municipality.is_empty() && f.municipality != *k.municipality)
            || (!f.provider.is_empty() && f.provider != provider)
        {
            return false;
        }
        f.activity.is_empty()
            || match activity {
                Some(own) => own == f.activity,
                None => k.activities.iter().any(|x| **x == f.activity),
            }
    }
}

struct Tally<'a> {
    sieve: Sieve<'a>,
    totals: Acc,
    groups: BTreeMap<String, Acc>,
}

fn bump(groups: &mut BTreeMap<String, Acc>, key: &str, f: &impl Fn(&mut Acc)) {
    match groups.get_mut(key) {
        Some(acc) => f(acc),
        None => f(groups.entry(key.to_string()).or_default()),
    }
}

impl Tally<'_> {
    /// Apply `f` to the totals and to each group the fact belongs to; false when filtered out.
    /// A case with several activities counts once under each of them.
    fn add(
        &mut self,
        k: &CaseKeys,
        provider: Option<&str>,
        activity: Option<&str>,
        f: impl Fn(&mut Acc),
    ) -> bool {
        let provider = provider.unwrap_or(&k.provider);
        if !self.sieve.passes(k, provider, activity) {
            return false;
        }
        f(&mut self.totals);
        let groups = &mut self.groups;
        match self.sieve.breakdown {
            "route" => bump(groups, &k.route, &f),
            "county" => bump(groups, &k.county, &f),
            "municipality" => bump(groups, &k.municipality, &f),
            "provider" => bump(groups, provider, &f),
            "activity" => {
                let chosen = self.sieve.filter.activity.as_str();
                if !chosen.is_empty() {
                    bump(groups, chosen, &f)
                } else if let Some(own) = activity {
                    bump(groups, own, &f)
                } else if k.activities.is_empty() {
                    bump(groups, "", &f)
                } else {
                    for a in &k.activities {
                        bump(groups, a, &f)
                    }
                }
            }
            _ => {}
        }
        true
    }
}

/// A text column borrowed from the row, without a copy (the scans above read a million rows).
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A stored day (yyyy-mm-dd, or a timestamp starting with one) read without chrono's format
/// parser, which the scans above would call hundreds of thousands of times.
fn day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let bad = |i| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            "not a yyyy-mm-dd date".into(),
        )
    };
    let t = match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => return Ok(None),
        rusqlite::types::ValueRef::Text(t) => t,
        _ => return Err(bad(i)),
    };
    let num = |b: &[u8]| {
        b.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    match (t.get(0..4), t.get(4), t.get(5..7), t.get(7), t.get(8..10)) {
        (Some(y), Some(b'-'), Some(m), Some(b'-'), Some(d)) => match (num(y), num(m), num(d)) {
            (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d)
                .map(Some)
                .ok_or_else(|| bad(i)),
            _ => Err(bad(i)),
        },
        _ => Err(bad(i)),
    }
}

/// A day that is never empty.
fn some_day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    day(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        "NULL".into(),
        rusqlite::types::Type::Null,
    ))
}

/// The months of the period, found by year and month without building their "yyyy-mm" text
/// for every fact (a decade has a million invoice lines).
struct MonthTable {
    first: i64,
    months: Vec<MonthFigures>,
}

impl MonthTable {
    fn new(from: NaiveDate, to: NaiveDate) -> Self {
        let mut months = Vec::new();
        let mut m = from.with_day(1).unwrap_or(from);
        while m <= to {
            months.push(MonthFigures {
                month: month_key(m),
                ..Default::default()
            });
            m = match m.checked_add_months(Months::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        MonthTable {
            first: month_number(from.year(), from.month()),
            months,
        }
    }

    fn slot(&mut self, number: i64) -> Option<&mut MonthFigures> {
        usize::try_from(number - self.first)
            .ok()
            .and_then(|i| self.months.get_mut(i))
    }

    fn of(&mut self, d: NaiveDate) -> Option<&mut MonthFigures> {
        self.slot(month_number(d.year(), d.month()))
    }

    /// By a stored "yyyy-mm…" text.
    fn of_text(&mut self, t: &str) -> Option<&mut MonthFigures> {
        let b = t.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            b.get(r)?.iter().try_fold(0i64, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
            })
        };
        self.slot(num(0..4)? * 12 + num(5..7)? - 1)
    }
}

fn month_number(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// The cases by id, in a vector indexed by id: ids are dense, and hashing a hundred thousand of
/// them for every fact costs more than the facts. A far-out id (never made by this app) is kept
/// aside in a map.
#[derive(Default)]
struct CaseTable {
    dense: Vec<Option<CaseRow>>,
    sparse: HashMap<i64, CaseRow>,
    /// Looked for and found not to count (applied for after the period, or deleted).
    absent: HashSet<i64>,
}

impl CaseTable {
    const DENSE_UP_TO: i64 = 50_000_000;

    fn insert(&mut self, id: i64, c: CaseRow) {
        match usize::try_from(id) {
            Ok(i) if id <= Self::DENSE_UP_TO => {
                if i >= self.dense.len() {
                    self.dense.resize_with(i + 1, || None);
                }
                self.dense[i] = Some(c);
            }
            _ => {
                self.sparse.insert(id, c);
            }
        }
    }

    fn get(&self, id: i64) -> Option<&CaseRow> {
        match usize::try_from(id) {
            Ok(i) if id <= Self::DENSE_UP_TO => self.dense.get(i).and_then(Option::as_ref),
            _ => self.sparse.get(&id),
        }
    }

    fn iter(&self) -> impl Iterator<Item = (i64, &CaseRow)> {
        self.dense
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i as i64, c.as_ref()?)))
            .chain(self.sparse.iter().map(|(id, c)| (*id, c)))
    }
}

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The decision deadline of an application complete on `event`, as the rules in force then say.
struct DueDates<'a> {
    book: &'a RuleBook,
    memo: HashMap<NaiveDate, NaiveDate>,
}

impl DueDates<'_> {
    fn due(&mut self, event: NaiveDate) -> NaiveDate {
        if let Some(d) = self.memo.get(&event) {
            return *d;
        }
        let period = self
            .book
            .rule("decision_due", event)
            .map(|r| r.period())
            .unwrap_or(Period {
                count: 10,
                unit: Unit::WorkingDays,
            });
        let due = deadlines::deadline(event, period, &Localized::new("", ""), "").due;
        self.memo.insert(event, due);
        due
    }
}

/// The earliest application date (the start of "all years").
pub fn first_day(conn: &Connection, today: NaiveDate) -> Result<NaiveDate> {
    let first: Option<NaiveDate> =
        conn.query_row_cached("SELECT min(application_date) FROM srt_case", [], |r| {
            r.get(0)
        })?;
    Ok(first.unwrap_or(today))
}

/// The statistics asked for. `today` bounds the waiting/active count of a period not over yet.
/// Read in one transaction: every figure from the same state of the desk, and the per-statement
/// transaction start (hundreds of small questions about waiting cases) paid once.
pub fn compute(
    conn: &Connection,
    catalog: &Catalog,
    query: &StatsQuery,
    today: NaiveDate,
) -> Result<Statistics> {
    crate::store::in_read_transaction(conn, |c| compute_with(c, catalog, query, today, true))
}

/// [`compute`]; `money_sums` false reads every invoice line even where the monthly sums of
/// [`crate::stats::money`] would do (the tests hold the two equal).
pub(crate) fn compute_with(
    conn: &Connection,
    catalog: &Catalog,
    query: &StatsQuery,
    today: NaiveDate,
    money_sums: bool,
) -> Result<Statistics> {
    let period = resolve_period(&query.period, today, first_day(conn, today)?)?;
    let breakdown = query.breakdown.as_str();
    if !breakdown.is_empty() && !BREAKDOWNS.iter().any(|(k, _, _)| *k == breakdown) {
        return Err(Error::field(
            "breakdown",
            "invalid",
            "Tundmatu jaotus.",
            "Unknown breakdown.",
        ));
    }
    let (from, to) = (period.from, period.to);
    let as_of = to.min(today);
    let (from_s, to_s) = (from.to_string(), to.to_string());

    // The cases the period touches, from their kept rows (migration 015, brought up to date
    // first): one scan of a narrow table instead of every case, child, provider choice and
    // decision of the desk. A case the scan leaves out (closed before the period, yet with a
    // decision, a line or feedback in it) is read by its id when a fact of it is met.
    crate::stats::cases::refresh(conn)?;
    // With an activity filter only that activity matters (a breakdown by activity then has the
    // chosen one as its only group); without it, a breakdown by activity needs them all.
    let activities = if !query.filter.activity.is_empty() {
        Activities::Only(&query.filter.activity)
    } else if breakdown == "activity" {
        Activities::All
    } else {
        Activities::None
    };
    let mut loader = CaseLoader::new(conn, catalog, activities, to, as_of)?;
    let mut cases = CaseTable::default();
    loader.scan(conn, &mut cases, from)?;
    let mut tally = Tally {
        sieve: Sieve {
            breakdown,
            filter: &query.filter,
        },
        totals: Acc::default(),
        groups: BTreeMap::new(),
    };
    let mut months = MonthTable::new(from, to);

    // Applications received.
    for (_, c) in cases.iter() {
        if c.applied >= from
            && c.applied <= to
            && tally.add(&c.keys, None, None, |a| a.f.received += 1)
        {
            if let Some(mf) = months.of(c.applied) {
                mf.received += 1;
            }
        }
    }

    // Decisions: every approved or sent decision of the period (their dates, from the narrow
    // index); a case's first decision is kept with the case.
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, kind, decision_date, id FROM decision INDEXED BY decision_stats
         WHERE status IN ('approved', 'sent') AND decision_date BETWEEN ?1 AND ?2",
    )?;
    let book = RuleBook::load(conn)?;
    let mut dues = DueDates {
        book: &book,
        memo: HashMap::new(),
    };
    let mut late = Vec::new();
    let none = CaseKeys::default();
    /// 0 referral, 1 refusal, 2 amendment, 3 termination (or anything else).
    fn kind_no(kind: &str) -> u8 {
        match kind {
            "referral" => 0,
            "refusal" => 1,
            "amendment" => 2,
            _ => 3,
        }
    }
    let mut decisions: Vec<(i64, u8, NaiveDate, i64)> = Vec::new();
    let mut rows = stmt.query([&from_s, &to_s])?;
    while let Some(r) = rows.next()? {
        decisions.push((r.get(0)?, kind_no(text(r, 1)?), some_day(r, 2)?, r.get(3)?));
    }
    // The number and the written reason of a late decision, asked only for those.
    let mut late_text = conn
        .prepare_cached("SELECT coalesce(number, ''), late_reason FROM decision WHERE id = ?1")?;
    let mut case_no = conn.prepare_cached("SELECT case_no FROM srt_case WHERE id = ?1")?;
    // The period's referrals of known cases: their grants are summed below.
    let mut referrals: HashMap<i64, (i64, NaiveDate)> = HashMap::new();
    for (case_id, kind, date, id) in decisions {
        loader.ensure(conn, &mut cases, case_id)?;
        let Some(c) = cases.get(case_id) else {
            continue;
        };
        if kind == 0 {
            referrals.insert(id, (case_id, date));
        }
        let keys = &c.keys;
        let counted = tally.add(keys, None, None, |a| match kind {
            0 => a.f.referrals += 1,
            1 => a.f.refusals += 1,
            2 => a.f.amendments += 1,
            _ => a.f.terminations += 1,
        });
        if counted && kind <= 1 {
            if let Some(mf) = months.of(date) {
                mf.decided += 1;
            }
        }
        if counted && c.first_decision == Some((date, id)) {
            let days = (date - c.complete).num_days().max(0);
            let due = dues.due(c.complete);
            let on_time = date <= due;
            tally.add(keys, None, None, |a| {
                a.to_decision.push(days);
                if on_time {
                    a.f.on_time += 1;
                }
            });
            if !on_time {
                let (number, reason): (String, String) =
                    late_text.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                late.push(LateDecision {
                    case_no: case_no.query_row([case_id], |r| r.get(0))?,
                    number,
                    decision_date: date,
                    due,
                    days_late: (date - due).num_days(),
                    reason: reason.trim().to_string(),
                });
            }
        }
    }

    // The money of the period's referrals, per activity (decision_grant, kept by migration 012's
    // triggers from the frozen annex). When the referrals fill most of their id range (all
    // years) the table is read in its own order over that range; otherwise (a year, whose
    // referrals' ids lie among the other years') by the period's decisions.
    let (low, high) = (
        referrals.keys().min().copied().unwrap_or(0),
        referrals.keys().max().copied().unwrap_or(-1),
    );
    let mut add_grant = |decision: i64, code: &str, cents: i64| {
        let Some(&(case_id, date)) = referrals.get(&decision) else {
            return;
        };
        let Some(c) = cases.get(case_id) else {
            return;
        };
        if tally.add(&c.keys, None, Some(code), |a| a.f.granted_cents += cents) {
            if let Some(mf) = months.of(date) {
                mf.granted_cents += cents;
            }
        }
    };
    if high - low < 2 * referrals.len() as i64 {
        let mut stmt = conn.prepare_cached(
            "SELECT decision_id, activity_code, cents FROM decision_grant
             WHERE decision_id BETWEEN ?1 AND ?2 AND cents <> 0",
        )?;
        let mut rows = stmt.query(params![low, high])?;
        while let Some(r) = rows.next()? {
            add_grant(r.get(0)?, text(r, 1)?, r.get(2)?);
        }
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT g.decision_id, g.activity_code, g.cents
             FROM decision d INDEXED BY decision_stats JOIN decision_grant g ON g.decision_id = d.id
             WHERE d.status IN ('approved', 'sent') AND d.decision_date BETWEEN ?1 AND ?2
               AND d.kind = 'referral' AND g.cents <> 0",
        )?;
        let mut rows = stmt.query(params![from_s, to_s])?;
        while let Some(r) = rows.next()? {
            add_grant(r.get(0)?, text(r, 1)?, r.get(2)?);
        }
    }

    // Start of service, waiting and active on the as-of day. A case not closed and not in
    // service is waiting when a referral was in force that day.
    let mut in_force = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM decision INDEXED BY decision_case
                        WHERE case_id = ?1 AND kind = 'referral' AND status IN ('approved', 'sent')
                          AND decision_date <= ?2 AND (valid_to IS NULL OR valid_to >= ?2))",
    )?;
    for (id, c) in cases.iter() {
        if let (Some(start), Some((decided, _))) = (c.service_start, c.first_decision) {
            if start >= from && start <= to {
                let days = (start - decided).num_days().max(0);
                tally.add(&c.keys, None, None, |a| a.to_start.push(days));
            }
        }
        if c.closed {
            continue;
        }
        if c.service_start.is_some_and(|s| s <= as_of) {
            tally.add(&c.keys, None, None, |a| a.f.active += 1);
        } else if in_force.query_row(params![id, loader.as_of_s], |r| r.get::<_, bool>(0))? {
            tally.add(&c.keys, None, None, |a| a.f.waiting += 1);
        }
    }

    // Money invoiced and accepted. For whole months from the monthly sums, brought up to date
    // first: without filters the sums per key (migration 014), with filters the sums per
    // combination of keys (016), which pass the same sieve as the lines would; for other periods
    // from the lines themselves.
    let whole_months = from.day() == 1 && to.succ_opt().is_none_or(|next| next.day() == 1);
    let sums = money_sums && whole_months && crate::stats::money::refresh(conn).is_ok();
    if sums && query.filter != StatsFilter::default() {
        let cells =
            crate::stats::money::read_cells(conn, &month_key(from), &month_key(to), &query.filter)?;
        let keys = &mut loader.keys;
        for cell in cells {
            let cell_keys = CaseKeys {
                route: keys.get(&cell.route),
                municipality: keys.get(&cell.municipality),
                county: keys.get(&cell.county),
                provider: loader.none.clone(),
                activities: Vec::new(),
            };
            let add = |a: &mut Acc| {
                a.f.invoiced_cents += cell.invoiced;
                a.f.accepted_cents += cell.accepted;
            };
            if tally.add(&cell_keys, Some(&cell.provider), Some(&cell.activity), add) {
                if let Some(mf) = months.of_text(&cell.month) {
                    mf.invoiced_cents += cell.invoiced;
                    mf.accepted_cents += cell.accepted;
                }
            }
        }
    } else if sums {
        for sum in crate::stats::money::read(conn, &month_key(from), &month_key(to), breakdown)? {
            let add = |a: &mut Acc| {
                a.f.invoiced_cents += sum.invoiced;
                a.f.accepted_cents += sum.accepted;
            };
            if sum.dim.is_empty() {
                add(&mut tally.totals);
                if let Some(mf) = months.of_text(&sum.month) {
                    mf.invoiced_cents += sum.invoiced;
                    mf.accepted_cents += sum.accepted;
                }
            } else {
                bump(&mut tally.groups, &sum.key, &add);
            }
        }
    } else {
        // Money invoiced and accepted: lines of invoices dated in the period (the narrow
        // invoice_line_money index; a million lines over a decade).
        let mut stmt = conn.prepare_cached(
            "SELECT i.provider_id, substr(i.invoice_date, 1, 7),
                    i.status IN ('accepted', 'partly_accepted', 'rejected'),
                    l.case_id, l.activity_code, l.amount_cents, l.accepted_cents
             FROM invoice i JOIN invoice_line l INDEXED BY invoice_line_money ON l.invoice_id = i.id
             WHERE i.invoice_date BETWEEN ?1 AND ?2 AND i.status <> 'draft'",
        )?;
        let mut rows = stmt.query(params![from_s, to_s])?;
        let mut other_provider: String;
        while let Some(r) = rows.next()? {
            let provider_id: i64 = r.get(0)?;
            let month = text(r, 1)?;
            let decided: bool = r.get(2)?;
            let case_id: Option<i64> = r.get(3)?;
            let activity = text(r, 4)?;
            let amount: i64 = r.get(5)?;
            let accepted: i64 = if decided { r.get(6)? } else { 0 };
            if let Some(id) = case_id {
                loader.ensure(conn, &mut cases, id)?;
            }
            let keys = case_id
                .and_then(|id| cases.get(id))
                .map(|c| &c.keys)
                .unwrap_or(&none);
            let provider = match loader.providers.get(&provider_id) {
                Some(p) => &**p,
                None => {
                    other_provider = provider_id.to_string();
                    other_provider.as_str()
                }
            };
            if tally.add(keys, Some(provider), Some(activity), |a| {
                a.f.invoiced_cents += amount;
                a.f.accepted_cents += accepted;
            }) {
                if let Some(mf) = months.of_text(month) {
                    mf.invoiced_cents += amount;
                    mf.accepted_cents += accepted;
                }
            }
        }
    }

    // Feedback answered in the period, with the cases it is about.
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT case_id FROM feedback_response
         WHERE answered_on BETWEEN ?1 AND ?2 AND case_id IS NOT NULL",
    )?;
    let mut rows = stmt.query([&from_s, &to_s])?;
    while let Some(r) = rows.next()? {
        loader.ensure(conn, &mut cases, r.get(0)?)?;
    }
    let names = names(conn, catalog)?;
    let feedback = feedback_figures(
        conn,
        &cases,
        &names.providers,
        &mut tally,
        &mut months,
        &from_s,
        &to_s,
    )?;

    let Tally { totals, groups, .. } = tally;
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(key, acc)| Group {
            label: names.label(breakdown, &key),
            key,
            figures: acc.finish(),
        })
        .collect();
    groups.sort_by(|a, b| {
        (a.key.is_empty(), a.label.to_lowercase()).cmp(&(b.key.is_empty(), b.label.to_lowercase()))
    });
    late.sort_by(|a, b| (a.decision_date, &a.case_no).cmp(&(b.decision_date, &b.case_no)));
    let f = &query.filter;
    let named = |kind: &str, v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            names.label(kind, v)
        }
    };
    let filter_names = StatsFilter {
        route: named("route", &f.route),
        county: named("county", &f.county),
        municipality: named("municipality", &f.municipality),
        provider: named("provider", &f.provider),
        activity: named("activity", &f.activity),
    };
    Ok(Statistics {
        period,
        as_of,
        breakdown: breakdown.to_string(),
        filter: query.filter.clone(),
        filter_names,
        totals: totals.finish(),
        groups,
        months: months.months,
        late,
        feedback,
    })
}

/// Every provider's id as the grouping key it is (its text), made once per computation.
fn provider_keys(conn: &Connection) -> Result<HashMap<i64, Key>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM provider")?;
    let keys = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .map(|id| id.map(|id| (id, Key::from(id.to_string()))))
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

fn names(conn: &Connection, catalog: &Catalog) -> Result<Names> {
    let mut providers = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM provider")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, name) = row?;
        providers.insert(id.to_string(), name);
    }
    Ok(Names {
        municipalities: catalog
            .municipalities
            .iter()
            .map(|(k, (n, _))| (k.clone(), n.clone()))
            .collect(),
        counties: catalog.counties.clone(),
        providers,
        activities: catalog.activity_codes.clone(),
    })
}

/// Feedback answered in the period: per question (after the filters), per group, the comments.
fn feedback_figures(
    conn: &Connection,
    cases: &CaseTable,
    provider_names: &HashMap<String, String>,
    tally: &mut Tally,
    months: &mut MonthTable,
    from: &str,
    to: &str,
) -> Result<FeedbackFigures> {
    let mut by_month: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut questions: Vec<QuestionFigures> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, position, text_et, text_en, active FROM feedback_question ORDER BY position, id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok(QuestionFigures {
            question_id: r.get(0)?,
            position: r.get(1)?,
            text: Localized::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
            active: r.get(4)?,
            count: 0,
            average: None,
            distribution: [0; 5],
        })
    })? {
        let q = row?;
        index.insert(q.question_id, questions.len());
        questions.push(q);
    }
    // One row per answer, a response's answers one after the other (the join walks each
    // response's answers in turn): a response is filtered once, when its last answer is read.
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.case_id, r.provider_id, r.answered_on, r.comment, a.question_id, a.score
         FROM feedback_response r LEFT JOIN feedback_answer a ON a.response_id = r.id
         WHERE r.answered_on BETWEEN ?1 AND ?2",
    )?;
    let none = CaseKeys::default();
    let mut responses = 0;
    let mut comments: Vec<(NaiveDate, i64, FeedbackComment)> = Vec::new();
    let mut sums: HashMap<i64, i64> = HashMap::new();
    struct Response {
        id: i64,
        case_id: Option<i64>,
        provider: Option<i64>,
        answered: NaiveDate,
        comment: String,
        scores: Vec<(i64, i64)>,
    }
    let mut finish = |r: Response| {
        let keys = r
            .case_id
            .and_then(|id| cases.get(id))
            .map(|c| &c.keys)
            .unwrap_or(&none);
        let sum: i64 = r.scores.iter().map(|(_, s)| s).sum();
        let n = r.scores.len() as i64;
        let provider = r.provider.map(|p| p.to_string()).unwrap_or_default();
        if !tally.add(keys, Some(&provider), None, |a| {
            a.f.feedback_responses += 1;
            a.score_sum += sum;
            a.score_count += n;
        }) {
            return;
        }
        responses += 1;
        let month = month_number(r.answered.year(), r.answered.month());
        if let Some(mf) = months.slot(month) {
            mf.feedback_responses += 1;
            let e = by_month.entry(month).or_default();
            e.0 += sum;
            e.1 += n;
        }
        for (q, s) in r.scores {
            if let (Some(&i), Ok(bucket)) = (index.get(&q), usize::try_from(s - 1)) {
                if let Some(slot) = questions[i].distribution.get_mut(bucket) {
                    *slot += 1;
                    questions[i].count += 1;
                    *sums.entry(q).or_default() += s;
                }
            }
        }
        if !r.comment.trim().is_empty() {
            let provider_name = r
                .provider
                .and_then(|p| provider_names.get(&p.to_string()))
                .cloned()
                .unwrap_or_default();
            comments.push((
                r.answered,
                r.id,
                FeedbackComment {
                    answered_on: r.answered,
                    provider: provider_name,
                    comment: r.comment.trim().to_string(),
                },
            ));
        }
    };
    let mut current: Option<Response> = None;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current.as_ref().is_none_or(|c| c.id != id) {
            if let Some(done) = current.take() {
                finish(done);
            }
            current = Some(Response {
                id,
                case_id: row.get(1)?,
                provider: row.get(2)?,
                answered: some_day(row, 3)?,
                comment: row.get(4)?,
                scores: Vec::new(),
            });
        }
        if let (Some(c), Some(q), Some(score)) = (
            current.as_mut(),
            row.get::<_, Option<i64>>(5)?,
            row.get::<_, Option<i64>>(6)?,
        ) {
            c.scores.push((q, score));
        }
    }
    if let Some(done) = current.take() {
        finish(done);
    }
    // Newest first.
    comments.sort_by_key(|c| std::cmp::Reverse((c.0, c.1)));
    let comments: Vec<FeedbackComment> = comments.into_iter().map(|(_, _, c)| c).collect();
    for q in &mut questions {
        q.average = mean2(sums.get(&q.question_id).copied().unwrap_or(0), q.count);
    }
    for (month, (sum, count)) in by_month {
        if let Some(mf) = months.slot(month) {
            mf.feedback_average = mean2(sum, count);
        }
    }
    // A retired question stays in the figures only while it has answers in the period.
    questions.retain(|q| q.active || q.count > 0);
    Ok(FeedbackFigures {
        responses,
        questions,
        comments,
    })
}

/// The small hand-checked data set the statistics, export and feedback tests share.
#[cfg(test)]
pub(crate) mod fixture {
    use rusqlite::{params, Connection};

    pub const T: &str = "2026-01-01T00:00:00Z";

    pub fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        conn
    }

    /// A desk in memory with `cases` demo cases and their history (seed `seed`, as of `today`).
    pub fn demo(cases: usize, seed: u64, today: chrono::NaiveDate) -> Connection {
        let mut conn = conn();
        let tx = conn.transaction().expect("tx");
        crate::demo::generate_as_of(&tx, cases, seed, today);
        tx.commit().expect("commit");
        conn
    }

    pub fn provider(conn: &Connection, id: i64, name: &str, code: &str) {
        conn.execute(
            "INSERT INTO provider (id, name, registry_code, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id, name, code, T],
        )
        .expect("provider");
    }

    /// A case with its child (personal code 6130315002N style, synthetic).
    #[allow(clippy::too_many_arguments)]
    pub fn case(
        conn: &Connection,
        id: i64,
        route: &str,
        municipality: &str,
        applied: &str,
        complete: &str,
        status: &str,
        activities: &[&str],
    ) {
        conn.execute(
            "INSERT INTO child (id, first_name, last_name, personal_code, birth_date, sex,
                municipality_code, created_at, updated_at)
             VALUES (?1, 'Laps', ?2, ?3, '2013-03-15', 'female', ?4, ?5, ?5)",
            params![
                id,
                format!("Näide{id}"),
                format!("6130315{id:04}"),
                municipality,
                T
            ],
        )
        .expect("child");
        conn.execute(
            "INSERT INTO srt_case (id, case_no, child_id, status, route_kind, severity,
                application_date, complete_on, channel, created_at, updated_at)
             VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, 'email', ?8, ?8)",
            params![
                id,
                format!("SRT-2026-{id:04}"),
                status,
                route,
                if route == "disability" {
                    Some("severe")
                } else {
                    None
                },
                applied,
                complete,
                T
            ],
        )
        .expect("case");
        if !activities.is_empty() {
            conn.execute(
                "INSERT INTO assessment (case_id, created_at, updated_at) VALUES (?1, ?2, ?2)",
                params![id, T],
            )
            .expect("assessment");
            for (i, a) in activities.iter().enumerate() {
                conn.execute(
                    "INSERT INTO assessment_activity (case_id, position, code, hours, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 10, ?4, ?4)",
                    params![id, i as i64, a, T],
                )
                .expect("activity");
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn decision(
        conn: &Connection,
        case_id: i64,
        kind: &str,
        date: &str,
        number: &str,
        annex: &str,
        late_reason: &str,
    ) {
        conn.execute(
            "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from, valid_to,
                annex, late_reason, created_at, updated_at)
             VALUES (?1, ?2, 'sent', ?3, ?4, ?4, '2027-12-31', ?5, ?6, ?7, ?7)",
            params![case_id, kind, number, date, annex, late_reason, T],
        )
        .expect("decision");
    }

    pub fn choice(conn: &Connection, case_id: i64, provider: i64, start: Option<&str>) {
        conn.execute(
            "INSERT INTO provider_choice (case_id, provider_id, chosen_on, registered_on, service_start,
                created_at, updated_at) VALUES (?1, ?2, '2026-01-01', '2026-01-02', ?3, ?4, ?4)",
            params![case_id, provider, start, T],
        )
        .expect("choice");
    }

    pub fn closed(conn: &Connection, case_id: i64, on: &str) {
        conn.execute(
            "INSERT INTO case_status_change (case_id, from_status, to_status, changed_at, created_at, updated_at)
             VALUES (?1, 'in_service', 'closed', ?2, ?3, ?3)",
            params![case_id, format!("{on}T10:00:00Z"), T],
        )
        .expect("status change");
    }

    /// An invoice with lines (case, activity, amount, accepted).
    pub fn invoice(
        conn: &Connection,
        id: i64,
        provider: i64,
        date: &str,
        status: &str,
        lines: &[(i64, &str, i64, i64)],
    ) {
        conn.execute(
            "INSERT INTO invoice (id, provider_id, number, invoice_date, period_from, period_to, status,
                created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '2026-03-01', '2026-03-31', ?5, ?6, ?6)",
            params![id, provider, format!("A-{id}"), date, status, T],
        )
        .expect("invoice");
        for (i, (case_id, code, amount, accepted)) in lines.iter().enumerate() {
            conn.execute(
                "INSERT INTO invoice_line (invoice_id, position, case_id, activity_code, service_date,
                    quantity_milli, unit_price_cents, amount_cents, accepted_cents, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1000, ?6, ?6, ?7, ?8, ?8)",
                params![id, i as i64, case_id, code, date, amount, accepted, T],
            )
            .expect("line");
        }
    }

    /// A response with scores for questions 1, 2 (ids of the seeded questions).
    pub fn response(
        conn: &Connection,
        case_id: i64,
        provider: i64,
        on: &str,
        scores: &[(i64, i64)],
        comment: &str,
    ) {
        conn.execute(
            "INSERT INTO feedback_response (case_id, provider_id, answered_on, comment, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![case_id, provider, on, comment, T],
        )
        .expect("response");
        let id = conn.last_insert_rowid();
        for (q, s) in scores {
            conn.execute(
                "INSERT INTO feedback_answer (response_id, question_id, score) VALUES (?1, ?2, ?3)",
                params![id, q, s],
            )
            .expect("answer");
        }
    }

    /// The data set of the March 2026 figures asserted in the tests (see stats::tests).
    pub fn march_2026() -> Connection {
        let c = conn();
        provider(&c, 1, "Alfa Teraapia OÜ", "10000001");
        provider(&c, 2, "Beeta Keskus MTÜ", "10000002");
        // C1: disability, Tallinn; complete 02.03, referral 10.03 (due 16.03): 8 days, on time;
        // service from 20.03 with Alfa: 10 days to start.
        case(
            &c,
            1,
            "disability",
            "0784",
            "2026-03-02",
            "2026-03-02",
            "in_service",
            &["2001", "1001"],
        );
        decision(
            &c,
            1,
            "referral",
            "2026-03-10",
            "K0001",
            r#"[{"code":"1001","amounts":[{"year":2026,"cents":20000}]},{"code":"2001","amounts":[{"year":2026,"cents":30000}]}]"#,
            "",
        );
        choice(&c, 1, 1, Some("2026-03-20"));
        // C2: KOV, Tartu; complete 09.03, refusal 31.03 (due 23.03): 22 days, 8 days late.
        case(
            &c,
            2,
            "kov",
            "0793",
            "2026-03-05",
            "2026-03-09",
            "decided",
            &["2001"],
        );
        decision(
            &c,
            2,
            "refusal",
            "2026-03-31",
            "K0002",
            "[]",
            "Ootasime KOV hinnangut",
        );
        // C3: disability, Tartu; applied in February; complete 20.02, referral 04.03 (due 09.03:
        // 24.02 is a holiday): 12 days, on time; Beeta chosen, not started: waiting.
        case(
            &c,
            3,
            "disability",
            "0793",
            "2026-02-20",
            "2026-02-20",
            "provider_chosen",
            &["2003"],
        );
        decision(
            &c,
            3,
            "referral",
            "2026-03-04",
            "K0003",
            r#"[{"code":"2003","amounts":[{"year":2026,"cents":18000},{"year":2027,"cents":12000}]}]"#,
            "",
        );
        choice(&c, 3, 2, None);
        // C4: KOV, Tallinn; applied 25.03, nothing decided yet.
        case(
            &c,
            4,
            "kov",
            "0784",
            "2026-03-25",
            "2026-03-25",
            "in_assessment",
            &[],
        );
        // C5: decided in 2025, in service since 15.01 with Alfa; amended on 12.03.
        case(
            &c,
            5,
            "disability",
            "0784",
            "2025-12-01",
            "2025-12-01",
            "in_service",
            &["2001"],
        );
        decision(
            &c,
            5,
            "referral",
            "2025-12-10",
            "K0005",
            r#"[{"code":"2001","amounts":[{"year":2026,"cents":99900}]}]"#,
            "",
        );
        decision(&c, 5, "amendment", "2026-03-12", "K0006", "[]", "");
        choice(&c, 5, 1, Some("2026-01-15"));
        // C6: closed on 28.02: neither waiting nor active in March.
        case(
            &c,
            6,
            "disability",
            "0784",
            "2025-11-01",
            "2025-11-01",
            "closed",
            &["2001"],
        );
        decision(&c, 6, "referral", "2025-11-05", "K0007", "[]", "");
        choice(&c, 6, 1, Some("2025-12-01"));
        closed(&c, 6, "2026-02-28");
        // Invoices: Alfa's is partly accepted, Beeta's only checked (nothing accepted yet);
        // a draft and an April invoice do not count.
        invoice(
            &c,
            1,
            1,
            "2026-03-25",
            "partly_accepted",
            &[(1, "2001", 10000, 10000), (5, "2001", 20000, 15000)],
        );
        invoice(
            &c,
            2,
            2,
            "2026-03-28",
            "checked",
            &[(3, "2003", 5000, 5000)],
        );
        invoice(&c, 3, 1, "2026-03-30", "draft", &[(1, "2001", 7000, 0)]);
        invoice(
            &c,
            4,
            1,
            "2026-04-02",
            "accepted",
            &[(1, "2001", 9000, 9000)],
        );
        // Feedback: two answers in March about Alfa, one in April.
        response(&c, 1, 1, "2026-03-21", &[(1, 5), (2, 4)], "Väga hea");
        response(&c, 5, 1, "2026-03-22", &[(1, 3), (2, 2)], "");
        response(&c, 1, 1, "2026-04-01", &[(1, 1)], "Aprillis");
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// The statistics from the monthly money sums (per key without filters, per combination of
    /// keys with them) equal the statistics from every line, for every breakdown, filter kind and
    /// whole-month period, and stay equal when lines, invoices, cases and children change (the
    /// triggers mark the months, the statistics compute them again).
    #[test]
    fn the_monthly_money_sums_equal_reading_every_line_through_changes() {
        let today = d(2026, 11, 25);
        let conn = fixture::demo(250, 5, today);
        let catalog = Catalog::load(&conn).expect("catalog");
        let periods = [
            PeriodInput {
                kind: "all".into(),
                ..Default::default()
            },
            PeriodInput {
                kind: "year".into(),
                year: 2025,
                ..Default::default()
            },
            PeriodInput {
                kind: "quarter".into(),
                year: 2026,
                number: 2,
                ..Default::default()
            },
            PeriodInput {
                kind: "month".into(),
                year: 2026,
                number: 10,
                ..Default::default()
            },
        ];
        // A filter of each kind (and two together), with keys that have money in 2025.
        let pick = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        let of_2025 = "FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                       JOIN srt_case c ON c.id = l.case_id JOIN child ch ON ch.id = c.child_id
                       JOIN municipality m ON m.ehak_code = ch.municipality_code
                       WHERE i.invoice_date LIKE '2025-%' AND i.status <> 'draft'";
        let municipality = pick(&format!(
            "SELECT ch.municipality_code {of_2025} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ));
        let activity = pick(&format!(
            "SELECT l.activity_code {of_2025} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ));
        let filters = [
            StatsFilter::default(),
            StatsFilter {
                route: "kov".into(),
                ..Default::default()
            },
            StatsFilter {
                county: pick(&format!("SELECT m.county_code {of_2025} LIMIT 1")),
                ..Default::default()
            },
            StatsFilter {
                provider: pick(&format!(
                    "SELECT CAST(i.provider_id AS TEXT) {of_2025} LIMIT 1"
                )),
                ..Default::default()
            },
            StatsFilter {
                municipality: municipality.clone(),
                activity: activity.clone(),
                ..Default::default()
            },
        ];
        let same = |conn: &Connection, what: &str| {
            for period in &periods {
                for filter in &filters {
                    for breakdown in crate::stats::money::DIMS {
                        if *filter != StatsFilter::default() && breakdown == "county" {
                            continue;
                        }
                        let query = StatsQuery {
                            period: period.clone(),
                            breakdown: breakdown.into(),
                            filter: filter.clone(),
                        };
                        let sums = compute_with(conn, &catalog, &query, today, true).expect("sums");
                        let lines =
                            compute_with(conn, &catalog, &query, today, false).expect("lines");
                        assert_eq!(
                            sums, lines,
                            "{what}: {} by {breakdown:?}, {filter:?}",
                            period.kind
                        );
                    }
                }
            }
        };
        let money: i64 = conn
            .query_row(
                "SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                 WHERE i.invoice_date LIKE '2025-%' AND i.status <> 'draft'",
                [],
                |r| r.get(0),
            )
            .expect("lines");
        assert!(money > 100, "the demo has invoice lines in 2025: {money}");
        same(&conn, "after the demo");
        assert_eq!(
            crate::stats::money::refresh(&conn).expect("refresh"),
            0,
            "all current"
        );
        // The money granted, whichever way the grants are read (all years: over the id range;
        // one year: by the year's decisions), is the annexes' sum.
        for (period, from, to) in [
            (&periods[0], "2000-01-01", "2100-12-31"),
            (&periods[1], "2025-01-01", "2025-12-31"),
        ] {
            let query = StatsQuery {
                period: period.clone(),
                ..Default::default()
            };
            let granted: i64 = conn
                .query_row(
                    "SELECT coalesce(sum(g.cents), 0) FROM decision_grant g
                     JOIN decision d ON d.id = g.decision_id
                     WHERE d.kind = 'referral' AND d.status IN ('approved', 'sent')
                       AND d.decision_date BETWEEN ?1 AND ?2",
                    [from, to],
                    |r| r.get(0),
                )
                .expect("granted");
            assert!(granted > 0);
            let s = compute(&conn, &catalog, &query, today).expect("stats");
            assert_eq!(s.totals.granted_cents, granted, "{}", period.kind);
        }

        let scalar = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        let invoice = scalar(
            "SELECT id FROM invoice WHERE status = 'accepted' AND invoice_date LIKE '2025-%' LIMIT 1",
        );
        conn.execute(
            "UPDATE invoice SET status = 'checked' WHERE id = ?1",
            [invoice],
        )
        .expect("reopen");
        same(&conn, "an accepted invoice is checked again");
        conn.execute(
            "DELETE FROM invoice_line WHERE id = (SELECT max(id) FROM invoice_line WHERE invoice_id = ?1)",
            [invoice],
        )
        .expect("line");
        same(&conn, "a line is deleted");
        conn.execute(
            "UPDATE invoice SET invoice_date = '2026-10-03' WHERE id = ?1",
            [invoice],
        )
        .expect("date");
        same(&conn, "an invoice moved to another month");
        let case = scalar("SELECT case_id FROM invoice_line WHERE case_id IS NOT NULL LIMIT 1");
        conn.execute(
            "UPDATE child SET municipality_code = '0784'
             WHERE id = (SELECT child_id FROM srt_case WHERE id = ?1)",
            [case],
        )
        .expect("moved");
        conn.execute(
            "UPDATE srt_case SET route_kind = CASE route_kind WHEN 'kov' THEN 'disability' ELSE 'kov' END
             WHERE id = ?1",
            [case],
        )
        .expect("route");
        same(&conn, "a child moved and a case changed its route");
        conn.execute("DELETE FROM srt_case WHERE id = ?1", [case])
            .expect("delete");
        same(&conn, "a case is deleted");
        // A custom period reads the lines: nothing to compare, but they still count.
        let custom = StatsQuery {
            period: PeriodInput {
                kind: "custom".into(),
                from: "15.01.2025".into(),
                to: "20.03.2025".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(
            compute(&conn, &catalog, &custom, today)
                .expect("custom")
                .totals
                .invoiced_cents
                > 0
        );
    }

    fn march(breakdown: &str, filter: StatsFilter) -> Statistics {
        let conn = fixture::march_2026();
        let catalog = Catalog::load(&conn).expect("catalog");
        compute(
            &conn,
            &catalog,
            &StatsQuery {
                period: PeriodInput {
                    kind: "month".into(),
                    year: 2026,
                    number: 3,
                    ..Default::default()
                },
                breakdown: breakdown.into(),
                filter,
            },
            d(2026, 4, 15),
        )
        .expect("stats")
    }

    #[test]
    fn percentile_is_nearest_rank_and_always_a_value_that_occurred() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(
            percentile(&[1, 2, 3, 4], 50),
            Some(2),
            "even count: the lower middle value"
        );
        assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9), "rank ⌈0.9 × 10⌉ = 9");
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10), "rank ⌈9.9⌉ = 10");
        assert_eq!(percentile(&ten, 100), Some(10));
        assert_eq!(percentile(&ten, 0), Some(1));
    }

    #[test]
    fn the_granted_money_table_follows_the_annex_of_approved_referrals_only() {
        let conn = fixture::march_2026();
        let grants = |id: i64| -> Vec<(String, i64)> {
            let mut stmt = conn
                .prepare(
                    "SELECT activity_code, cents FROM decision_grant WHERE decision_id = ?1
                     ORDER BY activity_code",
                )
                .expect("prepare");
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        // A draft referral with two years of one activity and a second activity.
        conn.execute(
            "INSERT INTO decision (case_id, kind, status, annex, created_at, updated_at)
             VALUES (1, 'referral', 'draft', ?1, ?2, ?2)",
            params![
                r#"[{"code":"2001","amounts":[{"year":2026,"cents":1000},{"year":2027,"cents":2500}]},
                    {"code":"1001","amounts":[{"year":2026,"cents":700}]}]"#,
                fixture::T
            ],
        )
        .expect("draft");
        let id = conn.last_insert_rowid();
        assert!(grants(id).is_empty(), "a draft grants nothing");
        conn.execute(
            "UPDATE decision SET status = 'approved' WHERE id = ?1",
            [id],
        )
        .expect("approve");
        assert_eq!(
            grants(id),
            vec![("1001".to_string(), 700), ("2001".to_string(), 3500)]
        );
        conn.execute("UPDATE decision SET status = 'sent' WHERE id = ?1", [id])
            .expect("send");
        assert_eq!(grants(id).len(), 2, "sending keeps the grant");
        conn.execute("DELETE FROM decision WHERE id = ?1", [id])
            .expect("delete");
        assert!(
            grants(id).is_empty(),
            "a deleted decision takes its grant along"
        );
        // Refusals and amendments grant nothing.
        let refusal: i64 = conn
            .query_row(
                "SELECT id FROM decision WHERE kind = 'refusal' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("refusal");
        assert!(grants(refusal).is_empty());
    }

    #[test]
    fn a_case_closed_after_the_as_of_day_still_counts_and_closing_day_itself_does_not() {
        let conn = fixture::march_2026();
        let catalog = Catalog::load(&conn).expect("catalog");
        let month = |number: u32| {
            let query = StatsQuery {
                period: PeriodInput {
                    kind: "month".into(),
                    year: 2026,
                    number,
                    ..Default::default()
                },
                ..Default::default()
            };
            compute(&conn, &catalog, &query, d(2026, 4, 15)).expect("stats")
        };
        let (january, february) = (month(1), month(2));
        // C6 started on 01.12.2025 and was closed on 28.02.2026; C5 started on 15.01.2026.
        assert_eq!(january.as_of, d(2026, 1, 31));
        assert_eq!(january.totals.active, 2, "C5 and C6, closed only later");
        assert_eq!(february.as_of, d(2026, 2, 28));
        assert_eq!(
            february.totals.active, 1,
            "C5: C6 was closed on the day itself"
        );
    }

    #[test]
    fn every_total_of_march_2026_is_as_counted_by_hand() {
        let s = march("", StatsFilter::default());
        assert_eq!(
            (s.period.from, s.period.to),
            (d(2026, 3, 1), d(2026, 3, 31))
        );
        assert_eq!(s.period.label.et, "märts 2026");
        assert_eq!(s.as_of, d(2026, 3, 31));
        let t = &s.totals;
        assert_eq!(t.received, 3, "C1, C2 and C4 applied in March");
        assert_eq!(
            (t.referrals, t.refusals, t.amendments, t.terminations),
            (2, 1, 1, 0)
        );
        assert_eq!(
            t.days_to_decision,
            DaySpread {
                count: 3,
                median: Some(12),
                p90: Some(22)
            },
            "8, 12 and 22 days"
        );
        assert_eq!(t.on_time, 2, "C2's refusal was due on 23.03");
        assert_eq!(t.on_time_pct, Some(66.7));
        assert_eq!(
            t.days_to_start,
            DaySpread {
                count: 1,
                median: Some(10),
                p90: Some(10)
            }
        );
        assert_eq!(t.waiting, 1, "C3 chose a provider and has not started");
        assert_eq!(t.active, 2, "C1 and C5; C6 closed in February");
        assert_eq!(
            t.granted_cents, 80_000,
            "C1 500 € + C3 300 € over both years"
        );
        assert_eq!(t.invoiced_cents, 35_000, "no draft, no April invoice");
        assert_eq!(
            t.accepted_cents, 25_000,
            "Beeta's invoice has no outcome yet"
        );
        assert_eq!(t.feedback_responses, 2);
        assert_eq!(t.feedback_average, Some(3.5));
        assert_eq!(
            s.months,
            vec![MonthFigures {
                month: "2026-03".into(),
                received: 3,
                decided: 3,
                granted_cents: 80_000,
                invoiced_cents: 35_000,
                accepted_cents: 25_000,
                feedback_responses: 2,
                feedback_average: Some(3.5),
            }]
        );
        assert_eq!(
            s.late,
            vec![LateDecision {
                case_no: "SRT-2026-0002".into(),
                number: "K0002".into(),
                decision_date: d(2026, 3, 31),
                due: d(2026, 3, 23),
                days_late: 8,
                reason: "Ootasime KOV hinnangut".into(),
            }]
        );
        let q = &s.feedback.questions;
        assert_eq!(q.len(), 5, "the five seeded questions are asked");
        assert_eq!(
            (q[0].count, q[0].average, q[0].distribution),
            (2, Some(4.0), [0, 0, 1, 0, 1])
        );
        assert_eq!(
            (q[1].count, q[1].average, q[1].distribution),
            (2, Some(3.0), [0, 1, 0, 1, 0])
        );
        assert_eq!((q[2].count, q[2].average), (0, None));
        assert_eq!(s.feedback.comments.len(), 1);
        assert_eq!(s.feedback.comments[0].comment, "Väga hea");
        assert_eq!(s.feedback.comments[0].provider, "Alfa Teraapia OÜ");
        assert!(s.groups.is_empty(), "no breakdown asked");
    }

    #[test]
    fn by_route_each_group_has_its_own_figures() {
        let s = march("route", StatsFilter::default());
        let keys: Vec<&str> = s.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(
            keys,
            ["kov", "disability"],
            "sorted by label: KOV tee, puude tee"
        );
        let kov = &s.groups[0].figures;
        assert_eq!((kov.received, kov.refusals, kov.referrals), (2, 1, 0));
        assert_eq!(kov.days_to_decision.median, Some(22));
        assert_eq!((kov.on_time, kov.on_time_pct), (0, Some(0.0)));
        assert_eq!((kov.waiting, kov.active, kov.granted_cents), (0, 0, 0));
        let dis = &s.groups[1].figures;
        assert_eq!((dis.received, dis.referrals, dis.amendments), (1, 2, 1));
        assert_eq!(
            (dis.days_to_decision.median, dis.days_to_decision.p90),
            (Some(8), Some(12))
        );
        assert_eq!((dis.on_time, dis.on_time_pct), (2, Some(100.0)));
        assert_eq!((dis.waiting, dis.active), (1, 2));
        assert_eq!(
            (dis.granted_cents, dis.invoiced_cents, dis.accepted_cents),
            (80_000, 35_000, 25_000)
        );
        assert_eq!(
            (dis.feedback_responses, dis.feedback_average),
            (2, Some(3.5))
        );
    }

    #[test]
    fn by_county_and_municipality_the_groups_add_up_to_the_totals() {
        for b in ["county", "municipality", "provider"] {
            let s = march(b, StatsFilter::default());
            let sum = |f: fn(&Figures) -> i64| s.groups.iter().map(|g| f(&g.figures)).sum::<i64>();
            assert_eq!(sum(|f| f.received), s.totals.received, "{b}");
            assert_eq!(sum(|f| f.granted_cents), s.totals.granted_cents, "{b}");
            assert_eq!(sum(|f| f.invoiced_cents), s.totals.invoiced_cents, "{b}");
            assert_eq!(sum(|f| f.waiting), s.totals.waiting, "{b}");
        }
        let s = march("county", StatsFilter::default());
        let harju = s.groups.iter().find(|g| g.key == "0037").expect("Harju");
        assert_eq!(harju.label, "Harju maakond");
        assert_eq!((harju.figures.received, harju.figures.active), (2, 2));
    }

    #[test]
    fn by_activity_money_follows_the_annex_line_and_a_case_counts_under_each_activity() {
        let s = march("activity", StatsFilter::default());
        let g = |k: &str| {
            s.groups
                .iter()
                .find(|g| g.key == k)
                .map(|g| g.figures.clone())
                .unwrap_or_default()
        };
        assert_eq!(g("1001").granted_cents, 20_000);
        assert_eq!(g("2001").granted_cents, 30_000);
        assert_eq!(g("2003").granted_cents, 30_000);
        assert_eq!(g("2001").received, 2, "C1 and C2 need a physiotherapist");
        assert_eq!(g("1001").received, 1);
        assert_eq!(g("2001").invoiced_cents, 30_000);
        assert_eq!(g("2003").invoiced_cents, 5_000);
    }

    /// Filtering by an activity gives each activity's group of the breakdown by activity, on the
    /// hand-made month and on a demo desk's year (the filter reads only the cases with that
    /// activity; the breakdown reads every case's activities).
    #[test]
    fn an_activity_filter_gives_that_activitys_group_of_the_breakdown() {
        let by_activity = march("activity", StatsFilter::default());
        assert!(by_activity.groups.len() >= 3);
        for g in &by_activity.groups {
            let filter = StatsFilter {
                activity: g.key.clone(),
                ..Default::default()
            };
            if g.key.is_empty() {
                continue;
            }
            assert_eq!(march("", filter.clone()).totals, g.figures, "{}", g.key);
            let both = march("activity", filter);
            assert_eq!(both.groups.len(), 1, "{}: only the chosen group", g.key);
            assert_eq!(both.groups[0].figures, g.figures);
        }

        let today = d(2026, 11, 25);
        let conn = fixture::demo(150, 7, today);
        let catalog = Catalog::load(&conn).expect("catalog");
        let year = |breakdown: &str, activity: &str| {
            let query = StatsQuery {
                period: PeriodInput {
                    kind: "year".into(),
                    year: 2025,
                    ..Default::default()
                },
                breakdown: breakdown.into(),
                filter: StatsFilter {
                    activity: activity.into(),
                    ..Default::default()
                },
            };
            compute(&conn, &catalog, &query, today).expect("stats")
        };
        let by_activity = year("activity", "");
        let named: Vec<&Group> = by_activity
            .groups
            .iter()
            .filter(|g| !g.key.is_empty())
            .collect();
        assert!(named.len() >= 5, "the demo year has many activities");
        for g in named {
            assert_eq!(year("", &g.key).totals, g.figures, "{}", g.key);
        }
    }

    #[test]
    fn a_provider_filter_keeps_its_cases_invoices_and_feedback() {
        let s = march(
            "",
            StatsFilter {
                provider: "2".into(),
                ..Default::default()
            },
        );
        let t = &s.totals;
        assert_eq!((t.received, t.referrals, t.waiting, t.active), (0, 1, 1, 0));
        assert_eq!(
            (t.granted_cents, t.invoiced_cents, t.accepted_cents),
            (30_000, 5_000, 0)
        );
        assert_eq!(t.feedback_responses, 0);
        assert_eq!(s.feedback.responses, 0);
        let s = march(
            "",
            StatsFilter {
                route: "kov".into(),
                ..Default::default()
            },
        );
        assert_eq!((s.totals.received, s.totals.refusals), (2, 1));
        assert_eq!(s.months[0].received, 2, "the months follow the filter");
    }

    #[test]
    fn periods_resolve_to_their_dates_and_bad_ones_are_named() {
        let today = d(2026, 5, 20);
        let first = d(2024, 6, 1);
        let p = |kind: &str, year: i32, number: u32| PeriodInput {
            kind: kind.into(),
            year,
            number,
            ..Default::default()
        };
        let q = resolve_period(&p("quarter", 2026, 1), today, first).expect("q1");
        assert_eq!((q.from, q.to), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(q.label.et, "2026 1. kvartal");
        let y = resolve_period(&p("year", 2024, 0), today, first).expect("year");
        assert_eq!((y.from, y.to), (d(2024, 1, 1), d(2024, 12, 31)));
        let all = resolve_period(&p("all", 0, 0), today, first).expect("all");
        assert_eq!((all.from, all.to), (d(2024, 1, 1), d(2026, 12, 31)));
        let feb = resolve_period(&p("month", 2028, 2), today, first).expect("feb");
        assert_eq!(feb.to, d(2028, 2, 29), "leap year");
        let custom = PeriodInput {
            kind: "custom".into(),
            from: "01.02.2026".into(),
            to: "15.02.2026".into(),
            ..Default::default()
        };
        let c = resolve_period(&custom, today, first).expect("custom");
        assert_eq!((c.from, c.to), (d(2026, 2, 1), d(2026, 2, 15)));
        let backwards = PeriodInput {
            to: "01.01.2026".into(),
            ..custom
        };
        match resolve_period(&backwards, today, first) {
            Err(Error::Validation(f)) => assert_eq!(f[0].field, "period.to"),
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert!(resolve_period(&p("quarter", 2026, 5), today, first).is_err());
        assert!(resolve_period(&p("month", 2026, 13), today, first).is_err());
    }
}
