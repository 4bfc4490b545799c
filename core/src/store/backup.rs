//! Encrypted backups: one file that restores on another machine with only the backup passphrase.
//! Layout: a magic line, the length of a JSON header (the backup's own random key, wrapped by the
//! backup passphrase with Argon2id + XChaCha20-Poly1305), the header, then a SQLCipher database
//! exported under that key (`sqlcipher_export`, consistent while the app keeps working).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::key::{DbKey, KdfParams, Kek, KeyInfo, KeyStore, WrappedKey};
use super::{migrate, page_format};
use crate::error::{Error, Result};

const MAGIC: &[u8; 16] = b"SRTDESK-BACKUP1\n";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    format: String,
    created_at: String,
    schema_version: usize,
    desk_id: String,
    wrapped: WrappedKey,
    key_check: String,
}

/// What a backup holds, for messages.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: usize,
    pub created_at: String,
}

fn corrupt(path: &Path) -> Error {
    Error::BackupCorrupt(path.to_path_buf())
}

/// Write an encrypted backup of `conn` (an open, keyed database) to `out`; refuses an existing file.
pub fn write_backup(
    conn: &Connection,
    desk_id: &str,
    out: &Path,
    passphrase: &str,
    params: KdfParams,
    now: &str,
) -> Result<BackupInfo> {
    write_backup_reporting(conn, desk_id, out, passphrase, params, now, None)
}

/// [`write_backup`] telling `progress` how many bytes of the database are written, every tenth
/// of a second while the export runs (the export is one SQLite call: the size of the file it
/// writes is the measure).
pub fn write_backup_reporting(
    conn: &Connection,
    desk_id: &str,
    out: &Path,
    passphrase: &str,
    params: KdfParams,
    now: &str,
    progress: Option<&crate::store::progress::WorkProgress>,
) -> Result<BackupInfo> {
    super::key::validate_new_passphrase(passphrase, None)?;
    if out.exists() {
        return Err(Error::FileExists(out.to_path_buf()));
    }
    let kek = Kek::derive(passphrase, params)?;
    export(conn, desk_id, out, &kek, now, progress)
}

/// Write a backup whose key is wrapped under an already derived backup key (automatic backups).
pub fn write_backup_with(
    conn: &Connection,
    desk_id: &str,
    out: &Path,
    kek: &Kek,
    now: &str,
) -> Result<BackupInfo> {
    export(conn, desk_id, out, kek, now, None)
}

fn export(
    conn: &Connection,
    desk_id: &str,
    out: &Path,
    kek: &Kek,
    now: &str,
    progress: Option<&crate::store::progress::WorkProgress>,
) -> Result<BackupInfo> {
    if out.exists() {
        return Err(Error::FileExists(out.to_path_buf()));
    }
    let key = DbKey::random()?;
    let work = tempdir_beside(out)?;
    let export = work.join("export.db");
    let result = (|| {
        page_format::attach_new(
            conn,
            &export,
            "srt_backup",
            &key,
            page_format::PageFormat::Current,
        )?;
        let report = |written: u64, total: u64| {
            if let Some(progress) = progress {
                progress.set(written, total);
            }
        };
        let exported = page_format::export_watched(conn, "srt_backup", &export, Some(&report));
        if let Some(progress) = progress {
            let (_, total) = progress.get();
            progress.set(total, total);
        }
        let stamped = exported.and_then(|()| {
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            conn.execute_batch(&format!("PRAGMA srt_backup.user_version = {version};"))?;
            Ok(version)
        });
        // The copy is detached whatever happened, or the next backup could not attach it again.
        // A cancel lasts only while a statement runs; one that lands on the DETACH itself (the
        // button pressed twice) is outlasted by asking again.
        let mut detached = conn.execute("DETACH DATABASE srt_backup", []);
        for _ in 0..20 {
            if detached.is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
            detached = conn.execute("DETACH DATABASE srt_backup", []);
        }
        let version = stamped?;
        detached?;
        let header = Header {
            format: "srt-desk-backup/1".into(),
            created_at: now.to_string(),
            schema_version: usize::try_from(version).unwrap_or(0),
            desk_id: desk_id.to_string(),
            wrapped: WrappedKey::wrap_with(&key, kek)?,
            key_check: key.check_value(),
        };
        let json = serde_json::to_vec(&header).map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let tmp = work.join("backup.part");
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(MAGIC)?;
            f.write_all(&(json.len() as u32).to_le_bytes())?;
            f.write_all(&json)?;
            // Streamed, not read into memory: a decade's desk is close to a gigabyte.
            std::io::copy(&mut std::fs::File::open(&export)?, &mut f)?;
            f.sync_all()?;
        }
        if out.exists() {
            return Err(Error::FileExists(out.to_path_buf()));
        }
        std::fs::rename(&tmp, out)?;
        Ok(BackupInfo {
            path: out.to_path_buf(),
            bytes: std::fs::metadata(out)?.len(),
            schema_version: header.schema_version,
            created_at: header.created_at,
        })
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn tempdir_beside(out: &Path) -> Result<PathBuf> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let work = dir.join(format!(
        ".srt-backup-{}-{}",
        std::process::id(),
        hex::encode(DbKey::random()?.as_bytes().get(..4).unwrap_or_default())
    ));
    std::fs::create_dir_all(&work)?;
    Ok(work)
}

/// Check a backup's passphrase and header without touching anything (before closing the open
/// database for a restore). The whole file is checked again by [`restore`].
pub fn verify(from: &Path, backup_passphrase: &str) -> Result<BackupInfo> {
    let (header, _) = read_backup(from)?;
    backup_key(from, &header, backup_passphrase)?;
    Ok(BackupInfo {
        path: from.to_path_buf(),
        bytes: std::fs::metadata(from)?.len(),
        schema_version: header.schema_version,
        created_at: header.created_at,
    })
}

/// The backup's own key, unwrapped by its passphrase and checked, and a schema this build knows.
fn backup_key(from: &Path, header: &Header, backup_passphrase: &str) -> Result<DbKey> {
    let key = header
        .wrapped
        .unwrap_key(backup_passphrase, from)
        .map_err(|e| match e {
            Error::KeyInfoCorrupt(_) => corrupt(from),
            other => other,
        })?;
    if key.check_value() != header.key_check {
        return Err(corrupt(from));
    }
    if header.schema_version > migrate::latest_version() {
        return Err(Error::NewerVersion {
            found: header.schema_version,
            supported: migrate::latest_version(),
        });
    }
    Ok(key)
}

/// The backup's header, and the file positioned at the start of the database that follows it.
fn read_backup(from: &Path) -> Result<(Header, std::fs::File)> {
    let mut f = std::fs::File::open(from)?;
    let mut magic = [0u8; 16];
    f.read_exact(&mut magic).map_err(|_| corrupt(from))?;
    if &magic != MAGIC {
        return Err(corrupt(from));
    }
    let mut len = [0u8; 4];
    f.read_exact(&mut len).map_err(|_| corrupt(from))?;
    let len = u32::from_le_bytes(len) as usize;
    if len > 1 << 20 {
        return Err(corrupt(from));
    }
    let mut json = vec![0u8; len];
    f.read_exact(&mut json).map_err(|_| corrupt(from))?;
    let header: Header = serde_json::from_slice(&json).map_err(|_| corrupt(from))?;
    let rest = f.metadata()?.len().saturating_sub((16 + 4 + len) as u64);
    if rest < 4096 {
        return Err(corrupt(from));
    }
    Ok((header, f))
}

/// Restore a backup as a new database at `target`, its key kept as `key_source` says. An existing
/// database at `target` is never overwritten: it is moved aside (with its key file) and the new
/// name of the old one is returned.
pub fn restore(
    from: &Path,
    target: &Path,
    backup_passphrase: &str,
    new_key: &super::NewKey,
    keys: &dyn KeyStore,
    stamp: &str,
) -> Result<Restored> {
    let (header, mut db) = read_backup(from)?;
    let key = backup_key(from, &header, backup_passphrase)?;
    // Check the whole backup before anything on the target side is touched.
    let work = tempdir_beside(target)?;
    let staged = work.join("restored.db");
    let checked = (|| {
        // Streamed, not read into memory: a decade's desk is close to a gigabyte.
        std::io::copy(&mut db, &mut std::fs::File::create(&staged)?)?;
        super::ensure_sqlcipher_ready();
        // Backups of earlier versions are in the older page format: the desk restored from one
        // is rewritten in the current one when it is first opened.
        let (conn, _) = page_format::open_keyed(&staged, &key, |p| Ok(Connection::open(p)?))
            .map_err(|_| corrupt(from))?;
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|_| corrupt(from))?;
        if ok != "ok" {
            return Err(corrupt(from));
        }
        Ok(())
    })();
    if let Err(e) = checked {
        let _ = std::fs::remove_dir_all(&work);
        return Err(e);
    }
    let (info, recovery_code) = KeyInfo::for_new_key(&header.desk_id, &key, new_key, keys)?;
    let mut aside = None;
    if target.exists() || KeyInfo::path_for(target).exists() {
        let old = super::with_suffix(target, &format!(".before-restore-{stamp}"));
        for suffix in ["", "-wal", "-shm"] {
            let from_name = super::with_suffix(target, suffix);
            if from_name.exists() {
                std::fs::rename(&from_name, super::with_suffix(&old, suffix))?;
            }
        }
        if KeyInfo::path_for(target).exists() {
            std::fs::rename(KeyInfo::path_for(target), KeyInfo::path_for(&old))?;
        }
        aside = Some(old);
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    info.save(target, true)?;
    std::fs::rename(&staged, target)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(Restored {
        aside,
        recovery_code,
    })
}

/// What a restore did: where the database that was there before went, and the restored
/// database's new recovery code (to be shown once).
#[derive(Debug)]
pub struct Restored {
    pub aside: Option<PathBuf>,
    pub recovery_code: zeroize::Zeroizing<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::key::MemoryKeyStore;
    use crate::store::{NewKey, PageFormat, Store};

    const PASS: &str = "synthetic desk passphrase 1";
    const BACKUP_PASS: &str = "synthetic backup passphrase 1";

    /// The same backup as an earlier version wrote it: its database in the HMAC-SHA512 format.
    fn as_written_before(from: &Path, to: &Path) {
        let (header, mut db) = read_backup(from).expect("backup");
        let key = backup_key(from, &header, BACKUP_PASS).expect("key");
        let dir = to.parent().expect("dir");
        let current = dir.join("current.db");
        std::io::copy(&mut db, &mut std::fs::File::create(&current).expect("file")).expect("copy");
        let legacy = dir.join("legacy.db");
        let (conn, format) =
            page_format::open_keyed(&current, &key, |p| Ok(Connection::open(p)?)).expect("open");
        assert_eq!(
            format,
            PageFormat::Current,
            "this version writes backups so"
        );
        page_format::attach_new(&conn, &legacy, "legacy", &key, PageFormat::Legacy)
            .expect("attach in the older format");
        conn.query_row("SELECT sqlcipher_export('legacy')", [], |_| Ok(()))
            .expect("export");
        conn.execute_batch(&format!(
            "PRAGMA legacy.user_version = {}; DETACH DATABASE legacy;",
            header.schema_version
        ))
        .expect("version");
        let json = serde_json::to_vec(&header).expect("header");
        let mut out = std::fs::File::create(to).expect("out");
        out.write_all(MAGIC).expect("magic");
        out.write_all(&(json.len() as u32).to_le_bytes())
            .expect("len");
        out.write_all(&json).expect("json");
        std::io::copy(&mut std::fs::File::open(&legacy).expect("legacy"), &mut out).expect("db");
    }

    /// A coordinator's backups from before HMAC-SHA256 restore, and the restored desk is
    /// rewritten in the current format when it is first opened, with its data.
    #[test]
    fn a_backup_of_an_earlier_version_restores_and_is_brought_to_the_current_format() {
        let dir = tempfile::tempdir().expect("tmp");
        let keys = MemoryKeyStore::default();
        let desk = dir.path().join("desk.db");
        let params = KdfParams::fast_for_tests();
        let store = Store::create(
            &desk,
            NewKey::Passphrase {
                passphrase: PASS.into(),
                params,
            },
            &keys,
        )
        .expect("desk");
        let conn = store.connection();
        conn.execute(
            "INSERT INTO meta (key, value, created_at, updated_at) VALUES ('kept', 'yes', 'x', 'x')",
            [],
        )
        .expect("a row");
        let backup = dir.path().join("now.srtbackup");
        let desk_id = store.key_info().desk_id.clone();
        write_backup(
            conn,
            &desk_id,
            &backup,
            BACKUP_PASS,
            params,
            "2026-11-27T00:00:00Z",
        )
        .expect("backup");
        drop(store);
        let older = dir.path().join("older.srtbackup");
        as_written_before(&backup, &older);

        let target = dir.path().join("restored.db");
        let new_key = NewKey::Passphrase {
            passphrase: PASS.into(),
            params,
        };
        restore(&older, &target, BACKUP_PASS, &new_key, &keys, "t").expect("restored");
        let info = KeyInfo::load(&target).expect("key file");
        let key = info.obtain_key(&target, &keys, Some(PASS)).expect("key");
        assert_eq!(
            page_format::detect(&target, &key).expect("read"),
            PageFormat::Legacy,
            "restored as it was written"
        );
        let store = Store::open(&target, &keys, Some(PASS)).expect("opens");
        let kept: String = store
            .connection()
            .query_row("SELECT value FROM meta WHERE key = 'kept'", [], |r| {
                r.get(0)
            })
            .expect("the row came along");
        assert_eq!(kept, "yes");
        drop(store);
        assert_eq!(
            page_format::detect(&target, &key).expect("read"),
            PageFormat::Current
        );
    }
}
