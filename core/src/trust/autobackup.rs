//! Automatic daily backups to a folder the coordinator chose (a USB stick, a network share),
//! keeping the newest N. The backup passphrase is asked once, when they are switched on: the key
//! derived from it is kept inside the encrypted database (never in clear on disk), so each day's
//! backup needs no typing and still restores elsewhere with only that passphrase.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::backup::{self, BackupInfo};
use crate::store::key::{validate_new_passphrase, KdfParams, Kek};
use crate::store::meta::{get, remove, set};

const FOLDER: &str = "autobackup.folder";
const KEEP: &str = "autobackup.keep";
const KEK: &str = "autobackup.kek";
const LAST_AT: &str = "autobackup.last_at";
const LAST_ERROR: &str = "autobackup.last_error";

/// How many backups may be kept at most (and the default).
pub const MAX_KEEP: u32 = 90;
pub const DEFAULT_KEEP: u32 = 7;
/// A backup is due when the last one is at least this old.
pub const INTERVAL_HOURS: i64 = 24;

/// What Settings shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AutoBackupStatus {
    pub enabled: bool,
    pub folder: Option<String>,
    pub keep: u32,
    pub last_at: Option<String>,
    /// The last attempt's error, in Estonian and English, when it failed.
    pub last_error: Option<crate::error::Localized>,
    /// This desk's backups in the folder, newest first.
    pub files: Vec<BackupFile>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub name: String,
    pub bytes: u64,
}

fn file_prefix(desk_id: &str) -> String {
    format!("srt-desk-{desk_id}-")
}

/// The file name of a backup made at `at`: sortable by time, naming its desk.
pub fn file_name(desk_id: &str, at: DateTime<Utc>) -> String {
    format!(
        "{}{}.srtbackup",
        file_prefix(desk_id),
        at.format("%Y%m%d-%H%M%S")
    )
}

/// This desk's backups in `folder`, newest first.
pub fn list_files(folder: &Path, desk_id: &str) -> Vec<BackupFile> {
    let prefix = file_prefix(desk_id);
    let mut files: Vec<BackupFile> = std::fs::read_dir(folder)
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    (name.starts_with(&prefix) && name.ends_with(".srtbackup")).then(|| {
                        BackupFile {
                            bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
                            name,
                        }
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort_by(|a, b| b.name.cmp(&a.name));
    files
}

/// Delete this desk's backups beyond the newest `keep` (other files in the folder are never touched).
pub fn prune(folder: &Path, desk_id: &str, keep: u32) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for f in list_files(folder, desk_id)
        .into_iter()
        .skip(usize::try_from(keep).unwrap_or(usize::MAX))
    {
        std::fs::remove_file(folder.join(&f.name))?;
        removed.push(f.name);
    }
    Ok(removed)
}

pub fn status(conn: &Connection, desk_id: &str) -> Result<AutoBackupStatus> {
    let folder = get(conn, FOLDER)?;
    let enabled = folder.is_some() && get(conn, KEK)?.is_some();
    let keep = get(conn, KEEP)?
        .and_then(|k| k.parse().ok())
        .unwrap_or(DEFAULT_KEEP);
    let last_error = get(conn, LAST_ERROR)?
        .and_then(|e| serde_json::from_str::<crate::error::Localized>(&e).ok());
    Ok(AutoBackupStatus {
        enabled,
        files: folder
            .as_deref()
            .map(|f| list_files(Path::new(f), desk_id))
            .unwrap_or_default(),
        folder,
        keep,
        last_at: get(conn, LAST_AT)?,
        last_error,
    })
}

/// Validate the settings a coordinator typed: an existing, writable folder; 1..=MAX_KEEP copies;
/// a strong enough passphrase typed twice the same.
pub fn validate(folder: &str, keep: i64, passphrase: &str, confirm: &str) -> Result<PathBuf> {
    let mut errors = Vec::new();
    let path = PathBuf::from(folder.trim());
    if folder.trim().is_empty() {
        errors.push(crate::FieldError::new(
            "folder",
            "backup.folder_required",
            "Vali kaust, kuhu varukoopiad salvestatakse.",
            "Choose the folder the backups go to.",
        ));
    } else if !path.is_absolute() || !path.is_dir() {
        errors.push(crate::FieldError::new(
            "folder",
            "backup.folder_missing",
            "Sellist kausta ei ole. Vali olemasolev kaust (näiteks mälupulk või võrgukaust).",
            "There is no such folder. Choose an existing folder (a USB stick or a network share, for example).",
        ));
    } else if !writable(&path) {
        errors.push(crate::FieldError::new(
            "folder",
            "backup.folder_not_writable",
            "Sellesse kausta ei saa kirjutada. Vali teine kaust.",
            "This folder cannot be written to. Choose another folder.",
        ));
    }
    if !(1..=i64::from(MAX_KEEP)).contains(&keep) {
        errors.push(crate::FieldError::new(
            "keep",
            "backup.keep_range",
            &format!("Hoitavate koopiate arv peab olema 1 kuni {MAX_KEEP}."),
            &format!("The number of copies kept must be between 1 and {MAX_KEEP}."),
        ));
    }
    if let Err(Error::Validation(mut fields)) = validate_new_passphrase(passphrase, Some(confirm)) {
        errors.append(&mut fields);
    }
    if errors.is_empty() {
        Ok(path)
    } else {
        Err(Error::Validation(errors))
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".srt-desk-write-test-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Switch automatic backups on (or change them): the passphrase's key is derived once and kept.
pub fn configure(
    conn: &Connection,
    folder: &Path,
    keep: u32,
    passphrase: &str,
    params: KdfParams,
    now: &str,
) -> Result<()> {
    let kek = Kek::derive(passphrase, params)?;
    let kek_json =
        serde_json::to_string(&kek).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    set(conn, FOLDER, &folder.to_string_lossy(), now)?;
    set(conn, KEEP, &keep.to_string(), now)?;
    set(conn, KEK, &kek_json, now)?;
    remove(conn, LAST_AT)?;
    remove(conn, LAST_ERROR)?;
    Ok(())
}

pub fn disable(conn: &Connection) -> Result<()> {
    for key in [FOLDER, KEEP, KEK, LAST_AT, LAST_ERROR] {
        remove(conn, key)?;
    }
    Ok(())
}

/// Whether a backup is due at `now`: switched on and none in the last day.
pub fn is_due(conn: &Connection, now: DateTime<Utc>) -> Result<bool> {
    if get(conn, KEK)?.is_none() || get(conn, FOLDER)?.is_none() {
        return Ok(false);
    }
    let last = get(conn, LAST_AT)?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    Ok(match last {
        None => true,
        Some(t) => now.signed_duration_since(t) >= chrono::Duration::hours(INTERVAL_HOURS),
    })
}

/// Write today's backup and prune the old ones. A failure (folder gone, disk full) is recorded
/// for Settings to show and returned; the next attempt comes at the next check.
pub fn run(conn: &Connection, desk_id: &str, now: DateTime<Utc>) -> Result<BackupInfo> {
    let stamp = crate::clock::ts(now);
    let result = (|| {
        let folder = PathBuf::from(get(conn, FOLDER)?.unwrap_or_default());
        let kek: Kek = serde_json::from_str(&get(conn, KEK)?.unwrap_or_default())
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let keep = get(conn, KEEP)?
            .and_then(|k| k.parse().ok())
            .unwrap_or(DEFAULT_KEEP);
        if !folder.is_dir() {
            return Err(Error::BackupFolderUnreachable(folder));
        }
        let out = folder.join(file_name(desk_id, now));
        let info = backup::write_backup_with(conn, desk_id, &out, &kek, &stamp)?;
        prune(&folder, desk_id, keep)?;
        Ok(info)
    })();
    match &result {
        Ok(_) => {
            set(conn, LAST_AT, &stamp, &stamp)?;
            remove(conn, LAST_ERROR)?;
        }
        Err(e) => {
            let msg = serde_json::to_string(&e.message())
                .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
            set(conn, LAST_ERROR, &msg, &stamp)?;
            // Try again in an hour rather than at every check.
            let retry = now - chrono::Duration::hours(INTERVAL_HOURS - 1);
            set(conn, LAST_AT, &crate::clock::ts(retry), &stamp)?;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_newest_of_this_desk_and_touches_nothing_else() {
        let dir = tempfile::tempdir().expect("tmp");
        for day in 1..=5 {
            let at = chrono::NaiveDate::from_ymd_opt(2026, 11, day)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .expect("date")
                .and_utc();
            std::fs::write(dir.path().join(file_name("abc", at)), b"x").expect("write");
        }
        std::fs::write(
            dir.path().join("srt-desk-other-20261101-090000.srtbackup"),
            b"x",
        )
        .expect("write");
        std::fs::write(dir.path().join("notes.txt"), b"x").expect("write");
        let removed = prune(dir.path(), "abc", 2).expect("prune");
        assert_eq!(removed.len(), 3);
        let left: Vec<String> = list_files(dir.path(), "abc")
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(
            left,
            vec![
                "srt-desk-abc-20261105-090000.srtbackup",
                "srt-desk-abc-20261104-090000.srtbackup"
            ]
        );
        assert!(dir.path().join("notes.txt").exists());
        assert!(dir
            .path()
            .join("srt-desk-other-20261101-090000.srtbackup")
            .exists());
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let dir = tempfile::tempdir().expect("tmp");
        let folder = dir.path().to_string_lossy().to_string();
        assert!(validate(
            &folder,
            7,
            "a long enough passphrase",
            "a long enough passphrase"
        )
        .is_ok());
        let Err(Error::Validation(fields)) = validate("", 0, "short", "other") else {
            panic!("expected validation errors");
        };
        let codes: Vec<&str> = fields.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "backup.folder_required",
                "backup.keep_range",
                "key.passphrase_too_short"
            ]
        );
        let missing = dir.path().join("nope").to_string_lossy().to_string();
        let Err(Error::Validation(fields)) = validate(
            &missing,
            91,
            "a long enough passphrase",
            "different passphrase",
        ) else {
            panic!("expected validation errors");
        };
        let codes: Vec<&str> = fields.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "backup.folder_missing",
                "backup.keep_range",
                "key.passphrase_mismatch"
            ]
        );
    }
}
