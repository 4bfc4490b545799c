//! The annex's per-year rule: the amounts follow when the activities are planned. The
//! rehabilitation plan (1001) is made at the start, so its whole amount stands in the year the
//! referral begins and a plan billed in the referral's first period counts against it even in
//! the next calendar year; the other activities are split by the period's days in each year.

mod common;

use common::{application, assessment_of, new_desk, CHILD_CODE};
use srt_core::decisions::{annex_amounts, split_by_year, YearAmount, FIRST_PERIOD_DAYS};
use srt_core::money::{ConfirmationInput, InvoiceInput, LineInput};

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

#[test]
fn a_december_referral_grants_the_whole_plan_in_its_first_year() {
    // 4 h of the plan at 71.52 €: 286.08 €, all of it in December's year.
    let plan = annex_amounts("1001", 28_608, d(2026, 12, 7), d(2027, 12, 6));
    assert_eq!(
        plan,
        [
            YearAmount {
                year: 2026,
                cents: 28_608
            },
            YearAmount {
                year: 2027,
                cents: 0
            }
        ],
        "the plan is made in the first weeks: not 25/365 of it for December"
    );
    // A therapy runs through the period: by days, as before.
    assert_eq!(
        annex_amounts("2010", 58_800, d(2026, 12, 7), d(2027, 12, 6)),
        split_by_year(58_800, d(2026, 12, 7), d(2027, 12, 6))
    );
    assert_eq!(FIRST_PERIOD_DAYS, 90);
}

#[test]
fn the_annex_drawn_from_the_assessment_puts_the_plan_in_the_first_year() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("case");
    desk.change_status(case.id, "in_assessment", "")
        .expect("assessment");
    desk.save_assessment(case.id, &assessment_of(&[("1001", 4.0), ("2010", 20.0)]))
        .expect("save");
    // The referral starts tomorrow (26.11.2026) and runs two years.
    let v = desk.create_decision(case.id, "referral").expect("draft");
    let plan = v
        .decision
        .annex
        .iter()
        .find(|l| l.code == "1001")
        .expect("plan");
    assert_eq!(plan.cents_in(2026), 28_608, "4 h × 71.52 € in 2026");
    assert_eq!(plan.cents_in(2027) + plan.cents_in(2028), 0);
    let psych = v
        .decision
        .annex
        .iter()
        .find(|l| l.code == "2010")
        .expect("2010");
    assert!(psych.cents_in(2026) < psych.cents_in(2027), "by days");
    // The rule is told on the letter's annex.
    let note = &v.letter_labels.annex_note;
    assert!(
        note.contains("rehabilitatsiooniplaan") && note.contains("90"),
        "{note}"
    );
}

fn line(date: &str, code: &str, hours: &str) -> LineInput {
    LineInput {
        child_code: CHILD_CODE.into(),
        decision_number: "K000001".into(),
        activity_code: code.into(),
        service_date: date.into(),
        quantity: hours.into(),
        specialist: "Mari Maasikas".into(),
        content: "Sessioon".into(),
        ..Default::default()
    }
}

#[test]
fn a_plan_billed_in_the_first_weeks_passes_across_the_new_year_and_not_after_the_first_period() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let conn = desk.store().connection();
    conn.execute(
        "INSERT INTO provider (name, registry_code, created_at, updated_at)
         VALUES ('Näidis Rehabilitatsioonikeskus OÜ', '12345678', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
        [],
    )
    .expect("provider");
    let provider = conn.last_insert_rowid();
    // A referral from 7 December 2025 for a year, its annex by the rule.
    let (from, to) = (d(2025, 12, 7), d(2026, 12, 6));
    let annex = serde_json::json!([
        {"code": "1001", "amounts": annex_amounts("1001", 28_608, from, to)},
        {"code": "2010", "amounts": annex_amounts("2010", 58_800, from, to)},
    ]);
    conn.execute(
        "INSERT INTO decision (case_id, kind, status, number, decision_date, valid_from, valid_to,
            annex, created_at, updated_at)
         VALUES (?1, 'referral', 'sent', 'K000001', '2025-11-30', '2025-12-07', '2026-12-06', ?2,
            '2025-11-30T00:00:00Z', '2025-11-30T00:00:00Z')",
        rusqlite::params![case.id, annex.to_string()],
    )
    .expect("decision");
    desk.add_confirmation(
        case.id,
        &ConfirmationInput {
            provider_id: Some(provider),
            period_from: "07.12.2025".into(),
            period_to: "30.04.2026".into(),
            confirmed_on: "20.11.2026".into(),
            channel: "paper".into(),
            notes: String::new(),
        },
    )
    .expect("confirmation");
    let inv = desk
        .save_invoice(
            None,
            &InvoiceInput {
                provider_id: Some(provider),
                number: "P-2026-1".into(),
                invoice_date: "20.11.2026".into(),
                period_from: "01.12.2025".into(),
                period_to: "31.03.2026".into(),
                notes: String::new(),
                lines: vec![
                    line("15.12.2025", "1001", "2"), // the plan begun in December
                    line("12.01.2026", "1001", "2"), // finished in January: day 37
                    line("12.01.2026", "2010", "1"), // a therapy in January
                    line("10.03.2026", "1001", "1"), // day 94: after the first period
                ],
            },
        )
        .expect("entered");
    let inv = desk.check_invoice(inv.id).expect("checked");
    let verdicts: Vec<(&str, i64)> = inv
        .lines
        .iter()
        .map(|l| (l.verdict.as_str(), l.accepted_cents))
        .collect();
    assert_eq!(
        verdicts,
        [("ok", 14_304), ("ok", 14_304), ("ok", 2_940), ("reject", 0)],
        "{:#?}",
        inv.lines
    );
    let late = &inv.lines[3].reasons[0];
    assert_eq!(late.code, "activity.not_in_annex");
    assert!(
        late.message.et.contains("esimese 90 päeva"),
        "the rule is named: {}",
        late.message.et
    );
    // The budget counts the January plan against 2025's plan amount: nothing negative.
    let budget = desk.case_budget(case.id).expect("budget");
    for y in &budget.years {
        for l in &y.lines {
            assert!(
                l.left_cents >= 0,
                "{} {}: {} left",
                y.year,
                l.code,
                l.left_cents
            );
        }
    }
    let plan_2025 = budget
        .years
        .iter()
        .find(|y| y.year == 2025)
        .and_then(|y| y.lines.iter().find(|l| l.code == "1001"))
        .expect("2025 plan");
    assert_eq!(plan_2025.committed_cents, 28_608, "both halves of the plan");
}
