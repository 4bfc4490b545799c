//! Applications and cases: the child, the guardians, the route into the service, the case status
//! and its history. Owns the tables child, srt_case, guardian, case_status_change, case_search.

pub mod ids;
pub mod places;
pub mod search;

use crate::clock::ts;
use crate::values::{date_error, is_email, is_phone, page_bounds, parse_date};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::cases::ids::{PersonalCode, Sex};
use crate::error::{Error, FieldError, Localized, Result};

mod intake;
mod list;
mod requests;
mod status;
mod view;

pub use intake::*;
pub use list::*;
pub use requests::*;
pub use status::*;
pub use view::*;

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["global_search", "case_status_change", "guardian"];

/// Retention: delete the case itself — its search entries, status history, guardians and the
/// case row — and the child when no other case refers to them. The last step of
/// `trust::privacy::delete_due`, after every part above has deleted its rows of the case.
pub(crate) fn delete_case_rows(conn: &Connection, case_id: i64) -> Result<()> {
    let child_id: i64 = conn.query_row(
        "SELECT child_id FROM srt_case WHERE id = ?1",
        [case_id],
        |r| r.get(0),
    )?;
    conn.execute("DELETE FROM case_search WHERE rowid = ?1", [case_id])?;
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)?;
    conn.execute("DELETE FROM srt_case WHERE id = ?1", [case_id])?;
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM srt_case WHERE child_id = ?1",
        [child_id],
        |r| r.get(0),
    )?;
    if others == 0 {
        conn.execute("DELETE FROM child WHERE id = ?1", [child_id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;
    use crate::values::{date_error, parse_date};
    use chrono::NaiveDate;

    /// A typed date, or [`date_error`] for it.
    fn date_in(field: &str, text: &str) -> std::result::Result<NaiveDate, FieldError> {
        parse_date(text).ok_or_else(|| date_error(field, text))
    }
    use CaseStatus::*;

    #[test]
    fn the_process_moves_forward_and_may_close_at_any_open_step() {
        assert!(Received.can_move_to(InAssessment));
        assert!(Received.can_move_to(Incomplete));
        assert!(Incomplete.can_move_to(InAssessment));
        assert!(InAssessment.can_move_to(Decided));
        assert!(Decided.can_move_to(ProviderChosen));
        assert!(ProviderChosen.can_move_to(InService));
        assert!(InService.can_move_to(Closed));
        for s in CaseStatus::ALL.iter().filter(|s| s.is_open()) {
            assert!(s.can_move_to(Closed), "{s:?} can be closed");
        }
    }

    #[test]
    fn no_skipping_steps_no_going_back_no_reopening() {
        assert!(
            !Received.can_move_to(Decided),
            "no decision without assessment"
        );
        assert!(!Received.can_move_to(InService));
        assert!(!Decided.can_move_to(InAssessment));
        assert!(!InService.can_move_to(ProviderChosen));
        assert!(Closed.next().is_empty(), "a closed case stays closed");
        for s in CaseStatus::ALL {
            assert!(!s.can_move_to(s), "{s:?} cannot move to itself");
        }
    }

    #[test]
    fn reason_required_when_closing_or_asking_to_fix() {
        assert!(CaseStatus::reason_required_for(Closed));
        assert!(CaseStatus::reason_required_for(Incomplete));
        assert!(!CaseStatus::reason_required_for(InAssessment));
    }

    #[test]
    fn status_codes_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CaseStatus::parse("open"), None);
    }

    #[test]
    fn a_date_in_the_wrong_form_and_a_day_that_does_not_exist_each_have_one_message() {
        // 31.11.2026 is written right: the coordinator must hear that November has no 31st,
        // not to write the date "as dd.mm.yyyy" (which it already is).
        let impossible = [
            date_error("serviceDate", "31.11.2026"),
            date_error("serviceDate", "2026-11-31"),
            date_error("validFrom", "29.02.2027"),
        ];
        for e in &impossible {
            assert_eq!(e.code, "date.invalid");
            assert_eq!(
                e.message.et,
                "Sellist kuupäeva ei ole: kontrolli päeva ja kuud."
            );
        }
        for text in ["1.11.26", "eile", "31/11", "2026.11.30"] {
            let e = date_error("serviceDate", text);
            assert_eq!(e.code, "date.format", "{text}");
            assert_eq!(
                e.message.et, "Sisesta kuupäev kujul pp.kk.aaaa, nt 05.03.2026.",
                "{text}"
            );
        }
        assert_eq!(date_error("x", "  ").code, "required");
        assert_eq!(
            date_in("x", "5.3.2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 5).expect("day"))
        );
    }

    #[test]
    fn dates_in_both_formats_and_impossible_dates() {
        assert_eq!(
            parse_date("2026-03-01"),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        assert_eq!(
            parse_date("01.03.2026"),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        assert_eq!(parse_date("2026-02-30"), None);
        // A year of two digits is not read as the year 26 (or 0026).
        assert_eq!(parse_date("1.1.26"), None);
        assert_eq!(parse_date("01.12.26"), None);
        assert_eq!(parse_date("26-12-01"), None);
        assert_eq!(
            parse_date("0026-12-01"),
            None,
            "no date of this work is before 1900"
        );
        assert_eq!(parse_date("1.1.2026"), NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(parse_date("29.02.2025"), None);
        assert_eq!(
            parse_date("29.02.2024"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn contact_shapes() {
        assert!(is_email("mari.maasikas@example.ee"));
        assert!(!is_email("mari@"));
        assert!(!is_email("mari example.ee"));
        assert!(!is_email("a@b@c.ee"));
        assert!(is_phone("+372 5123 4567"));
        assert!(is_phone("5123456"));
        assert!(!is_phone("12"));
        assert!(!is_phone("51a23456"));
        assert!(!is_phone("51+23456"));
    }
}
