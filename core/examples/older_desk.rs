//! A desk as an earlier version of SRT Desk wrote it, for the end-to-end test of the upgrade at
//! unlock (`tests/e2e/upgrade.test.js`): the app itself only ever writes the current version.
//!
//!   older_desk write PATH [VERSION]   an older schema (default: the one before the latest) in
//!                                     the older page format (HMAC-SHA512), one synthetic case,
//!                                     its key wrapped by SRT_DESK_PASSPHRASE; prints
//!                                     "format=legacy version=17 latest=18"
//!   older_desk show PATH              "format=current version=18": how the file is written now,
//!                                     read without upgrading it
//!
//! Synthetic data only. Not shipped: an example of the core crate, built by `scripts/test`.

#[path = "../tests/common/older.rs"]
mod older;

use std::path::Path;
use std::process::ExitCode;

use srt_core::store::key::{DbKey, KdfParams, KeyInfo, KeySourceKind, WrappedKey};
use srt_core::store::migrate;
use srt_core::store::page_format::{self, PageFormat};
use srt_core::MemoryKeyStore;

fn passphrase() -> Result<String, String> {
    std::env::var("SRT_DESK_PASSPHRASE").map_err(|_| "SRT_DESK_PASSPHRASE is not set".to_string())
}

fn write(path: &Path, version: Option<&str>) -> Result<(), String> {
    if path.exists() {
        return Err(format!("{} exists; not overwritten", path.display()));
    }
    let version = match version {
        Some(v) => v
            .parse::<usize>()
            .map_err(|e| format!("version {v}: {e}"))?,
        None => migrate::latest_version() - 1,
    };
    if version == 0 || version >= migrate::latest_version() {
        return Err(format!(
            "version {version}: an older one is 1..{}",
            migrate::latest_version() - 1
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let key = DbKey::random().map_err(|e| e.to_string())?;
    let wrapped = WrappedKey::wrap(&key, &passphrase()?, KdfParams::fast_for_tests())
        .map_err(|e| e.to_string())?;
    older::write_older_desk(
        path,
        version,
        &key,
        KeySourceKind::Passphrase,
        Some(wrapped),
    );
    println!(
        "format=legacy version={version} latest={}",
        migrate::latest_version()
    );
    Ok(())
}

fn show(path: &Path) -> Result<(), String> {
    let info = KeyInfo::load(path).map_err(|e| e.to_string())?;
    let key = info
        .obtain_key(path, &MemoryKeyStore::default(), Some(&passphrase()?))
        .map_err(|e| e.to_string())?;
    let name = match page_format::detect(path, &key).map_err(|e| e.to_string())? {
        PageFormat::Current => "current",
        PageFormat::Legacy => "legacy",
    };
    // Opened as the app opens a desk file, in whichever format it has; nothing is upgraded.
    let conn = srt_core::store::open_raw(path, &key).map_err(|e| e.to_string())?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    println!("format={name} version={version}");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", path] => write(Path::new(path), None),
        ["write", path, version] => write(Path::new(path), Some(version)),
        ["show", path] => show(Path::new(path)),
        _ => Err("usage: older_desk write PATH [VERSION] | older_desk show PATH".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("older_desk: {e}");
            ExitCode::FAILURE
        }
    }
}
