//! The encrypted store on real SQLCipher files: written and re-read, and every way opening can
//! fail, each with its own error and without changing a byte of the file.

mod common;

use common::*;
use srt_core::store::key::{DbKey, KeyInfo, KeySourceKind, WrappedKey};
use srt_core::store::migrate;
use srt_core::store::page_format::{self, PageFormat};
use srt_core::{Desk, Error, KdfParams, KeyStore, MemoryKeyStore, NewKey, Store};

#[test]
fn a_case_written_is_read_back_after_reopening() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let created = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    drop(desk);
    let desk = open_desk(&path);
    let back = desk.case(created.id).expect("case");
    assert_eq!(back.child.last_name, "Näidis-Õunapuu");
    assert_eq!(back.child.personal_code.as_deref(), Some(CHILD_CODE));
    assert_eq!(back.guardians.len(), 1);
    assert_eq!(back.status, "received");
}

#[test]
fn the_file_does_not_start_with_the_sqlite_header_and_holds_no_plain_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.register_application(&application(CHILD_CODE))
        .expect("register");
    drop(desk);
    let bytes = file_bytes(&path);
    assert_ne!(
        &bytes[..16],
        b"SQLite format 3\0",
        "the header would reveal an unencrypted file"
    );
    let hay = String::from_utf8_lossy(&bytes);
    assert!(
        !hay.contains(CHILD_CODE),
        "the child's personal code is readable on disk"
    );
    assert!(
        !hay.contains("Mirtel"),
        "the child's name is readable on disk"
    );
}

#[test]
fn wrong_passphrase_fails_with_its_own_error_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.register_application(&application(CHILD_CODE))
        .expect("register");
    drop(desk);
    let before = file_bytes(&path);
    let key_before = file_bytes(&KeyInfo::path_for(&path));
    let err = Desk::open(
        &path,
        &MemoryKeyStore::default(),
        Some("not the passphrase"),
        "t",
    )
    .expect_err("wrong passphrase must fail");
    assert!(matches!(err, Error::WrongPassphrase), "got {err:?}");
    assert_eq!(err.code(), "key.wrong_passphrase");
    let err = Desk::open(&path, &MemoryKeyStore::default(), None, "t").expect_err("no passphrase");
    assert_eq!(err.code(), "key.passphrase_required");
    assert_eq!(file_bytes(&path), before, "the database file was modified");
    assert_eq!(file_bytes(&KeyInfo::path_for(&path)), key_before);
}

#[test]
fn wrong_key_in_the_credential_store_fails_with_its_own_error_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("kr.db");
    let keys = MemoryKeyStore::default();
    let desk = Desk::create(
        &path,
        NewKey::Keyring {
            recovery_params: KdfParams::fast_for_tests(),
        },
        &keys,
        "t",
    )
    .expect("create");
    let entry = desk
        .store()
        .key_info()
        .keyring_entry
        .clone()
        .expect("entry recorded");
    assert_eq!(desk.store().key_info().key_source, KeySourceKind::Keyring);
    drop(desk);
    let before = file_bytes(&path);

    keys.set(&entry, &DbKey::random().expect("rng"))
        .expect("replace key");
    let err = Desk::open(&path, &keys, None, "t").expect_err("wrong key");
    assert_eq!(err.code(), "key.wrong_key");

    keys.delete(&entry).expect("delete");
    let err = Desk::open(&path, &keys, None, "t").expect_err("missing key");
    assert_eq!(err.code(), "key.not_found");
    assert!(
        err.message().en.contains(&entry),
        "the message names the entry"
    );
    assert_eq!(file_bytes(&path), before, "the database file was modified");
}

#[test]
fn a_plain_sqlite_file_is_refused_as_not_encrypted() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("plain.db");
    {
        let c = rusqlite::Connection::open(&path).expect("plain");
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .expect("write");
    }
    let before = file_bytes(&path);
    let err = Desk::open(&path, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("plain");
    assert_eq!(err.code(), "db.not_encrypted");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn garbage_and_empty_files_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    // A key file that is right for another database, beside a file of random bytes.
    let (desk, real) = new_desk(dir.path());
    drop(desk);
    let path = dir.path().join("garbage.db");
    let junk: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &junk).expect("write");
    std::fs::copy(KeyInfo::path_for(&real), KeyInfo::path_for(&path)).expect("copy key");
    let err = Desk::open(&path, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("garbage");
    assert_eq!(err.code(), "db.not_srt_desk");
    assert_eq!(file_bytes(&path), junk);

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    let err = Desk::open(&empty, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("empty");
    assert_eq!(err.code(), "db.not_srt_desk");
    assert_eq!(file_bytes(&empty), b"");

    let lone = dir.path().join("lone.db");
    std::fs::write(&lone, &junk).expect("write");
    let err = Desk::open(&lone, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("no key");
    assert_eq!(err.code(), "db.key_info_missing");

    std::fs::write(KeyInfo::path_for(&lone), b"{ not json").expect("write");
    let err = Desk::open(&lone, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("bad key");
    assert_eq!(err.code(), "db.key_info_corrupt");

    let missing = dir.path().join("missing.db");
    let err = Desk::open(&missing, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("none");
    assert_eq!(err.code(), "db.not_found");
    assert!(!missing.exists(), "opening must never create a database");
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, path) = new_desk(dir.path());
    desk.store()
        .connection()
        .pragma_update(None, "user_version", 99)
        .expect("bump version");
    drop(desk);
    let before = file_bytes(&path);
    let err = Desk::open(&path, &MemoryKeyStore::default(), Some(PASS), "t").expect_err("newer");
    assert!(
        matches!(err, Error::NewerVersion { found: 99, .. }),
        "got {err:?}"
    );
    assert_eq!(err.code(), "db.newer_version");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn init_never_creates_over_an_existing_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("taken.db");
    std::fs::write(&path, b"precious").expect("write");
    let err =
        Desk::create(&path, passphrase_key(), &MemoryKeyStore::default(), "t").expect_err("exists");
    assert_eq!(err.code(), "db.exists");
    assert_eq!(file_bytes(&path), b"precious");
    assert!(!KeyInfo::path_for(&path).exists());

    let (desk, existing) = new_desk(dir.path());
    drop(desk);
    let before = file_bytes(&existing);
    let err = Desk::create(&existing, passphrase_key(), &MemoryKeyStore::default(), "t")
        .expect_err("exists");
    assert_eq!(err.code(), "db.exists");
    assert_eq!(file_bytes(&existing), before);
}

#[test]
fn changing_the_passphrase_rewraps_the_key_without_reencrypting() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.register_application(&application(CHILD_CODE))
        .expect("register");
    drop(desk);
    let before = file_bytes(&path);
    let new_pass = "a brand new passphrase";
    let err = Store::change_passphrase(
        &path,
        "wrong old one",
        new_pass,
        KdfParams::fast_for_tests(),
    )
    .expect_err("old passphrase checked");
    assert_eq!(err.code(), "key.wrong_passphrase");
    Store::change_passphrase(&path, PASS, new_pass, KdfParams::fast_for_tests()).expect("change");
    assert_eq!(
        file_bytes(&path),
        before,
        "the data must not be re-encrypted"
    );
    assert_eq!(
        Desk::open(&path, &MemoryKeyStore::default(), Some(PASS), "t")
            .expect_err("old")
            .code(),
        "key.wrong_passphrase"
    );
    let desk = Desk::open(&path, &MemoryKeyStore::default(), Some(new_pass), "t").expect("new");
    assert_eq!(desk.case_counts().expect("counts").total, 1);
}

#[test]
fn integrity_check_passes_on_a_fresh_database_with_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _path) = new_desk(dir.path());
    desk.load_demo(30, 7).expect("demo");
    let report = desk.check().expect("check");
    assert!(report.all_ok(), "{report:?}");
    assert!(report.audit.rows >= 2);
}

#[test]
fn compacting_keeps_every_case_encrypted_and_sound_and_leaves_a_trace() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    desk.load_demo(60, 7).expect("demo");
    let created = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let counts = desk.case_counts().expect("counts");
    let audit_rows = desk.check().expect("check").audit.rows;
    let (before, after) = desk.compact().expect("compact");
    assert!(after > 0 && after <= before, "{before} -> {after}");
    let report = desk.check().expect("check");
    assert!(report.all_ok(), "{report:?}");
    assert_eq!(
        report.audit.rows,
        audit_rows + 1,
        "the compaction is in the audit trail"
    );
    assert_eq!(desk.case_counts().expect("counts").total, counts.total);
    drop(desk);
    let desk = open_desk(&path);
    assert_eq!(
        desk.case(created.id)
            .expect("case")
            .child
            .personal_code
            .as_deref(),
        Some(CHILD_CODE)
    );
    let hay = String::from_utf8_lossy(&file_bytes(&path)).into_owned();
    assert!(
        !hay.contains(CHILD_CODE),
        "the compacted file is still encrypted"
    );
    assert!(
        !hay.contains("Mirtel"),
        "the compacted file is still encrypted"
    );
}

/// The app's start on a credential-store desk, with `keys` as the credential store.
fn keyring_session(path: &std::path::Path, keys: &MemoryKeyStore) -> srt_core::launch::Session {
    srt_core::launch::Session::start(
        path.to_path_buf(),
        Box::new(keys.clone()),
        None,
        "t",
        KdfParams::fast_for_tests(),
    )
}

/// Build a real encrypted file at an old schema version, the way that version would have, its key
/// wrapped by [`PASS`].
fn encrypted_file_at_version(dir: &std::path::Path, version: usize) -> std::path::PathBuf {
    encrypted_file_and_key_at_version(dir, version).0
}

fn encrypted_file_and_key_at_version(
    dir: &std::path::Path,
    version: usize,
) -> (std::path::PathBuf, DbKey) {
    let key = DbKey::random().expect("rng");
    let wrapped = WrappedKey::wrap(&key, PASS, KdfParams::fast_for_tests()).expect("wrap");
    let path = dir.join(format!("v{version}.db"));
    older::write_older_desk(
        &path,
        version,
        &key,
        KeySourceKind::Passphrase,
        Some(wrapped),
    );
    (path, key)
}

/// The same with its key in `keys` (a credential-store desk).
fn keyring_file_at_version(
    dir: &std::path::Path,
    version: usize,
    keys: &dyn KeyStore,
) -> std::path::PathBuf {
    let key = DbKey::random().expect("rng");
    keys.set(&format!("old{version}"), &key)
        .expect("key stored");
    let path = dir.join(format!("v{version}.db"));
    older::write_older_desk(&path, version, &key, KeySourceKind::Keyring, None);
    path
}

#[test]
fn every_earlier_schema_version_migrates_to_the_latest_with_its_data() {
    migrate::migrations().validate().expect("migrations valid");
    let latest = migrate::latest_version();
    for version in 1..latest {
        let dir = tempfile::tempdir().expect("tmp");
        let path = encrypted_file_at_version(dir.path(), version);
        // As the unlock screen opens it: the upgrade's steps are reported as they are done.
        let progress = srt_core::WorkProgress::default();
        let desk = Desk::open_reporting(
            &path,
            &MemoryKeyStore::default(),
            Some(PASS),
            "t",
            Some(&progress),
        )
        .unwrap_or_else(|e| panic!("open v{version}: {e}"));
        assert_eq!(desk.store().schema_version().expect("version"), latest);
        // Each schema step and the rewrite in the current page format.
        let steps = (latest - version) as u64 + 1;
        assert_eq!(
            progress.get(),
            (steps, steps),
            "v{version}: each pending step reported"
        );
        let found = desk
            .list_cases(&srt_core::cases::CaseFilter {
                text: "ounapuu".into(),
                ..Default::default()
            })
            .expect("search");
        assert_eq!(
            found.total, 1,
            "v{version}: the old case is found after migration"
        );
        assert!(desk.check().expect("check").all_ok());
    }
}

/// "Katkesta" on the unlock screen during an upgrade: the desk stays at the last finished step,
/// intact and readable by the next opening, which finishes the upgrade with the data in it.
#[test]
fn an_upgrade_asked_to_stop_keeps_the_desk_and_continues_at_the_next_opening() {
    let dir = tempfile::tempdir().expect("tmp");
    let from = 10;
    let path = encrypted_file_at_version(dir.path(), from);
    let keys = MemoryKeyStore::default();
    let progress = srt_core::WorkProgress::default();
    progress.cancel();
    let err = Desk::open_reporting(&path, &keys, Some(PASS), "t", Some(&progress))
        .expect_err("cancelled");
    let total = (migrate::latest_version() - from) as u64 + 1;
    assert!(
        matches!(err, Error::UpgradeCancelled { done: 0, total: t } if t == total),
        "{err:?}"
    );
    assert_eq!(err.code(), "work.cancelled");
    assert!(err.message().et.contains("jätkub järgmisel avamisel"));
    assert!(err.message().en.contains("continues the next time"));
    // Still the old schema, and nothing is lost: the next opening upgrades it.
    assert!(Desk::open_if_current(&path, &keys, Some(PASS), "t")
        .expect("readable")
        .is_none());
    progress.reset();
    let desk =
        Desk::open_reporting(&path, &keys, Some(PASS), "t", Some(&progress)).expect("upgraded");
    assert_eq!(progress.get(), (total, total));
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    assert!(desk.check().expect("check").all_ok());
}

/// While the desk is locked, the session's "Katkesta" reaches the unlock's upgrade.
#[test]
fn a_locked_session_cancels_its_upgrade() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let path = keyring_file_at_version(dir.path(), migrate::latest_version() - 1, &keys);
    let session = keyring_session(&path, &keys);
    assert_eq!(session.status().lock_reason, Some("upgrade"));
    assert!(!session.work_progress().is_cancelled());
    session.work_cancel().cancel();
    assert!(session.work_progress().is_cancelled());
}

#[test]
fn a_credential_store_desk_waits_for_the_window_to_upgrade_and_shows_its_steps() {
    // An app update on a desk whose key is in the credential store: the start does not upgrade
    // (the window would wait for it), it leaves the file as it was and asks the unlock screen to
    // do it, where the steps are shown.
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let older = migrate::latest_version() - 1;
    let path = keyring_file_at_version(dir.path(), older, &keys);
    let before = file_bytes(&path);
    let mut session = keyring_session(&path, &keys);
    let status = session.status();
    assert_eq!(status.state, "locked");
    assert_eq!(status.key_source, Some(KeySourceKind::Keyring));
    assert_eq!(status.lock_reason, Some("upgrade"));
    assert_eq!(
        file_bytes(&path),
        before,
        "nothing written before the upgrade"
    );
    // The unlock screen starts it (and polls this while it runs): the key comes from the
    // store, the step is reported.
    let progress = session.work_progress();
    assert_eq!(progress.get(), (0, 0));
    let status = session.unlock("").expect("unlock upgrades");
    assert_eq!(status.state, "open");
    assert_eq!(status.lock_reason, None);
    // The rewrite in the current page format and the schema step.
    assert_eq!(progress.get(), (2, 2));
    let desk = session.desk().expect("open");
    assert_eq!(
        desk.store().schema_version().expect("version"),
        migrate::latest_version()
    );
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    drop(session);
    // Once up to date, the next start opens it at once.
    let session = keyring_session(&path, &keys);
    assert_eq!(session.status().state, "open");
}

/// A desk written by an earlier version (HMAC-SHA512 pages) is rewritten once in the current
/// format (HMAC-SHA256) as one step of the opening's upgrade, with all its data; the next
/// opening reads it at once.
#[test]
fn a_desk_in_the_older_page_format_is_rewritten_once_with_everything_in_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let (path, key) = encrypted_file_and_key_at_version(dir.path(), migrate::latest_version());
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Legacy
    );
    let before = file_bytes(&path);
    // The app's start leaves it to the unlock screen, writing nothing.
    assert!(Desk::open_if_current(&path, &keys, Some(PASS), "t")
        .expect("readable")
        .is_none());
    assert_eq!(file_bytes(&path), before);

    let progress = srt_core::WorkProgress::default();
    let desk =
        Desk::open_reporting(&path, &keys, Some(PASS), "t", Some(&progress)).expect("opened");
    assert_eq!(progress.get(), (1, 1), "the rewrite is one step");
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    let found = desk
        .list_cases(&srt_core::cases::CaseFilter {
            text: "ounapuu".into(),
            ..Default::default()
        })
        .expect("search");
    assert_eq!(found.total, 1, "the search index came along");
    assert!(desk.check().expect("check").all_ok());
    drop(desk);
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Current
    );
    assert!(
        !page_format::work_path(&path).exists(),
        "no work file is left beside the desk"
    );
    // Still encrypted, under the same key, and the next start opens it without an upgrade.
    assert_ne!(&file_bytes(&path)[..16], b"SQLite format 3\0");
    assert!(Desk::open_if_current(&path, &keys, Some(PASS), "t")
        .expect("opens")
        .is_some());
}

/// "Katkesta" while the rewrite runs: the export stops, the desk is the old file byte for byte,
/// no work file is left, and the next opening rewrites it.
#[test]
fn a_rewrite_asked_to_stop_leaves_the_desk_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let (path, key) = encrypted_file_and_key_at_version(dir.path(), migrate::latest_version());
    {
        // Enough pages that the export runs for a while (~80 MB).
        let conn = srt_core::store::open_raw(&path, &key).expect("open");
        // In WAL mode as every opening leaves a desk, so that the file's bytes can be compared.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO meta (key, value, created_at, updated_at)
             SELECT 'filler' || i, hex(randomblob(2000)), 'x', 'x' FROM n;",
        )
        .expect("filler");
    }
    let before = file_bytes(&path);
    let progress = srt_core::WorkProgress::default();
    let work = page_format::work_path(&path);
    let opened = std::thread::scope(|scope| {
        let (p, w) = (progress.clone(), work.clone());
        let seen = scope.spawn(move || {
            // Once the export has begun writing and the bar has moved within the step.
            let mut part = 0;
            for _ in 0..50_000 {
                part = p.part();
                if part > 0 && std::fs::metadata(&w).map(|m| m.len() > 0).unwrap_or(false) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            p.cancel();
            part
        });
        let opened = Desk::open_reporting(&path, &keys, Some(PASS), "t", Some(&progress));
        (opened, seen.join().expect("watcher"))
    });
    let (opened, part) = opened;
    assert!(part > 0, "the step reported how far it had come");
    let err = opened.expect_err("cancelled");
    assert!(
        matches!(err, Error::UpgradeCancelled { done: 0, total: 1 }),
        "{err:?}"
    );
    assert!(file_bytes(&path) == before, "the desk is as it was");
    assert!(!work.exists(), "the work file is removed");
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Legacy
    );
    progress.reset();
    let desk =
        Desk::open_reporting(&path, &keys, Some(PASS), "t", Some(&progress)).expect("opened");
    assert_eq!(progress.get(), (1, 1));
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    drop(desk);
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Current
    );
}

/// A rewrite that cannot be done (here its work file's place is taken; on a laptop, a full disk)
/// does not stop the coordinator: the desk opens as it is, the failure is remembered and the
/// rewrite is not tried at every opening, only again a week later.
#[test]
fn a_rewrite_that_cannot_be_done_leaves_the_desk_working_and_is_tried_again_in_a_week() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let (path, key) = encrypted_file_and_key_at_version(dir.path(), migrate::latest_version());
    let work = page_format::work_path(&path);
    std::fs::create_dir(&work).expect("place taken");
    std::fs::write(work.join("something"), b"x").expect("not empty");
    let desk = Desk::open(&path, &keys, Some(PASS), "t").expect("opens as it is");
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    assert!(desk.check().expect("check").all_ok());
    drop(desk);
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Legacy
    );
    // Remembered: the next start opens it without the upgrade screen.
    assert!(Desk::open_if_current(&path, &keys, Some(PASS), "t")
        .expect("opens")
        .is_some());
    // A week later it is tried again, and now it can be done.
    std::fs::remove_dir_all(&work).expect("place freed");
    {
        let conn = srt_core::store::open_raw(&path, &key).expect("open");
        let mark: String = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'page_format_rewrite_failed'",
                [],
                |r| r.get(0),
            )
            .expect("failure remembered");
        let week_ago = (chrono::Utc::now() - chrono::Duration::days(8)).to_rfc3339();
        let (_, why) = mark.split_once(' ').expect("when and why");
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'page_format_rewrite_failed'",
            [format!("{week_ago} {why}")],
        )
        .expect("moved back");
    }
    assert!(Desk::open_if_current(&path, &keys, Some(PASS), "t")
        .expect("readable")
        .is_none());
    drop(Desk::open(&path, &keys, Some(PASS), "t").expect("rewritten"));
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Current
    );
}

/// Another program with the desk open (an srt-admin beside the app): the desk is not renamed
/// away under it — it would go on writing to a file nobody opens again — and both go on working.
#[test]
fn a_desk_open_elsewhere_is_not_rewritten_under_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = MemoryKeyStore::default();
    let (path, key) = encrypted_file_and_key_at_version(dir.path(), migrate::latest_version());
    let other = srt_core::store::open_raw(&path, &key).expect("the other program");
    other
        .execute_batch("PRAGMA journal_mode = WAL;")
        .expect("wal");
    let cases = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM srt_case", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(cases(&other), 1);
    let desk = Desk::open(&path, &keys, Some(PASS), "t").expect("opens as it is");
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    assert!(!page_format::work_path(&path).exists());
    // The other program writes on, and the desk sees it: the same file.
    other
        .execute("UPDATE child SET first_name = 'Uus' WHERE id = 1", [])
        .expect("the other program writes");
    let name: String = desk
        .store()
        .connection()
        .query_row("SELECT first_name FROM child WHERE id = 1", [], |r| {
            r.get(0)
        })
        .expect("read");
    assert_eq!(name, "Uus");
    drop(desk);
    drop(other);
    assert_eq!(
        page_format::detect(&path, &key).expect("read"),
        PageFormat::Legacy
    );
}

#[test]
fn an_empty_file_migrates_from_nothing_to_latest() {
    let dir = tempfile::tempdir().expect("tmp");
    let (desk, _) = new_desk(dir.path());
    assert_eq!(
        desk.store().schema_version().expect("v"),
        migrate::latest_version()
    );
    let places = desk.places().expect("places");
    assert_eq!(places.counties.len(), 15);
    assert_eq!(places.municipalities.len(), 79);
}

#[test]
fn a_backup_restores_elsewhere_with_only_its_passphrase_and_never_overwrites() {
    use srt_core::store::backup;
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, _) = new_desk(dir.path());
    desk.load_demo(25, 3).expect("demo");
    let cases = desk.case_counts().expect("counts").total;
    let out = dir.path().join("b.srtbackup");
    let bpass = "backup passphrase for tests";
    let info = desk
        .backup(&out, bpass, KdfParams::fast_for_tests())
        .expect("backup");
    assert_eq!(info.schema_version, migrate::latest_version());
    let err = desk
        .backup(&out, bpass, KdfParams::fast_for_tests())
        .expect_err("exists");
    assert_eq!(
        err.code(),
        "file.exists",
        "a backup never overwrites a file"
    );
    assert!(
        err.message().et.contains("vali teine nimi"),
        "the message speaks of a file, not a database: {}",
        err.message().et
    );
    drop(desk);
    let raw = std::fs::read(&out).expect("read");
    assert!(
        !String::from_utf8_lossy(&raw).contains("Näidis"),
        "the backup is encrypted"
    );

    // "Another machine": a new folder, a different key store, only the backup passphrase.
    let other = tempfile::tempdir().expect("other");
    let target = other.path().join("restored.db");
    let new_key = NewKey::Passphrase {
        passphrase: "the new machine's passphrase".into(),
        params: KdfParams::fast_for_tests(),
    };
    let keys = MemoryKeyStore::default();
    assert_eq!(
        backup::restore(
            &out,
            &target,
            "wrong backup passphrase",
            &new_key,
            &keys,
            "t1"
        )
        .expect_err("wrong")
        .code(),
        "key.wrong_passphrase"
    );
    assert!(
        !target.exists(),
        "nothing is written before the backup is proven whole"
    );
    let restored = backup::restore(&out, &target, bpass, &new_key, &keys, "t1").expect("restore");
    assert_eq!(restored.aside, None);
    assert_eq!(
        restored.recovery_code.len(),
        24,
        "a restore gives a new recovery code"
    );
    let restored =
        Desk::open(&target, &keys, Some("the new machine's passphrase"), "t").expect("open");
    assert_eq!(restored.case_counts().expect("counts").total, cases);
    assert!(restored.check().expect("check").all_ok());
    drop(restored);

    // Restoring again keeps the current database aside instead of overwriting it.
    let aside =
        backup::restore(&out, &target, bpass, &new_key, &keys, "t2").expect("restore again");
    let aside = aside.aside.expect("old one kept");
    assert!(aside.exists() && KeyInfo::path_for(&aside).exists());

    let truncated = dir.path().join("truncated.srtbackup");
    std::fs::write(&truncated, &raw[..raw.len() / 2]).expect("write");
    let err = backup::restore(
        &truncated,
        &other.path().join("t.db"),
        bpass,
        &new_key,
        &keys,
        "t3",
    )
    .expect_err("truncated");
    assert_eq!(err.code(), "backup.corrupt");
    std::fs::write(&truncated, b"not a backup at all").expect("write");
    let err = backup::restore(
        &truncated,
        &other.path().join("t.db"),
        bpass,
        &new_key,
        &keys,
        "t3",
    )
    .expect_err("garbage");
    assert_eq!(err.code(), "backup.corrupt");
}

// --- Recovery codes ---

#[test]
fn a_lost_credential_store_entry_is_recovered_with_the_code_and_put_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("kr.db");
    let keys = MemoryKeyStore::default();
    let mut desk = Desk::create(
        &path,
        NewKey::Keyring {
            recovery_params: KdfParams::fast_for_tests(),
        },
        &keys,
        "t",
    )
    .expect("create");
    let code = desk
        .take_recovery_code()
        .expect("a new database has a recovery code");
    assert!(
        desk.take_recovery_code().is_none(),
        "the code is given once"
    );
    let entry = desk
        .store()
        .key_info()
        .keyring_entry
        .clone()
        .expect("entry");
    drop(desk);
    let info_text = std::fs::read_to_string(KeyInfo::path_for(&path)).expect("key file");
    assert!(
        !info_text.contains(code.as_str()) && !info_text.contains(&code.replace('-', "")),
        "the key file never holds the code in clear"
    );

    // New laptop / changed keyring backend: the entry is gone.
    keys.delete(&entry).expect("delete");
    let before = file_bytes(&path);
    let err = Desk::open(&path, &keys, None, "t").expect_err("no key");
    assert_eq!(err.code(), "key.not_found");

    let err = Desk::open_with_recovery(&path, &keys, "0000-0000-0000-0000-0000", None, "t")
        .expect_err("wrong code");
    assert_eq!(err.code(), "validation");
    assert_eq!(err.payload().fields[0].code, "key.wrong_recovery_code");
    let err = Desk::open_with_recovery(&path, &keys, "not a code", None, "t").expect_err("junk");
    assert_eq!(err.payload().fields[0].code, "key.wrong_recovery_code");
    assert_eq!(
        file_bytes(&path),
        before,
        "failed recoveries change nothing"
    );

    // Typed in lower case with spaces, as people do.
    let typed = code.to_lowercase().replace('-', " ");
    let (desk, restored) =
        Desk::open_with_recovery(&path, &keys, &typed, None, "t").expect("recover");
    assert!(restored, "the key went back into the credential store");
    assert!(desk.check().expect("check").all_ok());
    drop(desk);
    Desk::open(&path, &keys, None, "t").expect("opens normally again");
}

#[test]
fn a_forgotten_passphrase_is_replaced_with_the_recovery_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("pw.db");
    let keys = MemoryKeyStore::default();
    let mut desk = Desk::create(&path, passphrase_key(), &keys, "t").expect("create");
    let code = desk.take_recovery_code().expect("code");
    drop(desk);

    let err = Desk::open_with_recovery(&path, &keys, &code, Some("short"), "t")
        .expect_err("weak new passphrase");
    assert_eq!(err.payload().fields[0].code, "key.passphrase_too_short");
    let (desk, _) =
        Desk::open_with_recovery(&path, &keys, &code, Some("a brand new passphrase"), "t")
            .expect("recover");
    drop(desk);
    let err = Desk::open(&path, &keys, Some(PASS), "t").expect_err("old passphrase is gone");
    assert_eq!(err.code(), "key.wrong_passphrase");
    Desk::open(&path, &keys, Some("a brand new passphrase"), "t").expect("new passphrase opens");
    // The recovery code keeps working after the change.
    Desk::open_with_recovery(&path, &keys, &code, Some("yet another passphrase"), "t")
        .expect("code still works");
}

#[test]
fn the_session_shows_the_code_once_and_recovers_a_lost_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("s.db");
    let keys = MemoryKeyStore::default();
    let session = keyring_session(&path, &keys);
    let mut session = session;
    let status = session.status();
    assert_eq!(status.state, "open");
    let code = status.recovery_code.expect("shown after setup");
    assert_eq!(
        session.status().recovery_code.as_deref(),
        Some(code.as_str())
    );
    let status = session.recovery_code_shown().expect("ack");
    assert!(status.recovery_code.is_none(), "gone once acknowledged");
    let entry = session
        .desk()
        .expect("open")
        .store()
        .key_info()
        .keyring_entry
        .clone()
        .expect("entry");
    drop(session);

    keys.delete(&entry).expect("lose the key");
    let mut session = keyring_session(&path, &keys);
    let status = session.status();
    assert_eq!(status.state, "error");
    assert!(status.can_recover);
    assert_eq!(status.error.expect("error").code, "key.not_found");
    let err = session
        .recover("0000 0000 0000 0000 0000", "", "")
        .expect_err("wrong");
    assert_eq!(err.payload().fields[0].code, "key.wrong_recovery_code");
    let status = session.recover(&code, "", "").expect("recover");
    assert_eq!(status.state, "open");
    let actions: Vec<String> = session
        .desk()
        .expect("open")
        .audit_log(&Default::default())
        .expect("audit")
        .rows
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.contains(&"desk.recover".to_string()), "{actions:?}");
    assert!(
        actions.contains(&"desk.unlock_failed".to_string()),
        "{actions:?}"
    );
}
