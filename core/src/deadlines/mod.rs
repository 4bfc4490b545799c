//! Deadlines: Estonian public holidays, working days and the due date of a period counted from an
//! event (DOMAIN.md "Deadlines"), each with an explanation a coordinator can check by hand.
//! Pure calendar arithmetic: no database and no clock — every date is passed in.

pub mod rules;
pub mod schedule;

use chrono::{Datelike, Months, NaiveDate, Weekday};

use crate::error::Localized;
pub use crate::values::days_left;

/// An Estonian public holiday (a rest day by law).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Localized,
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    // The algorithm always yields 22 March..25 April; only a year outside chrono's range can fail.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// The twelve Estonian public holidays of `year`, sorted by date.
pub fn public_holidays(year: i32) -> Vec<Holiday> {
    let fixed = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let easter = Some(easter_sunday(year)).filter(|d| d.year() == year);
    let from_easter =
        |days: i64| easter.and_then(|e| e.checked_add_signed(chrono::Duration::days(days)));
    let mut holidays: Vec<Holiday> = [
        (fixed(1, 1), "uusaasta", "New Year's Day"),
        (fixed(2, 24), "iseseisvuspäev", "Independence Day"),
        (from_easter(-2), "suur reede", "Good Friday"),
        (easter, "ülestõusmispühade 1. püha", "Easter Sunday"),
        (fixed(5, 1), "kevadpüha", "Spring Day"),
        (from_easter(49), "nelipühade 1. püha", "Pentecost"),
        (fixed(6, 23), "võidupüha", "Victory Day"),
        (fixed(6, 24), "jaanipäev", "Midsummer Day"),
        (
            fixed(8, 20),
            "taasiseseisvumispäev",
            "Day of Restoration of Independence",
        ),
        (fixed(12, 24), "jõululaupäev", "Christmas Eve"),
        (fixed(12, 25), "esimene jõulupüha", "Christmas Day"),
        (fixed(12, 26), "teine jõulupüha", "Boxing Day"),
    ]
    .into_iter()
    .filter_map(|(date, et, en)| {
        date.map(|date| Holiday {
            date,
            name: Localized::new(et, en),
        })
    })
    .collect();
    holidays.sort_by_key(|h| h.date);
    holidays
}

/// The public holiday on `date`, if any.
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    public_holidays(date.year())
        .into_iter()
        .find(|h| h.date == date)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether `date` is a public holiday, without building the named list (deadline counting asks
/// this for every day it counts).
pub fn is_public_holiday(date: NaiveDate) -> bool {
    const FIXED: [(u32, u32); 9] = [
        (1, 1),
        (2, 24),
        (5, 1),
        (6, 23),
        (6, 24),
        (8, 20),
        (12, 24),
        (12, 25),
        (12, 26),
    ];
    if FIXED.contains(&(date.month(), date.day())) {
        return true;
    }
    let easter = easter_sunday(date.year());
    let offset = (date - easter).num_days();
    matches!(offset, -2 | 0 | 49)
}

/// Saturday, Sunday or a public holiday.
pub fn is_rest_day(date: NaiveDate) -> bool {
    is_weekend(date) || is_public_holiday(date)
}

/// `date` itself when it is a working day, otherwise the next working day.
pub fn next_working_day_from(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while is_rest_day(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

/// How a period is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    WorkingDays,
    CalendarDays,
    Months,
}

/// A period of time counted from an event: "10 working days", "60 days", "24 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub count: u32,
    pub unit: Unit,
}

impl Period {
    pub fn working_days(count: u32) -> Self {
        Self {
            count,
            unit: Unit::WorkingDays,
        }
    }

    pub fn calendar_days(count: u32) -> Self {
        Self {
            count,
            unit: Unit::CalendarDays,
        }
    }

    pub fn months(count: u32) -> Self {
        Self {
            count,
            unit: Unit::Months,
        }
    }

    /// The period in words: "10 tööpäeva" / "10 working days", "1 kuu" / "1 month".
    pub fn text(&self) -> Localized {
        let n = self.count;
        let one = n == 1;
        let (et, en) = match (self.unit, one) {
            (Unit::WorkingDays, true) => ("tööpäev", "working day"),
            (Unit::WorkingDays, false) => ("tööpäeva", "working days"),
            (Unit::CalendarDays, true) => ("päev", "day"),
            (Unit::CalendarDays, false) => ("päeva", "days"),
            (Unit::Months, true) => ("kuu", "month"),
            (Unit::Months, false) => ("kuud", "months"),
        };
        Localized::new(format!("{n} {et}"), format!("{n} {en}"))
    }
}

/// A computed deadline with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    /// The day of the event the period counts from.
    pub event: NaiveDate,
    /// The last day (inclusive: the deadline ends at 24:00 of it).
    pub due: NaiveDate,
    /// The last day before the rest-day rule moved it (== `due` when not moved).
    pub unshifted: NaiveDate,
    /// A sentence a coordinator understands, in Estonian and English.
    pub explanation: Localized,
}

/// Count `period` from the day after `event` (DOMAIN.md "Deadlines").
///
/// Working days: the Nth working day after the event. Calendar days: event + N days. Months: the
/// same day of the month N months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
/// When the last day is a rest day it moves to the next working day.
pub fn deadline(event: NaiveDate, period: Period, what: &Localized, legal_ref: &str) -> Deadline {
    let unshifted = match period.unit {
        Unit::WorkingDays => nth_working_day_after(event, period.count),
        Unit::CalendarDays => event
            .checked_add_days(chrono::Days::new(u64::from(period.count)))
            .unwrap_or(NaiveDate::MAX),
        Unit::Months => event
            .checked_add_months(Months::new(period.count))
            .unwrap_or(NaiveDate::MAX),
    };
    let due = next_working_day_from(unshifted);

    let words = period.text();
    let reference = if legal_ref.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", legal_ref.trim())
    };
    let mut et = format!(
        "{}: {} alates {}{reference}.",
        what.et,
        words.et,
        format_date(event)
    );
    let mut en = format!(
        "{}: {} from {}{reference}.",
        what.en,
        words.en,
        format_date(event)
    );

    if period.unit == Unit::WorkingDays {
        let skipped = weekday_holidays_between(event, due);
        if let Some(note) = skipped_holidays_note(&skipped) {
            et.push(' ');
            et.push_str(&note.et);
            en.push(' ');
            en.push_str(&note.en);
        }
    }
    if due != unshifted {
        let why = rest_day_name(unshifted);
        et.push_str(&format!(
            " Tähtaja viimane päev {} on {}, seepärast nihkub tähtaeg järgmisele tööpäevale {}.",
            format_date(unshifted),
            why.et,
            format_date(due)
        ));
        en.push_str(&format!(
            " The last day {} is {}, so the deadline moves to the next working day, {}.",
            format_date(unshifted),
            why.en,
            format_date(due)
        ));
    }

    Deadline {
        event,
        due,
        unshifted,
        explanation: Localized::new(et, en),
    }
}

/// The `n`th working day after `event`; for n = 0 the event day itself (the rest-day rule then
/// applies as for any last day).
fn nth_working_day_after(event: NaiveDate, n: u32) -> NaiveDate {
    let mut day = event;
    let mut counted = 0;
    while counted < n {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
        if !is_rest_day(day) {
            counted += 1;
        }
    }
    day
}

/// Public holidays on Monday..Friday in (`event`, `due`]: the days a coordinator counting on a
/// calendar would miscount as working days.
fn weekday_holidays_between(event: NaiveDate, due: NaiveDate) -> Vec<Holiday> {
    (event.year()..=due.year())
        .flat_map(public_holidays)
        .filter(|h| h.date > event && h.date <= due && !is_weekend(h.date))
        .collect()
}

fn skipped_holidays_note(holidays: &[Holiday]) -> Option<Localized> {
    let (first, rest) = holidays.split_first()?;
    let mut et = format!("{} on {}", format_date(first.date), first.name.et);
    let mut en = format!("{} is {}", format_date(first.date), first.name.en);
    for h in rest {
        et.push_str(&format!(", {} {}", format_date(h.date), h.name.et));
        en.push_str(&format!(", {} {}", format_date(h.date), h.name.en));
    }
    if rest.is_empty() {
        et.push_str(" – see ei ole tööpäev.");
        en.push_str(" – not a working day.");
    } else {
        et.push_str(" – need ei ole tööpäevad.");
        en.push_str(" – not working days.");
    }
    Some(Localized::new(et, en))
}

/// Why `date` is a rest day: the holiday's name, else the weekday.
fn rest_day_name(date: NaiveDate) -> Localized {
    if let Some(h) = holiday(date) {
        return h.name;
    }
    match date.weekday() {
        Weekday::Sat => Localized::new("laupäev", "a Saturday"),
        Weekday::Sun => Localized::new("pühapäev", "a Sunday"),
        _ => Localized::new("puhkepäev", "a rest day"),
    }
}

/// dd.mm.yyyy, as dates are written in Estonian documents.
fn format_date(date: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", date.day(), date.month(), date.year())
}

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["case_deadline", "case_deadline_dirty"];

/// Retention: delete the case's rows this part owns — the stored deadlines. Called by
/// `trust::privacy::delete_due` in its transaction after the case itself (each delete before marks
/// the case for recomputing).
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn decision() -> Localized {
        Localized::new("Otsuse tähtaeg", "Decision due")
    }

    #[test]
    fn easter_matches_known_dates_2024_to_2030() {
        let known = [
            (2024, date(2024, 3, 31)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 5)),
            (2027, date(2027, 3, 28)),
            (2028, date(2028, 4, 16)),
            (2029, date(2029, 4, 1)),
            (2030, date(2030, 4, 21)),
        ];
        for (year, easter) in known {
            assert_eq!(easter_sunday(year), easter, "Easter {year}");
            assert_eq!(easter.weekday(), Weekday::Sun, "Easter {year} is a Sunday");
        }
    }

    #[test]
    fn good_friday_and_pentecost_follow_easter() {
        let names = |year| {
            public_holidays(year)
                .into_iter()
                .map(|h| (h.name.en, h.date))
                .collect::<Vec<_>>()
        };
        let y2025 = names(2025);
        assert!(y2025.contains(&("Good Friday".into(), date(2025, 4, 18))));
        assert!(
            y2025.contains(&("Pentecost".into(), date(2025, 6, 8))),
            "Pentecost 2025 is 8 June (Easter 20 April + 49)"
        );
        let y2026 = names(2026);
        assert!(y2026.contains(&("Good Friday".into(), date(2026, 4, 3))));
        assert!(
            y2026.contains(&("Pentecost".into(), date(2026, 5, 24))),
            "Pentecost 2026 is 24 May"
        );
        assert!(names(2027).contains(&("Pentecost".into(), date(2027, 5, 16))));
    }

    #[test]
    fn twelve_holidays_in_2026_sorted_and_named_in_both_languages() {
        let h = public_holidays(2026);
        assert_eq!(h.len(), 12, "Estonia has exactly 12 public holidays");
        let dates: Vec<NaiveDate> = h.iter().map(|h| h.date).collect();
        assert_eq!(
            dates,
            vec![
                date(2026, 1, 1),
                date(2026, 2, 24),
                date(2026, 4, 3),
                date(2026, 4, 5),
                date(2026, 5, 1),
                date(2026, 5, 24),
                date(2026, 6, 23),
                date(2026, 6, 24),
                date(2026, 8, 20),
                date(2026, 12, 24),
                date(2026, 12, 25),
                date(2026, 12, 26),
            ]
        );
        assert!(h
            .iter()
            .all(|h| !h.name.et.is_empty() && !h.name.en.is_empty()));
        assert_eq!(
            holiday(date(2026, 6, 24)).map(|h| h.name),
            Some(Localized::new("jaanipäev", "Midsummer Day"))
        );
        assert_eq!(
            holiday(date(2026, 4, 6)),
            None,
            "Easter Monday is not a holiday in Estonia"
        );
    }

    #[test]
    fn the_quick_holiday_check_agrees_with_the_named_list_for_a_decade() {
        let mut day = date(2020, 1, 1);
        while day <= date(2035, 12, 31) {
            assert_eq!(is_public_holiday(day), holiday(day).is_some(), "{day}");
            day = day.succ_opt().expect("next day");
        }
    }

    #[test]
    fn rest_days_and_next_working_day() {
        assert!(is_rest_day(date(2026, 4, 4)), "Saturday");
        assert!(is_rest_day(date(2026, 4, 3)), "Good Friday");
        assert!(
            !is_rest_day(date(2026, 4, 6)),
            "Easter Monday is a working day"
        );
        assert_eq!(next_working_day_from(date(2026, 4, 6)), date(2026, 4, 6));
        assert_eq!(
            next_working_day_from(date(2026, 4, 3)),
            date(2026, 4, 6),
            "Good Friday, Saturday, Easter Sunday → Monday"
        );
        assert_eq!(
            next_working_day_from(date(2026, 12, 24)),
            date(2026, 12, 28),
            "24, 25 Dec (Thu, Fri) and the weekend 26–27 Dec"
        );
    }

    #[test]
    fn ten_working_days_across_easter_2026() {
        // Event Fri 27.03.2026. Counting: Mon 30.03 (1), Tue 31.03 (2), Wed 1.04 (3), Thu 2.04 (4),
        // Fri 3.04 Good Friday (skip), Sat/Sun 4–5.04 (skip), Mon 6.04 (5), Tue 7.04 (6),
        // Wed 8.04 (7), Thu 9.04 (8), Fri 10.04 (9), Mon 13.04 (10).
        let d = deadline(
            date(2026, 3, 27),
            Period::working_days(10),
            &decision(),
            "HMS § 41; SHS § 70",
        );
        assert_eq!(
            d.due,
            date(2026, 4, 13),
            "Good Friday is not a working day; a coordinator counting it would decide a day late"
        );
        assert_eq!(
            d.unshifted, d.due,
            "the 10th working day is itself a working day"
        );
        assert_eq!(
            d.explanation.et,
            "Otsuse tähtaeg: 10 tööpäeva alates 27.03.2026 (HMS § 41; SHS § 70). \
             03.04.2026 on suur reede – see ei ole tööpäev."
        );
        assert_eq!(
            d.explanation.en,
            "Decision due: 10 working days from 27.03.2026 (HMS § 41; SHS § 70). \
             03.04.2026 is Good Friday – not a working day."
        );
    }

    #[test]
    fn ten_working_days_across_christmas_and_new_year() {
        // Event Fri 18.12.2026. Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 Christmas Eve,
        // Fri 25 Christmas Day, Sat 26 Boxing Day, Sun 27, Mon 28 (4), Tue 29 (5), Wed 30 (6),
        // Thu 31 (7), Fri 1.01 New Year's Day, Sat/Sun 2–3.01, Mon 4 (8), Tue 5 (9), Wed 6.01 (10).
        let d = deadline(
            date(2026, 12, 18),
            Period::working_days(10),
            &decision(),
            "",
        );
        assert_eq!(
            d.due,
            date(2027, 1, 6),
            "24, 25 Dec and 1 Jan fall on weekdays and are not working days"
        );
        assert_eq!(
            d.explanation.et,
            "Otsuse tähtaeg: 10 tööpäeva alates 18.12.2026. 24.12.2026 on jõululaupäev, \
             25.12.2026 esimene jõulupüha, 01.01.2027 uusaasta – need ei ole tööpäevad."
        );
        assert_eq!(
            d.explanation.en,
            "Decision due: 10 working days from 18.12.2026. 24.12.2026 is Christmas Eve, \
             25.12.2026 Christmas Day, 01.01.2027 New Year's Day – not working days."
        );
        assert!(
            !d.explanation.en.contains("Boxing Day"),
            "Boxing Day 2026 is a Saturday; weekends need no mention"
        );
    }

    #[test]
    fn five_working_days_across_midsummer() {
        // Event Fri 19.06.2026. Mon 22 (1), Tue 23 Victory Day, Wed 24 Midsummer Day,
        // Thu 25 (2), Fri 26 (3), Mon 29 (4), Tue 30.06 (5).
        let d = deadline(date(2026, 6, 19), Period::working_days(5), &decision(), "");
        assert_eq!(
            d.due,
            date(2026, 6, 30),
            "Victory Day and Midsummer Day (Tue, Wed) cost two working days"
        );
        assert!(d
            .explanation
            .et
            .contains("23.06.2026 on võidupüha, 24.06.2026 jaanipäev"));
        assert!(d
            .explanation
            .en
            .contains("23.06.2026 is Victory Day, 24.06.2026 Midsummer Day"));
    }

    #[test]
    fn working_days_without_holidays_have_no_holiday_note() {
        // Mon 9.03.2026 + 5 working days: Tue 10 .. Fri 13 (4), Mon 16.03 (5).
        let d = deadline(date(2026, 3, 9), Period::working_days(5), &decision(), "");
        assert_eq!(d.due, date(2026, 3, 16), "a plain week plus a weekend");
        assert_eq!(
            d.explanation.en,
            "Decision due: 5 working days from 09.03.2026."
        );
    }

    #[test]
    fn sixty_days_ending_on_saturday_moves_to_monday() {
        // Tue 6.01.2026 + 60 days = Sat 7.03.2026 (25 days left in January, 28 in February, 7).
        let d = deadline(
            date(2026, 1, 6),
            Period::calendar_days(60),
            &decision(),
            "SHS § 70",
        );
        assert_eq!(d.unshifted, date(2026, 3, 7));
        assert_eq!(d.unshifted.weekday(), Weekday::Sat);
        assert_eq!(
            d.due,
            date(2026, 3, 9),
            "a Saturday deadline moves to Monday"
        );
        assert_eq!(
            d.explanation.et,
            "Otsuse tähtaeg: 60 päeva alates 06.01.2026 (SHS § 70). Tähtaja viimane päev \
             07.03.2026 on laupäev, seepärast nihkub tähtaeg järgmisele tööpäevale 09.03.2026."
        );
        assert_eq!(
            d.explanation.en,
            "Decision due: 60 days from 06.01.2026 (SHS § 70). The last day 07.03.2026 is a \
             Saturday, so the deadline moves to the next working day, 09.03.2026."
        );
    }

    #[test]
    fn thirty_days_ending_on_christmas_eve_moves_past_christmas_and_the_weekend() {
        // Tue 24.11.2026 + 30 days = Thu 24.12.2026; 25.12 (Fri) Christmas Day, 26–27.12 weekend.
        let d = deadline(
            date(2026, 11, 24),
            Period::calendar_days(30),
            &decision(),
            "",
        );
        assert_eq!(d.unshifted, date(2026, 12, 24));
        assert_eq!(
            d.due,
            date(2026, 12, 28),
            "Christmas Eve, Christmas Day, Boxing Day and Sunday are all rest days"
        );
        assert!(d.explanation.et.contains("24.12.2026 on jõululaupäev"));
        assert!(d.explanation.en.contains("24.12.2026 is Christmas Eve"));
    }

    #[test]
    fn thirty_days_on_a_working_day_is_not_moved() {
        // Mon 2.03.2026 + 30 days = Wed 1.04.2026.
        let d = deadline(date(2026, 3, 2), Period::calendar_days(30), &decision(), "");
        assert_eq!(d.due, date(2026, 4, 1));
        assert_eq!(d.unshifted, d.due, "a working day is not moved");
        assert_eq!(
            d.explanation.et,
            "Otsuse tähtaeg: 30 päeva alates 02.03.2026."
        );
    }

    #[test]
    fn thirty_days_ending_on_good_friday_moves_past_easter() {
        // Wed 4.03.2026 + 30 days = Fri 3.04.2026 (Good Friday), Sat 4, Easter Sunday 5 → Mon 6.04.
        let d = deadline(date(2026, 3, 4), Period::calendar_days(30), &decision(), "");
        assert_eq!(d.due, date(2026, 4, 6), "Good Friday is a rest day");
        assert!(d.explanation.et.contains("03.04.2026 on suur reede"));
        assert!(d.explanation.en.contains("03.04.2026 is Good Friday"));
    }

    #[test]
    fn christmas_day_on_saturday_is_named_as_the_holiday() {
        // Thu 25.11.2027 + 30 days = Sat 25.12.2027, Christmas Day; Sun 26 Boxing Day → Mon 27.
        let d = deadline(
            date(2027, 11, 25),
            Period::calendar_days(30),
            &decision(),
            "",
        );
        assert_eq!(d.due, date(2027, 12, 27));
        assert_eq!(
            d.explanation.et,
            "Otsuse tähtaeg: 30 päeva alates 25.11.2027. Tähtaja viimane päev 25.12.2027 on \
             esimene jõulupüha, seepärast nihkub tähtaeg järgmisele tööpäevale 27.12.2027."
        );
        assert_eq!(
            d.explanation.en,
            "Decision due: 30 days from 25.11.2027. The last day 25.12.2027 is Christmas Day, \
             so the deadline moves to the next working day, 27.12.2027."
        );
    }

    #[test]
    fn one_month_from_31_january_clamps_to_end_of_february() {
        let what = Localized::new("Tähtaeg", "Due");
        let d = deadline(date(2027, 1, 31), Period::months(1), &what, "");
        assert_eq!(d.unshifted, date(2027, 2, 28), "February 2027 has 28 days");
        assert_eq!(
            d.due,
            date(2027, 3, 1),
            "28.02.2027 is a Sunday, so the deadline moves to Monday"
        );
        assert!(d.explanation.en.contains("1 month from 31.01.2027"));
        assert!(d.explanation.et.contains("1 kuu alates 31.01.2027"));
        assert!(d.explanation.et.contains("28.02.2027 on pühapäev"));
        assert!(d.explanation.en.contains("28.02.2027 is a Sunday"));

        let leap = deadline(date(2028, 1, 31), Period::months(1), &what, "");
        assert_eq!(
            leap.due,
            date(2028, 2, 29),
            "2028 is a leap year; Tue 29.02 is a working day"
        );
        assert_eq!(leap.unshifted, leap.due);
    }

    #[test]
    fn twenty_four_months() {
        let what = Localized::new("Teenuse lõpp", "Service ends");
        let d = deadline(date(2026, 3, 15), Period::months(24), &what, "");
        assert_eq!(d.due, date(2028, 3, 15), "Wed 15.03.2028, two years later");
        assert_eq!(d.explanation.et, "Teenuse lõpp: 24 kuud alates 15.03.2026.");
        assert_eq!(d.explanation.en, "Service ends: 24 months from 15.03.2026.");

        // 24.12.2025 + 24 months = Fri 24.12.2027; Sat 25 and Sun 26 are holidays too.
        let xmas = deadline(date(2025, 12, 24), Period::months(24), &what, "");
        assert_eq!(
            xmas.due,
            date(2027, 12, 27),
            "Christmas 2027 ends on Monday 27.12"
        );
    }

    #[test]
    fn counting_starts_the_day_after_an_event_on_a_rest_day() {
        // Event Sun 29.03.2026: the first working day after it is Mon 30.03.
        let d = deadline(date(2026, 3, 29), Period::working_days(1), &decision(), "");
        assert_eq!(d.due, date(2026, 3, 30), "the event day never counts");
        assert!(d.explanation.en.contains("1 working day from 29.03.2026"));
        assert!(d.explanation.et.contains("1 tööpäev alates 29.03.2026"));

        // Event on Good Friday 3.04.2026: Sat, Easter Sunday, then Mon 6.04 is the 1st working day.
        let gf = deadline(date(2026, 4, 3), Period::working_days(1), &decision(), "");
        assert_eq!(gf.due, date(2026, 4, 6));
        assert!(
            !gf.explanation.en.contains("Good Friday"),
            "the event day itself is not inside the counted span"
        );

        // Event Sat 28.03.2026 + 1 day = Sun 29.03 → Mon 30.03.
        let cal = deadline(date(2026, 3, 28), Period::calendar_days(1), &decision(), "");
        assert_eq!(cal.unshifted, date(2026, 3, 29));
        assert_eq!(cal.due, date(2026, 3, 30));
        assert!(cal.explanation.et.contains("1 päev alates 28.03.2026"));
        assert!(cal.explanation.en.contains("1 day from 28.03.2026"));
    }

    #[test]
    fn days_left_is_negative_when_overdue() {
        let due = date(2026, 4, 13);
        assert_eq!(days_left(due, date(2026, 4, 10)), 3);
        assert_eq!(days_left(due, due), 0, "due today");
        assert_eq!(days_left(due, date(2026, 4, 15)), -2, "two days overdue");
        assert_eq!(
            days_left(date(2027, 1, 6), date(2026, 12, 18)),
            19,
            "across the year end"
        );
    }

    #[test]
    fn period_serialises_for_the_ui_and_settings() {
        let p: Period = serde_json::from_str(r#"{"count":10,"unit":"working_days"}"#)
            .expect("period from settings");
        assert_eq!(p, Period::working_days(10));
        let d = deadline(date(2026, 3, 27), p, &decision(), "");
        let json = serde_json::to_value(&d).expect("serialise deadline");
        assert_eq!(json["due"], "2026-04-13");
        assert_eq!(json["unshifted"], "2026-04-13");
        assert!(json["explanation"]["et"].is_string());
    }
}
