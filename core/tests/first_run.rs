//! The guided setup of a new database: offered after the recovery code until finished, resumed
//! after a restart, never offered again once done, and never for a database that existed before.

mod common;

use common::*;
use srt_core::launch::Session;
use srt_core::{KdfParams, MemoryKeyStore};

fn start(path: &std::path::Path) -> Session {
    Session::start(
        path.to_path_buf(),
        Box::new(MemoryKeyStore::default()),
        Some(PASS),
        "app:test",
        KdfParams::fast_for_tests(),
    )
}

#[test]
fn a_new_database_offers_the_guided_setup_until_it_is_done() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("first.db");
    let mut s = start(&path);
    let st = s.status();
    assert_eq!(st.state, "open");
    assert!(st.recovery_code.is_some(), "the recovery code comes first");
    assert!(st.first_run, "a new database offers the guided setup");
    let st = s.recovery_code_shown().expect("code shown");
    assert!(st.recovery_code.is_none());
    assert!(
        st.first_run,
        "the setup goes on after the recovery code was written down"
    );
    drop(s);

    // Closed halfway (after the code, before the name): the setup is offered again.
    let mut s = start(&path);
    assert!(s.status().recovery_code.is_none(), "the code is shown once");
    assert!(s.status().first_run, "an unfinished setup is resumed");
    let st = s.first_run_done().expect("done");
    assert!(!st.first_run);
    let audit = s
        .desk()
        .expect("open")
        .audit_log(&Default::default())
        .expect("audit");
    assert!(
        audit.rows.iter().any(|r| r.action == "setup.done"),
        "the audit log says when the setup was finished"
    );
    drop(s);

    let s = start(&path);
    assert!(
        !s.status().first_run,
        "a finished setup is never offered again"
    );
}

#[test]
fn a_database_created_outside_the_app_never_offers_the_setup() {
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, path) = new_desk(dir.path());
    drop(desk);
    let s = start(&path);
    assert_eq!(s.status().state, "open");
    assert!(
        !s.status().first_run,
        "an existing database (srt-admin init, an older version) goes straight to the dashboard"
    );
}

#[test]
fn a_locked_desk_cannot_finish_the_setup() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("locked.db");
    let mut s = start(&path);
    s.lock("manual");
    assert_eq!(
        s.first_run_done().expect_err("locked").code(),
        "desk.locked"
    );
    assert!(!s.status().first_run, "nothing is said about a locked desk");
}

/// Issue 26, item 3: `srt-admin init` never asked for the coordinator's name, so the OS user
/// ("root") signed. `srt-admin profile` sets the name and contacts beside the database, refuses
/// an empty name, and the app's session signs with what it set.
#[test]
fn srt_admin_sets_the_coordinators_name_and_contacts() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("admin.db");
    let admin = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_srt-admin"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("SRT_DESK_PASSPHRASE", PASS)
            .env("USER", "root")
            .output()
            .expect("srt-admin runs")
    };
    let init = admin(&["--key-source", "passphrase", "init"]);
    assert!(init.status.success(), "{init:?}");
    assert!(
        String::from_utf8_lossy(&init.stdout).contains("profile --name"),
        "init says how the name is set: {}",
        String::from_utf8_lossy(&init.stdout)
    );

    // A desk made by srt-admin: nobody's name, and the OS user does not stand in.
    let mut s = start(&db);
    assert_eq!(s.status().coordinator_name, "");
    let case = s
        .desk()
        .expect("open")
        .register_application(&application(CHILD_CODE))
        .expect("case");
    use srt_core::casework::assessment::{ActivityNeed, AreaAssessment, AssessmentDraft, AREAS};
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
    s.desk()
        .expect("open")
        .save_assessment(case.id, &draft)
        .expect("save");
    let refused = s
        .desk()
        .expect("open")
        .sign_assessment(case.id, "2026-11-20")
        .expect_err("root never signs");
    assert_eq!(refused.code(), "coordinator.profile_missing");
    drop(s);

    let empty = admin(&["profile", "--name", "  "]);
    assert!(!empty.status.success(), "an empty name is refused");
    let said = String::from_utf8_lossy(&empty.stderr);
    assert!(said.contains("Kirjuta oma nimi"), "{said}");
    let bad = admin(&["profile", "--name", "Olga Näidis", "--email", "olga"]);
    assert!(!bad.status.success(), "a wrong e-mail is refused");

    let set = admin(&[
        "profile",
        "--name",
        "Olga Näidis",
        "--phone",
        "+372 5555 0188",
        "--email",
        "olga.naidis@example.invalid",
    ]);
    assert!(set.status.success(), "{set:?}");
    let mut s = start(&db);
    let st = s.status();
    assert_eq!(
        (
            st.coordinator_name.as_str(),
            st.coordinator_phone.as_str(),
            st.coordinator_email.as_str()
        ),
        (
            "Olga Näidis",
            "+372 5555 0188",
            "olga.naidis@example.invalid"
        )
    );
    let signed = s
        .desk()
        .expect("open")
        .sign_assessment(case.id, "2026-11-20")
        .expect("signed");
    assert_eq!(signed.signed_by.as_deref(), Some("Olga Näidis"));
    let audit = s
        .desk()
        .expect("open")
        .audit_log(&Default::default())
        .expect("audit");
    assert!(
        audit.rows.iter().any(|r| r.action == "coordinator.profile"),
        "the change is in the audit log"
    );
}
