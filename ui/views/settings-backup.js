/**
 * Varukoopiad (Settings): a backup now, daily automatic backups to a chosen folder keeping the
 * newest N, and restoring a backup. Every backup is encrypted under a backup passphrase of its
 * own and restores on another computer with only that passphrase. Paths can be typed or picked
 * with the system dialog ("Vali…"). A restore keeps the current database aside, never over it.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText, getLanguage } from '../i18n/index.js';
import { field, clearErrors, showFieldErrors, showFieldError, focusControl } from '../form-ui.js';
import { formatDateTime, formatFileSize } from '../format.js';
import { cancelButton, watchProgress } from '../cancel.js';

const password = () => h('input', { type: 'password', autocomplete: 'new-password', spellcheck: false });
const pathInput = (id) => h('input', { id, type: 'text', class: 'mono', autocomplete: 'off', spellcheck: false });

/** A path field with a "Vali…" button that fills it from the system dialog. */
export function pathField({ id, label, hint, pick }) {
  const input = pathInput(id);
  const choose = h('button', { type: 'button', class: 'secondary', id: `${id}-choose` }, t('backup.choose'));
  choose.addEventListener('click', async () => {
    try {
      const picked = await pick();
      if (picked) input.value = picked;
    } catch (error) {
      showFieldError(input.closest('form'), id, errorText(error));
    }
  });
  const wrapped = field({ id, label, control: input, hint, required: true });
  const row = h('div', { class: 'path-row' });
  input.replaceWith(row);
  row.append(input, choose);
  return { input, element: wrapped };
}

/** Runs a form's action with its button disabled; field errors go next to their fields. */
export function onSubmit(form, button, prefix, fallbackId, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearErrors(form);
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await action();
    } catch (error) {
      const { placed } = showFieldErrors(form, error.fields, prefix);
      if (placed.length === 0) {
        showFieldError(form, fallbackId, errorText(error));
        placed.push(fallbackId);
      }
      focusControl(form, placed[0]);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
}

function backupNowForm() {
  const out = pathField({
    id: 'backup-out',
    label: t('backup.out'),
    hint: t('backup.outHint'),
    pick: () => api.chooseSavePath(`srt-desk-${new Date().toISOString().slice(0, 10)}.srtbackup`),
  });
  const pass = password();
  const confirm = password();
  const done = h('p', { id: 'backup-done', class: 'save-message', role: 'status' });
  const submit = h('button', { id: 'backup-submit', type: 'submit', class: 'primary' }, t('backup.now'));
  // A decade's desk takes a while to copy: how far it has come, and "Katkesta".
  const bar = h('progress', { id: 'backup-progress', max: 100, value: 0, hidden: true, 'aria-label': t('backup.progressLabel') });
  const cancel = cancelButton('backup-cancel');
  const form = h('form', { id: 'backup-form', novalidate: true },
    h('h3', { text: t('backup.nowTitle') }),
    out.element,
    field({ id: 'backup-passphrase', label: t('backup.passphrase'), control: pass, hint: t('backup.passphraseHint'), required: true }),
    field({ id: 'backup-confirm', label: t('backup.confirm'), control: confirm, required: true }),
    h('div', { class: 'actions left' }, submit, cancel.element),
    bar,
    done);
  onSubmit(form, submit, 'backup-', 'backup-out', async () => {
    done.textContent = '';
    bar.value = 0;
    const stopWatching = watchProgress((p) => {
      bar.hidden = false;
      bar.value = Math.floor((100 * p.done) / p.total);
      done.textContent = t('backup.progress', { percent: bar.value });
    });
    cancel.running(true);
    try {
      const info = await api.backupNow(out.input.value, pass.value, confirm.value);
      pass.value = '';
      confirm.value = '';
      done.textContent = t('backup.written', { path: info.path, size: formatFileSize(info.bytes, getLanguage()) });
    } catch (error) {
      done.textContent = '';
      throw error;
    } finally {
      stopWatching();
      cancel.running(false);
      bar.hidden = true;
    }
  });
  return form;
}

function autoStatusView(st) {
  if (!st.enabled) return h('p', { id: 'auto-backup-state', class: 'muted', text: t('backup.autoOff') });
  return h('div', { id: 'auto-backup-state' },
    h('p', { text: t('backup.autoOn', { folder: st.folder, keep: st.keep }) }),
    h('p', { id: 'auto-backup-last', text: st.lastAt ? t('backup.autoLast', { at: formatDateTime(st.lastAt) }) : t('backup.autoNever') }),
    st.lastError ? h('div', { id: 'auto-backup-error', class: 'banner error', role: 'alert', text: errorText({ message: st.lastError }) }) : null,
    st.files.length
      ? h('ul', { id: 'auto-backup-files', class: 'file-list mono' }, st.files.map((f) => h('li', { text: `${f.name} (${formatFileSize(f.bytes, getLanguage())})` })))
      : null);
}

/** Also the first run's backup step, which goes on when `onConfigured` is told. */
export function autoBackupForm(initial, { onConfigured } = {}) {
  const folder = pathField({
    id: 'auto-folder',
    label: t('backup.folder'),
    hint: t('backup.folderHint'),
    pick: () => api.chooseFolder(),
  });
  folder.input.value = initial.folder ?? '';
  const keep = h('input', { type: 'number', min: 1, max: 90, step: 1, value: String(initial.keep ?? 7), inputmode: 'numeric' });
  const pass = password();
  const confirm = password();
  const state = h('div', {}, autoStatusView(initial));
  const submit = h('button', { id: 'auto-submit', type: 'submit', class: 'primary' }, initial.enabled ? t('backup.autoChange') : t('backup.autoEnable'));
  const off = h('button', { id: 'auto-disable', type: 'button', class: 'secondary', hidden: !initial.enabled }, t('backup.autoDisable'));
  const form = h('form', { id: 'auto-backup-form', novalidate: true },
    h('h3', { text: t('backup.autoTitle') }),
    h('p', { class: 'field-hint', text: t('backup.autoIntro') }),
    state,
    folder.element,
    field({ id: 'auto-keep', label: t('backup.keep'), control: keep, hint: t('backup.keepHint'), required: true }),
    field({ id: 'auto-passphrase', label: t('backup.passphrase'), control: pass, hint: t('backup.passphraseHint'), required: true }),
    field({ id: 'auto-confirm', label: t('backup.confirm'), control: confirm, required: true }),
    h('div', { class: 'actions left' }, submit, off));
  const show = (st) => {
    replace(state, autoStatusView(st));
    submit.textContent = st.enabled ? t('backup.autoChange') : t('backup.autoEnable');
    off.hidden = !st.enabled;
  };
  onSubmit(form, submit, 'auto-', 'auto-folder', async () => {
    const keepValue = Number.parseInt(keep.value, 10);
    const st = await api.autoBackupConfigure(folder.input.value, Number.isNaN(keepValue) ? 0 : keepValue, pass.value, confirm.value);
    pass.value = '';
    confirm.value = '';
    show(st);
    if (onConfigured) onConfigured(st);
  });
  off.addEventListener('click', async () => {
    try {
      show(await api.autoBackupDisable());
    } catch (error) {
      showFieldError(form, 'auto-folder', errorText(error));
    }
  });
  return form;
}

function restoreForm(status, ctx) {
  const from = pathField({
    id: 'restore-from',
    label: t('backup.from'),
    hint: t('backup.fromHint'),
    pick: () => api.chooseFile(t('backup.fileFilter'), ['srtbackup']),
  });
  const backupPass = h('input', { type: 'password', autocomplete: 'off', spellcheck: false });
  const needsPassphrase = status.keySource === 'passphrase';
  const newPass = password();
  const confirm = password();
  const understood = h('input', { type: 'checkbox', id: 'restore-understood' });
  const submit = h('button', { id: 'restore-submit', type: 'submit', class: 'danger' }, t('backup.restore'));
  const form = h('form', { id: 'restore-form', novalidate: true },
    h('h3', { text: t('backup.restoreTitle') }),
    h('p', { class: 'field-hint', text: t('backup.restoreIntro') }),
    from.element,
    field({ id: 'restore-backupPassphrase', label: t('backup.passphrase'), control: backupPass, required: true }),
    needsPassphrase ? [
      field({ id: 'restore-passphrase', label: t('backup.newPassphrase'), control: newPass, hint: t('backup.newPassphraseHint'), required: true }),
      field({ id: 'restore-confirm', label: t('backup.newConfirm'), control: confirm, required: true }),
    ] : null,
    h('div', { class: 'field checkbox-field' },
      h('label', { for: 'restore-understood' }, understood, ' ', t('backup.restoreUnderstood')),
      h('div', { id: 'restore-understood-error', class: 'field-error', hidden: true })),
    h('div', { class: 'actions left' }, submit));
  onSubmit(form, submit, 'restore-', 'restore-from', async () => {
    if (!understood.checked) {
      const error = new Error('confirm');
      error.fields = [{ field: 'understood', code: 'backup.confirm_restore', message: { et: t('backup.restoreTickFirst'), en: t('backup.restoreTickFirst') } }];
      throw error;
    }
    const next = await api.backupRestore(from.input.value, backupPass.value, newPass.value, confirm.value);
    ctx.applyStatus(next);
  });
  return form;
}

export async function backupSection(status, ctx) {
  let auto;
  try {
    auto = await api.autoBackupStatus();
  } catch (error) {
    auto = { enabled: false, folder: null, keep: 7, lastAt: null, lastError: error.message, files: [] };
  }
  return h('section', { class: 'card narrow', id: 'backup-section' },
    h('h2', { text: t('backup.title') }),
    h('p', { class: 'lead', text: t('backup.intro') }),
    backupNowForm(),
    h('hr'),
    autoBackupForm(auto),
    h('hr'),
    restoreForm(status, ctx));
}
