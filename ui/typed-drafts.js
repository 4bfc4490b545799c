/**
 * What was typed into a form that is saved only when sent (a new task, an application, a contact
 * note, a provider's details) lives only in this document. When the desk locks, the changed
 * fields of the page's forms are kept here, in memory, and the lock screen is drawn in place
 * instead of loading a fresh page (which would lose them); when the same page is drawn again after
 * unlocking, they are put back. Passphrase fields are never kept, and neither are the forms that
 * save themselves while typing (their text is already in the desk).
 */

const SAVED_WHILE_TYPING = new Set(['assessment-form', 'decision-form']);

let kept = null; // { hash, forms: Map<formKey, Map<fieldId, value>> }

function formKey(form) {
  return form.dataset.draftKey || form.id || '';
}

function valueOf(el) {
  if (el.type === 'checkbox' || el.type === 'radio') return el.checked;
  return el.value;
}

// Each field's value when it first had the focus: what the page drew there (the views set
// values as properties, so `defaultValue` does not tell). A field never focused was not typed in.
const atFocus = new WeakMap();
if (typeof document !== 'undefined') {
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    if (el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && !atFocus.has(el)) atFocus.set(el, valueOf(el));
  }, true);
}

function isChanged(el) {
  return atFocus.has(el) && atFocus.get(el) !== valueOf(el);
}

// The forms typed into since they were last sent. Sending hands the text to the view's save;
// a save that fails shows the form's errors, which marks it typed again (form-ui.js).
const typedForms = new WeakSet();
/** The text of `el`'s form (a field's form, or the form itself: closest() includes it) is not
 * saved: typed in, or its save was refused. */
export function markTyped(el) {
  const form = el?.form ?? el?.closest?.('form') ?? null;
  if (form) typedForms.add(form);
}
if (typeof document !== 'undefined') {
  const typedIn = (event) => markTyped(event.target);
  document.addEventListener('input', typedIn, true);
  document.addEventListener('change', typedIn, true);
  document.addEventListener('submit', (event) => typedForms.delete(event.target), true);
}

/** The changed fields of `root`'s forms: form key -> (field id -> value). */
function typedFields(root) {
  const forms = new Map();
  if (!root) return forms;
  for (const form of root.querySelectorAll('form')) {
    const key = formKey(form);
    if (!key || SAVED_WHILE_TYPING.has(form.id) || !typedForms.has(form)) continue;
    const fields = new Map();
    for (const el of form.querySelectorAll('input[id], select[id], textarea[id]')) {
      if (el.type === 'password' || el.type === 'file' || el.type === 'hidden' || el.disabled) continue;
      if (isChanged(el)) fields.set(el.id, valueOf(el));
    }
    if (fields.size > 0) forms.set(key, fields);
  }
  return forms;
}

/** Whether anything typed into `root`'s forms is not saved (nothing is kept). */
export const hasTyped = (root) => typedFields(root).size > 0;

/**
 * Keeps the changed fields of `root`'s forms under `hash`; true when anything was kept.
 * A field is kept by its id, within a form known by `data-draft-key` or its id.
 */
export function keepTyped(root, hash) {
  const forms = typedFields(root);
  kept = forms.size > 0 ? { hash, forms } : null;
  return kept !== null;
}

/** The keys of the forms kept for `hash`: a view opens such a form (a task being edited) before
 * the fields are put back. */
export function keptFormKeys(hash) {
  return kept && kept.hash === hash ? new Set(kept.forms.keys()) : new Set();
}

/**
 * Puts what was kept back into `root`'s forms when `hash` is the page it was kept on, each field
 * announced with an input or change event as if typed (so a view's own draft follows it); what
 * was kept is then forgotten, put back or not. Returns how many fields were put back.
 */
export function restoreTyped(root, hash) {
  const was = kept;
  kept = null;
  if (!was || was.hash !== hash || !root) return 0;
  let n = 0;
  for (const form of root.querySelectorAll('form')) {
    const fields = was.forms.get(formKey(form));
    if (!fields) continue;
    for (const [id, value] of fields) {
      const el = form.querySelector(`#${CSS.escape(id)}`);
      if (!el) continue;
      if (el.type === 'checkbox' || el.type === 'radio') el.checked = Boolean(value);
      else el.value = value;
      el.dispatchEvent(new Event(el.tagName === 'SELECT' || el.type === 'checkbox' || el.type === 'radio' ? 'change' : 'input', { bubbles: true }));
      n += 1;
    }
  }
  return n;
}
