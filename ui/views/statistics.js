/**
 * Statistika: pick a period (month, quarter, year, custom, all years), a breakdown and filters;
 * the backend computes every figure once (the same struct the XLSX, CSV, PDF and the periodic
 * report are written from) and draws the charts as SVG, shown here as images. The UI only
 * formats numbers: no figure is computed in the window.
 */
import * as api from '../api.js';
import { cancelButton } from '../cancel.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText, getLanguage } from '../i18n/index.js';
import { formatDate, formatMoney, formatDecimal, parseDisplayDate } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { pathField } from './settings-backup.js';

const KINDS = ['month', 'quarter', 'year', 'custom', 'all'];
const BREAKDOWNS = ['', 'route', 'county', 'municipality', 'provider', 'activity'];

/** Integer cents: "1 234,56 €" in both languages (format.js says why). */
export function money(cents, lang = getLanguage()) {
  return formatMoney(cents, lang);
}

/** A decimal from the backend as text ("66,7" in both languages); a dash for none. */
export function decimal(value, lang = getLanguage()) {
  if (value == null) return '—';
  return formatDecimal(value);
}

const days = (v) => (v == null ? '—' : String(v));

let state = null; // the query shown, kept while the app runs

function defaultQuery(today) {
  const [y, m] = today.split('-').map(Number);
  return {
    period: { kind: 'month', year: y, number: m, from: '', to: '' },
    breakdown: '',
    filter: { route: '', county: '', municipality: '', provider: '', activity: '' },
  };
}

export async function render(root) {
  let view = null;
  if (state) {
    // A period typed wrong last time is forgotten rather than shown as a broken page.
    view = await api.statsGet(state, getLanguage()).catch(() => null);
  }
  if (!view) {
    // The current month, as the backend's today says.
    view = await api.statsGet({ period: { kind: 'month' } }, getLanguage());
    state = defaultQuery(view.options.today);
  }
  performance.mark('srt:fetched'); // scripts/ui-bench reads the page's marks (docs/performance.md)
  const results = h('div', { id: 'stats-results', 'aria-live': 'polite' });
  const error = h('div', { id: 'stats-error', class: 'banner error', role: 'alert', hidden: true });
  const cancel = cancelButton('stats-cancel');
  const controls = controlsCard(view.options, async () => {
    error.hidden = true;
    clearErrors(controls);
    results.setAttribute('aria-busy', 'true');
    cancel.running(true);
    try {
      const next = await api.statsGet(state, getLanguage());
      showResults(results, next);
    } catch (e) {
      showSubmitErrors(controls, e, error, 'stats-');
    } finally {
      cancel.running(false);
      results.removeAttribute('aria-busy');
    }
  });
  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('stats.title') })),
    h('p', { class: 'lead', text: t('stats.intro') }),
    controls,
    h('div', { class: 'actions left' }, cancel.element),
    error,
    results,
    h('div', { class: 'history-grid' }, exportCard(), reportCard()));
  performance.mark('srt:built');
  showResults(results, view);
  performance.mark('srt:parts');
}

function select(id, values, label, selected) {
  return h('select', { id }, values.map((v) => h('option', { value: v, selected: String(v) === String(selected) }, label(v))));
}

function controlsCard(options, onChange) {
  const q = state;
  const today = options.today;
  const thisYear = Number(today.slice(0, 4));
  const years = [];
  for (let y = thisYear; y >= Math.min(options.firstYear, thisYear); y -= 1) years.push(y);
  const kind = select('stats-kind', KINDS, (k) => t(`stats.kind.${k}`), q.period.kind);
  const year = select('stats-year', years, String, q.period.year || thisYear);
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const number = h('select', { id: 'stats-number' });
  const from = h('input', { type: 'text', autocomplete: 'off', placeholder: 'pp.kk.aaaa', value: q.period.from });
  const to = h('input', { type: 'text', autocomplete: 'off', placeholder: 'pp.kk.aaaa', value: q.period.to });
  const breakdown = select('stats-breakdown', BREAKDOWNS, (b) => t(`stats.breakdown.${b || 'none'}`), q.breakdown);
  const pick = (id, list, selected) => h('select', { id },
    h('option', { value: '' }, t('stats.filter.all')),
    list.map(([code, name]) => h('option', { value: code, selected: code === selected }, typeof name === 'string' ? name : `${code} ${localized(name)}`)));
  const route = pick('stats-route', [['disability', t('route.disability')], ['kov', t('route.kov')]], q.filter.route);
  const county = pick('stats-county', options.counties, q.filter.county);
  const municipality = pick('stats-municipality', options.municipalities, q.filter.municipality);
  const provider = pick('stats-provider', options.providers, q.filter.provider);
  const activity = pick('stats-activity', options.activities, q.filter.activity);

  const numberField = field({ id: 'stats-number', label: t('stats.number'), control: number, className: 'field-short' });
  const fromField = field({ id: 'stats-period-from', label: t('stats.from'), control: from, className: 'field-short' });
  const toField = field({ id: 'stats-period-to', label: t('stats.to'), control: to, className: 'field-short' });
  const yearField = field({ id: 'stats-year', label: t('stats.year'), control: year, className: 'field-short' });

  function fillNumber() {
    const k = kind.value;
    const list = k === 'quarter' ? [1, 2, 3, 4] : months;
    const current = Number(number.value || state.period.number || 1);
    replace(number, list.map((n) => h('option', { value: String(n), selected: n === Math.min(current, list.length) },
      k === 'quarter' ? t('stats.quarterN', { n }) : t(`stats.month.${n}`))));
    numberField.hidden = !(k === 'month' || k === 'quarter');
    yearField.hidden = k === 'custom' || k === 'all';
    fromField.hidden = k !== 'custom';
    toField.hidden = k !== 'custom';
  }
  fillNumber();

  const form = h('form', { id: 'stats-controls', class: 'card stats-controls', novalidate: true },
    h('div', { class: 'stats-row' },
      field({ id: 'stats-kind', label: t('stats.period'), control: kind, className: 'field-short' }),
      yearField, numberField, fromField, toField,
      field({ id: 'stats-breakdown', label: t('stats.breakdown'), control: breakdown, className: 'field-short' })),
    h('div', { class: 'stats-row' },
      field({ id: 'stats-route', label: t('stats.filter.route'), control: route, className: 'field-short' }),
      field({ id: 'stats-county', label: t('stats.filter.county'), control: county, className: 'field-short' }),
      field({ id: 'stats-municipality', label: t('stats.filter.municipality'), control: municipality, className: 'field-short' }),
      field({ id: 'stats-provider', label: t('stats.filter.provider'), control: provider }),
      field({ id: 'stats-activity', label: t('stats.filter.activity'), control: activity })));

  function read() {
    if (kind.value === 'quarter' && state.period.kind === 'month') {
      // Month → quarter: stay on the quarter of the month shown.
      number.value = String(Math.ceil(Number(number.value) / 3));
    }
    state = {
      period: {
        kind: kind.value,
        year: Number(year.value),
        number: Number(number.value || 0),
        from: from.value.trim(),
        to: to.value.trim(),
      },
      breakdown: breakdown.value,
      filter: {
        route: route.value, county: county.value, municipality: municipality.value, provider: provider.value, activity: activity.value,
      },
    };
  }
  form.addEventListener('change', (event) => {
    if (event.target === kind) {
      const was = { kind: state.period.kind, number: Number(number.value || 0) };
      read();
      fillNumber();
      if (was.kind === 'quarter' && kind.value === 'month') {
        // Quarter → month: this month when it is in that quarter, else the quarter's first.
        const todayMonth = Number(today.slice(5, 7));
        const inQuarter = Number(year.value) === thisYear && Math.ceil(todayMonth / 3) === was.number;
        number.value = String(inQuarter ? todayMonth : was.number * 3 - 2);
        read();
      }
      // A custom period waits for both dates.
      if (kind.value === 'custom' && (!from.value.trim() || !to.value.trim())) return;
    }
    read();
    if (kind.value === 'custom' && (!from.value.trim() || !to.value.trim())) return;
    onChange();
  });
  form.addEventListener('submit', (event) => { event.preventDefault(); read(); onChange(); });
  return form;
}

function showResults(box, view) {
  const s = view.stats;
  replace(box,
    // A chosen range is its own label: said once ("01.01.2026 – 31.01.2026", not twice).
    h('p', { id: 'stats-caption', class: 'small muted', text: s.period.kind === 'custom'
      ? t('stats.captionRange', { from: formatDate(s.period.from), to: formatDate(s.period.to), asOf: formatDate(s.asOf) })
      : t('stats.caption', {
        label: localized(s.period.label), from: formatDate(s.period.from), to: formatDate(s.period.to), asOf: formatDate(s.asOf),
      }) }),
    summaryCard(s.totals),
    h('section', { id: 'stats-charts', class: 'stats-charts', 'aria-label': t('stats.charts') },
      view.charts.map((c) => h('figure', { class: 'card stats-chart', 'data-chart': c.id },
        h('figcaption', { text: c.title }),
        h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`, alt: c.title, width: 640, height: 300 })))),
    groupsCard(s),
    monthsCard(s.months),
    lateCard(s.late),
    feedbackCard(s.feedback));
}

function summaryCard(f) {
  const item = (id, label, value, sub) => h('div', { class: 'stat', 'data-figure': id },
    h('div', { class: 'stat-label', text: label }),
    h('div', { class: 'stat-value', text: value }),
    sub ? h('div', { class: 'stat-sub small muted', text: sub }) : null);
  return h('section', { id: 'stats-summary', class: 'card stats-summary', 'aria-label': t('stats.summary') },
    item('received', t('stats.col.received'), String(f.received)),
    item('decisions', t('stats.decisions'), String(f.referrals + f.refusals),
      t('stats.decisionsSub', { referrals: f.referrals, refusals: f.refusals, amendments: f.amendments, terminations: f.terminations })),
    item('daysToDecision', t('stats.daysToDecision'), days(f.daysToDecision.median), t('stats.p90', { v: days(f.daysToDecision.p90) })),
    item('onTime', t('stats.onTime'), f.onTimePct == null ? '—' : `${decimal(f.onTimePct)} %`,
      t('stats.onTimeSub', { n: f.onTime, of: f.daysToDecision.count })),
    item('daysToStart', t('stats.daysToStart'), days(f.daysToStart.median), t('stats.p90', { v: days(f.daysToStart.p90) })),
    item('waiting', t('stats.col.waiting'), String(f.waiting)),
    item('active', t('stats.col.active'), String(f.active)),
    item('granted', t('stats.col.granted'), money(f.grantedCents)),
    item('invoiced', t('stats.col.invoiced'), money(f.invoicedCents)),
    item('accepted', t('stats.col.accepted'), money(f.acceptedCents)),
    item('feedback', t('stats.feedbackAverage'), decimal(f.feedbackAverage), t('stats.responsesN', { n: f.feedbackResponses })));
}

const GROUP_COLUMNS = [
  ['received', (f) => String(f.received)],
  ['referrals', (f) => String(f.referrals)],
  ['refusals', (f) => String(f.refusals)],
  ['median', (f) => days(f.daysToDecision.median)],
  ['p90', (f) => days(f.daysToDecision.p90)],
  ['onTime', (f) => (f.onTimePct == null ? '—' : `${decimal(f.onTimePct)} %`)],
  ['startMedian', (f) => days(f.daysToStart.median)],
  ['waiting', (f) => String(f.waiting)],
  ['active', (f) => String(f.active)],
  ['granted', (f) => money(f.grantedCents)],
  ['invoiced', (f) => money(f.invoicedCents)],
  ['accepted', (f) => money(f.acceptedCents)],
  ['responses', (f) => String(f.feedbackResponses)],
  ['average', (f) => decimal(f.feedbackAverage)],
];

function table(id, heads, rows) {
  // A wide table scrolls in its own box: the box takes the keyboard focus so that it can be
  // scrolled without a mouse, and says what it holds.
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('stats.tableRegion', { first: heads[0] ?? '' }) }, h('table', { id, class: 'data-table stats-table' },
    h('thead', {}, h('tr', {}, heads.map((k, i) => h('th', { scope: 'col', class: i === 0 ? '' : 'num', text: k })))),
    h('tbody', {}, rows)));
}

function groupsCard(s) {
  const head = [s.breakdown ? t(`stats.breakdown.${s.breakdown}`) : '', ...GROUP_COLUMNS.map(([k]) => t(`stats.col.${k}`))];
  const row = (key, label, f, cls) => h('tr', { class: cls, 'data-key': key },
    h('th', { scope: 'row', text: label }),
    GROUP_COLUMNS.map(([k, fmt]) => h('td', { class: 'num', 'data-col': k, text: fmt(f) })));
  return h('section', { id: 'stats-groups-card', class: 'card' },
    h('h2', { text: s.breakdown ? t('stats.byGroup', { name: t(`stats.breakdown.${s.breakdown}`).toLowerCase() }) : t('stats.totals') }),
    table('stats-groups', head, [
      row('', t('stats.total'), s.totals, 'total-row'),
      // Route groups are named in the UI's language; places and providers by their own names.
      ...s.groups.map((g) => row(g.key, s.breakdown === 'route' && g.key ? t(`route.${g.key}`) : g.label, g.figures, '')),
    ]),
    h('p', { class: 'small muted', text: t('stats.definitions') }));
}

function monthsCard(months) {
  return h('section', { id: 'stats-months-card', class: 'card' },
    h('h2', { text: t('stats.byMonth') }),
    table('stats-months', [t('stats.col.month'), t('stats.col.received'), t('stats.col.decided'), t('stats.col.granted'), t('stats.col.invoiced'), t('stats.col.accepted'), t('stats.col.responses'), t('stats.col.average')],
      months.map((m) => h('tr', { 'data-month': m.month },
        h('th', { scope: 'row', text: m.month }),
        h('td', { class: 'num', text: String(m.received) }),
        h('td', { class: 'num', text: String(m.decided) }),
        h('td', { class: 'num', text: money(m.grantedCents) }),
        h('td', { class: 'num', text: money(m.invoicedCents) }),
        h('td', { class: 'num', text: money(m.acceptedCents) }),
        h('td', { class: 'num', text: String(m.feedbackResponses) }),
        h('td', { class: 'num', text: decimal(m.feedbackAverage) })))));
}

function lateCard(late) {
  return h('section', { id: 'stats-late-card', class: 'card' },
    h('h2', { text: t('stats.late', { n: late.length }) }),
    late.length === 0 ? h('p', { class: 'muted', text: t('stats.noneLate') })
      : table('stats-late', [t('stats.col.case'), t('stats.col.decision'), t('stats.col.date'), t('stats.col.due'), t('stats.col.daysLate'), t('stats.col.reason')],
        late.map((l) => h('tr', {},
          h('th', { scope: 'row', class: 'mono', text: l.caseNo }),
          h('td', { class: 'mono', text: l.number }),
          h('td', { text: formatDate(l.decisionDate) }),
          h('td', { text: formatDate(l.due) }),
          h('td', { class: 'num', text: String(l.daysLate) }),
          h('td', { text: l.reason || t('common.none') })))));
}

function feedbackCard(fb) {
  return h('section', { id: 'stats-feedback', class: 'card' },
    h('h2', { text: t('stats.feedbackTitle', { n: fb.responses }) }),
    table('stats-feedback-table', [t('stats.col.question'), t('stats.col.responses'), t('stats.col.average'), '1', '2', '3', '4', '5'],
      fb.questions.map((q) => h('tr', { 'data-question-id': String(q.questionId) },
        h('th', { scope: 'row' }, localized(q.text), q.active ? null : h('span', { class: 'small muted', text: ` (${t('feedback.retired')})` })),
        h('td', { class: 'num', text: String(q.count) }),
        h('td', { class: 'num strong', text: decimal(q.average) }),
        q.distribution.map((n) => h('td', { class: 'num', text: String(n) }))))),
    fb.comments.length === 0 ? null : h('div', {},
      h('h3', { text: t('stats.comments') }),
      h('ul', { id: 'stats-comments', class: 'stats-comments' }, fb.comments.slice(0, 20).map((c) => h('li', {},
        h('span', { class: 'small muted', text: `${formatDate(c.answeredOn)}${c.provider ? ` · ${c.provider}` : ''}: ` }),
        c.comment)))));
}

function fileForm(id, label, hint, defaultName, button, action) {
  const path = pathField({ id: `${id}-path`, label, hint, pick: () => api.chooseSavePath(defaultName()) });
  const submit = h('button', { id: `${id}-submit`, type: 'submit', class: 'primary' }, button);
  const cancel = cancelButton(`${id}-cancel`);
  const done = h('p', { id: `${id}-done`, class: 'save-message', role: 'status' });
  const form = h('form', { id: `${id}-form`, novalidate: true }, path.element, h('div', { class: 'actions left' }, submit, cancel.element), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    done.textContent = '';
    submit.disabled = true;
    cancel.running(true);
    try {
      const written = await action(path.input.value);
      done.textContent = t('stats.exported', { path: written.path });
    } catch (error) {
      const placed = showSubmitErrors(form, error, null, `${id}-`);
      if (placed.length === 0) {
        // A period that does not fit the report: say it next to the button's field.
        const messages = (error.fields ?? []).map((f) => localized(f.message)).filter(Boolean);
        const el = form.querySelector(`#${id}-path-error`);
        if (el) { el.textContent = messages.length ? messages.join(' ') : errorText(error); el.hidden = false; }
      }
    } finally {
      cancel.running(false);
      submit.disabled = false;
    }
  });
  return form;
}

/** The period in a suggested file name: "2026-11", "2026-K4", "2026", "koik-aastad", "2026-01-01_2026-03-31". */
export function periodStamp(period) {
  if (!period) return 'statistika';
  const { kind, year, number } = period;
  if (kind === 'month') return `${year}-${String(number).padStart(2, '0')}`;
  if (kind === 'quarter') return `${year}-K${number}`;
  if (kind === 'year') return String(year);
  if (kind === 'all') return 'koik-aastad';
  const iso = (text) => parseDisplayDate(text).replace(/[^0-9-]/g, '');
  return kind === 'custom' && period.from && period.to ? `${iso(period.from)}_${iso(period.to)}` : 'statistika';
}
const stamp = () => periodStamp(state?.period);

function exportCard() {
  return h('section', { id: 'stats-export', class: 'card', 'aria-labelledby': 'stats-export-heading' },
    h('h2', { id: 'stats-export-heading', text: t('stats.exportTitle') }),
    fileForm('stats-export', t('stats.exportFile'), t('stats.exportHint'), () => `srt-statistika-${stamp()}.xlsx`, t('stats.export'),
      (path) => api.statsExport(state, path)));
}

function reportCard() {
  return h('section', { id: 'stats-report', class: 'card', 'aria-labelledby': 'stats-report-heading' },
    h('h2', { id: 'stats-report-heading', text: t('stats.reportTitle') }),
    h('p', { class: 'small muted', text: t('stats.reportIntro') }),
    fileForm('stats-report', t('stats.reportFile'), t('stats.reportHint'), () => `srt-aruanne-${stamp()}.pdf`, t('stats.report'),
      (path) => api.periodicReportExport(state, path)));
}
