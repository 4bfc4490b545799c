/**
 * The shell: asks the backend which state the desk is in (setup / locked / error / open),
 * shows the lock screens or the app frame (sidebar + main area), and routes hash URLs
 * to views. Each view module exports `render(root, ctx)`.
 *
 * Locking: the lock button and Ctrl+L (Cmd+L on macOS) lock at once; a command answering
 * `desk.locked` or the status poll noticing an idle lock reloads the page, which shows the
 * unlock screen. The hash is left alone, so unlocking returns to the same page.
 */
import * as api from './api.js';
import { setLanguage, getLanguage, t, errorText } from './i18n/index.js';
import { parseHash, buildHash, sectionOf } from './router.js';
import { h, replace } from './dom.js';
import { setToday } from './format.js';
import { renderLock, showLockReason } from './views/lock.js';
import { createActivityReporter, ACTIVITY_EVENTS } from './activity.js';
import { createLockWatch } from './lock-watch.js';
import { createFreshness } from './fresh-document.js';
import { isLockShortcut, isMacPlatform, lockShortcutLabel } from './lock-shortcut.js';
import { platformOf } from './platform.js';
import * as dashboard from './views/dashboard.js';
import * as cases from './views/cases.js';
import * as caseForm from './views/case-form.js';
import * as caseView from './views/case-view.js';
import * as settings from './views/settings.js';
// --- Meetings ---
import * as meeting from './views/meeting.js';
import { runBeforeLock } from './before-lock.js';
import { keepTyped, restoreTyped, hasTyped } from './typed-drafts.js';
import { tellBackendWith } from './unsaved.js';
import { watchClose } from './views/close-prompt.js';
// --- Providers ---
import * as providers from './views/providers.js';
import * as providerForm from './views/provider-form.js';
import * as partners from './views/partners.js';
import * as waiting from './views/waiting.js';
// --- Tasks and proposals ---
import * as tasks from './views/tasks.js';
import * as proposals from './views/proposals.js';
// --- Billing ---
import * as invoices from './views/invoices.js';
import * as invoiceView from './views/invoice.js';
// --- Statistics ---
import * as statistics from './views/statistics.js';
// --- Install: first run, help, shortcuts ---
import { renderFirstRun } from './views/first-run.js';
// A demo desk says so on every screen.
import { showDeskKind } from './demo-desk.js';
import * as help from './views/help.js';
import { shortcutFor, shortcutLabel, ariaShortcut, formToSave } from './shortcuts.js';
import { tabPastDanger } from './tab-past-danger.js';
// --- Team desk ---
import * as team from './views/team.js';
import { teamLine, lastTeam, onTeamChange } from './team-line.js';

const views = {
  dashboard: dashboard.render,
  cases: cases.render,
  caseNew: caseForm.render,
  case: caseView.render,
  settings: settings.render,
  meeting: meeting.render,
  notFound: renderNotFound,
  // --- Providers ---
  providers: providers.render,
  providerNew: providerForm.render,
  provider: providerForm.render,
  partners: partners.render,
  waiting: waiting.render,
  // --- Tasks and proposals ---
  tasks: tasks.render,
  proposals: proposals.renderList,
  proposalNew: proposals.renderForm,
  proposal: proposals.renderForm,
  // --- Billing ---
  invoices: invoices.render,
  invoiceNew: invoiceView.render,
  invoice: invoiceView.render,
  // --- Statistics ---
  statistics: statistics.render,
  // --- Install ---
  help: help.render,
  // --- Team desk ---
  team: team.render,
};

// In the order of a coordinator's day: the desk and the cases, her own tasks, the providers and
// partners the families choose from, the money and the figures; the settings and help last.
const NAV = [
  { id: 'nav-dashboard', section: 'dashboard', route: 'dashboard', label: 'nav.dashboard' },
  { id: 'nav-cases', section: 'cases', route: 'cases', label: 'nav.cases' },
  { id: 'nav-tasks', section: 'tasks', route: 'tasks', label: 'task.nav' },
  { id: 'nav-waiting', section: 'waiting', route: 'waiting', label: 'provider.navWaiting' },
  { id: 'nav-providers', section: 'providers', route: 'providers', label: 'provider.nav' },
  { id: 'nav-partners', section: 'partners', route: 'partners', label: 'provider.navPartners' },
  { id: 'nav-invoices', section: 'invoices', route: 'invoices', label: 'billing.nav' },
  { id: 'nav-statistics', section: 'statistics', route: 'statistics', label: 'stats.nav' },
  { id: 'nav-proposals', section: 'proposals', route: 'proposals', label: 'proposal.nav' },
  { id: 'nav-settings', section: 'settings', route: 'settings', label: 'nav.settings' },
  { id: 'nav-help', section: 'help', route: 'help', label: 'help.nav', shortcut: 'help' },
];

const appRoot = document.getElementById('app');
let status = null;
let shell = null; // {nav, main} while the desk is open
let renderSeq = 0;
/** Counts what the pages built; now and then a navigation loads a fresh document instead. */
const freshness = createFreshness();
let locking = false;
let lockError = null; // why the last lock attempt failed, shown under the lock button
/** A page that answers some address changes itself (a case's parts): route => true if it did. */
let inPlace = null;

const MAC = isMacPlatform();
// Styles that differ by system (the font stack on Linux: style.css).
document.documentElement.dataset.platform = platformOf();
const activity = createActivityReporter({ report: () => api.deskActivity() });
const lockWatch = createLockWatch({ fetchStatus: () => api.deskStatus(), onLocked: showLocked });
// Closing the window with text not saved asks first (views report what is not saved).
tellBackendWith((unsaved) => api.windowUnsaved(unsaved));
watchClose();

function markReady() {
  document.body.setAttribute('data-ready', '1');
  appRoot.removeAttribute('aria-busy');
  appRoot.classList.remove('app-loading');
}

function applyLanguage(language) {
  setLanguage(language);
  document.documentElement.lang = getLanguage();
}

/** Shows whatever the desk state calls for. Called at start and after create/unlock. */
function applyStatus(next) {
  status = next;
  applyLanguage(next.language);
  showDeskKind(next);
  if (next.today) setToday(next.today);
  activity.reset();
  // --- Install ---: a new database walks through the guided setup first.
  if (next.state === 'setup' || (next.state === 'open' && next.firstRun)) {
    lockWatch.stop();
    shell = null;
    renderSeq += 1;
    renderFirstRun(appRoot, next, { onStatus: applyStatus });
    document.title = t('app.title');
    markReady();
    return;
  }
  if (next.state === 'open' && next.recoveryCode) {
    // First the recovery code, once; the desk opens when the user has written it down.
    lockWatch.stop();
    shell = null;
    renderSeq += 1;
    renderLock(appRoot, { ...next, state: 'recovery' }, { onStatus: applyStatus });
    document.title = t('app.title');
    markReady();
    return;
  }
  if (next.state === 'open') {
    buildShell();
    route();
    lockWatch.start();
  } else {
    lockWatch.stop();
    // A meeting draft whose save failed lives only in this document: then the lock screen is
    // drawn in place, as before, and the draft is put back when the meeting opens again.
    // So is a form typed into and not sent (a new task, an application): its fields are kept in
    // memory and put back when the page is drawn again after unlocking.
    const typed = Boolean(shell) && next.state === 'locked' && keepTyped(shell.main, window.location.hash);
    if (shell && next.state === 'locked' && !meeting.hasUnsavedDrafts() && !typed) {
      // From the open desk to the lock screen: a fresh page, which start() fills from the
      // backend's status (the reason for the lock included; the hash stays, so unlocking still
      // returns to the same page). Nothing of the cases shown before stays in the page, and
      // WebKit frees what a document keeps until it goes: each case view opened left ~0.5 MB
      // in the web content process until the page was reloaded (docs/performance.md: memory).
      loadAfresh();
      return;
    }
    shell = null;
    renderSeq += 1; // a render still waiting for the backend must not touch the lock screen
    lockError = null;
    renderLock(appRoot, next, { onStatus: applyStatus });
    document.title = t('app.title');
    markReady();
  }
}

function buildShell() {
  const nav = h('nav', { class: 'sidebar', 'aria-label': t('nav.label') });
  const main = h('main', { id: 'main', class: 'content', tabindex: -1 });
  shell = { nav, main };
  renderNav();
  replace(appRoot, h('div', { class: 'frame' }, nav, main));
}

/** The desk locked without the user asking (idle time, seen by the poll). */
function showLocked(next) {
  if (!shell) return; // already on a lock screen: keep what the user is typing there
  applyStatus(next);
}

/** A command answered `desk.locked`: show the unlock screen at once, then learn the reason. */
function lockedByBackend() {
  if (!shell) return;
  applyStatus({ ...status, state: 'locked', lockReason: null });
  api.deskStatus().then((next) => {
    if (!shell && next.state === 'locked') {
      status = next;
      showLockReason(appRoot, next.lockReason);
    }
  }, () => {});
}

async function lockDesk() {
  if (!shell || locking) return;
  locking = true;
  try {
    await runBeforeLock(); // e.g. the meeting notes typed in the last half second
    applyStatus(await api.deskLock());
  } catch (error) {
    // desk.locked was handled by lockedByBackend; anything else is told next to the button.
    if (shell && error.code !== api.LOCKED) {
      lockError = error;
      renderNav();
    }
  } finally {
    locking = false;
  }
}

/** Replaces this document with a fresh load of the same address (the hash stays): the lock
 * screen, or a fresh document. No render still waiting for the backend touches the old one. */
function loadAfresh() {
  shell = null;
  renderSeq += 1;
  window.location.reload();
}

function renderNav() {
  if (!shell) return;
  shell.nav.setAttribute('aria-label', t('nav.label')); // follows a change of language
  const { section } = currentRoute();
  replace(shell.nav,
    h('div', { class: 'brand' },
      h('div', { class: 'brand-title', text: t('app.title') }),
      h('div', { class: 'brand-subtitle', text: t('app.subtitle') })),
    // A demo desk: a mark that stays in sight beside the menu while the page scrolls.
    status?.demoDesk ? h('div', { id: 'nav-demo-badge', class: 'demo-badge', text: 'NÄIDISANDMED' }) : null,
    isManagerDesk() ? null : h('a', {
      id: 'nav-new-application',
      class: 'button primary nav-new',
      href: buildHash('caseNew'),
      'aria-current': section === 'new-application' ? 'page' : null,
      title: t('shortcut.newApplicationTitle', { shortcut: shortcutLabel('newApplication', MAC) }),
      'aria-keyshortcuts': ariaShortcut('newApplication', MAC),
    }, t('nav.newApplication')),
    h('ul', { class: 'nav-list' }, navItems().map((item) => h('li', {},
      h('a', {
        id: item.id,
        class: 'nav-link',
        href: buildHash(item.route),
        'aria-current': item.section === section ? 'page' : null,
        'aria-keyshortcuts': item.shortcut ? ariaShortcut(item.shortcut, MAC) : null,
      }, t(item.label))))),
    h('div', { class: 'nav-bottom' },
      h('button', {
        id: 'nav-lock',
        type: 'button',
        class: 'nav-lock',
        title: t('nav.lockTitle', { shortcut: lockShortcutLabel(MAC) }),
        'aria-keyshortcuts': MAC ? 'Control+L Meta+L' : 'Control+L',
        onClick: lockDesk,
      }, t('nav.lock')),
      teamLine(),
      lockError ? h('p', { id: 'nav-lock-error', class: 'nav-error', role: 'alert', text: errorText(lockError) }) : null));
}

/**
 * The service manager's desk holds the team's cases without names or codes, for the statistics
 * only (docs/team-protocol.md): its window is the statistics, the providers, Settings and Help.
 */
const MANAGER_SECTIONS = new Set(['statistics', 'providers', 'settings', 'help']);
const isManagerDesk = () => lastTeam()?.joined && lastTeam()?.role === 'manager';

/** The menu: "Meeskond" only for a team lead's desk (known from the team line's state). */
function navItems() {
  if (isManagerDesk()) return NAV.filter((item) => MANAGER_SECTIONS.has(item.section));
  if (lastTeam()?.joined && lastTeam()?.role === 'lead') {
    const at = NAV.findIndex((item) => item.id === 'nav-settings');
    return [...NAV.slice(0, at), { id: 'nav-team', section: 'team', route: 'team', label: 'team.nav' }, ...NAV.slice(at)];
  }
  return NAV;
}

let navRole = '';
onTeamChange((state) => {
  const role = state?.joined ? state.role : '';
  if (role !== navRole) {
    navRole = role;
    if (role === 'manager' && !MANAGER_SECTIONS.has(currentRoute().section)) navigate('statistics');
    else renderNav();
  }
});

function currentRoute() {
  const parsed = parseHash(window.location.hash);
  return { ...parsed, section: sectionOf(parsed.name) };
}

function navigate(name, params = {}, query = {}) {
  const hash = buildHash(name, params, query);
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

/** Updates the query in the address without re-rendering (e.g. while typing a search). */
function replaceQuery(name, params, query) {
  history.replaceState(null, '', buildHash(name, params, query));
}

async function route() {
  if (!shell) return;
  if (isManagerDesk() && !MANAGER_SECTIONS.has(currentRoute().section)) {
    history.replaceState(null, '', buildHash('statistics'));
  }
  const current = currentRoute();
  if (!window.location.hash || window.location.hash === '#' || window.location.hash === '#/') {
    history.replaceState(null, '', buildHash('dashboard'));
  }
  renderNav();
  // The same page drawn again after an action on it (a task done, a form saved): the focus
  // goes back to the control it was on when that control is drawn again, not to the heading.
  const again = shell.main.dataset.hash === window.location.hash;
  const focusedId = again && shell.main.contains(document.activeElement) ? document.activeElement.id : '';
  shell.main.dataset.hash = window.location.hash;
  const seq = ++renderSeq;
  inPlace = null;
  document.documentElement.style.removeProperty('scroll-padding-top'); // a case page's sticky header
  // A fresh container per render: a slow, superseded render writes into a detached node.
  const view = h('div', { class: 'view' });
  replace(shell.main, view);
  const ctx = {
    route: current,
    status,
    navigate,
    replaceQuery(name, params, query) {
      // Only the page on screen: a search's pause that ends after a click on one of its rows
      // would otherwise write the list's address over the case just opened (and a reload, at a
      // lock or for a fresh document, would then show the list).
      if (seq === renderSeq) replaceQuery(name, params, query);
    },
    reload: route,
    /** `answer(route)` handles the next address changes in place while this page is shown. */
    stayOn(answer) {
      if (seq === renderSeq) inPlace = answer;
    },
    setStatus(next) {
      status = next;
      applyLanguage(next.language);
      showDeskKind(next); // the demo banner in the language just chosen
      renderNav();
    },
    /** A new session state (a restore): redraw everything from it. */
    applyStatus,
  };
  performance.clearMarks();
  performance.mark('srt:route'); // scripts/ui-bench reads the page's marks (docs/performance.md)
  try {
    await meeting.flushMeeting(); // the next page shows what the meeting page last had
    await views[current.name](view, ctx);
  } catch (error) {
    if (seq === renderSeq) replace(view, errorBanner(error));
  }
  if (seq !== renderSeq) return;
  restoreTyped(view, window.location.hash); // what was typed here before a lock
  const heading = view.querySelector('h1');
  document.title = heading ? `${heading.textContent} – ${t('app.title')}` : t('app.title');
  // --- Install ---: Ctrl+K lands in the search box of the page it opened.
  const wanted = pendingFocus ? view.querySelector(pendingFocus)
    : focusedId ? view.querySelector(`#${CSS.escape(focusedId)}`) : null;
  pendingFocus = null;
  if (wanted) wanted.focus();
  else if (document.body.getAttribute('data-ready') === '1' && !view.contains(document.activeElement)) {
    // Move focus to the new page's heading so keyboard and screen-reader users start there.
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }
  markReady();
  performance.mark('srt:drawn');
}

function errorBanner(error) {
  return h('div', { class: 'banner error', role: 'alert' }, errorText(error));
}

function renderNotFound(root) {
  replace(root,
    h('h1', { text: t('error.notFound') }),
    h('p', {}, h('a', { href: buildHash('dashboard') }, t('nav.dashboard'))));
}

async function start() {
  let initial;
  try {
    initial = await api.deskStatus();
  } catch (error) {
    initial = { state: 'error', dbPath: null, keySource: null, language: getLanguage(), error };
  }
  performance.mark('srt:status'); // scripts/ui-bench: the first status answered
  applyStatus(initial);
  performance.mark('srt:first-screen');
}

function onKeydown(event) {
  if (!shell) return; // the lock screens only talk to the backend when the user submits
  if (isLockShortcut(event, MAC)) {
    event.preventDefault();
    lockDesk();
    return;
  }
  activity.notify();
  // --- Install ---
  runShortcut(event);
}

// --- Install: keyboard shortcuts ---

/** The selector to focus once the next page has rendered (Ctrl+K on another page). */
let pendingFocus = null;

/** The search box of the current page: the dashboard's over everything, or the case list's. */
const SEARCH_BOXES = '#global-search, #case-search';

function runShortcut(event) {
  const name = shortcutFor(event, MAC);
  if (!name) return;
  if (name === 'save') {
    // The meeting page saves its notes itself (Ctrl+S there is handled by meeting.js).
    if (currentRoute().name === 'meeting') return;
    const form = formToSave(document.activeElement);
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
    return;
  }
  event.preventDefault();
  if (name === 'search') {
    const box = shell && shell.main.querySelector(SEARCH_BOXES);
    if (box) {
      box.focus();
      box.select();
      return;
    }
    pendingFocus = '#global-search';
    navigate('dashboard');
  } else if (name === 'newApplication') {
    navigate('caseNew');
  } else if (name === 'help') {
    navigate('help');
  }
}

function onInput() {
  if (shell) activity.notify();
}

api.onLocked(lockedByBackend);
window.addEventListener('hashchange', async () => {
  lockError = null;
  // Another part of the same page (a case's #/cases/12/otsused): the page scrolls there itself.
  if (shell && inPlace && inPlace(currentRoute())) {
    shell.main.dataset.hash = window.location.hash;
    return;
  }
  // The page being left, as it was drawn in the end (its parts arrive after route() returns).
  if (shell) freshness.rendered(shell.main.getElementsByTagName('*').length);
  // Ctrl+K's search box is focused by an in-place render; that one navigation stays in place.
  // A form left half typed keeps its draft in this document (the application form does).
  const leaving = shell ? shell.main : null;
  const mustStay = async () => meeting.hasUnsavedDrafts() || hasTyped(leaving) || Boolean(await api.workProgress());
  if (shell && pendingFocus === null && await freshness.due(mustStay)) {
    // The address already names the page asked for: the fresh document draws it. What was
    // typed a moment ago (meeting notes, an assessment, a decision draft) is saved first, as
    // before a lock.
    await runBeforeLock();
    if (!shell) return; // locked meanwhile: the lock screen took over
    loadAfresh();
    return;
  }
  route();
});
/** Case data copied from the open desk is cleared from the clipboard after 30 s (by the backend). */
function onCopy() {
  if (!shell) return;
  const text = String(window.getSelection() || '');
  if (text.trim() !== '') api.clipboardCopied(text).catch(() => {});
}

document.addEventListener('keydown', onKeydown, true);
tabPastDanger(document); // Tab from a field never lands on "Eemalda" and the like
document.addEventListener('copy', onCopy, true);
for (const type of ACTIVITY_EVENTS.filter((name) => name !== 'keydown')) {
  document.addEventListener(type, onInput, { capture: true, passive: true });
}
// Back from another window or from sleep: look at once instead of waiting for the next poll.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') lockWatch.check();
});
performance.mark('srt:modules'); // every module of the shell loaded and run (scripts/ui-bench)
start();
