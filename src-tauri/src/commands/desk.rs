//! The desk itself: its status, lock and unlock, creating and recovering it, the settings the
//! window keeps, the coordinator, the demo desk and the first run.

use crate::{AppState, CommandResult};
use serde::Serialize;
use srt_core::launch::SessionStatus;
use std::time::Instant;
use tauri::State;

/// Number of synthetic cases "Load demo data" creates.
pub(crate) const DEMO_CASES: usize = 60;

/// When `run` began, for the start-up time that `SRT_DESK_TIMING=1` prints.
pub(crate) static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// With `SRT_DESK_TIMING=1`, the first status request (the window's script asking which screen
/// to show, right before it draws it) prints how long after start it came, and the wall clock,
/// so that a wrapper can add the time before `main` (loading the libraries).
pub fn report_first_screen() {
    // The window asks for its status again and again (the lock watch): after the first time
    // this is one atomic load, without looking at the environment.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| report_start_step("first screen asked for"));
}

/// With `SRT_DESK_TIMING=1`, a step of the start (issue 30: where the time before the first
/// screen goes) with its time since `run` and the wall clock, as [`report_first_screen`] does.
pub fn report_start_step(step: &str) {
    if std::env::var_os("SRT_DESK_TIMING").is_none() {
        return;
    }
    let since_run = STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
    let epoch_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    eprintln!("srt-desk timing: {step} {since_run} ms after run() (epoch ms {epoch_ms})");
}

#[tauri::command]
pub fn desk_status<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<SessionStatus> {
    report_first_screen();
    let status = state.peek(|s| Ok(s.status()))?;
    show_desk_in_title(&window, &status);
    Ok(status)
}

/// The window's title says which desk is open: a demo desk never passes for the real one.
pub fn show_desk_in_title<R: tauri::Runtime>(
    window: &tauri::WebviewWindow<R>,
    status: &SessionStatus,
) {
    let title = if status.demo_desk {
        "NÄIDISANDMED – SRT Desk (näidistöölaud / demo desk)"
    } else {
        "SRT Desk"
    };
    if window.title().ok().as_deref() != Some(title) {
        let _ = window.set_title(title);
    }
}

#[tauri::command]
pub fn desk_lock(state: State<'_, AppState>) -> CommandResult<SessionStatus> {
    state.peek(|s| Ok(s.lock("manual")))
}

#[tauri::command]
pub fn desk_activity(state: State<'_, AppState>) -> CommandResult<()> {
    state.with(|_| Ok(()))
}

#[tauri::command]
pub fn settings_set_idle_lock(
    state: State<'_, AppState>,
    minutes: i64,
) -> CommandResult<SessionStatus> {
    state.with(|s| s.set_idle_lock_minutes(minutes))
}

#[tauri::command(async)]
pub fn desk_create(
    state: State<'_, AppState>,
    passphrase: String,
    confirm: String,
) -> CommandResult<SessionStatus> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.create_with_passphrase(&passphrase, &confirm))
}

#[tauri::command(async)]
pub fn desk_unlock(state: State<'_, AppState>, passphrase: String) -> CommandResult<SessionStatus> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    state.with(|s| s.unlock(&passphrase))
}

#[tauri::command(async)]
pub fn desk_recover(
    state: State<'_, AppState>,
    recovery_code: String,
    new_passphrase: String,
    confirm: String,
) -> CommandResult<SessionStatus> {
    let recovery_code = zeroize::Zeroizing::new(recovery_code);
    let new_passphrase = zeroize::Zeroizing::new(new_passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.recover(&recovery_code, &new_passphrase, &confirm))
}

#[tauri::command]
pub fn desk_recovery_shown(state: State<'_, AppState>) -> CommandResult<SessionStatus> {
    state.with(|s| s.recovery_code_shown())
}

#[tauri::command]
pub fn settings_set_language(
    state: State<'_, AppState>,
    language: String,
) -> CommandResult<SessionStatus> {
    state.with(|s| s.set_language(&language))
}

#[tauri::command]
pub fn settings_set_coordinator(
    state: State<'_, AppState>,
    name: String,
    phone: String,
    email: String,
) -> CommandResult<SessionStatus> {
    state.with(|s| s.set_coordinator(&name, &phone, &email))
}

#[derive(Debug, Serialize)]
pub(crate) struct DemoLoaded {
    created: usize,
}

/// Fill the open demo desk with the demo (refused on the real desk).
#[tauri::command(async)]
pub fn demo_load(state: State<'_, AppState>) -> CommandResult<DemoLoaded> {
    state.with(|s| {
        let created = s.load_demo(DEMO_CASES, 2026)?;
        Ok(DemoLoaded { created })
    })
}

/// Open the demo desk, a separate file beside the real desk (created on first use).
#[tauri::command(async)]
pub fn demo_open<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<SessionStatus> {
    let status = state.with(|s| s.open_demo_desk())?;
    show_desk_in_title(&window, &status);
    Ok(status)
}

/// Back from the demo desk to the real desk.
#[tauri::command(async)]
pub fn desk_open_real<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<SessionStatus> {
    let status = state.with(|s| s.open_real_desk())?;
    show_desk_in_title(&window, &status);
    Ok(status)
}

// --- Install ---

/// The guided setup of a new database is finished (or skipped).
#[tauri::command(async)]
pub fn desk_first_run_done(state: State<'_, AppState>) -> CommandResult<SessionStatus> {
    state.with(|s| s.first_run_done())
}
