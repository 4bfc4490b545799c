/**
 * "Dokumendid": the case's register of incoming and outgoing documents, with files attached
 * through the system's file dialog. Registering, status and files go through the backend;
 * errors about a document are shown in the row under it.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText, getLanguage } from '../i18n/index.js';
import { todayDisplay, formatDate, formatFileSize } from '../format.js';
import {
  field, clearErrors, showSubmitErrors, readValues,
} from '../form-ui.js';
import {
  DOCUMENT_DIRECTIONS, DOCUMENT_TYPES, ATTACHMENT_EXTENSIONS, serialiseDocument,
} from '../casework.js';

/** Fills `box` (the #documents section). `onChanged()` is told when the register changed. */
export async function loadDocuments(box, caseId, { onChanged }) {
  let list;
  try {
    list = await api.documentList(caseId);
  } catch (error) {
    replace(box, h('h2', { id: 'documents-heading', text: t('documents.title') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  renderDocuments(box, caseId, list, { onChanged });
}

function renderDocuments(box, caseId, initial, { onChanged }) {
  let documents = [...initial];
  const message = h('p', { id: 'documents-message', class: 'save-message', role: 'status' });
  const tableBox = h('div', { class: 'table-wrap' });
  const addButton = h('button', {
    id: 'document-add', type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'document-form',
  }, t('documents.add'));
  const form = documentForm();
  form.hidden = true;

  const setFormOpen = (open) => {
    form.hidden = !open;
    addButton.setAttribute('aria-expanded', String(open));
    if (open) form.querySelector('#document-direction').focus();
  };
  addButton.addEventListener('click', () => setFormOpen(form.hidden));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      setFormOpen(false);
      addButton.focus();
    }
  });
  form.querySelector('[data-cancel]').addEventListener('click', () => {
    setFormOpen(false);
    addButton.focus();
  });

  const general = form.querySelector('#document-form-error');
  const submit = form.querySelector('#document-submit');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    try {
      const added = await api.documentAdd(caseId, serialiseDocument(readValues(form)));
      documents = [...documents, added];
      form.reset();
      form.querySelector('#document-docDate').value = todayDisplay();
      setFormOpen(false);
      renderTable();
      say(t('document.added', { regNo: added.regNo }));
      addButton.focus();
      onChanged();
    } catch (error) {
      showSubmitErrors(form, error, general, 'document-');
    } finally {
      submit.disabled = false;
    }
  });

  function say(text, isError = false) {
    message.className = isError ? 'save-message error-text' : 'save-message';
    message.textContent = text;
  }

  function update(doc) {
    documents = documents.map((d) => (d.id === doc.id ? doc : d));
    renderTable();
  }

  function rowError(id, error) {
    const slot = tableBox.querySelector(`#document-${id}-error`);
    if (!slot) return;
    slot.textContent = error ? errorText(error) : '';
    slot.closest('tr').hidden = !error;
  }

  /** Runs a row action; on failure the message goes under the row and focus stays put. */
  async function rowAction(id, action, focusSelector) {
    rowError(id, null);
    try {
      const result = await action();
      if (result && typeof result === 'object' && result.id === id) update(result);
      if (focusSelector) tableBox.querySelector(focusSelector)?.focus();
      return true;
    } catch (error) {
      rowError(id, error);
      return false;
    }
  }

  tableBox.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    const id = Number(button.dataset.documentId);
    const { action } = button.dataset;
    say('');
    button.disabled = true;
    try {
      if (action === 'status') {
        const to = button.dataset.to;
        await rowAction(id, () => api.documentSetStatus(id, to), `button[data-action="status"][data-document-id="${id}"]`);
        onChanged();
      } else if (action === 'attach') {
        const path = await api.chooseFile(t('document.attachFilter'), ATTACHMENT_EXTENSIONS).catch((error) => {
          rowError(id, error);
          return null;
        });
        if (!path) return;
        button.textContent = t('document.attaching');
        const ok = await rowAction(id, () => api.documentAttach(id, path), `button[data-action="attach"][data-document-id="${id}"]`);
        if (ok) {
          say(t('document.attached', { name: path.split(/[\\/]/).pop() }));
          onChanged();
        }
      } else if (action === 'open') {
        await rowAction(id, () => api.attachmentOpen(Number(button.dataset.attachmentId)));
      } else if (action === 'save') {
        const path = await api.chooseSavePath(button.dataset.fileName).catch((error) => {
          rowError(id, error);
          return null;
        });
        if (!path) return;
        if (await rowAction(id, () => api.attachmentSave(Number(button.dataset.attachmentId), path))) {
          say(t('attachment.saved'));
        }
      }
    } finally {
      if (button.isConnected) {
        button.disabled = false;
        if (action === 'attach') button.textContent = t('document.attach');
      }
    }
  });

  function renderTable() {
    if (documents.length === 0) {
      replace(tableBox, h('p', { class: 'muted', id: 'documents-empty', text: t('documents.none') }));
      return;
    }
    const cols = ['title', 'docDate', 'party', 'dueDate', 'status', 'files', 'actions'];
    replace(tableBox, h('table', { id: 'documents-table', class: 'data-table documents-table' },
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', text: t(`documents.col.${k}`) })))),
      h('tbody', {}, documents.flatMap((doc) => documentRows(doc, cols.length)))));
  }

  replace(box,
    h('div', { class: 'section-head' },
      h('h2', { id: 'documents-heading', text: t('documents.title') }),
      addButton),
    form,
    message,
    tableBox);
  renderTable();
}

function documentRows(doc, colCount) {
  const idAttr = { 'data-document-id': String(doc.id) };
  const statusTo = doc.status === 'done' ? 'open' : 'done';
  const row = h('tr', { class: 'document-row', ...idAttr, 'data-status': doc.status, 'data-direction': doc.direction },
    h('td', {},
      h('div', { class: 'strong', text: doc.title }),
      h('div', { class: 'small muted' },
        h('span', { class: `direction direction-${doc.direction}`, text: t(`direction.${doc.direction}`) }),
        ' · ', doc.docType ? t(`docType.${doc.docType}`) : ''),
      doc.notes ? h('div', { class: 'small notes', text: doc.notes }) : null),
    h('td', { class: 'nowrap' },
      h('div', { text: formatDate(doc.docDate) }),
      h('div', { class: 'mono small', text: doc.regNo })),
    h('td', { text: doc.party || t('common.none') }),
    h('td', { class: 'nowrap', text: doc.dueDate ? formatDate(doc.dueDate) : t('common.none') }),
    h('td', {}, h('span', { class: 'pill doc-status', 'data-doc-status': doc.status, text: t(`docStatus.${doc.status}`) })),
    h('td', {}, (doc.attachments ?? []).length === 0 ? t('common.none') : h('ul', { class: 'files' },
      doc.attachments.map((a) => h('li', { class: 'file', 'data-attachment-id': String(a.id) },
        h('button', {
          type: 'button', class: 'link', ...idAttr, 'data-action': 'open', 'data-attachment-id': String(a.id),
          'aria-label': t('attachment.open', { name: a.fileName }),
        }, a.fileName),
        h('span', { class: 'small muted', text: ` ${formatFileSize(a.size, getLanguage())} ` }),
        h('button', {
          type: 'button', class: 'link small', ...idAttr, 'data-action': 'save', 'data-attachment-id': String(a.id),
          'data-file-name': a.fileName, 'aria-label': t('attachment.saveN', { name: a.fileName }),
        }, t('attachment.save')))))),
    h('td', {},
      h('div', { class: 'row-actions', role: 'group', 'aria-label': t('document.actionsFor', { title: doc.title }) },
        h('button', { type: 'button', class: 'small-button', ...idAttr, 'data-action': 'status', 'data-to': statusTo },
          t(statusTo === 'done' ? 'document.markDone' : 'document.reopen')),
        h('button', { type: 'button', class: 'small-button', ...idAttr, 'data-action': 'attach' }, t('document.attach')))));
  const errorRow = h('tr', { class: 'document-error-row', hidden: true },
    h('td', { colSpan: colCount },
      h('div', { id: `document-${doc.id}-error`, class: 'field-error', role: 'alert' })));
  return [row, errorRow];
}

function documentForm() {
  const text = (props = {}) => h('input', { type: 'text', autocomplete: 'off', ...props });
  const direction = h('select', {}, options(DOCUMENT_DIRECTIONS, (c) => t(`direction.${c}`), { selected: 'in' }));
  const docType = h('select', {}, options(DOCUMENT_TYPES, (c) => t(`docType.${c}`), { placeholder: t('common.choose') }));
  return h('form', { id: 'document-form', class: 'inline-form document-form', novalidate: true },
    h('h3', { text: t('document.formTitle') }),
    h('div', { class: 'grid-2' },
      field({ id: 'document-direction', label: t('document.direction'), control: direction, required: true }),
      field({ id: 'document-docType', label: t('document.docType'), control: docType, required: true }),
      field({ id: 'document-title', label: t('document.title'), control: text(), required: true, className: 'span-2' }),
      field({ id: 'document-docDate', label: t('document.docDate'), control: text({ value: todayDisplay() }), hint: t('form.dateHint'), required: true }),
      field({ id: 'document-regNo', label: t('document.regNo'), control: text(), hint: t('document.regNoHint') }),
      field({ id: 'document-party', label: t('document.party'), control: text() }),
      field({ id: 'document-dueDate', label: t('document.dueDate'), control: text({ placeholder: t('form.dateHint') }), hint: t('form.dateHint') }),
      field({ id: 'document-notes', label: t('document.notes'), control: h('textarea', { rows: 2 }), className: 'span-2' })),
    h('div', { id: 'document-form-error', class: 'field-error', role: 'alert', hidden: true }),
    h('div', { class: 'actions left' },
      h('button', { id: 'document-submit', type: 'submit', class: 'primary' }, t('document.submit')),
      h('button', { type: 'button', class: 'link', 'data-cancel': '' }, t('common.cancel'))));
}
