//! Declares the app's commands so that capabilities can grant exactly these and nothing else.

/// Every command the UI may call; keep in step with `generate_handler!` in src/lib.rs.
const COMMANDS: &[&str] = &[
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
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
