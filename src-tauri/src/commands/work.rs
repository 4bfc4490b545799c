//! The coordinator's own work: tasks and proposals.

use crate::{AppState, CommandResult};
use std::path::PathBuf;
use tauri::State;

// --- Tasks and proposals ---

#[tauri::command(async)]
pub fn task_list(
    state: State<'_, AppState>,
    filter: String,
) -> CommandResult<Vec<srt_core::work::tasks::Task>> {
    state.with(|s| s.desk()?.tasks(&filter))
}

#[tauri::command(async)]
pub fn task_get(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::work::tasks::Task> {
    state.with(|s| s.desk()?.task(id))
}

#[tauri::command(async)]
pub fn task_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    task: srt_core::work::tasks::TaskInput,
) -> CommandResult<srt_core::work::tasks::Task> {
    state.with(|s| s.desk()?.save_task(id, &task))
}

#[tauri::command(async)]
pub fn task_done(
    state: State<'_, AppState>,
    id: i64,
    done_on: String,
) -> CommandResult<srt_core::work::tasks::Task> {
    state.with(|s| s.desk()?.set_task_done(id, &done_on))
}

#[tauri::command(async)]
pub fn task_reopen(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::work::tasks::Task> {
    state.with(|s| s.desk()?.reopen_task(id))
}

/// The team's members the lead's desk can give a task to: `[login, name]` pairs (none on a
/// coordinator's desk or a desk not joined).
#[tauri::command(async)]
pub fn task_assignees(state: State<'_, AppState>) -> CommandResult<Vec<(String, String)>> {
    state.with(|s| s.desk()?.task_assignees())
}

#[tauri::command(async)]
pub fn task_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_task(id))
}

#[tauri::command(async)]
pub fn proposal_list(
    state: State<'_, AppState>,
    filter: srt_core::work::proposals::ProposalFilter,
) -> CommandResult<Vec<srt_core::work::proposals::Proposal>> {
    state.with(|s| s.desk()?.proposals(&filter))
}

#[tauri::command(async)]
pub fn proposal_get(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::work::proposals::Proposal> {
    state.with(|s| s.desk()?.proposal(id))
}

#[tauri::command(async)]
pub fn proposal_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    proposal: srt_core::work::proposals::ProposalInput,
) -> CommandResult<srt_core::work::proposals::Proposal> {
    state.with(|s| s.desk()?.save_proposal(id, &proposal))
}

#[tauri::command(async)]
pub fn proposal_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_proposal(id))
}

#[tauri::command(async)]
pub fn proposal_memo_export(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> CommandResult<srt_core::MemoExport> {
    state.with(|s| s.desk()?.export_proposal_memo(id, &path))
}
