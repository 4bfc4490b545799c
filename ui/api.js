/**
 * The only module that talks to the Rust side. Each function is one Tauri command;
 * every rejection is normalised to the contract's error shape
 * {code, message: {et, en} | null, fields: [], details, raw}.
 */

function tauriInvoke(cmd, args) {
  const tauri = globalThis.window && globalThis.window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject({ code: 'ui.no_backend', message: null, raw: 'window.__TAURI__ is not available' });
  }
  return tauri.core.invoke(cmd, args);
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

async function call(cmd, args) {
  try {
    return await tauriInvoke(cmd, args);
  } catch (error) {
    throw normaliseError(error);
  }
}

export const deskStatus = () => call('desk_status');
export const deskCreate = (passphrase, confirm) => call('desk_create', { passphrase, confirm });
export const deskUnlock = (passphrase) => call('desk_unlock', { passphrase });
export const setLanguageSetting = (language) => call('settings_set_language', { language });
export const personalCodeCheck = (code) => call('personal_code_check', { code });
export const caseRegister = (application) => call('case_register', { application });
export const caseList = (filter) => call('case_list', { filter });
export const caseGet = (id) => call('case_get', { id });
export const caseChangeStatus = (id, to, reason) => call('case_change_status', { id, to, reason });
export const caseCounts = () => call('case_counts');
export const demoLoad = () => call('demo_load');

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
