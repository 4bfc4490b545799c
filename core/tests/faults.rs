//! Disk full while saving: a writer process whose files may not grow past a limit (bash's
//! `ulimit -f`, i.e. RLIMIT_FSIZE, with SIGXFSZ ignored — the way a full disk or a quota looks to
//! SQLite: a write fails) writes cases until a save fails.
//! The failure is a clear "could not write" error, the desk still answers, and after reopening the
//! file passes integrity_check and holds every case that was reported saved.

mod common;

use std::process::Command;

use common::*;
use srt_core::{Desk, MemoryKeyStore};

const CHILD_ENV: &str = "SRT_DISKFULL_WRITER_DB";

/// In the child: write until a save fails; print each saved case and then the error.
#[cfg(unix)]
fn writer(db: &str) {
    let path = std::path::Path::new(db);
    let mut desk = Desk::open(path, &MemoryKeyStore::default(), Some(PASS), "writer")
        .expect("writer opens")
        .with_clock(clock());
    for i in 0..10_000u32 {
        let code = srt_core::cases::ids::PersonalCode::compose(
            chrono::NaiveDate::from_ymd_opt(2012, 1, 1).expect("date")
                + chrono::Duration::days(i64::from(i)),
            srt_core::cases::ids::Sex::Male,
            7,
        );
        let mut app = application(code.as_str());
        app.notes = "ü".repeat(3000);
        match desk.register_application(&app) {
            Ok(case) => println!("saved {}", case.case_no),
            Err(e) => {
                println!("error {}", e.code());
                println!("message {}", e.message().et);
                let still = desk.case_counts().map(|c| c.total);
                println!(
                    "reads {}",
                    still
                        .map(|n| n.to_string())
                        .unwrap_or_else(|e| e.code().into())
                );
                return;
            }
        }
    }
    println!("never full");
}

#[test]
#[cfg(unix)]
fn a_full_disk_fails_the_save_clearly_and_loses_nothing_saved() {
    if let Ok(db) = std::env::var(CHILD_ENV) {
        writer(&db);
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, path) = new_desk(dir.path());
    drop(desk);
    let me = std::env::current_exe().expect("test binary");
    // The limit: what the file is now plus 1 MiB, in bash's 1024-byte blocks.
    let blocks = std::fs::metadata(&path).expect("size").len() / 1024 + 1024;
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(&me)
        .args([
            "--exact",
            "a_full_disk_fails_the_save_clearly_and_loses_nothing_saved",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .output()
        .expect("run writer");
    let text = String::from_utf8_lossy(&out.stdout);
    let saved: Vec<&str> = text
        .lines()
        .filter_map(|l| l.find("saved SRT-").map(|i| &l[i + "saved ".len()..]))
        .collect();
    assert!(!saved.is_empty(), "some cases fit: {text}");
    assert!(
        text.lines().any(|l| l == "error db.disk_full"),
        "the failure says the disk is full: {text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("message ") && l.contains("ketas on täis")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l == format!("reads {}", saved.len())),
        "the desk still answers with what was saved: {text}"
    );

    let desk = open_desk(&path);
    assert!(
        desk.check().expect("check").all_ok(),
        "integrity after a full disk"
    );
    let list = desk
        .list_cases(&srt_core::cases::CaseFilter {
            limit: Some(10_000),
            ..Default::default()
        })
        .expect("list");
    let numbers: Vec<&str> = list.items.iter().map(|c| c.case_no.as_str()).collect();
    for case_no in &saved {
        assert!(numbers.contains(case_no), "{case_no} was reported saved");
    }
    assert_eq!(
        list.total as usize,
        saved.len(),
        "nothing half-saved appears"
    );
}
