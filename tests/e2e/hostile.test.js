/**
 * Hostile input in the real webview: markup, script and SQL typed into the forms is stored and
 * shown exactly as typed and never runs. Nothing here trusts the UI's own code: the test asks the
 * page whether any payload ran (a global flag the payloads would set).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startApp, click, screenshot, step, openCases, searchFor } from './helpers.js';

// Synthetic girl born 20.08.2015, valid check digit.
const CHILD_CODE = '61508201235';
const FIRST = '<img src=x onerror="window.__pwned=1">';
const LAST = 'Näidis<script>window.__pwned=2</script>';
const NOTES = "'; DROP TABLE srt_case; -- <b onmouseover=\"window.__pwned=3\">Пример</b> õäöü";

let browser;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

const pwned = () => browser.execute(() => window.__pwned ?? null);

test('markup and script typed into the application are shown literally and never run', { timeout: 120_000 }, async () => {
  await step('hostile-register', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#child-firstName').setValue(FIRST);
    await browser.$('#child-lastName').setValue(LAST);
    await browser.$('#child-personalCode').setValue(CHILD_CODE);
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784'); // Tallinn
    await browser.$('#guardian-0-firstName').setValue('<svg onload="window.__pwned=4">');
    await browser.$('#guardian-0-lastName').setValue('Proov');
    await browser.$('#guardian-0-email').setValue('proov@example.invalid');
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'moderate');
    await browser.$('#channel').selectByAttribute('value', 'post');
    await browser.$('#notes').setValue(NOTES);
    await click('#application-submit');

    const title = browser.$('#case-title');
    await title.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await title.getText(), `${FIRST} ${LAST}`, 'the name shows exactly as typed');
    const page = await browser.$('body').getText();
    assert.ok(page.includes(NOTES), 'the notes show exactly as typed, Cyrillic and Estonian intact');
    assert.ok(page.includes('<svg onload="window.__pwned=4">'), 'the guardian name shows literally');
    assert.equal(await browser.$$('img[src="x"]').length, 0, 'no element was made from the input');
    assert.equal(await browser.$$('#app script').length, 0);
    assert.equal(await pwned(), null, 'no payload ran');
    await screenshot('30-hostile-case-view');
  });
});

test('the list, the search and the dashboard show it literally too, and the SQL did nothing', { timeout: 120_000 }, async () => {
  await step('hostile-list', async () => {
    await openCases();
    await searchFor('script', 'window.__pwned=2');
    assert.equal(await browser.$('#case-count').getText(), '1', 'the cases table is still there');
    await click('#nav-dashboard');
    await browser.$('#global-search').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#global-search').setValue('DROP TABLE');
    await browser.$('.search-result').waitForExist({ timeout: TIMEOUT });
    assert.equal(await pwned(), null, 'no payload ran');
    await screenshot('31-hostile-search');
  });
});
