//! The first real workflow on a real encrypted file: register an application, find it again,
//! move it through the process; every refusal says which field and why.

mod common;

use common::*;
use srt_core::cases::CaseFilter;
use srt_core::launch::Session;
use srt_core::{Error, KdfParams, MemoryKeyStore};

fn field_codes(err: &Error) -> Vec<(String, String)> {
    match err {
        Error::Validation(f) => f
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn registered_application_is_found_by_name_code_prefix_and_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    assert_eq!(case.case_no, "SRT-2026-00001");
    assert_eq!(
        case.child.birth_date.to_string(),
        "2013-03-15",
        "birth date from the code"
    );
    assert_eq!(case.child.sex, "female");
    assert_eq!(case.history.len(), 1);
    assert_eq!(case.history[0].to_status, "received");

    for text in [
        "Mirtel",
        "näidis",
        "ounapuu",
        "6130315",
        "SRT-2026-00001",
        "mirtel õunap",
    ] {
        let found = desk
            .list_cases(&CaseFilter {
                text: text.into(),
                ..Default::default()
            })
            .expect("search");
        assert_eq!(found.total, 1, "searching {text:?} finds the case");
        assert_eq!(found.items[0].id, case.id);
    }
    let none = desk
        .list_cases(&CaseFilter {
            text: "Tamm".into(),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(none.total, 0);
    let by_status = desk
        .list_cases(&CaseFilter {
            status: "in_service".into(),
            ..Default::default()
        })
        .expect("filter");
    assert_eq!(by_status.total, 0);
}

#[test]
fn invalid_personal_code_is_refused_next_to_its_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let err = desk
        .register_application(&application("39112120752"))
        .expect_err("bad check digit");
    assert_eq!(
        field_codes(&err),
        vec![(
            "child.personalCode".into(),
            "personal_code.check_digit".into()
        )]
    );
    assert_eq!(
        desk.case_counts().expect("counts").total,
        0,
        "nothing saved"
    );
}

#[test]
fn every_missing_or_wrong_field_is_named_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application("");
    app.child.first_name = " ".into();
    app.child.birth_date = "2013-02-30".into();
    app.guardians[0].email = "not-an-email".into();
    app.guardians[0].delivery = "post".into();
    app.route.severity = String::new();
    app.application_date = "2027-01-01".into();
    app.channel = "pigeon".into();
    let codes = field_codes(&desk.register_application(&app).expect_err("invalid"));
    for expected in [
        ("child.firstName", "required"),
        ("child.birthDate", "date.invalid"),
        ("child.sex", "required"),
        ("guardians.0.email", "email"),
        ("guardians.0.postalAddress", "delivery.address_missing"),
        ("route.severity", "required"),
        ("applicationDate", "date.future"),
        ("channel", "invalid_choice"),
    ] {
        assert!(
            codes.contains(&(expected.0.into(), expected.1.into())),
            "missing {expected:?} in {codes:?}"
        );
    }
    assert_eq!(desk.case_counts().expect("counts").total, 0);
}

#[test]
fn the_municipality_of_residence_is_required_and_a_year_is_written_in_full() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application(CHILD_CODE);
    app.child.municipality_code = " ".into();
    // "1.1.26" was read as the year 26 and refused as "before the child's birth".
    app.application_date = "1.11.26".into();
    let codes = field_codes(&desk.register_application(&app).expect_err("invalid"));
    assert!(
        codes.contains(&("child.municipalityCode".into(), "required".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("applicationDate".into(), "date.format".into())),
        "{codes:?}"
    );
    assert_eq!(desk.case_counts().expect("counts").total, 0);
    app.child.municipality_code = "0784".into();
    app.application_date = "1.11.2026".into();
    desk.register_application(&app).expect("registered");
}

#[test]
fn kov_route_needs_municipality_and_worker_contact() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application(CHILD_CODE);
    app.route.kind = "kov".into();
    app.route.municipality_code = "9999".into();
    let codes = field_codes(&desk.register_application(&app).expect_err("invalid"));
    assert!(codes.contains(&(
        "route.municipalityCode".into(),
        "unknown_municipality".into()
    )));
    assert!(codes.contains(&("route.workerName".into(), "required".into())));
    assert!(codes.contains(&("route.workerEmail".into(), "contact.missing".into())));

    app.route.municipality_code = "0793".into();
    app.route.worker_name = "Kati Näidistöötaja".into();
    app.route.worker_email = "kati@kov.example.invalid".into();
    app.channel = "kov".into();
    let case = desk.register_application(&app).expect("valid KOV referral");
    assert_eq!(case.route.kind, "kov");
    assert_eq!(case.route.municipality_name.as_deref(), Some("Tartu linn"));
    assert_eq!(case.route.severity, None);
}

#[test]
fn a_child_without_a_personal_code_is_registered_with_a_flag() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application("");
    app.child.birth_date = "12.06.2015".into();
    app.child.sex = "male".into();
    let case = desk.register_application(&app).expect("register");
    assert!(case.child.no_personal_code);
    assert_eq!(case.child.birth_date.to_string(), "2015-06-12");
    // Two children without codes are never taken for the same child.
    desk.register_application(&app)
        .expect("second child without code");
    let list = desk.list_cases(&CaseFilter::default()).expect("list");
    assert!(list.items.iter().all(|c| c.no_personal_code));
}

#[test]
fn a_second_open_case_for_the_same_child_points_to_the_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let first = desk
        .register_application(&application(CHILD_CODE))
        .expect("first");
    let err = desk
        .register_application(&application(CHILD_CODE))
        .expect_err("duplicate");
    assert_eq!(err.code(), "case.duplicate_open");
    let payload = err.payload();
    let details = payload.details.expect("details");
    assert_eq!(details["caseId"], first.id);
    assert_eq!(details["caseNo"], "SRT-2026-00001");
    assert!(payload.message.et.contains("SRT-2026-00001"));

    // Once the first case is closed, a new application is a new case for the same child.
    desk.change_status(first.id, "closed", "Pere loobus teenusest")
        .expect("close");
    let second = desk
        .register_application(&application(CHILD_CODE))
        .expect("new case");
    assert_eq!(second.case_no, "SRT-2026-00002");
}

#[test]
fn status_moves_are_enforced_and_recorded_with_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let to: Vec<_> = case
        .allowed_transitions
        .iter()
        .map(|t| t.to.as_str())
        .collect();
    assert_eq!(to, ["incomplete", "in_assessment", "closed"]);

    let err = desk
        .change_status(case.id, "decided", "")
        .expect_err("skip");
    assert_eq!(err.code(), "case.illegal_transition");
    assert!(
        err.message().et.contains("Vastu võetud"),
        "{}",
        err.message().et
    );

    let err = desk
        .change_status(case.id, "incomplete", "  ")
        .expect_err("no reason");
    assert_eq!(
        field_codes(&err),
        vec![("reason".into(), "case.reason_required".into())]
    );

    desk.change_status(case.id, "incomplete", "Puudub arsti tõend")
        .expect("incomplete");
    desk.change_status(case.id, "in_assessment", "")
        .expect("assessment");
    drop(desk);

    let desk = open_desk(&path);
    let back = desk.case(case.id).expect("case");
    assert_eq!(back.status, "in_assessment");
    let steps: Vec<_> = back
        .history
        .iter()
        .map(|h| (h.from_status.clone(), h.to_status.clone(), h.reason.clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (None, "received".into(), "Taotlus registreeritud".into()),
            (
                Some("received".into()),
                "incomplete".into(),
                "Puudub arsti tõend".into()
            ),
            (Some("incomplete".into()), "in_assessment".into(), "".into()),
        ]
    );
    assert_eq!(
        desk.case(9999).expect_err("missing").code(),
        "case.not_found"
    );
}

/// Several steps in one call (the demo's walk) leave the same history and case row as the same
/// steps one by one, and a step the rules refuse leaves the case as it was once the caller's
/// transaction is rolled back.
#[test]
fn status_steps_in_one_call_equal_the_steps_one_by_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let one = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let walk = [
        ("incomplete", "Puudub arsti tõend"),
        ("in_assessment", ""),
        ("decided", ""),
    ];
    for (to, reason) in walk {
        desk.change_status(one.id, to, reason).expect("step");
    }
    let many = desk
        .register_application(&application("50001010006"))
        .expect("register");
    let now = clock().0;
    let conn = desk.store().connection();
    let in_tx = |steps: &[(&str, &str, chrono::DateTime<chrono::Utc>)], commit: bool| {
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)
                .expect("tx");
        let r = srt_core::cases::change_status_steps(&tx, many.id, steps);
        if commit {
            tx.commit().expect("commit")
        } else {
            tx.rollback().expect("rollback")
        }
        r
    };
    // "decided" cannot follow "received": nothing of the walk stays.
    let err = in_tx(
        &[
            ("in_assessment", "", now),
            ("closed", "Loobus", now),
            ("decided", "", now),
        ],
        false,
    )
    .expect_err("closed -> decided");
    assert_eq!(err.code(), "case.illegal_transition");
    in_tx(&walk.map(|(to, reason)| (to, reason, now)), true).expect("walk");
    drop(desk);

    let desk = open_desk(&path);
    let (a, b) = (
        desk.case(one.id).expect("a"),
        desk.case(many.id).expect("b"),
    );
    let history = |c: &srt_core::cases::CaseDetail| {
        c.history
            .iter()
            .map(|h| {
                (
                    h.from_status.clone(),
                    h.to_status.clone(),
                    h.reason.clone(),
                    h.at.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(history(&a).len(), 4);
    assert_eq!(history(&a), history(&b));
    assert_eq!(
        (&a.status, &a.complete_on, &a.updated_at),
        (&b.status, &b.complete_on, &b.updated_at)
    );
    assert_eq!(b.status, "decided");
    assert!(b.complete_on.is_some());
}

#[test]
fn demo_data_is_deterministic_and_only_for_an_empty_desk() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut a, _) = new_desk(&dir.path().join("a"));
    let (mut b, _) = new_desk(&dir.path().join("b"));
    let na = a.load_demo(40, 42).expect("demo a");
    let nb = b.load_demo(40, 42).expect("demo b");
    assert_eq!(na, nb);
    let la = a
        .list_cases(&CaseFilter {
            limit: Some(500),
            ..Default::default()
        })
        .expect("a");
    let lb = b
        .list_cases(&CaseFilter {
            limit: Some(500),
            ..Default::default()
        })
        .expect("b");
    let key = |l: &srt_core::cases::CaseList| {
        l.items
            .iter()
            .map(|c| (c.case_no.clone(), c.child_name.clone(), c.status.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&la), key(&lb), "same seed, same data");
    let counts = a.case_counts().expect("counts");
    assert!(
        counts.by_status.values().filter(|n| **n > 0).count() >= 5,
        "{counts:?}"
    );
    assert_eq!(
        a.load_demo(5, 1).expect_err("not empty").code(),
        "demo.not_empty"
    );
}

#[test]
fn the_audit_chain_records_reads_and_detects_tampering() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    desk.case(case.id).expect("read");
    let conn = desk.store().connection();
    let actions: Vec<String> = conn
        .prepare("SELECT action FROM audit_log ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(actions, ["desk.create", "case.create", "case.read"]);
    assert!(
        conn.execute("DELETE FROM audit_log", []).is_err(),
        "the audit log must refuse deletes"
    );
    assert!(desk.check().expect("check").all_ok());
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone else' WHERE id = 2;",
    )
    .expect("tamper");
    let report = desk.check().expect("check");
    assert_eq!(report.audit.first_broken_id, Some(2));
    assert!(!report.all_ok());
}

#[test]
fn the_session_asks_for_a_passphrase_when_there_is_no_credential_store() {
    #[derive(Debug, Default)]
    struct NoStore;
    impl srt_core::KeyStore for NoStore {
        fn describe(&self) -> String {
            "none".into()
        }
        fn get(&self, _: &str) -> srt_core::Result<Option<srt_core::store::key::DbKey>> {
            Err(Error::KeyStoreUnavailable("no Secret Service".into()))
        }
        fn set(&self, _: &str, _: &srt_core::store::key::DbKey) -> srt_core::Result<()> {
            Err(Error::KeyStoreUnavailable("no Secret Service".into()))
        }
        fn delete(&self, _: &str) -> srt_core::Result<()> {
            Ok(())
        }
        fn available(&self) -> bool {
            false
        }
    }
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("s.db");
    let fast = KdfParams::fast_for_tests();
    let mut s = Session::start(path.clone(), Box::new(NoStore), None, "t", fast);
    assert_eq!(s.status().state, "setup");
    assert!(
        !path.exists(),
        "nothing is created before the passphrase is chosen"
    );
    assert_eq!(s.desk().expect_err("locked").code(), "desk.locked");
    let err = s
        .create_with_passphrase("long enough pass", "long enough past")
        .expect_err("typo");
    assert_eq!(
        field_codes(&err),
        vec![("confirm".into(), "key.passphrase_mismatch".into())]
    );
    let st = s
        .create_with_passphrase("long enough pass", "long enough pass")
        .expect("create");
    assert_eq!(st.state, "open");
    // The window asks for the status every 15 s and after many actions: it reads what the session
    // holds and one meta row, not the cases (it once counted them: 5 ms at 100 000 cases).
    static STATUS_SQL: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    fn keep(event: rusqlite::trace::TraceEvent<'_>) {
        if let rusqlite::trace::TraceEvent::Stmt(stmt, _) = event {
            let mut seen = STATUS_SQL.lock().unwrap_or_else(|e| e.into_inner());
            seen.push(stmt.sql().to_string());
        }
    }
    let conn = s.desk().expect("open").store().connection();
    conn.trace_v2(
        rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
        Some(keep),
    );
    let _ = s.status();
    let conn = s.desk().expect("open").store().connection();
    conn.trace_v2(rusqlite::trace::TraceEventCodes::empty(), None);
    let seen = STATUS_SQL.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(
        seen.len() <= 1 && seen.iter().all(|sql| sql.contains("FROM meta")),
        "the status reads one meta row at most: {seen:?}"
    );
    drop(s);

    let mut s = Session::start(path.clone(), Box::new(NoStore), None, "t", fast);
    assert_eq!(s.status().state, "locked");
    let err = s.unlock("wrong passphrase!").expect_err("wrong");
    assert_eq!(
        field_codes(&err),
        vec![("passphrase".into(), "key.wrong_passphrase".into())]
    );
    assert_eq!(s.status().state, "locked");
    // Nothing typed is asked for, not called a wrong passphrase.
    let err = s.unlock("").expect_err("empty");
    assert_eq!(
        field_codes(&err),
        vec![("passphrase".into(), "required".into())]
    );
    assert_eq!(s.unlock("long enough pass").expect("unlock").state, "open");

    // A broken file is reported, never replaced.
    std::fs::write(&path, b"SQLite format 3\0 and then some plain bytes").expect("overwrite");
    let s = Session::start(
        path.clone(),
        Box::new(MemoryKeyStore::default()),
        None,
        "t",
        fast,
    );
    let st = s.status();
    assert_eq!(st.state, "error");
    assert_eq!(st.error.expect("error").code, "db.not_encrypted");
    assert!(std::fs::read(&path)
        .expect("read")
        .starts_with(b"SQLite format 3\0 and then"));
}

#[test]
fn language_preference_is_kept_and_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("l.db");
    let fast = KdfParams::fast_for_tests();
    let mut s = Session::start(
        path.clone(),
        Box::new(MemoryKeyStore::default()),
        Some(PASS),
        "t",
        fast,
    );
    assert_eq!(s.status().language, "et", "Estonian by default");
    assert_eq!(s.set_language("en").expect("en").language, "en");
    assert_eq!(
        s.set_language("fi").expect_err("unknown").code(),
        "validation"
    );
    drop(s);
    let s = Session::start(
        path,
        Box::new(MemoryKeyStore::default()),
        Some(PASS),
        "t",
        fast,
    );
    assert_eq!(s.status().language, "en", "kept across restarts");
}

#[test]
fn the_coordinator_name_from_settings_signs_the_assessment() {
    use srt_core::casework::assessment::{ActivityNeed, AreaAssessment, AssessmentDraft, AREAS};
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("n.db");
    let fast = KdfParams::fast_for_tests();
    let keys = || Box::new(MemoryKeyStore::default());
    let mut s = Session::start(path.clone(), keys(), Some(PASS), "app:olga", fast);
    assert_eq!(s.status().coordinator_name, "", "no name set yet");
    let d = s.desk().expect("open");
    let case = d
        .register_application(&application(CHILD_CODE))
        .expect("case");
    let draft = AssessmentDraft {
        areas: AREAS
            .iter()
            .map(|a| AreaAssessment {
                area: a.to_string(),
                level: "some".into(),
                notes: String::new(),
            })
            .collect(),
        activities: vec![ActivityNeed {
            code: "2010".into(),
            hours: 10.0,
        }],
        ..Default::default()
    };
    d.save_assessment(case.id, &draft).expect("save");
    let refused = d
        .sign_assessment(case.id, &case.application_date.to_string())
        .expect_err("the computer's user name never signs");
    assert_eq!(refused.code(), "coordinator.profile_missing");
    assert!(
        refused.message().et.contains("Seadetes"),
        "the refusal says where the name is set: {}",
        refused.message().et
    );
    assert!(
        d.assessment(case.id).expect("read").signed_on.is_none(),
        "nothing was signed"
    );
    assert_eq!(
        s.set_coordinator("   ", "", "")
            .expect_err("an empty name is refused")
            .payload()
            .fields[0]
            .code,
        "required"
    );
    s.set_coordinator("  Olga Näidiskoordinaator ", "+372 5555 0102", "")
        .expect("name");
    let d = s.desk().expect("open");
    let signed = d
        .sign_assessment(case.id, &case.application_date.to_string())
        .expect("sign");
    assert_eq!(signed.signed_by.as_deref(), Some("Olga Näidiskoordinaator"));
    drop(s);
    let s = Session::start(path, keys(), Some(PASS), "app:olga", fast);
    assert_eq!(
        s.status().coordinator_name,
        "Olga Näidiskoordinaator",
        "kept across restarts"
    );
}

#[test]
fn locking_closes_the_desk_removes_temp_copies_and_unlocking_needs_the_key() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("lock.db");
    let fast = KdfParams::fast_for_tests();
    let mut s = Session::start(
        path.clone(),
        Box::new(MemoryKeyStore::default()),
        Some(PASS),
        "t",
        fast,
    );
    let case = s
        .desk()
        .expect("open")
        .register_application(&application(CHILD_CODE))
        .expect("case");
    let doc = s
        .desk()
        .expect("open")
        .add_document(
            case.id,
            &srt_core::casework::documents::DocumentInput {
                direction: "in".into(),
                doc_type: "medical".into(),
                title: "Tõend".into(),
                doc_date: "2026-11-20".into(),
                ..Default::default()
            },
        )
        .expect("doc");
    let file = dir.path().join("toend.pdf");
    std::fs::write(&file, b"%PDF-1.4 synthetic").expect("write");
    let doc = s
        .desk()
        .expect("open")
        .attach_file(doc.id, &file)
        .expect("attach");
    let temp_copy = s
        .attachment_to_temp(doc.attachments[0].id)
        .expect("temp copy");
    assert!(temp_copy.exists());

    let st = s.lock("manual");
    assert_eq!((st.state, st.lock_reason), ("locked", Some("manual")));
    assert!(
        !temp_copy.exists(),
        "temporary attachment copies are deleted on lock"
    );
    assert_eq!(
        s.desk().expect_err("locked").code(),
        "desk.locked",
        "no command answers with data"
    );
    assert!(s.unlock("not the passphrase").is_err());
    assert_eq!(s.status().state, "locked");
    assert_eq!(s.unlock(PASS).expect("unlock").state, "open");
    assert_eq!(
        s.desk().expect("open").case(case.id).expect("case").case_no,
        case.case_no
    );

    // The idle lock: nothing for the idle time (10 minutes by default) locks the desk.
    let t0 = Instant::now();
    s.touch(t0);
    assert!(!s.lock_if_idle(t0 + Duration::from_secs(9 * 60)));
    assert!(s.lock_if_idle(t0 + Duration::from_secs(10 * 60)));
    assert_eq!(s.status().lock_reason, Some("idle"));
    assert_eq!(
        s.set_idle_lock_minutes(0).expect_err("zero").code(),
        "validation"
    );
    assert_eq!(
        s.set_idle_lock_minutes(5).expect("five").idle_lock_minutes,
        5
    );
    drop(s);
    let actions: Vec<String> = {
        let desk = open_desk(&path);
        let conn = desk.store().connection();
        let mut stmt = conn
            .prepare("SELECT action || ':' || detail FROM audit_log WHERE action = 'desk.lock'")
            .expect("q");
        stmt.query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    assert_eq!(
        actions,
        ["desk.lock:manual", "desk.lock:idle"],
        "every lock is in the audit log"
    );
    let desk = open_desk(&path);
    let failed: String = desk
        .store()
        .connection()
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'desk.unlock_failed'",
            [],
            |r| r.get(0),
        )
        .expect("the failed unlock is recorded at the next unlock");
    assert_eq!(failed, "1");
}

#[test]
fn a_keyring_desk_unlocks_from_the_store_without_a_passphrase() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("kr.db");
    let fast = KdfParams::fast_for_tests();
    let mut s = Session::start(path, Box::new(MemoryKeyStore::default()), None, "t", fast);
    assert_eq!(
        s.status().key_source,
        Some(srt_core::KeySourceKind::Keyring)
    );
    let st = s.lock("manual");
    assert_eq!(st.key_source, Some(srt_core::KeySourceKind::Keyring));
    assert_eq!(s.unlock("").expect("from the store").state, "open");
}

#[test]
fn the_audit_log_is_shown_per_case_day_and_action() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let a = desk
        .register_application(&application(CHILD_CODE))
        .expect("a");
    desk.case(a.id).expect("read");
    desk.case(a.id).expect("read again");
    let code2 = srt_core::cases::ids::PersonalCode::compose(
        chrono::NaiveDate::from_ymd_opt(2014, 6, 1).expect("date"),
        srt_core::cases::ids::Sex::Male,
        7,
    );
    let b = desk
        .register_application(&application(code2.as_str()))
        .expect("b");
    use srt_core::store::audit::AuditFilter;
    let per_case = desk
        .audit_log(&AuditFilter {
            case_id: Some(a.id),
            ..Default::default()
        })
        .expect("per case");
    assert_eq!(
        per_case.total, 3,
        "created and read twice: {:?}",
        per_case.rows
    );
    assert_eq!(per_case.rows[0].action, "case.read", "newest first");
    assert_eq!(
        per_case.rows[0].case_no.as_deref(),
        Some(a.case_no.as_str())
    );
    let reads = desk
        .audit_log(&AuditFilter {
            action: "case.read".into(),
            ..Default::default()
        })
        .expect("reads");
    assert_eq!(reads.total, 2);
    assert!(reads
        .rows
        .iter()
        .all(|r| r.entity_id == a.id.to_string() && r.entity_id != b.id.to_string()));
    let today = desk
        .audit_log(&AuditFilter {
            day: "2026-11-25".into(),
            ..Default::default()
        })
        .expect("day");
    assert!(today.total >= 5);
    assert!(today.actions.contains(&"case.create".to_string()));
    // The day is a range on the time (an index searches it): the same rows as comparing the
    // time's first ten characters, on the day and the days around it.
    let conn = desk.store().connection();
    for day in ["2026-11-24", "2026-11-25", "2026-11-26"] {
        // Counted first: reading the log leaves a row of its own.
        let reference: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE substr(at, 1, 10) = ?1",
                [day],
                |r| r.get(0),
            )
            .expect("reference");
        let found = desk
            .audit_log(&AuditFilter {
                day: day.into(),
                ..Default::default()
            })
            .expect("a day");
        assert_eq!(found.total, reference, "{day}");
    }
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .expect("rows");
    let all = desk.audit_log(&AuditFilter::default()).expect("all");
    assert_eq!(all.total, rows);
    // Conditions combine: one case's reads on that day.
    let combined = desk
        .audit_log(&AuditFilter {
            case_id: Some(a.id),
            day: "2026-11-25".into(),
            action: "case.read".into(),
            ..Default::default()
        })
        .expect("combined");
    assert_eq!(combined.total, 2);
    // The actions offered: each action in the log once, in order.
    let mut stmt = conn
        .prepare("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .expect("actions");
    let expected: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("read");
    assert_eq!(all.actions, expected);
    let err = desk
        .audit_log(&AuditFilter {
            day: "2026-02-30".into(),
            ..Default::default()
        })
        .expect_err("bad day");
    assert_eq!(err.payload().fields[0].field, "day");
}

/// A search that finds more than a page: every page reports the same total (counted with the
/// page), the pages together hold each match once in the list's order, a page past the end is
/// empty with the total still right, and a status filter narrows both.
#[test]
fn a_search_pages_through_its_matches_with_one_total() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(120, 4).expect("demo");
    let search = |status: &str, offset: u32| {
        desk.list_cases(&CaseFilter {
            text: "näidis".into(),
            status: status.into(),
            limit: Some(10),
            offset: Some(offset),
            ..Default::default()
        })
        .expect("search")
    };
    let first = search("", 0);
    assert!(
        first.total > 25,
        "the demo has many 'Näidis' children: {}",
        first.total
    );
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = search("", offset);
        assert_eq!(page.total, first.total, "page at {offset}");
        if page.items.is_empty() {
            break;
        }
        seen.extend(page.items.iter().map(|i| (i.application_date, i.id)));
        offset += 10;
    }
    assert_eq!(seen.len() as i64, first.total, "each match once");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest application first");
    let ids: std::collections::HashSet<i64> = seen.iter().map(|s| s.1).collect();
    assert_eq!(ids.len(), seen.len());
    let past = search("", 10_000);
    assert!(past.items.is_empty());
    assert_eq!(past.total, first.total);
    let received = search("received", 0);
    assert!(received.total < first.total);
    assert!(received.items.iter().all(|i| i.status == "received"));
}

/// The list by next deadline, paged through: every case once, those with a running deadline
/// first by that deadline (soonest, most overdue, first), each with the deadline its case view
/// shows; then the rest, newest first. A status filter and a search keep the same order on
/// their own cases.
#[test]
fn the_list_by_next_deadline_holds_every_case_once_in_the_order_of_their_deadlines() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(400, 6).expect("demo");
    let all = |text: &str, status: &str, sort: &str| {
        let mut items = Vec::new();
        let mut total = None;
        loop {
            let page = desk
                .list_cases(&CaseFilter {
                    text: text.into(),
                    status: status.into(),
                    sort: sort.into(),
                    limit: Some(17),
                    offset: Some(items.len() as u32),
                    ..Default::default()
                })
                .expect("page");
            assert_eq!(*total.get_or_insert(page.total), page.total, "one total");
            if page.items.is_empty() {
                break;
            }
            items.extend(page.items);
        }
        (total.unwrap_or(0), items)
    };
    for (text, status) in [("", ""), ("", "decided"), ("näidis", "")] {
        let (total, by_deadline) = all(text, status, "deadline");
        let (_, newest) = all(text, status, "");
        assert_eq!(
            by_deadline.len() as i64,
            total,
            "{text}/{status}: each case once"
        );
        let mut a: Vec<i64> = by_deadline.iter().map(|i| i.id).collect();
        let mut b: Vec<i64> = newest.iter().map(|i| i.id).collect();
        a.sort_unstable();
        b.sort_unstable();
        a.dedup();
        assert_eq!(a, b, "{text}/{status}: the same cases in both orders");
        let with: Vec<_> = by_deadline
            .iter()
            .take_while(|i| i.next_deadline.is_some())
            .collect();
        assert!(
            by_deadline[with.len()..]
                .iter()
                .all(|i| i.next_deadline.is_none()),
            "{text}/{status}: the cases with a deadline come first"
        );
        if status != "decided" {
            assert!(
                with.len() > 10,
                "{text}/{status}: the demo has running deadlines"
            );
        }
        let keys: Vec<_> = with
            .iter()
            .map(|i| (i.next_deadline.as_ref().map(|d| d.due), i.id))
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "{text}/{status}: soonest first"
        );
        let rest: Vec<_> = by_deadline[with.len()..]
            .iter()
            .map(|i| (i.application_date, i.id))
            .collect();
        assert!(
            rest.windows(2).all(|w| w[0] >= w[1]),
            "{text}/{status}: then newest first"
        );
        // The deadline each row shows is the one its case view calls next, while the case is
        // in the process up to the decision; after it (a provider chosen, the service, closed)
        // the list shows none: the dashboard watches the provider's registration apart.
        for item in &by_deadline {
            if !["received", "incomplete", "in_assessment", "decided"]
                .contains(&item.status.as_str())
            {
                assert_eq!(
                    item.next_deadline, None,
                    "case {} ({})",
                    item.case_no, item.status
                );
                continue;
            }
            let view = desk.case(item.id).expect("case").next_deadline;
            assert_eq!(
                item.next_deadline
                    .as_ref()
                    .map(|d| (d.kind.clone(), d.due, d.days_left)),
                view.map(|d| (d.kind, d.due, d.days_left)),
                "case {} ({})",
                item.case_no,
                item.status
            );
        }
        // Newest first shows the same deadline on the same case.
        for item in &newest {
            let same = by_deadline.iter().find(|i| i.id == item.id).expect("found");
            assert_eq!(item.next_deadline, same.next_deadline);
        }
    }
}

/// The birth date and the sex are not marked required in the form: a child with a personal code
/// has neither. Without a code they are needed, and the message says why instead of "This field
/// is required" under a field the form never marked so.
#[test]
fn a_child_without_a_code_is_told_why_the_birth_date_and_sex_are_needed() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    let mut app = application("");
    app.child.birth_date = String::new();
    app.child.sex = String::new();
    let err = desk.register_application(&app).expect_err("invalid");
    let Error::Validation(fields) = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    for field in ["child.birthDate", "child.sex"] {
        let f = fields
            .iter()
            .find(|f| f.field == field)
            .unwrap_or_else(|| panic!("no message for {field}: {fields:?}"));
        assert!(
            f.message.et.starts_with("Lapsel ei ole isikukoodi")
                && f.message.en.starts_with("The child has no personal code"),
            "{field}: {:?}",
            f.message
        );
    }
}
