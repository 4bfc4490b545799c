//! Network meetings: templates, notes, agreed actions, minutes.

use crate::commands::window::SavedFiles;
use crate::{AppState, CommandResult};
use srt_core::meetings::{
    ActionInput, DraftSaved, Meeting, MeetingDraft, MeetingInput, MeetingSummary, MeetingTemplate,
    MinutesExport, TemplateInput,
};
use std::path::PathBuf;
use tauri::State;

#[tauri::command(async)]
pub fn meeting_templates_list(state: State<'_, AppState>) -> CommandResult<Vec<MeetingTemplate>> {
    state.with(|s| s.desk()?.meeting_templates())
}

#[tauri::command(async)]
pub fn meeting_template_save(
    state: State<'_, AppState>,
    template: TemplateInput,
) -> CommandResult<Vec<MeetingTemplate>> {
    state.with(|s| s.desk()?.save_meeting_template(&template))
}

#[tauri::command(async)]
pub fn meeting_list(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<Vec<MeetingSummary>> {
    state.with(|s| s.desk()?.meetings(case_id))
}

#[tauri::command(async)]
pub fn meeting_create(
    state: State<'_, AppState>,
    case_id: i64,
    meeting: MeetingInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.create_meeting(case_id, &meeting))
}

#[tauri::command(async)]
pub fn meeting_get(state: State<'_, AppState>, id: i64) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.meeting(id))
}

#[tauri::command(async)]
pub fn meeting_update(
    state: State<'_, AppState>,
    id: i64,
    meeting: MeetingInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.update_meeting(id, &meeting))
}

#[tauri::command(async)]
pub fn meeting_save_notes(
    state: State<'_, AppState>,
    id: i64,
    draft: MeetingDraft,
) -> CommandResult<DraftSaved> {
    state.with(|s| s.desk()?.save_meeting_draft(id, &draft))
}

#[tauri::command(async)]
pub fn meeting_action_add(
    state: State<'_, AppState>,
    meeting_id: i64,
    action: ActionInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.add_meeting_action(meeting_id, &action))
}

#[tauri::command(async)]
pub fn meeting_action_update(
    state: State<'_, AppState>,
    id: i64,
    action: ActionInput,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.update_meeting_action(id, &action))
}

#[tauri::command(async)]
pub fn meeting_action_done(
    state: State<'_, AppState>,
    id: i64,
    done_on: String,
) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.set_meeting_action_done(id, &done_on))
}

#[tauri::command(async)]
pub fn meeting_action_reopen(state: State<'_, AppState>, id: i64) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.reopen_meeting_action(id))
}

#[tauri::command(async)]
pub fn meeting_action_remove(state: State<'_, AppState>, id: i64) -> CommandResult<Meeting> {
    state.with(|s| s.desk()?.remove_meeting_action(id))
}

#[tauri::command(async)]
pub fn meeting_minutes_export(
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
pub fn meeting_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_meeting(id))
}
