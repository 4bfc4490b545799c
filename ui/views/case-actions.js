/**
 * Actions next to the status box: "request missing documents" (offered when the backend
 * allows moving the case to incomplete) and "documents received" (when it is incomplete).
 * Each opens a small inline form; the backend answers with the updated case.
 */
import * as api from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { todayDisplay, personName } from '../format.js';
import { field, clearErrors, showSubmitErrors, readValues } from '../form-ui.js';
import { serialiseDocumentRequest, serialiseDocumentsReceived, receivedFieldId } from '../casework.js';

/** The actions card, or null when no action applies. `onDone(detail, notice)` re-renders the case. */
export function actionsCard(detail, onDone) {
  const canRequest = (detail.allowedTransitions ?? []).some((tr) => tr.to === 'incomplete');
  const canReceive = detail.status === 'incomplete';
  if (!canRequest && !canReceive) return null;
  return h('section', { class: 'card case-actions', 'aria-labelledby': 'case-actions-heading' },
    h('h2', { id: 'case-actions-heading', text: t('case.actions') }),
    canRequest ? requestAction(detail, onDone) : null,
    canReceive ? receivedAction(detail, onDone) : null);
}

/** A button that shows/hides its form, with aria-expanded kept in step. */
function toggled(buttonId, label, form, firstControl) {
  const button = h('button', {
    id: buttonId, type: 'button', class: 'secondary wide', 'aria-expanded': 'false', 'aria-controls': form.id,
  }, label);
  form.hidden = true;
  const set = (open) => {
    form.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) firstControl.focus();
  };
  button.addEventListener('click', () => set(form.hidden));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      set(false);
      button.focus();
    }
  });
  const cancel = h('button', { type: 'button', class: 'link' }, t('common.cancel'));
  cancel.addEventListener('click', () => {
    set(false);
    button.focus();
  });
  return { button, cancel };
}

function submitting(form, submit, general, call, prefix, onDone) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    try {
      await onDone(await call(readValues(form)));
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, prefix);
    }
  });
}

function requestAction(detail, onDone) {
  const guardian = (detail.guardians ?? [])[0];
  const what = h('textarea', { rows: 4 });
  const recipient = h('input', { type: 'text', value: guardian ? personName(guardian.firstName, guardian.lastName) : '' });
  const sentOn = h('input', { type: 'text', value: todayDisplay(), autocomplete: 'off' });
  const dueDate = h('input', { type: 'text', autocomplete: 'off', placeholder: t('form.dateHint') });
  const general = h('div', { id: 'request-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'request-submit', type: 'submit', class: 'primary' }, t('request.submit'));
  const form = h('form', { id: 'request-form', class: 'inline-form', novalidate: true });
  const { button, cancel } = toggled('request-documents', t('request.open'), form, what);
  form.append(
    field({ id: 'request-what', label: t('request.what'), control: what, required: true }),
    field({ id: 'request-recipient', label: t('request.recipient'), control: recipient, required: true }),
    field({ id: 'request-sentOn', label: t('request.sentOn'), control: sentOn, hint: t('form.dateHint'), required: true }),
    field({ id: 'request-dueDate', label: t('request.dueDate'), control: dueDate, hint: t('form.dateHint'), required: true }),
    general,
    h('div', { class: 'actions left' }, submit, cancel));
  submitting(form, submit, general,
    (values) => api.caseRequestDocuments(detail.id, serialiseDocumentRequest(values)),
    'request-',
    (updated) => onDone(updated, t('request.done')));
  return h('div', { class: 'action' }, button, form);
}

function receivedAction(detail, onDone) {
  const on = h('input', { type: 'text', value: todayDisplay(), autocomplete: 'off' });
  const note = h('textarea', { rows: 3 });
  const general = h('div', { id: 'received-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'received-submit', type: 'submit', class: 'primary' }, t('received.submit'));
  const form = h('form', { id: 'received-form', class: 'inline-form', novalidate: true });
  const { button, cancel } = toggled('documents-received', t('received.open'), form, on);
  form.append(
    field({ id: 'received-on', label: t('received.on'), control: on, hint: t('form.dateHint'), required: true }),
    field({ id: 'received-note', label: t('received.note'), control: note }),
    general,
    h('div', { class: 'actions left' }, submit, cancel));
  submitting(form, submit, general,
    (values) => {
      const { receivedOn, note: text } = serialiseDocumentsReceived(values);
      return api.caseDocumentsReceived(detail.id, receivedOn, text);
    },
    receivedFieldId,
    (updated) => onDone(updated, t('received.done')));
  return h('div', { class: 'action' }, button, form);
}
