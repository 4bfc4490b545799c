//! The app's life: the window's size kept, decrypted copies removed on signals and at start.

use crate::AppState;
use std::time::Duration;
use tauri::Manager;

/// The plugin writes the window's size and position only when the app exits normally; a laptop
/// that loses power or an app that is killed would open at the old size. So they are also written
/// half a second after the last move or resize (a drag sends many events; only the last one saves).
pub fn save_window_state_soon(app: tauri::AppHandle) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::{AppHandleExt, StateFlags};
    static LATEST: AtomicU64 = AtomicU64::new(0);
    let mine = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        if LATEST.load(Ordering::SeqCst) == mine {
            let _ = app.save_window_state(StateFlags::all());
        }
    });
}

/// Remove the decrypted temporary copies of this run: the session's folder, and (without waiting
/// for a command that may hold the session) every folder this process made.
pub fn remove_temp_copies<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    srt_core::launch::remove_own_temp_folders(&std::env::temp_dir());
    if let Some(state) = app.try_state::<AppState>() {
        if let Ok(mut session) = state.session.try_lock() {
            session.remove_temp_files();
        }
    }
}

/// Whether the process `pid` still runs (another instance, or a dead run whose folder is left):
/// /proc tells on Linux, `kill -0` on other Unix systems; when in doubt, it runs.
#[cfg(unix)]
pub fn process_alive(pid: u32) -> bool {
    if std::path::Path::new("/proc/self").exists() {
        return std::path::Path::new(&format!("/proc/{pid}")).exists();
    }
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(true)
}

/// Elsewhere nothing is swept: a folder is never taken from a process that may still run.
#[cfg(not(unix))]
pub fn process_alive(_pid: u32) -> bool {
    true
}

/// SIGTERM, SIGINT or SIGHUP (a logout, `kill`, the test driver ending the app) end the app as
/// closing it does: the decrypted copies go at once, then the app exits (and, should its event
/// loop not answer within seconds, the process ends anyway).
#[cfg(unix)]
pub fn end_on_signals<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        eprintln!("srt-desk: signal handlers could not be installed");
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            srt_core::launch::remove_own_temp_folders(&std::env::temp_dir());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(5));
                srt_core::launch::remove_own_temp_folders(&std::env::temp_dir());
                std::process::exit(128 + signal);
            });
            app.exit(0);
        }
    });
}

#[cfg(not(unix))]
pub fn end_on_signals<R: tauri::Runtime>(_app: tauri::AppHandle<R>) {}
