/**
 * Andmekaitse (Settings): the retention period, the closed cases past it (deleted only when
 * chosen and confirmed; the audit log keeps a row without personal data), and a person's data
 * export — everything about one child or guardian as a JSON file.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText, getLanguage } from '../i18n/index.js';
import { field } from '../form-ui.js';
import { formatDate, formatFileSize } from '../format.js';
import { pathField, onSubmit } from './settings-backup.js';

function retentionForm(initial) {
  const years = h('input', { type: 'number', min: 1, max: 75, step: 1, value: String(initial.years), inputmode: 'numeric' });
  const list = h('div', { id: 'retention-list' });
  const submitYears = h('button', { id: 'retention-years-save', type: 'submit', class: 'secondary' }, t('privacy.saveYears'));
  const yearsForm = h('form', { id: 'retention-years-form', novalidate: true },
    field({ id: 'retention-years', label: t('privacy.years'), control: years, hint: t('privacy.yearsHint'), required: true }),
    h('div', { class: 'actions left' }, submitYears));

  function show(data) {
    if (data.cases.length === 0) {
      replace(list, h('p', { id: 'retention-none', class: 'muted', text: t('privacy.noneDue', { date: formatDate(data.closedBefore) }) }));
      return;
    }
    const boxes = data.cases.map((c) => h('input', { type: 'checkbox', value: String(c.caseId), id: `retention-case-${c.caseId}` }));
    const understood = h('input', { type: 'checkbox', id: 'retention-understood' });
    const del = h('button', { id: 'retention-delete', type: 'submit', class: 'danger' }, t('privacy.delete'));
    const form = h('form', { id: 'retention-delete-form', novalidate: true },
      h('p', { text: t('privacy.due', { count: data.cases.length, date: formatDate(data.closedBefore) }) }),
      h('table', { class: 'data-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, ''),
          h('th', { scope: 'col', text: t('privacy.caseNo') }),
          h('th', { scope: 'col', text: t('privacy.child') }),
          h('th', { scope: 'col', text: t('privacy.closedOn') }))),
        h('tbody', {}, data.cases.map((c, i) => h('tr', {},
          h('td', {}, boxes[i]),
          h('td', {}, h('label', { for: boxes[i].id, class: 'mono', text: c.caseNo })),
          h('td', { text: c.childName }),
          h('td', { text: formatDate(c.closedOn) }))))),
      h('div', { id: 'retention-cases-error', class: 'field-error', hidden: true }),
      h('div', { class: 'field checkbox-field' },
        h('label', { for: 'retention-understood' }, understood, ' ', t('privacy.understood')),
        h('div', { id: 'retention-understood-error', class: 'field-error', hidden: true })),
      h('div', { class: 'actions left' }, del));
    onSubmit(form, del, 'retention-', 'retention-cases', async () => {
      if (!understood.checked) {
        const error = new Error('confirm');
        error.fields = [{ field: 'understood', code: 'retention.confirm', message: { et: t('privacy.tickFirst'), en: t('privacy.tickFirst') } }];
        throw error;
      }
      const ids = boxes.filter((b) => b.checked).map((b) => Number(b.value));
      show(await api.retentionDelete(ids));
    });
    replace(list, form);
  }

  onSubmit(yearsForm, submitYears, 'retention-', 'retention-years', async () => {
    const n = Number.parseInt(years.value, 10);
    show(await api.retentionSetYears(Number.isNaN(n) ? 0 : n));
  });
  show(initial);
  return h('div', {}, h('h3', { text: t('privacy.retentionTitle') }), h('p', { class: 'field-hint', text: t('privacy.retentionIntro') }), yearsForm, list);
}

function exportForm() {
  const code = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 11 });
  const out = pathField({
    id: 'export-out',
    label: t('privacy.exportOut'),
    hint: t('privacy.exportOutHint'),
    pick: () => api.chooseSavePath('isikuandmed.json'),
  });
  const done = h('p', { id: 'export-done', class: 'save-message', role: 'status' });
  const submit = h('button', { id: 'export-submit', type: 'submit', class: 'primary' }, t('privacy.export'));
  const form = h('form', { id: 'export-form', novalidate: true },
    h('h3', { text: t('privacy.exportTitle') }),
    h('p', { class: 'field-hint', text: t('privacy.exportIntro') }),
    field({ id: 'export-personalCode', label: t('privacy.personalCode'), control: code, required: true }),
    out.element,
    h('div', { class: 'actions left' }, submit),
    done);
  onSubmit(form, submit, 'export-', 'export-personalCode', async () => {
    done.textContent = '';
    const bytes = await api.personExport(code.value, out.input.value);
    done.textContent = t('privacy.exported', { path: out.input.value, size: formatFileSize(bytes, getLanguage()) });
  });
  return form;
}

export async function privacySection() {
  let initial;
  try {
    initial = await api.retentionList();
  } catch (error) {
    return h('section', { class: 'card narrow', id: 'privacy-section' },
      h('h2', { text: t('privacy.title') }),
      h('div', { class: 'banner error', role: 'alert', text: errorText(error) }));
  }
  return h('section', { class: 'card narrow', id: 'privacy-section' },
    h('h2', { text: t('privacy.title') }),
    retentionForm(initial),
    h('hr'),
    exportForm());
}

