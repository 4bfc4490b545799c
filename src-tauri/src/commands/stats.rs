//! Statistics: the view, the export and the periodic report.

use crate::{AppState, CommandResult};
use std::path::PathBuf;
use tauri::State;

// --- Statistics and feedback ---

#[tauri::command(async)]
pub fn stats_get(
    state: State<'_, AppState>,
    query: srt_core::stats::StatsQuery,
    lang: String,
) -> CommandResult<srt_core::StatsView> {
    state.with(|s| s.desk()?.statistics(&query, &lang))
}

#[tauri::command(async)]
pub fn stats_export(
    state: State<'_, AppState>,
    query: srt_core::stats::StatsQuery,
    path: PathBuf,
) -> CommandResult<srt_core::stats::export::Exported> {
    state.with(|s| s.desk()?.stats_export(&query, &path))
}

#[tauri::command(async)]
pub fn periodic_report_export(
    state: State<'_, AppState>,
    query: srt_core::stats::StatsQuery,
    path: PathBuf,
) -> CommandResult<srt_core::stats::export::Exported> {
    state.with(|s| s.desk()?.periodic_report(&query, &path))
}
