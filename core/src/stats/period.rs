//! The period.

use super::*;

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

pub(super) fn pct(part: i64, whole: i64) -> Option<f64> {
    if whole == 0 {
        None
    } else {
        Some((part as f64 * 1000.0 / whole as f64).round() / 10.0)
    }
}

pub(super) fn mean2(sum: i64, count: i64) -> Option<f64> {
    if count == 0 {
        None
    } else {
        Some((sum as f64 * 100.0 / count as f64).round() / 100.0)
    }
}

pub(super) fn bad_period(et: &str, en: &str) -> Error {
    Error::field("period", "invalid", et, en)
}

pub(super) fn parse_day(s: &str) -> Option<NaiveDate> {
    crate::values::parse_date(s.trim())
}

pub(super) const MONTHS_ET: [&str; 12] = [
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
pub(super) const MONTHS_EN: [&str; 12] = [
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

pub(super) fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

pub(super) fn dmy(d: NaiveDate) -> String {
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
