//! The credential-store path against the real OS store (Secret Service on Linux, through
//! gnome-keyring). Needs a session bus and an unlocked keyring, so it is ignored in a plain
//! `cargo test` and run by scripts/test under dbus-run-session with `--ignored`.

mod common;

use common::*;
use srt_core::launch::{Session, SessionStatus};
use srt_core::{Desk, KdfParams, KeySourceKind, KeyStore, KeyringStore, NewKey};

fn store() -> KeyringStore {
    // A service name of its own, so a test never touches a real SRT Desk key.
    KeyringStore::new(&format!("SRT Desk test {}", std::process::id()))
}

/// A new desk whose key goes into `keys`.
fn keyring_desk(path: &std::path::Path, keys: &KeyringStore) -> Desk {
    Desk::create(
        path,
        NewKey::Keyring {
            recovery_params: KdfParams::fast_for_tests(),
        },
        keys,
        "test",
    )
    .expect("create")
}

#[test]
#[ignore = "needs a running Secret Service; run by scripts/test"]
fn the_key_lives_in_the_real_secret_service_and_opens_the_database() {
    let keys = store();
    assert!(
        keys.available(),
        "the Secret Service is not reachable: is gnome-keyring running?"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("keyring.db");
    let mut desk = keyring_desk(&path, &keys);
    let info = desk.store().key_info().clone();
    let code = desk.take_recovery_code().expect("recovery code");
    assert_eq!(info.key_source, KeySourceKind::Keyring);
    let entry = info.keyring_entry.clone().expect("entry name recorded");
    desk.register_application(&application(CHILD_CODE))
        .expect("register");
    drop(desk);

    // The key is really in the store, and it is the one that opens the file.
    let stored = keys.get(&entry).expect("read store").expect("key present");
    assert_eq!(stored.check_value(), info.key_check);
    let desk = Desk::open(&path, &keys, None, "test").expect("reopen with the stored key");
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    drop(desk);

    // Without the key in the store: its own error, and the file is untouched.
    let before = file_bytes(&path);
    keys.delete(&entry).expect("delete");
    let err = Desk::open(&path, &keys, None, "test").expect_err("no key");
    assert_eq!(err.code(), "key.not_found");
    assert_eq!(file_bytes(&path), before);

    // The recovery code opens it and puts the key back into the real store.
    let (desk, restored) =
        Desk::open_with_recovery(&path, &keys, &code, None, "test").expect("recover");
    assert!(restored, "the key is back in the Secret Service");
    assert_eq!(desk.case_counts().expect("counts").total, 1);
    drop(desk);
    let stored = keys.get(&entry).expect("read store").expect("key back");
    assert_eq!(stored.check_value(), info.key_check);
    Desk::open(&path, &keys, None, "test").expect("opens from the store again");
    keys.delete(&entry).expect("clean up");
}

#[test]
#[ignore = "needs a running Secret Service; run by scripts/test"]
fn first_start_with_a_credential_store_creates_the_database_without_asking() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("first.db");
    let session = Session::start(
        path.clone(),
        Box::new(store()),
        None,
        "test",
        KdfParams::fast_for_tests(),
    );
    let status: SessionStatus = session.status();
    assert_eq!(status.state, "open", "{status:?}");
    assert_eq!(status.key_source, Some(KeySourceKind::Keyring));
    assert!(path.exists());
    let entry = srt_core::store::key::KeyInfo::load(&path)
        .expect("key info")
        .keyring_entry
        .expect("entry");
    drop(session);
    // A second start opens it with the stored key.
    let again = Session::start(
        path,
        Box::new(store()),
        None,
        "test",
        KdfParams::fast_for_tests(),
    );
    assert_eq!(again.status().state, "open");
    store().delete(&entry).expect("clean up");
}

/// The real store, counting how often it is asked for a key.
struct Counting<'a> {
    inner: &'a KeyringStore,
    gets: std::sync::atomic::AtomicUsize,
}

impl KeyStore for Counting<'_> {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn get(&self, entry: &str) -> srt_core::Result<Option<srt_core::store::key::DbKey>> {
        self.gets.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.inner.get(entry)
    }
    fn set(&self, entry: &str, key: &srt_core::store::key::DbKey) -> srt_core::Result<()> {
        self.inner.set(entry, key)
    }
    fn delete(&self, entry: &str) -> srt_core::Result<()> {
        self.inner.delete(entry)
    }
    fn available(&self) -> bool {
        self.inner.available()
    }
}

#[test]
#[ignore = "needs a running Secret Service; run by scripts/test"]
fn the_benchmark_times_the_opening_with_the_key_from_the_real_secret_service() {
    let keys = store();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("bench.db");
    let mut desk = keyring_desk(&path, &keys);
    desk.register_application(&application(CHILD_CODE))
        .expect("register");
    let entry = desk
        .store()
        .key_info()
        .keyring_entry
        .clone()
        .expect("entry");
    drop(desk);

    let counting = Counting {
        inner: &keys,
        gets: std::sync::atomic::AtomicUsize::new(0),
    };
    let mut figures = Vec::new();
    srt_core::bench::run(
        &path,
        &counting,
        None,
        srt_core::bench::Repeat {
            runs: 5,
            min_time: std::time::Duration::ZERO,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
        Some("open"),
        &mut |f| figures.push(f.clone()),
    )
    .expect("bench runs");
    keys.delete(&entry).expect("clean up");
    let by_name = |name: &str| {
        figures
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} missing from {figures:?}"))
    };
    assert_eq!(by_name("key from keyring").encrypted.runs, 1);
    let app = by_name("open as the app: key from keyring + query");
    assert_eq!(app.encrypted.runs, 5);
    assert!(app.encrypted.median_ms > 0.0 && app.encrypted.p95_ms >= app.encrypted.median_ms);
    by_name("open (raw key) + first query");
    // The key fetched once for the raw figures, then by each of the app's openings: one that
    // finds the desk of this version (the figure's warm-up too) and five timed. The opening's
    // figure asks the Secret Service every time, as a start does.
    assert_eq!(
        counting.gets.load(std::sync::atomic::Ordering::Relaxed),
        1 + 1 + 5
    );
}
