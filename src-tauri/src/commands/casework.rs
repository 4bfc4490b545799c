//! Casework: the assessment, documents and attachments, document requests, the timeline.

use crate::commands::window::{no_viewer, SavedFiles};
use crate::{AppState, CommandResult};
use srt_core::cases::{CaseDetail, DocumentRequest};
use srt_core::casework::assessment::{Assessment, AssessmentInput};
use srt_core::casework::documents::{Document, DocumentInput};
use srt_core::casework::timeline::TimelineEntry;
use std::path::PathBuf;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

#[tauri::command(async)]
pub fn assessment_get(state: State<'_, AppState>, case_id: i64) -> CommandResult<Assessment> {
    state.with(|s| s.desk()?.assessment(case_id))
}

#[tauri::command(async)]
pub fn assessment_save(
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
pub fn assessment_sign(
    state: State<'_, AppState>,
    case_id: i64,
    signed_on: String,
) -> CommandResult<Assessment> {
    state.with(|s| s.desk()?.sign_assessment(case_id, &signed_on))
}

#[tauri::command(async)]
pub fn document_list(state: State<'_, AppState>, case_id: i64) -> CommandResult<Vec<Document>> {
    state.with(|s| s.desk()?.documents(case_id))
}

#[tauri::command(async)]
pub fn document_add(
    state: State<'_, AppState>,
    case_id: i64,
    document: DocumentInput,
) -> CommandResult<Document> {
    state.with(|s| s.desk()?.add_document(case_id, &document))
}

#[tauri::command(async)]
pub fn document_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
) -> CommandResult<Document> {
    state.with(|s| s.desk()?.set_document_status(id, &status))
}

#[tauri::command(async)]
pub fn document_attach(
    state: State<'_, AppState>,
    document_id: i64,
    path: PathBuf,
) -> CommandResult<Document> {
    state.with(|s| s.desk()?.attach_file(document_id, &path))
}

#[tauri::command(async)]
pub fn attachment_open<R: tauri::Runtime>(
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
pub fn attachment_save(
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
pub fn case_request_documents(
    state: State<'_, AppState>,
    case_id: i64,
    request: DocumentRequest,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.request_documents(case_id, &request))
}

#[tauri::command(async)]
pub fn case_documents_received(
    state: State<'_, AppState>,
    case_id: i64,
    received_on: String,
    note: String,
) -> CommandResult<CaseDetail> {
    state.with(|s| s.desk()?.documents_received(case_id, &received_on, &note))
}

#[tauri::command(async)]
pub fn case_timeline(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<Vec<TimelineEntry>> {
    state.with(|s| s.desk()?.timeline(case_id))
}
