//! What a decision must not get wrong about the child and the family, on a real encrypted
//! database: a referral never runs past the child's age limit; an assessment that finds no
//! activities needed is signed and carries a refusal (but not a referral); the letter counts the
//! time to register from receipt; the KOV reasoning reads as Estonian for any municipality.

mod common;

use srt_core::cases::RouteInput;
use srt_core::casework::assessment::{ActivityNeed, AreaAssessment, AssessmentDraft};
use srt_core::decisions::DecisionView;
use srt_core::Desk;

/// A synthetic girl born 05.05.2010: on the disability route her service ends 31.12.2026.
const BORN_2010: &str = "61005050002";
/// A synthetic boy born 12.05.2009: on a KOV referral he is 17 until 11.05.2027.
const BORN_2009: &str = "50905120000";

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn areas(level: &str) -> Vec<AreaAssessment> {
    ["physical", "psychological", "social", "cognitive"]
        .iter()
        .map(|a| AreaAssessment {
            area: a.to_string(),
            level: level.into(),
            notes: String::new(),
        })
        .collect()
}

/// A case in assessment with the assessment saved (not signed).
fn case_with(
    desk: &mut Desk,
    code: &str,
    route: RouteInput,
    level: &str,
    activities: Vec<ActivityNeed>,
) -> i64 {
    let mut app = common::application(code);
    app.route = route;
    let case = desk.register_application(&app).expect("register");
    desk.change_status(case.id, "in_assessment", "")
        .expect("to assessment");
    desk.save_assessment(
        case.id,
        &AssessmentDraft {
            areas: areas(level),
            child_goals: String::new(),
            family_goals: String::new(),
            activities,
        },
    )
    .expect("save assessment");
    case.id
}

fn psychologist() -> Vec<ActivityNeed> {
    vec![ActivityNeed {
        code: "2010".into(),
        hours: 40.0,
    }]
}

fn disability() -> RouteInput {
    RouteInput {
        kind: "disability".into(),
        severity: "severe".into(),
        ..Default::default()
    }
}

fn kov() -> RouteInput {
    RouteInput {
        kind: "kov".into(),
        municipality_code: "0784".into(),
        worker_name: "Kätlin Lastekaitse".into(),
        worker_email: "katlin@example.invalid".into(),
        ..Default::default()
    }
}

fn error_codes(v: &DecisionView) -> Vec<&str> {
    v.check.errors.iter().map(|e| e.code.as_str()).collect()
}

#[test]
fn a_referral_defaults_to_end_by_the_childs_age_limit_and_a_later_end_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator"));
    let case_id = case_with(
        &mut desk,
        BORN_2010,
        disability(),
        "significant",
        psychologist(),
    );
    desk.sign_assessment(case_id, "2026-11-24").expect("sign");

    let v = desk.create_decision(case_id, "referral").expect("draft");
    assert_eq!(v.decision.valid_from, Some(date(2026, 11, 26)));
    assert_eq!(
        v.decision.valid_to,
        Some(date(2026, 12, 31)),
        "born 2010: the service ends with the year she turns 16, not two years on"
    );
    assert_eq!(
        v.annex_years,
        [2026],
        "the annex budgets no year past the limit"
    );
    assert!(
        v.decision
            .annex
            .iter()
            .all(|l| l.amounts.iter().all(|a| a.year == 2026)),
        "{:?}",
        v.decision.annex
    );
    assert!(
        !error_codes(&v).contains(&"validity.after_age_limit"),
        "{:?}",
        v.check.errors
    );

    // The coordinator types a two-year period: approval is refused with the reason.
    let mut draft = common::draft_of(&v);
    draft.valid_to = "25.11.2028".into();
    let v = desk
        .save_decision(v.decision.id, &draft)
        .expect("a draft is saved");
    let err = v
        .check
        .errors
        .iter()
        .find(|e| e.code == "validity.after_age_limit")
        .expect("the check names the age limit");
    assert_eq!(err.field, "validTo");
    assert!(err.message.et.contains("31.12.2026"), "{}", err.message.et);
    assert!(
        err.message.et.contains("16-aastaseks"),
        "{}",
        err.message.et
    );
    assert!(err.message.en.contains("31.12.2026"), "{}", err.message.en);
    let refused = desk
        .approve_decision(v.decision.id, true)
        .expect_err("the age limit blocks approval");
    assert_eq!(refused.code(), "decision.check_failed");
}

#[test]
fn a_kov_referral_ends_before_the_child_turns_18_and_its_reasoning_reads_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator"));
    let case_id = case_with(&mut desk, BORN_2009, kov(), "significant", psychologist());

    let a = desk.assessment(case_id).expect("assessment");
    let kov_text = &a
        .eligibility
        .criteria
        .iter()
        .find(|c| c.code == "kov_referral")
        .expect("the KOV criterion")
        .text;
    assert_eq!(
        kov_text.et,
        "Lapse suunas teenusele kohaliku omavalitsuse lastekaitsetöötaja Kätlin Lastekaitse (Tallinn)."
    );
    assert_eq!(
        kov_text.en,
        "The child was referred by the municipality's child-protection worker Kätlin Lastekaitse (Tallinn)."
    );

    desk.sign_assessment(case_id, "2026-11-24").expect("sign");
    let v = desk.create_decision(case_id, "referral").expect("draft");
    assert_eq!(
        v.decision.valid_to,
        Some(date(2027, 5, 11)),
        "the last day before the 18th birthday"
    );
    let mut draft = common::draft_of(&v);
    draft.valid_to = "12.05.2027".into();
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    let err = v
        .check
        .errors
        .iter()
        .find(|e| e.code == "validity.after_age_limit")
        .expect("the 18th birthday is past the limit");
    assert!(err.message.et.contains("11.05.2027"), "{}", err.message.et);
    assert!(err.message.en.contains("under 18"), "{}", err.message.en);
}

#[test]
fn english_eligibility_counts_one_area_in_the_singular() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    let case_id = case_with(&mut desk, BORN_2009, kov(), "", Vec::new());
    let mut one = areas("none");
    one[1].level = "significant".into();
    desk.save_assessment(
        case_id,
        &AssessmentDraft {
            areas: one,
            ..Default::default()
        },
    )
    .expect("save");
    let a = desk.assessment(case_id).expect("assessment");
    let text = &a
        .eligibility
        .criteria
        .iter()
        .find(|c| c.code == "significant_areas")
        .expect("areas criterion")
        .text
        .en;
    assert!(
        text.contains("shortfalls in 1 well-being area;"),
        "singular: {text}"
    );
}

#[test]
fn an_assessment_finding_no_activities_needed_is_signed_and_carries_a_refusal_not_a_referral() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator"));
    let case_id = case_with(&mut desk, BORN_2009, kov(), "none", Vec::new());

    desk.sign_assessment(case_id, "2026-11-24")
        .expect("no activity listed: signed as 'no activities needed'");
    let a = desk.assessment(case_id).expect("assessment");
    assert_eq!(a.signed_on, Some(date(2026, 11, 24)));
    assert!(a.no_activities_needed);
    assert_eq!(a.eligibility.eligible, Some(false));

    // A referral cannot rest on it: the check says why.
    let referral = desk.create_decision(case_id, "referral").expect("draft");
    let codes = error_codes(&referral);
    assert!(codes.contains(&"assessment.no_activities"), "{codes:?}");
    assert!(!codes.contains(&"assessment.unsigned"), "{codes:?}");
    desk.delete_decision_draft(referral.decision.id)
        .expect("delete");

    // The refusal is what it is for.
    let refusal = desk.create_decision(case_id, "refusal").expect("draft");
    assert!(
        refusal.check.errors.is_empty(),
        "{:?}",
        refusal.check.errors
    );
    let approved = desk
        .approve_decision(refusal.decision.id, true)
        .expect("the refusal is approved");
    assert_eq!(approved.decision.status, "approved");
}

#[test]
fn an_activity_with_no_hours_still_stops_the_signature() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    let case_id = case_with(
        &mut desk,
        BORN_2009,
        kov(),
        "significant",
        vec![ActivityNeed {
            code: "2010".into(),
            hours: 0.0,
        }],
    );
    let err = desk
        .sign_assessment(case_id, "2026-11-24")
        .expect_err("0 hours is not an activity needed");
    let fields: Vec<String> = err
        .payload()
        .fields
        .iter()
        .map(|f| f.field.clone())
        .collect();
    assert!(
        fields.contains(&"activities.0.hours".to_string()),
        "{fields:?}"
    );
    assert!(!desk.assessment(case_id).expect("read").no_activities_needed);

    // Hours finer than a hundredth are refused when saved: the cost is hours × price to the
    // cent, and "1,333" was costed as 1,33 without a word. The rest is saved; they are held.
    let saved = desk
        .save_assessment(
            case_id,
            &AssessmentDraft {
                activities: vec![ActivityNeed {
                    code: "2010".into(),
                    hours: 1.333,
                }],
                ..Default::default()
            },
        )
        .expect("the rest is saved");
    assert_eq!(saved.held[0].code, "hours.precision");
    desk.save_assessment(
        case_id,
        &AssessmentDraft {
            activities: vec![ActivityNeed {
                code: "2010".into(),
                hours: 1.25,
            }],
            ..Default::default()
        },
    )
    .expect("1,25 h");
}

#[test]
fn the_letter_counts_the_time_to_register_from_receipt_not_from_the_decision_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut desk, _) = common::new_desk(dir.path());
    desk.set_coordinator(&common::coordinator_named("Mari Koordinaator"));
    let case_id = case_with(&mut desk, BORN_2009, kov(), "significant", psychologist());
    desk.sign_assessment(case_id, "2026-11-24").expect("sign");
    let v = desk.create_decision(case_id, "referral").expect("draft");
    // Decision date 25.11.2026: + 60 days is 24.01.2027 (a Sunday) → 25.01.2027.
    for wrong in ["24.01.2027", "25.01.2027"] {
        assert!(
            !v.letter.summary.contains(wrong),
            "a date counted from the decision date is earlier than the law's: {}",
            v.letter.summary
        );
    }
    assert!(
        v.letter
            .summary
            .contains("registreeri laps teenusele hiljemalt 60. päeval pärast otsuse kättesaamist (kui see on puhkepäev, siis järgmisel tööpäeval)."),
        "{}",
        v.letter.summary
    );
    // The seeded summary says the time once (migration 019: it read "60 päeva jooksul otsuse
    // kättesaamisest, hiljemalt 60. päeval pärast otsuse kättesaamist").
    assert_eq!(
        v.letter.summary.matches("kättesaami").count(),
        1,
        "{}",
        v.letter.summary
    );

    // In the family's language.
    let mut draft = common::draft_of(&v);
    draft.summary_language = "en".into();
    draft.summary = "Register by {{valik.tähtaeg}} at the latest.".into();
    let v = desk.save_decision(v.decision.id, &draft).expect("save");
    assert_eq!(
        v.letter.summary,
        "Register by the 60th day after you receive it (the next working day if that is a rest day) at the latest."
    );
}
