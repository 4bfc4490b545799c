/**
 * The guided setup of a new database, in four short steps: where the data lives and how it is
 * protected (with a passphrase form when the computer has no credential store), the recovery
 * code, the coordinator's name for letters and the audit log, and the automatic backup folder.
 * The backend says whether the setup is pending (status.firstRun); finishing or skipping it
 * tells the backend, and the empty dashboard follows. An unfinished setup resumes at the name.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { field, clearErrors, showFieldErrors, showFieldError, focusControl } from '../form-ui.js';
import { setupScreen, recoveryCodeScreen } from './lock.js';
import { autoBackupForm } from './settings-backup.js';

const STEPS = ['key', 'recovery', 'name', 'backup'];

/** Which step a status calls for; `introSeen` is whether the first step was passed in this window. */
export function firstRunStep(status, introSeen = false) {
  if (status.state === 'setup') return 'key';
  if (status.state !== 'open') return null;
  if (status.recoveryCode) return status.firstRun && !introSeen ? 'key' : 'recovery';
  return status.firstRun ? 'name' : null;
}

let introSeen = false;
let nameDone = false;

/** Shows the step the status calls for. `onStatus` takes the next status (the shell's applyStatus). */
export function renderFirstRun(root, status, { onStatus }) {
  const step = status.state === 'open' && status.firstRun && !status.recoveryCode && nameDone
    ? 'backup'
    : firstRunStep(status, introSeen);
  const screens = { key: keyStep, recovery: recoveryStep, name: nameStep, backup: backupStep };
  const again = (next) => renderFirstRun(root, next, { onStatus });
  const content = screens[step](status, onStatus, again);
  replace(root, h('div', { class: 'lock-screen' },
    h('div', { class: 'lock-card first-run', id: 'first-run', 'data-step': step },
      h('div', { class: 'brand-title lock-brand', text: t('app.title') }),
      stepList(step),
      content)));
  const first = root.querySelector('#first-run input, #first-run button.primary');
  if (first) first.focus();
}

function stepList(current) {
  return h('ol', { class: 'first-run-steps', 'aria-label': t('firstRun.steps') },
    STEPS.map((step, i) => h('li', {
      class: step === current ? 'current' : (STEPS.indexOf(current) > i ? 'done' : ''),
      'aria-current': step === current ? 'step' : null,
    }, t('firstRun.stepN', { n: i + 1, name: t(`firstRun.step.${step}`) }))));
}

/** Where the data lives and what protects it; the passphrase form when there is no key store. */
function keyStep(status, onStatus, again) {
  const facts = h('dl', { class: 'facts' },
    h('dt', { text: t('firstRun.dbPath') }),
    h('dd', { id: 'first-run-db-path', class: 'mono', text: status.dbPath }),
    h('dt', { text: t('firstRun.protection') }),
    h('dd', { id: 'first-run-key-source', text: status.state === 'setup' ? t('firstRun.keyPassphraseNew') : t(`firstRun.key.${status.keySource}`) }));
  const intro = [
    h('h1', { text: t('firstRun.welcome') }),
    h('p', { class: 'lead', text: t('firstRun.intro') }),
    facts,
    h('p', { class: 'field-hint', text: t('firstRun.dbPathHint') }),
  ];
  if (status.state === 'setup') return h('div', {}, intro, setupScreen(status, onStatus));
  const next = h('button', { id: 'first-run-next', type: 'button', class: 'primary' }, t('firstRun.next'));
  next.addEventListener('click', () => {
    introSeen = true;
    again(status);
  });
  return h('div', {}, intro, h('div', { class: 'actions' }, next));
}

function recoveryStep(status, onStatus) {
  return recoveryCodeScreen(status, onStatus);
}

/**
 * The coordinator's name and contacts: they sign assessments, letters and minutes. An empty name
 * is refused (the backend says so under the field); the computer's user name never stands in.
 */
function nameStep(status, onStatus, again) {
  const input = h('input', { type: 'text', autocomplete: 'name', value: status.coordinatorName ?? '' });
  const phone = h('input', { type: 'text', autocomplete: 'tel', inputMode: 'tel', value: status.coordinatorPhone ?? '' });
  const email = h('input', { type: 'text', autocomplete: 'email', inputMode: 'email', value: status.coordinatorEmail ?? '' });
  const submit = h('button', { id: 'first-run-name-submit', type: 'submit', class: 'primary' }, t('firstRun.next'));
  const form = h('form', { id: 'first-run-name-form', novalidate: true },
    h('h1', { text: t('firstRun.nameTitle') }),
    h('p', { class: 'lead', text: t('firstRun.nameIntro') }),
    field({ id: 'first-run-coordinatorName', label: t('settings.coordinator'), control: input, hint: t('settings.coordinatorHint'), required: true }),
    field({ id: 'first-run-coordinatorPhone', label: t('settings.coordinatorPhone'), control: phone, hint: t('settings.coordinatorContactHint') }),
    field({ id: 'first-run-coordinatorEmail', label: t('settings.coordinatorEmail'), control: email }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    submit.disabled = true;
    try {
      const next = await api.setCoordinator(input.value, phone.value, email.value);
      nameDone = true;
      again(next);
    } catch (error) {
      // Locked while the setup stood open (the idle lock): the unlock screen, then on from here.
      if (error.code === api.LOCKED) return onStatus(await api.deskStatus());
      submit.disabled = false;
      const { placed } = showFieldErrors(form, error.fields, 'first-run-');
      if (placed.length === 0) showFieldError(form, 'first-run-coordinatorName', errorText(error));
      focusControl(form, placed[0] ?? 'first-run-coordinatorName');
    }
  });
  return form;
}

/** Daily encrypted backups to a folder (another disk or a network folder), or later in Settings. */
function backupStep(status, onStatus) {
  const message = h('p', { id: 'first-run-message', class: 'save-message', role: 'status' });
  const finish = h('button', { id: 'first-run-finish', type: 'button', class: 'secondary' }, t('firstRun.skipBackup'));
  const done = async () => {
    finish.disabled = true;
    try {
      const next = await api.deskFirstRunDone();
      introSeen = false;
      nameDone = false;
      onStatus(next);
    } catch (error) {
      if (error.code === api.LOCKED) return onStatus(await api.deskStatus());
      finish.disabled = false;
      message.className = 'save-message error-text';
      message.textContent = errorText(error);
    }
  };
  finish.addEventListener('click', done);
  const form = autoBackupForm({ enabled: false, folder: null, keep: 7, lastAt: null, lastError: null, files: [] }, {
    onConfigured: () => {
      finish.textContent = t('firstRun.finish');
      finish.className = 'primary';
      message.className = 'save-message';
      message.textContent = t('firstRun.backupOn');
      finish.focus();
    },
  });
  return h('div', {},
    h('h1', { text: t('firstRun.backupTitle') }),
    h('p', { class: 'lead', text: t('firstRun.backupIntro') }),
    form,
    message,
    h('div', { class: 'actions' }, finish));
}
