//! The folder of the database turns read-only while the coordinator works (a permissions change
//! by an administrator, a synced folder locked). The database runs in WAL mode, so the open
//! connection keeps saving into its already open files: nothing typed is refused or lost. What
//! needs the folder fails clearly instead: a backup into it, and opening the database again (SQLite
//! must create its -shm/-wal files there) — with a "read-only" message, not a corrupt file. Once
//! the folder is writable again, every case reported saved is there and integrity_check passes.
//!
//! Folder permissions do not stop root, and CI runs as root: there the writer is started as the
//! unprivileged user `nobody` through util-linux's `setpriv`, so the kernel really refuses.

mod common;

use std::process::Command;

use common::*;
use srt_core::{Desk, MemoryKeyStore};

const CHILD_ENV: &str = "SRT_READONLY_WRITER_DB";
const NOBODY: u32 = 65534;

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// In the child: save 3 cases, make the folder read-only, save a 4th (the open WAL files still take
/// it), close, try to reopen and to back up into the read-only folder, make it writable again.
#[cfg(unix)]
fn writer(db: &str) {
    let path = std::path::Path::new(db);
    let folder = path.parent().expect("folder");
    let open = || {
        Desk::open(path, &MemoryKeyStore::default(), Some(PASS), "writer")
            .map(|d| d.with_clock(clock()))
    };
    let mut desk = open().expect("writer opens");
    let app = |i: i64| {
        let code = srt_core::cases::ids::PersonalCode::compose(
            chrono::NaiveDate::from_ymd_opt(2013, 2, 1).expect("date") + chrono::Duration::days(i),
            srt_core::cases::ids::Sex::Female,
            11,
        );
        application(code.as_str())
    };
    for i in 0..3 {
        let case = desk
            .register_application(&app(i))
            .expect("saves while writable");
        println!("saved {}", case.case_no);
    }
    set_mode(folder, 0o555);
    match desk.register_application(&app(3)) {
        Ok(case) => println!("saved {}", case.case_no),
        Err(e) => println!("error {} | {}", e.code(), e.message().et),
    }
    match desk.backup(
        &folder.join("copy.srtbackup"),
        "backup passphrase 1",
        srt_core::KdfParams::fast_for_tests(),
    ) {
        Ok(_) => println!("backup written"),
        Err(e) => println!("backup error {} | {}", e.code(), e.message().et),
    }
    drop(desk);
    match open() {
        Ok(_) => println!("reopened read-only"),
        Err(e) => println!("open error {} | {}", e.code(), e.message().et),
    }
    set_mode(folder, 0o755);
    match open().and_then(|d| d.case_counts()) {
        Ok(c) => println!("reads {}", c.total),
        Err(e) => println!("reopen failed {}", e.code()),
    }
}

#[test]
#[cfg(unix)]
fn a_read_only_folder_fails_the_save_clearly_and_the_retry_saves_it() {
    if let Ok(db) = std::env::var(CHILD_ENV) {
        writer(&db);
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).expect("folder");
    let (desk, path) = new_desk(&folder);
    drop(desk);
    let me = std::env::current_exe().expect("test binary");
    let args = [
        "--exact",
        "a_read_only_folder_fails_the_save_clearly_and_the_retry_saves_it",
        "--nocapture",
        "--test-threads=1",
    ];
    // SAFETY-free check of the effective user: root is uid 0 in /proc/self/status.
    let root = std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2))
                == Some("0")
        })
        .unwrap_or(false);
    let mut cmd = if root {
        // The writer runs as nobody: it must own the folder and the database, and reach the binary.
        for p in [dir.path(), folder.as_path(), path.as_path()] {
            std::os::unix::fs::chown(p, Some(NOBODY), Some(NOBODY)).expect("chown");
        }
        let mut c = Command::new("setpriv");
        c.args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "--",
        ]);
        c.arg(&me);
        c
    } else {
        Command::new(&me)
    };
    let out = cmd
        .args(args)
        .env(CHILD_ENV, &path)
        .env("HOME", dir.path())
        .output()
        .expect("run writer");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    let saved: Vec<&str> = text
        .lines()
        .filter_map(|l| l.find("saved SRT-").map(|i| &l[i + "saved ".len()..]))
        .collect();
    assert_eq!(
        saved.len(),
        4,
        "the open database takes every save: {text} {err}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("backup error io.read_only") && l.contains("kirjutuskaitstud")),
        "a backup into the read-only folder says why it failed: {text}"
    );
    assert!(
        text.lines().any(|l| l == "reopened read-only"
            || (l.starts_with("open error db.read_only") && l.contains("kirjutuskaitstud"))),
        "reopening in the read-only folder works on the WAL files left there, or says why not: {text}"
    );
    assert!(
        text.lines().any(|l| l == "reads 4"),
        "writable again, everything saved is there: {text} {err}"
    );

    let desk = open_desk(&path);
    assert!(
        desk.check().expect("check").all_ok(),
        "integrity after a read-only folder"
    );
    let list = desk
        .list_cases(&srt_core::cases::CaseFilter {
            limit: Some(100),
            ..Default::default()
        })
        .expect("list");
    let numbers: Vec<&str> = list.items.iter().map(|c| c.case_no.as_str()).collect();
    for case_no in &saved {
        assert!(numbers.contains(case_no), "{case_no} was reported saved");
    }
    assert_eq!(list.total, 4, "nothing half-saved appears");
    assert!(
        !folder.join("copy.srtbackup").exists(),
        "no half-written backup"
    );
}
