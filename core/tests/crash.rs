//! Crash safety: a writer process is killed with SIGKILL at random moments, 100 times; after every
//! kill the encrypted database passes integrity_check and holds every change the writer had
//! reported as committed.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use srt_core::{Desk, MemoryKeyStore};

const CHILD_ENV: &str = "SRT_CRASH_WRITER_DB";

/// In the child process: write cases one by one, printing each committed case number.
fn writer(db: &str) {
    let mut desk = Desk::open(
        std::path::Path::new(db),
        &MemoryKeyStore::default(),
        Some(PASS),
        "writer",
    )
    .expect("writer opens")
    .with_clock(clock());
    let mut i: u32 = 0;
    loop {
        i += 1;
        let code = srt_core::cases::ids::PersonalCode::compose(
            chrono::NaiveDate::from_ymd_opt(2012, 1, 1).expect("date")
                + chrono::Duration::days(i64::from(i % 3000)),
            srt_core::cases::ids::Sex::Female,
            std::process::id() % 1000,
        );
        let mut app = application(code.as_str());
        app.notes = "x".repeat(2000);
        match desk.register_application(&app) {
            Ok(case) => println!("{}", case.case_no),
            Err(srt_core::Error::DuplicateOpenCase { .. }) => continue,
            Err(e) => panic!("write failed: {e}"),
        }
    }
}

#[test]
#[cfg(unix)]
fn killing_the_writer_never_loses_a_commit_or_corrupts_the_file() {
    if let Ok(db) = std::env::var(CHILD_ENV) {
        writer(&db);
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, path) = new_desk(dir.path());
    drop(desk);
    let me = std::env::current_exe().expect("test binary");
    let mut committed: Vec<String> = Vec::new();
    let mut seed: u64 = 0x5eed;
    for round in 0..100 {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "killing_the_writer_never_loses_a_commit_or_corrupts_the_file",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        // Read what the writer reports on a thread, kill it after a random 20-150 ms.
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.starts_with("SRT-"))
                .collect::<Vec<_>>()
        });
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(20 + (seed >> 33) % 130));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        committed.extend(reader.join().expect("reader"));

        let desk = Desk::open(&path, &MemoryKeyStore::default(), Some(PASS), "check")
            .unwrap_or_else(|e| {
                panic!("round {round}: the database does not open after a kill: {e}")
            });
        let report = desk.check().expect("check");
        assert!(
            report.integrity.sqlite_ok && report.integrity.cipher_ok,
            "round {round}: {report:?}"
        );
        assert!(
            report.audit.first_broken_id.is_none(),
            "round {round}: audit chain broken"
        );
        let total = desk.case_counts().expect("counts").total as usize;
        assert!(
            total >= committed.len(),
            "round {round}: {} reported, {total} stored",
            committed.len()
        );
        if let Some(last) = committed.last() {
            let found = desk
                .list_cases(&srt_core::cases::CaseFilter {
                    text: last.clone(),
                    ..Default::default()
                })
                .expect("search");
            assert_eq!(
                found.total, 1,
                "round {round}: the last committed case {last} is missing"
            );
        }
    }
    assert!(
        committed.len() > 100,
        "the writer committed only {} cases",
        committed.len()
    );
    let desk = Desk::open(&path, &MemoryKeyStore::default(), Some(PASS), "check").expect("open");
    let stored: std::collections::HashSet<String> = desk
        .store()
        .connection()
        .prepare("SELECT case_no FROM srt_case")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for no in &committed {
        assert!(stored.contains(no), "committed case {no} was lost");
    }
    println!(
        "crash test: 100 kills, {} committed cases, all present",
        committed.len()
    );
}
