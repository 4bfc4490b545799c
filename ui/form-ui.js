/**
 * DOM side of forms: a labelled field with hint and error slot, and showing/clearing
 * the errors the backend returned. Error element id = control id + "-error".
 */
import { h, replace } from './dom.js';
import { t, localized, errorText } from './i18n/index.js';
import { groupFieldErrors } from './field-errors.js';
import { markTyped } from './typed-drafts.js';

/**
 * A field: label above, optional hint, the control, and an (initially hidden) error line.
 * The control gets aria-describedby pointing at hint and error.
 */
export function field({ id, label, control, hint, required = false, extra = null, className = '' }) {
  const hintEl = hint ? h('div', { id: `${id}-hint`, class: 'field-hint', text: hint }) : null;
  const errorEl = h('div', { id: `${id}-error`, class: 'field-error', hidden: true });
  const describedBy = [hintEl ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.id = id;
  control.setAttribute('aria-describedby', describedBy);
  if (required) control.setAttribute('aria-required', 'true');
  const labelEl = h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null);
  return h('div', { class: `field ${className}`.trim() }, labelEl, hintEl, control, extra, errorEl);
}

/** Shows one message under a control (by control id). Returns false when there is no slot. */
export function showFieldError(root, id, text) {
  const errorEl = root.querySelector(`#${CSS.escape(id)}-error`);
  if (!errorEl) return false;
  errorEl.textContent = text;
  errorEl.hidden = false;
  const control = root.querySelector(`#${CSS.escape(id)}`);
  if (control) control.setAttribute('aria-invalid', 'true');
  return true;
}

export function clearFieldError(root, id) {
  const errorEl = root.querySelector(`#${CSS.escape(id)}-error`);
  if (errorEl) {
    errorEl.textContent = '';
    errorEl.hidden = true;
  }
  const control = root.querySelector(`#${CSS.escape(id)}`);
  if (control) control.removeAttribute('aria-invalid');
}

export function clearErrors(root) {
  for (const el of root.querySelectorAll('.field-error')) {
    el.textContent = '';
    el.hidden = true;
  }
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * Puts each backend field error under its control. Returns
 * {placed: [ids in document order], unplaced: [{path, text}]} so the caller can
 * summarise the rest and focus the first.
 */
export function showFieldErrors(root, fields, prefix = '') {
  // A refused save: what is in the form is still not saved (kept over a lock, typed-drafts.js).
  markTyped(root);
  const placed = [];
  const unplaced = [];
  for (const group of groupFieldErrors(fields, prefix)) {
    const text = group.messages.map(localized).filter(Boolean).join(' ');
    if (showFieldError(root, group.id, text)) placed.push(group.id);
    else unplaced.push({ path: group.path, text });
  }
  const position = (id) => root.querySelector(`#${CSS.escape(id)}`);
  placed.sort((a, b) => {
    const ea = position(a);
    const eb = position(b);
    if (!ea || !eb) return 0;
    return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  return { placed, unplaced };
}

/** The control to focus for an error slot: the control itself, or the first control inside a group. */
export function focusControl(root, id) {
  const el = root.querySelector(`#${CSS.escape(id)}`);
  if (!el) return;
  const target = el.matches('input, select, textarea, button') ? el : el.querySelector('input, select, textarea, button');
  (target || el).focus();
}

/** A status pill; the data-status attribute lets CSS colour it. */
export function statusPill(status, props = {}) {
  return h('span', { class: 'pill', 'data-status': status, ...props }, t(`status.${status}`));
}

/**
 * Shows a failed submit: field errors under their controls, anything without a control
 * (or an error without fields) in `general`; focuses the first control with an error.
 * `prefix`: see groupFieldErrors. Returns the ids that got a message.
 */
export function showSubmitErrors(form, error, general, prefix = '') {
  const { placed, unplaced } = showFieldErrors(form, error.fields, prefix);
  const rest = [placed.length === 0 ? errorText(error) : null, ...unplaced.map((u) => u.text)].filter(Boolean);
  if (general) {
    general.textContent = rest.join(' ');
    general.hidden = rest.length === 0;
  }
  if (placed.length) focusControl(form, placed[0]);
  return placed;
}

/** Reads a form's controls into a plain object keyed by control id (buttons left out). */
export function readValues(form) {
  const values = {};
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (el.id && el.type !== 'radio' && el.type !== 'checkbox') values[el.id] = el.value;
  }
  return values;
}

/** A section card with an id, a heading and content. */
export function sectionCard(id, title, ...content) {
  return h('section', { id, class: 'card', 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading`, text: title }), content);
}

/** The words a summary line names a field by: its label (with its group's legend), else its aria-label. */
function fieldName(form, id) {
  const control = form.querySelector(`#${CSS.escape(id)}`);
  const label = form.querySelector(`label[for="${CSS.escape(id)}"]`);
  const group = control?.closest('fieldset.guardian')?.querySelector('legend')?.textContent;
  const own = label ? label.firstChild.textContent : control?.getAttribute('aria-label');
  return [group, own].filter(Boolean).join(' – ');
}

/**
 * The error summary at the top of a form: a heading and one line per field that has an error,
 * "<label>: <message>", each moving the focus to its field; an error without fields is said in
 * one paragraph. The application form and the invoice form show their refused saves this way.
 * Put `element` inside the form (first); the form is found from it when an error is shown.
 * Returns {element, show(error, prefix), showFields(placed, unplaced), showText(...children), hide()}.
 */
export function errorSummary(id = 'form-error') {
  const element = h('div', { id, class: 'form-summary', role: 'alert', tabindex: -1, hidden: true });
  const formOf = () => element.closest('form') ?? element.parentElement;
  const hide = () => {
    element.hidden = true;
    replace(element);
  };
  const showText = (...children) => {
    element.hidden = false;
    replace(element, children);
    element.focus();
  };
  const line = (fieldId) => {
    const form = formOf();
    const message = form.querySelector(`#${CSS.escape(fieldId)}-error`)?.textContent ?? '';
    const name = fieldName(form, fieldId);
    const link = h('button', { type: 'button', class: 'link', 'data-field': fieldId }, name ? `${name}: ${message}` : message);
    link.addEventListener('click', () => focusControl(form, fieldId));
    return h('li', {}, link);
  };
  const showFields = (placed, unplaced) => {
    element.hidden = false;
    replace(element,
      h('h2', { text: t('error.formSummary') }),
      h('ul', {}, placed.map(line), unplaced.map((u) => h('li', { text: u.text }))));
    if (placed.length) focusControl(formOf(), placed[0]);
    else element.focus();
  };
  const show = (error, prefix = '') => {
    if (error?.code === 'validation' && error.fields?.length) {
      const { placed, unplaced } = showFieldErrors(formOf(), error.fields, prefix);
      showFields(placed, unplaced);
    } else {
      showText(h('p', { text: errorText(error) }));
    }
  };
  return { element, show, showFields, showText, hide };
}
