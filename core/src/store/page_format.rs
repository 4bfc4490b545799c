//! How SQLCipher authenticates each page of a desk, and the rewrite of a desk from the format
//! older versions wrote to the one this version writes.
//!
//! SQLCipher 4 authenticates every page with HMAC-SHA512 by default. The laptops this runs on
//! have CPU instructions for SHA-256 but not for SHA-512: measured here (`openssl speed`), a 4 KB
//! page takes 8.9 µs with SHA-512 and 3.0 µs with SHA-256, and a case not seen before reads
//! ~13 pages from disk. So this version writes HMAC-SHA256 (a 256-bit tag under a 256-bit key:
//! the same strength against forgery for this use) and reads both. Which one a file uses is
//! found by trying: the current format first, then the older one (a wrong try costs one page).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::key::DbKey;
use crate::error::{Error, Result};

/// The page authentication of an encrypted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    /// HMAC-SHA256: what this version writes (desks, backups, the benchmark's copies).
    Current,
    /// HMAC-SHA512, SQLCipher 4's default: desks and backups written by earlier versions.
    Legacy,
}

impl PageFormat {
    /// The order in which an existing file's format is tried.
    pub const TRIED: [PageFormat; 2] = [PageFormat::Current, PageFormat::Legacy];

    fn hmac(self) -> &'static str {
        match self {
            PageFormat::Current => "HMAC_SHA256",
            PageFormat::Legacy => "HMAC_SHA512",
        }
    }

    /// The pragma that sets this format on `schema` ("main" or an attached name); it must run
    /// after the key and before the first page is read or written.
    pub(crate) fn pragma(self, schema: &str) -> String {
        format!("PRAGMA {schema}.cipher_hmac_algorithm = {};", self.hmac())
    }
}

/// Key a fresh connection for `format` (nothing is read yet).
pub(crate) fn apply_key(conn: &Connection, key: &DbKey, format: PageFormat) -> Result<()> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let value = key.pragma_value();
    conn.pragma_update(None, "key", value.as_str())?;
    conn.execute_batch(&format.pragma("main"))?;
    Ok(())
}

/// Open `path` with `open` and `key`, trying each format: the connection and the format that
/// reads it. A key that reads it in no format gives SQLite's "file is not a database" error, as
/// a single try did.
pub(crate) fn open_keyed(
    path: &Path,
    key: &DbKey,
    open: impl Fn(&Path) -> Result<Connection>,
) -> Result<(Connection, PageFormat)> {
    let mut last = None;
    for format in PageFormat::TRIED {
        let conn = open(path)?;
        apply_key(&conn, key, format)?;
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => return Ok((conn, format)),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                last = Some(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(last.map(Error::from).unwrap_or_else(|| Error::NotADesk))
}

/// Attach an empty file `file` as `schema`, encrypted under `key` in `format`, for
/// `sqlcipher_export` to fill (backups, the rewrite below, the benchmark's copies: all in the
/// current format; the tests' desks and backups as an earlier version wrote them: the older one).
pub(crate) fn attach_new(
    conn: &Connection,
    file: &Path,
    schema: &str,
    key: &DbKey,
    format: PageFormat,
) -> Result<()> {
    // The app's connection is opened without SQLITE_OPEN_CREATE: the file must exist first.
    std::fs::File::create(file)?;
    let value = key.pragma_value();
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS {schema} KEY ?2"),
        rusqlite::params![file.to_string_lossy(), value.as_str()],
    )?;
    conn.execute_batch(&format.pragma(schema))?;
    Ok(())
}

/// `sqlcipher_export` of the main database into the attached `schema`, whose file is `file`.
/// The export is one SQLite call: while it runs, `watch` is told every tenth of a second how
/// many bytes the file holds and the desk's size (the bars of a backup and of the rewrite).
/// sqlcipher_export reports an interrupt of its inner statements (a cancel) as a plain error
/// "interrupted": it comes back as SQLite's interrupt.
pub(crate) fn export_watched(
    conn: &Connection,
    schema: &str,
    file: &Path,
    watch: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<()> {
    let total: u64 = conn
        .query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| u64::try_from(n).unwrap_or(0))
        .unwrap_or(0);
    let finished = std::sync::atomic::AtomicBool::new(false);
    let exported = std::thread::scope(|scope| {
        if let Some(watch) = watch {
            watch(0, total);
            let finished = &finished;
            scope.spawn(move || {
                while !finished.load(std::sync::atomic::Ordering::Relaxed) {
                    watch(std::fs::metadata(file).map(|m| m.len()).unwrap_or(0), total);
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
            });
        }
        let r = conn.query_row(&format!("SELECT sqlcipher_export('{schema}')"), [], |_| {
            Ok(())
        });
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        r
    });
    exported.map_err(|e| match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) if m == "interrupted" => {
            Error::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
                Some(m),
            ))
        }
        e => Error::from(e),
    })
}

/// The `meta` key under which a failed rewrite is remembered (when, and why), so that a desk
/// that cannot be rewritten (a full disk) is not tried at every opening: again after a week.
pub(crate) const REWRITE_FAILED: &str = "page_format_rewrite_failed";
const RETRY_AFTER_DAYS: i64 = 7;

/// Whether an opening should rewrite this desk now: it is in the older format and no rewrite
/// failed in the last week.
pub(crate) fn rewrite_due(conn: &Connection, format: PageFormat) -> Result<bool> {
    if format == PageFormat::Current {
        return Ok(false);
    }
    let failed = super::meta::get(conn, REWRITE_FAILED).unwrap_or(None);
    let since = failed
        .as_deref()
        .and_then(|v| v.split(' ').next())
        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok());
    Ok(match since {
        Some(at) => chrono::Utc::now().signed_duration_since(at).num_days() >= RETRY_AFTER_DAYS,
        None => true,
    })
}

/// The work file of a rewrite, beside the desk.
pub fn work_path(desk: &Path) -> PathBuf {
    super::with_suffix(desk, ".rewrite")
}

/// Rewrite the desk at `path` (open as `conn`, in the older format) in the current format:
/// `sqlcipher_export` into a file beside it under the same key, checked, then renamed over the
/// desk once the old connection is closed and its log folded in. The desk is never changed
/// before the rename, and the rename replaces it whole; a crash before leaves the old desk and a
/// work file that the next rewrite removes.
///
/// `cancelled` is asked every few thousand SQLite instructions while the export runs
/// ("Katkesta"): the export stops, the work file is removed, and the answer is an interrupt.
/// On an error the desk is kept as it was and its connection given back with the error
/// (`Ok(Err((conn, error)))`); `Err` only when the old desk, closed for the rename, could not be
/// opened again (its file untouched).
pub(crate) fn rewrite(
    conn: Connection,
    path: &Path,
    key: &DbKey,
    cancelled: Option<&crate::store::progress::WorkProgress>,
) -> Result<std::result::Result<Connection, (Connection, Error)>> {
    let work = work_path(path);
    let exported = (|| -> Result<()> {
        remove_with_journals(&work)?;
        attach_new(&conn, &work, "srt_rewrite", key, PageFormat::Current)?;
        if let Some(p) = cancelled {
            let p = p.clone();
            conn.progress_handler(10_000, Some(move || p.is_cancelled()))?;
        }
        // How far the export has come moves the upgrade's bar within this step.
        let part = |written: u64, total: u64| {
            if let (Some(p), true) = (cancelled, total > 0) {
                p.set_part(written.saturating_mul(1000) / total);
            }
        };
        let exported = export_watched(&conn, "srt_rewrite", &work, Some(&part));
        let copied = exported.and_then(|()| {
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            conn.execute_batch(&format!("PRAGMA srt_rewrite.user_version = {version};"))?;
            Ok(())
        });
        let unhooked = conn.progress_handler(10_000, None::<fn() -> bool>);
        // Detached whatever happened (a cancel lasts only while a statement runs).
        let detached = conn.execute("DETACH DATABASE srt_rewrite", []);
        copied?;
        unhooked?;
        detached?;
        check_copy(&conn, &work, key)?;
        std::fs::File::open(&work)?.sync_all()?;
        Ok(())
    })();
    if let Err(e) = exported {
        let _ = remove_with_journals(&work);
        return Ok(Err((conn, e)));
    }
    // Fold the log into the old file and close it: a log left beside the new file would be
    // read as the new file's, and another connection still open (an srt-admin beside the app)
    // would go on writing to the old one. SQLite answers "busy" when another connection holds
    // the log, and the last connection to close removes it.
    let wal = super::with_suffix(path, "-wal");
    let shared = || Error::Io(std::io::Error::other("the desk is open in another program"));
    let folded = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(Error::from)
        .and_then(|busy| if busy == 0 { Ok(()) } else { Err(shared()) });
    if let Err(e) = folded {
        let _ = remove_with_journals(&work);
        return Ok(Err((conn, e)));
    }
    if let Err((conn, e)) = conn.close() {
        let _ = remove_with_journals(&work);
        return Ok(Err((conn, e.into())));
    }
    let reopen_old = |e: Error| -> Result<std::result::Result<Connection, (Connection, Error)>> {
        let (old, _) = super::open_desk_file(path, key)?;
        Ok(Err((old, e)))
    };
    if wal.exists() {
        let _ = remove_with_journals(&work);
        return reopen_old(shared());
    }
    if let Err(e) = std::fs::rename(&work, path) {
        let _ = remove_with_journals(&work);
        return reopen_old(e.into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Make the rename itself durable where the system allows opening a folder (not Windows).
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    let (conn, _) = super::open_desk_file(path, key)?;
    Ok(Ok(conn))
}

/// The copy reads under the key in the current format and holds the same schema and version.
fn check_copy(conn: &Connection, work: &Path, key: &DbKey) -> Result<()> {
    let copy = Connection::open_with_flags(work, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    apply_key(&copy, key, PageFormat::Current)?;
    let shape = |c: &Connection, schema: &str| -> Result<(i64, i64)> {
        Ok((
            c.query_row(
                &format!("SELECT count(*) FROM {schema}.sqlite_master"),
                [],
                |r| r.get(0),
            )?,
            c.pragma_query_value(Some(schema), "user_version", |r| r.get(0))?,
        ))
    };
    if shape(&copy, "main")? != shape(conn, "main")? {
        return Err(Error::Io(std::io::Error::other(
            "the rewritten copy does not match the desk",
        )));
    }
    Ok(())
}

fn remove_with_journals(file: &Path) -> Result<()> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        match std::fs::remove_file(super::with_suffix(file, suffix)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The page format of the desk file at `path` under `key` (for checks and tests).
pub fn detect(path: &Path, key: &DbKey) -> Result<PageFormat> {
    Ok(super::open_desk_file(path, key)?.1)
}
