/**
 * How long the coordinator waits in the real window, as `srt-admin bench` measures the backend:
 * the release app on a given desk, driven through WebDriver, each screen timed inside the page
 * from the address change until the new page is drawn with all its parts (no "Laadin…" left).
 * Prints one line per figure: median, 95th percentile, runs. Not a test (no *.test.js): run it
 * with `scripts/ui-bench --db PATH`, which starts Xvfb, tauri-driver and the app.
 *
 * The app adds what every use adds to the desk (audit rows for each case opened): use a demo desk.
 */
import { startApp, skipFirstRun } from './helpers.js';

const RUNS = Math.max(5, Number(process.env.UI_BENCH_RUNS || 20));
const FRESH = Math.max(3, Number(process.env.UI_BENCH_FRESH || 5));
const LOADING = ['Laadin…', 'Loading…'];

let browser;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  console.log(`${name.padEnd(62)} median ${median.toFixed(0).padStart(5)} ms  p95 ${p95.toFixed(0).padStart(5)} ms  (${values.length} runs)`);
}

/** Elements the pages drawn in this document had: the app loads a fresh document for the
 * navigation after 50 000 (ui/fresh-document.js). The bench reloads before that itself, so that
 * no timed navigation spans a reload (the reloads are timed apart). */
let built = 0;
const RELOAD_AT = 40_000;

async function reload() {
  await browser.execute(() => window.location.reload());
  await browser.waitUntil(() => browser.execute(() => document.readyState === 'complete'), { timeout: 60_000, interval: 10 });
  await waitForDesk();
  built = 0;
}

/** Goes to `hash` and returns the ms until its page is drawn whole, timed in the page itself. */
async function timedNavigation(hash) {
  if (built > RELOAD_AT) await reload();
  const [ms, elements] = await browser.executeAsync((h, loading, done) => {
    const before = document.querySelector('#main .view');
    const t0 = performance.now();
    const drawn = () => {
      const view = document.querySelector('#main .view');
      return location.hash.split('?')[0] === h.split('?')[0] && view && view !== before && view.isConnected
        && view.querySelector('h1') !== null
        && document.title.includes(view.querySelector('h1').textContent) // a demo desk's title starts with NÄIDISANDMED
        && ![...view.querySelectorAll('p.muted')].some((p) => loading.includes(p.textContent.trim()));
    };
    const check = () => {
      if (drawn()) return done([performance.now() - t0, document.querySelector('#main').getElementsByTagName('*').length]);
      // Not drawn in 20 s: say what the page shows instead of a bare script timeout.
      if (performance.now() - t0 > 20_000) {
        const view = document.querySelector('#main .view');
        return done([`not drawn: hash ${location.hash}, new view ${view !== before}, h1 ${JSON.stringify(view?.querySelector('h1')?.textContent ?? null)}, title ${JSON.stringify(document.title)}, still loading ${JSON.stringify([...(view?.querySelectorAll('p.muted') ?? [])].filter((p) => loading.includes(p.textContent.trim())).map((p) => p.parentElement?.id ?? ''))}`, 0]);
      }
      return requestAnimationFrame(check);
    };
    window.location.hash = h;
    requestAnimationFrame(check);
  }, hash, LOADING);
  if (typeof ms !== 'number') throw new Error(`${hash} was not drawn: ${ms}`);
  built += elements;
  return ms;
}

/** Waits (node-side, 10 ms steps) until the dashboard is drawn after an unlock or a reload. */
async function waitForDesk() {
  await browser.waitUntil(() => browser.execute(() => {
    const h1 = document.querySelector('#main .view h1');
    return document.body.getAttribute('data-ready') === '1' && !!h1 && !document.querySelector('#unlock-passphrase');
  }), { timeout: 60_000, interval: 10 });
}

async function unlock() {
  await browser.$('#unlock-passphrase').waitForDisplayed({ timeout: 60_000 });
  await browser.$('#unlock-passphrase').setValue(process.env.SRT_DESK_PASSPHRASE);
  const start = Date.now();
  await browser.$('#unlock-submit').click();
  await waitForDesk();
  const ms = Date.now() - start;
  built = 0; // the lock screen was a fresh document
  await skipFirstRun(browser);
  return ms;
}

/** Case ids spread over the whole desk, newest to oldest. */
async function spreadCases(n) {
  return browser.executeAsync(async (count, done) => {
    const invoke = window.__TAURI__.core.invoke;
    const total = (await invoke('case_counts')).total;
    const ids = [];
    for (let i = 0; i < count; i += 1) {
      const list = await invoke('case_list', { filter: { offset: Math.floor((i * total) / count), limit: 1 } });
      if (list.items.length) ids.push(list.items[0].id);
    }
    done(ids);
  }, n);
}

async function main() {
  if (!process.env.SRT_DESK_PASSPHRASE) throw new Error('SRT_DESK_PASSPHRASE: the desk\'s passphrase');
  const started = Date.now();
  browser = await startApp({ stopAtUnlock: true });
  console.log(`WebDriver session to the unlock screen drawn: ${Date.now() - started} ms (the app's own start figure follows)`);
  const unlocks = [await unlock()];
  const ids = await spreadCases(RUNS + FRESH + 4);
  let next = 0;
  const caseHash = () => `#/cases/${ids[next++ % ids.length]}`;

  // The first case view since the app started (WebKit's caches are empty), then the next ones.
  const afterStart = [await timedNavigation(caseHash())];
  const afterUnlock = [];
  const views = [];
  for (let i = 0; i < RUNS; i += 1) views.push(await timedNavigation(caseHash()));
  const lists = [];
  const dashboards = [];
  for (let i = 0; i < 5; i += 1) {
    lists.push(await timedNavigation(`#/cases?page=${i + 2}`));
    dashboards.push(await timedNavigation('#/dashboard'));
  }
  // The other screens of the menu that read the whole desk, each between two dashboards.
  const screens = [
    ['case list searched by a first name (Anna)', '#/cases?q=Anna'],
    ['statistics (this year)', '#/statistics'],
    ['waiting children (Ootel)', '#/waiting'],
    ['invoices', '#/invoices'],
    ['providers', '#/providers'],
  ].map(([name, hash]) => ({ name, hash, values: [] }));
  for (let i = 0; i < 3; i += 1) {
    for (const screen of screens) {
      screen.values.push(await timedNavigation(screen.hash));
      dashboards.push(await timedNavigation('#/dashboard'));
    }
  }
  // A fresh document, as the app loads one every few dozen pages (ui/fresh-document.js).
  const afterReload = [];
  for (let i = 0; i < FRESH; i += 1) {
    await reload();
    afterReload.push(await timedNavigation(caseHash()));
  }
  // Lock and unlock again: the lock screen is a fresh document (ui/main.js).
  for (let i = 0; i < 3; i += 1) {
    await browser.execute(() => document.querySelector('#nav-lock').click());
    unlocks.push(await unlock());
    afterUnlock.push(await timedNavigation(caseHash()));
  }

  report('unlock: passphrase (Argon2id) to the dashboard drawn', unlocks);
  report('case view, the first since the app started', afterStart);
  report('case view, the first after a later unlock', afterUnlock);
  report('case view, the first after a fresh document', afterReload);
  report('case view, each a case not opened before', views);
  report('case list page', lists);
  report('dashboard', dashboards);
  for (const screen of screens) report(screen.name, screen.values);
}

main()
  .catch((error) => {
    console.error(`ui-bench: ${error.stack || error}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    if (browser) await browser.deleteSession().catch(() => {});
  });
