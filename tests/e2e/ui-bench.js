/**
 * How long the coordinator waits in the real window, as `srt-admin bench` measures the backend:
 * the release app on a given desk, driven through WebDriver, each screen timed inside the page
 * from the address change until the new page is drawn with all its parts (no "Laadin…" left).
 * Prints one line per figure: median, 95th percentile, runs. Not a test (no *.test.js): run it
 * with `scripts/ui-bench --db PATH`, which starts Xvfb, tauri-driver and the app.
 *
 * The app adds what every use adds to the desk (audit rows for each case opened): use a demo desk.
 */
import fs from 'node:fs';
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
/** Each navigation's phases (ms from the address change), by page: UI_BENCH_PHASES=1 prints them. */
const phaseLog = new Map();
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
  const [ms, elements, phases] = await browser.executeAsync((h, loading, done) => {
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
      if (drawn()) {
        const ms = performance.now() - t0;
        const elements = document.querySelector('#main').getElementsByTagName('*').length;
        // Where the time went: the page's own marks (ui/main.js, the views), then the style and
        // layout still to do (forced here) and the time to the next frame (paint).
        const phases = {};
        for (const mark of performance.getEntriesByType('mark')) {
          if (mark.name.startsWith('srt:')) phases[mark.name.slice(4)] = mark.startTime - t0;
        }
        const l0 = performance.now();
        document.body.getBoundingClientRect();
        phases.layout = performance.now() - l0;
        return requestAnimationFrame(() => {
          phases.frame = performance.now() - l0 - phases.layout;
          done([ms, elements, phases]);
        });
      }
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
  const key = hash.replace(/\d+/g, 'N').replace(/\?.*/, '');
  if (!phaseLog.has(key)) phaseLog.set(key, []);
  phaseLog.get(key).push({ ...phases, total: ms, elements });
  return ms;
}

/** Types `word` into the dashboard's global search one letter at a time, each as a keystroke
 * would (the value grows by a letter and the input event fires), and returns for each letter the
 * ms until its results are drawn (the results' content replaced, then the next frame). */
async function timedSearchKeystrokes(word) {
  return browser.executeAsync((text, done) => {
    const input = document.querySelector('#global-search');
    const results = document.querySelector('#global-search-results');
    input.value = '';
    results.replaceChildren();
    const times = [];
    const next = (i) => {
      if (i >= text.length) return done(times);
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => {
          times.push(performance.now() - t0);
          setTimeout(() => next(i + 1), 50);
        });
      });
      observer.observe(results, { childList: true });
      input.value = text.slice(0, i + 1);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    next(0);
  }, word);
}

/** RSS and PSS in MB of the app's processes (found by the desk they were started on). */
function processMemory() {
  const db = process.env.UI_BENCH_DB;
  const found = {};
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const role = comm.startsWith('WebKitWebProc') ? 'web' : comm.startsWith('srt-desk') ? 'app' : null;
      if (!role) continue;
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SRT_DESK_DB=${db}`)) continue;
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
      found[role] = { rss: kb('Rss') / 1024, pss: kb('Pss') / 1024 };
    } catch {
      // a process that ended meanwhile, or not ours to read
    }
  }
  return found;
}

const mb = (m) => (m ? `${m.rss.toFixed(0)} / ${m.pss.toFixed(0)}` : '-');

/** `--soak MINUTES`: loops the screens a coordinator uses (a case not opened before, the
 * dashboard, a search, the lists) and prints the processes' memory each minute. */
async function soak(minutes, caseHash) {
  const end = Date.now() + minutes * 60_000;
  let nextSample = Date.now();
  let pages = 0;
  const start = Date.now();
  const round = ['CASE', '#/dashboard', 'CASE', '#/cases?q=Anna', 'CASE', '#/cases?page=3', 'CASE',
    '#/waiting', 'CASE', '#/invoices', 'CASE', '#/providers', 'CASE', '#/statistics'];
  const pace = Number(process.env.UI_BENCH_SOAK_PACE_MS || 0);
  console.log(`soak: minute, pages, web process RSS / PSS MB, app process RSS / PSS MB${pace ? ` (a pause of ${pace} ms after each page)` : ''}`);
  while (Date.now() < end) {
    for (const hash of round) {
      if (Date.now() >= nextSample) {
        const m = processMemory();
        console.log(`soak ${((Date.now() - start) / 60_000).toFixed(1).padStart(5)} min ${String(pages).padStart(6)} pages  web ${mb(m.web)}  app ${mb(m.app)}`);
        nextSample += 60_000;
      }
      await timedNavigation(hash === 'CASE' ? caseHash() : hash);
      pages += 1;
      // UI_BENCH_SOAK_PACE_MS: a pause after each page, as a coordinator reads it (none unless told).
      if (pace > 0) await new Promise((r) => setTimeout(r, pace));
    }
  }
  const m = processMemory();
  console.log(`soak ${((Date.now() - start) / 60_000).toFixed(1).padStart(5)} min ${String(pages).padStart(6)} pages  web ${mb(m.web)}  app ${mb(m.app)}`);
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

/** The app's start lines so far (`srt-desk timing: first screen asked for N ms after run()
 * (epoch ms E)`), each as run()'s wall-clock time: E less N. */
function appRuns() {
  const log = fs.readFileSync(process.env.UI_BENCH_DRIVER_LOG, 'utf8');
  return [...log.matchAll(/srt-desk timing: first screen asked for (\d+) ms after run\(\) \(epoch ms (\d+)\)/g)]
    .map((m) => Number(m[2]) - Number(m[1]));
}

/** Closes the app, starts it again and returns the ms from its run() to the unlock screen's
 * first contentful paint. */
async function timedStart() {
  if (!process.env.UI_BENCH_DRIVER_LOG) throw new Error('UI_BENCH_STARTS needs UI_BENCH_DRIVER_LOG (scripts/ui-bench sets it)');
  const before = appRuns().length;
  await browser.deleteSession();
  browser = await startApp({ stopAtUnlock: true });
  const painted = await browser.executeAsync((done) => {
    const look = () => {
      const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
      if (paint) return done(performance.timeOrigin + paint.startTime);
      return requestAnimationFrame(look);
    };
    look();
  });
  let runs = appRuns();
  for (let i = 0; runs.length <= before && i < 100; i += 1) {
    await new Promise((r) => setTimeout(r, 50)); // the log is written by another process
    runs = appRuns();
  }
  if (runs.length <= before) throw new Error('the app printed no start line (SRT_DESK_TIMING)');
  return painted - runs[runs.length - 1];
}

async function main() {
  if (!process.env.SRT_DESK_PASSPHRASE) throw new Error('SRT_DESK_PASSPHRASE: the desk\'s passphrase');
  const started = Date.now();
  browser = await startApp({ stopAtUnlock: true });
  console.log(`WebDriver session to the unlock screen drawn: ${Date.now() - started} ms (the app's own start figure follows)`);
  // Where the start went inside the page (issue 30), as wall-clock epoch ms, so that the script
  // can set them beside the app's own steps (srt-desk timing lines): the navigation began, the
  // page's HTML arrived, the shell's modules ran, the first status answered, the first screen
  // built, and painted (the first frame after it, or WebKit's first contentful paint).
  const start = await browser.execute(() => {
    const origin = performance.timeOrigin;
    const nav = performance.getEntriesByType('navigation')[0] ?? {};
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime;
    const at = (ms) => (typeof ms === 'number' && ms > 0 ? Math.round(origin + ms) : null);
    return {
      'navigation began': Math.round(origin),
      'html received': at(nav.responseEnd),
      'dom parsed': at(nav.domInteractive),
      'modules run': at(mark('srt:modules')),
      'status answered': at(mark('srt:status')),
      'unlock screen built': at(mark('srt:first-screen')),
      'first contentful paint': at(paint),
      'load event': at(nav.loadEventEnd),
    };
  });
  console.log(`start steps in the page (epoch ms): ${Object.entries(start).map(([k, v]) => `${k}=${v}`).join('; ')}`);
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
  // UI_BENCH_SCREEN_RUNS: how many visits of each screen (3 unless told; the case list's pages at
  // least 5).
  const screenRuns = Math.max(1, Number(process.env.UI_BENCH_SCREEN_RUNS || 3));
  for (let i = 0; i < Math.max(5, screenRuns); i += 1) {
    lists.push(await timedNavigation(`#/cases?page=${i + 2}`));
    dashboards.push(await timedNavigation('#/dashboard'));
  }
  // The other screens of the menu that read the whole desk, each between two dashboards.
  const screens = [
    ['case list searched by a first name (Anna)', '#/cases?q=Anna'],
    ['statistics (the page\'s default: this month)', '#/statistics'],
    ['waiting children (Ootel)', '#/waiting'],
    ['invoices', '#/invoices'],
    ['providers', '#/providers'],
  ].map(([name, hash]) => ({ name, hash, values: [] }))
    // UI_BENCH_SCREENS="statistics waiting": only the screens whose address has one of the words.
    .filter((s) => !process.env.UI_BENCH_SCREENS || process.env.UI_BENCH_SCREENS.split(/[ ,]+/).some((w) => s.hash.includes(w)));
  for (let i = 0; i < screenRuns; i += 1) {
    for (const screen of screens) {
      screen.values.push(await timedNavigation(screen.hash));
      dashboards.push(await timedNavigation('#/dashboard'));
    }
  }
  // Keystrokes in the dashboard's global search, each word typed letter by letter.
  const keystrokes = [];
  if (!await browser.execute(() => location.hash.startsWith('#/dashboard'))) await timedNavigation('#/dashboard');
  for (const word of ['Anna', 'Mari', 'Kask', 'Tamm', 'Liis', 'Jaan', 'Mets', 'Peet']) {
    keystrokes.push(...await timedSearchKeystrokes(word));
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

  // UI_BENCH_STARTS=N: the app started N times more, each timed from run() to the unlock screen
  // painted (the app's clock from tauri-driver's log, the page's first contentful paint).
  const starts = [];
  for (let i = 0; i < Number(process.env.UI_BENCH_STARTS || 0); i += 1) starts.push(await timedStart());

  const soakMinutes = Number(process.env.UI_BENCH_SOAK_MINUTES || 0);
  if (soakMinutes > 0) await soak(soakMinutes, caseHash);

  report('unlock: passphrase (Argon2id) to the dashboard drawn', unlocks);
  report('case view, the first since the app started', afterStart);
  report('case view, the first after a later unlock', afterUnlock);
  report('case view, the first after a fresh document', afterReload);
  report('case view, each a case not opened before', views);
  report('case list page', lists);
  report('dashboard', dashboards);
  report('keystroke in the global search to results drawn', keystrokes);
  if (starts.length) {
    report('start: run() to the unlock screen painted', starts);
    console.log(`${'  each start (ms)'.padEnd(62)} ${starts.map((ms) => ms.toFixed(0)).join(' ')}`);
  }
  for (const screen of screens) {
    report(screen.name, screen.values);
    // The first visit computes what later visits may find kept (issue 30: statistics, waiting).
    console.log(`${`  its first visit`.padEnd(62)} ${screen.values[0].toFixed(0).padStart(5)} ms`);
  }
  if (process.env.UI_BENCH_PHASES) reportPhases();
}

/** Medians of each phase by page: route (the hashchange handled), fetched (the view's IPC
 * answered), built (the page in the document), parts, drawn (title and focus set), then the
 * forced style and layout, and the next frame; elements in #main. */
function reportPhases() {
  for (const [page, entries] of phaseLog) {
    const names = [...new Set(entries.flatMap((e) => Object.keys(e)))];
    const line = names.map((name) => {
      const values = entries.map((e) => e[name]).filter((v) => typeof v === 'number').sort((a, b) => a - b);
      return `${name} ${percentile(values, 50).toFixed(1)}`;
    });
    console.log(`phases ${page.padEnd(18)} (${entries.length}) ${line.join('  ')}`);
  }
}

main()
  .catch((error) => {
    console.error(`ui-bench: ${error.stack || error}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    if (browser) await browser.deleteSession().catch(() => {});
  });
