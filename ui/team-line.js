/**
 * The team sync line at the foot of the menu (issue 28): always visible, never blocking. It asks
 * the backend for the team state now and then (a cheap local read), shows when the desk last
 * synced, what waits to be sent, or why the last sync failed in plain words, and has the
 * "Sünkrooni" button (the sync runs on a worker thread; the window goes on). A desk that has not
 * joined a team shows nothing.
 */
import * as api from './api.js';
import { h, replace } from './dom.js';
import { t, localized } from './i18n/index.js';

const POLL_MS = 4000;

/** What the line says for a team state: [{key, params, tone}], pure (tested). */
export function lineWords(team) {
  if (!team || !team.joined) return [];
  const words = [];
  if (team.syncing) {
    words.push({ key: 'team.line.syncing', tone: 'info' });
  } else if (team.error) {
    const code = team.error.code;
    if (code === 'sync.offline' || code === 'sync.transport') {
      words.push({ key: 'team.line.offline', tone: 'warn' });
    } else if (code === 'sync.unauthorized') {
      words.push({ key: 'team.line.revoked', tone: 'error' });
    } else if (code === 'sync.server' || code === 'sync.bad_reply') {
      words.push({ key: 'team.line.noServer', tone: 'error' });
    } else {
      // Said as the sync's failure: a message of its own ("Andmebaasi viga: …") does not say it was the sync.
      words.push({ message: team.error.message, prefix: 'team.line.failed', tone: 'error' });
    }
  } else if (team.syncedAt) {
    words.push({ key: 'team.line.synced', params: { time: clock(team.syncedAt) }, tone: 'ok' });
  } else {
    words.push({ key: 'team.line.never', tone: 'info' });
  }
  if (team.waiting > 0) {
    words.push(team.waiting === 1
      ? { key: 'team.line.waitingOne', tone: 'info' }
      : { key: 'team.line.waiting', params: { n: team.waiting }, tone: 'info' });
  }
  if (team.conflicts > 0) words.push({ key: 'team.line.conflicts', params: { n: team.conflicts }, tone: 'warn' });
  return words;
}

/** hh:mm of a stored UTC time, in the computer's time zone. */
export function clock(stored) {
  const at = new Date(String(stored).replace(' ', 'T').replace(/(\d)$/, '$1Z'));
  if (Number.isNaN(at.getTime())) return String(stored);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

let last = null;
let timer = null;
const listeners = new Set();
let box = null; // made at the first teamLine(): the module is also loaded by tests without a page

/** The last team state seen (null before the first answer). */
export function lastTeam() {
  return last;
}

/** `fn(team)` after each answer that changed the state (the menu shows "Meeskond" to a lead). */
export function onTeamChange(fn) {
  listeners.add(fn);
}

function draw() {
  if (!box) return;
  const words = lineWords(last);
  if (!words.length) {
    box.hidden = true;
    replace(box);
    return;
  }
  box.hidden = false;
  replace(box,
    h('span', { class: 'visually-hidden', text: t('team.line.label') }),
    ...words.map((w) => h('span', { class: `team-line-part tone-${w.tone}`, text: w.key ? t(w.key, w.params) : `${w.prefix ? `${t(w.prefix)} ` : ''}${localized(w.message)}` })),
    h('button', {
      id: 'team-sync',
      type: 'button',
      class: 'button small',
      disabled: last.syncing ? true : null,
      onClick: syncNow,
    }, t('team.sync')));
}

async function refresh() {
  try {
    const next = await api.teamState();
    const changed = JSON.stringify(next) !== JSON.stringify(last);
    last = next;
    if (changed) {
      draw();
      for (const fn of listeners) fn(last);
    }
  } catch {
    // Locked or no backend: the line keeps what it had; the lock screen takes over.
  }
}

async function syncNow() {
  if (last) {
    last = { ...last, syncing: true };
    draw();
  }
  try {
    last = await api.teamSyncNow();
  } catch {
    // The state below tells what happened.
  }
  await refresh();
  draw();
  for (const fn of listeners) fn(last);
}

/** The line's element (the same one across menu redraws), polling while it is on the page. */
export function teamLine() {
  if (!box) box = h('div', { id: 'team-line', class: 'team-line', role: 'status', 'aria-live': 'polite', hidden: true });
  if (!timer) {
    refresh();
    timer = setInterval(() => {
      if (!box || !box.isConnected) return;
      refresh();
    }, POLL_MS);
  }
  draw();
  return box;
}

/** Ask again now (after a join, a resolution). */
export function refreshTeamLine() {
  return refresh();
}
