//! Cases: places, the personal code, registering, the list and the case, status, counts, search.

use crate::{AppState, CommandResult};
use srt_core::cases::ids::PersonalCodeCheck;
use srt_core::cases::places::Places;
use srt_core::cases::search::SearchResults;
use srt_core::cases::{ApplicationInput, CaseCounts, CaseDetail, CaseFilter, CaseList};
use tauri::State;

#[tauri::command]
pub fn places_list(state: State<'_, AppState>) -> CommandResult<Places> {
    state.with(|s| s.desk()?.places())
}

#[tauri::command]
pub fn personal_code_check(code: String) -> PersonalCodeCheck {
    srt_core::cases::ids::check_personal_code(&code)
}

#[tauri::command(async)]
pub fn case_register(
    state: State<'_, AppState>,
    application: ApplicationInput,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.register_application(&application))
}

#[tauri::command(async)]
pub fn case_list(state: State<'_, AppState>, filter: CaseFilter) -> CommandResult<CaseList> {
    state.with(|s| s.desk()?.list_cases(&filter))
}

#[tauri::command(async)]
pub fn case_get(state: State<'_, AppState>, id: i64) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.case(id))
}

#[tauri::command(async)]
pub fn case_change_status(
    state: State<'_, AppState>,
    id: i64,
    to: String,
    reason: String,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.change_status(id, &to, &reason))
}

#[tauri::command(async)]
pub fn case_counts(state: State<'_, AppState>) -> CommandResult<CaseCounts> {
    state.with(|s| s.desk()?.case_counts())
}

#[tauri::command(async)]
pub fn search_all(state: State<'_, AppState>, text: String) -> CommandResult<SearchResults> {
    state.with(|s| s.desk()?.search(&text))
}
