//! SRT Desk, the desktop app: Tauri setup and the state the commands share. The commands, one
//! thin function per user action, are in `commands/` (one file per part of the job, declared once
//! in `commands/list.rs`); the app's life (signals, decrypted copies, the window's size) in
//! `lifecycle.rs`.

mod commands;
mod lifecycle;
mod rendering;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use srt_core::launch::Session;
use srt_core::{ErrorPayload, KdfParams, KeyringStore};
use tauri::{Emitter, Manager};

use commands::desk::STARTED;
use commands::window::{CloseGuard, SavedFiles, WorkProgress};
use lifecycle::{end_on_signals, process_alive, remove_temp_copies, save_window_state_soon};

/// The error every command rejects with: `{code, message: {et, en}, fields, details}`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CommandError(Box<ErrorPayload>);

impl From<srt_core::Error> for CommandError {
    fn from(e: srt_core::Error) -> Self {
        CommandError(Box::new(e.payload()))
    }
}

type CommandResult<T> = Result<T, CommandError>;

/// The app's state: one session over one database.
#[derive(Debug)]
pub struct AppState {
    session: Mutex<Session>,
    clipboard: Mutex<srt_core::trust::clipboard::ClipboardGuard>,
    /// Cancels the command running now (a long statistics query, export or backup) without
    /// waiting for the session it holds.
    running: Mutex<Option<srt_core::WorkCancel>>,
    /// How far the command running now has come (a backup), read without the session.
    progress: Mutex<Option<srt_core::WorkProgress>>,
}

/// The system clipboard through arboard (text only).
struct SystemClipboard(arboard::Clipboard);

impl srt_core::trust::clipboard::Clipboard for SystemClipboard {
    fn read_text(&mut self) -> Option<String> {
        self.0.get_text().ok()
    }
    fn clear(&mut self) -> bool {
        self.0.clear().is_ok()
    }
}

impl AppState {
    /// Clear copied case data when it is due, or at once when the desk is not open.
    fn tick_clipboard(&self) {
        let mut guard = self
            .clipboard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Nothing copied: nothing to look at (this runs every second).
        let Some(due) = guard.due_at() else {
            return;
        };
        let open = self.session.lock().map(|s| s.is_open()).unwrap_or(false);
        let now = Instant::now();
        if open && now < due {
            return;
        }
        if let Ok(cb) = arboard::Clipboard::new() {
            guard.tick(&mut SystemClipboard(cb), now, !open);
        }
    }
}

impl AppState {
    /// Run a user action: it counts as activity for the idle lock.
    fn with<T>(&self, f: impl FnOnce(&mut Session) -> srt_core::Result<T>) -> CommandResult<T> {
        self.peek(|s| {
            s.touch(Instant::now());
            // The open desk's long work, or an unlock's schema upgrade.
            let cancel = Some(s.work_cancel());
            let progress = s.work_progress();
            progress.reset();
            s.watch_cancel(true)?;
            self.set_running(cancel);
            self.set_progress(Some(progress.clone()));
            let result = f(s);
            self.set_running(None);
            self.set_progress(None);
            // A cancel that came as the work ended must not stop the next status poll.
            let _ = s.watch_cancel(false);
            progress.reset();
            result
        })
    }

    fn set_running(&self, cancel: Option<srt_core::WorkCancel>) {
        *self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = cancel;
    }

    fn set_progress(&self, progress: Option<srt_core::WorkProgress>) {
        *self
            .progress
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = progress;
    }

    /// How far the running command has come, when it measures it.
    fn running_progress(&self) -> Option<WorkProgress> {
        let progress = self
            .progress
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let progress = progress.as_ref()?;
        let (done, total) = progress.get();
        (total > 0).then_some(WorkProgress {
            done,
            total,
            part: progress.part(),
        })
    }

    /// Cancel the command that is running, if any; true when there was one.
    fn cancel_running(&self) -> bool {
        let running = self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match running.as_ref() {
            Some(c) => {
                c.cancel();
                true
            }
            None => false,
        }
    }

    /// Look without counting as activity (status polling, the idle watch).
    ///
    /// A panic inside a command (a bug) is caught and answered as an internal error instead of
    /// leaving the window waiting forever; the session stays usable: a transaction that was open
    /// is rolled back when it is dropped during unwinding.
    fn peek<T>(&self, f: impl FnOnce(&mut Session) -> srt_core::Result<T>) -> CommandResult<T> {
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut session)));
        match result {
            Ok(r) => Ok(r?),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                eprintln!("srt-desk: internal error in a command: {what}");
                Err(srt_core::Error::Internal(what).into())
            }
        }
    }
}

/// How often the idle lock and the daily backup are checked.
const IDLE_CHECK: Duration = Duration::from_secs(10);

/// How often copied case data is looked at (it is cleared 30 s after copying).
const CLIPBOARD_CHECK: Duration = Duration::from_secs(1);

/// Where the database lives and how it is unlocked, from the environment (tests, automation)
/// or the platform defaults.
#[derive(Debug)]
pub struct LaunchConfig {
    pub db_path: PathBuf,
    pub passphrase: Option<zeroize::Zeroizing<String>>,
}

impl LaunchConfig {
    /// Reads SRT_DESK_DB and SRT_DESK_PASSPHRASE, the same variables srt-admin reads.
    pub fn from_env() -> Self {
        let db_path = std::env::var_os("SRT_DESK_DB")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(srt_core::launch::default_db_path);
        let passphrase = std::env::var("SRT_DESK_PASSPHRASE")
            .ok()
            .filter(|p| !p.is_empty())
            .map(zeroize::Zeroizing::new);
        Self {
            db_path,
            passphrase,
        }
    }

    pub fn start_session(&self) -> Session {
        let user = srt_core::launch::os_user_name();
        Session::start(
            self.db_path.clone(),
            Box::new(KeyringStore::default()),
            self.passphrase.as_ref().map(|p| p.as_str()),
            &format!("app:{user}"),
            KdfParams::default(),
        )
    }
}

/// `generate_handler!` over the one list of commands (commands/list.rs).
macro_rules! invoke_handler {
    ($($part:ident :: $name:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$part::$name),*]
    };
}

/// Build the app with its commands (also used by the IPC tests). The session is started in the
/// setup hook, after the single-instance plugin has had its say, so a second start never opens
/// the database.
pub fn builder<R: tauri::Runtime>(
    start_session: impl FnOnce() -> Session + Send + 'static,
) -> tauri::Builder<R> {
    tauri::Builder::<R>::new()
        .setup(move |app| {
            commands::desk::report_start_step("setup began");
            let session = start_session();
            commands::desk::report_start_step("session started");
            app.manage(AppState {
                session: Mutex::new(session),
                clipboard: Mutex::new(Default::default()),
                running: Mutex::new(None),
                progress: Mutex::new(None),
            });
            app.manage(SavedFiles::default());
            app.manage(CloseGuard::default());
            app.manage(commands::team::TeamLine::default());
            commands::team::start_auto_sync(app.handle().clone());
            // The idle lock is kept by the backend, so a stalled or hidden window cannot keep
            // the database open.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                let mut last_check = Instant::now();
                loop {
                    std::thread::sleep(CLIPBOARD_CHECK);
                    let Some(state) = handle.try_state::<AppState>() else {
                        break;
                    };
                    state.tick_clipboard();
                    if last_check.elapsed() < IDLE_CHECK {
                        continue;
                    }
                    last_check = Instant::now();
                    let _ = state.peek(|s| Ok(s.lock_if_idle(Instant::now())));
                    // The daily backup, while the desk is open (a failure is shown in Settings).
                    let _ = state.peek(|s| Ok(s.auto_backup_if_due()));
                }
            });
            Ok(())
        })
        .invoke_handler(commands::app_commands!(invoke_handler))
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    STARTED.get_or_init(Instant::now);
    // Before WebKit starts: without a GPU, paint on the CPU and draw without composing layers,
    // rather than emulate one.
    rendering::paint_on_cpu_without_gpu();
    // What a killed earlier run left: decrypted copies whose process is gone.
    srt_core::launch::sweep_leftover_temp_folders(&std::env::temp_dir(), process_alive);
    let config = LaunchConfig::from_env();
    // The desk's log for the Board's IT, beside the database (rotated; no personal data).
    let _ = srt_core::logging::init(&srt_core::logging::log_dir_for(&config.db_path));
    builder::<tauri::Wry>(move || config.start_session())
        // First, so that a second start only focuses the running window and never opens the
        // database a second time.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // --- Install ---: the window opens where and as large as it was closed.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_) => {
                save_window_state_soon(window.app_handle().clone());
            }
            // Text the desk refused, or typing not yet saved: the window asks before it closes.
            tauri::WindowEvent::CloseRequested { api, .. } => {
                if let Some(guard) = window.try_state::<CloseGuard>() {
                    if guard.holds_back() {
                        api.prevent_close();
                        let _ = window.emit("close-asked", ());
                    }
                }
            }
            // The window is gone: so are the decrypted copies (the exit removes them too).
            tauri::WindowEvent::Destroyed => remove_temp_copies(window.app_handle()),
            _ => {}
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("SRT Desk could not start: {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            match event {
                tauri::RunEvent::Ready => {
                    commands::desk::report_start_step("event loop ready");
                    end_on_signals(app.clone())
                }
                // Temporary copies of attachments never outlive the app.
                tauri::RunEvent::Exit => remove_temp_copies(app),
                _ => {}
            }
        });
}

#[cfg(test)]
mod tests;
