/**
 * "Otsused": the case's decisions and the decision editor. A draft is prefilled by the backend
 * from the case, the signed assessment and the templates; the form saves itself while typing,
 * and every answer brings the letter's preview and the check before approval. Approval gives
 * the number, freezes the text and files the PDF on the case; delivery starts the deadlines.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { todayDisplay, formatDate, formatDateTime, formatTime, formatMoney, parseDisplayDate } from '../format.js';
import { field, clearErrors, showFieldErrors, showFieldError, clearFieldError, showSubmitErrors, readValues, focusControl } from '../form-ui.js';
import { PROFILE_MISSING, profileLink } from '../coordinator-link.js';
import { twoStepGroup } from '../two-step.js';
import { createAutosave } from '../autosave.js';
import { beforeLock } from '../before-lock.js';
// --- Signing and delivery ---
import { handoverWaySelect, recordHandover, coverPageButton, digidocPart, confirmPart } from './decision-delivery.js';
import {
  DECISION_KINDS, DECISION_DELIVERIES, SUMMARY_LANGUAGES, TEXT_FIELDS, fieldId, annexCodeId, annexAmountId,
  valuesFromDecision, annexRows, serialiseDecisionDraft, decisionFieldId, insertParagraph,
} from '../decisions.js';

const AUTOSAVE_DELAY_MS = 800;

/** The autosave of the draft on screen. */
let current = null;
/** A decision to open again after the case view re-renders (after approval or delivery). */
let reopen = null;

/** Opens decision `id` when the decisions are next loaded (a dashboard row links to it). */
export function openDecisionOnLoad(id) {
  if (id) reopen = id;
}

/** Resolves when nothing typed in the decision editor is on its way to the backend. */
export function flushDecision() {
  return current ? current.flush() : Promise.resolve();
}
// A lock, or a fresh document (fresh-document.js), waits for what was typed in the decision draft.
beforeLock(flushDecision);

function heading(extra = null) {
  return h('div', { class: 'section-head' }, h('h2', { id: 'decisions-heading', text: t('decision.title') }), extra);
}

/** Fills `box` (the #decisions section). `onChanged(notice)` re-renders the case. */
export async function loadDecisions(box, caseId, { onChanged }) {
  await flushDecision();
  current = null;
  let list;
  try {
    list = await api.decisionList(caseId);
  } catch (error) {
    replace(box, heading(), h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  const editorBox = h('div', { id: 'decision-editor-box' });
  const message = h('p', { id: 'decisions-message', class: 'save-message', role: 'status' });
  const kind = h('select', { id: 'decision-kind', 'aria-label': t('decision.kindLabel') },
    options(DECISION_KINDS, (k) => t(`decision.kind.${k}`), { selected: 'referral' }));
  const create = h('button', { id: 'decision-create', type: 'button', class: 'primary' }, t('decision.create'));
  const listBox = h('div', { class: 'table-wrap' });

  const open = async (id) => {
    await flushDecision();
    current = null;
    message.textContent = '';
    try {
      const view = await api.decisionGet(id);
      renderEditor(editorBox, view, { onChanged, onListChanged: refreshList, say });
      editorBox.scrollIntoView({ block: 'start' });
    } catch (error) {
      say(errorText(error), true);
    }
  };

  function say(text, isError = false) {
    message.className = isError ? 'save-message error-text' : 'save-message';
    message.textContent = text;
  }

  async function refreshList(next) {
    list = next ?? await api.decisionList(caseId);
    renderList();
  }

  function renderList() {
    if (list.length === 0) {
      replace(listBox, h('p', { id: 'decisions-empty', class: 'muted', text: t('decision.none') }));
      return;
    }
    replace(listBox, h('table', { id: 'decisions-table', class: 'data-table' },
      h('thead', {}, h('tr', {}, ['kind', 'number', 'date', 'status', 'delivered', 'open']
        .map((k) => h('th', { scope: 'col', text: t(`decision.col.${k}`) })))),
      h('tbody', {}, list.map((d) => h('tr', { class: 'decision-row', 'data-decision-id': String(d.id), 'data-status': d.status },
        h('td', { text: t(`decision.kind.${d.kind}`) }),
        h('td', { class: 'mono', text: d.number ?? t('decision.noNumber') }),
        h('td', { class: 'nowrap', text: d.decisionDate ? formatDate(d.decisionDate) : t('common.none') }),
        h('td', {}, h('span', { class: 'pill decision-status', 'data-decision-status': d.status, text: t(`decision.status.${d.status}`) })),
        h('td', { class: 'nowrap', text: d.deliveredOn ? formatDate(d.deliveredOn) : t('common.none') }),
        h('td', {}, h('button', {
          type: 'button', class: 'small-button decision-open', 'data-decision-id': String(d.id),
          'aria-label': t('decision.openN', { kind: t(`decision.kind.${d.kind}`), number: d.number ?? t('decision.noNumber') }),
        }, t('decision.open'))))))));
  }

  listBox.addEventListener('click', (event) => {
    const button = event.target.closest('.decision-open');
    if (button) open(Number(button.dataset.decisionId));
  });

  create.addEventListener('click', async () => {
    if (create.disabled) return;
    create.disabled = true;
    say('');
    try {
      await flushDecision();
      const view = await api.decisionCreate(caseId, kind.value);
      await refreshList();
      renderEditor(editorBox, view, { onChanged, onListChanged: refreshList, say });
      say(t('decision.created'));
      editorBox.scrollIntoView({ block: 'start' });
    } catch (error) {
      say(errorText(error), true);
    } finally {
      create.disabled = false;
    }
  });

  replace(box,
    heading(h('div', { class: 'decision-create' }, kind, create)),
    message,
    listBox,
    editorBox);
  renderList();
  if (reopen !== null) {
    const id = reopen;
    reopen = null;
    await open(id);
  }
}

// --- The editor -------------------------------------------------------------------------

function renderEditor(box, view, ctx) {
  if (view.decision.status === 'draft') renderDraft(box, view, ctx);
  else renderFrozen(box, view, ctx);
}

function textArea(name, rows, value) {
  return h('textarea', { rows, value, spellcheck: true });
}

function renderDraft(box, initial, { onChanged, onListChanged, say }) {
  let view = initial;
  const d = view.decision;
  const values = valuesFromDecision(view);
  const isReferral = d.kind === 'referral';
  const needsRelated = d.kind === 'amendment' || d.kind === 'termination';
  const input = (name, props = {}) => h('input', { type: 'text', autocomplete: 'off', value: values[fieldId(name)], ...props });

  const saveState = h('p', { id: 'decision-save-state', class: 'save-state', role: 'status', 'aria-live': 'polite' });
  const preview = h('div', { id: 'decision-preview', class: 'letter-preview', 'aria-label': t('decision.preview') });
  const checkBox = h('div', { id: 'decision-check', class: 'decision-check', 'aria-live': 'polite' });

  // --- Who, when, how ---
  const delivery = h('select', {}, options(DECISION_DELIVERIES, (c) => t(`delivery.${c}`), { selected: values[fieldId('delivery')], placeholder: t('common.choose') }));
  const language = h('select', {}, options(SUMMARY_LANGUAGES, (c) => t(`language.${c}`), { selected: values[fieldId('summaryLanguage')] }));
  const related = needsRelated
    ? field({
      id: fieldId('relatedNumber'), label: t('decision.relatedNumber'), hint: t('decision.relatedHint'),
      control: h('select', {}, options(view.relatedOptions ?? [], (n) => n, { selected: values[fieldId('relatedNumber')], placeholder: t('common.choose') })),
    })
    : null;
  const who = h('fieldset', { class: 'decision-who' },
    h('legend', { class: 'sub', text: t('decision.who') }),
    h('div', { class: 'grid-2' },
      field({ id: fieldId('decisionDate'), label: t('decision.date'), control: input('decisionDate'), hint: t('form.dateHint'), required: true }),
      field({ id: fieldId('delivery'), label: t('decision.delivery'), control: delivery, required: true }),
      field({ id: fieldId('addresseeName'), label: t('decision.addresseeName'), control: input('addresseeName'), required: true }),
      field({ id: fieldId('addresseeEmail'), label: t('decision.addresseeEmail'), control: input('addresseeEmail', { inputMode: 'email' }) }),
      field({ id: fieldId('addresseeAddress'), label: t('decision.addresseeAddress'), control: textArea('addresseeAddress', 2, values[fieldId('addresseeAddress')]) }),
      field({ id: fieldId('summaryLanguage'), label: t('decision.summaryLanguage'), hint: t('decision.summaryLanguageHint'), control: language }),
      related,
      isReferral ? field({ id: fieldId('validFrom'), label: t('decision.validFrom'), control: input('validFrom'), hint: t('form.dateHint'), required: true }) : null,
      isReferral ? field({ id: fieldId('validTo'), label: t('decision.validTo'), control: input('validTo'), hint: t('decision.validToHint'), required: true }) : null));

  // --- The texts ---
  const paragraphs = view.paragraphs ?? [];
  const paragraph = h('select', { id: 'decision-paragraph', 'aria-label': t('decision.paragraphLabel') },
    h('option', { value: '' }, t('decision.paragraphChoose')),
    paragraphs.map((p) => h('option', { value: p.code }, p.title)));
  const insert = h('button', { id: 'decision-paragraph-insert', type: 'button', class: 'secondary' }, t('decision.paragraphInsert'));
  const placeholders = h('details', { class: 'placeholders' },
    h('summary', { text: t('decision.placeholders') }),
    h('p', { class: 'field-hint', text: t('decision.placeholdersHint') }),
    h('dl', { class: 'facts small' }, (view.placeholders ?? []).flatMap((p) => [
      h('dt', { class: 'mono', text: `{{${p.name}}}` }),
      h('dd', { text: localized(p.description) }),
    ])));
  const texts = h('fieldset', { class: 'decision-texts' },
    h('legend', { class: 'sub', text: t('decision.texts') }),
    field({ id: fieldId('summary'), label: t('decision.summary'), hint: t('decision.summaryHint'), control: textArea('summary', 6, values[fieldId('summary')]), required: true }),
    field({ id: fieldId('operative'), label: t('decision.operative'), control: textArea('operative', 4, values[fieldId('operative')]), required: true }),
    field({ id: fieldId('reasoning'), label: t('decision.reasoning'), hint: t('decision.reasoningHint'), control: textArea('reasoning', 8, values[fieldId('reasoning')]), required: true }),
    h('div', { class: 'paragraph-insert' }, paragraph, insert),
    field({ id: fieldId('legalBasis'), label: t('decision.legalBasis'), control: textArea('legalBasis', 2, values[fieldId('legalBasis')]), required: true }),
    field({ id: fieldId('lateReason'), label: t('decision.lateReason'), hint: t('decision.lateReasonHint'), control: textArea('lateReason', 2, values[fieldId('lateReason')]) }),
    placeholders);

  // --- Annex and providers (referral) ---
  const annexBox = h('div', { id: 'decision-annex', class: 'annex' });
  const annexAdd = h('button', { id: 'decision-annex-add', type: 'button', class: 'secondary' }, t('decision.annexAdd'));
  const annexRefill = h('button', { id: 'decision-annex-refill', type: 'button', class: 'link' }, t('decision.annexRefill'));
  const providers = field({
    id: fieldId('providers'), label: t('decision.providers'), hint: t('decision.providersHint'),
    control: textArea('providers', 3, values[fieldId('providers')]),
  });
  const referralPart = isReferral
    ? h('fieldset', { class: 'decision-annex-part' },
      h('legend', { class: 'sub', text: t('decision.annex') }),
      h('p', { class: 'field-hint', text: t('decision.annexHint') }),
      annexBox,
      h('div', { id: 'decision-annex-error', class: 'field-error', hidden: true }),
      h('div', { class: 'actions left' }, annexAdd, annexRefill),
      providers)
    : null;

  // --- Approval ---
  const confirm = h('input', { id: 'decision-confirm', type: 'checkbox' });
  const confirmRow = h('label', { class: 'confirm-row', for: 'decision-confirm', hidden: true }, confirm, ' ', t('decision.confirmWarnings'));
  const approve = h('button', { id: 'decision-approve', type: 'button', class: 'primary' }, t('decision.approve'));
  const remove = h('button', { id: 'decision-delete', type: 'button', class: 'link danger' }, t('decision.deleteDraft'));
  const approveError = h('div', { id: 'decision-approve-error', class: 'field-error', role: 'alert', hidden: true });

  const form = h('form', { id: 'decision-form', novalidate: true, autocomplete: 'off' }, who, texts, referralPart);
  form.addEventListener('submit', (event) => event.preventDefault());

  replace(box,
    h('div', { class: 'decision-editor', 'data-decision-id': String(d.id), 'data-kind': d.kind },
      h('div', { class: 'section-head' },
        h('h3', { id: 'decision-editor-title', text: t('decision.editorTitle', { kind: t(`decision.kind.${d.kind}`) }) }),
        h('span', { class: 'pill decision-status', 'data-decision-status': d.status, text: t(`decision.status.${d.status}`) }),
        saveState),
      h('div', { class: 'decision-layout' },
        h('div', { class: 'decision-form-col' }, form),
        h('div', { class: 'decision-side-col' },
          checkBox,
          h('div', { class: 'decision-approve' }, confirmRow, h('div', { class: 'actions left' }, approve, remove), approveError),
          h('h4', { text: t('decision.preview') }),
          preview))));

  // --- Annex rows ---
  const optionsByCode = new Map((view.activityOptions ?? []).map((o) => [o.code, o]));
  function annexRowEl(i, row, years) {
    const known = [...optionsByCode.values()];
    const choices = [h('option', { value: '', selected: row.code === '' }, t('common.choose')),
      ...known.map((o) => h('option', { value: o.code, selected: o.code === row.code },
        `${o.code} ${localized(o.name)}${o.mode === 'group' ? ` (${t('mode.group')})` : ''}${o.hours != null ? ` · ${t('decision.assessedHours', { hours: String(o.hours).replace('.', ',') })}` : ''}`))];
    if (row.code && !optionsByCode.has(row.code)) choices.push(h('option', { value: row.code, selected: true }, row.code));
    return h('tr', { class: 'annex-row', dataset: { index: String(i) } },
      h('td', {}, h('select', { id: annexCodeId(i), 'aria-label': t('decision.annexActivityN', { n: i + 1 }), 'aria-describedby': `${annexCodeId(i)}-error` }, choices),
        h('div', { id: `${annexCodeId(i)}-error`, class: 'field-error', hidden: true })),
      years.map((y) => h('td', {},
        h('input', {
          id: annexAmountId(i, y), type: 'text', inputMode: 'decimal', class: 'amount', value: row.amounts[y] ?? '',
          autocomplete: 'off', 'aria-label': t('decision.annexAmountN', { n: i + 1, year: y }), 'aria-describedby': `${annexAmountId(i, y)}-error`,
        }),
        h('div', { id: `${annexAmountId(i, y)}-error`, class: 'field-error', hidden: true }))),
      h('td', {}, h('button', { type: 'button', class: 'link danger', dataset: { removeAnnex: String(i) }, 'aria-label': t('decision.annexRemoveN', { n: i + 1 }) }, t('decision.annexRemove'))));
  }
  // The years the annex table shows. While the period is being retyped (no valid period for a
  // moment) the rows and their amounts stay as they were: nothing typed is dropped by a save.
  let shownYears = [];
  function renderAnnex(rows) {
    if (!isReferral) return;
    const periodYears = view.annexYears ?? [];
    const years = periodYears.length > 0 || rows.length === 0 ? periodYears : shownYears;
    const hint = periodYears.length === 0 ? h('p', { id: 'decision-annex-no-period', class: 'muted', text: t('decision.annexNoPeriod') }) : null;
    shownYears = years;
    if (years.length === 0) {
      replace(annexBox, hint);
      return;
    }
    const caps = new Map((view.caps ?? []).map((c) => [c.year, c]));
    replace(annexBox, hint, h('table', { class: 'data-table annex-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('decision.annexActivity') }),
        years.map((y) => h('th', { scope: 'col', class: 'num', text: String(y) })),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('decision.annexRemove') })))),
      h('tbody', {}, rows.map((row, i) => annexRowEl(i, row, years))),
      h('tfoot', {}, h('tr', { class: 'annex-totals' },
        h('th', { scope: 'row', text: t('decision.annexTotalCap') }),
        years.map((y) => {
          const c = caps.get(y);
          const over = c && c.capCents != null && c.usedCents > c.capCents;
          return h('td', { class: `num${over ? ' over-cap' : ''}`, 'data-year': String(y), id: `decision-annex-total-${y}` },
            `${formatMoney(c ? c.usedCents : 0)} / ${c && c.capCents != null ? formatMoney(c.capCents) : '—'}`,
            h('div', { id: `decision-annex-total-${y}-error`, class: 'field-error', hidden: true }));
        }),
        h('td', {})))));
  }
  function currentAnnexRows() {
    const all = readValues(form);
    const years = shownYears;
    return [...form.querySelectorAll('tr.annex-row')].map((tr) => {
      const i = Number(tr.dataset.index);
      const amounts = {};
      for (const y of years) amounts[y] = all[annexAmountId(i, y)] ?? '';
      return { code: all[annexCodeId(i)] ?? '', amounts };
    });
  }
  renderAnnex(annexRows(view));

  // --- Preview and check ---
  // The fields the check marked last time (a field's own error state, not only the list).
  let checkMarked = [];
  function markCheckFields(errors) {
    for (const id of checkMarked) clearFieldError(form, id);
    checkMarked = [];
    const byId = new Map();
    for (const c of errors) {
      if (!c.field) continue;
      const id = decisionFieldId(c.field);
      if (!form.querySelector(`#${CSS.escape(id)}-error`)) continue;
      byId.set(id, [...(byId.get(id) ?? []), localized(c.message)]);
    }
    for (const [id, texts] of byId) {
      if (showFieldError(form, id, texts.join(' '))) checkMarked.push(id);
    }
  }
  function showCheck(check) {
    const errors = check?.errors ?? [];
    const warnings = check?.warnings ?? [];
    const item = (c, cls) => h('li', { class: cls, 'data-code': c.code, 'data-field': c.field },
      c.field
        ? h('button', { type: 'button', class: 'link check-jump', 'data-field': c.field, title: t(cls === 'check-error' ? 'help.checkErrorTip' : 'help.checkWarningTip') }, localized(c.message))
        : h('span', { title: t(cls === 'check-error' ? 'help.checkErrorTip' : 'help.checkWarningTip') }, localized(c.message)),
      // Where the coordinator's name and contacts are set: this check item is answered there.
      c.code === PROFILE_MISSING ? [' ', profileLink('decision-check-profile-link')] : null);
    markCheckFields(errors);
    replace(checkBox,
      h('h4', { text: t('decision.check') }),
      errors.length === 0 && warnings.length === 0
        ? h('p', { id: 'decision-check-ok', class: 'banner success', text: t('decision.checkOk') })
        : null,
      errors.length ? h('p', { class: 'check-count error-text', text: t('decision.checkErrors', { n: errors.length }) }) : null,
      errors.length ? h('ul', { id: 'decision-check-errors', class: 'check-list errors' }, errors.map((c) => item(c, 'check-error'))) : null,
      warnings.length ? h('p', { class: 'check-count', text: t('decision.checkWarnings', { n: warnings.length }) }) : null,
      warnings.length ? h('ul', { id: 'decision-check-warnings', class: 'check-list warnings' }, warnings.map((c) => item(c, 'check-warning'))) : null);
    confirmRow.hidden = warnings.length === 0;
    if (warnings.length === 0) confirm.checked = false;
    approve.setAttribute('aria-describedby', 'decision-check');
  }
  checkBox.addEventListener('click', (event) => {
    const jump = event.target.closest('.check-jump');
    if (!jump) return;
    const id = decisionFieldId(jump.dataset.field);
    focusControl(box, box.querySelector(`#${CSS.escape(id)}`) ? id : fieldId(jump.dataset.field.split('.')[0]));
  });
  function showView(next, { rerenderAnnex = false } = {}) {
    const yearsChanged = JSON.stringify(next.annexYears) !== JSON.stringify(view.annexYears);
    view = next;
    renderLetter(preview, view.letter, view.letterLabels);
    showCheck(view.check);
    // A changed period keeps the rows as typed (the save on its way may not hold them yet).
    if (rerenderAnnex) renderAnnex(annexRows(view));
    else if (yearsChanged) renderAnnex(currentAnnexRows());
    else renderAnnexTotals();
  }
  function renderAnnexTotals() {
    for (const c of view.caps ?? []) {
      const cell = box.querySelector(`#decision-annex-total-${c.year}`);
      if (!cell) continue;
      const over = c.capCents != null && c.usedCents > c.capCents;
      cell.classList.toggle('over-cap', over);
      cell.firstChild.textContent = `${formatMoney(c.usedCents)} / ${c.capCents != null ? formatMoney(c.capCents) : '—'}`;
    }
  }
  renderLetter(preview, view.letter, view.letterLabels);
  showCheck(view.check);

  // --- Autosave ---
  const draft = () => serialiseDecisionDraft(readValues(form), shownYears);
  let lastError = null;
  saveState.textContent = t('decision.autosaveHint');
  const autosave = createAutosave({
    save: (x) => api.decisionSave(d.id, x),
    delay: AUTOSAVE_DELAY_MS,
    initial: draft(),
    onState(state, payload) {
      saveState.dataset.state = state;
      if (state === 'pending') saveState.textContent = t('assessment.pending');
      else if (state === 'saving') saveState.textContent = t('assessment.saving');
      else if (state === 'saved') {
        lastError = null;
        if (payload) {
          clearErrors(form);
          // An earlier refusal to approve is answered by the check shown now.
          approveError.hidden = true;
          const languageChanged = payload.decision.summaryLanguage !== view.decision.summaryLanguage;
          showView(payload);
          // A new summary language brings its standard text (unless it was edited).
          const summary = form.querySelector(`#${fieldId('summary')}`);
          if (languageChanged && summary && summary.value !== payload.decision.summary) {
            summary.value = payload.decision.summary;
            autosave.change(draft());
          }
          saveState.textContent = t('assessment.savedAt', { time: formatTime(payload.decision.updatedAt) || formatTime(new Date().toISOString()) });
        } else {
          saveState.textContent = t('decision.saved');
        }
      } else if (state === 'error') {
        lastError = payload;
        saveState.textContent = t('assessment.saveFailed', { message: errorText(payload) });
        clearErrors(form);
        showFieldErrors(box, payload.fields, decisionFieldId);
        // The check answered the last saved draft, not what is on screen now.
        replace(checkBox,
          h('h4', { text: t('decision.check') }),
          h('p', { id: 'decision-check-stale', class: 'banner warning', role: 'alert', text: t('decision.checkStale') }));
        if (payload.code === 'decision.frozen') refreshFrozen();
      }
    },
  });
  current = autosave;
  const changed = () => autosave.change(draft());
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('focusout', () => autosave.flush(draft()));

  async function refreshFrozen() {
    current = null;
    const next = await api.decisionGet(d.id);
    renderEditor(box, next, { onChanged, onListChanged, say });
  }

  insert.addEventListener('click', () => {
    const p = paragraphs.find((x) => x.code === paragraph.value);
    if (!p) {
      paragraph.focus();
      return;
    }
    const reasoning = form.querySelector(`#${fieldId('reasoning')}`);
    const at = document.activeElement === reasoning ? reasoning.selectionStart : reasoning.value.length;
    reasoning.value = insertParagraph(reasoning.value, p.body, at);
    reasoning.focus();
    changed();
  });

  if (isReferral) {
    annexAdd.addEventListener('click', () => {
      const rows = currentAnnexRows();
      rows.push({ code: '', amounts: {} });
      renderAnnex(rows);
      changed();
      form.querySelector(`#${annexCodeId(rows.length - 1)}`)?.focus();
    });
    annexBox.addEventListener('click', (event) => {
      const button = event.target.closest('[data-remove-annex]');
      if (!button) return;
      const rows = currentAnnexRows();
      rows.splice(Number(button.dataset.removeAnnex), 1);
      renderAnnex(rows);
      changed();
      annexAdd.focus();
    });
    annexRefill.addEventListener('click', async () => {
      await autosave.flush(draft());
      try {
        const next = await api.decisionRefillAnnex(d.id);
        showView(next, { rerenderAnnex: true });
        autosave.flush(draft());
      } catch (error) {
        showSubmitErrors(box, error, box.querySelector('#decision-annex-error'), decisionFieldId);
      }
    });
  }

  remove.addEventListener('click', async () => {
    if (!window.confirm(t('decision.deleteConfirm'))) return;
    autosave.cancel();
    current = null;
    try {
      const next = await api.decisionDelete(d.id);
      replace(box);
      await onListChanged(next);
      say(t('decision.deleted'));
    } catch (error) {
      approveError.textContent = errorText(error);
      approveError.hidden = false;
    }
  });

  // Approving gives the number and freezes the text for good: the first click asks.
  twoStepGroup().add(approve, () => t('decision.approveConfirm'), async () => {
    if (approve.disabled) return;
    approve.disabled = true;
    approveError.hidden = true;
    clearErrors(form);
    await autosave.flush(draft());
    if (lastError) {
      approve.disabled = false;
      showSubmitErrors(box, lastError, approveError, decisionFieldId);
      return;
    }
    try {
      const approved = await api.decisionApprove(d.id, confirm.checked);
      autosave.cancel();
      current = null;
      reopen = approved.decision.id;
      await onChanged(t('decision.approvedNotice', { number: approved.decision.number }));
    } catch (error) {
      approve.disabled = false;
      if (error.details && (error.code === 'decision.check_failed' || error.code === 'decision.needs_confirmation')) {
        showCheck(error.details);
        approveError.textContent = errorText(error);
        approveError.hidden = false;
        if (error.code === 'decision.needs_confirmation') confirm.focus();
        else checkBox.querySelector('.check-jump')?.focus();
      } else {
        showSubmitErrors(box, error, approveError, decisionFieldId);
      }
    }
  });
}

function renderFrozen(box, view, { onChanged }) {
  const d = view.decision;
  const message = h('p', { id: 'decision-frozen-message', class: 'save-message', role: 'status' });
  const openPdf = h('button', { id: 'decision-open-pdf', type: 'button', class: 'secondary', disabled: view.pdfAttachmentId == null }, t('decision.openPdf'));
  const savePdf = h('button', { id: 'decision-save-pdf', type: 'button', class: 'secondary', disabled: view.pdfAttachmentId == null }, t('decision.savePdf'));
  openPdf.addEventListener('click', async () => {
    try {
      await api.attachmentOpen(view.pdfAttachmentId);
    } catch (error) {
      message.textContent = errorText(error);
    }
  });
  savePdf.addEventListener('click', async () => {
    try {
      const path = await api.chooseSavePath(view.pdfFileName ?? `otsus-${d.number}.pdf`);
      if (!path) return;
      await api.attachmentSave(view.pdfAttachmentId, path);
      message.textContent = t('decision.pdfSaved');
    } catch (error) {
      message.textContent = errorText(error);
    }
  });
  let sentPart;
  let signPart = null;
  const reopenWith = (text) => { reopen = d.id; return onChanged(text); };
  if (d.status === 'approved') {
    const confirm = confirmPart(d, reopenWith);
    signPart = [signingPart(d, onChanged, confirm.show), confirm.box, digidocPart(d, reopenWith)];
  }
  if (d.status === 'approved') {
    const deliveredOn = h('input', { type: 'text', autocomplete: 'off', value: todayDisplay() });
    const way = handoverWaySelect(d.delivery);
    const submit = h('button', { id: 'decision-mark-sent', type: 'button', class: 'primary' }, t('decision.markSent'));
    const general = h('div', { id: 'decision-sent-error', class: 'field-error', role: 'alert', hidden: true });
    sentPart = h('form', { id: 'decision-sent-form', class: 'inline-form', novalidate: true },
      h('h4', { text: t('decision.delivery') }),
      h('p', { class: 'field-hint', text: t('decision.markSentHint') }),
      field({ id: 'decision-deliveryWay', label: t('signingDesk.way'), control: way }),
      coverPageButton(d),
      field({ id: 'decision-deliveredOn', label: t('decision.deliveredOn'), control: deliveredOn, hint: t('form.dateHint'), required: true }),
      general,
      h('div', { class: 'actions left' }, submit));
    // Delivery starts the challenge period and cannot be taken back: Enter in the date field or
    // the first click asks (the button says the day), the second marks it.
    sentPart.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.click();
    });
    twoStepGroup().add(submit, () => t('decision.markSentConfirm', { date: deliveredOn.value.trim() }), async () => {
      if (submit.disabled) return;
      submit.disabled = true;
      clearErrors(sentPart);
      try {
        const next = await recordHandover(d.id, way.value, parseDisplayDate(deliveredOn.value));
        reopen = next.decision.id;
        await onChanged(t('decision.sentNotice', { number: next.decision.number, date: formatDate(next.decision.deliveredOn) }));
      } catch (error) {
        submit.disabled = false;
        showSubmitErrors(sentPart, error, general, (path) => (path === 'deliveredOn' ? 'decision-deliveredOn' : `decision-${path}`));
      }
    });
  } else {
    sentPart = h('p', { id: 'decision-delivered', class: 'banner success', text: t('decision.delivered', { date: formatDate(d.deliveredOn) }) });
  }
  const preview = h('div', { id: 'decision-preview', class: 'letter-preview' });
  renderLetter(preview, view.letter, view.letterLabels);
  replace(box,
    h('div', { class: 'decision-editor frozen', 'data-decision-id': String(d.id), 'data-kind': d.kind },
      h('div', { class: 'section-head' },
        h('h3', { id: 'decision-editor-title', text: t('decision.editorTitle', { kind: t(`decision.kind.${d.kind}`) }) }),
        h('span', { class: 'pill decision-status', 'data-decision-status': d.status, text: t(`decision.status.${d.status}`) })),
      h('p', { id: 'decision-approved', class: 'banner success' },
        t('decision.approvedAs'), ' ', h('strong', { id: 'decision-number', class: 'mono', text: d.number }), ' ',
        t('decision.approvedBy', { date: formatDate(d.decisionDate), name: d.approvedBy ?? '', at: formatDateTime(d.approvedAt) })),
      h('p', { class: 'field-hint', text: t('decision.frozenHint') }),
      h('div', { class: 'decision-layout' },
        h('div', { class: 'decision-form-col' },
          h('div', { class: 'actions left' }, openPdf, savePdf),
          message,
          signPart,
          sentPart),
        h('div', { class: 'decision-side-col' }, h('h4', { text: t('decision.preview') }), preview))));
}

/**
 * Signing with the ID-card (the PIN typed here, used for this login only and never kept) and
 * sending the signed container by e-mail. The backend verifies the container before filing it
 * and says when the signature still needs confirming; this part only shows its answers.
 */
function signingPart(d, onChanged, onState = () => {}) {
  const stateText = h('p', { id: 'decision-signature-state', class: 'field-hint', 'data-state': 'none', text: t('signing.state.none') });
  const pin = h('input', { type: 'password', autocomplete: 'off', inputmode: 'numeric' });
  const signButton = h('button', { id: 'decision-sign', type: 'submit', class: 'primary' }, t('signing.sign'));
  const sendButton = h('button', { id: 'decision-send-email', type: 'button', class: 'secondary', disabled: true }, t('signing.sendEmail'));
  const problem = h('div', { id: 'decision-sign-error', class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { id: 'decision-sign-form', class: 'inline-form', novalidate: true },
    h('h4', { text: t('signing.title') }),
    stateText,
    field({ id: 'decision-pin', label: t('signing.pin'), control: pin, hint: t('signing.pinHint') }),
    problem,
    h('div', { class: 'actions left' }, signButton, sendButton));
  const show = (sig) => {
    const state = sig ? sig.state : 'none';
    stateText.dataset.state = state;
    stateText.textContent = sig
      ? t(`signing.state.${state}`, { level: sig.level, signer: sig.signer })
      : t('signing.state.none');
    sendButton.disabled = !sig;
    onState(sig);
  };
  const fail = (error) => {
    problem.hidden = false;
    problem.textContent = errorText(error);
  };
  api.decisionSignatureGet(d.id).then(show, fail);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (signButton.disabled) return;
    problem.hidden = true;
    signButton.disabled = true;
    const typed = pin.value;
    pin.value = '';
    try {
      const signed = await api.decisionSign(d.id, typed);
      show(signed.state);
    } catch (error) {
      fail(error);
    } finally {
      signButton.disabled = false;
    }
  });
  sendButton.addEventListener('click', async () => {
    if (sendButton.disabled) return;
    problem.hidden = true;
    sendButton.disabled = true;
    try {
      const next = await api.decisionSendEmail(d.id);
      reopen = next.decision.id;
      await onChanged(t('signing.sentNotice', { number: next.decision.number, date: formatDate(next.decision.deliveredOn) }));
    } catch (error) {
      sendButton.disabled = false;
      fail(error);
    }
  });
  return form;
}

/**
 * The letter as the parent will read it: the same content, in the same words, as the PDF
 * prints — `labels` are the printed letter's own (Estonian), whatever the interface language.
 */
function renderLetter(el, letter, labels) {
  if (!letter || !labels) {
    replace(el);
    return;
  }
  el.lang = 'et';
  const paras = (text) => String(text ?? '').split('\n').map((line) => (line.trim() === '' ? null : h('p', { text: line })));
  const annex = letter.annex;
  replace(el,
    h('div', { class: 'letter-board' },
      h('div', { class: 'letter-board-name', text: letter.boardName }),
      h('div', { text: letter.boardUnit }),
      h('div', { class: 'small muted', text: letter.boardContact })),
    h('div', { class: 'letter-head' },
      h('div', {}, letter.addressee.map((line) => h('div', { text: line }))),
      h('div', { class: 'letter-number' },
        h('div', { id: 'preview-number', text: `${labels.numberLabel} ${labels.number}` }),
        h('div', { text: `${labels.dateLabel} ${letter.date || '…'}` }))),
    letter.delivery ? h('div', { class: 'small muted', text: `${labels.deliveryLabel}: ${letter.delivery}` }) : null,
    h('h5', { class: 'letter-title', text: letter.title }),
    h('div', { id: 'preview-summary', class: 'letter-summary', lang: letter.summaryLanguage },
      h('div', { class: 'strong', text: letter.summaryHeading }), paras(letter.summary)),
    h('p', {}, h('strong', { text: `${labels.childLabel}: ` }), letter.child),
    letter.sections.map((s, i) => [
      i === letter.sections.length - 1 && letter.providers.length
        ? [h('h6', { text: labels.providers }), h('ul', {}, letter.providers.map((p) => h('li', { text: p })))]
        : null,
      h('h6', { text: s.heading }),
      paras(s.text)]),
    h('div', { class: 'letter-signature' },
      h('p', { text: labels.signed }),
      h('p', { class: 'strong', text: letter.signerName }),
      h('p', { text: letter.signerTitle }),
      letter.signerContact ? h('p', { id: 'preview-signer-contact', text: letter.signerContact }) : null),
    annex ? h('div', { class: 'letter-annex' },
      h('h6', { text: labels.annexTitle }),
      h('p', { class: 'small', text: labels.annexNote }),
      h('table', { class: 'data-table' },
        h('thead', {}, h('tr', {}, h('th', { text: labels.annexCode }), h('th', { text: labels.annexActivity }),
          annex.years.map((y) => h('th', { class: 'num', text: String(y) })))),
        h('tbody', {}, annex.rows.map((r) => h('tr', {},
          h('td', { class: 'mono', text: r.code }), h('td', { text: r.name }),
          r.cents.map((c) => h('td', { class: 'num', text: formatMoney(c, 'et') }))))),
        h('tfoot', {},
          h('tr', {}, h('th', {}), h('th', { text: labels.annexTotal }), annex.totals.map((c) => h('th', { class: 'num', text: formatMoney(c, 'et') }))),
          h('tr', {}, h('td', {}), h('td', { text: labels.annexCap }), annex.caps.map((c) => h('td', { class: 'num', text: formatMoney(c, 'et') })))))) : null);
}
