/**
 * Registering an application (taotlus). The form only collects and shapes input
 * (application.js); the backend validates and its errors are shown under the fields
 * they name. What was typed is kept in a draft until the case is registered, so neither
 * an error nor a detour to another view loses it.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText, localized } from '../i18n/index.js';
import { todayDisplay, formatDate, parseDisplayDate } from '../format.js';
import { serialiseApplication, guardianIndices } from '../application.js';
import {
  CHANNELS, CONTACT_LANGUAGES, DELIVERIES, RELATIONS, SEVERITIES, SEXES,
} from '../codes.js';
import {
  field, clearErrors, clearFieldError, showFieldError, errorSummary,
} from '../form-ui.js';

const GUARDIAN_DEFAULTS = { language: 'et', delivery: 'email', relation: 'parent' };
const CODE_CHECK_DELAY_MS = 300;

/** The unsent form, by control id. Lives as long as the window. */
let draft = null;

function defaults() {
  return {
    'route-kind': 'disability',
    applicationDate: todayDisplay(),
    ...guardianValues(0, GUARDIAN_DEFAULTS),
  };
}

function guardianValues(index, values) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`guardian-${index}-${k}`, v]));
}

/** Reads every control of the form into a plain object keyed by control id (radios by name). */
export function readFormValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (el.type === 'radio') {
      if (el.checked) values[el.name] = el.value;
    } else if (el.id && 'value' in el && el.tagName !== 'BUTTON' && el.tagName !== 'FIELDSET') {
      values[el.id] = el.value;
    }
  }
  return values;
}

export async function render(root, ctx) {
  const places = await api.placesList();
  const values = { ...defaults(), ...(draft ?? {}) };

  const text = (id, props = {}) => h('input', { type: 'text', value: values[id] ?? '', ...props });
  const select = (id, codes, label, placeholder = t('common.choose')) =>
    h('select', {}, options(codes, label, { selected: values[id] ?? '', placeholder }));
  const municipalitySelect = (id) => h('select', {}, municipalityOptions(places, values[id] ?? ''));

  // --- Child -------------------------------------------------------------------------
  const personalCode = text('child-personalCode', { inputMode: 'numeric', autocomplete: 'off', maxLength: 20 });
  const codeInfo = h('div', { id: 'child-personalCode-info', class: 'field-info', 'aria-live': 'polite' });
  const birthDate = text('child-birthDate', { placeholder: t('form.dateHint'), autocomplete: 'off' });
  const sex = select('child-sex', SEXES, (c) => t(`sex.${c}`));

  const childSection = h('fieldset', { class: 'form-section' },
    h('legend', { text: t('form.child') }),
    h('div', { class: 'grid-2' },
      field({ id: 'child-firstName', label: t('form.firstName'), control: text('child-firstName', { autocomplete: 'off' }), required: true }),
      field({ id: 'child-lastName', label: t('form.lastName'), control: text('child-lastName', { autocomplete: 'off' }), required: true }),
      field({
        id: 'child-personalCode', label: t('form.personalCode'), control: personalCode,
        hint: t('form.personalCodeHint'), extra: codeInfo,
      }),
      h('div', { class: 'grid-2 nested' },
        field({ id: 'child-birthDate', label: t('form.birthDate'), control: birthDate, hint: t('form.birthDateHint') }),
        field({ id: 'child-sex', label: t('form.sex'), control: sex })),
      field({ id: 'child-municipalityCode', label: t('form.municipality'), control: municipalitySelect('child-municipalityCode'), required: true }),
      field({ id: 'child-address', label: t('form.address'), control: text('child-address') })));

  // --- Guardians ---------------------------------------------------------------------
  const guardiansBox = h('div', { id: 'guardians', class: 'guardians' });
  const addGuardian = h('button', { type: 'button', class: 'secondary', id: 'guardian-add' }, t('form.addGuardian'));
  const guardiansSection = h('fieldset', { class: 'form-section' },
    h('legend', { text: t('form.guardians') }),
    guardiansBox,
    h('div', { id: 'guardians-error', class: 'field-error', hidden: true }),
    h('div', { class: 'actions left' }, addGuardian));

  function guardianBlock(index, count, v) {
    const id = (f) => `guardian-${index}-${f}`;
    const input = (f, props = {}) => h('input', { type: 'text', value: v[id(f)] ?? '', ...props });
    const sel = (f, codes, prefix) => h('select', {}, options(codes, (c) => t(`${prefix}.${c}`), { selected: v[id(f)] ?? '' }));
    const remove = count > 1
      ? h('button', { type: 'button', class: 'link danger', dataset: { removeGuardian: String(index) } }, t('form.removeGuardian'))
      : null;
    return h('fieldset', { class: 'guardian', dataset: { index: String(index) } },
      h('legend', {}, t('form.guardianN', { n: index + 1 })),
      remove ? h('div', { class: 'guardian-tools' }, remove) : null,
      h('div', { class: 'grid-2' },
        field({ id: id('firstName'), label: t('form.firstName'), control: input('firstName', { autocomplete: 'off' }), required: true }),
        field({ id: id('lastName'), label: t('form.lastName'), control: input('lastName', { autocomplete: 'off' }), required: true }),
        field({ id: id('personalCode'), label: t('form.personalCode'), control: input('personalCode', { inputMode: 'numeric', autocomplete: 'off' }) }),
        field({ id: id('relation'), label: t('form.relation'), control: sel('relation', RELATIONS, 'relation') }),
        field({ id: id('phone'), label: t('form.phone'), control: input('phone', { type: 'tel' }) }),
        field({ id: id('email'), label: t('form.email'), control: input('email', { type: 'email' }) }),
        field({ id: id('postalAddress'), label: t('form.postalAddress'), control: input('postalAddress'), className: 'span-2' }),
        field({ id: id('language'), label: t('form.language'), control: sel('language', CONTACT_LANGUAGES, 'language') }),
        field({ id: id('delivery'), label: t('form.delivery'), control: sel('delivery', DELIVERIES, 'delivery') })));
  }

  /** Re-renders the guardian blocks from a list of per-guardian value objects (indices renumbered). */
  function renderGuardians(list) {
    const count = list.length;
    replace(guardiansBox, list.map((g, i) => guardianBlock(i, count, guardianValues(i, g))));
  }

  function currentGuardians() {
    const all = readFormValues(form);
    return guardianIndices(all).map((i) => Object.fromEntries(
      Object.entries(all)
        .filter(([k]) => k.startsWith(`guardian-${i}-`))
        .map(([k, val]) => [k.slice(`guardian-${i}-`.length), val])));
  }

  // --- Route -------------------------------------------------------------------------
  const radio = (kind) => h('input', {
    type: 'radio', name: 'route-kind', id: `route-${kind}`, value: kind, checked: values['route-kind'] === kind,
  });
  const disabilityGroup = h('div', { class: 'route-group' },
    field({ id: 'route-severity', label: t('form.severity'), control: select('route-severity', SEVERITIES, (c) => t(`severity.${c}`)), required: true }));
  const kovGroup = h('div', { class: 'route-group grid-2' },
    field({ id: 'route-municipalityCode', label: t('form.routeMunicipality'), control: municipalitySelect('route-municipalityCode'), required: true, className: 'span-2' }),
    field({ id: 'route-workerName', label: t('form.workerName'), control: text('route-workerName'), required: true, className: 'span-2' }),
    field({ id: 'route-workerPhone', label: t('form.workerPhone'), control: text('route-workerPhone', { type: 'tel' }) }),
    field({ id: 'route-workerEmail', label: t('form.workerEmail'), control: text('route-workerEmail', { type: 'email' }) }));
  const routeSection = h('fieldset', { class: 'form-section' },
    h('legend', { text: t('form.route') }),
    h('div', { class: 'radio-row', role: 'radiogroup', 'aria-label': t('form.routeKind') },
      h('label', { class: 'radio' }, radio('disability'), ' ', t('route.disability')),
      h('label', { class: 'radio' }, radio('kov'), ' ', t('route.kov'))),
    disabilityGroup,
    kovGroup);

  // --- Application -------------------------------------------------------------------
  const applicationSection = h('fieldset', { class: 'form-section' },
    h('legend', { text: t('form.application') }),
    h('div', { class: 'grid-2' },
      field({ id: 'applicationDate', label: t('form.applicationDate'), control: text('applicationDate', { autocomplete: 'off' }), hint: t('form.dateHint'), required: true }),
      field({ id: 'channel', label: t('form.channel'), control: select('channel', CHANNELS, (c) => t(`channel.${c}`)), required: true }),
      field({ id: 'notes', label: t('form.notes'), control: h('textarea', { rows: 4, value: values.notes ?? '' }), className: 'span-2' })));

  const errors = errorSummary('form-error');
  const submit = h('button', { id: 'application-submit', type: 'submit', class: 'primary' }, t('form.submit'));
  const form = h('form', { id: 'application-form', novalidate: true, autocomplete: 'off' },
    errors.element, childSection, guardiansSection, routeSection, applicationSection,
    h('div', { class: 'actions form-actions' }, submit));

  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('form.title') })),
    h('p', { class: 'lead', text: t('form.intro') }),
    form);

  const initialGuardians = guardianIndices(values).map((i) => Object.fromEntries(
    Object.entries(values).filter(([k]) => k.startsWith(`guardian-${i}-`))
      .map(([k, v]) => [k.slice(`guardian-${i}-`.length), v])));
  renderGuardians(initialGuardians.length ? initialGuardians : [{ ...GUARDIAN_DEFAULTS }]);

  // --- Behaviour ---------------------------------------------------------------------
  const saveDraft = () => { draft = readFormValues(form); };
  form.addEventListener('input', saveDraft);
  form.addEventListener('change', saveDraft);

  addGuardian.addEventListener('click', () => {
    const list = currentGuardians();
    list.push({ ...GUARDIAN_DEFAULTS });
    renderGuardians(list);
    saveDraft();
    guardiansBox.querySelector(`#guardian-${list.length - 1}-firstName`).focus();
  });
  guardiansBox.addEventListener('click', (event) => {
    const button = event.target.closest('[data-remove-guardian]');
    if (!button) return;
    const index = Number(button.dataset.removeGuardian);
    const list = currentGuardians();
    list.splice(index, 1);
    renderGuardians(list);
    saveDraft();
    addGuardian.focus();
  });

  function showRoute() {
    const kind = form.querySelector('input[name="route-kind"]:checked')?.value;
    disabilityGroup.hidden = kind !== 'disability';
    kovGroup.hidden = kind !== 'kov';
  }
  routeSection.addEventListener('change', showRoute);
  showRoute();

  // Birth date and sex are asked only when the child has no personal code.
  function syncNoCodeFields() {
    const empty = personalCode.value.trim() === '';
    birthDate.disabled = !empty;
    sex.disabled = !empty;
  }
  syncNoCodeFields();

  let checkTimer = null;
  let checkSeq = 0;
  async function checkPersonalCode({ final }) {
    const code = personalCode.value.trim();
    const mySeq = ++checkSeq;
    if (code === '') {
      codeInfo.textContent = '';
      clearFieldError(form, 'child-personalCode');
      return;
    }
    let result;
    try {
      result = await api.personalCodeCheck(code);
    } catch (error) {
      result = { valid: false, error };
    }
    if (mySeq !== checkSeq) return;
    // The old answer stays until the new one is known: no flicker, no jump.
    codeInfo.textContent = '';
    if (result.valid && result.birthDate > parseDisplayDate(todayDisplay())) {
      // Checked again when the form is sent; said at once, as the other faults of a code are.
      showFieldError(form, 'child-personalCode', t('form.personalCodeFuture', { birthDate: formatDate(result.birthDate) }));
    } else if (result.valid) {
      clearFieldError(form, 'child-personalCode');
      codeInfo.textContent = t('form.personalCodeInfo', {
        birthDate: formatDate(result.birthDate),
        sex: result.sex ? t(`sex.${result.sex}`) : t('common.none'),
      });
    } else if (final || code.length >= 11) {
      // While typing a short prefix the code is simply unfinished; say so only once it is complete.
      // The field's own reason (check digit, length, date), not the form's "correct the marked fields".
      const reason = result.error?.fields?.[0]?.message;
      showFieldError(form, 'child-personalCode', reason ? localized(reason) : errorText(result.error));
    } else {
      clearFieldError(form, 'child-personalCode');
    }
  }
  personalCode.addEventListener('input', () => {
    syncNoCodeFields();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => checkPersonalCode({ final: false }), CODE_CHECK_DELAY_MS);
  });
  personalCode.addEventListener('blur', () => {
    clearTimeout(checkTimer);
    checkPersonalCode({ final: true });
  });
  if (personalCode.value.trim() !== '') checkPersonalCode({ final: true });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearTimeout(checkTimer);
    checkSeq += 1; // a pending live check must not overwrite the submit's answer
    clearErrors(form);
    errors.hide();
    const payload = serialiseApplication(readFormValues(form));
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      const detail = await api.caseRegister(payload);
      draft = null;
      ctx.navigate('case', { id: detail.id });
    } catch (error) {
      showSubmitError(error);
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });

  function showSubmitError(error) {
    if (error.code === 'validation') {
      errors.show(error);
      return;
    }
    const children = [h('p', { text: errorText(error) })];
    if (error.code === 'case.duplicate_open' && error.details?.caseId != null) {
      const open = h('button', { type: 'button', class: 'secondary', id: 'duplicate-open' }, t('form.duplicateOpen'));
      open.addEventListener('click', () => ctx.navigate('case', { id: error.details.caseId }));
      children.push(h('div', { class: 'actions left' }, open));
    }
    errors.showText(...children);
  }
}

/** Municipality <option>s grouped by county in <optgroup>s, with an empty "choose" first. */
function municipalityOptions(places, selected) {
  const list = [h('option', { value: '', selected: selected === '' }, t('common.choose'))];
  const counties = places?.counties ?? [];
  const municipalities = places?.municipalities ?? [];
  const option = (m) => h('option', { value: m.code, selected: m.code === selected }, m.name);
  for (const county of counties) {
    const inCounty = municipalities.filter((m) => m.countyCode === county.code);
    if (inCounty.length) list.push(h('optgroup', { label: county.name }, inCounty.map(option)));
  }
  const known = new Set(counties.map((c) => c.code));
  list.push(...municipalities.filter((m) => !known.has(m.countyCode)).map(option));
  return list;
}
