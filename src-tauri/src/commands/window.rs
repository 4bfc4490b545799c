//! The window: long work (cancel, progress), closing with text not saved, opening saved files.

use crate::{AppState, CommandResult};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::{Manager, State};
use tauri_plugin_opener::OpenerExt;

/// "Katkesta": stop the long work running now; it answers "work.cancelled" and writes nothing.
#[tauri::command]
pub fn work_cancel(state: State<'_, AppState>) -> bool {
    state.cancel_running()
}

/// How far the long work running now has come (bytes of a backup, steps of an upgrade and the
/// step under way in thousandths), or null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct WorkProgress {
    pub(crate) done: u64,
    pub(crate) total: u64,
    pub(crate) part: u64,
}

/// Polled by the window while a backup runs; never waits for the session the work holds.
#[tauri::command]
pub fn work_progress(state: State<'_, AppState>) -> Option<WorkProgress> {
    state.running_progress()
}

/// What the window holds that is not saved, as the window last said ([`window_unsaved`]): while it
/// holds something, a close is held back and the window asks; [`window_close`] closes anyway.
#[derive(Debug, Default)]
pub struct CloseGuard {
    pub(crate) unsaved: std::sync::atomic::AtomicBool,
    pub(crate) confirmed: std::sync::atomic::AtomicBool,
}

impl CloseGuard {
    pub(crate) fn holds_back(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.unsaved.load(SeqCst) && !self.confirmed.load(SeqCst)
    }
}

/// The window has (or no longer has) typing that is not saved or text the desk refused.
#[tauri::command(async)]
pub fn window_unsaved(guard: State<'_, CloseGuard>, unsaved: bool) {
    guard
        .unsaved
        .store(unsaved, std::sync::atomic::Ordering::SeqCst);
}

/// Close the window: nothing is left unsaved, or the coordinator chose to close anyway.
#[tauri::command(async)]
pub fn window_close<R: tauri::Runtime>(app: tauri::AppHandle<R>, guard: State<'_, CloseGuard>) {
    guard
        .confirmed
        .store(true, std::sync::atomic::Ordering::SeqCst);
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.close();
    }
}

/// The files this run of the app has written where the user chose (minutes, reports, exports,
/// saved attachments): only these may be handed to the system's viewer by [`saved_file_open`], so
/// the window cannot ask to open (run) any other file on the computer.
#[derive(Debug, Default)]
pub struct SavedFiles(Mutex<std::collections::HashSet<PathBuf>>);

impl SavedFiles {
    pub(crate) fn remember(&self, path: PathBuf) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path);
    }

    /// The file to open, when this run wrote it and it is still there.
    pub(crate) fn check(&self, path: &std::path::Path) -> srt_core::Result<PathBuf> {
        let known = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(path);
        if !known {
            return Err(srt_core::Error::field(
                "path",
                "file.not_saved_here",
                "Avada saab ainult faili, mille SRT Desk praegu salvestas.",
                "Only a file SRT Desk has just saved can be opened.",
            ));
        }
        if !path.is_file() {
            return Err(srt_core::Error::field(
                "path",
                "file.gone",
                "Faili ei ole enam seal, kuhu see salvestati.",
                "The file is no longer where it was saved.",
            ));
        }
        Ok(path.to_path_buf())
    }
}

/// The system's launcher failed (no viewer for the type, no desktop): a plain message for the
/// user; the launcher's own words ("Launcher \"gio\" … failed with ExitStatus(…)") to the log.
pub fn no_viewer(e: impl std::fmt::Display) -> srt_core::Error {
    eprintln!("srt-desk: opening a file failed: {e}");
    srt_core::Error::NoViewer(e.to_string())
}

/// Open a file the app saved (PDF, XLSX) in the system's viewer, to read or print it there.
#[tauri::command(async)]
pub fn saved_file_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    saved: State<'_, SavedFiles>,
    path: PathBuf,
) -> CommandResult<()> {
    let path = saved.check(&path)?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(no_viewer)?;
    Ok(())
}
