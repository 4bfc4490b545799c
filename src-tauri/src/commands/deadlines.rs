//! Deadlines: the dashboard and the deadline rules.

use crate::{AppState, CommandResult};
use srt_core::deadlines::rules::{DeadlineRule, DeadlineRuleInput};
use srt_core::overview::dashboard::Dashboard;
use tauri::State;

#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>) -> CommandResult<Dashboard> {
    state.with(|s| s.desk()?.dashboard())
}

#[tauri::command(async)]
pub fn deadline_rules_list(state: State<'_, AppState>) -> CommandResult<Vec<DeadlineRule>> {
    state.with(|s| s.desk()?.deadline_rules())
}

#[tauri::command(async)]
pub fn deadline_rule_save(
    state: State<'_, AppState>,
    rule: DeadlineRuleInput,
) -> CommandResult<Vec<DeadlineRule>> {
    state.with(|s| s.desk()?.save_deadline_rule(&rule))
}
