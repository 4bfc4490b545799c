/**
 * Seaded → Allkirjastamine ja saatmine: the ID-card's PKCS#11 module and slot, who may sign
 * besides the coordinator named on the letter, the trust anchors (CA certificates, added from
 * files), the time-stamp and OCSP services, and the Board's SMTP server. The SMTP password goes
 * to the OS credential store and is never shown again; the section only says whether one is
 * kept. The backend checks every field and says what is wrong under it.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';

const SECURITIES = ['starttls', 'tls', 'none'];
const id = (name) => `signing-settings-${name}`;

const TEXT_FIELDS = [
  ['pkcs11Module', 'input'],
  ['pkcs11Slot', 'input'],
  ['allowedSigners', 'textarea'],
  ['trustAnchors', 'pem'],
  ['tsaUrl', 'input'],
  ['ocspUrl', 'input'],
  ['smtpHost', 'input'],
  ['smtpPort', 'input'],
  ['smtpSecurity', 'select'],
  ['smtpUser', 'input'],
  ['smtpFrom', 'input'],
  ['smtpCa', 'pem'],
];

/** The slot as the backend takes it: empty is none; anything but a whole number is refused there. */
const slotValue = (text) => (text.trim() === '' ? null : (/^\d+$/.test(text.trim()) ? Number(text.trim()) : -1));
const portValue = (text) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : 0);

function control(name, kind, value) {
  if (kind === 'select') {
    return h('select', {}, SECURITIES.map((s) => h('option', { value: s, selected: s === value }, t(`signingDesk.security.${s}`))));
  }
  if (kind === 'textarea' || kind === 'pem') {
    return h('textarea', { rows: kind === 'pem' ? 6 : 3, class: kind === 'pem' ? 'mono' : '', spellcheck: false, value: value ?? '' });
  }
  return h('input', { type: 'text', autocomplete: 'off', spellcheck: false, value: value == null ? '' : String(value) });
}

export async function signingSection() {
  const box = h('section', { id: 'signing-settings', class: 'card', 'aria-labelledby': 'signing-settings-heading' });
  const heading = h('h2', { id: 'signing-settings-heading', text: t('signingDesk.settingsTitle') });
  let view;
  try {
    view = await api.signingSettingsGet();
  } catch (error) {
    replace(box, heading, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return box;
  }
  render(box, heading, view, '');
  return box;
}

function render(box, heading, view, notice) {
  const s = view.settings;
  const controls = Object.fromEntries(TEXT_FIELDS.map(([name, kind]) => [name, control(name, kind, s[name])]));
  const sendB = h('input', { type: 'checkbox', id: id('sendBLevel'), checked: !!s.sendBLevel });
  const message = h('p', { id: 'signing-settings-message', class: 'save-message', role: 'status', text: notice });
  const general = h('div', { id: 'signing-settings-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'signing-settings-save', type: 'submit', class: 'primary' }, t('signingDesk.save'));
  const addCa = h('button', { id: 'signing-settings-addCa', type: 'button', class: 'secondary small-button' }, t('signingDesk.addCa'));
  const hintOf = (name) => (['pkcs11Module', 'pkcs11Slot', 'allowedSigners', 'trustAnchors', 'tsaUrl', 'ocspUrl', 'smtpCa'].includes(name)
    ? t(`signingDesk.hint.${name}`) : undefined);
  const fieldOf = (name, className = '') => field({
    id: id(name), label: t(`signingDesk.field.${name}`), hint: hintOf(name), control: controls[name], className,
    extra: name === 'trustAnchors' ? h('div', { class: 'actions left' }, addCa) : null,
  });
  const form = h('form', { id: 'signing-settings-form', novalidate: true },
    h('h3', { text: t('signingDesk.signingPart') }),
    h('div', { class: 'grid-2' },
      fieldOf('pkcs11Module'), fieldOf('pkcs11Slot'),
      fieldOf('allowedSigners', 'span-2'), fieldOf('trustAnchors', 'span-2'),
      fieldOf('tsaUrl'), fieldOf('ocspUrl')),
    h('h3', { text: t('signingDesk.smtpPart') }),
    h('div', { class: 'grid-2' },
      fieldOf('smtpHost'), fieldOf('smtpPort'), fieldOf('smtpSecurity'), fieldOf('smtpUser'),
      fieldOf('smtpFrom', 'span-2'), fieldOf('smtpCa', 'span-2')),
    h('div', { class: 'field checkbox-field' }, h('label', { for: id('sendBLevel') }, sendB, ' ', t('signingDesk.field.sendBLevel'))),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    clearErrors(form);
    general.hidden = true;
    message.textContent = '';
    const value = (name) => controls[name].value;
    const settings = {
      ...s,
      ...Object.fromEntries(TEXT_FIELDS.map(([name]) => [name, value(name)])),
      pkcs11Slot: slotValue(value('pkcs11Slot')),
      smtpPort: portValue(value('smtpPort')),
      sendBLevel: sendB.checked,
    };
    try {
      const next = await api.signingSettingsSave(settings);
      render(box, heading, next, t('signingDesk.saved'));
      box.querySelector('#signing-settings-message')?.focus();
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, id);
    }
  });
  addCa.addEventListener('click', async () => {
    clearErrors(form);
    try {
      const path = await api.chooseFile(t('signingDesk.caFilter'), ['pem', 'crt', 'cer', 'der']);
      if (!path) return;
      const next = await api.signingTrustAddFile(path);
      // What was typed in the other fields stays; the anchors are the backend's answer.
      controls.trustAnchors.value = next.settings.trustAnchors;
      message.textContent = t('signingDesk.caAdded');
    } catch (error) {
      showSubmitErrors(form, error, general, id);
    }
  });
  replace(box,
    heading,
    h('p', { class: 'field-hint', text: t('signingDesk.intro') }),
    form,
    message,
    passwordForm(view, (next, text) => render(box, heading, next, text)));
}

/** The SMTP password: written to the OS credential store, then only "saved" is shown. */
function passwordForm(view, onSaved) {
  const input = h('input', { type: 'password', autocomplete: 'new-password' });
  const state = h('p', {
    id: 'signing-smtp-password-state', class: 'field-hint', 'data-saved': String(!!view.smtpPasswordSaved),
    text: t(view.smtpPasswordSaved ? 'signingDesk.passwordSaved' : 'signingDesk.passwordMissing'),
  });
  const general = h('div', { id: 'signing-smtp-password-general', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'signing-smtp-password-save', type: 'submit', class: 'secondary' }, t('signingDesk.passwordSave'));
  const form = h('form', { id: 'signing-smtp-password-form', class: 'inline-form', novalidate: true },
    h('h4', { text: t('signingDesk.passwordTitle') }),
    state,
    field({ id: 'signing-smtp-password', label: t('signingDesk.field.smtpPassword'), control: input, hint: t('signingDesk.hint.smtpPassword') }),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    clearErrors(form);
    general.hidden = true;
    const typed = input.value;
    input.value = '';
    try {
      const next = await api.signingSmtpPasswordSave(typed);
      onSaved(next, t('signingDesk.passwordStored'));
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, (f) => (f === 'smtpPassword' ? 'signing-smtp-password' : `signing-smtp-${f}`));
    }
  });
  return form;
}
