//! Families' feedback: the questionnaire, answers, import.

use crate::{AppState, CommandResult};
use std::path::PathBuf;
use tauri::State;

#[tauri::command(async)]
pub fn feedback_questions_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::feedback::Question>> {
    state.with(|s| s.desk()?.feedback_questions())
}

#[tauri::command(async)]
pub fn feedback_question_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: srt_core::feedback::QuestionInput,
) -> CommandResult<Vec<srt_core::feedback::Question>> {
    state.with(|s| s.desk()?.save_feedback_question(id, &input))
}

#[tauri::command(async)]
pub fn feedback_question_set_active(
    state: State<'_, AppState>,
    id: i64,
    active: bool,
) -> CommandResult<Vec<srt_core::feedback::Question>> {
    state.with(|s| s.desk()?.set_feedback_question_active(id, active))
}

#[tauri::command(async)]
pub fn case_feedback_get(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::CaseFeedback> {
    state.with(|s| s.desk()?.case_feedback(case_id))
}

#[tauri::command(async)]
pub fn case_feedback_add(
    state: State<'_, AppState>,
    case_id: i64,
    input: srt_core::feedback::ResponseInput,
) -> CommandResult<srt_core::CaseFeedback> {
    state.with(|s| s.desk()?.add_feedback(case_id, &input))
}

#[tauri::command(async)]
pub fn feedback_delete(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<Option<srt_core::CaseFeedback>> {
    state.with(|s| s.desk()?.delete_feedback(id))
}

#[tauri::command(async)]
pub fn feedback_questionnaire_pdf(
    state: State<'_, AppState>,
    lang: String,
    case_id: Option<i64>,
    path: PathBuf,
) -> CommandResult<PathBuf> {
    state.with(|s| s.desk()?.feedback_questionnaire(&lang, case_id, &path))
}

#[tauri::command(async)]
pub fn feedback_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::feedback::ImportPreview> {
    state.with(|s| s.desk()?.feedback_import_preview(&path))
}

#[tauri::command(async)]
pub fn feedback_import(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::feedback::ImportSummary> {
    state.with(|s| s.desk()?.feedback_import(&path))
}
