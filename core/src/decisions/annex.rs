//! Money and the annex.

use super::*;

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
