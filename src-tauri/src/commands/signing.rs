//! The window's commands for signing and delivery beyond signing with the ID-card and the
//! e-mail (issue 29): the settings section, the SMTP password in the OS credential store, the
//! cover page and dated hand-overs, and the DigiDoc4 hand-off. Each is a few lines over
//! srt-core's `Desk`.

use std::path::PathBuf;

use srt_core::decisions;
use srt_core::signing::{record::SigningSettings, Signed, SigningSettingsView};
use tauri::State;

use crate::commands::window::SavedFiles;
use crate::{AppState, CommandResult};

#[tauri::command(async)]
pub fn signing_settings_get(state: State<'_, AppState>) -> CommandResult<SigningSettingsView> {
    state.with(|s| {
        let (desk, keys) = s.desk_and_keys()?;
        desk.signing_settings_view(keys)
    })
}

#[tauri::command(async)]
pub fn signing_settings_save(
    state: State<'_, AppState>,
    settings: SigningSettings,
) -> CommandResult<SigningSettingsView> {
    state.with(|s| {
        let (desk, keys) = s.desk_and_keys()?;
        desk.save_signing_settings(&settings)?;
        desk.signing_settings_view(keys)
    })
}

/// The SMTP password goes to the OS credential store; it is never returned.
#[tauri::command(async)]
pub fn signing_smtp_password_save(
    state: State<'_, AppState>,
    password: String,
) -> CommandResult<SigningSettingsView> {
    let password = zeroize::Zeroizing::new(password);
    state.with(|s| {
        let (desk, keys) = s.desk_and_keys()?;
        desk.save_smtp_password(keys, &password)?;
        desk.signing_settings_view(keys)
    })
}

/// A CA certificate file (PEM or DER) picked in the system's dialog, added to the anchors.
#[tauri::command(async)]
pub fn signing_trust_add_file(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<SigningSettingsView> {
    state.with(|s| {
        let (desk, keys) = s.desk_and_keys()?;
        let bytes = std::fs::read(&path)?;
        desk.add_trust_anchor_file(&bytes)?;
        desk.signing_settings_view(keys)
    })
}

/// The printable cover page written where the user chose; it may then be opened to print.
#[tauri::command(async)]
pub fn decision_cover_page_save(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    id: i64,
    path: PathBuf,
) -> CommandResult<()> {
    state.with(|s| s.desk()?.save_decision_cover_page(id, &path))?;
    saved.remember(path);
    Ok(())
}

/// Handed over by post, in person or to eesti.ee on `on` (YYYY-MM-DD).
#[tauri::command(async)]
pub fn decision_handover(
    state: State<'_, AppState>,
    id: i64,
    way: String,
    on: String,
) -> CommandResult<decisions::DecisionView> {
    state.with(|s| s.desk()?.record_decision_handover(id, &way, &on))
}

/// "Allkirjasta DigiDoc4-ga": the approved PDF saved where the user chose, to open in DigiDoc4.
#[tauri::command(async)]
pub fn decision_digidoc_save(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    id: i64,
    path: PathBuf,
) -> CommandResult<()> {
    state.with(|s| s.desk()?.save_decision_for_digidoc(id, &path))?;
    saved.remember(path);
    Ok(())
}

/// "Lisa allkirjastatud konteiner": the signed .asice picked back, checked and filed.
#[tauri::command(async)]
pub fn decision_container_file(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> CommandResult<Signed> {
    state.with(|s| s.desk()?.file_signed_container_from(id, &path))
}

/// "Kinnita allkiri": extend the stored B-level signature to LT now that the services answer.
#[tauri::command(async)]
pub fn decision_signature_confirm(state: State<'_, AppState>, id: i64) -> CommandResult<Signed> {
    state.with(|s| s.desk()?.confirm_decision_signature(id))
}
