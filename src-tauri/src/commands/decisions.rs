//! Decisions: drafts, approval, the letter, signing and sending, settings, templates, caps.

use crate::{AppState, CommandResult};
use srt_core::decisions;
use tauri::State;

// --- Decisions ---

#[tauri::command(async)]
pub fn decision_list(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<Vec<decisions::DecisionListItem>> {
    state.with(|s| s.desk()?.decisions(case_id))
}

#[tauri::command(async)]
pub fn decision_get(state: State<'_, AppState>, id: i64) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.decision(id))
}

#[tauri::command(async)]
pub fn decision_create(
    state: State<'_, AppState>,
    case_id: i64,
    kind: String,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.create_decision(case_id, &kind))
}

#[tauri::command(async)]
pub fn decision_save(
    state: State<'_, AppState>,
    id: i64,
    draft: decisions::DecisionDraft,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.save_decision(id, &draft))
}

#[tauri::command(async)]
pub fn decision_refill_annex(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.refill_decision_annex(id))
}

#[tauri::command(async)]
pub fn decision_delete(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Vec<decisions::DecisionListItem>> {
    state.with(|s| s.desk()?.delete_decision_draft(id))
}

#[tauri::command(async)]
pub fn decision_approve(
    state: State<'_, AppState>,
    id: i64,
    confirm_warnings: bool,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.approve_decision(id, confirm_warnings))
}

#[tauri::command(async)]
pub fn decision_mark_sent(
    state: State<'_, AppState>,
    id: i64,
    delivered_on: String,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.mark_decision_sent(id, &delivered_on))
}

// --- Signing and delivery (issue 29) ---

#[tauri::command(async)]
pub fn decision_signature_get(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Option<srt_core::signing::SignatureState>> {
    state.with(|s| s.desk()?.decision_signature(id))
}

/// Sign with the ID-card (the module in the settings); the PIN typed in the app's dialog is used
/// for this login only.
#[tauri::command(async)]
pub fn decision_sign(
    state: State<'_, AppState>,
    id: i64,
    pin: String,
) -> CommandResult<srt_core::signing::Signed> {
    let pin = zeroize::Zeroizing::new(pin);
    state.with(|s| s.desk()?.sign_decision(id, None, None, &pin))
}

#[tauri::command(async)]
pub fn decision_send_email(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| {
        let (desk, keys) = s.desk_and_keys()?;
        desk.send_decision_email(id, keys)
    })
}

#[tauri::command(async)]
pub fn decisions_waiting(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::signing::record::Waiting>> {
    state.with(|s| s.desk()?.decisions_waiting())
}

#[tauri::command(async)]
pub fn decision_settings_get(
    state: State<'_, AppState>,
) -> CommandResult<decisions::DecisionSettings> {
    state.with(|s| s.desk()?.decision_settings())
}

#[tauri::command(async)]
pub fn decision_settings_save(
    state: State<'_, AppState>,
    settings: decisions::DecisionSettings,
) -> CommandResult<decisions::DecisionSettings> {
    state.with(|s| s.desk()?.save_decision_settings(&settings))
}

#[tauri::command(async)]
pub fn decision_templates_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<decisions::Template>> {
    state.with(|s| s.desk()?.decision_templates())
}

#[tauri::command(async)]
pub fn decision_template_versions(
    state: State<'_, AppState>,
    code: String,
    lang: String,
) -> CommandResult<Vec<decisions::Template>> {
    state.with(|s| s.desk()?.decision_template_versions(&code, &lang))
}

#[tauri::command(async)]
pub fn decision_template_save(
    state: State<'_, AppState>,
    template: decisions::TemplateInput,
) -> CommandResult<decisions::Template> {
    state.with(|s| s.desk()?.save_decision_template(&template))
}

#[tauri::command(async)]
pub fn decision_caps_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::prices::YearlyCapRule>> {
    state.with(|s| s.desk()?.yearly_caps())
}

#[tauri::command(async)]
pub fn decision_cap_save(
    state: State<'_, AppState>,
    cap: srt_core::prices::YearlyCapInput,
) -> CommandResult<Vec<srt_core::prices::YearlyCapRule>> {
    state.with(|s| s.desk()?.save_yearly_cap(&cap))
}
