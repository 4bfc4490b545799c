//! Network meetings (võrgustikukohtumine) of a case: date, time and place or video link, the
//! participants (picked from the case's guardians, the municipality's worker and the
//! coordinator, or typed freely) with their role and presence, the agenda, the notes (those for
//! the minutes and the coordinator's private ones), the decisions and the agreed actions with
//! what, who, due date and done date. Also the agenda templates for a first and a follow-up
//! meeting. Owns meeting_template, meeting, meeting_participant, meeting_action,
//! meeting_held_field.
//!
//! The notes draft is saved as typed, never trimmed or judged, so that reopening a meeting shows
//! exactly what was on screen; only its size is limited. A field refused for its size does not
//! stop the others: they are saved, and its text is held in meeting_held_field (in the encrypted
//! desk) until it is corrected, so that a restart puts it back with its message. Agreed actions follow rules (see
//! [`validate_action`], [`check_done`], [`order_actions`]).

pub(crate) mod minutes;

use crate::store::cached::CachedSql;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, HeldField, Localized, Result};

pub const KINDS: [&str; 3] = ["first", "follow_up", "other"];
pub const TEMPLATE_CODES: [&str; 2] = ["first", "follow_up"];
pub const SOURCES: [&str; 4] = ["guardian", "kov", "provider", "other"];
pub const PRESENCES: [&str; 2] = ["present", "absent"];

/// The longest text field of a meeting (notes, private notes, decisions, agenda), in characters.
pub const MAX_TEXT: usize = 200_000;
const MAX_PARTICIPANTS: usize = 60;
const MAX_SHORT: usize = 200;
const MAX_LINK: usize = 500;
const MAX_WHAT: usize = 1000;
const MAX_AGENDA_ITEMS: usize = 40;

fn ts(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

mod actions;
mod meeting;
mod templates;

pub use actions::*;
pub use meeting::*;
pub use templates::*;

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["meeting"];

/// Retention: delete the case's rows this part owns — the meetings (participants, agreed actions
/// and held text cascade). Called by `trust::privacy::delete_due` in its transaction, the parts
/// above first.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    fn input(what: &str, owner: &str, due: &str, confirm: bool) -> ActionInput {
        ActionInput {
            what: what.into(),
            owner: owner.into(),
            due_date: due.into(),
            confirm_early_due: confirm,
        }
    }

    fn codes(e: Error) -> Vec<(String, String)> {
        match e {
            Error::Validation(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("expected a validation error, got {other}"),
        }
    }

    #[test]
    fn an_action_due_before_the_meeting_is_refused_until_confirmed() {
        let meeting = d(2026, 11, 25);
        let e = validate_action(&input("Saata plaan", "Kadri", "24.11.2026", false), meeting)
            .expect_err("a due date the day before the meeting needs confirming");
        assert_eq!(
            codes(e),
            vec![("dueDate".into(), "action.due_before_meeting".into())]
        );
        let ok = validate_action(&input("Saata plaan", "Kadri", "24.11.2026", true), meeting)
            .expect("a confirmed earlier date is kept");
        assert_eq!(ok.due, d(2026, 11, 24));
        assert!(ok.early_due_confirmed, "the confirmation is remembered");
        let same_day = validate_action(&input("Helistada", "KOV", "2026-11-25", false), meeting)
            .expect("due on the meeting day itself needs no confirmation");
        assert!(!same_day.early_due_confirmed);
    }

    #[test]
    fn what_who_and_a_real_due_date_are_required() {
        let meeting = d(2026, 11, 25);
        let e = validate_action(&input("  ", "", "", false), meeting).expect_err("empty");
        assert_eq!(
            codes(e),
            vec![
                ("what".into(), "required".into()),
                ("owner".into(), "required".into()),
                ("dueDate".into(), "required".into()),
            ]
        );
        let e = validate_action(&input("x", "y", "31.02.2027", false), meeting).expect_err("bad");
        assert_eq!(codes(e), vec![("dueDate".into(), "date.invalid".into())]);
        let e = validate_action(&input("x", "y", "01.01.2036", false), meeting).expect_err("far");
        assert_eq!(codes(e), vec![("dueDate".into(), "date.too_late".into())]);
        let ok = validate_action(&input("  Saata  ", " Kadri ", "1.12.2026", false), meeting)
            .expect("valid");
        assert_eq!((ok.what.as_str(), ok.owner.as_str()), ("Saata", "Kadri"));
    }

    #[test]
    fn done_needs_a_real_date_between_the_meeting_and_today() {
        let meeting = d(2026, 11, 20);
        let today = d(2026, 11, 25);
        let code = |s: &str| check_done(s, meeting, today).map_err(codes);
        assert_eq!(
            code(""),
            Err(vec![("doneOn".into(), "required".into())]),
            "done without a date is refused"
        );
        assert_eq!(
            code("kolmapäeval"),
            Err(vec![("doneOn".into(), "date.format".into())])
        );
        assert_eq!(
            code("26.11.2026"),
            Err(vec![("doneOn".into(), "date.future".into())])
        );
        assert_eq!(
            code("19.11.2026"),
            Err(vec![("doneOn".into(), "action.done_before_meeting".into())])
        );
        assert_eq!(code("20.11.2026"), Ok(meeting));
        assert_eq!(code("2026-11-25"), Ok(today));
    }

    #[test]
    fn urgency_bands_match_the_dashboard() {
        let today = d(2026, 11, 25);
        assert_eq!(urgency(d(2026, 11, 23), today), ("overdue", -2));
        assert_eq!(urgency(today, today), ("today", 0));
        assert_eq!(urgency(d(2026, 11, 26), today), ("week", 1));
        assert_eq!(urgency(d(2026, 12, 2), today), ("week", 7));
        assert_eq!(urgency(d(2026, 12, 3), today), ("later", 8));
    }

    #[test]
    fn actions_are_ordered_overdue_first_then_today_week_later_and_done_last() {
        let today = d(2026, 11, 25);
        let mk = |id: i64, due: NaiveDate, done: Option<NaiveDate>| {
            let (band, days) = urgency(due, today);
            Action {
                id,
                meeting_id: 1,
                what: format!("a{id}"),
                owner: "x".into(),
                due_date: due,
                early_due_confirmed: false,
                done_on: done,
                urgency: if done.is_some() { "done" } else { band }.into(),
                days_left: days,
            }
        };
        let mut list = vec![
            mk(1, d(2026, 12, 20), None),                  // later
            mk(2, d(2026, 11, 20), Some(d(2026, 11, 21))), // done earlier
            mk(3, today, None),                            // today
            mk(4, d(2026, 11, 27), None),                  // this week
            mk(5, d(2026, 11, 22), None),                  // overdue 3 days
            mk(6, d(2026, 11, 24), None),                  // overdue 1 day
            mk(7, d(2026, 11, 10), Some(d(2026, 11, 24))), // done recently
            mk(8, today, None),                            // today, agreed later than 3
        ];
        order_actions(&mut list);
        let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
        assert_eq!(ids, vec![5, 6, 3, 8, 4, 1, 7, 2]);
        let bands: Vec<&str> = list.iter().map(|a| a.urgency.as_str()).collect();
        assert_eq!(
            bands,
            vec!["overdue", "overdue", "today", "today", "week", "later", "done", "done"]
        );
    }

    #[test]
    fn agenda_items_are_read_one_per_line_without_bullets() {
        assert_eq!(
            agenda_items(
                "1. Tutvustus\n\n- Eesmärgid\n  * Kokkulepped  \n2) Järgmine aeg\n2026. aasta"
            ),
            vec![
                "Tutvustus",
                "Eesmärgid",
                "Kokkulepped",
                "Järgmine aeg",
                "2026. aasta"
            ]
        );
    }

    #[test]
    fn the_meeting_time_and_link_are_checked() {
        let app = d(2026, 11, 1);
        let today = d(2026, 11, 25);
        let base = MeetingInput {
            kind: "first".into(),
            date: "26.11.2026".into(),
            time: "9.30".into(),
            place: " Tallinna Lastekeskus ".into(),
            video_link: String::new(),
        };
        let ok = validate_meeting(&base, app, today).expect("valid");
        assert_eq!(ok.time, "09:30");
        assert_eq!(ok.place, "Tallinna Lastekeskus");
        let bad = MeetingInput {
            time: "25:00".into(),
            video_link: "teams meeting".into(),
            kind: "party".into(),
            ..base.clone()
        };
        let mut got = codes(validate_meeting(&bad, app, today).expect_err("bad"));
        got.sort();
        assert_eq!(
            got,
            vec![
                ("kind".into(), "invalid_choice".into()),
                ("time".into(), "time.invalid".into()),
                ("videoLink".into(), "link.invalid".into()),
            ]
        );
        let link = MeetingInput {
            video_link: "https://meet.example.invalid/abc-def".into(),
            time: String::new(),
            ..base
        };
        assert!(validate_meeting(&link, app, today).is_ok());
    }

    #[test]
    fn a_draft_keeps_text_as_typed_and_refuses_only_what_cannot_be_stored() {
        let mut draft = MeetingDraft {
            notes: "  - ema: \"hommikud on rasked\"\n\n\t<b>ei ole HTML</b>  ".into(),
            participants: vec![Participant {
                source: "other".into(),
                presence: "present".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(
            check_draft(&draft).is_ok(),
            "a participant without a name is kept while typing"
        );
        draft.private_notes = "x".repeat(MAX_TEXT + 1);
        draft.participants[0].presence = "maybe".into();
        let mut got = codes(check_draft(&draft).expect_err("too long"));
        got.sort();
        assert_eq!(
            got,
            vec![
                ("participants.0".into(), "invalid_choice".into()),
                ("privateNotes".into(), "too_long".into()),
            ]
        );
    }
}
