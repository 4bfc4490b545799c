//! The shell's own tests: errors, cancelling, capabilities, the CSP, saved files.

use super::*;

/// A bug that panics inside a command answers with an internal error; the next command works.
#[test]
fn a_panicking_command_answers_with_an_error_and_the_app_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = open_state(&dir.path().join("p.db"));
    let err = state
        .peek::<()>(|_| panic!("synthetic bug"))
        .expect_err("a panic is an error");
    let json = serde_json::to_value(err).expect("json");
    assert_eq!(json["code"], "internal");
    assert!(json["message"]["et"]
        .as_str()
        .expect("et")
        .contains("andmed on alles"));
    let status = state
        .peek(|s| Ok(s.status()))
        .expect("the session still answers");
    assert_eq!(status.state, "open");
}

/// The app's state with a new desk open at `db` (passphrase mode, fast key derivation).
pub(crate) fn open_state(db: &std::path::Path) -> AppState {
    AppState {
        running: Mutex::new(None),
        progress: Mutex::new(None),
        clipboard: Mutex::new(Default::default()),
        session: Mutex::new(Session::start(
            db.to_path_buf(),
            Box::new(srt_core::MemoryKeyStore::default()),
            Some("a synthetic passphrase"),
            "t",
            KdfParams::fast_for_tests(),
        )),
    }
}

/// "Katkesta" stops the command that is running while it holds the session, and the app
/// answers again; with nothing running there is nothing to cancel.
#[test]
fn long_work_is_cancelled_while_it_holds_the_session() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = std::sync::Arc::new(open_state(&dir.path().join("c.db")));
    assert!(!state.cancel_running(), "nothing runs yet");
    let worker = {
        let state = state.clone();
        std::thread::spawn(move || {
            state.with(|s| {
                let n: i64 = s.desk()?.store().connection().query_row(
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
                     SELECT count(*) FROM n",
                    [],
                    |r| r.get(0),
                )?;
                Ok(n)
            })
        })
    };
    // Cancel once the work holds the session, again if a click fell between taking the
    // session and starting the statement (the UI's button can be pressed again too).
    let mut cancelled = false;
    for _ in 0..400 {
        std::thread::sleep(std::time::Duration::from_millis(25));
        cancelled |= state.cancel_running();
        if worker.is_finished() {
            break;
        }
    }
    assert!(cancelled, "the running work could be reached");
    let err = worker.join().expect("thread").expect_err("cancelled");
    let json = serde_json::to_value(err).expect("json");
    assert_eq!(json["code"], "work.cancelled");
    let status = state.peek(|s| Ok(s.status())).expect("answers again");
    assert_eq!(status.state, "open");
    assert!(!state.cancel_running(), "nothing runs after it");
}

/// Work of many statements (statistics, the demo load) with time between them, where one
/// "Katkesta" most likely falls between two statements and SQLite's interrupt alone finds
/// nothing to stop: the next statement stops, and the next status poll runs as usual.
#[test]
fn one_cancel_between_statements_stops_the_work_and_not_the_next_poll() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = std::sync::Arc::new(open_state(&dir.path().join("b.db")));
    let worker = {
        let state = state.clone();
        std::thread::spawn(move || {
            state.with(|s| {
                let started = Instant::now();
                let mut rounds = 0_i64;
                while started.elapsed() < Duration::from_secs(10) {
                    rounds += s.desk()?.store().connection().query_row(
                        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)
                         SELECT count(*) FROM n",
                        [],
                        |r| r.get::<_, i64>(0),
                    )?;
                    std::thread::sleep(Duration::from_millis(3));
                }
                Ok(rounds)
            })
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(state.cancel_running(), "the work is running");
    let err = worker.join().expect("thread").expect_err("cancelled");
    let json = serde_json::to_value(err).expect("json");
    assert_eq!(json["code"], "work.cancelled");
    let counted = state.peek(|s| {
        s.desk()?
            .store()
            .connection()
            .query_row(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000)
                 SELECT count(*) FROM n",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(srt_core::Error::from)
    });
    assert_eq!(counted.expect("a poll after the cancel"), 5000);
}

/// The window reads how far the running work has come without waiting for the session it
/// holds; before and after the work there is nothing to show.
#[test]
fn progress_is_read_while_the_work_holds_the_session() {
    let dir = tempfile::tempdir().expect("tmp");
    let state = std::sync::Arc::new(open_state(&dir.path().join("p.db")));
    assert_eq!(state.running_progress(), None);
    let release = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker = {
        let (state, release) = (state.clone(), release.clone());
        std::thread::spawn(move || {
            state.with(|s| {
                s.desk()?.work_progress().set(300, 1200);
                while !release.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Ok(())
            })
        })
    };
    let mut seen = None;
    for _ in 0..400 {
        seen = state.running_progress();
        if seen.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    release.store(true, std::sync::atomic::Ordering::Relaxed);
    worker.join().expect("thread").expect("work");
    assert_eq!(
        seen,
        Some(WorkProgress {
            done: 300,
            total: 1200,
            part: 0
        })
    );
    assert_eq!(state.running_progress(), None, "nothing after the work");
}

#[test]
fn errors_reach_the_ui_with_code_both_languages_and_fields() {
    let err = srt_core::Error::field(
        "child.personalCode",
        "personal_code.check_digit",
        "Kontrollnumber ei klapi.",
        "Check digit does not match.",
    );
    let json = serde_json::to_value(CommandError::from(err)).expect("serialise");
    assert_eq!(json["code"], "validation");
    assert_eq!(json["message"]["et"], "Palun paranda märgitud väljad.");
    assert_eq!(json["fields"][0]["field"], "child.personalCode");
    assert_eq!(
        json["fields"][0]["message"]["en"],
        "Check digit does not match."
    );
    assert!(json["details"].is_null());
}

/// The window may call the app's commands, the two file dialogs and the zoom, nothing else.
#[test]
fn capabilities_grant_exactly_the_commands_and_dialogs_the_ui_uses() {
    let cap: serde_json::Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).expect("json");
    let mut granted: Vec<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("string permission").to_string())
        .collect();
    granted.sort();
    let mut expected: Vec<String> = commands::COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .chain([
            "dialog:allow-open".to_string(),
            "dialog:allow-save".to_string(),
            // The window hears that a close waits for its answer (text not saved).
            "core:event:allow-listen".to_string(),
            // --- Install ---: Ctrl++ / Ctrl+- zoom (zoomHotkeysEnabled) sets the zoom.
            "core:webview:allow-set-webview-zoom".to_string(),
        ])
        .collect();
    expected.sort();
    assert_eq!(granted, expected);
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
}

/// The window calls exactly the declared commands: each `call('name', …)` in ui/api.js (the only
/// module that talks to the Rust side) is in commands/list.rs, and each declared command is called.
#[test]
fn ui_api_calls_exactly_the_declared_commands() {
    let api = include_str!("../../ui/api.js");
    let mut called: Vec<&str> = api
        .split("call('")
        .skip(1)
        .filter_map(|rest| rest.split_once('\''))
        .map(|(name, _)| name)
        .collect();
    called.sort_unstable();
    called.dedup();
    let mut declared: Vec<&str> = commands::COMMANDS.to_vec();
    declared.sort_unstable();
    let missing: Vec<_> = called.iter().filter(|c| !declared.contains(c)).collect();
    let unused: Vec<_> = declared.iter().filter(|c| !called.contains(c)).collect();
    assert!(
        missing.is_empty() && unused.is_empty(),
        "ui/api.js calls commands not declared in commands/list.rs: {missing:?}; \
         declared commands ui/api.js never calls: {unused:?}"
    );
    let mut unique = commands::COMMANDS.to_vec();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        commands::COMMANDS.len(),
        "a command is declared twice"
    );
}

#[test]
fn the_csp_allows_no_inline_code_no_eval_and_no_remote_sources() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../tauri.conf.json")).expect("json");
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    for forbidden in [
        "unsafe-inline",
        "unsafe-eval",
        "https:",
        "http:",
        "*",
        "data: blob:",
    ] {
        let allowed_ipc = forbidden == "http:"
            && csp.matches("http:").count() == 1
            && csp.contains("http://ipc.localhost");
        assert!(
            !csp.contains(forbidden) || allowed_ipc,
            "CSP allows {forbidden}: {csp}"
        );
    }
    for required in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(required), "CSP lacks {required}");
    }
    assert_eq!(conf["app"]["withGlobalTauri"], true);
}

/// Only what this run saved, and is still there, goes to the system's viewer.
#[test]
fn only_files_the_app_saved_can_be_opened() {
    let dir = tempfile::tempdir().expect("tmp");
    let report = dir.path().join("aruanne.pdf");
    std::fs::write(&report, b"%PDF-1.4 synthetic").expect("write");
    let saved = SavedFiles::default();
    let err = saved.check(&report).expect_err("not saved by the app");
    let json = serde_json::to_value(CommandError::from(err)).expect("json");
    assert_eq!(json["fields"][0]["code"], "file.not_saved_here");
    saved.remember(report.clone());
    assert_eq!(saved.check(&report).expect("saved here"), report);
    let other = dir.path().join("other.pdf");
    assert!(saved.check(&other).is_err(), "a neighbour is not opened");
    std::fs::remove_file(&report).expect("rm");
    let err = saved.check(&report).expect_err("gone");
    let json = serde_json::to_value(CommandError::from(err)).expect("json");
    assert_eq!(json["fields"][0]["code"], "file.gone");
}

#[test]
fn a_locked_desk_is_an_error_the_ui_can_act_on() {
    let json =
        serde_json::to_value(CommandError::from(srt_core::Error::Locked)).expect("serialise");
    assert_eq!(json["code"], "desk.locked");
    assert!(json["message"]["et"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
}
