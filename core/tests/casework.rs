//! Case work on a real encrypted file: missing documents stop the decision clock, their arrival
//! restarts it, the assessment gives the eligibility verdict, the dashboard shows what is due.

mod common;

use chrono::NaiveDate;
use common::*;
use srt_core::cases::DocumentRequest;
use srt_core::casework::assessment::{ActivityNeed, AreaAssessment, AssessmentDraft};
use srt_core::casework::documents::DocumentInput;
use srt_core::deadlines::rules::DeadlineRuleInput;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn request() -> DocumentRequest {
    DocumentRequest {
        what: "Arsti hinnang lapse tervisliku seisundi kohta".into(),
        recipient: "Kadri Näidis".into(),
        sent_on: "2026-11-23".into(),
        due_date: "2026-12-07".into(),
    }
}

fn draft(levels: [&str; 4]) -> AssessmentDraft {
    AssessmentDraft {
        areas: ["physical", "psychological", "social", "cognitive"]
            .iter()
            .zip(levels)
            .map(|(a, l)| AreaAssessment {
                area: a.to_string(),
                level: l.to_string(),
                notes: format!("märkus {a}"),
            })
            .collect(),
        child_goals: "Iseseisvam toimetulek koolis".into(),
        family_goals: "Vähem konflikte kodus".into(),
        activities: vec![ActivityNeed {
            code: "2010".into(),
            hours: 20.0,
        }],
    }
}

#[test]
fn missing_documents_stop_the_decision_clock_and_their_arrival_restarts_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    // Application on Fri 20.11.2026: 10 working days end on Fri 4.12.2026.
    let next = case.next_deadline.clone().expect("decision deadline");
    assert_eq!(next.kind, "decision_due");
    assert_eq!(
        next.due,
        date(2026, 12, 4),
        "10 working days after 20.11.2026"
    );
    assert_eq!(next.days_left, 9, "today is 25.11.2026");
    assert!(
        next.explanation.et.contains("10 tööpäeva"),
        "{}",
        next.explanation.et
    );

    let case = desk
        .request_documents(case.id, &request())
        .expect("request");
    assert_eq!(case.status, "incomplete");
    let decision = case
        .deadlines
        .iter()
        .find(|d| d.kind == "decision_due")
        .expect("decision");
    assert_eq!(
        decision.state, "stopped",
        "the clock waits for the applicant"
    );
    let missing = case
        .next_deadline
        .clone()
        .expect("missing documents deadline");
    assert_eq!(
        (missing.kind.as_str(), missing.due),
        ("missing_documents", date(2026, 12, 7))
    );
    let docs = desk.documents(case.id).expect("docs");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].doc_type, "missing_request");
    assert_eq!(docs[0].due_date, Some(date(2026, 12, 7)));
    assert_eq!(docs[0].reg_no, format!("{}/1", case.case_no));

    let err = desk
        .documents_received(case.id, "2026-11-22", "")
        .expect_err("before request");
    assert_eq!(err.code(), "validation");
    let err = desk
        .documents_received(case.id, "2026-11-31", "")
        .expect_err("impossible");
    assert_eq!(err.payload().fields[0].code, "date.invalid");

    let case = desk
        .documents_received(case.id, "2026-11-25", "Arsti hinnang saabus")
        .expect("arrived");
    assert_eq!(case.status, "in_assessment");
    assert_eq!(case.complete_on, Some(date(2026, 11, 25)));
    let next = case.next_deadline.expect("decision deadline again");
    assert_eq!(
        next.due,
        date(2026, 12, 9),
        "10 working days after the documents arrived on 25.11"
    );
    let docs = desk.documents(case.id).expect("docs");
    assert!(
        docs.iter()
            .all(|d| d.status == "done" || d.direction == "in"),
        "the request is answered"
    );
    drop(desk);

    // All of it survives reopening the encrypted file.
    let desk = open_desk(&path);
    let back = desk.case(case.id).expect("case");
    assert_eq!(back.next_deadline.expect("deadline").due, date(2026, 12, 9));
    let timeline = desk.timeline(case.id).expect("timeline");
    assert!(timeline.len() >= 5, "{timeline:?}");
    assert!(
        timeline.windows(2).all(|w| w[0].at >= w[1].at),
        "newest first"
    );
}

#[test]
fn request_for_documents_needs_what_recipient_and_a_real_due_date() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let bad = DocumentRequest {
        what: " ".into(),
        recipient: String::new(),
        sent_on: "2026-11-23".into(),
        due_date: "2026-11-20".into(),
    };
    let err = desk.request_documents(case.id, &bad).expect_err("invalid");
    let fields: Vec<String> = err
        .payload()
        .fields
        .iter()
        .map(|f| f.field.clone())
        .collect();
    assert!(fields.contains(&"dueDate".to_string()), "{fields:?}");
    let mut bad2 = request();
    bad2.what = String::new();
    let err = desk.request_documents(case.id, &bad2).expect_err("no what");
    assert_eq!(err.payload().fields[0].field, "what");
    let after = desk.case(case.id).expect("case");
    assert_eq!(
        after.status, "received",
        "nothing half-saved: the status did not change"
    );
    assert!(
        desk.documents(case.id).expect("docs").is_empty(),
        "and no letter was recorded"
    );
}

#[test]
fn kov_eligibility_needs_two_significant_areas_and_says_so_in_words() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application(CHILD_CODE);
    app.route.kind = "kov".into();
    app.route.municipality_code = "0784".into();
    app.route.worker_name = "Kati Näidistöötaja".into();
    app.route.worker_email = "kati@kov.example.invalid".into();
    let case = desk.register_application(&app).expect("register");

    let a = desk.assessment(case.id).expect("empty assessment");
    assert_eq!(
        a.eligibility.eligible, None,
        "not known before the assessment"
    );
    assert!(a
        .activity_options
        .iter()
        .any(|o| o.code == "2010" && o.price_cents == 2940));

    let a = desk
        .save_assessment(case.id, &draft(["significant", "some", "none", ""]))
        .expect("save");
    assert_eq!(
        a.eligibility.eligible, None,
        "one area still open could make it two"
    );
    let a = desk
        .save_assessment(case.id, &draft(["significant", "some", "none", "none"]))
        .expect("save");
    assert_eq!(a.eligibility.eligible, Some(false));
    let crit = a
        .eligibility
        .criteria
        .iter()
        .find(|c| c.code == "significant_areas")
        .expect("c");
    assert!(crit.text.et.contains("vähemalt 2"), "{}", crit.text.et);

    let a = desk
        .save_assessment(
            case.id,
            &draft(["significant", "significant", "none", "some"]),
        )
        .expect("save");
    assert_eq!(a.eligibility.eligible, Some(true), "{:?}", a.eligibility);
    assert!(a
        .eligibility
        .criteria
        .iter()
        .any(|c| c.text.et.contains("Tallinn")));

    let err = desk
        .sign_assessment(case.id, "2026-12-01")
        .expect_err("future");
    assert_eq!(err.payload().fields[0].field, "signedOn");
    let signed = desk.sign_assessment(case.id, "25.11.2026").expect("sign");
    assert_eq!(signed.signed_on, Some(date(2026, 11, 25)));
    assert_eq!(
        signed.signed_by.as_deref(),
        Some(common::coordinator().name.as_str())
    );
    let err = desk
        .save_assessment(case.id, &draft(["none", "none", "none", "none"]))
        .expect_err("signed");
    assert_eq!(err.code(), "assessment.signed");
}

#[test]
fn disability_route_age_limit_is_the_end_of_the_year_the_child_turns_16() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    // Born 10.01.2010: turns 16 in 2026, so eligible until 31.12.2026.
    let code = srt_core::cases::ids::PersonalCode::compose(
        date(2010, 1, 10),
        srt_core::cases::ids::Sex::Male,
        4,
    );
    let case = desk
        .register_application(&application(code.as_str()))
        .expect("register");
    let a = desk
        .save_assessment(case.id, &draft(["some", "none", "none", "none"]))
        .expect("save");
    let age = a
        .eligibility
        .criteria
        .iter()
        .find(|c| c.code == "age")
        .expect("age");
    assert_eq!(age.met, Some(true), "{}", age.text.et);
    assert!(age.text.et.contains("31.12.2026"), "{}", age.text.et);
    assert_eq!(a.eligibility.eligible, Some(true));

    let older = srt_core::cases::ids::PersonalCode::compose(
        date(2009, 12, 31),
        srt_core::cases::ids::Sex::Female,
        5,
    );
    let case = desk
        .register_application(&application(older.as_str()))
        .expect("register");
    let a = desk
        .save_assessment(case.id, &draft(["some", "none", "none", "none"]))
        .expect("save");
    assert_eq!(a.eligibility.eligible, Some(false), "turned 16 in 2025");
}

#[test]
fn signing_needs_every_area_and_a_known_activity() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let mut d = draft(["some", "", "none", "none"]);
    d.activities = vec![ActivityNeed {
        code: "9999".into(),
        hours: 0.0,
    }];
    desk.save_assessment(case.id, &d)
        .expect("a draft may be incomplete");
    let err = desk
        .sign_assessment(case.id, "2026-11-25")
        .expect_err("incomplete");
    let fields: Vec<String> = err
        .payload()
        .fields
        .iter()
        .map(|f| f.field.clone())
        .collect();
    for f in [
        "areas.psychological.level",
        "activities.0.code",
        "activities.0.hours",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
    }
    assert_eq!(desk.assessment(case.id).expect("a").signed_on, None);
}

#[test]
fn the_dashboard_lists_what_is_due_most_urgent_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut late = application(CHILD_CODE);
    late.application_date = "2026-11-02".into();
    let late = desk.register_application(&late).expect("late case");
    let code2 = srt_core::cases::ids::PersonalCode::compose(
        date(2014, 6, 1),
        srt_core::cases::ids::Sex::Male,
        7,
    );
    let soon = desk
        .register_application(&application(code2.as_str()))
        .expect("soon case");

    let dash = desk.dashboard().expect("dashboard");
    assert_eq!(dash.today, date(2026, 11, 25));
    let group = dash
        .groups
        .iter()
        .find(|g| g.kind == "decision_due")
        .expect("decision group");
    assert_eq!(
        group.items[0].case_id, late.id,
        "the overdue case comes first"
    );
    assert_eq!(group.items[0].urgency, "overdue", "due 16.11.2026");
    assert_eq!(group.items[0].due, date(2026, 11, 16));
    assert_eq!(group.items[1].case_id, soon.id);
    assert_eq!(group.items[1].due, date(2026, 12, 4));
    assert_eq!(dash.counts.overdue, 1);

    desk.change_status(late.id, "closed", "Taotlus võeti tagasi")
        .expect("close");
    let dash = desk.dashboard().expect("dashboard");
    assert!(
        dash.groups
            .iter()
            .flat_map(|g| &g.items)
            .all(|i| i.case_id != late.id),
        "a closed case has no deadlines"
    );
}

#[test]
fn a_changed_rule_applies_from_its_date_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let rules = desk
        .save_deadline_rule(&DeadlineRuleInput {
            code: "decision_due".into(),
            count: 15,
            unit: "working_days".into(),
            legal_ref: "SHS § 70 (muudetud)".into(),
            valid_from: "2026-11-21".into(),
        })
        .expect("new version");
    let versions: Vec<_> = rules.iter().filter(|r| r.code == "decision_due").collect();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].valid_to, Some(date(2026, 11, 20)));
    // Applied on 20.11 (old rule: 10 days), another on 23.11 (new rule: 15 days).
    let a = desk
        .register_application(&application(CHILD_CODE))
        .expect("old rule");
    assert_eq!(a.next_deadline.expect("d").due, date(2026, 12, 4));
    let code2 = srt_core::cases::ids::PersonalCode::compose(
        date(2014, 6, 1),
        srt_core::cases::ids::Sex::Male,
        7,
    );
    let mut app = application(code2.as_str());
    app.application_date = "2026-11-23".into();
    let b = desk.register_application(&app).expect("new rule");
    let d = b.next_deadline.expect("d");
    assert_eq!(
        d.due,
        date(2026, 12, 14),
        "15 working days after 23.11.2026"
    );
    assert!(d.explanation.et.contains("muudetud"));

    let err = desk
        .save_deadline_rule(&DeadlineRuleInput {
            code: "decision_due".into(),
            count: 0,
            unit: "weeks".into(),
            legal_ref: String::new(),
            valid_from: "2020-01-01".into(),
        })
        .expect_err("invalid");
    let fields: Vec<String> = err
        .payload()
        .fields
        .iter()
        .map(|f| f.field.clone())
        .collect();
    assert_eq!(fields, ["count", "unit", "legalRef", "validFrom"]);
}

#[test]
fn attachments_are_stored_encrypted_whole_and_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let doc = desk
        .add_document(case.id, &medical_document())
        .expect("document");

    let files = tempfile::tempdir().expect("files");
    let pdf = files.path().join("otsus.pdf");
    let body = b"%PDF-1.4\n% synthetic test file: SECRET-MARKER-4711\n%%EOF\n".to_vec();
    std::fs::write(&pdf, &body).expect("write");
    let fake = files.path().join("pilt.png");
    std::fs::write(&fake, b"%PDF-1.4 not a png").expect("write");
    let big = files.path().join("suur.pdf");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&big).expect("create");
        f.write_all(b"%PDF-1.4\n").expect("header");
        f.set_len(25 * 1024 * 1024 + 1).expect("sparse");
    }
    let exe = files.path().join("programm.exe");
    std::fs::write(&exe, b"MZ").expect("write");

    assert_eq!(
        desk.attach_file(doc.id, &fake)
            .expect_err("mismatch")
            .code(),
        "attachment.type_mismatch"
    );
    assert_eq!(
        desk.attach_file(doc.id, &big).expect_err("big").code(),
        "attachment.too_large"
    );
    assert_eq!(
        desk.attach_file(doc.id, &exe).expect_err("exe").code(),
        "attachment.unsupported_type"
    );
    assert!(
        desk.documents(case.id).expect("docs")[0]
            .attachments
            .is_empty(),
        "nothing half-saved"
    );

    let doc = desk.attach_file(doc.id, &pdf).expect("attach");
    assert_eq!(doc.attachments.len(), 1);
    assert_eq!(doc.attachments[0].mime, "application/pdf");
    let out = files.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let written = desk
        .export_attachment(doc.attachments[0].id, &out)
        .expect("export");
    assert_eq!(
        std::fs::read(&written).expect("read"),
        body,
        "the same bytes come back"
    );
    drop(desk);
    let raw = std::fs::read(&path).expect("db");
    assert!(
        !raw.windows(18).any(|w| w == b"SECRET-MARKER-4711"),
        "the attachment is readable on disk"
    );
}

#[test]
fn one_search_box_finds_cases_guardians_documents_and_notes_without_accents() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    desk.add_document(
        case.id,
        &DocumentInput {
            direction: "in".into(),
            doc_type: "kov_assessment".into(),
            title: "Hindamisvorm Lõunaküla koolist".into(),
            doc_date: "2026-11-21".into(),
            reg_no: "7.1-2/4455".into(),
            ..Default::default()
        },
    )
    .expect("doc");
    let kinds = |q: &str| -> Vec<String> {
        desk.search(q)
            .expect("search")
            .items
            .iter()
            .map(|h| h.kind.clone())
            .collect()
    };
    assert!(
        kinds("oun").contains(&"case".to_string()),
        "oun finds Õunapuu"
    );
    assert!(kinds("kadri").contains(&"guardian".to_string()));
    assert!(
        kinds("lounakula").contains(&"document".to_string()),
        "accent-insensitive"
    );
    assert!(
        kinds("4455").contains(&"document".to_string()),
        "by registration number"
    );
    assert!(kinds("synthetic").contains(&"note".to_string()));
    assert!(kinds("   ").is_empty());
    assert!(
        kinds("\"unbalanced OR").is_empty(),
        "FTS syntax from the user is harmless"
    );
}

#[test]
fn documents_with_a_due_date_appear_on_the_dashboard_until_done() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let doc = desk
        .add_document(
            case.id,
            &DocumentInput {
                direction: "in".into(),
                doc_type: "letter".into(),
                title: "KOV küsib infot".into(),
                doc_date: "2026-11-24".into(),
                due_date: "2026-11-27".into(),
                ..Default::default()
            },
        )
        .expect("letter");
    let dash = desk.dashboard().expect("dashboard");
    let group = dash
        .groups
        .iter()
        .find(|g| g.kind == "document_due")
        .expect("documents group");
    assert_eq!(group.items[0].due, date(2026, 11, 27));
    assert_eq!(group.items[0].urgency, "week");
    desk.set_document_status(doc.id, "done").expect("done");
    let dash = desk.dashboard().expect("dashboard");
    assert!(
        dash.groups.iter().all(|g| g.kind != "document_due"),
        "a handled document leaves the dashboard"
    );
}

#[test]
fn demo_data_gives_a_believable_dashboard() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo(80, 2026).expect("demo");
    let dash = desk.dashboard().expect("dashboard");
    let kinds: Vec<&str> = dash.groups.iter().map(|g| g.kind.as_str()).collect();
    assert!(kinds.contains(&"decision_due"), "{kinds:?}");
    assert!(kinds.contains(&"missing_documents"), "{kinds:?}");
    let items: usize = dash.groups.iter().map(|g| g.items.len()).sum();
    assert!(items < 80, "not every case is on the dashboard");
    assert!(desk.check().expect("check").all_ok());
}
