//! SRT Desk, the desktop app: Tauri setup, state, and one thin command per user action. Every
//! command takes typed arguments, calls one srt-core function and maps the error; no logic here.

mod commands;
mod rendering;
mod view_commands;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use srt_core::assessment::{Assessment, AssessmentInput};
use srt_core::cases::{
    ApplicationInput, CaseCounts, CaseDetail, CaseFilter, CaseList, DocumentRequest,
};
use srt_core::decisions;
use srt_core::documents::{Document, DocumentInput};
use srt_core::ids::PersonalCodeCheck;
use srt_core::launch::{Session, SessionStatus};
use srt_core::places::Places;
use srt_core::rules::{DeadlineRule, DeadlineRuleInput};
use srt_core::schedule::Dashboard;
use srt_core::search::SearchResults;
use srt_core::timeline::TimelineEntry;
use srt_core::{ErrorPayload, KdfParams, KeyringStore};
use tauri::{Emitter, Manager, State};
// --- Meetings ---
use srt_core::meetings::{
    ActionInput, DraftSaved, Meeting, MeetingDraft, MeetingInput, MeetingSummary, MeetingTemplate,
    MinutesExport, TemplateInput,
};
use tauri_plugin_opener::OpenerExt;

/// Number of synthetic cases "Load demo data" creates.
const DEMO_CASES: usize = 60;

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
    clipboard: Mutex<srt_core::clipboard::ClipboardGuard>,
    /// Cancels the command running now (a long statistics query, export or backup) without
    /// waiting for the session it holds.
    running: Mutex<Option<srt_core::WorkCancel>>,
    /// How far the command running now has come (a backup), read without the session.
    progress: Mutex<Option<srt_core::WorkProgress>>,
}

/// The system clipboard through arboard (text only).
struct SystemClipboard(arboard::Clipboard);

impl srt_core::clipboard::Clipboard for SystemClipboard {
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

/// The plugin writes the window's size and position only when the app exits normally; a laptop
/// that loses power or an app that is killed would open at the old size. So they are also written
/// half a second after the last move or resize (a drag sends many events; only the last one saves).
fn save_window_state_soon(app: tauri::AppHandle) {
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

/// "Katkesta": stop the long work running now; it answers "work.cancelled" and writes nothing.
#[tauri::command]
fn work_cancel(state: State<'_, AppState>) -> bool {
    state.cancel_running()
}

/// How far the long work running now has come (bytes of a backup, steps of an upgrade and the
/// step under way in thousandths), or null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct WorkProgress {
    done: u64,
    total: u64,
    part: u64,
}

/// Polled by the window while a backup runs; never waits for the session the work holds.
#[tauri::command]
fn work_progress(state: State<'_, AppState>) -> Option<WorkProgress> {
    state.running_progress()
}

/// When `run` began, for the start-up time that `SRT_DESK_TIMING=1` prints.
static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// With `SRT_DESK_TIMING=1`, the first status request (the window's script asking which screen
/// to show, right before it draws it) prints how long after start it came, and the wall clock,
/// so that a wrapper can add the time before `main` (loading the libraries).
fn report_first_screen() {
    // The window asks for its status again and again (the lock watch): after the first time
    // this is one atomic load, without looking at the environment.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("SRT_DESK_TIMING").is_none() {
            return;
        }
        let since_run = STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
        let epoch_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        eprintln!("srt-desk timing: first screen asked for {since_run} ms after run() (epoch ms {epoch_ms})");
    });
}

#[tauri::command]
fn desk_status<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<SessionStatus> {
    report_first_screen();
    let status = state.peek(|s| Ok(s.status()))?;
    show_desk_in_title(&window, &status);
    Ok(status)
}

/// The window's title says which desk is open: a demo desk never passes for the real one.
fn show_desk_in_title<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>, status: &SessionStatus) {
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
fn desk_lock(state: State<'_, AppState>) -> CommandResult<SessionStatus> {
    state.peek(|s| Ok(s.lock("manual")))
}

#[tauri::command]
fn desk_activity(state: State<'_, AppState>) -> CommandResult<()> {
    state.with(|_| Ok(()))
}

#[tauri::command]
fn settings_set_idle_lock(
    state: State<'_, AppState>,
    minutes: i64,
) -> CommandResult<SessionStatus> {
    state.with(|s| s.set_idle_lock_minutes(minutes))
}

#[tauri::command(async)]
fn desk_create(
    state: State<'_, AppState>,
    passphrase: String,
    confirm: String,
) -> CommandResult<SessionStatus> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.create_with_passphrase(&passphrase, &confirm))
}

#[tauri::command(async)]
fn desk_unlock(state: State<'_, AppState>, passphrase: String) -> CommandResult<SessionStatus> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    state.with(|s| s.unlock(&passphrase))
}

#[tauri::command(async)]
fn desk_recover(
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
fn desk_recovery_shown(state: State<'_, AppState>) -> CommandResult<SessionStatus> {
    state.with(|s| s.recovery_code_shown())
}

#[tauri::command(async)]
fn backup_now(
    state: State<'_, AppState>,
    out: String,
    passphrase: String,
    confirm: String,
) -> CommandResult<srt_core::store::backup::BackupInfo> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.backup_now(&out, &passphrase, &confirm))
}

#[tauri::command(async)]
fn auto_backup_status(
    state: State<'_, AppState>,
) -> CommandResult<srt_core::autobackup::AutoBackupStatus> {
    state.with(|s| s.auto_backup_status())
}

#[tauri::command(async)]
fn auto_backup_configure(
    state: State<'_, AppState>,
    folder: String,
    keep: i64,
    passphrase: String,
    confirm: String,
) -> CommandResult<srt_core::autobackup::AutoBackupStatus> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.auto_backup_configure(&folder, keep, &passphrase, &confirm))
}

#[tauri::command(async)]
fn auto_backup_disable(
    state: State<'_, AppState>,
) -> CommandResult<srt_core::autobackup::AutoBackupStatus> {
    state.with(|s| s.auto_backup_disable())
}

#[tauri::command(async)]
fn backup_restore(
    state: State<'_, AppState>,
    from: String,
    backup_passphrase: String,
    new_passphrase: String,
    confirm: String,
) -> CommandResult<SessionStatus> {
    let backup_passphrase = zeroize::Zeroizing::new(backup_passphrase);
    let new_passphrase = zeroize::Zeroizing::new(new_passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.restore_from(&from, &backup_passphrase, &new_passphrase, &confirm))
}

#[tauri::command(async)]
fn retention_list(state: State<'_, AppState>) -> CommandResult<srt_core::privacy::RetentionList> {
    state.with(|s| s.desk()?.retention_list())
}

#[tauri::command(async)]
fn retention_set_years(
    state: State<'_, AppState>,
    years: i64,
) -> CommandResult<srt_core::privacy::RetentionList> {
    state.with(|s| s.desk()?.retention_set_years(years))
}

#[tauri::command(async)]
fn retention_delete(
    state: State<'_, AppState>,
    case_ids: Vec<i64>,
) -> CommandResult<srt_core::privacy::RetentionList> {
    state.with(|s| s.desk()?.retention_delete(&case_ids))
}

#[tauri::command(async)]
fn person_export(
    state: State<'_, AppState>,
    personal_code: String,
    out: String,
) -> CommandResult<u64> {
    state.with(|s| {
        let out = out.trim();
        if out.is_empty() || !std::path::Path::new(out).is_absolute() {
            return Err(srt_core::Error::field(
                "out",
                "export.out_required",
                "Vali fail, kuhu andmed salvestatakse.",
                "Choose the file the data is saved to.",
            ));
        }
        s.desk()?
            .person_export(&personal_code, std::path::Path::new(out))
    })
}

/// Text from a case was copied (the window's copy event): clear it from the clipboard in 30 s.
#[tauri::command]
fn clipboard_copied(state: State<'_, AppState>, text: String) -> CommandResult<()> {
    state.with(|_| Ok(()))?;
    state
        .clipboard
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .copied(&text, Instant::now());
    Ok(())
}

#[tauri::command]
fn settings_set_language(
    state: State<'_, AppState>,
    language: String,
) -> CommandResult<SessionStatus> {
    state.with(|s| s.set_language(&language))
}

#[tauri::command]
fn settings_set_coordinator(
    state: State<'_, AppState>,
    name: String,
    phone: String,
    email: String,
) -> CommandResult<SessionStatus> {
    state.with(|s| s.set_coordinator(&name, &phone, &email))
}

#[tauri::command]
fn places_list(state: State<'_, AppState>) -> CommandResult<Places> {
    state.with(|s| s.desk()?.places())
}

#[tauri::command]
fn personal_code_check(code: String) -> PersonalCodeCheck {
    srt_core::ids::check_personal_code(&code)
}

#[tauri::command(async)]
fn case_register(
    state: State<'_, AppState>,
    application: ApplicationInput,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.register_application(&application))
}

#[tauri::command(async)]
fn case_list(state: State<'_, AppState>, filter: CaseFilter) -> CommandResult<CaseList> {
    state.with(|s| s.desk()?.list_cases(&filter))
}

#[tauri::command(async)]
fn case_get(state: State<'_, AppState>, id: i64) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.case(id))
}

#[tauri::command(async)]
fn case_change_status(
    state: State<'_, AppState>,
    id: i64,
    to: String,
    reason: String,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.change_status(id, &to, &reason))
}

#[tauri::command(async)]
fn case_counts(state: State<'_, AppState>) -> CommandResult<CaseCounts> {
    state.with(|s| s.desk()?.case_counts())
}

#[derive(Debug, Serialize)]
struct DemoLoaded {
    created: usize,
}

/// Fill the open demo desk with the demo (refused on the real desk).
#[tauri::command(async)]
fn demo_load(state: State<'_, AppState>) -> CommandResult<DemoLoaded> {
    state.with(|s| {
        let created = s.load_demo(DEMO_CASES, 2026)?;
        Ok(DemoLoaded { created })
    })
}

/// Open the demo desk, a separate file beside the real desk (created on first use).
#[tauri::command(async)]
fn demo_open<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<SessionStatus> {
    let status = state.with(|s| s.open_demo_desk())?;
    show_desk_in_title(&window, &status);
    Ok(status)
}

/// Back from the demo desk to the real desk.
#[tauri::command(async)]
fn desk_open_real<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<SessionStatus> {
    let status = state.with(|s| s.open_real_desk())?;
    show_desk_in_title(&window, &status);
    Ok(status)
}

#[tauri::command(async)]
fn assessment_get(state: State<'_, AppState>, case_id: i64) -> CommandResult<Assessment> {
    state.with(|s| s.desk()?.assessment(case_id))
}

#[tauri::command(async)]
fn assessment_save(
    state: State<'_, AppState>,
    case_id: i64,
    draft: AssessmentInput,
) -> CommandResult<Assessment> {
    state.with(|s| {
        s.desk()?
            .save_assessment_as_typed(case_id, &draft.draft, &draft.hours_typed)
    })
}

#[tauri::command(async)]
fn assessment_sign(
    state: State<'_, AppState>,
    case_id: i64,
    signed_on: String,
) -> CommandResult<Assessment> {
    state.with(|s| s.desk()?.sign_assessment(case_id, &signed_on))
}

#[tauri::command(async)]
fn document_list(state: State<'_, AppState>, case_id: i64) -> CommandResult<Vec<Document>> {
    state.with(|s| s.desk()?.documents(case_id))
}

#[tauri::command(async)]
fn document_add(
    state: State<'_, AppState>,
    case_id: i64,
    document: DocumentInput,
) -> CommandResult<Document> {
    state.with(|s| s.desk()?.add_document(case_id, &document))
}

#[tauri::command(async)]
fn document_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
) -> CommandResult<Document> {
    state.with(|s| s.desk()?.set_document_status(id, &status))
}

#[tauri::command(async)]
fn document_attach(
    state: State<'_, AppState>,
    document_id: i64,
    path: PathBuf,
) -> CommandResult<Document> {
    state.with(|s| s.desk()?.attach_file(document_id, &path))
}

#[tauri::command(async)]
fn attachment_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<()> {
    let path = state.with(|s| s.attachment_to_temp(id))?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(no_viewer)?;
    Ok(())
}

#[tauri::command(async)]
fn attachment_save(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    id: i64,
    path: PathBuf,
) -> CommandResult<()> {
    state.with(|s| s.desk()?.export_attachment(id, &path).map(|_| ()))?;
    saved.remember(path);
    Ok(())
}

#[tauri::command(async)]
fn case_request_documents(
    state: State<'_, AppState>,
    case_id: i64,
    request: DocumentRequest,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.request_documents(case_id, &request))
}

#[tauri::command(async)]
fn case_documents_received(
    state: State<'_, AppState>,
    case_id: i64,
    received_on: String,
    note: String,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.documents_received(case_id, &received_on, &note))
}

#[tauri::command(async)]
fn case_timeline(state: State<'_, AppState>, case_id: i64) -> CommandResult<Vec<TimelineEntry>> {
    state.with(|s| s.desk()?.timeline(case_id))
}

#[tauri::command(async)]
fn dashboard(state: State<'_, AppState>) -> CommandResult<Dashboard> {
    state.with(|s| s.desk()?.dashboard())
}

#[tauri::command(async)]
fn search_all(state: State<'_, AppState>, text: String) -> CommandResult<SearchResults> {
    state.with(|s| s.desk()?.search(&text))
}

#[tauri::command(async)]
fn deadline_rules_list(state: State<'_, AppState>) -> CommandResult<Vec<DeadlineRule>> {
    state.with(|s| s.desk()?.deadline_rules())
}

#[tauri::command(async)]
fn deadline_rule_save(
    state: State<'_, AppState>,
    rule: DeadlineRuleInput,
) -> CommandResult<Vec<DeadlineRule>> {
    state.with(|s| s.desk()?.save_deadline_rule(&rule))
}

#[tauri::command(async)]
fn audit_list(
    state: State<'_, AppState>,
    filter: srt_core::audit::AuditFilter,
) -> CommandResult<srt_core::audit::AuditPage> {
    state.with(|s| s.desk()?.audit_log(&filter))
}

// --- Decisions ---

#[tauri::command(async)]
fn decision_list(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<Vec<decisions::DecisionListItem>> {
    state.with(|s| s.desk()?.decisions(case_id))
}

#[tauri::command(async)]
fn decision_get(state: State<'_, AppState>, id: i64) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.decision(id))
}

#[tauri::command(async)]
fn decision_create(
    state: State<'_, AppState>,
    case_id: i64,
    kind: String,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.create_decision(case_id, &kind))
}

#[tauri::command(async)]
fn decision_save(
    state: State<'_, AppState>,
    id: i64,
    draft: decisions::DecisionDraft,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.save_decision(id, &draft))
}

#[tauri::command(async)]
fn decision_refill_annex(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.refill_decision_annex(id))
}

#[tauri::command(async)]
fn decision_delete(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Vec<decisions::DecisionListItem>> {
    state.with(|s| s.desk()?.delete_decision_draft(id))
}

#[tauri::command(async)]
fn decision_approve(
    state: State<'_, AppState>,
    id: i64,
    confirm_warnings: bool,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.approve_decision(id, confirm_warnings))
}

#[tauri::command(async)]
fn decision_mark_sent(
    state: State<'_, AppState>,
    id: i64,
    delivered_on: String,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.mark_decision_sent(id, &delivered_on))
}

// --- Signing and delivery (issue 29) ---

#[tauri::command(async)]
fn decision_signature_get(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Option<srt_core::signing::SignatureState>> {
    state.with(|s| s.desk()?.decision_signature(id))
}

/// Sign with the ID-card (the module in the settings); the PIN typed in the app's dialog is used
/// for this login only.
#[tauri::command(async)]
fn decision_sign(
    state: State<'_, AppState>,
    id: i64,
    pin: String,
) -> CommandResult<srt_core::signing::Signed> {
    let pin = zeroize::Zeroizing::new(pin);
    state.with(|s| s.desk()?.sign_decision(id, None, None, &pin))
}

#[tauri::command(async)]
fn decision_send_email(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| {
        let (desk, keys) = s.desk_and_keys()?;
        desk.send_decision_email(id, keys)
    })
}

#[tauri::command(async)]
fn decisions_waiting(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::signing::record::Waiting>> {
    state.with(|s| s.desk()?.decisions_waiting())
}

#[tauri::command(async)]
fn decision_settings_get(state: State<'_, AppState>) -> CommandResult<decisions::DecisionSettings> {
    state.with(|s| s.desk()?.decision_settings())
}

#[tauri::command(async)]
fn decision_settings_save(
    state: State<'_, AppState>,
    settings: decisions::DecisionSettings,
) -> CommandResult<decisions::DecisionSettings> {
    state.with(|s| s.desk()?.save_decision_settings(&settings))
}

#[tauri::command(async)]
fn decision_templates_list(state: State<'_, AppState>) -> CommandResult<Vec<decisions::Template>> {
    state.with(|s| s.desk()?.decision_templates())
}

#[tauri::command(async)]
fn decision_template_versions(
    state: State<'_, AppState>,
    code: String,
    lang: String,
) -> CommandResult<Vec<decisions::Template>> {
    state.with(|s| s.desk()?.decision_template_versions(&code, &lang))
}

#[tauri::command(async)]
fn decision_template_save(
    state: State<'_, AppState>,
    template: decisions::TemplateInput,
) -> CommandResult<decisions::Template> {
    state.with(|s| s.desk()?.save_decision_template(&template))
}

#[tauri::command(async)]
fn decision_caps_list(state: State<'_, AppState>) -> CommandResult<Vec<decisions::YearlyCapRule>> {
    state.with(|s| s.desk()?.yearly_caps())
}

#[tauri::command(async)]
fn decision_cap_save(
    state: State<'_, AppState>,
    cap: decisions::YearlyCapInput,
) -> CommandResult<Vec<decisions::YearlyCapRule>> {
    state.with(|s| s.desk()?.save_yearly_cap(&cap))
}

// --- Meetings ---

#[tauri::command(async)]
fn meeting_templates_list(state: State<'_, AppState>) -> CommandResult<Vec<MeetingTemplate>> {
    state.with(|s| s.desk()?.meeting_templates())
}

#[tauri::command(async)]
fn meeting_template_save(
    state: State<'_, AppState>,
    template: TemplateInput,
) -> CommandResult<Vec<MeetingTemplate>> {
    state.with(|s| s.desk()?.save_meeting_template(&template))
}

#[tauri::command(async)]
fn meeting_list(state: State<'_, AppState>, case_id: i64) -> CommandResult<Vec<MeetingSummary>> {
    state.with(|s| s.desk()?.meetings(case_id))
}

#[tauri::command(async)]
fn meeting_create(
    state: State<'_, AppState>,
    case_id: i64,
    meeting: MeetingInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.create_meeting(case_id, &meeting))
}

#[tauri::command(async)]
fn meeting_get(state: State<'_, AppState>, id: i64) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.meeting(id))
}

#[tauri::command(async)]
fn meeting_update(
    state: State<'_, AppState>,
    id: i64,
    meeting: MeetingInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.update_meeting(id, &meeting))
}

#[tauri::command(async)]
fn meeting_save_notes(
    state: State<'_, AppState>,
    id: i64,
    draft: MeetingDraft,
) -> CommandResult<DraftSaved> {
    state.with(|s| s.desk()?.save_meeting_draft(id, &draft))
}

#[tauri::command(async)]
fn meeting_action_add(
    state: State<'_, AppState>,
    meeting_id: i64,
    action: ActionInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.add_meeting_action(meeting_id, &action))
}

#[tauri::command(async)]
fn meeting_action_update(
    state: State<'_, AppState>,
    id: i64,
    action: ActionInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.update_meeting_action(id, &action))
}

#[tauri::command(async)]
fn meeting_action_done(
    state: State<'_, AppState>,
    id: i64,
    done_on: String,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.set_meeting_action_done(id, &done_on))
}

#[tauri::command(async)]
fn meeting_action_reopen(state: State<'_, AppState>, id: i64) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.reopen_meeting_action(id))
}

#[tauri::command(async)]
fn meeting_action_remove(state: State<'_, AppState>, id: i64) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.remove_meeting_action(id))
}

#[tauri::command(async)]
fn meeting_minutes_export(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    id: i64,
    path: PathBuf,
) -> CommandResult<MinutesExport> {
    let made = state.with(|s| s.desk()?.export_minutes(id, &path))?;
    saved.remember(PathBuf::from(&made.path));
    Ok(made)
}

#[tauri::command(async)]
fn meeting_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_meeting(id))
}

// --- Providers ---

#[tauri::command(async)]
fn provider_activity_options(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::providers::Activity>> {
    state.with(|s| s.desk()?.provider_activity_options())
}

#[tauri::command(async)]
fn provider_list(state: State<'_, AppState>) -> CommandResult<Vec<srt_core::providers::Provider>> {
    state.with(|s| s.desk()?.provider_list())
}

#[tauri::command(async)]
fn provider_names(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::providers::ProviderName>> {
    state.with(|s| s.desk()?.provider_names())
}

#[tauri::command(async)]
fn provider_get(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::ProviderDetail> {
    state.with(|s| s.desk()?.provider(id))
}

#[tauri::command(async)]
fn provider_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    provider: srt_core::providers::ProviderInput,
) -> CommandResult<srt_core::ProviderDetail> {
    state.with(|s| s.desk()?.save_provider(id, &provider))
}

#[tauri::command(async)]
fn provider_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::provider_io::ImportPreview> {
    state.with(|s| s.desk()?.provider_import_preview(&path))
}

#[tauri::command(async)]
fn provider_import(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::provider_io::ImportSummary> {
    state.with(|s| s.desk()?.provider_import(&path))
}

#[tauri::command(async)]
fn provider_export(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    path: PathBuf,
) -> CommandResult<PathBuf> {
    let written = state.with(|s| s.desk()?.provider_export(&path))?;
    saved.remember(written.clone());
    Ok(written)
}

#[tauri::command(async)]
fn provider_report_pdf(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    id: i64,
    path: PathBuf,
) -> CommandResult<PathBuf> {
    let written = state.with(|s| s.desk()?.provider_report(id, &path))?;
    saved.remember(written.clone());
    Ok(written)
}

#[tauri::command(async)]
fn case_match_providers(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::referrals::MatchResult> {
    state.with(|s| s.desk()?.match_providers(case_id))
}

#[tauri::command(async)]
fn case_choice_get(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::referrals::CaseChoice> {
    state.with(|s| s.desk()?.case_choice(case_id))
}

#[tauri::command(async)]
fn case_choice_save(
    state: State<'_, AppState>,
    case_id: i64,
    choice: srt_core::referrals::ChoiceInput,
) -> CommandResult<srt_core::referrals::CaseChoice> {
    state.with(|s| s.desk()?.save_case_choice(case_id, &choice))
}

#[tauri::command(async)]
fn waiting_overview(
    state: State<'_, AppState>,
    filter: Option<srt_core::referrals::WaitingFilter>,
) -> CommandResult<srt_core::referrals::WaitingOverview> {
    state.with(|s| s.desk()?.waiting(&filter.unwrap_or_default()))
}

#[tauri::command(async)]
fn partner_list(state: State<'_, AppState>) -> CommandResult<Vec<srt_core::partners::Partner>> {
    state.with(|s| s.desk()?.partner_list())
}

#[tauri::command(async)]
fn partner_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    partner: srt_core::partners::PartnerInput,
) -> CommandResult<Vec<srt_core::partners::Partner>> {
    state.with(|s| s.desk()?.save_partner(id, &partner))
}

#[tauri::command(async)]
fn contact_log_list(
    state: State<'_, AppState>,
    filter: srt_core::partners::ContactLogFilter,
) -> CommandResult<Vec<srt_core::partners::ContactEntry>> {
    state.with(|s| s.desk()?.contact_log(&filter))
}

#[tauri::command(async)]
fn contact_add(
    state: State<'_, AppState>,
    entry: srt_core::partners::ContactEntryInput,
) -> CommandResult<srt_core::partners::ContactEntry> {
    state.with(|s| s.desk()?.add_contact(&entry))
}

#[tauri::command(async)]
fn contact_follow_up_done(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::partners::ContactEntry> {
    state.with(|s| s.desk()?.contact_follow_up_done(id))
}

// --- Tasks and proposals ---

#[tauri::command(async)]
fn task_list(
    state: State<'_, AppState>,
    filter: String,
) -> CommandResult<Vec<srt_core::tasks::Task>> {
    state.with(|s| s.desk()?.tasks(&filter))
}

#[tauri::command(async)]
fn task_get(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::tasks::Task> {
    state.with(|s| s.desk()?.task(id))
}

#[tauri::command(async)]
fn task_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    task: srt_core::tasks::TaskInput,
) -> CommandResult<srt_core::tasks::Task> {
    state.with(|s| s.desk()?.save_task(id, &task))
}

#[tauri::command(async)]
fn task_done(
    state: State<'_, AppState>,
    id: i64,
    done_on: String,
) -> CommandResult<srt_core::tasks::Task> {
    state.with(|s| s.desk()?.set_task_done(id, &done_on))
}

#[tauri::command(async)]
fn task_reopen(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::tasks::Task> {
    state.with(|s| s.desk()?.reopen_task(id))
}

#[tauri::command(async)]
fn task_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_task(id))
}

#[tauri::command(async)]
fn proposal_list(
    state: State<'_, AppState>,
    filter: srt_core::proposals::ProposalFilter,
) -> CommandResult<Vec<srt_core::proposals::Proposal>> {
    state.with(|s| s.desk()?.proposals(&filter))
}

#[tauri::command(async)]
fn proposal_get(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::proposals::Proposal> {
    state.with(|s| s.desk()?.proposal(id))
}

#[tauri::command(async)]
fn proposal_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    proposal: srt_core::proposals::ProposalInput,
) -> CommandResult<srt_core::proposals::Proposal> {
    state.with(|s| s.desk()?.save_proposal(id, &proposal))
}

#[tauri::command(async)]
fn proposal_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_proposal(id))
}

#[tauri::command(async)]
fn proposal_memo_export(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> CommandResult<srt_core::MemoExport> {
    state.with(|s| s.desk()?.export_proposal_memo(id, &path))
}

// --- Billing ---

#[tauri::command(async)]
fn price_list(state: State<'_, AppState>) -> CommandResult<Vec<srt_core::billing::PriceVersion>> {
    state.with(|s| s.desk()?.price_list())
}

#[tauri::command(async)]
fn price_save(
    state: State<'_, AppState>,
    price: srt_core::billing::PriceInput,
) -> CommandResult<Vec<srt_core::billing::PriceVersion>> {
    state.with(|s| s.desk()?.save_price(&price))
}

#[tauri::command(async)]
fn case_budget(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::billing::Budget> {
    state.with(|s| s.desk()?.case_budget(case_id))
}

#[tauri::command(async)]
fn confirmation_list(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<Vec<srt_core::billing::Confirmation>> {
    state.with(|s| s.desk()?.confirmations(case_id))
}

#[tauri::command(async)]
fn confirmation_add(
    state: State<'_, AppState>,
    case_id: i64,
    confirmation: srt_core::billing::ConfirmationInput,
) -> CommandResult<Vec<srt_core::billing::Confirmation>> {
    state.with(|s| s.desk()?.add_confirmation(case_id, &confirmation))
}

#[tauri::command(async)]
fn confirmation_remove(
    state: State<'_, AppState>,
    case_id: i64,
    id: i64,
) -> CommandResult<Vec<srt_core::billing::Confirmation>> {
    state.with(|s| s.desk()?.remove_confirmation(case_id, id))
}

#[tauri::command(async)]
fn invoice_list(
    state: State<'_, AppState>,
    filter: srt_core::billing::InvoiceFilter,
) -> CommandResult<srt_core::billing::InvoiceList> {
    state.with(|s| s.desk()?.invoice_list(&filter))
}

#[tauri::command(async)]
fn invoice_get(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::billing::Invoice> {
    state.with(|s| s.desk()?.invoice(id))
}

#[tauri::command(async)]
fn invoice_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    invoice: srt_core::billing::InvoiceInput,
) -> CommandResult<srt_core::billing::Invoice> {
    state.with(|s| s.desk()?.save_invoice(id, &invoice))
}

#[tauri::command(async)]
fn invoice_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_invoice(id))
}

#[tauri::command(async)]
fn invoice_check(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::billing::Invoice> {
    state.with(|s| s.desk()?.check_invoice(id))
}

#[tauri::command(async)]
fn invoice_decide(
    state: State<'_, AppState>,
    id: i64,
    reject_all: bool,
    note: String,
) -> CommandResult<srt_core::billing::Invoice> {
    state.with(|s| s.desk()?.decide_invoice(id, reject_all, &note))
}

#[tauri::command(async)]
fn invoice_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::invoice_io::ImportPreview> {
    state.with(|s| s.desk()?.invoice_import_preview(&path))
}

#[tauri::command(async)]
fn invoice_import(
    state: State<'_, AppState>,
    path: PathBuf,
    header: srt_core::invoice_io::ImportHeader,
) -> CommandResult<srt_core::billing::Invoice> {
    state.with(|s| s.desk()?.invoice_import(&path, &header))
}

#[tauri::command(async)]
fn invoice_report(state: State<'_, AppState>, id: i64, path: PathBuf) -> CommandResult<PathBuf> {
    state.with(|s| s.desk()?.invoice_report(id, &path))
}

// --- Statistics and feedback ---

#[tauri::command(async)]
fn stats_get(
    state: State<'_, AppState>,
    query: srt_core::stats::StatsQuery,
    lang: String,
) -> CommandResult<srt_core::StatsView> {
    state.with(|s| s.desk()?.statistics(&query, &lang))
}

#[tauri::command(async)]
fn stats_export(
    state: State<'_, AppState>,
    query: srt_core::stats::StatsQuery,
    path: PathBuf,
) -> CommandResult<srt_core::stats_export::Exported> {
    state.with(|s| s.desk()?.stats_export(&query, &path))
}

#[tauri::command(async)]
fn periodic_report_export(
    state: State<'_, AppState>,
    query: srt_core::stats::StatsQuery,
    path: PathBuf,
) -> CommandResult<srt_core::stats_export::Exported> {
    state.with(|s| s.desk()?.periodic_report(&query, &path))
}

#[tauri::command(async)]
fn feedback_questions_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::feedback::Question>> {
    state.with(|s| s.desk()?.feedback_questions())
}

#[tauri::command(async)]
fn feedback_question_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: srt_core::feedback::QuestionInput,
) -> CommandResult<Vec<srt_core::feedback::Question>> {
    state.with(|s| s.desk()?.save_feedback_question(id, &input))
}

#[tauri::command(async)]
fn feedback_question_set_active(
    state: State<'_, AppState>,
    id: i64,
    active: bool,
) -> CommandResult<Vec<srt_core::feedback::Question>> {
    state.with(|s| s.desk()?.set_feedback_question_active(id, active))
}

#[tauri::command(async)]
fn case_feedback_get(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::CaseFeedback> {
    state.with(|s| s.desk()?.case_feedback(case_id))
}

#[tauri::command(async)]
fn case_feedback_add(
    state: State<'_, AppState>,
    case_id: i64,
    input: srt_core::feedback::ResponseInput,
) -> CommandResult<srt_core::CaseFeedback> {
    state.with(|s| s.desk()?.add_feedback(case_id, &input))
}

#[tauri::command(async)]
fn feedback_delete(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Option<srt_core::CaseFeedback>> {
    state.with(|s| s.desk()?.delete_feedback(id))
}

#[tauri::command(async)]
fn feedback_questionnaire_pdf(
    state: State<'_, AppState>,
    lang: String,
    case_id: Option<i64>,
    path: PathBuf,
) -> CommandResult<PathBuf> {
    state.with(|s| s.desk()?.feedback_questionnaire(&lang, case_id, &path))
}

#[tauri::command(async)]
fn feedback_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::feedback::ImportPreview> {
    state.with(|s| s.desk()?.feedback_import_preview(&path))
}

#[tauri::command(async)]
fn feedback_import(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::feedback::ImportSummary> {
    state.with(|s| s.desk()?.feedback_import(&path))
}

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

/// Build the app with its commands (also used by the IPC tests). The session is started in the
/// setup hook, after the single-instance plugin has had its say, so a second start never opens
/// the database.
pub fn builder<R: tauri::Runtime>(
    start_session: impl FnOnce() -> Session + Send + 'static,
) -> tauri::Builder<R> {
    tauri::Builder::<R>::new()
        .setup(move |app| {
            app.manage(AppState {
                session: Mutex::new(start_session()),
                clipboard: Mutex::new(Default::default()),
                running: Mutex::new(None),
                progress: Mutex::new(None),
            });
            app.manage(SavedFiles::default());
            app.manage(CloseGuard::default());
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
        .invoke_handler(tauri::generate_handler![
            view_commands::case_view,
            desk_status,
            desk_lock,
            desk_activity,
            settings_set_idle_lock,
            desk_create,
            desk_unlock,
            settings_set_language,
            settings_set_coordinator,
            places_list,
            personal_code_check,
            case_register,
            case_list,
            case_get,
            case_change_status,
            case_counts,
            demo_load,
            demo_open,
            desk_open_real,
            assessment_get,
            assessment_save,
            assessment_sign,
            document_list,
            document_add,
            document_set_status,
            document_attach,
            attachment_open,
            attachment_save,
            case_request_documents,
            case_documents_received,
            case_timeline,
            dashboard,
            search_all,
            deadline_rules_list,
            deadline_rule_save,
            audit_list,
            // --- Recovery ---
            desk_recover,
            desk_recovery_shown,
            // --- Backups ---
            backup_now,
            auto_backup_status,
            auto_backup_configure,
            auto_backup_disable,
            backup_restore,
            // --- Data protection ---
            retention_list,
            retention_set_years,
            retention_delete,
            person_export,
            // --- Clipboard ---
            clipboard_copied,
            // --- Decisions ---
            decision_list,
            decision_get,
            decision_create,
            decision_save,
            decision_refill_annex,
            decision_delete,
            decision_approve,
            decision_mark_sent,
            decision_signature_get,
            decision_sign,
            decision_send_email,
            decisions_waiting,
            decision_settings_get,
            decision_settings_save,
            decision_templates_list,
            decision_template_versions,
            decision_template_save,
            decision_caps_list,
            decision_cap_save,
            // --- Meetings ---
            meeting_templates_list,
            meeting_template_save,
            meeting_list,
            meeting_create,
            meeting_get,
            meeting_update,
            meeting_save_notes,
            meeting_action_add,
            meeting_action_update,
            meeting_action_done,
            meeting_action_reopen,
            meeting_action_remove,
            meeting_minutes_export,
            meeting_delete,
            // --- Providers ---
            provider_activity_options,
            provider_list,
            provider_names,
            provider_get,
            provider_save,
            provider_import_preview,
            provider_import,
            provider_export,
            case_match_providers,
            case_choice_get,
            case_choice_save,
            waiting_overview,
            partner_list,
            partner_save,
            contact_log_list,
            contact_add,
            contact_follow_up_done,
            provider_report_pdf,
            // --- Tasks and proposals ---
            task_list,
            task_get,
            task_save,
            task_done,
            task_reopen,
            task_delete,
            proposal_list,
            proposal_get,
            proposal_save,
            proposal_delete,
            proposal_memo_export,
            // --- Billing ---
            price_list,
            price_save,
            case_budget,
            confirmation_list,
            confirmation_add,
            confirmation_remove,
            invoice_list,
            invoice_get,
            invoice_save,
            invoice_delete,
            invoice_check,
            invoice_decide,
            invoice_import_preview,
            invoice_import,
            invoice_report,
            // --- Statistics and feedback ---
            stats_get,
            stats_export,
            periodic_report_export,
            feedback_questions_list,
            feedback_question_save,
            feedback_question_set_active,
            case_feedback_get,
            case_feedback_add,
            feedback_delete,
            feedback_questionnaire_pdf,
            feedback_import_preview,
            feedback_import,
            // --- Install ---
            desk_first_run_done,
            saved_file_open,
            // --- Cancelling long work ---
            work_cancel,
            work_progress,
            // --- Closing with text not saved ---
            window_unsaved,
            window_close,
        ])
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    STARTED.get_or_init(Instant::now);
    // Before WebKit starts: without a GPU, paint on the CPU rather than emulate one.
    rendering::paint_on_cpu_without_gpu();
    // What a killed earlier run left: decrypted copies whose process is gone.
    srt_core::launch::sweep_leftover_temp_folders(&std::env::temp_dir(), process_alive);
    let config = LaunchConfig::from_env();
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
                tauri::RunEvent::Ready => end_on_signals(app.clone()),
                // Temporary copies of attachments never outlive the app.
                tauri::RunEvent::Exit => remove_temp_copies(app),
                _ => {}
            }
        });
}

/// Remove the decrypted temporary copies of this run: the session's folder, and (without waiting
/// for a command that may hold the session) every folder this process made.
fn remove_temp_copies<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
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
fn process_alive(pid: u32) -> bool {
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
fn process_alive(_pid: u32) -> bool {
    true
}

/// SIGTERM, SIGINT or SIGHUP (a logout, `kill`, the test driver ending the app) end the app as
/// closing it does: the decrypted copies go at once, then the app exits (and, should its event
/// loop not answer within seconds, the process ends anyway).
#[cfg(unix)]
fn end_on_signals<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
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
fn end_on_signals<R: tauri::Runtime>(_app: tauri::AppHandle<R>) {}

/// What the window holds that is not saved, as the window last said ([`window_unsaved`]): while it
/// holds something, a close is held back and the window asks; [`window_close`] closes anyway.
#[derive(Debug, Default)]
pub struct CloseGuard {
    unsaved: std::sync::atomic::AtomicBool,
    confirmed: std::sync::atomic::AtomicBool,
}

impl CloseGuard {
    fn holds_back(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.unsaved.load(SeqCst) && !self.confirmed.load(SeqCst)
    }
}

/// The window has (or no longer has) typing that is not saved or text the desk refused.
#[tauri::command(async)]
fn window_unsaved(guard: State<'_, CloseGuard>, unsaved: bool) {
    guard
        .unsaved
        .store(unsaved, std::sync::atomic::Ordering::SeqCst);
}

/// Close the window: nothing is left unsaved, or the coordinator chose to close anyway.
#[tauri::command(async)]
fn window_close<R: tauri::Runtime>(app: tauri::AppHandle<R>, guard: State<'_, CloseGuard>) {
    guard
        .confirmed
        .store(true, std::sync::atomic::Ordering::SeqCst);
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.close();
    }
}

// --- Install ---

/// The guided setup of a new database is finished (or skipped).
#[tauri::command(async)]
fn desk_first_run_done(state: State<'_, AppState>) -> CommandResult<SessionStatus> {
    state.with(|s| s.first_run_done())
}

/// The files this run of the app has written where the user chose (minutes, reports, exports,
/// saved attachments): only these may be handed to the system's viewer by [`saved_file_open`], so
/// the window cannot ask to open (run) any other file on the computer.
#[derive(Debug, Default)]
pub struct SavedFiles(Mutex<std::collections::HashSet<PathBuf>>);

impl SavedFiles {
    fn remember(&self, path: PathBuf) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path);
    }

    /// The file to open, when this run wrote it and it is still there.
    fn check(&self, path: &std::path::Path) -> srt_core::Result<PathBuf> {
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
fn no_viewer(e: impl std::fmt::Display) -> srt_core::Error {
    eprintln!("srt-desk: opening a file failed: {e}");
    srt_core::Error::NoViewer(e.to_string())
}

/// Open a file the app saved (PDF, XLSX) in the system's viewer, to read or print it there.
#[tauri::command(async)]
fn saved_file_open<R: tauri::Runtime>(
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A bug that panics inside a command answers with an internal error; the next command works.
    #[test]
    fn a_panicking_command_answers_with_an_error_and_the_app_goes_on() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = open_state(&dir.path().join("p.db"));
        let err = state
            .peek::<()>(|_| panic!("synthetic bug"))
            .expect_err("a panic is an error");
        let json = serde_json::to_value(err).expect("json");
        assert_eq!(json["code"], "internal");
        assert!(json["message"]["et"]
            .as_str()
            .expect("et")
            .contains("andmed on alles"));
        let status = state
            .peek(|s| Ok(s.status()))
            .expect("the session still answers");
        assert_eq!(status.state, "open");
    }

    /// The app's state with a new desk open at `db` (passphrase mode, fast key derivation).
    fn open_state(db: &std::path::Path) -> AppState {
        AppState {
            running: Mutex::new(None),
            progress: Mutex::new(None),
            clipboard: Mutex::new(Default::default()),
            session: Mutex::new(Session::start(
                db.to_path_buf(),
                Box::new(srt_core::MemoryKeyStore::default()),
                Some("a synthetic passphrase"),
                "t",
                KdfParams::fast_for_tests(),
            )),
        }
    }

    /// "Katkesta" stops the command that is running while it holds the session, and the app
    /// answers again; with nothing running there is nothing to cancel.
    #[test]
    fn long_work_is_cancelled_while_it_holds_the_session() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = std::sync::Arc::new(open_state(&dir.path().join("c.db")));
        assert!(!state.cancel_running(), "nothing runs yet");
        let worker = {
            let state = state.clone();
            std::thread::spawn(move || {
                state.with(|s| {
                    let n: i64 = s.desk()?.store().connection().query_row(
                        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
                         SELECT count(*) FROM n",
                        [],
                        |r| r.get(0),
                    )?;
                    Ok(n)
                })
            })
        };
        // Cancel once the work holds the session, again if a click fell between taking the
        // session and starting the statement (the UI's button can be pressed again too).
        let mut cancelled = false;
        for _ in 0..400 {
            std::thread::sleep(std::time::Duration::from_millis(25));
            cancelled |= state.cancel_running();
            if worker.is_finished() {
                break;
            }
        }
        assert!(cancelled, "the running work could be reached");
        let err = worker.join().expect("thread").expect_err("cancelled");
        let json = serde_json::to_value(err).expect("json");
        assert_eq!(json["code"], "work.cancelled");
        let status = state.peek(|s| Ok(s.status())).expect("answers again");
        assert_eq!(status.state, "open");
        assert!(!state.cancel_running(), "nothing runs after it");
    }

    /// Work of many statements (statistics, the demo load) with time between them, where one
    /// "Katkesta" most likely falls between two statements and SQLite's interrupt alone finds
    /// nothing to stop: the next statement stops, and the next status poll runs as usual.
    #[test]
    fn one_cancel_between_statements_stops_the_work_and_not_the_next_poll() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = std::sync::Arc::new(open_state(&dir.path().join("b.db")));
        let worker = {
            let state = state.clone();
            std::thread::spawn(move || {
                state.with(|s| {
                    let started = Instant::now();
                    let mut rounds = 0_i64;
                    while started.elapsed() < Duration::from_secs(10) {
                        rounds += s.desk()?.store().connection().query_row(
                            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)
                             SELECT count(*) FROM n",
                            [],
                            |r| r.get::<_, i64>(0),
                        )?;
                        std::thread::sleep(Duration::from_millis(3));
                    }
                    Ok(rounds)
                })
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        assert!(state.cancel_running(), "the work is running");
        let err = worker.join().expect("thread").expect_err("cancelled");
        let json = serde_json::to_value(err).expect("json");
        assert_eq!(json["code"], "work.cancelled");
        let counted = state.peek(|s| {
            s.desk()?
                .store()
                .connection()
                .query_row(
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000)
                     SELECT count(*) FROM n",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(srt_core::Error::from)
        });
        assert_eq!(counted.expect("a poll after the cancel"), 5000);
    }

    /// The window reads how far the running work has come without waiting for the session it
    /// holds; before and after the work there is nothing to show.
    #[test]
    fn progress_is_read_while_the_work_holds_the_session() {
        let dir = tempfile::tempdir().expect("tmp");
        let state = std::sync::Arc::new(open_state(&dir.path().join("p.db")));
        assert_eq!(state.running_progress(), None);
        let release = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let worker = {
            let (state, release) = (state.clone(), release.clone());
            std::thread::spawn(move || {
                state.with(|s| {
                    s.desk()?.work_progress().set(300, 1200);
                    while !release.load(std::sync::atomic::Ordering::Relaxed) {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    Ok(())
                })
            })
        };
        let mut seen = None;
        for _ in 0..400 {
            seen = state.running_progress();
            if seen.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        release.store(true, std::sync::atomic::Ordering::Relaxed);
        worker.join().expect("thread").expect("work");
        assert_eq!(
            seen,
            Some(WorkProgress {
                done: 300,
                total: 1200,
                part: 0
            })
        );
        assert_eq!(state.running_progress(), None, "nothing after the work");
    }

    #[test]
    fn errors_reach_the_ui_with_code_both_languages_and_fields() {
        let err = srt_core::Error::field(
            "child.personalCode",
            "personal_code.check_digit",
            "Kontrollnumber ei klapi.",
            "Check digit does not match.",
        );
        let json = serde_json::to_value(CommandError::from(err)).expect("serialise");
        assert_eq!(json["code"], "validation");
        assert_eq!(json["message"]["et"], "Palun paranda märgitud väljad.");
        assert_eq!(json["fields"][0]["field"], "child.personalCode");
        assert_eq!(
            json["fields"][0]["message"]["en"],
            "Check digit does not match."
        );
        assert!(json["details"].is_null());
    }

    /// The window may call the app's commands, the two file dialogs and the zoom, nothing else.
    #[test]
    fn capabilities_grant_exactly_the_commands_and_dialogs_the_ui_uses() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).expect("json");
        let mut granted: Vec<String> = cap["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| p.as_str().expect("string permission").to_string())
            .collect();
        granted.sort();
        let mut expected: Vec<String> = commands::COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .chain([
                "dialog:allow-open".to_string(),
                "dialog:allow-save".to_string(),
                // The window hears that a close waits for its answer (text not saved).
                "core:event:allow-listen".to_string(),
                // --- Install ---: Ctrl++ / Ctrl+- zoom (zoomHotkeysEnabled) sets the zoom.
                "core:webview:allow-set-webview-zoom".to_string(),
            ])
            .collect();
        expected.sort();
        assert_eq!(granted, expected);
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
    }

    #[test]
    fn the_csp_allows_no_inline_code_no_eval_and_no_remote_sources() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).expect("json");
        let csp = conf["app"]["security"]["csp"]
            .as_str()
            .expect("a CSP is set");
        for forbidden in [
            "unsafe-inline",
            "unsafe-eval",
            "https:",
            "http:",
            "*",
            "data: blob:",
        ] {
            let allowed_ipc = forbidden == "http:"
                && csp.matches("http:").count() == 1
                && csp.contains("http://ipc.localhost");
            assert!(
                !csp.contains(forbidden) || allowed_ipc,
                "CSP allows {forbidden}: {csp}"
            );
        }
        for required in [
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(required), "CSP lacks {required}");
        }
        assert_eq!(conf["app"]["withGlobalTauri"], true);
    }

    /// Only what this run saved, and is still there, goes to the system's viewer.
    #[test]
    fn only_files_the_app_saved_can_be_opened() {
        let dir = tempfile::tempdir().expect("tmp");
        let report = dir.path().join("aruanne.pdf");
        std::fs::write(&report, b"%PDF-1.4 synthetic").expect("write");
        let saved = SavedFiles::default();
        let err = saved.check(&report).expect_err("not saved by the app");
        let json = serde_json::to_value(CommandError::from(err)).expect("json");
        assert_eq!(json["fields"][0]["code"], "file.not_saved_here");
        saved.remember(report.clone());
        assert_eq!(saved.check(&report).expect("saved here"), report);
        let other = dir.path().join("other.pdf");
        assert!(saved.check(&other).is_err(), "a neighbour is not opened");
        std::fs::remove_file(&report).expect("rm");
        let err = saved.check(&report).expect_err("gone");
        let json = serde_json::to_value(CommandError::from(err)).expect("json");
        assert_eq!(json["fields"][0]["code"], "file.gone");
    }

    #[test]
    fn a_locked_desk_is_an_error_the_ui_can_act_on() {
        let json =
            serde_json::to_value(CommandError::from(srt_core::Error::Locked)).expect("serialise");
        assert_eq!(json["code"], "desk.locked");
        assert!(json["message"]["et"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
    }
}
