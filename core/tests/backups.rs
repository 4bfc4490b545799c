//! Automatic daily backups and the app's restore, on real encrypted files: the day's backup is
//! written once a day into the chosen folder and old ones are pruned; every backup restores with
//! only the backup passphrase; a restore from Settings keeps the current database aside.

mod common;

use std::sync::Arc;

use chrono::TimeZone;
use common::*;
use srt_core::clock::FixedClock;
use srt_core::launch::Session;
use srt_core::store::backup;
use srt_core::{Desk, KdfParams, MemoryKeyStore, NewKey};

const BPASS: &str = "a synthetic backup passphrase";

fn at(day: u32, hour: u32) -> Arc<FixedClock> {
    Arc::new(FixedClock(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, day, hour, 0, 0)
            .single()
            .expect("time"),
    ))
}

#[test]
fn daily_backups_are_written_once_a_day_pruned_and_restorable() {
    let dir = tempfile::tempdir().expect("tmp");
    let folder = tempfile::tempdir().expect("folder");
    let (desk, path) = new_desk(dir.path());
    let mut desk = desk.with_clock(at(20, 9));
    desk.register_application(&application("61303150029"))
        .expect("register");

    let status = desk
        .auto_backup_configure(
            &folder.path().to_string_lossy(),
            2,
            BPASS,
            BPASS,
            KdfParams::fast_for_tests(),
        )
        .expect("switch on");
    assert!(status.enabled);
    assert_eq!(status.files.len(), 1, "the first backup is written at once");
    assert!(
        desk.auto_backup_if_due().expect("check").is_none(),
        "not due the same day"
    );

    for day in [21, 22, 23] {
        desk = desk.with_clock(at(day, 10));
        let info = desk
            .auto_backup_if_due()
            .expect("backup")
            .expect("due a day later");
        assert!(info.path.starts_with(folder.path()));
        assert!(desk.auto_backup_if_due().expect("again").is_none());
    }
    let status = desk.auto_backup_status().expect("status");
    assert_eq!(status.files.len(), 2, "only the newest two are kept");
    assert!(
        status.files[0].name.contains("20261123"),
        "{:?}",
        status.files
    );
    assert_eq!(status.last_at.as_deref(), Some("2026-11-23T10:00:00Z"));
    let audit = desk.audit_log(&Default::default()).expect("audit");
    assert!(audit.rows.iter().any(|r| r.action == "backup.auto_on"));
    assert_eq!(
        audit.rows.iter().filter(|r| r.action == "backup").count(),
        4
    );
    drop(desk);

    // The newest restores on "another machine" with only the backup passphrase.
    let newest = folder.path().join(&status.files[0].name);
    let other = tempfile::tempdir().expect("other");
    let target = other.path().join("restored.db");
    let keys = MemoryKeyStore::default();
    backup::restore(
        &newest,
        &target,
        BPASS,
        &NewKey::Passphrase {
            passphrase: "the other machine's passphrase".into(),
            params: KdfParams::fast_for_tests(),
        },
        &keys,
        "t",
    )
    .expect("restore");
    let restored =
        Desk::open(&target, &keys, Some("the other machine's passphrase"), "t").expect("open");
    assert_eq!(restored.case_counts().expect("counts").total, 1);
    assert!(path.exists());
}

#[test]
fn an_unreachable_folder_is_reported_and_retried_later() {
    let dir = tempfile::tempdir().expect("tmp");
    let folder = tempfile::tempdir().expect("folder");
    let (desk, _) = new_desk(dir.path());
    let mut desk = desk.with_clock(at(20, 9));
    desk.auto_backup_configure(
        &folder.path().to_string_lossy(),
        7,
        BPASS,
        BPASS,
        KdfParams::fast_for_tests(),
    )
    .expect("on");
    let gone = folder.path().to_path_buf();
    drop(folder); // the USB stick is pulled out
    desk = desk.with_clock(at(21, 10));
    let err = desk.auto_backup_if_due().expect_err("folder gone");
    assert_eq!(err.code(), "backup.folder_unreachable");
    let status = desk.auto_backup_status().expect("status");
    let msg = status.last_error.expect("the failure is shown in Settings");
    assert!(msg.et.contains(&gone.display().to_string()), "{msg:?}");
    assert!(desk
        .auto_backup_if_due()
        .expect("not again at once")
        .is_none());
    desk = desk.with_clock(at(21, 11));
    assert!(
        desk.auto_backup_if_due().is_err(),
        "tried again an hour later"
    );
    let audit = desk.audit_log(&Default::default()).expect("audit");
    assert!(audit.rows.iter().any(|r| r.action == "backup.failed"));

    let status = desk.auto_backup_disable().expect("off");
    assert!(!status.enabled);
    desk = desk.with_clock(at(25, 11));
    assert!(desk.auto_backup_if_due().expect("off").is_none());
}

#[test]
fn the_app_restores_a_backup_over_the_open_database_keeping_it_aside() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("app.db");
    let mut session = Session::start(
        path.clone(),
        Box::new(MemoryKeyStore::default()),
        Some(PASS),
        "t",
        KdfParams::fast_for_tests(),
    );
    session.recovery_code_shown().expect("ack");
    session
        .desk()
        .expect("open")
        .register_application(&application("61303150029"))
        .expect("register");
    let out = dir.path().join("manual.srtbackup");
    let out_text = out.to_string_lossy().to_string();
    let err = session
        .backup_now(&out_text, BPASS, "typed differently")
        .expect_err("mismatch");
    assert_eq!(err.payload().fields[0].code, "key.passphrase_mismatch");
    session.backup_now(&out_text, BPASS, BPASS).expect("backup");
    session
        .desk()
        .expect("open")
        .register_application(&application("50001010006"))
        .expect("a second case after the backup");

    let err = session
        .restore_from(
            &out_text,
            "not the backup passphrase",
            "new desk passphrase",
            "new desk passphrase",
        )
        .expect_err("wrong backup passphrase");
    assert_eq!(err.payload().fields[0].code, "backup.wrong_passphrase");
    assert_eq!(
        session.status().state,
        "open",
        "a refused restore leaves the desk open"
    );
    let err = session
        .restore_from(&out_text, BPASS, "short", "short")
        .expect_err("weak passphrase");
    assert_eq!(err.payload().fields[0].code, "key.passphrase_too_short");

    let status = session
        .restore_from(
            &out_text,
            BPASS,
            "new desk passphrase",
            "new desk passphrase",
        )
        .expect("restore");
    assert_eq!(status.state, "open");
    assert!(
        status.recovery_code.is_some(),
        "the restored database has a new recovery code"
    );
    assert_eq!(
        session
            .desk()
            .expect("open")
            .case_counts()
            .expect("counts")
            .total,
        1,
        "back to the backup's content"
    );
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("app.db.before-restore-") && !n.ends_with(".key"))
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "the database that was open is kept aside: {aside:?}"
    );
    let old = Desk::open(
        &dir.path().join(&aside[0]),
        &MemoryKeyStore::default(),
        Some(PASS),
        "t",
    )
    .expect("the old one still opens with the old passphrase");
    assert_eq!(old.case_counts().expect("counts").total, 2);
}

/// A backup tells how far it has come, and "Katkesta" stops it: the error says it was cancelled,
/// no backup file and no half-written copy is left beside it, and the next backup works.
#[test]
fn a_backup_reports_progress_and_can_be_cancelled_leaving_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let out_dir = tempfile::tempdir().expect("out");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo_with_history(300, 3).expect("demo");
    let progress = desk.work_progress();
    let cancel = desk.work_cancel();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (watch, stop) = (progress.clone(), done.clone());
    // Wait until the export starts (the total is known), then cancel until the backup answers.
    let canceller = std::thread::spawn(move || {
        while watch.get().1 == 0 && !stop.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        // Pressed again every 5 ms (a hand cannot press faster): a press every 0.5 ms also
        // landed on each of the clean-up's twenty tries to detach the copy on a slow machine.
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            cancel.cancel();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    });
    let out = out_dir.path().join("cancelled.srtbackup");
    let err = desk
        .backup(&out, BPASS, KdfParams::fast_for_tests())
        .expect_err("cancelled");
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    canceller.join().expect("thread");
    assert_eq!(err.code(), "work.cancelled", "{err:?}");
    let left: Vec<_> = std::fs::read_dir(out_dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(
        left.is_empty(),
        "nothing is left beside the backup: {left:?}"
    );

    // The next backup works and ends at its total.
    let info = desk
        .backup(&out, BPASS, KdfParams::fast_for_tests())
        .expect("backup");
    let (written, total) = progress.get();
    assert!(total > 100_000, "the database's size is the total: {total}");
    assert_eq!(written, total);
    // The copy leaves out free pages: close to the total, never far above it.
    assert!(
        info.bytes > total / 2 && info.bytes < total + 100_000,
        "{} vs {total}",
        info.bytes
    );
}
