// Every command the window may call, declared once. `build.rs` includes this file to declare
// them to Tauri (so the capability file can grant them one by one); `lib.rs` hands the same list
// to `generate_handler!`; a test checks the capability file and ui/api.js against it.
// A new command: its function in commands/<part>.rs, one line here, its grant in
// capabilities/main.json, its call in ui/api.js.

/// Calls `$then!` with every command as `part::name`.
macro_rules! app_commands {
    ($then:ident) => {
        $then! {
            desk::desk_status,
            desk::desk_lock,
            desk::desk_activity,
            desk::settings_set_idle_lock,
            desk::desk_create,
            desk::desk_unlock,
            desk::settings_set_language,
            desk::settings_set_coordinator,
            cases::places_list,
            cases::personal_code_check,
            cases::case_register,
            cases::case_list,
            cases::case_get,
            view::case_view,
            cases::case_change_status,
            cases::case_counts,
            desk::demo_load,
            desk::demo_open,
            desk::desk_open_real,
            casework::assessment_get,
            casework::assessment_save,
            casework::assessment_sign,
            casework::document_list,
            casework::document_add,
            casework::document_set_status,
            casework::document_attach,
            casework::attachment_open,
            casework::attachment_save,
            casework::case_request_documents,
            casework::case_documents_received,
            casework::case_timeline,
            deadlines::dashboard,
            cases::search_all,
            deadlines::deadline_rules_list,
            deadlines::deadline_rule_save,
            trust::audit_list,
            // --- Recovery ---
            desk::desk_recover,
            desk::desk_recovery_shown,
            // --- Backups ---
            trust::backup_now,
            trust::auto_backup_status,
            trust::auto_backup_configure,
            trust::auto_backup_disable,
            trust::backup_restore,
            // --- Data protection ---
            trust::retention_list,
            trust::retention_set_years,
            trust::retention_delete,
            trust::person_export,
            // --- Clipboard ---
            trust::clipboard_copied,
            // --- Decisions ---
            decisions::decision_list,
            decisions::decision_get,
            decisions::decision_create,
            decisions::decision_save,
            decisions::decision_refill_annex,
            decisions::decision_delete,
            decisions::decision_approve,
            decisions::decision_mark_sent,
            decisions::decision_signature_get,
            decisions::decision_sign,
            decisions::decision_send_email,
            decisions::decisions_waiting,
            decisions::decision_settings_get,
            decisions::decision_settings_save,
            decisions::decision_templates_list,
            decisions::decision_template_versions,
            decisions::decision_template_save,
            decisions::decision_caps_list,
            decisions::decision_cap_save,
            // --- Signing and delivery ---
            signing::signing_settings_get,
            signing::signing_settings_save,
            signing::signing_smtp_password_save,
            signing::signing_trust_add_file,
            signing::decision_cover_page_save,
            signing::decision_handover,
            signing::decision_digidoc_save,
            signing::decision_container_file,
            signing::decision_signature_confirm,
            // --- Meetings ---
            meetings::meeting_templates_list,
            meetings::meeting_template_save,
            meetings::meeting_list,
            meetings::meeting_create,
            meetings::meeting_get,
            meetings::meeting_update,
            meetings::meeting_save_notes,
            meetings::meeting_action_add,
            meetings::meeting_action_update,
            meetings::meeting_action_done,
            meetings::meeting_action_reopen,
            meetings::meeting_action_remove,
            meetings::meeting_minutes_export,
            meetings::meeting_delete,
            // --- Providers ---
            providers::provider_activity_options,
            providers::provider_list,
            providers::provider_names,
            providers::provider_get,
            providers::provider_save,
            providers::provider_import_preview,
            providers::provider_import,
            providers::provider_export,
            providers::case_match_providers,
            providers::case_choice_get,
            providers::case_choice_save,
            providers::waiting_overview,
            providers::partner_list,
            providers::partner_save,
            providers::contact_log_list,
            providers::contact_add,
            providers::contact_follow_up_done,
            providers::provider_report_pdf,
            // --- Tasks and proposals ---
            work::task_list,
            work::task_get,
            work::task_save,
            work::task_done,
            work::task_reopen,
            work::task_delete,
            work::proposal_list,
            work::proposal_get,
            work::proposal_save,
            work::proposal_delete,
            work::proposal_memo_export,
            // --- Billing ---
            money::price_list,
            money::price_save,
            money::case_budget,
            money::confirmation_list,
            money::confirmation_add,
            money::confirmation_remove,
            money::invoice_list,
            money::invoice_get,
            money::invoice_save,
            money::invoice_delete,
            money::invoice_check,
            money::invoice_decide,
            money::invoice_import_preview,
            money::invoice_import,
            money::invoice_report,
            // --- Statistics and feedback ---
            stats::stats_get,
            stats::stats_export,
            stats::periodic_report_export,
            feedback::feedback_questions_list,
            feedback::feedback_question_save,
            feedback::feedback_question_set_active,
            feedback::case_feedback_get,
            feedback::case_feedback_add,
            feedback::feedback_delete,
            feedback::feedback_questionnaire_pdf,
            feedback::feedback_import_preview,
            feedback::feedback_import,
            // --- Install ---
            desk::desk_first_run_done,
            window::saved_file_open,
            // --- Cancelling long work ---
            window::work_cancel,
            window::work_progress,
            // --- Closing with text not saved ---
            window::window_unsaved,
            window::window_close,
        }
    };
}

/// The commands' names, as the window calls them.
macro_rules! command_names {
    ($($part:ident :: $name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

#[allow(dead_code)]
pub const COMMANDS: &[&str] = app_commands!(command_names);
