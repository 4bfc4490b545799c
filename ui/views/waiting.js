/**
 * Ootel: every case waiting for a provider (no registration yet) or for the start of service,
 * with days waited, grouped by county and by activity, and where the service is scarce (children
 * waiting, few or no providers there with free places). Everything is counted by the backend.
 * The children waiting come a page at a time, the longest waits first (a national desk has
 * thousands: drawn whole, the list took 0.6 s), and can be narrowed to a county, an activity or
 * what they wait for; the choice lives in the address (#/waiting?county=..&activity=..&for=..&page=..).
 */
import * as api from '../api.js';
import { h, replace, dataTable } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { buildHash } from '../router.js';
import { pagerNav, PAGE_SIZE } from '../pager.js';

export async function render(root, ctx) {
  const query = ctx.route.query;
  const state = {
    county: query.county ?? '',
    activity: query.activity ?? '',
    waitingFor: ['provider', 'start'].includes(query.for) ? query.for : '',
    page: Math.max(1, Number.parseInt(query.page, 10) || 1),
  };
  const filterOf = () => ({
    county: state.county, activity: state.activity, waitingFor: state.waitingFor,
    limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE,
  });
  // The first rows of the availability (scarce first) and how many there are: the page's one
  // call; a filter or page change redraws the cases only and asks for none of it.
  const w = await api.waitingOverview({ ...filterOf(), availabilityLimit: AVAILABILITY_FIRST });
  performance.mark('srt:fetched'); // scripts/ui-bench reads the page's marks (docs/performance.md)

  const select = (id, all, groups, value, label) => {
    const el = h('select', { id },
      h('option', { value: '', text: all }),
      groups.map((g) => h('option', { value: g.key, text: label(g) })));
    el.value = value;
    return el;
  };
  const county = select('waiting-county', t('waiting.allCounties'), w.byCounty.filter((g) => g.key !== ''),
    state.county, (g) => `${localized(g.label)} (${g.waiting})`);
  const activity = select('waiting-activity', t('waiting.allActivities'), w.byActivity, state.activity,
    (g) => `${g.key} ${localized(g.label)} (${g.waiting})`);
  const waitingFor = select('waiting-for', t('waiting.allFor'),
    ['provider', 'start'].map((key) => ({ key })), state.waitingFor, (g) => t(`waiting.for.${g.key}`));
  const heading = h('h2', { id: 'waiting-list-heading' });
  const results = h('div', { class: 'waiting-results', 'aria-live': 'polite' });
  let seq = 0;

  async function load() {
    const mySeq = ++seq;
    ctx.replaceQuery('waiting', {}, {
      county: state.county, activity: state.activity, for: state.waitingFor, page: state.page > 1 ? state.page : '',
    });
    let next;
    try {
      next = await api.waitingOverview({ ...filterOf(), availabilityLimit: 0 });
    } catch (error) {
      if (mySeq === seq) replace(results, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
      return;
    }
    if (mySeq === seq) showCases(next);
  }

  function showCases(overview) {
    heading.textContent = t('waiting.cases', { n: overview.total });
    const filtered = state.county !== '' || state.activity !== '' || state.waitingFor !== '';
    if (overview.total === 0) {
      replace(results, h('p', { id: 'waiting-empty', class: 'muted', text: t(filtered ? 'waiting.noneFiltered' : 'waiting.none') }));
      return;
    }
    if (overview.cases.length === 0 && state.page > 1) {
      // Past the end (fewer wait now): back to the first page.
      state.page = 1;
      load();
      return;
    }
    replace(results, casesTable(overview.cases), pagerNav({
      id: 'waiting-pager', page: state.page, pageSize: PAGE_SIZE, shown: overview.cases.length, total: overview.total,
      onPage: (page) => { state.page = page; load(); },
    }));
  }

  for (const [el, key] of [[county, 'county'], [activity, 'activity'], [waitingFor, 'waitingFor']]) {
    el.addEventListener('change', () => {
      state[key] = el.value;
      state.page = 1;
      load();
    });
  }

  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('waiting.title') })),
    h('p', { class: 'lead', text: t('waiting.intro') }),
    scarcityCard(w, (limit) => api.waitingOverview({ ...filterOf(), limit: 1, availabilityLimit: limit })),
    h('div', { class: 'history-grid' },
      groupCard('waiting-by-county', t('waiting.byCounty'), w.byCounty),
      groupCard('waiting-by-activity', t('waiting.byActivity'), w.byActivity, true)),
    h('section', { id: 'waiting-list', class: 'card', 'aria-labelledby': 'waiting-list-heading' },
      heading,
      h('div', { class: 'toolbar' },
        h('div', { class: 'field' }, h('label', { for: 'waiting-county', text: t('waiting.filterCounty') }), county),
        h('div', { class: 'field' }, h('label', { for: 'waiting-activity', text: t('waiting.filterActivity') }), activity),
        h('div', { class: 'field' }, h('label', { for: 'waiting-for', text: t('waiting.filterFor') }), waitingFor)),
      results));
  showCases(w);
  performance.mark('srt:built');
}

/** A table whose column heads are i18n keys. */
function table(id, heads, rows) {
  return dataTable(id, heads.map((k) => t(k)), rows);
}

/** Rows of the availability drawn at first, and added by each "Näita veel" (issue 30: the
 * national desk has ~140 county and activity pairs where children wait; the scarce come first). */
export const AVAILABILITY_FIRST = 15;

function availabilityRow(a) {
  return h('tr', { class: a.scarce ? 'row-error' : '', 'data-county': a.countyCode, 'data-activity': a.activityCode, 'data-scarce': String(a.scarce) },
    h('td', { text: a.countyName }),
    h('td', {}, h('span', { class: 'mono', text: a.activityCode }), ' ', localized(a.activityName)),
    h('td', { text: String(a.waiting) }),
    h('td', { text: String(a.providers) }),
    h('td', { text: String(a.providersWithPlaces) }),
    h('td', {}, h('span', { class: `pill ${a.scarce ? 'scarce' : 'enough'}`, text: t(a.scarce ? 'waiting.scarce' : 'waiting.enough') })));
}

/** The availability's first rows and a button for the next ones; `fetch(limit)` resolves to an
 * overview whose availability holds its first `limit` rows. */
function scarcityCard(w, fetch) {
  const total = w.availabilityTotal ?? w.availability.length;
  const card = (...body) => h('section', { id: 'waiting-availability', class: 'card' }, h('h2', { text: t('waiting.availability') }),
    h('p', { class: 'small muted', text: t('waiting.scarceRule') }), ...body);
  if (total === 0) return card(h('p', { class: 'muted', text: t('waiting.noneScarce') }));
  const wrap = table('waiting-scarcity', ['waiting.col.county', 'waiting.col.activity', 'waiting.col.waiting', 'waiting.col.providers', 'waiting.col.withPlaces', 'waiting.col.verdict'],
    w.availability.map(availabilityRow));
  const body = wrap.querySelector('tbody');
  const more = h('button', { type: 'button', class: 'secondary show-more', id: 'waiting-scarcity-more' });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const label = () => {
    const shown = body.children.length;
    more.hidden = shown >= total;
    more.textContent = t('waiting.showMore', { count: Math.min(total - shown, AVAILABILITY_FIRST), shown, total });
  };
  more.addEventListener('click', async () => {
    if (more.disabled) return;
    const shown = body.children.length;
    more.disabled = true;
    error.hidden = true;
    try {
      const next = await fetch(shown + AVAILABILITY_FIRST);
      body.append(...next.availability.slice(shown).map(availabilityRow));
    } catch (e) {
      error.textContent = errorText(e);
      error.hidden = false;
    } finally {
      more.disabled = false;
    }
    label();
  });
  label();
  return card(wrap, more, error);
}

function groupCard(id, title, groups, codes = false) {
  const body = groups.length === 0
    ? h('p', { class: 'muted', text: t('waiting.none') })
    : table(`${id}-table`, ['waiting.col.group', 'waiting.col.waiting', 'waiting.col.average', 'waiting.col.longest'],
      groups.map((g) => h('tr', { 'data-key': g.key },
        h('td', {}, codes ? h('span', { class: 'mono', text: `${g.key} ` }) : null, localized(g.label)),
        h('td', { text: String(g.waiting) }),
        h('td', { text: t('provider.days', { n: g.averageDays }) }),
        h('td', { text: t('provider.days', { n: g.longestDays }) }))));
  return h('section', { id, class: 'card' }, h('h2', { text: title }), body);
}

function casesTable(cases) {
  return table('waiting-cases', ['waiting.col.child', 'waiting.col.county', 'waiting.col.activities', 'waiting.col.for', 'waiting.col.since', 'waiting.col.days'],
    cases.map((c) => h('tr', { 'data-case-id': String(c.caseId), 'data-waiting-for': c.waitingFor },
      h('td', {}, h('a', { href: buildHash('case', { id: c.caseId }), text: c.childName }), h('div', { class: 'small muted mono', text: c.caseNo })),
      h('td', { text: c.countyName || t('common.none') }),
      h('td', { class: 'mono small', text: c.activities.join(' ') || t('common.none') }),
      h('td', {}, t(`waiting.for.${c.waitingFor}`), c.providerName ? h('div', { class: 'small muted', text: c.providerName }) : null),
      h('td', { class: 'nowrap', text: formatDate(c.since) }),
      h('td', { class: 'strong', text: String(c.daysWaited) }))));
}
