//! Decisions: referral, refusal, amendment and termination letters drafted from the case and the
//! signed assessment, with the standard texts (templates with placeholders such as
//! `{{laps.nimi}}`), the annex of euro amounts per activity and calendar year within the yearly
//! cap, the check before approval, the number given once at approval, the frozen text and PDF
//! filed on the case, and the delivery date that starts the challenge and provider deadlines.
//! Owns decision_settings, decision_sequence, decision_template, decision (the yearly cap is the prices part's).

pub mod letter_pdf;

use crate::store::cached::CachedSql;
use crate::values::parse_money;
use std::collections::BTreeMap;

use crate::clock::ts;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, Localized, Result};
use crate::prices::yearly_cap;

pub const KINDS: [&str; 4] = ["referral", "refusal", "amendment", "termination"];
pub const DELIVERIES: [&str; 4] = ["email", "post", "in_person", "eesti_ee"];
pub const LANGUAGES: [&str; 3] = ["et", "ru", "en"];

fn fmt(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

mod annex;
mod approve;
mod check;
mod draft;
mod editor;
mod letter;
mod placeholders;
mod settings;
mod templates;

pub use annex::*;
pub use approve::*;
pub use check::*;
pub use draft::*;
pub use editor::*;
pub use letter::*;
pub use placeholders::*;
pub use settings::*;
pub use templates::*;

/// The tables of this part that hold rows of one case (a `case_id` column).
pub(crate) const CASE_TABLES: &[&str] = &["decision"];

/// Retention: delete the case's rows this part owns — the decisions (their grants, signatures and
/// deliveries cascade). Called by `trust::privacy::delete_due` in its transaction, the parts above
/// first.
pub(crate) fn delete_case_rows(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> crate::error::Result<()> {
    crate::store::delete_case_rows(conn, CASE_TABLES, case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn vals() -> BTreeMap<&'static str, String> {
        let mut v = BTreeMap::new();
        v.insert("laps.nimi", "Mirtel Näidis-Õunapuu".to_string());
        v.insert("otsus.number", "K000001".to_string());
        v
    }

    #[test]
    fn placeholders_are_filled_and_unknown_names_are_errors_not_blanks() {
        let (text, problems) = fill("Laps {{laps.nimi}}, otsus {{ otsus.number }}.", &vals());
        assert_eq!(text, "Laps Mirtel Näidis-Õunapuu, otsus K000001.");
        assert!(problems.is_empty());

        let (text, problems) = fill("Tere {{laps.nimmi}}!", &vals());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "unknown");
        assert_eq!(problems[0].name, "laps.nimmi");
        assert_eq!(problems[0].offset, 5);
        assert_eq!(
            text, "Tere {{laps.nimmi}}!",
            "the mistake stays visible in the preview"
        );
        assert!(problems[0].message().et.contains("{{laps.nimmi}}"));
    }

    #[test]
    fn unclosed_and_empty_placeholders_are_reported() {
        let p = check_placeholders("Laps {{laps.nimi");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].code, "unclosed");
        let p = check_placeholders("{{ }} ja {{laps.nimi}}");
        assert_eq!(
            p.iter().map(|x| x.code.as_str()).collect::<Vec<_>>(),
            ["empty"]
        );
        let p = check_placeholders("{{a {{laps.nimi}}");
        assert_eq!(p[0].code, "unclosed", "an unclosed one before a good one");
    }

    #[test]
    fn escaping_writes_braces_and_values_are_never_read_as_placeholders() {
        let (text, problems) = fill(r"Kirjuta \{{laps.nimi}} nii.", &vals());
        assert!(problems.is_empty());
        assert_eq!(text, "Kirjuta {{laps.nimi}} nii.");
        let mut v = vals();
        v.insert("laps.nimi", "{{otsus.number}} <b>&".to_string());
        let (text, problems) = fill("{{laps.nimi}}", &v);
        assert!(problems.is_empty());
        assert_eq!(
            text, "{{otsus.number}} <b>&",
            "a value goes in as it is, once"
        );
        assert!(check_placeholders("Üks } ja }} ja { üksi").is_empty());
    }

    #[test]
    fn every_seeded_template_uses_only_known_placeholders() {
        let list: Vec<Template> =
            serde_json::from_str(crate::store::migrate::DECISION_TEMPLATES_JSON).expect("json");
        for t in &list {
            assert!(
                check_placeholders(&t.body).is_empty(),
                "{} {}",
                t.code,
                t.lang
            );
        }
        for kind in KINDS {
            for lang in LANGUAGES {
                assert!(
                    list.iter()
                        .any(|t| t.code == format!("summary.{kind}") && t.lang == lang),
                    "summary.{kind} in {lang}"
                );
            }
        }
    }

    #[test]
    fn money_is_read_as_typed_to_the_cent() {
        assert_eq!(parse_money("1 234,56"), Some(123_456));
        assert_eq!(parse_money("1234.5"), Some(123_450));
        assert_eq!(parse_money("80"), Some(8000));
        assert_eq!(parse_money("0,05 €"), Some(5));
        assert_eq!(parse_money(""), Some(0));
        assert_eq!(parse_money("12,345"), None, "no fractions of a cent");
        assert_eq!(parse_money("-5"), None);
        assert_eq!(parse_money("kaks"), None);
        assert_eq!(parse_money("1,2,3"), None);
    }

    #[test]
    fn annex_cents_split_over_two_calendar_years_add_up_exactly() {
        // 40 h of psychology at 29.40 €/h = 1176.00 €, 01.07.2026–30.06.2028 spans three years.
        let total = cost_cents(40.0, 2940);
        assert_eq!(total, 117_600);
        let split = split_by_year(total, d(2026, 7, 1), d(2027, 6, 30));
        assert_eq!(
            split.iter().map(|a| a.year).collect::<Vec<_>>(),
            [2026, 2027]
        );
        // 184 of 365 days fall in 2026.
        assert_eq!(split[0].cents, 117_600 * 184 / 365);
        assert_eq!(split[0].cents, 59_283);
        assert_eq!(split[1].cents, 58_317);
        assert_eq!(
            split.iter().map(|a| a.cents).sum::<i64>(),
            total,
            "no cent lost or made"
        );
        // 1.5 h at 29.80 €/h = 44.70 €; 0.333 h rounds to 0.33 h.
        assert_eq!(cost_cents(1.5, 2980), 4470);
        assert_eq!(cost_cents(0.333, 2980), 983);
        // One year only: all of it.
        assert_eq!(
            split_by_year(100, d(2026, 1, 1), d(2026, 12, 31)),
            vec![YearAmount {
                year: 2026,
                cents: 100
            }]
        );
        assert_eq!(years_of(d(2026, 12, 1), d(2028, 1, 31)), [2026, 2027, 2028]);
    }

    #[test]
    fn a_line_counts_only_its_own_year() {
        let line = AnnexLine {
            code: "2010".into(),
            amounts: vec![
                YearAmount {
                    year: 2026,
                    cents: 500,
                },
                YearAmount {
                    year: 2027,
                    cents: 250,
                },
            ],
        };
        assert_eq!(line.cents_in(2026), 500);
        assert_eq!(line.cents_in(2027), 250);
        assert_eq!(line.cents_in(2028), 0);
    }

    /// A case in assessment with a signed assessment (psychologist 40 h, speech therapist 30 h)
    /// and a fresh referral draft, in memory; "today" is 25.11.2026.
    fn drafted() -> (Connection, Decision, Facts) {
        use chrono::TimeZone;
        let mut conn = Connection::open_in_memory().expect("memory db");
        crate::store::migrate::migrations()
            .to_latest(&mut conn)
            .expect("migrate");
        let today = d(2026, 11, 25);
        let now = Utc
            .with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .single()
            .expect("time");
        let tx = conn.transaction().expect("tx");
        let app = crate::cases::ApplicationInput {
            child: crate::cases::ChildInput {
                first_name: "Mirtel".into(),
                last_name: "Näidis".into(),
                personal_code: "61303150029".into(),
                municipality_code: "0784".into(),
                ..Default::default()
            },
            guardians: vec![crate::cases::GuardianInput {
                first_name: "Kadri".into(),
                last_name: "Näidis".into(),
                email: "kadri@example.invalid".into(),
                language: "et".into(),
                delivery: "email".into(),
                relation: "parent".into(),
                ..Default::default()
            }],
            route: crate::cases::RouteInput {
                kind: "disability".into(),
                severity: "moderate".into(),
                ..Default::default()
            },
            application_date: "2026-11-20".into(),
            channel: "email".into(),
            notes: String::new(),
        };
        let valid = crate::cases::validate_application(&tx, &app, today).expect("valid");
        let case_id = crate::cases::register(&tx, &valid, now).expect("register");
        crate::cases::change_status(&tx, case_id, "in_assessment", "", now).expect("status");
        let draft = crate::casework::assessment::AssessmentDraft {
            areas: crate::casework::assessment::AREAS
                .iter()
                .map(|a| crate::casework::assessment::AreaAssessment {
                    area: a.to_string(),
                    level: "some".into(),
                    notes: String::new(),
                })
                .collect(),
            activities: vec![
                crate::casework::assessment::ActivityNeed {
                    code: "2010".into(),
                    hours: 40.0,
                },
                crate::casework::assessment::ActivityNeed {
                    code: "2013".into(),
                    hours: 30.0,
                },
            ],
            ..Default::default()
        };
        crate::casework::assessment::save_draft(&tx, case_id, &draft, &[], now)
            .expect("assessment");
        crate::casework::assessment::sign(&tx, case_id, "2026-11-24", "Mari", today, now)
            .expect("sign");
        let id = create(&tx, case_id, "referral", today, now).expect("draft");
        tx.commit().expect("commit");
        let decision = get(&conn, id).expect("get");
        let mari = crate::store::prefs::Coordinator {
            name: "Mari".into(),
            ..Default::default()
        };
        let f = facts(&conn, case_id, &mari, today).expect("facts");
        (conn, decision, f)
    }

    fn check_codes(conn: &Connection, dec: &Decision, f: &Facts) -> (Vec<String>, Vec<String>) {
        let c = check(conn, dec, f, d(2026, 11, 25)).expect("check");
        (
            c.errors.into_iter().map(|i| i.code).collect(),
            c.warnings.into_iter().map(|i| i.code).collect(),
        )
    }

    #[test]
    fn a_fresh_referral_draft_passes_the_check_but_asks_about_providers() {
        let (conn, dec, f) = drafted();
        assert_eq!(dec.valid_from, Some(d(2026, 11, 26)));
        assert_eq!(
            dec.valid_to,
            Some(d(2028, 11, 25)),
            "24 months, the longest allowed"
        );
        let total: i64 = dec
            .annex
            .iter()
            .flat_map(|l| &l.amounts)
            .map(|a| a.cents)
            .sum();
        assert_eq!(total, 117_600 + 89_400, "40 h × 29.40 € + 30 h × 29.80 €");
        let (errors, warnings) = check_codes(&conn, &dec, &f);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(warnings, ["providers.empty"]);
    }

    #[test]
    fn the_check_lists_every_error_that_blocks_approval() {
        let (conn, mut dec, f) = drafted();
        dec.valid_to = Some(d(2028, 11, 26));
        dec.reasoning = " ".into();
        dec.legal_basis = String::new();
        dec.delivery = "post".into();
        dec.addressee_address = String::new();
        dec.annex.push(AnnexLine {
            code: "2001".into(),
            amounts: vec![
                YearAmount {
                    year: 2027,
                    cents: 270_000,
                },
                YearAmount {
                    year: 2030,
                    cents: 100,
                },
            ],
        });
        dec.operative.push_str(" {{laps.nimi");
        let (errors, _) = check_codes(&conn, &dec, &f);
        for code in [
            "validity.too_long",
            "reasoning.missing",
            "legalBasis.missing",
            "delivery.address_missing",
            "annex.not_assessed",
            "annex.year_outside",
            "annex.over_cap",
            "placeholder.unclosed",
        ] {
            assert!(
                errors.iter().any(|e| e == code),
                "{code} missing from {errors:?}"
            );
        }
    }

    #[test]
    fn the_cap_is_per_calendar_year_and_exactly_the_cap_is_allowed() {
        let (conn, mut dec, f) = drafted();
        dec.providers = vec!["Teenuseosutaja".into()];
        dec.annex = vec![AnnexLine {
            code: "2010".into(),
            amounts: vec![
                YearAmount {
                    year: 2027,
                    cents: 269_500,
                },
                YearAmount {
                    year: 2028,
                    cents: 269_500,
                },
            ],
        }];
        let (errors, warnings) = check_codes(&conn, &dec, &f);
        assert!(
            errors.is_empty(),
            "exactly 2695.00 € a year is within the cap: {errors:?}"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        dec.annex[0].amounts[1].cents += 1;
        let c = check(&conn, &dec, &f, d(2026, 11, 25)).expect("check");
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].field, "annex.total.2028");
        assert!(
            c.errors[0].message.et.contains("0,01"),
            "{}",
            c.errors[0].message.et
        );
    }

    #[test]
    fn a_late_decision_needs_its_reason_and_then_only_a_confirmation() {
        let (conn, mut dec, f) = drafted();
        dec.providers = vec!["Teenuseosutaja".into()];
        // Due 10 working days after 20.11.2026: 04.12.2026.
        dec.decision_date = Some(d(2026, 12, 7));
        dec.valid_from = Some(d(2026, 12, 8));
        let c = check(&conn, &dec, &f, d(2026, 12, 8)).expect("check");
        assert_eq!(
            c.errors.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            ["date.late_reason_missing"]
        );
        assert!(c.errors[0].message.et.contains("04.12.2026"));
        dec.late_reason = "Ootasime arsti hinnangut.".into();
        let c = check(&conn, &dec, &f, d(2026, 12, 8)).expect("check");
        assert!(c.errors.is_empty());
        assert_eq!(c.warning_codes(), "date.late");
        dec.decision_date = Some(d(2026, 12, 9));
        let c = check(&conn, &dec, &f, d(2026, 12, 8)).expect("check");
        assert_eq!(c.errors[0].code, "date.future");
    }

    #[test]
    fn the_registration_deadline_is_a_date_only_from_the_day_of_receipt() {
        let (conn, mut dec, _) = drafted();
        dec.decision_date = Some(d(2026, 11, 25));
        assert_eq!(
            registration_deadline(&conn, &dec, "et").expect("words"),
            "60. päeval pärast otsuse kättesaamist (kui see on puhkepäev, siis järgmisel tööpäeval)",
            "not 25.01.2027: 60 days from the decision date is earlier than the law's"
        );
        // Received 01.12.2026: + 60 days is Saturday 30.01.2027, so Monday 01.02.2027.
        dec.delivered_on = Some(d(2026, 12, 1));
        assert_eq!(
            registration_deadline(&conn, &dec, "ru").expect("date"),
            "01.02.2027",
            "the rest-day roll-over"
        );
    }
}
