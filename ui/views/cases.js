/**
 * Juhtumid: searchable, filterable, paged list of cases, newest application first or by the
 * process deadline (soonest, most overdue, first). The filter lives in the hash
 * (#/cases?q=..&status=..&sort=..&page=..) so "back" from a case returns to the same list.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { STATUSES } from '../codes.js';
import { statusPill } from '../form-ui.js';
import { emptyState } from './empty-state.js';
import { pagerNav, PAGE_SIZE } from '../pager.js';
import { daysLeftText, deadlineTone } from '../deadline-text.js';
import { coordinatorFilter } from './coordinator-filter.js';
import { teamNow, offersOpening, openCaseButton, openCaseOffer } from './open-case.js';

const SEARCH_DELAY_MS = 200;

export async function render(root, ctx) {
  const state = {
    q: ctx.route.query.q ?? '',
    status: ctx.route.query.status ?? '',
    sort: ctx.route.query.sort === 'deadline' ? 'deadline' : '',
    page: Math.max(1, Number.parseInt(ctx.route.query.page, 10) || 1),
    // --- Team desk ---: the responsible coordinator's login (#/cases?coordinator=kati).
    coordinator: ctx.route.query.coordinator ?? '',
  };
  let seq = 0;
  let timer = null;

  const search = h('input', {
    id: 'case-search', type: 'search', value: state.q, autocomplete: 'off', spellcheck: false,
  });
  const statusFilter = h('select', { id: 'case-status-filter' },
    options(STATUSES, (c) => t(`status.${c}`), { selected: state.status, placeholder: t('cases.allStatuses') }));
  const sortOrder = h('select', { id: 'case-sort' },
    h('option', { value: '', text: t('cases.sort.newest') }),
    h('option', { value: 'deadline', text: t('cases.sort.deadline') }));
  sortOrder.value = state.sort;
  // --- Team desk ---: a desk in a team filters by responsible coordinator (none otherwise).
  const coordinators = await api.teamCoordinators().catch(() => []);
  const byCoordinator = coordinatorFilter('case-coordinator-filter', coordinators, state.coordinator, (login) => {
    state.coordinator = login;
    state.page = 1;
    load();
  });
  // --- Team desk ---: a coordinator opens a colleague's case with a reason (open-case.js).
  const team = await teamNow();
  const count = h('span', { id: 'case-count', text: '' });
  const results = h('div', { class: 'case-results', 'aria-live': 'polite' });

  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('cases.title') })),
    h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'field grow' }, h('label', { for: 'case-search', text: t('cases.search') }), search),
      h('div', { class: 'field' }, h('label', { for: 'case-status-filter', text: t('cases.statusFilter') }), statusFilter),
      h('div', { class: 'field' }, h('label', { for: 'case-sort', text: t('cases.sort') }), sortOrder),
      byCoordinator,
      offersOpening(team) ? h('div', { class: 'field' }, openCaseButton(ctx, team, () => search.value)) : null,
      h('p', { class: 'case-count' }, t('cases.count'), ' ', count)),
    results);

  async function load() {
    const mySeq = ++seq;
    ctx.replaceQuery('cases', {}, {
      q: state.q, status: state.status, sort: state.sort, page: state.page > 1 ? state.page : '', coordinator: state.coordinator,
    });
    let list;
    try {
      list = await api.caseList({
        text: state.q, status: state.status, sort: state.sort, limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE,
        coordinator: state.coordinator,
      });
    } catch (error) {
      if (mySeq === seq) replace(results, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
      return;
    }
    if (mySeq !== seq) return; // a newer search has been started
    count.textContent = String(list.total);
    renderResults(list);
  }

  function renderResults(list) {
    const filtered = state.q.trim() !== '' || state.status !== '' || state.coordinator !== '';
    if (list.total === 0) {
      replace(results, filtered
        ? [h('p', { class: 'no-results', text: t('cases.noResults') }), openCaseOffer(ctx, team, state.q)]
        : emptyState(() => load()));
      return;
    }
    if (list.items.length === 0 && state.page > 1) {
      // The page is past the end (the list shrank): go back to the first page.
      state.page = 1;
      load();
      return;
    }
    replace(results, caseTable(list.items, ctx), pager(list));
  }

  function pager(list) {
    return pagerNav({
      page: state.page, pageSize: PAGE_SIZE, shown: list.items.length, total: list.total,
      onPage: (page) => { state.page = page; load(); },
    });
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = search.value;
      state.page = 1;
      load();
    }, SEARCH_DELAY_MS);
  });
  statusFilter.addEventListener('change', () => {
    state.status = statusFilter.value;
    state.page = 1;
    load();
  });
  sortOrder.addEventListener('change', () => {
    state.sort = sortOrder.value;
    state.page = 1;
    load();
  });

  await load();
}

function caseTable(items, ctx) {
  const open = (id) => ctx.navigate('case', { id });
  // Six columns, so that the whole row fits a laptop's window: the route under the child's name,
  // the date of birth under the personal code.
  const head = ['caseNo', 'child', 'personalCode', 'status', 'applicationDate', 'nextDeadline']
    .map((k) => h('th', { scope: 'col', text: t(`cases.col.${k}`) }));
  const rows = items.map((item) => {
    const row = h('tr', { class: 'case-row', tabindex: 0, dataset: { caseId: String(item.id) } },
      h('td', { class: 'mono nowrap', text: item.caseNo }),
      h('td', {},
        h('span', { class: 'strong block', text: item.childName }),
        h('span', { class: 'cell-note', text: item.routeKind ? t(`route.${item.routeKind}`) : '' })),
      h('td', {}, item.noPersonalCode || !item.personalCode
        ? h('span', { class: 'flag', text: t('cases.noPersonalCode') })
        : h('span', { class: 'mono', text: item.personalCode }),
      h('span', { class: 'cell-note nowrap', text: t('cases.bornOn', { date: formatDate(item.birthDate) }) })),
      h('td', {}, statusPill(item.status),
        // A team desk: the case's responsible coordinator under its status.
        item.coordinator ? h('span', { class: 'cell-note block case-coordinator', text: item.coordinator }) : null),
      h('td', { class: 'nowrap', text: formatDate(item.applicationDate) }),
      nextDeadlineCell(item.nextDeadline));
    row.addEventListener('click', () => open(item.id));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        open(item.id);
      }
    });
    return row;
  });
  // A narrow window scrolls the table, not the page (the menu stays in place).
  return h('div', { class: 'table-wrap' },
    h('table', { id: 'case-table', class: 'data-table clickable' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, rows)));
}

/** The case's next process deadline: what it is, when, and how many days are left or overdue. */
function nextDeadlineCell(deadline) {
  if (!deadline) return h('td', { class: 'list-deadline', text: '' });
  return h('td', {
    class: `list-deadline tone-${deadlineTone({ state: 'running', daysLeft: deadline.daysLeft })}`,
    'data-kind': deadline.kind,
    'data-due': deadline.due,
  },
    h('span', { class: 'list-deadline-title', text: localized(deadline.title) }),
    h('span', { class: 'list-deadline-when', text: `${formatDate(deadline.due)} · ${daysLeftText(deadline.daysLeft)}` }));
}
