//! Money: prices, budgets, confirmations, invoices and their import and report.

use crate::{AppState, CommandResult};
use std::path::PathBuf;
use tauri::State;

// --- Billing ---

#[tauri::command(async)]
pub fn price_list(
    state: State<'_, AppState>,
) -> CommandResult<Vec<srt_core::prices::PriceVersion>> {
    state.with(|s| s.desk()?.price_list())
}

#[tauri::command(async)]
pub fn price_save(
    state: State<'_, AppState>,
    price: srt_core::prices::PriceInput,
) -> CommandResult<Vec<srt_core::prices::PriceVersion>> {
    state.with(|s| s.desk()?.save_price(&price))
}

#[tauri::command(async)]
pub fn case_budget(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<srt_core::money::Budget> {
    state.with(|s| s.desk()?.case_budget(case_id))
}

#[tauri::command(async)]
pub fn confirmation_list(
    state: State<'_, AppState>,
    case_id: i64,
) -> CommandResult<Vec<srt_core::money::Confirmation>> {
    state.with(|s| s.desk()?.confirmations(case_id))
}

#[tauri::command(async)]
pub fn confirmation_add(
    state: State<'_, AppState>,
    case_id: i64,
    confirmation: srt_core::money::ConfirmationInput,
) -> CommandResult<Vec<srt_core::money::Confirmation>> {
    state.with(|s| s.desk()?.add_confirmation(case_id, &confirmation))
}

#[tauri::command(async)]
pub fn confirmation_remove(
    state: State<'_, AppState>,
    case_id: i64,
    id: i64,
) -> CommandResult<Vec<srt_core::money::Confirmation>> {
    state.with(|s| s.desk()?.remove_confirmation(case_id, id))
}

#[tauri::command(async)]
pub fn invoice_list(
    state: State<'_, AppState>,
    filter: srt_core::money::InvoiceFilter,
) -> CommandResult<srt_core::money::InvoiceList> {
    state.with(|s| s.desk()?.invoice_list(&filter))
}

#[tauri::command(async)]
pub fn invoice_get(state: State<'_, AppState>, id: i64) -> CommandResult<srt_core::money::Invoice> {
    state.with(|s| s.desk()?.invoice(id))
}

#[tauri::command(async)]
pub fn invoice_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    invoice: srt_core::money::InvoiceInput,
) -> CommandResult<srt_core::money::Invoice> {
    state.with(|s| s.desk()?.save_invoice(id, &invoice))
}

#[tauri::command(async)]
pub fn invoice_delete(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.with(|s| s.desk()?.delete_invoice(id))
}

#[tauri::command(async)]
pub fn invoice_check(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<srt_core::money::Invoice> {
    state.with(|s| s.desk()?.check_invoice(id))
}

#[tauri::command(async)]
pub fn invoice_decide(
    state: State<'_, AppState>,
    id: i64,
    reject_all: bool,
    note: String,
) -> CommandResult<srt_core::money::Invoice> {
    state.with(|s| s.desk()?.decide_invoice(id, reject_all, &note))
}

#[tauri::command(async)]
pub fn invoice_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
) -> CommandResult<srt_core::money::invoice_io::ImportPreview> {
    state.with(|s| s.desk()?.invoice_import_preview(&path))
}

#[tauri::command(async)]
pub fn invoice_import(
    state: State<'_, AppState>,
    path: PathBuf,
    header: srt_core::money::invoice_io::ImportHeader,
) -> CommandResult<srt_core::money::Invoice> {
    state.with(|s| s.desk()?.invoice_import(&path, &header))
}

#[tauri::command(async)]
pub fn invoice_report(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> CommandResult<PathBuf> {
    state.with(|s| s.desk()?.invoice_report(id, &path))
}
