/**
 * Screens shown before the desk is open: create a passphrase (setup), unlock (locked),
 * and "the database cannot be opened" (error). The error screen never offers to delete
 * or recreate anything: the data may still be recoverable. With the key in the computer's
 * credential store, unlocking asks for nothing: the "Ava" button fetches the key again.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { field, clearErrors, showFieldErrors, showFieldError, focusControl } from '../form-ui.js';
import { cancelButton, watchProgress } from '../cancel.js';

export function renderLock(root, status, { onStatus }) {
  const screens = { setup: setupScreen, locked: unlockScreen, error: errorScreen, recovery: recoveryCodeScreen };
  const screen = (screens[status.state] || errorScreen)(status, onStatus);
  replace(root, h('div', { class: 'lock-screen' },
    h('div', { class: 'lock-card' },
      h('div', { class: 'brand-title lock-brand', text: t('app.title') }),
      screen)));
  const first = root.querySelector('input') || root.querySelector('button[type="submit"]');
  if (first) first.focus();
}

/** Why the desk is locked, as the unlock screen says it; empty when there is nothing to say. */
export function lockReasonText(reason) {
  if (reason === 'idle') return t('lock.unlock.idle');
  if (reason === 'upgrade') return t('lock.unlock.upgrade');
  return '';
}

/** Updates the reason line of an unlock screen already shown (the reason may arrive later). */
export function showLockReason(root, reason) {
  const line = root.querySelector('#unlock-reason');
  if (!line) return;
  line.textContent = lockReasonText(reason);
  line.hidden = line.textContent === '';
}

function passwordInput(autocomplete) {
  return h('input', { type: 'password', autocomplete, spellcheck: false });
}

/** Submits a lock form: disables the button, shows field errors or a message under `fallbackId`. */
function handleSubmit(form, button, fallbackId, prefix, action, onStatus) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearErrors(form);
    const label = button.textContent;
    button.disabled = true;
    button.textContent = t('lock.working');
    try {
      onStatus(await action());
    } catch (error) {
      button.disabled = false;
      button.textContent = label;
      const { placed } = showFieldErrors(form, error.fields, prefix);
      if (placed.length === 0) {
        showFieldError(form, fallbackId, errorText(error));
        placed.push(fallbackId);
      }
      const input = form.querySelector(`#${placed[0]}`);
      if (input) focusControl(form, placed[0]);
      else button.focus(); // nothing to correct (key store): the button is what to try again
      if (input && input.select) input.select();
    }
  });
}

export function setupScreen(status, onStatus) {
  const passphrase = passwordInput('new-password');
  const confirm = passwordInput('new-password');
  const submit = h('button', { id: 'setup-submit', type: 'submit', class: 'primary' }, t('lock.setup.submit'));
  const form = h('form', { id: 'setup-form', novalidate: true },
    h('h1', { text: t('lock.setup.title') }),
    h('p', { class: 'lead', text: t('lock.setup.intro') }),
    field({ id: 'setup-passphrase', label: t('lock.setup.passphrase'), control: passphrase, required: true }),
    field({ id: 'setup-confirm', label: t('lock.setup.confirm'), control: confirm, required: true }),
    h('div', { class: 'actions' }, submit));
  handleSubmit(form, submit, 'setup-passphrase', 'setup-',
    () => api.deskCreate(passphrase.value, confirm.value), onStatus);
  return form;
}

/**
 * While an unlock runs, shows how far an upgrade of an older desk has come (a national desk's new
 * indexes take tens of seconds): the backend reports the schema steps done out of those pending.
 * Returns the element to place in the form and the action wrapped with the polling.
 */
function upgradeProgress(action) {
  const text = h('p', { id: 'unlock-upgrade-text', role: 'status' });
  const bar = h('progress', { id: 'unlock-upgrade-bar', max: 1, value: 0, 'aria-label': t('lock.upgrade.label') });
  // "Katkesta": the desk stays at the last finished step and the next unlock goes on from there.
  const cancel = cancelButton('unlock-upgrade-cancel');
  const box = h('div', { id: 'unlock-upgrade', class: 'upgrade-progress', hidden: true }, text, bar, cancel.element);
  const wrapped = async () => {
    const stopWatching = watchProgress((p) => {
      if (box.hidden) cancel.running(true);
      box.hidden = false;
      bar.max = p.total;
      // A long step (the rewrite of an older desk's file) also says how far it has come.
      bar.value = Math.min(p.total, p.done + (p.part || 0) / 1000);
      text.textContent = t('lock.upgrade.progress', { done: Math.min(p.done + 1, p.total), total: p.total });
    });
    try {
      return await action();
    } finally {
      stopWatching();
      box.hidden = true;
      cancel.running(false);
    }
  };
  return { element: box, action: wrapped };
}

function unlockScreen(status, onStatus) {
  const submit = h('button', { id: 'unlock-submit', type: 'submit', class: 'primary' }, t('lock.unlock.submit'));
  const reasonText = lockReasonText(status.lockReason);
  const reason = h('p', { id: 'unlock-reason', class: 'lock-reason', text: reasonText, hidden: reasonText === '' });
  if (status.keySource === 'keyring') {
    const upgrade = upgradeProgress(() => api.deskUnlock(''));
    const form = h('form', { id: 'unlock-form', novalidate: true },
      h('h1', { text: t('lock.unlock.title') }),
      reason,
      h('p', { id: 'unlock-keyring', class: 'lead', text: t('lock.unlock.keyring') }),
      h('div', { id: 'unlock-error', class: 'field-error', role: 'alert', hidden: true }),
      h('div', { class: 'actions' }, submit),
      upgrade.element);
    // The backend ignores the passphrase here and takes the key from the credential store.
    handleSubmit(form, submit, 'unlock', 'unlock-', upgrade.action, onStatus);
    // A new version's upgrade waits only for the window to be shown: it starts by itself, and
    // its steps are shown (the button is there to try again should it fail).
    if (status.lockReason === 'upgrade') setTimeout(() => submit.click(), 0);
    return withRecovery(form, status, onStatus);
  }
  const passphrase = passwordInput('current-password');
  const upgrade = upgradeProgress(() => api.deskUnlock(passphrase.value));
  const form = h('form', { id: 'unlock-form', novalidate: true },
    h('h1', { text: t('lock.unlock.title') }),
    reason,
    h('p', { class: 'lead', text: t('lock.unlock.intro') }),
    field({ id: 'unlock-passphrase', label: t('lock.unlock.passphrase'), control: passphrase, required: true }),
    h('div', { class: 'actions' }, submit),
    upgrade.element);
  // The backend's field for this form is "passphrase".
  handleSubmit(form, submit, 'unlock-passphrase', 'unlock-', upgrade.action, onStatus);
  return withRecovery(form, status, onStatus);
}

/**
 * Adds "use the recovery code" under an unlock form (when the key file has a recovery wrap):
 * the form is swapped for the recovery form and back.
 */
function withRecovery(form, status, onStatus) {
  if (!status.canRecover) return form;
  const box = h('div', {});
  const open = h('button', { id: 'use-recovery', type: 'button', class: 'link-button' },
    status.keySource === 'passphrase' ? t('lock.recover.forgot') : t('lock.recover.useCode'));
  const main = h('div', {}, form, h('div', { class: 'actions left' }, open));
  open.addEventListener('click', () => {
    const back = h('button', { type: 'button', class: 'secondary', id: 'recover-back' }, t('lock.recover.back'));
    back.addEventListener('click', () => {
      replace(box, main);
      form.querySelector('input, button[type="submit"]')?.focus();
    });
    replace(box, recoveryForm(status, onStatus, back));
    box.querySelector('input').focus();
  });
  replace(box, main);
  return box;
}

/** The recovery form: the code, and for a passphrase database a new passphrase (twice). */
function recoveryForm(status, onStatus, backButton = null) {
  const code = h('input', { type: 'text', autocomplete: 'off', spellcheck: false, class: 'mono', placeholder: 'XXXX-XXXX-XXXX-XXXX-XXXX' });
  const needsPassphrase = status.keySource === 'passphrase';
  const passphrase = passwordInput('new-password');
  const confirm = passwordInput('new-password');
  const submit = h('button', { id: 'recover-submit', type: 'submit', class: 'primary' }, t('lock.recover.submit'));
  const form = h('form', { id: 'recover-form', novalidate: true },
    h('h2', { text: t('lock.recover.title') }),
    h('p', { class: 'lead', text: needsPassphrase ? t('lock.recover.introPassphrase') : t('lock.recover.introKeyring') }),
    field({ id: 'recover-recoveryCode', label: t('lock.recover.code'), control: code, hint: t('lock.recover.codeHint'), required: true }),
    needsPassphrase ? [
      field({ id: 'recover-passphrase', label: t('lock.recover.newPassphrase'), control: passphrase, required: true }),
      field({ id: 'recover-confirm', label: t('lock.recover.newConfirm'), control: confirm, required: true }),
    ] : null,
    h('div', { class: 'actions' }, backButton, submit));
  handleSubmit(form, submit, 'recover-recoveryCode', 'recover-',
    () => api.deskRecover(code.value, passphrase.value, confirm.value), onStatus);
  return form;
}

/**
 * Shown once after the database was created (or restored): the recovery code to write down.
 * Continuing needs the box ticked; the code is then dropped from the app's memory.
 */
export function recoveryCodeScreen(status, onStatus) {
  const tick = h('input', { type: 'checkbox', id: 'recovery-written' });
  const submit = h('button', { id: 'recovery-ack', type: 'submit', class: 'primary' }, t('lock.recoveryCode.continue'));
  const print = h('button', { id: 'recovery-print', type: 'button', class: 'secondary' }, t('lock.recoveryCode.print'));
  print.addEventListener('click', () => window.print());
  const form = h('form', { id: 'recovery-form', novalidate: true },
    h('h1', { text: t('lock.recoveryCode.title') }),
    h('p', { class: 'lead', text: t('lock.recoveryCode.intro') }),
    h('p', { id: 'recovery-code', class: 'recovery-code mono', text: status.recoveryCode }),
    h('ul', { class: 'recovery-advice' },
      h('li', { text: t('lock.recoveryCode.keep') }),
      h('li', { text: t('lock.recoveryCode.never') }),
      h('li', { text: t('lock.recoveryCode.once') })),
    h('div', { class: 'field checkbox-field' },
      h('label', { for: 'recovery-written' }, tick, ' ', t('lock.recoveryCode.written')),
      h('div', { id: 'recovery-written-error', class: 'field-error', hidden: true })),
    h('div', { class: 'actions' }, print, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!tick.checked) {
      showFieldError(form, 'recovery-written', t('lock.recoveryCode.tickFirst'));
      tick.focus();
      return;
    }
    submit.disabled = true;
    try {
      onStatus(await api.deskRecoveryShown());
    } catch (error) {
      submit.disabled = false;
      showFieldError(form, 'recovery-written', errorText(error));
    }
  });
  return form;
}

/** Key problems the recovery code can solve (the file itself is fine). */
const RECOVERABLE = new Set(['key.not_found', 'key.store_unavailable', 'key.wrong_key']);

function errorScreen(status, onStatus) {
  const error = status.error;
  const recoverable = status.canRecover && error && RECOVERABLE.has(error.code);
  return h('div', {},
    errorDetails(status, error, recoverable),
    recoverable ? h('div', { class: 'recover-box' }, recoveryForm(status, onStatus)) : null);
}

function errorDetails(status, error, recoverable) {
  return h('div', { id: 'desk-error', role: 'alert' },
    h('h1', { text: t('lock.error.title') }),
    h('p', { class: 'lead', text: recoverable ? t('lock.error.introRecover') : t('lock.error.intro') }),
    h('div', { class: 'banner error' }, errorText(error)),
    h('dl', { class: 'facts' },
      h('dt', { text: t('lock.error.dbPath') }),
      h('dd', { class: 'mono', text: status.dbPath || t('common.none') }),
      error && error.code ? [h('dt', { text: t('lock.error.code') }), h('dd', { class: 'mono', text: error.code })] : null));
}
