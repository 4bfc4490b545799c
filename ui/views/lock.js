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

export function renderLock(root, status, { onStatus }) {
  const screens = { setup: setupScreen, locked: unlockScreen, error: errorScreen };
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
  return reason === 'idle' ? t('lock.unlock.idle') : '';
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

function setupScreen(status, onStatus) {
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

function unlockScreen(status, onStatus) {
  const submit = h('button', { id: 'unlock-submit', type: 'submit', class: 'primary' }, t('lock.unlock.submit'));
  const reasonText = lockReasonText(status.lockReason);
  const reason = h('p', { id: 'unlock-reason', class: 'lock-reason', text: reasonText, hidden: reasonText === '' });
  if (status.keySource === 'keyring') {
    const form = h('form', { id: 'unlock-form', novalidate: true },
      h('h1', { text: t('lock.unlock.title') }),
      reason,
      h('p', { id: 'unlock-keyring', class: 'lead', text: t('lock.unlock.keyring') }),
      h('div', { id: 'unlock-error', class: 'field-error', role: 'alert', hidden: true }),
      h('div', { class: 'actions' }, submit));
    // The backend ignores the passphrase here and takes the key from the credential store.
    handleSubmit(form, submit, 'unlock', 'unlock-', () => api.deskUnlock(''), onStatus);
    return form;
  }
  const passphrase = passwordInput('current-password');
  const form = h('form', { id: 'unlock-form', novalidate: true },
    h('h1', { text: t('lock.unlock.title') }),
    reason,
    h('p', { class: 'lead', text: t('lock.unlock.intro') }),
    field({ id: 'unlock-passphrase', label: t('lock.unlock.passphrase'), control: passphrase, required: true }),
    h('div', { class: 'actions' }, submit));
  // The backend's field for this form is "passphrase".
  handleSubmit(form, submit, 'unlock-passphrase', 'unlock-',
    () => api.deskUnlock(passphrase.value), onStatus);
  return form;
}

function errorScreen(status) {
  const error = status.error;
  return h('div', { id: 'desk-error', role: 'alert' },
    h('h1', { text: t('lock.error.title') }),
    h('p', { class: 'lead', text: t('lock.error.intro') }),
    h('div', { class: 'banner error' }, errorText(error)),
    h('dl', { class: 'facts' },
      h('dt', { text: t('lock.error.dbPath') }),
      h('dd', { class: 'mono', text: status.dbPath || t('common.none') }),
      error && error.code ? [h('dt', { text: t('lock.error.code') }), h('dd', { class: 'mono', text: error.code })] : null));
}
