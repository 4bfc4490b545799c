/**
 * "Tagasiside" on a case: the family's answers (scores 1–5 per question and a comment, linked
 * by the backend to the provider the family chose), a form to type in answers from a paper or an
 * e-mail, the e-mail text with the questions in the family's language (copy button), and the
 * printable questionnaire PDF in Estonian, Russian or English.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText, getLanguage } from '../i18n/index.js';
import { formatDate, todayDisplay } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { pathField } from './settings-backup.js';

const LANGS = ['et', 'ru', 'en'];

export async function loadFeedback(box, caseId) {
  let fb;
  try {
    fb = await api.caseFeedbackGet(caseId);
  } catch (error) {
    replace(box, h('h2', { id: 'case-feedback-heading', text: t('feedback.title') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  show(box, caseId, fb, '');
}

function questionText(q) {
  return getLanguage() === 'en' ? q.textEn : q.textEt;
}

function show(box, caseId, fb, notice) {
  const asked = fb.questions.filter((q) => q.active);
  const byId = new Map(fb.questions.map((q) => [q.id, q]));
  const number = (id) => {
    const i = asked.findIndex((q) => q.id === id);
    return i >= 0 ? `${t('feedback.q')}${i + 1}` : `(${t('feedback.retired')})`;
  };
  const list = fb.responses.length === 0
    ? h('p', { id: 'case-feedback-empty', class: 'muted', text: t('feedback.none') })
    : h('div', { class: 'table-wrap' }, h('table', { id: 'case-feedback-list', class: 'data-table' },
      h('thead', {}, h('tr', {},
        ['feedback.col.date', 'feedback.col.provider', 'feedback.col.scores', 'feedback.col.comment', 'feedback.col.source'].map((k) => h('th', { scope: 'col', text: t(k) })),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('feedback.delete') })))),
      h('tbody', {}, fb.responses.map((r) => {
        const del = h('button', { type: 'button', class: 'small-button secondary', 'data-response-id': String(r.id) }, t('feedback.delete'));
        del.addEventListener('click', async () => {
          if (!window.confirm(t('feedback.deleteConfirm'))) return;
          try {
            const next = await api.feedbackDelete(r.id);
            show(box, caseId, next, t('feedback.deleted'));
          } catch (error) {
            window.alert(errorText(error));
          }
        });
        return h('tr', { 'data-response-id': String(r.id) },
          h('td', { class: 'nowrap', text: formatDate(r.answeredOn) }),
          h('td', { text: r.providerName || t('common.none') }),
          h('td', { class: 'nowrap', text: r.scores.map((s) => `${byId.has(s.questionId) ? number(s.questionId) : '?'}: ${s.score}`).join(' · ') || t('common.none') }),
          h('td', { text: r.comment || t('common.none') }),
          h('td', { text: t(`feedback.source.${r.source}`) }),
          h('td', {}, del));
      }))));

  replace(box,
    h('h2', { id: 'case-feedback-heading', text: t('feedback.title') }),
    h('p', { id: 'case-feedback-notice', class: 'save-message', role: 'status', text: notice }),
    list,
    h('div', { class: 'history-grid' },
      entryForm(box, caseId, fb, asked),
      h('div', {}, emailBlock(fb.email), questionnaireForm(caseId, fb.email.language))));
}

function entryForm(box, caseId, fb, asked) {
  const date = h('input', { type: 'text', autocomplete: 'off', value: todayDisplay() });
  const lang = h('select', {}, LANGS.map((l) => h('option', { value: l, selected: l === fb.email.language }, t(`language.${l}`))));
  const scores = asked.map((q, i) => {
    const id = `feedback-score-${q.id}`;
    const select = h('select', { 'data-question-id': String(q.id) },
      h('option', { value: '' }, t('feedback.noScore')),
      [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, String(n))));
    return { q, select, el: field({ id, label: `${i + 1}. ${questionText(q)}`, control: select }) };
  });
  const comment = h('textarea', { rows: 3 });
  const general = h('div', { id: 'feedback-form-general', class: 'banner error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'feedback-submit', type: 'submit', class: 'primary' }, t('feedback.save'));
  const form = h('form', { id: 'feedback-form', novalidate: true },
    h('h3', { text: t('feedback.enter') }),
    h('p', { class: 'small muted', text: t('feedback.scale') }),
    h('div', { class: 'stats-row' },
      field({ id: 'feedback-answeredOn', label: t('feedback.answeredOn'), control: date, required: true, className: 'field-short' }),
      field({ id: 'feedback-language', label: t('feedback.language'), control: lang, className: 'field-short' })),
    scores.map((s) => s.el),
    field({ id: 'feedback-comment', label: t('feedback.comment'), control: comment }),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    try {
      const next = await api.caseFeedbackAdd(caseId, {
        answeredOn: date.value,
        language: lang.value,
        scores: scores.map((s) => ({ questionId: s.q.id, score: s.select.value })),
        comment: comment.value,
      });
      show(box, caseId, next, t('feedback.saved'));
      box.querySelector('#case-feedback-notice')?.focus?.();
    } catch (error) {
      // What was typed stays in the form.
      showSubmitErrors(form, error, general, 'feedback-');
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function emailBlock(email) {
  const text = `${email.subject}\n\n${email.body}`;
  const area = h('textarea', { id: 'feedback-email-text', rows: 10, readOnly: true, value: text, 'aria-labelledby': 'feedback-email-heading' });
  const copied = h('span', { id: 'feedback-email-copied', class: 'save-message', role: 'status' });
  const copy = h('button', { id: 'feedback-email-copy', type: 'button', class: 'secondary' }, t('feedback.copy'));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      area.select();
      document.execCommand('copy');
    }
    // Case data on the clipboard is cleared after a while by the backend.
    api.clipboardCopied(text).catch(() => {});
    copied.textContent = t('feedback.copied');
  });
  return h('div', { class: 'feedback-email' },
    h('h3', { id: 'feedback-email-heading', text: t('feedback.email') }),
    email.to ? h('p', { class: 'small' }, t('feedback.emailTo'), ' ', h('span', { class: 'mono', text: email.to })) : null,
    area, h('div', { class: 'actions left' }, copy, copied));
}

function questionnaireForm(caseId, language) {
  const lang = h('select', {}, LANGS.map((l) => h('option', { value: l, selected: l === language }, t(`language.${l}`))));
  const path = pathField({
    id: 'feedback-pdf-path', label: t('feedback.pdfFile'), hint: t('feedback.pdfHint'),
    pick: () => api.chooseSavePath(`tagasiside-${lang.value}.pdf`),
  });
  const submit = h('button', { id: 'feedback-pdf-submit', type: 'submit', class: 'secondary' }, t('feedback.pdf'));
  const done = h('p', { id: 'feedback-pdf-done', class: 'save-message', role: 'status' });
  const form = h('form', { id: 'feedback-pdf-form', novalidate: true },
    h('h3', { text: t('feedback.questionnaire') }),
    field({ id: 'feedback-pdf-language', label: t('feedback.language'), control: lang, className: 'field-short' }),
    path.element, h('div', { class: 'actions left' }, submit), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    done.textContent = '';
    try {
      const written = await api.feedbackQuestionnairePdf(lang.value, caseId, path.input.value);
      done.textContent = t('feedback.pdfSaved', { path: written });
    } catch (error) {
      showSubmitErrors(form, error, null, (p) => (p === 'language' ? 'feedback-pdf-language' : 'feedback-pdf-path'));
      const el = form.querySelector('#feedback-pdf-path-error');
      if (el && el.hidden) { el.textContent = errorText(error); el.hidden = false; }
    }
  });
  return form;
}
