//! The encrypted store: create and open SQLCipher databases with a raw 256-bit key, run the
//! migrations, check integrity. Never creates over an existing file, never writes unencrypted,
//! never "recovers" by starting empty.

pub mod audit;
pub mod backup;
pub(crate) mod cached;
pub(crate) mod dated;
pub(crate) mod demo_flag;
pub mod key;
pub(crate) mod memo;
pub(crate) mod meta;
pub mod migrate;
pub mod page_format;
pub mod prefs;
pub(crate) mod progress;
pub(crate) mod team_numbers;

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use key::{DbKey, KdfParams, KeyInfo, KeySourceKind, KeyStore, WrappedKey};
use page_format::apply_key;
pub use page_format::PageFormat;
use zeroize::Zeroizing;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How the key of a new database is to be kept.
#[derive(Debug, Clone)]
pub enum NewKey {
    /// In the OS credential store; the recovery code's wrap uses these Argon2id parameters.
    Keyring { recovery_params: KdfParams },
    /// Wrapped by a passphrase with these Argon2id parameters.
    Passphrase {
        passphrase: String,
        params: KdfParams,
    },
}

/// An open, unlocked, migrated database connection.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    info: KeyInfo,
    /// The recovery code of a database created by this process, until it has been shown.
    recovery_code: Option<Zeroizing<String>>,
}

impl Store {
    /// Create a new encrypted database at `path`. Refuses when the path (or its key file) exists.
    pub fn create(path: &Path, new_key: NewKey, keys: &dyn KeyStore) -> Result<Self> {
        let info_path = KeyInfo::path_for(path);
        if path.exists() {
            return Err(Error::DbExists(path.to_path_buf()));
        }
        if info_path.exists() {
            return Err(Error::DbExists(info_path));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let key = DbKey::random()?;
        let desk_id = hex::encode(DbKey::random()?.as_bytes().get(..8).unwrap_or_default());
        let (info, recovery_code) = KeyInfo::for_new_key(&desk_id, &key, &new_key, keys)?;
        // Claim the path atomically: if another process created it meanwhile, stop.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::DbExists(path.to_path_buf()),
                _ => Error::Io(e),
            })?;
        let result = (|| {
            info.save(path, true)?;
            ensure_sqlcipher_ready();
            let mut conn = open_connection(path)?;
            apply_key(&conn, &key, PageFormat::Current)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            configure(&conn)?;
            migrate::migrations().to_latest(&mut conn)?;
            let now = crate::clock::ts(chrono::Utc::now());
            for (k, v) in [
                ("desk_id", desk_id.as_str()),
                ("key_source", info.key_source.as_str()),
                ("keyring_entry", info.keyring_entry.as_deref().unwrap_or("")),
                ("created_by_version", env!("CARGO_PKG_VERSION")),
            ] {
                conn.execute(
                    "INSERT INTO meta (key, value, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                    (k, v, &now),
                )?;
            }
            Ok::<_, Error>(conn)
        })();
        match result {
            Ok(conn) => {
                let store = Self {
                    conn,
                    path: path.to_path_buf(),
                    info,
                    recovery_code: Some(recovery_code),
                };
                // Belt and braces: the file on disk must not be readable as plain SQLite.
                if read_magic(path)?.as_ref() == Some(SQLITE_MAGIC) {
                    return Err(Error::NotADesk);
                }
                Ok(store)
            }
            Err(e) => {
                // Only what this call itself created is removed: nothing existed before.
                let _ = std::fs::remove_file(path);
                let _ = std::fs::remove_file(KeyInfo::path_for(path));
                if let Some(entry) = info.keyring_entry.as_deref() {
                    let _ = keys.delete(entry);
                }
                Err(e)
            }
        }
    }

    /// Which key source a database uses, read from its key file, without opening it.
    pub fn key_source(path: &Path) -> Result<KeySourceKind> {
        precheck_file(path)?;
        Ok(KeyInfo::load(path)?.key_source)
    }

    /// Open an existing database. The file is not written to until the key is proven right and
    /// the schema is known to this version.
    pub fn open(path: &Path, keys: &dyn KeyStore, passphrase: Option<&str>) -> Result<Self> {
        Self::open_reporting(path, keys, passphrase, None)
    }

    /// [`Store::open`], reporting the schema upgrade's steps to `progress` ([`migrate::upgrade`]).
    pub fn open_reporting(
        path: &Path,
        keys: &dyn KeyStore,
        passphrase: Option<&str>,
        progress: Option<&crate::store::progress::WorkProgress>,
    ) -> Result<Self> {
        let (info, key) = key_for(path, keys, passphrase)?;
        Self::open_with_key(path, info, &key, progress)
    }

    /// [`Store::open`] when the schema is this build's; `Ok(None)` when it is older and would be
    /// upgraded, with nothing written: the app shows its window first and upgrades from the
    /// unlock screen, where the steps are shown (a national desk's upgrade takes seconds).
    pub fn open_if_current(
        path: &Path,
        keys: &dyn KeyStore,
        passphrase: Option<&str>,
    ) -> Result<Option<Self>> {
        let (info, key) = key_for(path, keys, passphrase)?;
        let (conn, version, format) = connect(path, &info, &key)?;
        if version < migrate::latest_version() || page_format::rewrite_due(&conn, format)? {
            return Ok(None);
        }
        Self::finish_open(conn, path, info, &key, false, None).map(Some)
    }

    /// Open with the recovery code shown at setup, when the credential-store entry is lost or the
    /// passphrase forgotten. A keyring database puts its key back into the credential store
    /// (`keyring_restored` says whether that worked); a passphrase database takes `new_passphrase`.
    pub fn open_with_recovery(
        path: &Path,
        keys: &dyn KeyStore,
        recovery_code: &str,
        new_passphrase: Option<&str>,
    ) -> Result<(Self, bool)> {
        precheck_file(path)?;
        let mut info = KeyInfo::load(path)?;
        if info.key_source == KeySourceKind::Passphrase {
            // Check the new passphrase first: a refused one must not cost a key derivation.
            key::validate_new_passphrase(new_passphrase.unwrap_or_default(), None)?;
        }
        let key = info.key_from_recovery(path, recovery_code)?;
        let mut keyring_restored = false;
        match info.key_source {
            KeySourceKind::Keyring => {
                if let Some(entry) = info.keyring_entry.clone() {
                    keyring_restored = keys.set(&entry, &key).is_ok();
                }
            }
            KeySourceKind::Passphrase => {
                let params = info.wrapped.as_ref().map(|w| w.params).unwrap_or_default();
                info.wrapped = Some(key::WrappedKey::wrap(
                    &key,
                    new_passphrase.unwrap_or_default(),
                    params,
                )?);
            }
        }
        let store = Self::open_with_key(path, info, &key, None)?;
        if store.info.key_source == KeySourceKind::Passphrase {
            store.info.save(path, false)?;
        }
        Ok((store, keyring_restored))
    }

    /// The recovery code of a database this process created, once (then it is gone from memory).
    pub fn take_recovery_code(&mut self) -> Option<Zeroizing<String>> {
        self.recovery_code.take()
    }

    fn open_with_key(
        path: &Path,
        info: KeyInfo,
        key: &DbKey,
        progress: Option<&crate::store::progress::WorkProgress>,
    ) -> Result<Self> {
        let (conn, _, format) = connect(path, &info, key)?;
        let rewrite = page_format::rewrite_due(&conn, format)?;
        Self::finish_open(conn, path, info, key, rewrite, progress)
    }

    /// The first writes of an opening: WAL, the connection's settings, the rewrite of a desk in
    /// the older page format (one step of the upgrade's, when `rewrite` is due), the schema
    /// upgrade.
    fn finish_open(
        mut conn: Connection,
        path: &Path,
        info: KeyInfo,
        key: &DbKey,
        rewrite: bool,
        progress: Option<&crate::store::progress::WorkProgress>,
    ) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        configure(&conn)?;
        let mut before = 0;
        if rewrite {
            let total = 1 + migrate::pending_steps(&conn)?;
            let cancelled = Error::UpgradeCancelled { done: 0, total };
            if let Some(p) = progress {
                if p.is_cancelled() {
                    return Err(cancelled);
                }
                p.set(0, total);
            }
            conn = match page_format::rewrite(conn, path, key, progress)? {
                Ok(rewritten) => {
                    rewritten.pragma_update(None, "journal_mode", "WAL")?;
                    configure(&rewritten)?;
                    meta::remove(&rewritten, page_format::REWRITE_FAILED)?;
                    rewritten
                }
                Err((old, e)) => {
                    if progress.is_some_and(|p| p.is_cancelled()) {
                        return Err(cancelled);
                    }
                    // The desk works as it is, only slower; the rewrite is tried again in a
                    // week (a full disk is the likely reason). Where even that mark cannot be
                    // written (a read-only folder and file), the desk still opens and the
                    // rewrite is tried at the next opening.
                    configure(&old)?;
                    let now = crate::clock::ts(chrono::Utc::now());
                    let _ = meta::set(
                        &old,
                        page_format::REWRITE_FAILED,
                        &format!("{now} {e}"),
                        &now,
                    );
                    old
                }
            };
            before = 1;
        }
        migrate::upgrade_after(&mut conn, progress, before)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            info,
            recovery_code: None,
        })
    }

    /// Change the passphrase: the key is re-wrapped, the data is not re-encrypted.
    pub fn change_passphrase(path: &Path, old: &str, new: &str, params: KdfParams) -> Result<()> {
        key::validate_new_passphrase(new, None)?;
        let mut info = KeyInfo::load(path)?;
        if info.key_source != KeySourceKind::Passphrase {
            return Err(Error::KeyInfoCorrupt(KeyInfo::path_for(path)));
        }
        let key = info.obtain_key(path, &key::MemoryKeyStore::default(), Some(old))?;
        info.wrapped = Some(WrappedKey::wrap(&key, new, params)?);
        info.save(path, false)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn key_info(&self) -> &KeyInfo {
        &self.info
    }

    pub fn schema_version(&self) -> Result<usize> {
        let v: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok(usize::try_from(v).unwrap_or(0))
    }

    /// Rewrite the file with each table's and index's pages together and full (SQLite's VACUUM,
    /// which SQLCipher encrypts under the same key). A desk that grew a case at a time over
    /// years has its tables' pages interleaved, so reading a case or a list decrypts more pages
    /// than the data needs. Needs free disk space for a second copy while it runs. Returns the
    /// file's size before and after, in bytes.
    pub fn compact(&self) -> Result<(u64, u64)> {
        let size = |conn: &Connection| -> Result<u64> {
            // SQLCipher answers page_size as text (cipher_page_size).
            let number = |pragma: &str| -> Result<i64> {
                let v: rusqlite::types::Value =
                    conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?;
                Ok(match v {
                    rusqlite::types::Value::Integer(n) => n,
                    rusqlite::types::Value::Text(t) => t.trim().parse().unwrap_or(0),
                    _ => 0,
                })
            };
            Ok(u64::try_from(number("page_count")? * number("page_size")?).unwrap_or(0))
        };
        let before = size(&self.conn)?;
        // The intermediate copy on disk (encrypted under the same key), not in memory: in
        // memory it would take as much RAM as the file is large.
        self.conn.execute_batch("PRAGMA temp_store = FILE")?;
        let vacuum = self.conn.execute_batch("VACUUM");
        self.conn.execute_batch("PRAGMA temp_store = DEFAULT")?;
        vacuum?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok((before, size(&self.conn)?))
    }

    /// SQLite's integrity_check and SQLCipher's cipher_integrity_check (HMAC of every page).
    pub fn integrity(&self) -> Result<IntegrityReport> {
        let mut sqlite = Vec::new();
        {
            let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for r in rows {
                sqlite.push(r?);
            }
        }
        let mut cipher = Vec::new();
        {
            let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for r in rows {
                cipher.push(r?);
            }
        }
        let sqlite_ok = sqlite.len() == 1 && sqlite[0] == "ok";
        let cipher_ok = cipher.is_empty();
        Ok(IntegrityReport {
            sqlite_ok,
            sqlite_messages: sqlite,
            cipher_ok,
            cipher_messages: cipher,
            schema_version: self.schema_version()?,
            latest_version: migrate::latest_version(),
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// The result of `srt-admin check`.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrityReport {
    pub sqlite_ok: bool,
    pub sqlite_messages: Vec<String>,
    pub cipher_ok: bool,
    pub cipher_messages: Vec<String>,
    pub schema_version: usize,
    pub latest_version: usize,
}

impl IntegrityReport {
    pub fn all_ok(&self) -> bool {
        self.sqlite_ok && self.cipher_ok && self.schema_version == self.latest_version
    }
}

/// An existing file, read-write, without SQLite's per-connection mutex: the desk's connection is
/// used by one thread at a time (the session's lock; cancelling goes through SQLite's interrupt,
/// which is safe from another thread). In SQLite's serialized mode every column read of every
/// row takes that mutex: 9 % of the statistics' time in a profile of a new desk's connection and
/// of the benchmark's, which had opened so while its plain copy did not.
fn open_connection(path: &Path) -> Result<Connection> {
    Ok(Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

/// A connection with a known key, for the benchmark (opening through [`Store::open`] does the
/// checks; this measures only what each open costs once the key is in hand), opened as the
/// app's is.
pub fn open_raw(path: &Path, key: &DbKey) -> Result<Connection> {
    Ok(open_desk_file(path, key)?.0)
}

/// `path` with `suffix` appended to its file name: the files that go with a desk ("-wal",
/// ".key", ".rewrite", …).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// An existing desk file opened as the app opens it and keyed in whichever page format it has.
pub(crate) fn open_desk_file(path: &Path, key: &DbKey) -> Result<(Connection, PageFormat)> {
    ensure_sqlcipher_ready();
    page_format::open_keyed(path, key, open_connection)
}

/// SQLCipher registers its SQL functions (`sqlcipher_export`, …) while the library initializes.
/// When several threads open their first connections at the same moment, a connection could be
/// opened before that finished and lack them (seen: "no such function: sqlcipher_export" in one
/// run of four of the parallel test suite). The first open in the process therefore happens alone,
/// and every open waits for it.
pub(crate) fn ensure_sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        if let Ok(conn) = Connection::open_in_memory() {
            let _: rusqlite::Result<String> =
                conn.query_row("PRAGMA cipher_version", [], |r| r.get(0));
        }
    });
}

/// Run a screen's reads in one transaction: one consistent view of the desk, and SQLite's and
/// SQLCipher's work at the start of each transaction (is the page cache still current?) done once
/// instead of once per statement. The dashboard runs a few hundred statements: 3.8 -> 3.2 ms on
/// the 100 000-case desk, encrypted/plain 1.40 -> 1.17. Writes inside (the stored deadlines'
/// refresh) commit with it; an error rolls everything back.
pub fn in_read_transaction<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    if !conn.is_autocommit() {
        // Already inside a transaction (a caller's): that one is the snapshot.
        return work(conn);
    }
    let tx = conn.unchecked_transaction()?;
    let value = work(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// Run `work` inside the savepoint `name`: all of it is kept, or on an error none of it. Works
/// inside an open transaction too (the stored deadlines and the monthly money are brought up to
/// date this way, from read paths that may already be in one).
pub fn in_savepoint<T>(
    conn: &Connection,
    name: &str,
    work: impl FnOnce() -> Result<T>,
) -> Result<T> {
    conn.execute_batch(&format!("SAVEPOINT {name}"))?;
    match work() {
        Ok(v) => {
            conn.execute_batch(&format!("RELEASE {name}"))?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch(&format!("ROLLBACK TO {name}; RELEASE {name}"));
            Err(e)
        }
    }
}

/// What opening an existing file starts with: the file looks like ours, its key file is read,
/// and the key comes from the credential store or the passphrase.
fn key_for(path: &Path, keys: &dyn KeyStore, passphrase: Option<&str>) -> Result<(KeyInfo, DbKey)> {
    precheck_file(path)?;
    let info = KeyInfo::load(path)?;
    let key = info.obtain_key(path, keys, passphrase)?;
    Ok((info, key))
}

/// Open the file with `key` and prove it: the key reads it, it is an SRT Desk database of a schema
/// this build knows, and the one `info` belongs to. Nothing is written. Returns the connection and
/// the schema version found.
fn connect(path: &Path, info: &KeyInfo, key: &DbKey) -> Result<(Connection, usize, PageFormat)> {
    // The first read proves the key; SQLITE_NOTADB in every page format means the file is not
    // ours.
    let (conn, format) = open_desk_file(path, key).map_err(|e| match e {
        Error::Storage(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Error::NotADesk
        }
        e => e,
    })?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let version = usize::try_from(version).map_err(|_| Error::NotADesk)?;
    let supported = migrate::latest_version();
    if version > supported {
        return Err(Error::NewerVersion {
            found: version,
            supported,
        });
    }
    if version == 0 {
        return Err(Error::NotADesk);
    }
    let stored_id: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'desk_id'", [], |r| {
            r.get(0)
        })
        .ok();
    if stored_id.as_deref() != Some(info.desk_id.as_str()) {
        return Err(Error::WrongKey);
    }
    Ok((conn, version, format))
}

/// The app's connection settings; the bench sets its connections the same way.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -65536;",
    )?;
    // The app keeps one connection all day and its write paths use cached statements; rusqlite
    // keeps 16 by default, fewer than one screen's or the demo loader's statements, and a
    // statement pushed out is parsed again with every trigger on its table (seen: a fifth of the
    // demo's time in the SQL parser).
    conn.set_prepared_statement_cache_capacity(256);
    Ok(())
}

fn read_magic(path: &Path) -> Result<Option<[u8; 16]>> {
    let mut f = std::fs::File::open(path)?;
    let mut buf = [0u8; 16];
    match f.read_exact(&mut buf) {
        Ok(()) => Ok(Some(buf)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(Error::Io(e)),
    }
}

/// Refuse what is plainly not an encrypted SRT Desk database before any key is tried.
fn precheck_file(path: &Path) -> Result<()> {
    if !path.exists() {
        return Err(Error::DbNotFound(path.to_path_buf()));
    }
    match read_magic(path)? {
        Some(m) if &m == SQLITE_MAGIC => Err(Error::NotEncrypted),
        // An empty or tiny file would be silently initialised by SQLite: never.
        None => Err(Error::NotADesk),
        Some(_) => Ok(()),
    }
}

/// Delete the rows of one case from the given tables of the calling part (retention: each part
/// names the tables it owns).
pub(crate) fn delete_case_rows(conn: &Connection, tables: &[&str], case_id: i64) -> Result<()> {
    for table in tables {
        conn.execute(
            &format!("DELETE FROM \"{table}\" WHERE case_id = ?1"),
            [case_id],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count")
    }

    /// A read transaction commits what was written inside it, rolls it all back on an error, and
    /// inside a caller's transaction leaves committing to the caller.
    #[test]
    fn a_read_transaction_commits_rolls_back_and_nests() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (x INTEGER)")
            .expect("table");
        in_read_transaction(&conn, |c| {
            c.execute("INSERT INTO t VALUES (1)", [])?;
            Ok(())
        })
        .expect("commit");
        assert_eq!(rows(&conn), 1);
        assert!(conn.is_autocommit());
        let failed: Result<()> = in_read_transaction(&conn, |c| {
            c.execute("INSERT INTO t VALUES (2)", [])?;
            Err(Error::NotADesk)
        });
        assert!(failed.is_err());
        assert_eq!(rows(&conn), 1, "rolled back");
        assert!(conn.is_autocommit());
        conn.execute_batch("BEGIN").expect("outer");
        in_read_transaction(&conn, |c| {
            c.execute("INSERT INTO t VALUES (3)", [])?;
            Ok(())
        })
        .expect("nested");
        assert!(
            !conn.is_autocommit(),
            "the caller's transaction is still open"
        );
        conn.execute_batch("ROLLBACK").expect("outer rollback");
        assert_eq!(rows(&conn), 1);
    }
}
