/**
 * Ootel: every case waiting for a provider (no registration yet) or for the start of service,
 * with days waited, grouped by county and by activity, and where the service is scarce (children
 * waiting, few or no providers there with free places). Everything is counted by the backend.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, localized } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { buildHash } from '../router.js';

export async function render(root) {
  const w = await api.waitingOverview();
  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('waiting.title') })),
    h('p', { class: 'lead', text: t('waiting.intro') }),
    scarcityCard(w.availability),
    h('div', { class: 'history-grid' },
      groupCard('waiting-by-county', t('waiting.byCounty'), w.byCounty),
      groupCard('waiting-by-activity', t('waiting.byActivity'), w.byActivity, true)),
    casesCard(w.cases));
}

function table(id, heads, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { id, class: 'data-table' },
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, rows)));
}

function scarcityCard(list) {
  const body = list.length === 0
    ? h('p', { class: 'muted', text: t('waiting.noneScarce') })
    : table('waiting-scarcity', ['waiting.col.county', 'waiting.col.activity', 'waiting.col.waiting', 'waiting.col.providers', 'waiting.col.withPlaces', 'waiting.col.verdict'],
      list.map((a) => h('tr', { class: a.scarce ? 'row-error' : '', 'data-county': a.countyCode, 'data-activity': a.activityCode, 'data-scarce': String(a.scarce) },
        h('td', { text: a.countyName }),
        h('td', {}, h('span', { class: 'mono', text: a.activityCode }), ' ', localized(a.activityName)),
        h('td', { text: String(a.waiting) }),
        h('td', { text: String(a.providers) }),
        h('td', { text: String(a.providersWithPlaces) }),
        h('td', {}, h('span', { class: `pill ${a.scarce ? 'scarce' : 'enough'}`, text: t(a.scarce ? 'waiting.scarce' : 'waiting.enough') })))));
  return h('section', { id: 'waiting-availability', class: 'card' }, h('h2', { text: t('waiting.availability') }),
    h('p', { class: 'small muted', text: t('waiting.scarceRule') }), body);
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

function casesCard(cases) {
  const body = cases.length === 0
    ? h('p', { id: 'waiting-empty', class: 'muted', text: t('waiting.none') })
    : table('waiting-cases', ['waiting.col.child', 'waiting.col.county', 'waiting.col.activities', 'waiting.col.for', 'waiting.col.since', 'waiting.col.days'],
      cases.map((c) => h('tr', { 'data-case-id': String(c.caseId), 'data-waiting-for': c.waitingFor },
        h('td', {}, h('a', { href: buildHash('case', { id: c.caseId }), text: c.childName }), h('div', { class: 'small muted mono', text: c.caseNo })),
        h('td', { text: c.countyName || t('common.none') }),
        h('td', { class: 'mono small', text: c.activities.join(' ') || t('common.none') }),
        h('td', {}, t(`waiting.for.${c.waitingFor}`), c.providerName ? h('div', { class: 'small muted', text: c.providerName }) : null),
        h('td', { class: 'nowrap', text: formatDate(c.since) }),
        h('td', { class: 'strong', text: String(c.daysWaited) }))));
  return h('section', { id: 'waiting-list', class: 'card' }, h('h2', { text: t('waiting.cases', { n: cases.length }) }), body);
}
