/**
 * Seaded → Tagasiside: the families' questionnaire. Questions in Estonian, Russian and English;
 * a question is retired (not asked any more, its answers kept) rather than deleted. And the
 * import of answers from a survey tool's CSV: a preview of every row, then all or nothing;
 * answers imported before are skipped.
 */
import * as api from '../api.js';
import { cancelButton } from '../cancel.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { field, clearErrors, showSubmitErrors, showFieldError } from '../form-ui.js';
import { pathField } from './settings-backup.js';

export async function feedbackSection() {
  const box = h('section', { id: 'settings-feedback', class: 'card', 'aria-labelledby': 'settings-feedback-heading' });
  try {
    renderQuestions(box, await api.feedbackQuestionsList(), '');
  } catch (error) {
    replace(box, h('h2', { id: 'settings-feedback-heading', text: t('feedback.settingsTitle') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
  }
  return box;
}

function questionForm(question, onSaved, onCancel) {
  const et = h('input', { type: 'text', autocomplete: 'off', value: question?.textEt ?? '' });
  const ru = h('input', { type: 'text', autocomplete: 'off', value: question?.textRu ?? '' });
  const en = h('input', { type: 'text', autocomplete: 'off', value: question?.textEn ?? '' });
  const general = h('div', { class: 'banner error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'feedback-question-save', type: 'submit', class: 'primary' }, t('feedback.questionSave'));
  const cancel = onCancel ? h('button', { type: 'button', class: 'secondary' }, t('feedback.cancel')) : null;
  if (cancel) cancel.addEventListener('click', onCancel);
  const form = h('form', { id: 'feedback-question-form', class: 'question-form', novalidate: true },
    h('h3', { text: question ? t('feedback.questionEdit') : t('feedback.questionAdd') }),
    field({ id: 'feedback-question-text-et', label: t('feedback.textEt'), control: et, required: true }),
    field({ id: 'feedback-question-text-ru', label: t('feedback.textRu'), control: ru, required: true }),
    field({ id: 'feedback-question-text-en', label: t('feedback.textEn'), control: en, required: true }),
    general,
    h('div', { class: 'actions left' }, submit, cancel));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    try {
      const list = await api.feedbackQuestionSave(question ? question.id : null, { textEt: et.value, textRu: ru.value, textEn: en.value });
      onSaved(list);
    } catch (error) {
      showSubmitErrors(form, error, general, 'feedback-question-');
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function renderQuestions(box, questions, notice) {
  const formBox = h('div', { class: 'question-form-box' });
  const saved = (list) => renderQuestions(box, list, t('feedback.questionSaved'));
  const showAdd = () => replace(formBox, questionForm(null, saved, null));
  const rows = questions.map((q) => {
    const edit = h('button', { type: 'button', class: 'small-button secondary', 'data-action': 'edit' }, t('feedback.edit'));
    edit.addEventListener('click', () => {
      replace(formBox, questionForm(q, saved, showAdd));
      formBox.querySelector('input')?.focus();
    });
    const toggle = h('button', { type: 'button', class: 'small-button secondary', 'data-action': q.active ? 'retire' : 'restore' },
      q.active ? t('feedback.retire') : t('feedback.restore'));
    toggle.addEventListener('click', async () => {
      try {
        const list = await api.feedbackQuestionSetActive(q.id, !q.active);
        renderQuestions(box, list, q.active ? t('feedback.retiredNotice') : t('feedback.restoredNotice'));
      } catch (error) {
        window.alert(errorText(error));
      }
    });
    return h('tr', { 'data-question-id': String(q.id), class: q.active ? '' : 'muted' },
      h('td', { text: q.textEt }),
      h('td', { text: q.textRu }),
      h('td', { text: q.textEn }),
      h('td', { text: q.active ? t('feedback.asked') : t('feedback.retired') }),
      h('td', { class: 'nowrap' }, q.active ? edit : null, ' ', toggle));
  });
  replace(box,
    h('h2', { id: 'settings-feedback-heading', text: t('feedback.settingsTitle') }),
    h('p', { class: 'small muted', text: t('feedback.settingsIntro') }),
    h('p', { id: 'settings-feedback-message', class: 'save-message', role: 'status', text: notice }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'feedback-questions', class: 'data-table' },
      h('thead', {}, h('tr', {}, ['feedback.textEt', 'feedback.textRu', 'feedback.textEn', 'feedback.state', 'feedback.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, rows))),
    formBox,
    importForm());
  showAdd();
}

function importForm() {
  const path = pathField({
    id: 'feedback-import-path', label: t('feedback.importFile'), hint: t('feedback.importHint'),
    pick: () => api.chooseFile('CSV', ['csv', 'txt']),
  });
  const out = h('div', { id: 'feedback-import-result', 'aria-live': 'polite' });
  const preview = h('button', { id: 'feedback-import-preview', type: 'submit', class: 'secondary' }, t('feedback.preview'));
  const run = h('button', { id: 'feedback-import-submit', type: 'button', class: 'primary', disabled: true }, t('feedback.import'));
  const cancel = cancelButton('feedback-import-cancel');
  const form = h('form', { id: 'feedback-import-form', novalidate: true },
    h('h3', { text: t('feedback.importTitle') }),
    path.element, h('div', { class: 'actions left' }, preview, run, cancel.element), out);
  let previewed = null;
  path.input.addEventListener('input', () => { run.disabled = true; previewed = null; replace(out); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    run.disabled = true;
    replace(out);
    try {
      const p = await api.feedbackImportPreview(path.input.value);
      previewed = path.input.value;
      replace(out, previewTable(p));
      run.disabled = p.errors > 0 || p.new === 0;
    } catch (error) {
      showFieldError(form, 'feedback-import-path', errorText(error));
    }
  });
  run.addEventListener('click', async () => {
    run.disabled = true;
    cancel.running(true);
    try {
      const done = await api.feedbackImport(previewed ?? path.input.value);
      replace(out, h('p', { id: 'feedback-import-done', class: 'banner success', role: 'status', text: t('feedback.imported', { n: done.imported, skipped: done.skipped }) }));
    } catch (error) {
      replace(out, h('div', { class: 'banner error', role: 'alert', text: errorText(error) }));
    } finally {
      cancel.running(false);
    }
  });
  return form;
}

function previewTable(p) {
  return h('div', {},
    h('p', { id: 'feedback-import-summary', class: p.errors ? 'banner error' : 'banner', text: t('feedback.previewSummary', { new: p.new, duplicates: p.duplicates, errors: p.errors }) }),
    h('p', { class: 'small muted', text: p.columns.map(([name, meaning]) => `${name} → ${meaning}`).join('; ') }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'feedback-import-rows', class: 'data-table' },
      h('thead', {}, h('tr', {}, ['feedback.col.line', 'feedback.col.date', 'feedback.col.case', 'feedback.col.provider', 'feedback.col.scores', 'feedback.col.action'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, p.rows.map((r) => h('tr', { class: r.action === 'error' ? 'row-error' : '', 'data-action': r.action },
        h('td', { text: String(r.line) }),
        h('td', { text: /^\d{4}-\d{2}-\d{2}$/.test(r.answeredOn) ? formatDate(r.answeredOn) : r.answeredOn }),
        h('td', { class: 'mono', text: r.caseNo }),
        h('td', { text: r.provider }),
        h('td', { text: r.scores.map((s) => s.score).join(' ') }),
        h('td', {}, t(`feedback.action.${r.action}`), r.errors.length ? h('div', { class: 'small error-text', text: r.errors.map(localized).join(' ') }) : null)))))));
}
