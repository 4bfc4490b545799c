/**
 * "Hindamine": the need assessment of a case. The form saves itself (autosave.js) a moment
 * after typing stops and on leaving a field; the eligibility verdict next to it is the
 * backend's answer to the last saved draft. Once signed, the assessment is read-only. A value
 * the desk refuses ("30 h") does not stop the rest from being saved: the desk holds its text,
 * which stays in the field with its message (also after a restart) until corrected; the status
 * line names it, and closing the window asks first (unsaved.js).
 */
import * as api from '../api.js';
import { h, replace, append, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import {
  todayDisplay, formatDate, formatDateTime, formatTime, formatMoney, parseDisplayDate,
} from '../format.js';
import {
  field, clearErrors, showFieldErrors, showSubmitErrors, readValues,
} from '../form-ui.js';
import {
  AREAS, LEVELS, areaLevelId, areaNotesId, activityCodeId, activityHoursId,
  valuesFromAssessment, assessmentInput, valuesWithHeld, assessmentFieldId, activityLabel, activityIndices,
} from '../assessment.js';
import { reportUnsaved, forgetUnsaved } from '../unsaved.js';
import { createAutosave } from '../autosave.js';
import { profileLinkFor } from '../coordinator-link.js';
import { twoStepGroup } from '../two-step.js';
import { beforeLock } from '../before-lock.js';

const AUTOSAVE_DELAY_MS = 800;

/** The autosave of the assessment on screen; kept so a re-render or a return can wait for it. */
let current = null;

/** Resolves when nothing typed in the assessment is still on its way to the backend. */
export function flushAssessment() {
  return current ? current.flush() : Promise.resolve();
}
// A lock, or a fresh document (fresh-document.js), waits for what was typed in the assessment.
beforeLock(flushAssessment);

/**
 * Fills `box` (the #assessment section) for a case. `onSigned(notice)` re-renders the case.
 */
export async function loadAssessment(box, caseId, { onSigned }) {
  await flushAssessment();
  current = null;
  forgetUnsaved('assessment');
  let assessment;
  try {
    assessment = await api.assessmentGet(caseId);
  } catch (error) {
    replace(box, heading(), h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  renderAssessment(box, assessment, { onSigned });
}

function heading(state = null) {
  return h('div', { class: 'section-head' },
    h('h2', { id: 'assessment-heading', text: t('assessment.title') }), state);
}

function renderAssessment(box, assessment, { onSigned }) {
  const signed = Boolean(assessment.signedOn);
  const values = valuesWithHeld(valuesFromAssessment(assessment), signed ? [] : assessment.held);
  const optionsByCode = new Map((assessment.activityOptions ?? []).map((o) => [o.code, o]));
  const modeLabel = (mode) => t(`mode.${mode}`);

  const saveState = h('p', { id: 'assessment-save-state', class: 'save-state', role: 'status', 'aria-live': 'polite' });
  const eligibility = h('aside', { id: 'assessment-eligibility', class: 'eligibility', 'aria-live': 'polite' });
  showEligibility(eligibility, assessment.eligibility);

  // --- Areas -------------------------------------------------------------------------
  const areaBlocks = AREAS.map((area) => {
    const level = h('select', { disabled: signed },
      options(LEVELS, (c) => t(`level.${c}`), { selected: values[areaLevelId(area)], placeholder: t('common.choose') }));
    const notes = h('textarea', { rows: 3, value: values[areaNotesId(area)], readOnly: signed });
    return h('fieldset', { class: 'area', 'data-area': area },
      h('legend', { text: t(`assessment.area.${area}`) }),
      field({ id: areaLevelId(area), label: t('assessment.level'), control: level }),
      field({ id: areaNotesId(area), label: t('assessment.notes'), control: notes }));
  });

  // --- Goals -------------------------------------------------------------------------
  const goal = (id, label) => field({ id, label, control: h('textarea', { rows: 3, value: values[id], readOnly: signed }) });

  // --- Activities --------------------------------------------------------------------
  const rowsBox = h('div', { class: 'activity-rows' });
  const activitiesGroup = h('div', { id: 'assessment-activities', class: 'activities', role: 'group', 'aria-labelledby': 'assessment-activities-legend' });
  const addButton = signed ? null : h('button', { id: 'assessment-activity-add', type: 'button', class: 'secondary' }, t('assessment.activityAdd'));

  function activityRow(i, row) {
    const option = optionsByCode.get(row.code);
    const known = [...optionsByCode.values()];
    const choices = [h('option', { value: '', selected: row.code === '' }, t('common.choose')),
      ...known.map((o) => h('option', { value: o.code, selected: o.code === row.code }, activityLabel(o, modeLabel)))];
    if (row.code && !option) choices.push(h('option', { value: row.code, selected: true }, row.code));
    const code = h('select', { disabled: signed }, choices);
    const hours = h('input', { type: 'text', inputMode: 'decimal', value: row.hours, readOnly: signed, autocomplete: 'off', class: 'hours' });
    const unitText = h('span', { class: 'activity-unit', 'data-unit-for': String(i) }, unitLabel(option));
    const remove = signed ? null : h('button', {
      type: 'button', class: 'link danger', dataset: { removeActivity: String(i) },
      'aria-label': t('assessment.activityRemoveN', { n: i + 1 }),
    }, t('assessment.activityRemove'));
    return h('div', { class: 'activity-row', dataset: { index: String(i) } },
      field({ id: activityCodeId(i), label: t('assessment.activityN', { n: i + 1 }), control: code, className: 'grow' }),
      field({ id: activityHoursId(i), label: t('assessment.amount'), control: hours, extra: unitText, className: 'amount' }),
      remove ? h('div', { class: 'activity-tools' }, remove) : null);
  }

  function unitLabel(option) {
    if (!option) return '';
    const amount = t(`unit.${option.unit}`);
    const price = option.priceCents != null
      ? t('assessment.unitPrice', { price: formatMoney(option.priceCents), unit: t(`unitOne.${option.unit}`) })
      : '';
    return price ? `${amount} · ${price}` : amount;
  }

  function renderRows(list) {
    replace(rowsBox, list.length
      ? list.map((row, i) => activityRow(i, row))
      : h('p', {
        id: 'assessment-no-activities',
        class: 'muted',
        text: t(signed ? 'assessment.noActivitiesNeeded' : 'assessment.noActivities'),
      }));
    if (confirmNone) confirmNone.hidden = list.length > 0;
  }

  function currentRows() {
    const all = readValues(form);
    return activityIndices(all).map((i) => ({ code: all[activityCodeId(i)] ?? '', hours: all[activityHoursId(i)] ?? '' }));
  }

  // Signing with no activity listed is a finding ("no activities needed"): it is confirmed.
  const confirmNoneBox = signed ? null : h('input', { id: 'assessment-confirm-no-activities', type: 'checkbox' });
  const confirmNone = signed ? null : h('label', { class: 'check', for: 'assessment-confirm-no-activities', hidden: true },
    confirmNoneBox, ` ${t('assessment.confirmNoActivities')}`);
  // dom.append skips null (Element.append would print "null").
  append(activitiesGroup, [
    h('h3', { id: 'assessment-activities-legend', text: t('assessment.activities') }),
    rowsBox,
    h('div', { id: 'assessment-activities-error', class: 'field-error', hidden: true }),
    addButton ? h('div', { class: 'actions left' }, addButton) : null,
    confirmNone]);

  // --- Signing -----------------------------------------------------------------------
  let signBox;
  if (signed) {
    signBox = h('p', {
      id: 'assessment-signed', class: 'banner success signed', 'data-signed-on': assessment.signedOn,
      text: t('assessment.signed', { date: formatDate(assessment.signedOn), name: assessment.signedBy || t('common.none') }),
    });
  } else {
    const signedOn = h('input', { type: 'text', value: todayDisplay(), autocomplete: 'off' });
    const sign = h('button', { id: 'assessment-sign', type: 'button', class: 'primary' }, t('assessment.sign'));
    const signError = h('div', { id: 'assessment-sign-error', class: 'field-error', role: 'alert', hidden: true });
    signBox = h('div', { class: 'sign-row' },
      field({ id: 'assessment-signedOn', label: t('assessment.signedOn'), control: signedOn, hint: t('form.dateHint') }),
      h('div', { class: 'sign-action' }, sign, h('p', { class: 'field-hint', text: t('assessment.signHint') })),
      signError);
    // Signing cannot be undone: the first click (or Enter) says what will happen, the second signs.
    twoStepGroup().add(sign, () => t('assessment.signConfirm', { date: signedOn.value.trim() }),
      () => signAssessment(signedOn, sign, signError));
  }

  const form = h('form', { id: 'assessment-form', novalidate: true, autocomplete: 'off', class: signed ? 'read-only' : '' },
    signed ? signBox : null,
    h('fieldset', { class: 'areas' },
      h('legend', { class: 'sub', text: t('assessment.areas') }),
      h('div', { class: 'area-grid' }, areaBlocks)),
    h('fieldset', { class: 'goals' },
      h('legend', { class: 'sub', text: t('assessment.goals') }),
      h('div', { class: 'grid-2' },
        goal('assessment-childGoals', t('assessment.childGoals')),
        goal('assessment-familyGoals', t('assessment.familyGoals')))),
    activitiesGroup,
    signed ? null : signBox);
  // Enter in a text field must not submit anything: saving is automatic.
  form.addEventListener('submit', (event) => event.preventDefault());

  replace(box,
    heading(saveState),
    h('div', { class: 'assessment-layout' }, form, eligibility));

  renderRows(activityIndices(values).map((i) => ({ code: values[activityCodeId(i)], hours: values[activityHoursId(i)] })));

  if (signed) {
    saveState.textContent = '';
    return;
  }

  // --- Autosave ----------------------------------------------------------------------
  const draft = () => assessmentInput(readValues(form));
  let lastError = null;
  let savedText = assessment.updatedAt
    ? t('assessment.savedAt', { time: formatDateTime(assessment.updatedAt) })
    : t('assessment.autosaveHint');
  // What the desk refused and holds: shown beside its field, named on the status line.
  let refused = assessment.held ?? [];
  const label = (path) => {
    const parts = String(path).split('.');
    if (parts[0] === 'activities') return `${t('assessment.activityN', { n: Number(parts[1]) + 1 })} – ${t('assessment.amount')}`;
    if (parts[0] === 'areas') return t(`assessment.area.${parts[1]}`);
    return t(`assessment.${parts[0]}`);
  };
  const showStatus = () => {
    if (refused.length > 0) {
      saveState.dataset.state = 'refused';
      saveState.textContent = t('assessment.refused', {
        fields: refused.map((f) => `${label(f.field)}: ${errorText({ message: f.message })}`).join('; '),
      });
    } else {
      saveState.textContent = savedText;
    }
  };
  const showRefused = () => {
    clearErrors(form);
    showFieldErrors(form, refused.map((f) => ({ field: f.field, code: f.code, message: f.message })), assessmentFieldId);
  };
  const report = (pending) => reportUnsaved('assessment', {
    pending,
    notSaved: lastError ? [t('assessment.title')] : refused.map((f) => label(f.field)),
    flush: flushAssessment,
  });
  showStatus();
  if (refused.length > 0) showRefused();

  const autosave = createAutosave({
    save: (d) => api.assessmentSave(assessment.caseId, d),
    delay: AUTOSAVE_DELAY_MS,
    initial: draft(),
    onState(state, payload) {
      saveState.dataset.state = state;
      if (state === 'pending') saveState.textContent = t('assessment.pending');
      else if (state === 'saving') saveState.textContent = t('assessment.saving');
      else if (state === 'saved') {
        lastError = null;
        if (payload) {
          refused = payload.held ?? [];
          showRefused();
          showEligibility(eligibility, payload.eligibility);
          savedText = t('assessment.savedAt', { time: formatTime(payload.updatedAt) || formatTime(new Date().toISOString()) });
        }
        showStatus();
      } else if (state === 'error') {
        lastError = payload;
        saveState.textContent = t('assessment.saveFailed', { message: errorText(payload) });
        clearErrors(form);
        showFieldErrors(form, payload.fields, assessmentFieldId);
        if (payload.code === 'assessment.signed') onSigned(null);
      }
      report(state === 'pending' || state === 'saving');
    },
  });
  current = autosave;

  const changed = () => autosave.change(draft());
  form.addEventListener('input', changed);
  form.addEventListener('change', (event) => {
    const m = /^assessment-activity-(\d+)-code$/.exec(event.target.id);
    if (m) {
      const unit = form.querySelector(`[data-unit-for="${m[1]}"]`);
      if (unit) unit.textContent = unitLabel(optionsByCode.get(event.target.value));
    }
    changed();
  });
  form.addEventListener('focusout', (event) => {
    if (event.target.id === 'assessment-signedOn') return;
    autosave.flush(draft());
  });

  addButton.addEventListener('click', () => {
    const list = currentRows();
    list.push({ code: '', hours: '' });
    renderRows(list);
    changed();
    form.querySelector(`#${activityCodeId(list.length - 1)}`).focus();
  });
  rowsBox.addEventListener('click', (event) => {
    const button = event.target.closest('[data-remove-activity]');
    if (!button) return;
    const list = currentRows();
    list.splice(Number(button.dataset.removeActivity), 1);
    renderRows(list);
    changed();
    addButton.focus();
  });

  async function signAssessment(signedOn, sign, signError) {
    if (sign.disabled) return;
    sign.disabled = true;
    clearErrors(form);
    signError.hidden = true;
    await autosave.flush(draft());
    if (lastError) {
      // Signing what the backend has not got would sign something else than is on screen.
      sign.disabled = false;
      showSubmitErrors(form, lastError, signError, assessmentFieldId);
      return;
    }
    if (currentRows().length === 0 && !confirmNoneBox.checked) {
      sign.disabled = false;
      signError.textContent = t('assessment.confirmNoActivitiesMissing');
      signError.hidden = false;
      confirmNoneBox.focus();
      return;
    }
    try {
      await api.assessmentSign(assessment.caseId, parseDisplayDate(signedOn.value));
      autosave.cancel();
      current = null;
      forgetUnsaved('assessment');
      await onSigned(t('assessment.signedNotice'));
    } catch (error) {
      sign.disabled = false;
      showSubmitErrors(form, error, signError, assessmentFieldId);
      // Nobody's name to sign with: the way to where it is set.
      const link = profileLinkFor(error, 'assessment-profile-link');
      if (link) {
        signError.append(' ', link);
        signError.hidden = false;
      }
    }
  }
}

/** The verdict: overall answer, each criterion with ✓ / ✗ / ?, and the backend's summary. */
function showEligibility(panel, eligibility) {
  const e = eligibility ?? { eligible: null, criteria: [], summary: null };
  const verdict = e.eligible === true ? 'yes' : e.eligible === false ? 'no' : 'unknown';
  panel.dataset.eligible = verdict;
  const mark = (met) => {
    if (met === true) return { sign: '✓', cls: 'met', label: t('eligibility.met') };
    if (met === false) return { sign: '✗', cls: 'not-met', label: t('eligibility.notMet') };
    return { sign: '?', cls: 'open', label: t('eligibility.open') };
  };
  replace(panel,
    h('h3', { text: t('eligibility.title') }),
    h('p', { class: `verdict verdict-${verdict}`, text: t(`eligibility.${verdict}`) }),
    h('ul', { class: 'criteria' }, (e.criteria ?? []).map((c) => {
      const m = mark(c.met);
      return h('li', { class: `criterion ${m.cls}`, 'data-code': c.code, 'data-met': String(c.met) },
        h('span', { class: 'criterion-mark', 'aria-hidden': 'true', text: m.sign }),
        h('span', { class: 'visually-hidden', text: `${m.label}: ` }),
        h('span', { class: 'criterion-text', text: localized(c.text) }));
    })),
    e.summary ? h('p', { class: 'eligibility-summary', text: localized(e.summary) }) : null);
}
