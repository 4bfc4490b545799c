/**
 * The only module that talks to the Rust side (and the only one touching window.__TAURI__).
 * Each function is one Tauri command or native dialog; every rejection is normalised to the
 * contract's error shape {code, message: {et, en} | null, fields: [], details, raw}.
 */

function tauriInvoke(cmd, args) {
  const tauri = globalThis.window && globalThis.window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject({ code: 'ui.no_backend', message: null, raw: 'window.__TAURI__ is not available' });
  }
  return tauri.core.invoke(cmd, args);
}

function tauriDialog() {
  const tauri = globalThis.window && globalThis.window.__TAURI__;
  if (!tauri || !tauri.dialog) {
    throw normaliseError({ code: 'ui.no_backend', message: null, raw: 'window.__TAURI__.dialog is not available' });
  }
  return tauri.dialog;
}

/** Turns whatever a command rejected with into the contract's error object. */
export function normaliseError(error) {
  if (error && typeof error === 'object' && typeof error.code === 'string') {
    return {
      code: error.code,
      message: error.message && typeof error.message === 'object' ? error.message : null,
      fields: Array.isArray(error.fields) ? error.fields : [],
      details: error.details ?? null,
      raw: typeof error.message === 'string' ? error.message : (error.raw ?? null),
    };
  }
  const raw = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: null, fields: [], details: null, raw };
}

/** The code every command answers with while the desk is locked. */
export const LOCKED = 'desk.locked';

let lockedHandler = null;

/**
 * Registers the one function called when any command answers `desk.locked` (the backend
 * locked itself after the idle time, or was locked elsewhere). It runs before the caller
 * sees the rejection, so the caller's error handling writes into a view already discarded.
 * Returns a function that removes it.
 */
export function onLocked(handler) {
  lockedHandler = handler;
  return () => {
    if (lockedHandler === handler) lockedHandler = null;
  };
}

/**
 * Answers already given by a screen's one command (`caseView`), handed to the parts that ask
 * for them with the same arguments while the screen is drawn; `forgetPrimed` (the screen drawn,
 * or 5 s at most) sends every later read to the backend again.
 */
const primed = new Map();
let primedUntil = 0;
const primedKey = (cmd, args) => `${cmd} ${JSON.stringify(args ?? {})}`;

export function forgetPrimed() {
  primed.clear();
}

async function call(cmd, args) {
  if (primed.size > 0) {
    const key = primedKey(cmd, args);
    if (primed.has(key) && Date.now() < primedUntil) return primed.get(key);
  }
  try {
    return await tauriInvoke(cmd, args);
  } catch (error) {
    const normalised = normaliseError(error);
    if (normalised.code === LOCKED && lockedHandler) {
      try {
        lockedHandler(normalised);
      } catch {
        // The handler's failure must not hide the command's own error.
      }
    }
    throw normalised;
  }
}

export const deskStatus = () => call('desk_status');
export const deskCreate = (passphrase, confirm) => call('desk_create', { passphrase, confirm });
export const deskUnlock = (passphrase) => call('desk_unlock', { passphrase });
export const deskLock = () => call('desk_lock');
export const deskRecover = (recoveryCode, newPassphrase, confirm) =>
  call('desk_recover', { recoveryCode, newPassphrase, confirm });
export const deskRecoveryShown = () => call('desk_recovery_shown');
export const backupNow = (out, passphrase, confirm) => call('backup_now', { out, passphrase, confirm });
export const autoBackupStatus = () => call('auto_backup_status');
export const autoBackupConfigure = (folder, keep, passphrase, confirm) =>
  call('auto_backup_configure', { folder, keep, passphrase, confirm });
export const autoBackupDisable = () => call('auto_backup_disable');
export const retentionList = () => call('retention_list');
export const retentionSetYears = (years) => call('retention_set_years', { years });
export const retentionDelete = (caseIds) => call('retention_delete', { caseIds });
export const clipboardCopied = (text) => call('clipboard_copied', { text });
export const personExport = (personalCode, out) => call('person_export', { personalCode, out });
export const backupRestore = (from, backupPassphrase, newPassphrase, confirm) =>
  call('backup_restore', { from, backupPassphrase, newPassphrase, confirm });
/** The user is active (the backend locks after the idle time without activity). */
export const deskActivity = () => call('desk_activity');
export const setIdleLockMinutes = (minutes) => call('settings_set_idle_lock', { minutes });
export const setLanguageSetting = (language) => call('settings_set_language', { language });
/** The coordinator's name (required), phone and e-mail (empty: the Board's). */
export const setCoordinator = (name, phone, email) => call('settings_set_coordinator', { name, phone, email });
export const personalCodeCheck = (code) => call('personal_code_check', { code });
export const caseRegister = (application) => call('case_register', { application });
export const caseList = (filter) => call('case_list', { filter });
export const caseGet = (id) => call('case_get', { id });
/**
 * The case page in one IPC call: the case (returned) and every part of it, primed so that each
 * part's own read below answers from it without a round trip. A part the backend could not read
 * is not primed: that part asks for itself and shows its own error.
 */
export async function caseView(id) {
  const view = await call('case_view', { id });
  forgetPrimed();
  const caseId = view.case.id;
  const parts = [
    ['assessment_get', { caseId }, view.assessment],
    ['decision_list', { caseId }, view.decisions],
    ['document_list', { caseId }, view.documents],
    ['meeting_list', { caseId }, view.meetings],
    ['case_choice_get', { caseId }, view.choice],
    ['provider_names', undefined, view.providerNames],
    ['contact_log_list', { filter: { caseId } }, view.contacts],
    ['case_budget', { caseId }, view.budget],
    ['confirmation_list', { caseId }, view.confirmations],
    ['case_feedback_get', { caseId }, view.feedback],
    ['case_timeline', { caseId }, view.timeline],
  ];
  for (const [cmd, args, answer] of parts) {
    if (answer !== null && answer !== undefined) primed.set(primedKey(cmd, args), answer);
  }
  primedUntil = Date.now() + 5000;
  // The responsible coordinator on a desk in a team (null elsewhere) comes with the case.
  // A colleague's case opened here with a reason says when and why (null otherwise).
  return { ...view.case, teamCoordinator: view.coordinator ?? null, teamOpening: view.opening ?? null };
}
export const caseChangeStatus = (id, to, reason) => call('case_change_status', { id, to, reason });
export const caseCounts = () => call('case_counts');
/** The dashboard in one IPC call: the case counts and its rows (null: they could not be read,
 * and `dashboard()` asked alone gives the error). */
export const dashboardView = (coordinator = '') => call('dashboard_view', { coordinator });
/**
 * The dashboard's "show more": the first `limit` rows of each kind of one urgency or kind (null:
 * all), of the coordinator's cases when one is given.
 */
export const dashboardRows = (urgency, kind, limit, coordinator = '') => call('dashboard_rows', { urgency, kind, limit, coordinator });
export const demoLoad = () => call('demo_load');
export const demoOpen = () => call('demo_open');
export const deskOpenReal = () => call('desk_open_real');
export const auditList = (filter) => call('audit_list', { filter });
export const caseRequestDocuments = (caseId, request) => call('case_request_documents', { caseId, request });
export const caseDocumentsReceived = (caseId, receivedOn, note) =>
  call('case_documents_received', { caseId, receivedOn, note });
export const caseTimeline = (caseId) => call('case_timeline', { caseId });

export const assessmentGet = (caseId) => call('assessment_get', { caseId });
export const assessmentSave = (caseId, draft) => call('assessment_save', { caseId, draft });
export const assessmentSign = (caseId, signedOn) => call('assessment_sign', { caseId, signedOn });

export const documentList = (caseId) => call('document_list', { caseId });
export const documentAdd = (caseId, document) => call('document_add', { caseId, document });
export const documentSetStatus = (id, status) => call('document_set_status', { id, status });
export const documentAttach = (documentId, path) => call('document_attach', { documentId, path });
export const attachmentOpen = (id) => call('attachment_open', { id });
export const attachmentSave = (id, path) => call('attachment_save', { id, path });

export const dashboard = () => call('dashboard');
export const searchAll = (text) => call('search_all', { text });

export const deadlineRulesList = () => call('deadline_rules_list');
export const deadlineRuleSave = (rule) => call('deadline_rule_save', { rule });

/** The system's "open file" dialog for one file; resolves to its path, or null when cancelled. */
export async function chooseFile(filterName, extensions) {
  try {
    const picked = await tauriDialog().open({
      multiple: false, directory: false, filters: [{ name: filterName, extensions }],
    });
    return Array.isArray(picked) ? (picked[0] ?? null) : (picked ?? null);
  } catch (error) {
    throw normaliseError(error);
  }
}

/** The system's "save as" dialog; resolves to the chosen path, or null when cancelled. */
export async function chooseFolder() {
  try {
    const picked = await tauriDialog().open({ multiple: false, directory: true });
    return Array.isArray(picked) ? (picked[0] ?? null) : (picked ?? null);
  } catch (error) {
    throw normaliseError(error);
  }
}

export async function chooseSavePath(defaultPath) {
  try {
    return (await tauriDialog().save({ defaultPath })) ?? null;
  } catch (error) {
    throw normaliseError(error);
  }
}

let placesPromise = null;
/** Places do not change while the app runs, so the list is fetched once. */
export function placesList() {
  if (!placesPromise) {
    placesPromise = call('places_list').catch((error) => {
      placesPromise = null;
      throw error;
    });
  }
  return placesPromise;
}

// --- Decisions ---
export const decisionList = (caseId) => call('decision_list', { caseId });
export const decisionGet = (id) => call('decision_get', { id });
export const decisionCreate = (caseId, kind) => call('decision_create', { caseId, kind });
export const decisionSave = (id, draft) => call('decision_save', { id, draft });
export const decisionRefillAnnex = (id) => call('decision_refill_annex', { id });
export const decisionDelete = (id) => call('decision_delete', { id });
export const decisionApprove = (id, confirmWarnings) => call('decision_approve', { id, confirmWarnings });
export const decisionMarkSent = (id, deliveredOn) => call('decision_mark_sent', { id, deliveredOn });
export const decisionSignatureGet = (id) => call('decision_signature_get', { id });
export const decisionSign = (id, pin) => call('decision_sign', { id, pin });
export const decisionSendEmail = (id) => call('decision_send_email', { id });
export const decisionsWaiting = () => call('decisions_waiting');
export const decisionSettingsGet = () => call('decision_settings_get');
export const decisionSettingsSave = (settings) => call('decision_settings_save', { settings });
export const decisionTemplatesList = () => call('decision_templates_list');
export const decisionTemplateVersions = (code, lang) => call('decision_template_versions', { code, lang });
export const decisionTemplateSave = (template) => call('decision_template_save', { template });
export const decisionCapsList = () => call('decision_caps_list');
export const decisionCapSave = (cap) => call('decision_cap_save', { cap });
// --- Meetings ---
export const meetingTemplatesList = () => call('meeting_templates_list');
export const meetingTemplateSave = (template) => call('meeting_template_save', { template });
export const meetingList = (caseId) => call('meeting_list', { caseId });
export const meetingCreate = (caseId, meeting) => call('meeting_create', { caseId, meeting });
export const meetingGet = (id) => call('meeting_get', { id });
export const meetingUpdate = (id, meeting) => call('meeting_update', { id, meeting });
export const meetingSaveNotes = (id, draft) => call('meeting_save_notes', { id, draft });
export const meetingActionAdd = (meetingId, action) => call('meeting_action_add', { meetingId, action });
export const meetingActionUpdate = (id, action) => call('meeting_action_update', { id, action });
export const meetingActionDone = (id, doneOn) => call('meeting_action_done', { id, doneOn });
export const meetingActionReopen = (id) => call('meeting_action_reopen', { id });
export const meetingActionRemove = (id) => call('meeting_action_remove', { id });
export const meetingMinutesExport = (id, path) => call('meeting_minutes_export', { id, path });
export const meetingDelete = (id) => call('meeting_delete', { id });
// --- Providers ---
export const providerActivityOptions = () => call('provider_activity_options');
export const providerList = () => call('provider_list');
/** The provider directory's page: `{ rows, total, offset, all, activities, counties }` (issue 30). */
export const providerPage = (filter = {}) => call('provider_page', { filter });
/** id, name and active of every provider: for a form's list of providers. */
export const providerNames = () => call('provider_names');
export const providerGet = (id) => call('provider_get', { id });
export const providerSave = (id, provider) => call('provider_save', { id, provider });
export const providerImportPreview = (path) => call('provider_import_preview', { path });
export const providerImport = (path) => call('provider_import', { path });
export const providerExport = (path) => call('provider_export', { path });
export const caseMatchProviders = (caseId) => call('case_match_providers', { caseId });
export const caseChoiceGet = (caseId) => call('case_choice_get', { caseId });
export const caseChoiceSave = (caseId, choice) => call('case_choice_save', { caseId, choice });
export const waitingOverview = (filter = {}) => call('waiting_overview', { filter });
export const partnerList = () => call('partner_list');
export const partnerSave = (id, partner) => call('partner_save', { id, partner });
export const contactLogList = (filter) => call('contact_log_list', { filter });
export const contactAdd = (entry) => call('contact_add', { entry });
export const contactFollowUpDone = (id) => call('contact_follow_up_done', { id });
export const providerReportPdf = (id, path) => call('provider_report_pdf', { id, path });
// --- Tasks and proposals ---
export const taskList = (filter) => call('task_list', { filter });
export const taskGet = (id) => call('task_get', { id });
export const taskSave = (id, task) => call('task_save', { id, task });
export const taskDone = (id, doneOn) => call('task_done', { id, doneOn });
export const taskReopen = (id) => call('task_reopen', { id });
export const taskDelete = (id) => call('task_delete', { id });
export const taskAssignees = () => call('task_assignees');
export const proposalList = (filter) => call('proposal_list', { filter });
export const proposalGet = (id) => call('proposal_get', { id });
export const proposalSave = (id, proposal) => call('proposal_save', { id, proposal });
export const proposalDelete = (id) => call('proposal_delete', { id });
export const proposalMemoExport = (id, path) => call('proposal_memo_export', { id, path });

// --- Billing ---
export const priceList = () => call('price_list');
export const priceSave = (price) => call('price_save', { price });
export const caseBudget = (caseId) => call('case_budget', { caseId });
export const confirmationList = (caseId) => call('confirmation_list', { caseId });
export const confirmationAdd = (caseId, confirmation) => call('confirmation_add', { caseId, confirmation });
export const confirmationRemove = (caseId, id) => call('confirmation_remove', { caseId, id });
export const invoiceList = (filter) => call('invoice_list', { filter });
export const invoiceGet = (id) => call('invoice_get', { id });
export const invoiceSave = (id, invoice) => call('invoice_save', { id, invoice });
export const invoiceDelete = (id) => call('invoice_delete', { id });
export const invoiceCheck = (id) => call('invoice_check', { id });
export const invoiceDecide = (id, rejectAll, note) => call('invoice_decide', { id, rejectAll, note });
export const invoiceImportPreview = (path) => call('invoice_import_preview', { path });
export const invoiceImport = (path, header) => call('invoice_import', { path, header });
export const invoiceReport = (id, path) => call('invoice_report', { id, path });
// --- Statistics and feedback ---
export const statsGet = (query, lang) => call('stats_get', { query, lang });
export const statsExport = (query, path) => call('stats_export', { query, path });
export const periodicReportExport = (query, path) => call('periodic_report_export', { query, path });
export const feedbackQuestionsList = () => call('feedback_questions_list');
export const feedbackQuestionSave = (id, input) => call('feedback_question_save', { id, input });
export const feedbackQuestionSetActive = (id, active) => call('feedback_question_set_active', { id, active });
export const caseFeedbackGet = (caseId) => call('case_feedback_get', { caseId });
export const caseFeedbackAdd = (caseId, input) => call('case_feedback_add', { caseId, input });
export const feedbackDelete = (id) => call('feedback_delete', { id });
export const feedbackQuestionnairePdf = (lang, caseId, path) => call('feedback_questionnaire_pdf', { lang, caseId, path });
export const feedbackImportPreview = (path) => call('feedback_import_preview', { path });
export const feedbackImport = (path) => call('feedback_import', { path });
// --- Install ---
export const deskFirstRunDone = () => call('desk_first_run_done');
export const savedFileOpen = (path) => call('saved_file_open', { path });

// --- Cancelling long work ---
export const workCancel = () => call('work_cancel');
/** { done, total } of the long work running now (a backup), or null. */
export const workProgress = () => call('work_progress');

// --- Closing with text not saved ---
/** Tells the backend whether the window holds text not saved (closing then asks first). */
export const windowUnsaved = (unsaved) => call('window_unsaved', { unsaved });
/** Closes the window (nothing is unsaved, or the coordinator chose to close anyway). */
export const windowClose = () => call('window_close');
/** Calls `handler` when a close of the window waits for the window's answer. */
export function onCloseAsked(handler) {
  const tauri = globalThis.window && globalThis.window.__TAURI__;
  if (!tauri || !tauri.event) return;
  tauri.event.listen('close-asked', () => handler());
}

// --- Signing and delivery (issue 29): settings, hand-overs, DigiDoc4 ---
export const signingSettingsGet = () => call('signing_settings_get');
export const signingSettingsSave = (settings) => call('signing_settings_save', { settings });
export const signingSmtpPasswordSave = (password) => call('signing_smtp_password_save', { password });
export const signingTrustAddFile = (path) => call('signing_trust_add_file', { path });
export const decisionCoverPageSave = (id, path) => call('decision_cover_page_save', { id, path });
export const decisionHandover = (id, way, on) => call('decision_handover', { id, way, on });
export const decisionDigidocSave = (id, path) => call('decision_digidoc_save', { id, path });
export const decisionContainerFile = (id, path) => call('decision_container_file', { id, path });
export const decisionSignatureConfirm = (id) => call('decision_signature_confirm', { id });

// --- Team desk ---
export const teamState = () => call('team_state');
export const teamSyncNow = () => call('team_sync_now');
export const teamJoin = (server, code, caPath) => call('team_join', { server, code, caPath });
export const teamConflicts = () => call('team_conflicts');
export const teamResolve = (id, choice, columns) => call('team_resolve', { id, choice, columns: columns ?? null });
export const teamMembers = () => call('team_members');
export const teamInvite = (login, name, role) => call('team_invite', { login, name, role });
export const teamDevices = () => call('team_devices');
export const teamRevoke = (id) => call('team_revoke', { id });
export const teamSubstitutions = () => call('team_substitutions');
export const teamSubstitute = (absent, substitute, from, to) => call('team_substitute', { absent, substitute, from, to });
export const teamSubstitutionCancel = (id) => call('team_substitution_cancel', { id });
export const teamReassign = (caseNos, to) => call('team_reassign', { caseNos, to });
export const teamSetDataWriters = (writers) => call('team_set_data_writers', { writers });
export const teamCases = () => call('team_cases');
export const teamCoordinators = () => call('team_coordinators');
/** Opens a colleague's case for today with a stated reason: {caseId, caseNo, already}. */
export const teamOpenCase = (caseNo, reason) => call('team_open_case', { caseNo, reason });
