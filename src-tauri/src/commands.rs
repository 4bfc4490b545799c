// The list of commands the UI may call: build.rs declares exactly these to Tauri (so that
// capabilities can grant them one by one) and a test checks the capability file against it.
// Keep in step with `generate_handler!` in lib.rs.

#[allow(dead_code)]
pub const COMMANDS: &[&str] = &[
    "desk_status",
    "desk_lock",
    "desk_activity",
    "settings_set_idle_lock",
    "desk_create",
    "desk_unlock",
    "settings_set_language",
    "settings_set_coordinator",
    "places_list",
    "personal_code_check",
    "case_register",
    "case_list",
    "case_get",
    "case_change_status",
    "case_counts",
    "demo_load",
    "assessment_get",
    "assessment_save",
    "assessment_sign",
    "document_list",
    "document_add",
    "document_set_status",
    "document_attach",
    "attachment_open",
    "attachment_save",
    "case_request_documents",
    "case_documents_received",
    "case_timeline",
    "dashboard",
    "search_all",
    "deadline_rules_list",
    "deadline_rule_save",
    "audit_list",
    // --- Recovery ---
    "desk_recover",
    "desk_recovery_shown",
    // --- Backups ---
    "backup_now",
    "auto_backup_status",
    "auto_backup_configure",
    "auto_backup_disable",
    "backup_restore",
    // --- Data protection ---
    "retention_list",
    "retention_set_years",
    "retention_delete",
    "person_export",
    // --- Clipboard ---
    "clipboard_copied",
];
