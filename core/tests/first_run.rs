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
