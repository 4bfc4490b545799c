/**
 * Töölaud: "what needs me today" — the deadlines the backend found overdue, due today and
 * due this week, each one click (or Enter) from its case — a search over everything, and
 * below them the case counts by status (each a link to the filtered list).
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { buildHash } from '../router.js';
import { formatDate, todayDisplay, parseDisplayDate } from '../format.js';
import { STATUSES } from '../codes.js';
import { daysLeftText } from '../deadline-text.js';
import { groupSearchResults } from '../search-results.js';
import { emptyState } from './empty-state.js';
// --- Tasks ---
import { insertionIndex, taskFromText } from '../work.js';
import { partForKind } from '../case-parts.js';
import { URGENCIES, dashboardRows, byUrgency, dashboardMode } from '../dashboard-rows.js';
import { pagedList } from './paged-list.js';
// --- Team desk ---
import { conflictSection } from './conflicts.js';
import { signingGroups } from './dashboard-signing.js';
import { coordinatorFilter } from './coordinator-filter.js';
import { teamNow, openCaseOffer } from './open-case.js';

/** The responsible coordinator the page filters by (a login; '' for all), kept in its links. */
let coordinator = '';

/** The remembered choice of grouping (by urgency, the default, or by kind). A view preference,
 * no case data. */
const BY_KEY = 'srt-desk.dashboard.by';

function remembered() {
  try {
    return globalThis.localStorage?.getItem(BY_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(by) {
  try {
    globalThis.localStorage?.setItem(BY_KEY, by);
  } catch {
    // Not kept: the next start shows the default.
  }
}

export async function render(root, ctx) {
  // One IPC call for the page (issue 30); rows that could not be read are asked for alone, for their error.
  coordinator = ctx.route?.query?.coordinator ?? '';
  const view = await api.dashboardView(coordinator);
  const dashResult = view.dashboard
    ? { status: 'fulfilled', value: view.dashboard }
    : (await Promise.allSettled([api.dashboard()]))[0];
  performance.mark('srt:fetched'); // scripts/ui-bench reads the page's marks (docs/performance.md)
  const counts = view.counts;
  // --- Team desk ---: open conflicts first, above everything else (they came with the view).
  const people = new Map((view.coordinators ?? []).map((c) => [c.login, c.name]));
  const conflictBox = conflictSection(view.conflicts ?? [], ctx, people);
  const header = h('header', { class: 'view-header' },
    h('h1', { text: t('dashboard.title') }),
    h('a', { class: 'button primary', href: buildHash('caseNew') }, t('dashboard.register')));

  // A coordinator chosen in the filter with no case here yet still gets the page (and the filter).
  if (!counts.total && !coordinator) {
    // No cases yet, but the coordinator's own tasks still belong on the dashboard.
    const dash = dashResult.status === 'fulfilled' ? dashResult.value : null;
    const ownWork = dash && ((dash.tasks?.length ?? 0) + (dash.undatedTasks?.length ?? 0)) > 0;
    replace(root, header, conflictBox, emptyState(() => ctx.reload()), ownWork ? needsMe(dash, ctx, { by: 'urgency', urgency: '' }) : null);
    return;
  }

  const query = ctx.route?.query ?? {};
  const mode = dashboardMode(query, remembered());
  if (query.by) remember(mode.by);
  // --- Team desk ---: the filter by responsible coordinator (a desk in a team only).
  const byCoordinator = coordinatorFilter('dash-coordinator-filter', view.coordinators ?? [], coordinator,
    (login) => { window.location.hash = buildHash('dashboard', {}, { by: query.by, urgency: query.urgency, coordinator: login }); });
  replace(root,
    header,
    conflictBox,
    searchBox(ctx),
    byCoordinator ? h('div', { class: 'toolbar dashboard-coordinator' }, byCoordinator) : null,
    dashResult.status === 'fulfilled'
      ? needsMe(dashResult.value, ctx, mode)
      : h('div', { class: 'banner error', role: 'alert' }, errorText(dashResult.reason)),
    countsSection(counts));
}

/** The address of the dashboard with this grouping and filter. */
function dashboardHash(by, urgency) {
  return buildHash('dashboard', {}, { by, urgency, coordinator });
}

/**
 * "What needs me": the four counters (each a link that filters to its urgency; the active one
 * links back to all), the choice of grouping, and the rows: by urgency across all kinds, or by
 * kind as before.
 */
function needsMe(dash, ctx, mode) {
  const c = dash.counts ?? {};
  const summary = h('nav', { class: 'urgency-grid', 'aria-label': t('dashboard.filterLabel') }, URGENCIES.map((u) => {
    const active = mode.urgency === u;
    return h('a', {
      class: 'urgency-card', 'data-urgency': u, id: `dash-filter-${u}`,
      href: dashboardHash(mode.by, active ? '' : u),
      'aria-current': active ? 'true' : null,
      title: t(active ? 'dashboard.filterOff' : 'dashboard.filterOn'),
    },
    h('span', { id: `dash-${u}`, class: 'urgency-number', 'data-count': String(c[u] ?? 0), text: String(c[u] ?? 0) }),
    h('span', { class: 'urgency-label', text: t(`dashboard.urgency.${u}`) }));
  }));
  const choice = h('p', { class: 'dashboard-choice' },
    h('span', { class: 'muted', text: `${t('dashboard.groupBy')} ` }),
    ['urgency', 'kind'].map((by) => h('a', {
      id: `dash-by-${by}`, class: 'choice-link', href: dashboardHash(by, mode.urgency),
      'aria-current': mode.by === by ? 'true' : null,
    }, t(`dashboard.by.${by}`))),
    mode.urgency ? h('a', { id: 'dash-filter-clear', class: 'choice-link', href: dashboardHash(mode.by, '') }, t('dashboard.showAll')) : null);
  const sections = mode.by === 'kind' ? kindSections(dash, ctx, mode.urgency) : urgencySections(dash, ctx, mode.urgency);
  const undated = dash.undatedTasks ?? [];
  if (undated.length > 0 && !mode.urgency) sections.push(undatedTasksGroup(undated));
  if (!mode.urgency) sections.push(...signingGroups(dash)); // Decisions not yet gone: no urgency of their own.
  return h('section', { class: 'needs-me', 'aria-labelledby': 'needs-me-heading', 'data-by': mode.by, 'data-urgency': mode.urgency || null },
    h('h2', { id: 'needs-me-heading', text: t('dashboard.needsMe') }),
    summary,
    choice,
    sections.length === 0
      ? h('p', { class: 'muted nothing-urgent', text: t('dashboard.nothingUrgent') })
      : sections);
}

/** The kind of a row, as the dashboard names it. */
function kindLabel(row) {
  if (row.source === 'action') return t('meeting.dashboardTitle');
  if (row.source === 'task') return t('task.dashboardTitle');
  return localized(row.group.title);
}

/** One section per urgency (overdue, today, this week, later), every kind in it, dense rows. */
function urgencySections(dash, ctx, only) {
  return byUrgency(dashboardRows(dash), only).map(({ urgency, rows }) => h('section', {
    class: 'deadline-group urgency-group', 'data-urgency': urgency, 'aria-labelledby': `urgency-group-${urgency}`,
  },
  h('h3', { id: `urgency-group-${urgency}` },
    t(urgency === 'other' ? 'dashboard.urgency.other' : `dashboard.urgency.${urgency}`), ' ',
    h('span', { class: 'muted group-count', text: `(${Math.max(rows.length, rowCount(dash, null, urgency))})` })),
  pagedList(rows, (row) => {
    const kind = h('span', { class: 'deadline-kind', 'data-kind': row.kind, text: kindLabel(row) });
    if (row.source === 'action') return actionRow(row.item, ctx, kind);
    if (row.source === 'task') return taskRow(row.item, ctx, kind);
    return h('li', {}, deadlineItem(row.group, row.item, kind));
  }, `urgency-group-${urgency}`, 'dense', {
    // The view holds the first rows (issue 30): "show more" asks for the next ones.
    total: rowCount(dash, null, urgency),
    fetch: async (limit) => byUrgency(dashboardRows(await api.dashboardRows(urgency, null, limit, coordinator)), urgency)[0]?.rows ?? [],
    errorText,
  })));
}

/** How many rows the dashboard has of `kind` (null: all) and `urgency` (''/null: all): counted
 * by the backend (`page.byKind`), given rows or not; without it, the rows given. */
function rowCount(dash, kind, urgency) {
  const byKind = dash.page?.byKind;
  if (!byKind) return 0;
  return Object.entries(byKind)
    .filter(([k]) => !kind || k === kind)
    .reduce((sum, [, c]) => sum + (urgency ? (c[urgency] ?? 0) : URGENCIES.reduce((n, u) => n + (c[u] ?? 0), 0)), 0);
}

/** As before issue 30: a section per kind, the actions and tasks placed by their most urgent. */
function kindSections(dash, ctx, only) {
  const keep = (items) => (only ? items.filter((i) => i.urgency === only) : items);
  const groups = (dash.groups ?? []).map((g) => ({ ...g, items: keep(g.items ?? []) })).filter((g) => g.items.length > 0);
  const sections = groups.map((group, gi) => h('section', { class: 'deadline-group', 'data-kind': group.kind, 'aria-labelledby': `deadline-group-${gi}` },
    h('h3', { id: `deadline-group-${gi}`, text: localized(group.title) }),
    pagedList(group.items ?? [], (item) => h('li', {}, deadlineItem(group, item)), `deadline-group-${gi}`, '', {
      total: rowCount(dash, group.kind, only),
      fetch: async (limit) => keep((await api.dashboardRows(only || null, group.kind, limit, coordinator)).groups?.find((g) => g.kind === group.kind)?.items ?? []),
      errorText,
    })));
  // --- Meetings ---: the agreed actions, placed among the groups by their most urgent item.
  const actions = keep(dash.actions ?? []);
  if (actions.length > 0) {
    const at = groups.findIndex((g) => (g.items?.[0]?.daysLeft ?? Infinity) > actions[0].daysLeft);
    sections.splice(at === -1 ? sections.length : at, 0, meetingActionsGroup(actions, ctx, {
      total: rowCount(dash, 'meeting_action', only),
      fetch: async (limit) => keep((await api.dashboardRows(only || null, 'meeting_action', limit, coordinator)).actions ?? []),
      errorText,
    }));
  }
  // --- Tasks ---: the coordinator's own tasks, placed by their most urgent one like the actions.
  const tasks = keep(dash.tasks ?? []);
  if (tasks.length > 0) {
    const firsts = groups.map((g) => ({ firstDaysLeft: g.items?.[0]?.daysLeft }));
    if (actions.length > 0) firsts.splice(insertionIndex(firsts, actions[0].daysLeft), 0, { firstDaysLeft: actions[0].daysLeft });
    sections.splice(insertionIndex(firsts, tasks[0].daysLeft), 0, workTasksGroup(tasks, ctx, {
      total: rowCount(dash, 'task', only),
      fetch: async (limit) => keep((await api.dashboardRows(only || null, 'task', limit, coordinator)).tasks ?? []),
      errorText,
    }));
  }
  return sections;
}

function deadlineHref(item, kind) {
  if (item.caseId) return buildHash('case', { id: item.caseId, part: partForKind(kind) });
  if (item.providerId) return buildHash('provider', { id: item.providerId });
  if (item.partnerId) return buildHash('partners', {}, { partner: item.partnerId });
  return buildHash('providers');
}

/** One deadline: a link to its case (so click and Enter both open it); the explanation as its title. */
function deadlineItem(group, item, kind = null) {
  return h('a', {
    class: `deadline-item urgency-${item.urgency}`,
    // A follow-up about a provider or partner has no case (case id 0): it opens that provider's
    // page, or the partners with that partner open.
    href: deadlineHref(item, group.kind),
    title: localized(item.explanation),
    'data-case-id': String(item.caseId),
    'data-kind': group.kind,
    'data-due': item.due,
    'data-urgency': item.urgency,
  },
  h('span', { class: 'deadline-when' },
    h('span', { class: 'deadline-left', text: daysLeftText(item.daysLeft) }),
    h('span', { class: 'deadline-date', text: t('dashboard.due', { date: formatDate(item.due) }) })),
  h('span', { class: 'deadline-what' },
    h('span', { class: 'deadline-child', text: item.childName }),
    h('span', { class: 'deadline-case mono', text: item.caseNo }),
    kind,
    h('span', { class: 'deadline-title', text: localized(item.title) })),
  h('span', { class: 'deadline-explanation', text: localized(item.explanation) }));
}

function searchBox(ctx) {
  const input = h('input', { id: 'global-search', type: 'search', autocomplete: 'off', spellcheck: false, 'aria-describedby': 'global-search-hint' });
  const results = h('div', { id: 'global-search-results', class: 'search-results', 'aria-live': 'polite' });
  let seq = 0;

  async function run() {
    const text = input.value.trim();
    const mySeq = ++seq;
    if (text === '') {
      replace(results);
      return;
    }
    let found;
    try {
      found = await api.searchAll(text);
    } catch (error) {
      if (mySeq === seq) replace(results, h('p', { class: 'error-text', role: 'alert', text: errorText(error) }));
      return;
    }
    if (mySeq !== seq) return; // a newer search has started
    const items = found?.items ?? [];
    if (items.length === 0) {
      const team = await teamNow(); // a coordinator may open the team's case of that number
      if (mySeq !== seq) return;
      replace(results, h('p', { class: 'muted', text: t('dashboard.searchNone') }), openCaseOffer(ctx, team, text, 'global-open-case-offer'));
      return;
    }
    replace(results,
      h('p', { class: 'small muted', text: t('dashboard.searchCount', { count: items.length }) }),
      groupSearchResults(items).map((group) => h('div', { class: 'search-group', 'data-kind': group.kind },
        h('h3', { text: t(`searchKind.${group.kind}`) }),
        h('ul', {}, group.items.map((item) => h('li', {},
          h('a', {
            class: 'search-result', href: buildHash('case', { id: item.caseId }),
            'data-case-id': String(item.caseId), 'data-kind': item.kind,
          },
          h('span', { class: 'search-title', text: item.title }),
          h('span', { class: 'search-case mono', text: item.caseNo }),
          item.snippet ? h('span', { class: 'search-snippet', text: item.snippet }) : null)))))));
  }

  // Each keystroke searches at once (issue 30: results within a frame or two); while a search
  // runs, the keystrokes meanwhile make one more search of what the box then holds.
  let running = false;
  let again = false;
  input.addEventListener('input', async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await run();
      } while (again);
    } finally {
      running = false;
    }
  });
  input.addEventListener('keydown', (event) => {
    // Enter opens the first result, Arrow down moves into the list.
    const first = results.querySelector('.search-result');
    if (event.key === 'Enter' && first) {
      event.preventDefault();
      ctx.navigate('case', { id: Number(first.dataset.caseId) });
    } else if (event.key === 'ArrowDown' && first) {
      event.preventDefault();
      first.focus();
    }
  });
  results.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...results.querySelectorAll('.search-result')];
    const index = links.indexOf(document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    if (event.key === 'ArrowDown') links[Math.min(index + 1, links.length - 1)].focus();
    else if (index === 0) input.focus();
    else links[index - 1].focus();
  });

  return h('section', { class: 'global-search', role: 'search' },
    h('label', { for: 'global-search', text: t('dashboard.search') }),
    h('div', { id: 'global-search-hint', class: 'field-hint', text: t('dashboard.searchHint') }),
    input,
    results);
}

function countsSection(counts) {
  const card = (href, label, count, statusCode) => h('a', {
    class: 'count-card',
    href,
    'data-status': statusCode,
  },
  h('span', { class: 'count-number', text: String(count) }),
  h('span', { class: 'count-label', text: label }));

  return h('section', { class: 'dashboard-counts', 'aria-labelledby': 'by-status-heading' },
    h('h2', { id: 'by-status-heading', text: t('dashboard.byStatus') }),
    h('div', { class: 'count-grid' },
      // --- Team desk ---: the counts are the chosen coordinator's, and so are their lists.
      card(buildHash('cases', {}, { coordinator }), t('dashboard.total'), counts.total, null),
      STATUSES.map((code) => card(
        buildHash('cases', {}, { status: code, coordinator }),
        t(`status.${code}`),
        counts.byStatus?.[code] ?? 0,
        code))));
}

// --- Meetings ---

/**
 * The open agreed actions of network meetings: each opens its meeting; "done" marks it done
 * today (the backend checks the date) and the dashboard is read again.
 */
function meetingActionsGroup(actions, ctx, more = null) {
  const list = pagedList(actions, (a) => actionRow(a, ctx), 'deadline-group-actions', '', more);
  return h('section', { class: 'deadline-group', 'data-kind': 'meeting_action', 'aria-labelledby': 'deadline-group-actions' },
    h('h3', { id: 'deadline-group-actions', text: t('meeting.dashboardTitle') }),
    list);
}

/** An agreed action as a row: its meeting's link and "done". */
function actionRow(a, ctx, kind = null) {
  const done = h('button', {
    type: 'button', class: 'small-button action-done-quick', 'data-action-id': String(a.actionId),
    'aria-label': t('meeting.dashboardDoneN', { what: a.what }),
  }, t('meeting.dashboardDone'));
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  done.addEventListener('click', async () => {
    if (done.disabled) return;
    done.disabled = true;
    error.hidden = true;
    try {
      await api.meetingActionDone(a.actionId, parseDisplayDate(todayDisplay()));
      await ctx.reload();
    } catch (e) {
      done.disabled = false;
      error.textContent = errorText(e);
      error.hidden = false;
    }
  });
  return h('li', { class: 'action-item-row' },
    h('a', {
      class: `deadline-item action-item urgency-${a.urgency}`,
      href: buildHash('meeting', { id: a.caseId, meetingId: a.meetingId }),
      'data-case-id': String(a.caseId),
      'data-action-id': String(a.actionId),
      'data-kind': 'meeting_action',
      'data-due': a.due,
      'data-urgency': a.urgency,
    },
    h('span', { class: 'deadline-when' },
      h('span', { class: 'deadline-left', text: daysLeftText(a.daysLeft) }),
      h('span', { class: 'deadline-date', text: t('dashboard.due', { date: formatDate(a.due) }) })),
    h('span', { class: 'deadline-what' },
      h('span', { class: 'deadline-child', text: a.childName }),
      h('span', { class: 'deadline-case mono', text: a.caseNo }),
      kind,
      h('span', { class: 'deadline-title', text: a.what })),
    h('span', { class: 'deadline-explanation', text: t('meeting.dashboardExplanation', { owner: a.owner, date: formatDate(a.meetingDate) }) })),
    done,
    error);
}

// --- Tasks ---

/** "Done" today on a task from the dashboard; the dashboard is read again. */
function taskDoneButton(task, ctx, error) {
  const done = h('button', {
    type: 'button', class: 'small-button task-done-quick', 'data-task-id': String(task.id),
    'aria-label': t('task.dashboardDoneN', { what: task.title }),
  }, t('task.done'));
  done.addEventListener('click', async () => {
    if (done.disabled) return;
    done.disabled = true;
    error.hidden = true;
    try {
      await api.taskDone(task.id, parseDisplayDate(todayDisplay()));
      await ctx.reload();
    } catch (e) {
      done.disabled = false;
      error.textContent = errorText(e);
      error.hidden = false;
    }
  });
  return done;
}

/** The coordinator's own tasks due within the horizon: each opens the task list. */
function workTasksGroup(tasks, ctx, more = null) {
  const list = pagedList(tasks, (task) => taskRow(task, ctx), 'deadline-group-tasks', '', more);
  return h('section', { class: 'deadline-group', 'data-kind': 'task', 'aria-labelledby': 'deadline-group-tasks' },
    h('h3', { id: 'deadline-group-tasks' }, h('a', { href: buildHash('tasks'), text: t('task.dashboardTitle') })),
    list);
}

/** A task due as a row: the task list's link and "done". */
function taskRow(task, ctx, kind = null) {
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const linked = task.cases.map((c) => c.caseNo).concat(task.providers.map((p) => p.name)).join(', ');
  return h('li', { class: 'action-item-row' },
    h('a', {
      class: `deadline-item task-item-link urgency-${task.urgency}`,
      href: buildHash('tasks', {}, { filter: task.urgency === 'overdue' ? 'overdue' : 'open' }),
      'data-task-id': String(task.id),
      'data-kind': 'task',
      'data-due': task.dueOn,
      'data-urgency': task.urgency,
    },
    h('span', { class: 'deadline-when' },
      h('span', { class: 'deadline-left', text: daysLeftText(task.daysLeft) }),
      h('span', { class: 'deadline-date', text: t('dashboard.due', { date: formatDate(task.dueOn) }) })),
    h('span', { class: 'deadline-what' },
      h('span', { class: 'deadline-child', text: taskFromText(task) }),
      linked ? h('span', { class: 'deadline-case mono', text: linked }) : null,
      kind,
      h('span', { class: 'deadline-title', text: task.title })),
    task.notes ? h('span', { class: 'deadline-explanation', text: task.notes }) : null),
    taskDoneButton(task, ctx, error),
    error);
}

/** Open tasks without a due date: a small list of their own, not counted with the deadlines. */
function undatedTasksGroup(tasks) {
  return h('section', { class: 'deadline-group undated-tasks', 'data-kind': 'task_undated', 'aria-labelledby': 'deadline-group-undated' },
    h('h3', { id: 'deadline-group-undated', text: t('task.dashboardUndated') }),
    h('ul', { class: 'undated-list' }, tasks.map((task) => h('li', { 'data-task-id': String(task.id) },
      h('a', { href: buildHash('tasks'), text: task.title }),
      h('span', { class: 'small muted', text: ` · ${taskFromText(task)}` })))));
}
