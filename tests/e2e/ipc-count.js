/**
 * Counting the commands a page sends to the backend (issue 30: one command per screen). Tauri's
 * IPC is a fetch of ipc://localhost/<command> (window.__TAURI__ itself is frozen), or a
 * postMessage as fallback; both are wrapped in the page and each command's name noted.
 * The window's own pings (activity for the idle lock, the lock poll, unsaved text, long work's
 * progress, the team line's poll) are not the page's and are left out of `pageCommands`.
 */
import assert from 'node:assert/strict';

export const PINGS = new Set(['desk_activity', 'desk_status', 'window_unsaved', 'work_progress', 'team_state']);

/** Starts counting in the current document (checked to see a command the test itself sends). */
export async function startIpcCount(browser) {
  const wrapped = await browser.execute(() => {
    window.__ipcSeen = [];
    if (window.__ipcCounting) return true;
    const fetch = window.fetch;
    window.fetch = (input, init) => {
      const url = String(input && input.url ? input.url : input);
      if (/^(ipc:|http:\/\/ipc\.localhost)/.test(url)) window.__ipcSeen?.push(decodeURIComponent(url.split('?')[0].split('/').pop()));
      return fetch.call(window, input, init);
    };
    if (window.ipc && typeof window.ipc.postMessage === 'function') {
      const post = window.ipc.postMessage;
      try {
        window.ipc.postMessage = (data) => {
          try { window.__ipcSeen?.push(`post:${JSON.parse(data).cmd}`); } catch { window.__ipcSeen?.push('post:?'); }
          return post.call(window.ipc, data);
        };
      } catch { /* not writable: the fetch count stands */ }
    }
    window.__ipcCounting = true;
    return window.fetch !== fetch;
  });
  assert.ok(wrapped, 'the page\'s IPC could not be counted');
  await browser.execute(() => window.__TAURI__.core.invoke('places_list'));
  assert.deepEqual(await browser.execute(() => window.__ipcSeen.splice(0)), ['places_list'], 'the count did not see a command');
}

/** The commands the page sent since the last call (pings left out), and starts again. */
export async function pageCommands(browser) {
  const seen = await browser.execute(() => (window.__ipcSeen ? window.__ipcSeen.splice(0) : null));
  assert.ok(Array.isArray(seen), 'the document was reloaded under the count');
  return seen.filter((c) => !PINGS.has(c));
}
