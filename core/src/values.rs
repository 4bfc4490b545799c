//! The ground floor's values: dates as a coordinator types them, money in cents, quantities,
//! e-mail addresses and phone numbers, list pages. No domain part is imported here; every part
//! reads and checks these the same way.

use chrono::NaiveDate;

use crate::error::FieldError;

/// Parse a date as the UI sends it (YYYY-MM-DD) or as a coordinator types it (DD.MM.YYYY).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // The year is written in full: chrono's %Y also reads "1.1.26" as the year 26, which then
    // surfaced as "before the child's birth" or a decision dated 01.12.0026.
    let year_digits = |year: &str| {
        year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && ("1900".."2200").contains(&year)
    };
    if let Some(year) = s.split('-').next().filter(|_| s.contains('-')) {
        return year_digits(year)
            .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .flatten();
    }
    let year = s.rsplit('.').next().unwrap_or("");
    year_digits(year)
        .then(|| NaiveDate::parse_from_str(s, "%d.%m.%Y").ok())
        .flatten()
}

/// Whether a text is written as a date (d.m.yyyy, dd.mm.yyyy or yyyy-mm-dd), a real day or not.
fn has_date_form(s: &str) -> bool {
    let s = s.trim();
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let dotted: Vec<&str> = s.split('.').collect();
    let dashed: Vec<&str> = s.split('-').collect();
    (dotted.len() == 3
        && digits(dotted[0], 1, 2)
        && digits(dotted[1], 1, 2)
        && digits(dotted[2], 4, 4))
        || (dashed.len() == 3
            && digits(dashed[0], 4, 4)
            && digits(dashed[1], 1, 2)
            && digits(dashed[2], 1, 2))
}

/// What is wrong with a typed date, said the same way in every form: written in another form
/// ("1.11.26", "eile") or, written right, a day the calendar does not have ("31.11.2026").
/// An empty text is "required" with the form's message.
pub fn date_error(field: impl Into<String>, text: &str) -> FieldError {
    if has_date_form(text) {
        FieldError::new(
            field,
            "date.invalid",
            "Sellist kuupäeva ei ole: kontrolli päeva ja kuud.",
            "There is no such date: check the day and the month.",
        )
    } else {
        FieldError::new(
            field,
            if text.trim().is_empty() {
                "required"
            } else {
                "date.format"
            },
            "Sisesta kuupäev kujul pp.kk.aaaa, nt 05.03.2026.",
            "Enter the date as dd.mm.yyyy, e.g. 05.03.2026.",
        )
    }
}

pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

pub fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (5..=15).contains(&digits)
        && s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        && s.trim_start().chars().skip(1).all(|c| c != '+')
}

/// The rows a list page asks for: 50 unless told, at least 1 and at most 500, from `offset` (0
/// unless told). The case list, the waiting children and the invoices page alike.
pub fn page_bounds(limit: Option<u32>, offset: Option<u32>) -> (u32, u32) {
    (limit.unwrap_or(50).clamp(1, 500), offset.unwrap_or(0))
}

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

/// Estonian money text: "1 234,56 €".
pub fn money_et(cents: i64) -> String {
    crate::pdf::money(cents)
}

/// Money in an English message: "1 234,56 €", the same notation as in Estonian. English is the
/// words, not the figures: the window's dates stay dd.mm.yyyy in English, so its money keeps
/// the Estonian notation too (ui/format.js holds the same convention).
pub fn money_en(cents: i64) -> String {
    crate::pdf::money(cents)
}

/// A quantity in thousandths as text: 1500 → "1,5" (Estonian) or "1.5".
pub fn quantity_text(milli: i64, comma: bool) -> String {
    let whole = milli / 1000;
    let frac = milli % 1000;
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:03}");
    let frac = frac.trim_end_matches('0');
    format!("{whole}{}{frac}", if comma { ',' } else { '.' })
}

/// A quantity as typed ("1,5", "2", "0.25") in thousandths; None when it is not one.
pub fn parse_quantity(text: &str) -> Option<i64> {
    let s: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let (whole, frac) = match s.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if whole.is_empty()
        || whole.len() > 6
        || frac.len() > 3
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut milli: i64 = whole.parse::<i64>().ok()? * 1000;
    if !frac.is_empty() {
        milli += format!("{frac:0<3}").parse::<i64>().ok()?;
    }
    Some(milli)
}

/// A number with a decimal comma ("4,25"), or "—" for none.
pub fn decimal_et(v: Option<f64>, places: usize) -> String {
    match v {
        Some(x) => format!("{x:.places$}").replace('.', ","),
        None => "—".into(),
    }
}

/// Whole days from `today` to `due`: negative when overdue, 0 when due today.
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    due.signed_duration_since(today).num_days()
}
