//! Commands that answer a whole screen at once (issue 30): one IPC round trip instead of one
//! per part. Each is one call into srt-core's Desk.

use srt_core::desk::{CaseView, DashboardView};
use tauri::State;

use crate::{AppState, CommandResult};

/// The case page: the case and every part it draws (`Desk::case_view`).
#[tauri::command(async)]
pub fn case_view(state: State<'_, AppState>, id: i64) -> CommandResult<CaseView> {
    state.with(|s| s.desk()?.case_view(id))
}

/// The dashboard: the case counts and what needs the coordinator (`Desk::dashboard_view_for`),
/// filtered by responsible coordinator on a team desk (a login; none or empty for all).
#[tauri::command(async)]
pub fn dashboard_view(
    state: State<'_, AppState>,
    coordinator: Option<String>,
) -> CommandResult<DashboardView> {
    state.with(|s| {
        s.desk()?
            .dashboard_view_for(coordinator.as_deref().unwrap_or_default())
    })
}

/// The dashboard's "show more": rows of one urgency or kind, the first `limit` of each
/// (`Desk::dashboard_rows`).
#[tauri::command(async)]
pub fn dashboard_rows(
    state: State<'_, AppState>,
    urgency: Option<String>,
    kind: Option<String>,
    limit: usize,
    coordinator: Option<String>,
) -> CommandResult<srt_core::overview::dashboard::Dashboard> {
    state.with(|s| {
        s.desk()?.dashboard_rows(
            urgency.as_deref(),
            kind.as_deref(),
            limit,
            coordinator.as_deref().unwrap_or(""),
        )
    })
}

/// The provider directory: one page of the providers the filter keeps, counted, and the
/// filters' choices (`Desk::provider_page`).
#[tauri::command(async)]
pub fn provider_page(
    state: State<'_, AppState>,
    filter: Option<srt_core::providers::directory::DirectoryFilter>,
) -> CommandResult<srt_core::providers::directory::DirectoryPage> {
    state.with(|s| s.desk()?.provider_page(&filter.unwrap_or_default()))
}
