/**
 * End-to-end, as a new coordinator meets the app (in CI: the binary installed from the .deb):
 * the guided setup on a new database (where the data lives, the recovery code, the name for
 * letters and the log, the automatic backup folder), the empty dashboard explaining each part,
 * an application registered with the keyboard only (Ctrl+N, Tab, typing, Ctrl+S), Ctrl+K search,
 * F1 help with the deadline rules, and axe-core on each of these screens.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { TIMEOUT, screenshot, step, useSession } from './helpers.js';
import { assertAccessible } from './axe.js';

const NAME = 'Mari Koordinaator';
const BACKUP_PASS = 'synthetic backup passphrase 7';
// Synthetic child only (see DOMAIN.md): 61303150029, a girl born 15.03.2013.
const CODE = '61303150029';

let browser;
const backupDir = mkdtempSync(join(tmpdir(), 'srt-install-backups-'));

before(async () => {
  assert.ok(process.env.SRT_DESK_BIN, 'SRT_DESK_BIN must point at the app (the installed one in CI)');
  browser = await remote({
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
  useSession(browser);
  await browser.$('body[data-ready="1"]').waitForExist({ timeout: 60_000 });
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  rmSync(backupDir, { recursive: true, force: true });
});

const activeId = () => browser.execute(() => document.activeElement && document.activeElement.id);

/** Presses Tab until the control is focused: proves it is reachable without a mouse. */
async function tabTo(id, max = 60) {
  for (let i = 0; i < max; i += 1) {
    if (await activeId() === id) return;
    await browser.keys('Tab');
  }
  assert.fail(`#${id} was not reached with Tab (focus is on #${await activeId()})`);
}

/** Types into the focused control (WebDriver's send-keys to it; it does not click). */
async function type(text) {
  const id = await activeId();
  assert.ok(id, 'a control with an id has the focus');
  await browser.$(`#${id}`).addValue(text);
}

/** Chooses an option of the focused <select> with the arrow keys. */
async function chooseWithArrows(id, value, max = 100) {
  const current = () => browser.execute((sel) => document.getElementById(sel).value, id);
  for (let i = 0; i < max && await current() !== value; i += 1) await browser.keys('ArrowDown');
  assert.equal(await current(), value, `#${id} could not be set to ${value} with the arrow keys`);
}

async function waitStep(step) {
  await browser.$(`#first-run[data-step="${step}"]`).waitForDisplayed({ timeout: TIMEOUT });
}

test('a new database walks through the guided setup with the keyboard', { timeout: 240_000 }, async () => {
  await step('first-run-key', async () => {
    await waitStep('key');
    const path = await browser.$('#first-run-db-path').getText();
    assert.equal(path, process.env.SRT_DESK_DB, 'the setup says where the data lives');
    assert.notEqual((await browser.$('#first-run-key-source').getText()).trim(), '', 'and what protects it');
    await screenshot('install-01-first-run-data');
    await assertAccessible(browser, 'first run: data and key');
    assert.equal(await activeId(), 'first-run-next', 'the first button has the focus');
    await browser.keys('Enter');
  });
  await step('first-run-recovery', async () => {
    await waitStep('recovery');
    await browser.$('#recovery-code').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('install-02-first-run-recovery');
    await assertAccessible(browser, 'first run: recovery code');
    await tabTo('recovery-written');
    await browser.keys(' ');
    assert.equal(await browser.$('#recovery-written').isSelected(), true, 'Space ticks the box');
    await tabTo('recovery-ack');
    await browser.keys('Enter');
  });
  await step('first-run-name', async () => {
    await waitStep('name');
    assert.equal(await activeId(), 'first-run-coordinatorName');
    // Issue 26, item 3: an empty name is refused (the computer's user name never signs).
    await browser.keys('Enter');
    const refused = browser.$('#first-run-coordinatorName-error');
    await refused.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await refused.getText(), /Kirjuta oma nimi/);
    assert.equal(await browser.$('#first-run-coordinatorName').getAttribute('aria-invalid'), 'true');
    assert.equal(await activeId(), 'first-run-coordinatorName', 'the focus stays on the name');
    await screenshot('install-03-first-run-name-refused');
    await type(NAME);
    await assertAccessible(browser, 'first run: name');
    await screenshot('install-03-first-run-name');
    await browser.keys('Enter');
  });
  await step('first-run-backup', async () => {
    await waitStep('backup');
    await tabTo('auto-folder');
    await type(backupDir);
    await tabTo('auto-passphrase');
    await type(BACKUP_PASS);
    await tabTo('auto-confirm');
    await type(BACKUP_PASS);
    await assertAccessible(browser, 'first run: backups');
    await browser.keys('Enter');
    await browser.waitUntil(async () => (await browser.$('#first-run-message').getText()).trim() !== '',
      { timeout: 60_000, timeoutMsg: 'the automatic backup was not switched on' });
    assert.ok(readdirSync(backupDir).some((n) => n.endsWith('.srtbackup')), 'the first backup is in the chosen folder');
    await screenshot('install-04-first-run-backup');
    assert.equal(await activeId(), 'first-run-finish', 'the focus moves to "done"');
    await browser.keys('Enter');
  });
  await step('empty-dashboard', async () => {
    await browser.$('#demo-load').waitForDisplayed({ timeout: TIMEOUT });
    const parts = await browser.$$('#empty-parts dt');
    assert.ok(parts.length >= 5, 'the empty dashboard explains each part of the app');
    await screenshot('install-05-empty-dashboard');
    await assertAccessible(browser, 'empty dashboard');
  });
});

test('the name from the setup is in Settings, and the setup is not shown again', { timeout: 120_000 }, async () => {
  await step('settings-name', async () => {
    await browser.execute(() => { window.location.hash = '#/settings'; });
    const input = browser.$('#settings-coordinator');
    await input.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await input.getValue(), NAME);
    assert.equal(await browser.$('#first-run').isExisting(), false);
  });
});

test('an application is registered with the keyboard only', { timeout: 300_000 }, async () => {
  await step('keyboard-registration', async () => {
    // Leave every field: focus the page, then Ctrl+N.
    await browser.execute(() => document.getElementById('main').focus());
    await browser.keys(['Control', 'n']);
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.execute(() => document.activeElement && document.activeElement.blur());
    await tabTo('child-firstName');
    await type('Klaviatuur');
    await tabTo('child-lastName');
    await type('Testsaar');
    await tabTo('child-personalCode');
    await type(CODE);
    await browser.waitUntil(async () => (await browser.$('#child-personalCode-info').getText()).trim() !== '',
      { timeout: TIMEOUT, timeoutMsg: 'the personal code was not confirmed' });
    await tabTo('child-municipalityCode');
    const tallinn = '0784';
    await chooseWithArrows('child-municipalityCode', tallinn, 120);
    await tabTo('guardian-0-firstName');
    await type('Kadri');
    await tabTo('guardian-0-lastName');
    await type('Testsaar');
    await tabTo('guardian-0-phone');
    await type('5550 1234');
    await tabTo('guardian-0-email');
    await type('kadri.testsaar@example.ee');
    await tabTo('guardian-0-language');
    await chooseWithArrows('guardian-0-language', 'et');
    await tabTo('guardian-0-delivery');
    await chooseWithArrows('guardian-0-delivery', 'email');
    await tabTo('route-disability', 80);
    await browser.keys(' ');
    assert.equal(await browser.$('#route-disability').isSelected(), true, 'Space chooses the route');
    await tabTo('route-severity');
    await chooseWithArrows('route-severity', 'severe');
    await tabTo('channel');
    await chooseWithArrows('channel', 'email');
    await tabTo('notes');
    await type('Registreeritud klaviatuuriga');
    await screenshot('install-06-keyboard-form');
    await assertAccessible(browser, 'new application (filled)');
    await browser.keys(['Control', 's']);
    const title = browser.$('#case-title');
    await title.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await title.getText(), /Klaviatuur/);
    await screenshot('install-07-keyboard-case');
  });
});

test('Ctrl+K goes to the search, F1 to the help with the deadline rules', { timeout: 120_000 }, async () => {
  await step('search-shortcut', async () => {
    await browser.keys(['Control', 'k']);
    await browser.waitUntil(async () => ['global-search', 'case-search'].includes(await activeId()),
      { timeout: TIMEOUT, timeoutMsg: 'Ctrl+K did not focus a search box' });
    await type('Klavi');
    await browser.$('.search-result').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#global-search-results').getText(), /Klaviatuur/);
  });
  await step('help', async () => {
    await browser.keys('F1');
    await browser.$('#help-rules').waitForDisplayed({ timeout: TIMEOUT });
    const rules = await browser.$('#help-rules').getText();
    assert.match(rules, /SHS § 70/, 'the decision deadline with its legal reference');
    assert.match(rules, /HKMS § 46/, 'the challenge period with its legal reference');
    await screenshot('install-08-help');
    await assertAccessible(browser, 'help');
  });
});
