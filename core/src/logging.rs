//! The desk's log for the Board's IT: `tracing` events as JSON lines (flat, as `srt-server`'s) in a file of the desk's log
//! folder, rotated by size (`srt-desk.log`, then `.1` … `.4`: five files of at most 5 MiB). Only
//! ids, counts, durations and error codes are logged, never names, personal codes or texts
//! (docs/team-server.md, "Diagnosing a sync problem"). `SRT_LOG` sets the filter (default `info`).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing_subscriber::EnvFilter;

/// The log file's name in its folder.
pub const LOG_FILE: &str = "srt-desk.log";
/// A file is rotated when it reaches this size.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;
/// Files kept: the current one and four older ones.
pub const KEEP: usize = 5;

/// A log file rotated by size: when the next line would pass `max_bytes`, `name.(keep-2)` becomes
/// `name.(keep-1)`, …, `name` becomes `name.1`, and a new `name` is begun.
#[derive(Debug)]
pub struct RotatingFile {
    dir: PathBuf,
    max_bytes: u64,
    keep: usize,
    state: Mutex<(File, u64)>,
}

impl RotatingFile {
    pub fn open(dir: &Path, max_bytes: u64, keep: usize) -> std::io::Result<RotatingFile> {
        std::fs::create_dir_all(dir)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(LOG_FILE))?;
        let size = file.metadata()?.len();
        Ok(RotatingFile {
            dir: dir.to_path_buf(),
            max_bytes,
            keep: keep.max(1),
            state: Mutex::new((file, size)),
        })
    }

    fn numbered(&self, n: usize) -> PathBuf {
        if n == 0 {
            self.dir.join(LOG_FILE)
        } else {
            self.dir.join(format!("{LOG_FILE}.{n}"))
        }
    }

    fn rotate(&self, state: &mut (File, u64)) -> std::io::Result<()> {
        state.0.flush()?;
        let _ = std::fs::remove_file(self.numbered(self.keep - 1));
        for n in (0..self.keep - 1).rev() {
            let from = self.numbered(n);
            if from.exists() {
                std::fs::rename(&from, self.numbered(n + 1))?;
            }
        }
        state.0 = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.numbered(0))?;
        state.1 = 0;
        Ok(())
    }

    /// Writes one formatted event (a whole line), rotating first when it would not fit.
    pub fn write_line(&self, buf: &[u8]) -> std::io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.1 > 0 && state.1 + buf.len() as u64 > self.max_bytes {
            self.rotate(&mut state)?;
        }
        state.0.write_all(buf)?;
        state.1 += buf.len() as u64;
        Ok(())
    }
}

/// What `tracing_subscriber` writes each event through.
#[derive(Debug)]
pub struct LineWriter(Arc<RotatingFile>);

impl Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_line(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The desk's log folder: `SRT_LOG_DIR` when set, else `logs` beside the database file.
pub fn log_dir_for(db: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("SRT_LOG_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("logs")
}

/// Sends this process's `tracing` events to `dir`/srt-desk.log (rotated, JSON lines). Once per
/// process: a second call (or another subscriber set before) leaves the first in place and
/// answers false. An error only when the folder cannot be written.
pub fn init(dir: &Path) -> std::io::Result<bool> {
    let file = Arc::new(RotatingFile::open(dir, MAX_BYTES, KEEP)?);
    let filter = EnvFilter::try_from_env("SRT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let set = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_env_filter(filter)
        .with_writer(move || LineWriter(file.clone()))
        .try_init()
        .is_ok();
    if set {
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            pid = std::process::id(),
            "desk log opened"
        );
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_is_rotated_and_only_the_newest_files_are_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = RotatingFile::open(dir.path(), 100, 3).expect("open");
        for i in 0..20 {
            f.write_line(format!("line {i:02} {}\n", "x".repeat(30)).as_bytes())
                .expect("write");
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(names, vec![LOG_FILE, "srt-desk.log.1", "srt-desk.log.2"]);
        let newest = std::fs::read_to_string(dir.path().join(LOG_FILE)).expect("read");
        assert!(newest.contains("line 19"), "{newest}");
        assert!(newest.len() <= 100);
        let oldest = std::fs::read_to_string(dir.path().join("srt-desk.log.2")).expect("read");
        assert!(
            !oldest.contains("line 00"),
            "the oldest were dropped: {oldest}"
        );
    }
}
