//! Providers: the directory and its files, matching and the family's choice, waiting children,
//! partners and the contact log, the provider report.

use crate::commands::window::SavedFiles;
use crate::{AppState, CommandResult};
use std::path::PathBuf;
use tauri::State;

// --- Providers ---

#[tauri::command(async)]
pub fn provider_activity_options(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::providers::Activity>> {
    state.with(|s| s.desk()?.provider_activity_options())
}

#[tauri::command(async)]
pub fn provider_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::providers::Provider>> {
    state.with(|s| s.desk()?.provider_list())
}

#[tauri::command(async)]
pub fn provider_names(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::providers::ProviderName>> {
    state.with(|s| s.desk()?.provider_names())
}

#[tauri::command(async)]
pub fn provider_get(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::ProviderDetail> {
    state.with(|s| s.desk()?.provider(id))
}

#[tauri::command(async)]
pub fn provider_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    provider: srt_core::providers::ProviderInput,
) -> CommandResult<srt_core::ProviderDetail> {
    state.with(|s| s.desk()?.save_provider(id, &provider))
}

#[tauri::command(async)]
pub fn provider_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::providers::io::ImportPreview> {
    state.with(|s| s.desk()?.provider_import_preview(&path))
}

#[tauri::command(async)]
pub fn provider_import(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::providers::io::ImportSummary> {
    state.with(|s| s.desk()?.provider_import(&path))
}

#[tauri::command(async)]
pub fn provider_export(
    state: State<'_, AppState>,
    saved: State<'_, SavedFiles>,
    path: PathBuf,
) -> CommandResult<PathBuf> {
    let written = state.with(|s| s.desk()?.provider_export(&path))?;
    saved.remember(written.clone());
    Ok(written)
}

#[tauri::command(async)]
pub fn provider_report_pdf(
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
pub fn case_match_providers(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::providers::referrals::MatchResult> {
    state.with(|s| s.desk()?.match_providers(case_id))
}

#[tauri::command(async)]
pub fn case_choice_get(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::providers::referrals::CaseChoice> {
    state.with(|s| s.desk()?.case_choice(case_id))
}

#[tauri::command(async)]
pub fn case_choice_save(
    state: State<'_, AppState>,
    case_id: i64,
    choice: srt_core::providers::referrals::ChoiceInput,
) -> CommandResult<srt_core::providers::referrals::CaseChoice> {
    state.with(|s| s.desk()?.save_case_choice(case_id, &choice))
}

#[tauri::command(async)]
pub fn waiting_overview(
    state: State<'_, AppState>,
    filter: Option<srt_core::providers::referrals::WaitingFilter>,
) -> CommandResult<srt_core::providers::referrals::WaitingOverview> {
    state.with(|s| s.desk()?.waiting(&filter.unwrap_or_default()))
}

#[tauri::command(async)]
pub fn partner_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::providers::partners::Partner>> {
    state.with(|s| s.desk()?.partner_list())
}

#[tauri::command(async)]
pub fn partner_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    partner: srt_core::providers::partners::PartnerInput,
) -> CommandResult<Vec<srt_core::providers::partners::Partner>> {
    state.with(|s| s.desk()?.save_partner(id, &partner))
}

#[tauri::command(async)]
pub fn contact_log_list(
    state: State<'_, AppState>,
    filter: srt_core::providers::partners::ContactLogFilter,
) -> CommandResult<Vec<srt_core::providers::partners::ContactEntry>> {
    state.with(|s| s.desk()?.contact_log(&filter))
}

#[tauri::command(async)]
pub fn contact_add(
    state: State<'_, AppState>,
    entry: srt_core::providers::partners::ContactEntryInput,
) -> CommandResult<srt_core::providers::partners::ContactEntry> {
    state.with(|s| s.desk()?.add_contact(&entry))
}

#[tauri::command(async)]
pub fn contact_follow_up_done(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::providers::partners::ContactEntry> {
    state.with(|s| s.desk()?.contact_follow_up_done(id))
}
