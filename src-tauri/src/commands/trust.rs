//! Trust: backups, retention and a person's data, the clipboard guard and the audit log.

use crate::{AppState, CommandResult};
use srt_core::launch::SessionStatus;
use std::time::Instant;
use tauri::State;

#[tauri::command(async)]
pub fn backup_now(
    state: State<'_, AppState>,
    out: String,
    passphrase: String,
    confirm: String,
) -> CommandResult<srt_core::store::backup::BackupInfo> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.backup_now(&out, &passphrase, &confirm))
}

#[tauri::command(async)]
pub fn auto_backup_status(
    state: State<'_, AppState>,
) -> CommandResult<srt_core::trust::autobackup::AutoBackupStatus> {
    state.with(|s| s.auto_backup_status())
}

#[tauri::command(async)]
pub fn auto_backup_configure(
    state: State<'_, AppState>,
    folder: String,
    keep: i64,
    passphrase: String,
    confirm: String,
) -> CommandResult<srt_core::trust::autobackup::AutoBackupStatus> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.auto_backup_configure(&folder, keep, &passphrase, &confirm))
}

#[tauri::command(async)]
pub fn auto_backup_disable(
    state: State<'_, AppState>,
) -> CommandResult<srt_core::trust::autobackup::AutoBackupStatus> {
    state.with(|s| s.auto_backup_disable())
}

#[tauri::command(async)]
pub fn backup_restore(
    state: State<'_, AppState>,
    from: String,
    backup_passphrase: String,
    new_passphrase: String,
    confirm: String,
) -> CommandResult<SessionStatus> {
    let backup_passphrase = zeroize::Zeroizing::new(backup_passphrase);
    let new_passphrase = zeroize::Zeroizing::new(new_passphrase);
    let confirm = zeroize::Zeroizing::new(confirm);
    state.with(|s| s.restore_from(&from, &backup_passphrase, &new_passphrase, &confirm))
}

#[tauri::command(async)]
pub fn retention_list(
    state: State<'_, AppState>,
) -> CommandResult<srt_core::trust::privacy::RetentionList> {
    state.with(|s| s.desk()?.retention_list())
}

#[tauri::command(async)]
pub fn retention_set_years(
    state: State<'_, AppState>,
    years: i64,
) -> CommandResult<srt_core::trust::privacy::RetentionList> {
    state.with(|s| s.desk()?.retention_set_years(years))
}

#[tauri::command(async)]
pub fn retention_delete(
    state: State<'_, AppState>,
    case_ids: Vec<i64>,
) -> CommandResult<srt_core::trust::privacy::RetentionList> {
    state.with(|s| s.desk()?.retention_delete(&case_ids))
}

#[tauri::command(async)]
pub fn person_export(
    state: State<'_, AppState>,
    personal_code: String,
    out: String,
) -> CommandResult<u64> {
    state.with(|s| {
        let out = out.trim();
        if out.is_empty() || !std::path::Path::new(out).is_absolute() {
            return Err(srt_core::Error::field(
                "out",
                "export.out_required",
                "Vali fail, kuhu andmed salvestatakse.",
                "Choose the file the data is saved to.",
            ));
        }
        s.desk()?
            .person_export(&personal_code, std::path::Path::new(out))
    })
}

/// Text from a case was copied (the window's copy event): clear it from the clipboard in 30 s.
#[tauri::command]
pub fn clipboard_copied(state: State<'_, AppState>, text: String) -> CommandResult<()> {
    state.with(|_| Ok(()))?;
    state
        .clipboard
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .copied(&text, Instant::now());
    Ok(())
}

#[tauri::command(async)]
pub fn audit_list(
    state: State<'_, AppState>,
    filter: srt_core::store::audit::AuditFilter,
) -> CommandResult<srt_core::store::audit::AuditPage> {
    state.with(|s| s.desk()?.audit_log(&filter))
}
