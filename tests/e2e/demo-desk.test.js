/**
 * End-to-end: demo data lives only in the demo desk, through tauri-driver (WebDriver), from a
 * fresh real desk (the runner gives this file its own SRT_DESK_DB and passphrase).
 *
 * What a coordinator would do: on the empty real desk press "Try with demo data"; the demo desk
 * opens as a separate file beside the real one, with the NÄIDISANDMED banner on every screen and
 * in the title, and a statistics PDF it writes says NÄIDISANDMED (pdftotext). Back on the real
 * desk there is no banner, no case and no stamp on its PDF; Settings opens the demo desk again,
 * which has kept its demo.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { TIMEOUT, startApp, click, screenshot, step, openCases, openDemoDesk } from './helpers.js';

let browser;
const out = mkdtempSync(join(tmpdir(), 'srt-e2e-demo-'));

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

async function caseCount() {
  await openCases();
  return Number(await browser.$('#case-count').getText());
}

/** The statistics of the open desk as a PDF, read back as text. */
async function statisticsPdf(name) {
  await click('#nav-statistics');
  await browser.$('#stats-summary').waitForDisplayed({ timeout: TIMEOUT });
  const path = join(out, `${name}.pdf`);
  await browser.$('#stats-export-path').setValue(path);
  await click('#stats-export-submit');
  await browser.waitUntil(async () => (await browser.$('#stats-export-done').getText()).includes(`${name}.pdf`),
    { timeout: 60_000, timeoutMsg: `the statistics PDF ${name} was not written` });
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString('utf8');
}

test('demo data opens in a demo desk of its own, marked on every screen and PDF, and the real desk stays as it was', { timeout: 300_000 }, async () => {
  const realDb = process.env.SRT_DESK_DB;
  const demoDb = join(dirname(realDb), 'srt-desk-demo.db');

  await step('demo-real-empty', async () => {
    await click('#nav-dashboard');
    await browser.$('#demo-load').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#demo-hint').getText(), /eraldi näidistöölaual/, 'the button says where demo data goes');
    assert.equal(await browser.$('#demo-banner').isExisting(), false, 'the real desk has no banner');
    assert.ok(!(await browser.getTitle()).includes('NÄIDISANDMED'));
    await screenshot('demo-01-real-empty');
  });

  await step('demo-open', async () => {
    await openDemoDesk();
    assert.ok(existsSync(demoDb), 'the demo desk is its own file beside the real desk');
    assert.equal(await caseCount(), 60, 'the demo desk holds the demo');
    assert.match(await browser.$('#demo-banner').getText(), /NÄIDISANDMED/);
    assert.match(await browser.getTitle(), /^NÄIDISANDMED – /, 'the title says so too');
    await screenshot('demo-02-demo-cases');
    // Every screen: the banner stays above each.
    for (const [nav, ready] of [['#nav-dashboard', '#global-search'], ['#nav-invoices', 'h1'], ['#nav-settings', '#settings-demo']]) {
      await click(nav);
      await browser.$(ready).waitForDisplayed({ timeout: TIMEOUT });
      assert.ok(await browser.$('#demo-banner').isDisplayed(), `the banner is on ${nav}`);
      assert.ok(await browser.$('#nav-demo-badge').isDisplayed(), `the menu's mark is on ${nav}`);
      assert.match(await browser.getTitle(), /^NÄIDISANDMED – /, `the title on ${nav}`);
    }
    assert.ok(await browser.$('#settings-demo-back').isDisplayed(), 'Settings offers the way back');
    await screenshot('demo-03-demo-settings');
  });

  await step('demo-pdf', async () => {
    const text = await statisticsPdf('demo-statistika');
    assert.match(text, /NÄIDISANDMED/, 'a PDF of the demo desk says NÄIDISANDMED');
    await screenshot('demo-04-demo-statistics');
  });

  await step('demo-back-to-real', async () => {
    await click('#demo-back');
    await browser.waitUntil(async () => !(await browser.$('#demo-banner').isExisting()),
      { timeout: TIMEOUT, timeoutMsg: 'the banner stayed on the real desk' });
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
    assert.ok(!(await browser.getTitle()).includes('NÄIDISANDMED'), 'the real desk\'s title');
    assert.equal(await browser.$('#nav-demo-badge').isExisting(), false, 'no mark in the real desk\'s menu');
    assert.equal(await caseCount(), 0, 'the real desk has no demo case');
    const text = await statisticsPdf('real-statistika');
    assert.doesNotMatch(text, /NÄIDISANDMED/, 'a real desk\'s PDF is not stamped');
    await screenshot('demo-05-real-again');
  });

  await step('demo-again-from-settings', async () => {
    await click('#nav-settings');
    await click('#settings-demo-open');
    await browser.$('#demo-banner').waitForDisplayed({ timeout: 120_000 });
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await caseCount(), 60, 'the demo desk kept its demo (nothing loaded twice)');
    await click('#demo-back');
    await browser.waitUntil(async () => !(await browser.$('#demo-banner').isExisting()),
      { timeout: TIMEOUT, timeoutMsg: 'the way back failed' });
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
  });
});
