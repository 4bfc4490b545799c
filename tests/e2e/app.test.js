/**
 * End-to-end: drives the real SRT Desk window through tauri-driver (WebDriver).
 *
 * The runner (not this file) starts Xvfb and tauri-driver and exports the environment
 * described in helpers.js.
 *
 * What a coordinator would notice is checked: a wrong personal code is refused and
 * nothing is saved, the corrected application becomes a case that can be found by
 * name and by code, a status change sticks, and all of it survives a restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TIMEOUT, startApp, click, screenshot, step, openCases, openFirstCase, searchFor,
} from './helpers.js';

// Synthetic people only (see DOMAIN.md). 61303150029: a girl born 15.03.2013, valid check digit.
const INVALID_CODE = '39112120752';
const VALID_CODE = '61303150029';
const CHILD = { firstName: 'Mirtel', lastName: 'Testsaar' };
const GUARDIAN = { firstName: 'Kadri', lastName: 'Testsaar', phone: '5550 1234', email: 'kadri.testsaar@example.ee' };

let browser;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

test('an application with a wrong personal code is refused and nothing is saved', { timeout: 120_000 }, async () => {
  await step('invalid-code', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#child-firstName').setValue(CHILD.firstName);
    await browser.$('#child-lastName').setValue(CHILD.lastName);
    await browser.$('#child-personalCode').setValue(INVALID_CODE);
    // The check while typing names the code's own fault (it once said only "correct the marked
    // fields", the form's summary).
    const live = browser.$('#child-personalCode-error');
    await live.waitForDisplayed({ timeout: TIMEOUT });
    assert.doesNotMatch(await live.getText(), /paranda märgitud|correct the marked/i);
    assert.notEqual((await live.getText()).trim(), '');
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784'); // Tallinn
    await browser.$('#guardian-0-firstName').setValue(GUARDIAN.firstName);
    await browser.$('#guardian-0-lastName').setValue(GUARDIAN.lastName);
    await browser.$('#guardian-0-phone').setValue(GUARDIAN.phone);
    await browser.$('#guardian-0-email').setValue(GUARDIAN.email);
    await browser.$('#guardian-0-language').selectByAttribute('value', 'et');
    await browser.$('#guardian-0-delivery').selectByAttribute('value', 'email');
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'severe');
    await browser.$('#channel').selectByAttribute('value', 'email');
    await browser.$('#notes').setValue('E2E: sünteetiline taotlus');
    await click('#application-submit');

    const error = browser.$('#child-personalCode-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.notEqual((await error.getText()).trim(), '', 'the personal code error says what is wrong');
    await browser.$('#form-error').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#child-firstName').getValue(), CHILD.firstName, 'typed values are kept');
    await screenshot('01-form-with-errors');

    await openCases();
    assert.equal(await browser.$('#case-count').getText(), '0', 'a refused application creates no case');
  });
});

test('the corrected application becomes a case', { timeout: 120_000 }, async () => {
  await step('register', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#child-lastName').getValue(), CHILD.lastName, 'the draft survives a detour to the list');

    await browser.$('#child-personalCode').setValue(VALID_CODE);
    // As a coordinator would, wait for the check to confirm the code (birth date and sex shown)
    // and the old error to go before pressing the button.
    await browser.waitUntil(async () => (await browser.$('#child-personalCode-info').getText()).trim() !== ''
      && !(await browser.$('#child-personalCode-error').isDisplayed()),
    { timeout: TIMEOUT, timeoutMsg: 'the personal code was not confirmed' });
    await click('#application-submit');

    const title = browser.$('#case-title');
    await title.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await title.getText(), `${CHILD.firstName} ${CHILD.lastName}`);
    assert.notEqual((await browser.$('#case-no').getText()).trim(), '', 'the case has a number');
    await screenshot('02-case-view');
  });
});

test('the case is found by last name and by personal code prefix', { timeout: 120_000 }, async () => {
  await step('search', async () => {
    await openCases();
    await searchFor(CHILD.lastName, CHILD.lastName);
    await searchFor(VALID_CODE.slice(0, 7), CHILD.lastName);
    await screenshot('03-case-list');
  });
});

test('the status changes to in assessment', { timeout: 120_000 }, async () => {
  await step('status', async () => {
    const rows = await browser.$$('tr.case-row');
    assert.ok(rows.length >= 1);
    await openFirstCase();
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#status-to').selectByAttribute('value', 'in_assessment');
    await browser.$('#status-reason').setValue('Taotlus on täielik');
    await click('#status-submit');
    await browser.waitUntil(
      async () => (await browser.$('#case-status').getAttribute('data-status')) === 'in_assessment',
      { timeout: TIMEOUT, timeoutMsg: 'the status pill did not change to in_assessment' },
    );
    const history = await browser.$('#status-history').getText();
    assert.match(history, /Taotlus on täielik/, 'the reason is in the status history');
    await screenshot('04-case-view-in-assessment');
  });
});

test('dashboard and settings show', { timeout: 120_000 }, async () => {
  await step('dashboard-settings', async () => {
    await click('#nav-dashboard');
    await browser.$('.count-card').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('05-dashboard');
    await click('#nav-settings');
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    // The one case made above (the refused application left nothing).
    assert.equal(await browser.$('#settings-case-count').getText(), '1');
    await screenshot('06-settings');
  });
});

test('after many pages a navigation loads a fresh document, which shows the page asked for', { timeout: 300_000 }, async () => {
  // WebKit keeps memory for every element a page built until the document goes
  // (docs/performance.md: memory); ui/fresh-document.js reloads at a navigation once the pages left
  // since the last load had 50 000 elements in all. Here: the case and the case list, back and
  // forth (~126 pages on this small desk, ~35 case views on the 100 000-case one).
  await step('fresh-document', async () => {
    await openCases();
    await searchFor(CHILD.lastName, CHILD.lastName);
    await openFirstCase();
    // The search's pause may end after the click: the address must still name the case.
    await browser.pause(1000);
    const caseHash = await browser.execute(() => window.location.hash);
    assert.match(caseHash, /^#\/cases\/\d+$/, 'the address names the case opened from the list');
    await browser.execute(() => { window.srtOpenPageMark = true; });
    // Drawn in full: the window's title follows the page's heading once every part is there
    // (a page's parts come after its heading; the budget counts what a page had when left).
    const drawn = (hash) => browser.waitUntil(() => browser.execute((wanted) => {
      if (window.location.hash.split('?')[0] !== wanted.split('?')[0] || document.body.getAttribute('data-ready') !== '1') return false;
      const heading = document.querySelector('#main .view h1');
      if (!heading || !document.title.startsWith(heading.textContent)) return false;
      const onCase = document.querySelector('#case-title') !== null;
      return wanted.startsWith('#/cases/') ? onCase : !onCase && document.querySelector('tr.case-row') !== null;
    }, hash), { timeout: TIMEOUT, interval: 50, timeoutMsg: `${hash} was not drawn` });
    let inPlace = 0;
    let fresh = false;
    let hash = caseHash;
    while (!fresh && inPlace < 400) {
      hash = hash === caseHash ? '#/cases' : caseHash;
      await browser.execute((next) => { window.location.hash = next; }, hash);
      await drawn(hash);
      // At a person's pace: WebKit refuses more than 100 address updates in 10 s.
      await browser.pause(150);
      fresh = await browser.execute(() => window.srtOpenPageMark === undefined);
      if (!fresh) inPlace += 1;
    }
    assert.ok(fresh, 'after 400 pages drawn in place, none loaded a fresh document');
    console.log(`fresh document after ${inPlace} pages drawn in place`);
    assert.ok(inPlace >= 20, `pages are drawn in place until the budget is spent (only ${inPlace} were)`);
    // The fresh document is the page that was asked for, working: its content and navigation.
    assert.equal((await browser.execute(() => window.location.hash)).split('?')[0], hash);
    assert.equal(await browser.$('#nav-cases').isDisplayed(), true);
    await screenshot('05b-fresh-document');
  });
});

test('the case and its status survive a restart of the app', { timeout: 180_000 }, async () => {
  await browser.deleteSession();
  browser = null;
  browser = await startApp();
  await step('after-restart', async () => {
    await openCases();
    const status = await searchFor(CHILD.lastName, CHILD.lastName);
    assert.equal(status, 'in_assessment');
    await screenshot('07-case-list-after-restart');
  });
});
