/**
 * "Eelarve ja arved" on the case page: per calendar year and activity what the referral's annex
 * grants, what accepted invoices used, what undecided invoices commit and what is left, with the
 * child's yearly cap, as figures and as bars (SVG drawn here, no chart library); and the
 * parent's confirmations of services received, which the invoice check looks for.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText, getLanguage } from '../i18n/index.js';
import { formatDate, parseDisplayDate, todayDisplay } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { formatMoneyIn, budgetBars, budgetScale } from '../billing.js';
import { twoStepGroup } from '../two-step.js';

const heading = () => h('h2', { id: 'case-billing-heading', text: t('billing.caseTitle') });
const money = (cents) => formatMoneyIn(cents, getLanguage());

const SVG = 'http://www.w3.org/2000/svg';
/** An SVG element; attributes are set as attributes and text only as text. */
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') el.textContent = v;
    else if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c) el.append(c);
  return el;
}

/** Fills `box` (the #case-billing section) for a case. */
export async function loadBilling(box, caseId) {
  let budget;
  let confirmations;
  let providers;
  try {
    [budget, confirmations, providers] = await Promise.all([
      api.caseBudget(caseId), api.confirmationList(caseId), api.providerNames(),
    ]);
  } catch (error) {
    replace(box, heading(), h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  replace(box, heading(),
    budgetPart(budget),
    confirmationsPart(caseId, confirmations, providers, () => loadBilling(box, caseId)));
}

function budgetPart(budget) {
  if (budget.years.length === 0) {
    return h('p', { id: 'budget-empty', class: 'muted', text: t('billing.budgetEmpty') });
  }
  return h('div', { id: 'budget' },
    h('p', { class: 'field-hint', text: t('billing.budgetIntro', { decisions: budget.decisions.join(', ') || '—' }) }),
    legend(),
    budget.years.map((y) => yearPart(y)));
}

function legend() {
  const item = (cls, key) => h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch ${cls}`, 'aria-hidden': 'true' }), t(key));
  return h('p', { class: 'budget-legend small' },
    item('bar-used', 'billing.used'), item('bar-committed', 'billing.committed'), item('bar-left', 'billing.left'));
}

function yearPart(y) {
  const scale = budgetScale(y.lines);
  const rowH = 26;
  const labelW = 70;
  const barW = 520;
  const chart = svg('svg', {
    id: `budget-chart-${y.year}`, class: 'budget-chart', role: 'img',
    viewBox: `0 0 ${labelW + barW + 10} ${y.lines.length * rowH + 6}`,
    'aria-label': t('billing.chartLabel', { year: y.year }),
  }, y.lines.map((l, i) => {
    const b = budgetBars(l, scale);
    const w = (permille) => (permille * barW) / 1000;
    const top = i * rowH + 4;
    let x = labelW;
    const seg = (permille, cls, name) => {
      if (permille <= 0) return null;
      const r = svg('rect', { x, y: top, width: w(permille), height: rowH - 8, class: cls, 'data-part': name, 'data-permille': permille });
      x += w(permille);
      return r;
    };
    return svg('g', { 'data-code': l.code, 'data-used': l.usedCents, 'data-committed': l.committedCents, 'data-granted': l.grantedCents },
      svg('title', { text: `${l.code} ${localized(l.name)}: ${t('billing.granted')} ${money(l.grantedCents)}, ${t('billing.used')} ${money(l.usedCents)}, ${t('billing.committed')} ${money(l.committedCents)}, ${t('billing.left')} ${money(l.leftCents)}` }),
      svg('text', { x: 0, y: top + rowH / 2, class: 'bar-label', 'dominant-baseline': 'middle', text: l.code }),
      seg(b.used, 'bar-used', 'used'),
      seg(b.committed, 'bar-committed', 'committed'),
      seg(b.left, 'bar-left', 'left'),
      b.over ? svg('text', { x: x + 4, y: top + rowH / 2, class: 'bar-over', 'dominant-baseline': 'middle', text: '!' }) : null,
      svg('line', { x1: labelW + w(b.granted), x2: labelW + w(b.granted), y1: top - 2, y2: top + rowH - 6, class: 'bar-granted' }));
  }));
  const head = ['activity', 'granted', 'used', 'committed', 'left'].map((k) => h('th', { scope: 'col', text: t(`billing.budgetCol.${k}`) }));
  const cell = (cents, extra = '') => h('td', { class: `num nowrap ${extra}`.trim(), text: money(cents) });
  return h('section', { class: 'budget-year', id: `budget-${y.year}`, 'data-year': String(y.year) },
    h('h3', { text: t('billing.year', { year: y.year }) }),
    chart,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table budget-table', id: `budget-table-${y.year}` },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, y.lines.map((l) => h('tr', { 'data-code': l.code },
        h('td', {}, h('span', { class: 'code-chip', text: l.code }), ' ', localized(l.name)),
        cell(l.grantedCents), cell(l.usedCents, 'budget-used'), cell(l.committedCents), cell(l.leftCents, l.leftCents < 0 ? 'over' : '')))),
      h('tfoot', {}, h('tr', {},
        h('td', { class: 'strong', text: t('billing.total') }),
        cell(y.grantedCents, 'strong'), cell(y.usedCents, 'strong budget-used-total'), cell(y.committedCents, 'strong'), cell(y.leftCents, 'strong'))))),
    h('p', { class: 'small', id: `budget-cap-${y.year}` }, y.capCents == null
      ? t('billing.noCap', { year: y.year })
      // Every part of the sum is named: cap − used − committed = left.
      : t('billing.cap', { cap: money(y.capCents), used: money(y.childUsedCents), committed: money(y.committedCents), left: money(y.capLeftCents) })));
}

/** A remove button that asks first (the first click says "press again"; see two-step.js). */
function removeButton(c, caseId, reload, error, steps) {
  const period = `${formatDate(c.periodFrom)}–${formatDate(c.periodTo)}`;
  const button = h('button', {
    type: 'button', class: 'link danger-text', id: `confirmation-remove-${c.id}`,
    'aria-label': t('billing.confirmationRemoveLabel', { period }),
  }, t('billing.confirmationRemove'));
  return steps.add(button, t('billing.confirmationRemoveConfirm'), async () => {
    if (button.disabled) return;
    button.disabled = true;
    error.hidden = true;
    try {
      await api.confirmationRemove(caseId, c.id);
      await reload();
    } catch (e) {
      button.disabled = false;
      error.textContent = e.fields?.length ? e.fields.map((f) => localized(f.message)).join(' ') : errorText(e);
      error.hidden = false;
    }
  });
}

function confirmationsPart(caseId, list, providers, reload) {
  const removeError = h('div', { id: 'confirmation-remove-error', class: 'field-error', role: 'alert', hidden: true });
  const steps = twoStepGroup();
  const table = list.length === 0
    ? h('p', { id: 'confirmations-empty', class: 'muted', text: t('billing.confirmationsEmpty') })
    : h('div', { class: 'table-wrap' }, h('table', { id: 'confirmation-table', class: 'data-table' },
      h('thead', {}, h('tr', {}, ['period', 'provider', 'confirmedOn', 'channel', 'notes'].map((k) => h('th', { scope: 'col', text: t(`billing.confirmationCol.${k}`) })), h('th', {}))),
      h('tbody', {}, list.map((c) => h('tr', { 'data-confirmation': String(c.id) },
        h('td', { class: 'nowrap', text: `${formatDate(c.periodFrom)}–${formatDate(c.periodTo)}` }),
        h('td', { text: c.providerName ?? t('billing.anyProvider') }),
        h('td', { class: 'nowrap', text: formatDate(c.confirmedOn) }),
        h('td', { text: t(`billing.channel.${c.channel}`) }),
        h('td', { class: 'notes', text: c.notes }),
        h('td', {}, removeButton(c, caseId, reload, removeError, steps)))))));
  const provider = h('select', {}, options(providers.map((p) => String(p.id)), (id) => providers.find((p) => String(p.id) === id).name,
    { placeholder: t('billing.anyProvider') }));
  const from = h('input', { type: 'text', autocomplete: 'off' });
  const to = h('input', { type: 'text', autocomplete: 'off' });
  const on = h('input', { type: 'text', autocomplete: 'off', value: todayDisplay() });
  const channel = h('select', {}, options(['paper', 'email', 'phone', 'portal', 'other'], (c) => t(`billing.channel.${c}`), { selected: 'paper' }));
  const notes = h('input', { type: 'text', autocomplete: 'off' });
  const general = h('div', { id: 'confirmation-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'confirmation-submit', type: 'submit', class: 'secondary' }, t('billing.confirmationAdd'));
  const form = h('form', { id: 'confirmation-form', class: 'inline-form', novalidate: true },
    h('h4', { text: t('billing.confirmationNew') }),
    h('div', { class: 'grid-3' },
      field({ id: 'confirmation-periodFrom', label: t('billing.periodFrom'), control: from, required: true }),
      field({ id: 'confirmation-periodTo', label: t('billing.periodTo'), control: to, required: true }),
      field({ id: 'confirmation-confirmedOn', label: t('billing.confirmedOn'), control: on, required: true }),
      field({ id: 'confirmation-providerId', label: t('billing.provider'), control: provider }),
      field({ id: 'confirmation-channel', label: t('billing.channelLabel'), control: channel, required: true }),
      field({ id: 'confirmation-notes', label: t('billing.notes'), control: notes })),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    try {
      await api.confirmationAdd(caseId, {
        providerId: provider.value ? Number(provider.value) : null,
        periodFrom: parseDisplayDate(from.value),
        periodTo: parseDisplayDate(to.value),
        confirmedOn: parseDisplayDate(on.value),
        channel: channel.value,
        notes: notes.value,
      });
      await reload();
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, 'confirmation-');
    }
  });
  return h('div', { id: 'confirmations' },
    h('h3', { text: t('billing.confirmationsTitle') }),
    h('p', { class: 'field-hint', text: t('billing.confirmationsIntro') }),
    table, removeError, form);
}
