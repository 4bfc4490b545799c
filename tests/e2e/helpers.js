/**
 * What the end-to-end tests share: starting the app through tauri-driver (WebDriver), and
 * small steps a coordinator takes (click, open the case list, search), with screenshots.
 *
 * The runner (not these files) starts Xvfb and tauri-driver and exports:
 *   SRT_DESK_BIN         the built srt-desk binary
 *   SRT_DESK_DB          a temporary database path (the app reads it)
 *   SRT_DESK_PASSPHRASE  the passphrase the app uses to open that database
 *   TAURI_DRIVER_PORT    tauri-driver's port (default 4444)
 *   SRT_E2E_ARTIFACTS    where screenshots go (default tests/e2e/artifacts)
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = process.env.SRT_E2E_ARTIFACTS || join(here, 'artifacts');
export const TIMEOUT = 30_000;

/** The session the helpers act on: the one startApp opened last. */
let current = null;

export async function startApp({ keepRecoveryScreen = false, stopAtUnlock = false } = {}) {
  assert.ok(process.env.SRT_DESK_BIN, 'SRT_DESK_BIN must point at the built app');
  const session = await remote({
    hostname: '127.0.0.1',
    port: Number(process.env.TAURI_DRIVER_PORT || 4444),
    logLevel: 'warn',
    connectionRetryTimeout: 120_000,
    capabilities: {
      browserName: 'wry',
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: process.env.SRT_DESK_BIN },
    },
  });
  current = session;
  keepClearOfStickyHeaders(session);
  revealBeforeLooking(session);
  await session.$('body[data-ready="1"]').waitForExist({ timeout: 60_000 });
  // The runner's passphrase normally opens the database directly; if the app asks, answer.
  if (await session.$('#setup-passphrase').isExisting()) {
    await session.$('#setup-passphrase').setValue(process.env.SRT_DESK_PASSPHRASE);
    await session.$('#setup-confirm').setValue(process.env.SRT_DESK_PASSPHRASE);
    await session.$('#setup-submit').click();
  } else if (stopAtUnlock) {
    // The test unlocks itself (upgrade.test.js looks at the screen first).
    await session.$('#unlock-passphrase').waitForDisplayed({ timeout: TIMEOUT });
    return session;
  } else if (await session.$('#unlock-passphrase').isExisting()) {
    await session.$('#unlock-passphrase').setValue(process.env.SRT_DESK_PASSPHRASE);
    await session.$('#unlock-submit').click();
  }
  // A new database starts the guided setup: past its first step (where the data lives) comes
  // the recovery code, shown once: tick "written down" and continue.
  if (await session.$('#first-run-next').isExisting()) {
    await session.$('#first-run-next').click();
    await session.$('#recovery-ack').waitForDisplayed({ timeout: TIMEOUT });
  }
  const ack = await session.$('#recovery-ack');
  if (keepRecoveryScreen && await ack.isExisting()) return session;
  if (await ack.isExisting()) {
    await session.$('#recovery-written').click();
    await ack.click();
  }
  await skipFirstRun(session);
  const desk = await session.$('#desk-error');
  assert.equal(await desk.isExisting(), false, `the database did not open: ${await desk.isExisting() && await desk.getText()}`);
  await session.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
  return session;
}

/**
 * A page with a header that stays at the top (the case page) sets the document's scroll padding
 * to the header's height. WebKitWebDriver scrolls an element to be typed into or clicked to the
 * window's top edge, under that header, and then finds it covered ("not interactable"), which a
 * coordinator scrolling or tabbing never meets (the browser keeps what gets focus clear of the
 * padding). So on such a page an element outside the uncovered part is first scrolled to the
 * middle of the window (not one in the header); on other pages WebDriver scrolls as it always did.
 */
function keepClearOfStickyHeaders(session) {
  const commands = ['click', 'setValue', 'addValue', 'clearValue', 'selectByAttribute', 'selectByVisibleText', 'selectByIndex'];
  for (const name of commands) {
    session.overwriteCommand(name, async function clearOfHeader(original, ...args) {
      await session.execute((el) => {
        const pad = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
        if (!el || pad <= 0) return;
        // What is in the header itself is always in sight (scrolling to it would move the page).
        for (let e = el; e; e = e.parentElement) {
          if (['sticky', 'fixed'].includes(getComputedStyle(e).position) && e.getBoundingClientRect().bottom <= pad + 1) return;
        }
        const box = el.getBoundingClientRect();
        if (box.top < pad || box.bottom > window.innerHeight) el.scrollIntoView({ block: 'center' });
      }, this).catch(() => {});
      return original(...args);
    }, true);
  }
}

/**
 * The case page's parts below the first screen and the dashboard's later groups are laid out only
 * when they come near the window (`content-visibility: auto`, ui/style.css). Until then the
 * browser skips them, and WebDriver counts an element in a skipped part as not displayed (and
 * reads no text from it), although a coordinator who scrolls or tabs there finds it at once. So
 * before WebDriver looks at an element, one that is only skipped (shown once laid out) is first
 * scrolled to the middle of the window, as the coordinator would scroll to it; an element hidden
 * for another reason is left where it is and stays not displayed. Before a click or typing
 * (`interact`), an element out of view is scrolled to as well: the parts that come near take
 * their real heights and move it, so it is scrolled again each frame until it stays in view.
 */
export async function reveal(el, session = current, { interact = false } = {}) {
  await session.executeAsync((e, toInteract, done) => {
    if (!e || typeof e.checkVisibility !== 'function') return done();
    if (!e.checkVisibility({ contentVisibilityAuto: false })) return done(); // hidden: not ours to show
    // In view: below the sticky header (the page's scroll padding) and above the window's bottom.
    const pad = toInteract ? (parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0) : 0;
    const inView = (box) => (toInteract ? box.top >= pad && box.bottom <= window.innerHeight : box.bottom > 0 && box.top < window.innerHeight);
    const laidOut = () => e.checkVisibility({ contentVisibilityAuto: true });
    // What is in a header that stays (or a dialog) is always in sight: scrolling would only move the page.
    for (let a = e; a; a = a.parentElement) {
      if (['sticky', 'fixed'].includes(getComputedStyle(a).position)) return done();
    }
    if (laidOut() && (!toInteract || inView(e.getBoundingClientRect()))) return done();
    // Scrolled to, the parts that come near are laid out and take their real heights, which
    // moves the element: scroll again after each frame until it is laid out and stays in view.
    let tries = 0;
    let last = null;
    const settle = () => {
      const box = e.getBoundingClientRect();
      if ((laidOut() && inView(box) && last === box.top) || tries >= 20) return done();
      last = box.top;
      tries += 1;
      if (!laidOut() || !inView(box)) e.scrollIntoView({ block: 'center' });
      // The next frame (two, so the parts laid out have been measured), or 100 ms if no frame
      // comes (a window WebKit does not paint then): never waiting for the script's timeout.
      let went = false;
      const next = () => { if (!went) { went = true; settle(); } };
      requestAnimationFrame(() => requestAnimationFrame(next));
      setTimeout(next, 100);
    };
    settle();
  }, el, interact).catch(() => {});
}

/** Waits until the element is displayed, scrolling it into view first when it is only skipped. */
export async function waitShown(selector, { timeout = TIMEOUT, session = current } = {}) {
  const el = typeof selector === 'string' ? session.$(selector) : selector;
  await el.waitForExist({ timeout });
  await el.waitForDisplayed({ timeout });
  return el;
}

/** Every look at an element (displayed? its text? a click or a typed value) reveals it first. */
function revealBeforeLooking(session) {
  const interactions = ['click', 'setValue', 'addValue', 'clearValue', 'selectByAttribute', 'selectByVisibleText', 'selectByIndex'];
  for (const name of ['isDisplayed', 'getText', ...interactions]) {
    const interact = interactions.includes(name);
    session.overwriteCommand(name, async function revealFirst(original, ...args) {
      if (this.elementId) await reveal(this, session, { interact });
      return original(...args);
    }, true);
  }
}

/** The synthetic coordinator the guided setup is given (an empty name is refused). */
export const COORDINATOR = 'Mari Näidiskoordinaator';

/**
 * The rest of the guided setup: the coordinator's name (required; the contacts are left to the
 * Board's), then automatic backups skipped. Tests of the setup itself (install.test.js) walk
 * through it instead.
 */
export async function skipFirstRun(session = current) {
  const name = session.$('#first-run-name-submit');
  const dashboard = session.$('#nav-dashboard');
  await session.waitUntil(async () => (await name.isExisting()) || (await dashboard.isExisting())
    || (await session.$('#desk-error').isExisting()), { timeout: TIMEOUT, timeoutMsg: 'neither the setup nor the desk appeared' });
  if (!(await name.isExisting())) return;
  const input = session.$('#first-run-coordinatorName');
  if ((await input.getValue()) === '') await input.setValue(COORDINATOR);
  await name.click();
  const finish = session.$('#first-run-finish');
  await finish.waitForDisplayed({ timeout: TIMEOUT });
  await finish.click();
}

/** Lets the helpers act on a session a test opened itself (install.test.js). */
export function useSession(session) {
  current = session;
  revealBeforeLooking(session);
}

/** Scrolls an element to the middle of the window before clicking: WebKitWebDriver clicks the
 * element's centre, which may lie outside a window the element only half shows. */
export async function click(selector) {
  const el = await waitShown(selector);
  await el.scrollIntoView({ block: 'center' });
  await el.click();
}

/**
 * An action that cannot be undone asks once (ui/two-step.js): the first click makes the button
 * say what will happen, the second does it. Resolves after the second click.
 */
export async function clickTwice(selector) {
  await click(selector);
  await current.$(`${selector}[data-armed="true"]`).waitForExist({ timeout: TIMEOUT, timeoutMsg: `${selector} did not ask first` });
  await current.$(selector).click();
}

/**
 * Closes the window as its close button does: a close request (X11 WM_DELETE_WINDOW) that the app
 * may answer with a question. WebDriver's own "close window" ends the session instead.
 */
export async function closeAsUser() {
  execFileSync('python3', [join(here, 'close-window.py'), 'SRT Desk'], { stdio: ['ignore', 'pipe', 'inherit'] });
}

export async function screenshot(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  // WebKit takes a WebDriver screenshot when the page is next drawn. Drawn without compositing
  // (no GPU: src-tauri/src/rendering.rs), a page that does not change is not drawn again, and the
  // screenshot would wait for ever; so while it is taken, one pixel nobody sees changes.
  await current.execute(() => {
    const pixel = document.createElement('div');
    pixel.id = 'srt-test-frames';
    pixel.setAttribute('aria-hidden', 'true');
    pixel.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
    document.body.append(pixel);
    let odd = false;
    pixel.dataset.timer = String(setInterval(() => {
      odd = !odd;
      pixel.style.background = odd ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)';
    }, 16));
  });
  try {
    await current.saveScreenshot(join(ARTIFACTS, `${name}.png`));
  } finally {
    await current.execute(() => {
      const pixel = document.getElementById('srt-test-frames');
      if (pixel) {
        clearInterval(Number(pixel.dataset.timer));
        pixel.remove();
      }
    });
  }
}

/** Runs a step; on failure keeps a screenshot of what the window showed. */
export async function step(name, fn) {
  try {
    await fn();
  } catch (error) {
    if (current) {
      await screenshot(`failed-${name}`).catch(() => {});
      // What the window said, so a failure on a CI machine can be read without the screenshot.
      const seen = await current.execute(() => {
        const alerts = [...document.querySelectorAll('[role="alert"], .field-error, #form-error, #desk-error')]
          .map((e) => e.textContent.trim()).filter(Boolean);
        const fields = [...document.querySelectorAll('input, select, textarea')]
          .filter((e) => e.id && e.type !== 'password').map((e) => `${e.id}=${e.value}`);
        const busy = [...document.querySelectorAll('[aria-busy="true"], button:disabled')].map((e) => e.id || e.textContent.trim());
        return { hash: location.hash, alerts, busy, fields: fields.slice(0, 40) };
      }).catch((e) => ({ unavailable: String(e) }));
      error.message += `\nwindow: ${JSON.stringify(seen)}`;
    }
    throw error;
  }
}

/**
 * "Try with demo data" on the empty dashboard: the demo desk, a separate file beside the real
 * desk, opens filled with the demo; resolves when the window shows it (the NÄIDISANDMED banner)
 * and its cases are listed.
 */
export async function openDemoDesk() {
  await click('#nav-dashboard');
  await click('#demo-load');
  await current.$('#demo-banner').waitForDisplayed({ timeout: 120_000 });
  await current.$('body[data-ready="1"]').waitForExist({ timeout: TIMEOUT });
  await current.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
  await openCases();
  await current.waitUntil(async () => Number(await current.$('#case-count').getText()) > 0,
    { timeout: TIMEOUT, timeoutMsg: 'the demo cases did not load' });
}

export async function openCases() {
  await click('#nav-cases');
  const count = current.$('#case-count');
  await count.waitForDisplayed({ timeout: TIMEOUT });
  await current.waitUntil(async () => (await count.getText()) !== '', {
    timeout: TIMEOUT, timeoutMsg: 'the case list did not load',
  });
}

/** Locks with Ctrl+L at once and unlocks with the runner's passphrase, as a coordinator who
 * steps away and comes back; resolves when the unlock has been asked for. */
export async function lockAndUnlock() {
  await current.keys(['Control', 'l']);
  await current.$('#unlock-passphrase').waitForDisplayed({ timeout: TIMEOUT });
  await current.$('#unlock-passphrase').setValue(process.env.SRT_DESK_PASSPHRASE);
  await click('#unlock-submit');
}

/**
 * Opens the first case of the list shown, by clicking its child's name as a coordinator would.
 * The list may re-render under the pointer (search as you type): a fresh row is clicked until
 * the case opens.
 */
export async function openFirstCase() {
  await current.waitUntil(async () => {
    if (await current.$('#case-title').isExisting()) return true;
    try {
      const cell = current.$('tr.case-row td:nth-child(2)');
      if (await cell.isExisting()) await cell.click();
    } catch {
      // The row was replaced between finding and clicking it; try again.
    }
    return false;
  }, { timeout: TIMEOUT, interval: 300, timeoutMsg: 'the case did not open from the list' });
}

/** Waits for the first element of `selector` whose text contains `text` and returns it; a list
 * that re-renders under the search is looked at again. */
export async function elementWithText(selector, text, timeoutMsg = `${selector}: nothing names "${text}"`) {
  let found = null;
  await current.waitUntil(async () => {
    try {
      for (const el of await current.$$(selector)) {
        if ((await el.getText()).includes(text)) {
          found = el;
          return true;
        }
      }
    } catch {
      // The list re-rendered under us; look again.
    }
    return false;
  }, { timeout: TIMEOUT, timeoutMsg });
  return found;
}

/** Types a search and waits until the list shows a row containing `expected`. Returns that row's status. */
export async function searchFor(text, expected) {
  await current.$('#case-search').setValue(text);
  let status = null;
  await current.waitUntil(async () => {
    try {
      for (const row of await current.$$('tr.case-row')) {
        if ((await row.getText()).includes(expected)) {
          status = await row.$('.pill').getAttribute('data-status');
          return true;
        }
      }
    } catch {
      // The list re-rendered under us; look again.
    }
    return false;
  }, { timeout: TIMEOUT, timeoutMsg: `no case row with "${expected}" after searching "${text}"` });
  return status;
}
