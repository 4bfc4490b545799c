/**
 * End-to-end: data protection in Settings, through tauri-driver (WebDriver), on the demo cases
 * of a fresh database (the runner gives this file its own SRT_DESK_DB and passphrase).
 *
 * What a coordinator would do: export everything about one child to a JSON file (a wrong or
 * unknown personal code is told next to the field), shorten the retention period so that old
 * closed cases are listed, see that nothing is deleted without confirming, delete one, and find
 * it gone from the case list.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIMEOUT, startApp, click, screenshot, step, openCases, searchFor, openDemoDesk } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'srt-e2e-privacy-'));
let browser;
let code;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

async function openPrivacy() {
  await click('#nav-settings');
  await browser.$('#privacy-section').waitForDisplayed({ timeout: TIMEOUT });
}

test('a child\'s data is exported to a JSON file', { timeout: 120_000 }, async () => {
  await step('export', async () => {
    // The demo desk (a separate file beside the real desk) with its cases.
    await openDemoDesk();
    code = (await browser.$('tr.case-row td:nth-child(3) .mono').getText()).trim();
    assert.match(code, /^\d{11}$/);

    await openPrivacy();
    const out = join(work, 'laps.json');
    await browser.$('#export-personalCode').setValue('12345678901');
    await browser.$('#export-out').setValue(out);
    await click('#export-submit');
    await browser.$('#export-personalCode-error').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#export-personalCode').setValue(code);
    await click('#export-submit');
    await browser.waitUntil(async () => (await browser.$('#export-done').getText()).includes('laps.json'),
      { timeout: TIMEOUT, timeoutMsg: 'the export was not confirmed' });
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(json.personalCode, code);
    assert.ok(json.cases.length >= 1, 'the child\'s cases are in the export');
    assert.ok(json.cases[0].guardian.length >= 1, 'with the guardians');
  });
});

test('closed cases past a shortened retention period are deleted only when confirmed', { timeout: 120_000 }, async () => {
  await step('retention', async () => {
    await browser.$('#retention-years').setValue('1');
    await click('#retention-years-save');
    const first = browser.$('#retention-delete-form input[type="checkbox"][id^="retention-case-"]');
    await first.waitForExist({ timeout: TIMEOUT });
    const caseNo = (await browser.$('#retention-delete-form tbody tr td:nth-child(2)').getText()).trim();
    await first.click();
    await click('#retention-delete');
    await browser.$('#retention-understood-error').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('41-settings-retention');

    await browser.$('#retention-understood').click();
    await click('#retention-delete');
    await browser.waitUntil(async () => !(await browser.$('#privacy-section').getText()).includes(caseNo),
      { timeout: TIMEOUT, timeoutMsg: 'the deleted case is still listed' });

    await openCases();
    await browser.$('#case-search').setValue(caseNo);
    await browser.waitUntil(async () => (await browser.$('#case-count').getText()) === '0',
      { timeout: TIMEOUT, timeoutMsg: `case ${caseNo} is still found` });
    await searchFor(code, code);
  });
});
