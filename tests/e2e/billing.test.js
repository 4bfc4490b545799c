/**
 * End-to-end: a provider's invoice checked against the case's referral, through tauri-driver
 * (WebDriver), against a fresh database (see helpers.js).
 *
 * What a coordinator would notice is checked: an invoice with one wrong-price line and one line
 * over the annex shows both reasons with their figures, the coordinator accepts it in part, the
 * invoice is frozen, and the case's budget chart shows the money as used. The outcome takes two
 * clicks, and an outcome that another invoice made untrue meanwhile is refused and shown anew;
 * a mistyped parent's confirmation is removed. The test never
 * computes a budget: it compares what the case view says before and after.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync, statSync } from 'node:fs';
import {
  TIMEOUT, ARTIFACTS, startApp, click, screenshot, step, clickTwice,
} from './helpers.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
// Synthetic girl born 15.03.2013 with a valid check digit.
const CHILD_CODE = '61303150029';
const PROVIDER = 'Näidiskeskus Päikesekiir OÜ';

const pad2 = (n) => String(n).padStart(2, '0');
const typed = (d) => `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()}`;
const daysAgo = (n) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - n);
};
const applied = daysAgo(10);
const assessed = daysAgo(8);
const decided = daysAgo(5);
const lastDay = new Date(decided.getFullYear() + 2, decided.getMonth(), decided.getDate() - 1);
const year = daysAgo(3).getFullYear();

let browser;
let caseId;
let usedBefore;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

async function until(fn, message) {
  await browser.waitUntil(async () => {
    try {
      return await fn();
    } catch {
      return false; // the view re-rendered under us; look again
    }
  }, { timeout: TIMEOUT, timeoutMsg: message });
}

async function openCase() {
  await browser.url(`${(await browser.getUrl()).split('#')[0]}#/cases/${caseId}`);
  await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
  await browser.$(`#budget-table-${year}`).waitForExist({ timeout: TIMEOUT });
}

test('a provider and a case with an approved referral and the parent\'s confirmation', { timeout: 240_000 }, async () => {
  await step('billing-setup', async () => {
    await click('#nav-providers');
    const path = browser.$('#provider-import-path');
    await path.waitForDisplayed({ timeout: TIMEOUT });
    await path.setValue(join(DATA, 'providers-good.csv'));
    await click('#provider-import-preview');
    await until(async () => (await browser.$('#provider-preview-summary').getAttribute('data-invalid')) === '0', 'no clean preview');
    await click('#provider-import-submit');
    await browser.$('#provider-table tr[data-registry-code="10000001"]').waitForExist({ timeout: TIMEOUT });

    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#child-firstName').setValue('Mirtel');
    await browser.$('#child-lastName').setValue('Näidis-Õunapuu');
    await browser.$('#child-personalCode').setValue(CHILD_CODE);
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784');
    await browser.$('#guardian-0-firstName').setValue('Žanna');
    await browser.$('#guardian-0-lastName').setValue('Šults');
    await browser.$('#guardian-0-email').setValue('zanna.sults@example.ee');
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'severe');
    await browser.$('#applicationDate').setValue(typed(applied));
    await browser.$('#channel').selectByAttribute('value', 'email');
    await click('#application-submit');
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    caseId = /#\/cases\/(\d+)/.exec(await browser.getUrl())[1];

    await browser.$('#status-to').selectByAttribute('value', 'in_assessment');
    await click('#status-submit');
    await until(async () => (await browser.$('#case-status').getAttribute('data-status')) === 'in_assessment', 'not in assessment');
    const level = (area) => browser.$(`#assessment-area-${area}-level`);
    await level('physical').waitForDisplayed({ timeout: TIMEOUT });
    await level('physical').selectByAttribute('value', 'some');
    await level('psychological').selectByAttribute('value', 'significant');
    await level('social').selectByAttribute('value', 'some');
    await level('cognitive').selectByAttribute('value', 'none');
    await click('#assessment-activity-add');
    await browser.$('#assessment-activity-0-code').selectByAttribute('value', '2010');
    await browser.$('#assessment-activity-0-hours').setValue('40');
    await until(async () => (await browser.$('#assessment-save-state').getAttribute('data-state')) === 'saved', 'assessment not saved');
    await browser.$('#assessment-signedOn').setValue(typed(assessed));
    await clickTwice('#assessment-sign');
    await browser.$('#assessment-signed').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#decisions').scrollIntoView({ block: 'start' });
    await browser.$('#decision-kind').selectByAttribute('value', 'referral');
    await click('#decision-create');
    await browser.$('#decision-editor-title').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#decision-decisionDate').setValue(typed(decided));
    await browser.$('#decision-validFrom').setValue(typed(decided));
    await browser.$('#decision-validTo').setValue(typed(lastDay));
    await browser.$('#decision-providers').setValue(PROVIDER);
    await until(async () => (await browser.$('#decision-save-state').getAttribute('data-state')) === 'saved', 'decision not saved');
    // A period typed character by character may pass through dates without years, which empty
    // the annex table while a save is on its way: compute the annex again for the period typed.
    await click('#decision-annex-refill');
    await browser.$('#decision-annex-0-code').waitForExist({ timeout: TIMEOUT });
    await until(async () => (await browser.$('#decision-save-state').getAttribute('data-state')) === 'saved', 'decision not saved');
    await browser.$('#decision-check-ok').waitForDisplayed({ timeout: TIMEOUT });
    await clickTwice('#decision-approve');
    await browser.$('#decision-number').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#decision-number').getText(), 'K000001');

    await browser.$('#case-billing').scrollIntoView({ block: 'start' });
    await browser.$('#confirmation-periodFrom').setValue(typed(decided));
    await browser.$('#confirmation-periodTo').setValue(typed(daysAgo(0)));
    await click('#confirmation-submit');
    await browser.$('#confirmation-table').waitForDisplayed({ timeout: TIMEOUT });
    // A confirmation with a mistyped period (a year too late) is removed, after a second click.
    const rows = () => browser.$$('#confirmation-table tr[data-confirmation]');
    await browser.$('#confirmation-periodFrom').setValue(typed(new Date(decided.getFullYear() + 1, decided.getMonth(), decided.getDate())));
    await browser.$('#confirmation-periodTo').setValue(typed(new Date(year + 1, 11, 31)));
    await click('#confirmation-submit');
    await until(async () => (await rows()).length === 2, 'the second confirmation is not listed');
    const mistyped = await (await rows())[1].$('button');
    await mistyped.click();
    assert.equal(await mistyped.getAttribute('data-armed'), 'true', 'the first click only asks');
    assert.equal((await rows()).length, 2);
    await mistyped.click();
    await until(async () => (await rows()).length === 1, 'the mistyped confirmation was not removed');

    usedBefore = await browser.$(`#budget-${year} .budget-used-total`).getText();
    assert.match(usedBefore, /^0,00/, 'nothing is used before the invoice');
    assert.equal(await browser.$(`#budget-chart-${year} rect[data-part="used"]`).isExisting(), false);
    await browser.$('#case-billing').scrollIntoView({ block: 'start' });
    await screenshot('60-budget-before');
  });
});

test('an invoice with a wrong price and a line over the annex shows both reasons', { timeout: 180_000 }, async () => {
  await step('billing-invoice', async () => {
    await click('#nav-invoices');
    await click('#invoice-new');
    await browser.$('#invoice-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#invoice-providerId').selectByVisibleText(PROVIDER);
    await browser.$('#invoice-number').setValue('PK-2026-117');
    await browser.$('#invoice-periodFrom').setValue(typed(decided));
    await browser.$('#invoice-periodTo').setValue(typed(daysAgo(0)));
    const fill = async (i, values) => {
      for (const [f, v] of Object.entries(values)) await browser.$(`#invoice-lines-${i}-${f}`).setValue(v);
    };
    await fill(0, {
      childCode: CHILD_CODE, decisionNumber: 'K000001', activityCode: '2010', serviceDate: typed(daysAgo(3)),
      quantity: '1', unitPrice: '30,00', specialist: 'Mari Maasikas', content: 'Individuaalne sessioon',
    });
    await click('#invoice-line-add');
    await browser.$('#invoice-lines-1-childCode').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#invoice-lines-1-decisionNumber').getValue(), 'K000001', 'the decision is carried over');
    await fill(1, {
      activityCode: '2010', serviceDate: typed(daysAgo(2)), quantity: '3', specialist: 'Mari Maasikas', content: 'Pereteraapia',
    });
    await screenshot('61-invoice-form');
    await click('#invoice-save');
    await browser.$('#invoice-title').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#invoice-status').getAttribute('data-invoice-status'), 'draft');

    await click('#invoice-check');
    await until(async () => (await browser.$('#invoice-status').getAttribute('data-invoice-status')) === 'checked', 'not checked');
    const reasons = async (pos) => {
      const codes = [];
      for (const li of await browser.$$(`#invoice-line-${pos}-reasons li`)) codes.push(await li.getAttribute('data-code'));
      return codes;
    };
    assert.deepEqual(await reasons(1), ['price.differs']);
    assert.match(await browser.$('#invoice-line-1-reasons').getText(), /30,00.*29,40/);
    assert.doesNotMatch(await browser.$('#invoice-lines-card').getText(), /price\.differs|annex\.exceeded/, 'no rule codes as text');
    assert.equal(await browser.$('#invoice-line-1').getAttribute('data-verdict'), 'part');
    assert.deepEqual(await reasons(2), ['annex.exceeded']);
    assert.match(await browser.$('#invoice-line-2-reasons').getText(), /K000001.*alles/);
    assert.equal(await browser.$('#invoice-line-2').getAttribute('data-verdict'), 'part');
    assert.equal(await browser.$('#invoice-proposed').getAttribute('data-proposed'), 'partly_accepted');
    await browser.$('#invoice-lines-card').scrollIntoView({ block: 'start' });
    await screenshot('62-invoice-checked');

    // The outcome freezes the invoice: the first click says so, a click elsewhere disarms, and
    // only a second click in a row gives it.
    const decideText = await browser.$('#invoice-decide').getText();
    await click('#invoice-decide');
    assert.equal(await browser.$('#invoice-decide').getAttribute('data-armed'), 'true');
    assert.match(await browser.$('#invoice-decide').getText(), /Vajuta uuesti.*muuta ei saa/);
    await click('#invoice-proposed');
    assert.equal(await browser.$('#invoice-decide').getText(), decideText, 'a click elsewhere disarms');
    await click('#invoice-reject-all');
    assert.match(await browser.$('#invoice-reject-all').getText(), /Vajuta uuesti/);
    assert.equal(await browser.$('#invoice-status').getAttribute('data-invoice-status'), 'checked', 'one click decides nothing');
    await click('#invoice-decide');
    assert.equal(await browser.$('#invoice-reject-all').getAttribute('data-armed'), null, 'arming one disarms the other');
    await screenshot('62b-invoice-decide-armed');
    await click('#invoice-proposed');

    // Meanwhile a second invoice uses the same annex money and is decided first: the outcome
    // shown on the first page is no longer true, and confirming it is refused with the new
    // figures; the page is checked again and shows them.
    const firstUrl = await browser.getUrl();
    const proposedBefore = await browser.$('#invoice-proposed').getText();
    await click('#nav-invoices');
    await click('#invoice-new');
    await browser.$('#invoice-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#invoice-providerId').selectByVisibleText(PROVIDER);
    await browser.$('#invoice-number').setValue('PK-2026-118');
    await browser.$('#invoice-periodFrom').setValue(typed(decided));
    await browser.$('#invoice-periodTo').setValue(typed(daysAgo(0)));
    await fill(0, {
      childCode: CHILD_CODE, decisionNumber: 'K000001', activityCode: '2010', serviceDate: typed(daysAgo(1)),
      quantity: '1', specialist: 'Mari Maasikas', content: 'Individuaalne sessioon',
    });
    await click('#invoice-save');
    await until(async () => (await browser.$('#invoice-title').getText()).includes('PK-2026-118'), 'the second invoice is not shown');
    await click('#invoice-check');
    await until(async () => (await browser.$('#invoice-status').getAttribute('data-invoice-status')) === 'checked', 'second not checked');
    await click('#invoice-decide');
    await click('#invoice-decide');
    await until(async () => (await browser.$('#invoice-status').getAttribute('data-invoice-status')) === 'accepted', 'second not decided');

    await browser.url(firstUrl);
    await until(async () => (await browser.$('#invoice-title').getText()).includes('PK-2026-117'), 'the first invoice is not shown');
    assert.equal(await browser.$('#invoice-proposed').getText(), proposedBefore, 'the page shows the stored check');
    await click('#invoice-decide');
    await click('#invoice-decide');
    await browser.$('#invoice-notice[data-kind="warning"]').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#invoice-notice').getText(), /muutus vahepeal.*kinnita uus tulemus/);
    assert.equal(await browser.$('#invoice-status').getAttribute('data-invoice-status'), 'checked', 'nothing was decided');
    assert.notEqual(await browser.$('#invoice-proposed').getText(), proposedBefore, 'the new figures are shown');
    await screenshot('62c-invoice-check-changed');
    await click('#invoice-decide');
    await click('#invoice-decide');
    await until(async () => (await browser.$('#invoice-status').getAttribute('data-invoice-status')) === 'partly_accepted', 'not decided');
    await browser.$('#invoice-frozen').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#invoice-check').isExisting(), false, 'a decided invoice cannot be checked again');
    await screenshot('63-invoice-decided');

    // The report for the provider and for accounting, written where the coordinator says.
    for (const ext of ['pdf', 'xlsx']) {
      const out = join(ARTIFACTS, `arve-PK-2026-117.${ext}`);
      rmSync(out, { force: true });
      await browser.$('#invoice-report-path').setValue(out);
      await click('#invoice-report-submit');
      await until(async () => (await browser.$('#invoice-report-done').getText()).includes(out), `the ${ext} was not saved`);
      assert.ok(statSync(out).size > 1000, `the ${ext} has content`);
    }
    await click('#nav-invoices');
    await browser.$('#invoice-table tr[data-status="partly_accepted"]').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('65-invoice-list');
  });
});

test('the case\'s budget chart shows the accepted money as used', { timeout: 120_000 }, async () => {
  await step('billing-budget', async () => {
    await openCase();
    const used = await browser.$(`#budget-${year} .budget-used-total`).getText();
    assert.notEqual(used, usedBefore, 'the used figure changed');
    assert.match(await browser.$(`#budget-cap-${year}`).getText(), /kasutatud .* broneeritud .* alles/, 'every part of the cap is named');
    assert.ok(await browser.$(`#budget-chart-${year} rect[data-part="used"]`).isExisting(), 'the chart has a used bar');
    await browser.$('#case-billing').scrollIntoView({ block: 'start' });
    await screenshot('64-budget-after');

    await click('#nav-settings');
    await browser.$('#price-table tr[data-code="2010"]').waitForExist({ timeout: TIMEOUT });
    assert.match(await browser.$('#price-table tr[data-code="2010"]').getText(), /29,40/);
    await browser.$('#price-settings').scrollIntoView({ block: 'start' });
    await screenshot('66-price-list');

    // In English the words are English and the money reads as the dates do, the Estonian way
    // ("1 234,56 €"): one convention for figures in both languages.
    await browser.$('#settings-language').selectByAttribute('value', 'en');
    await until(async () => (await browser.$('#nav-invoices').getText()) === 'Invoices', 'the app did not switch to English');
    await click('#nav-invoices');
    await click('#invoice-table tr[data-status="partly_accepted"] a');
    await browser.$('#invoice-total').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#invoice-total').getText(), /^\d{1,3}(\s\d{3})*,\d{2}\s€$/);
    assert.match(await browser.$('#invoice-line-1-reasons').getText(), /differs from the price list's 29,40\s€/);
    await browser.$('#invoice-lines-card').scrollIntoView({ block: 'start' });
    await screenshot('67-invoice-english');
    await click('#nav-settings');
    await browser.$('#settings-language').selectByAttribute('value', 'et');
    await until(async () => (await browser.$('#nav-invoices').getText()) === 'Arved', 'the app did not switch back to Estonian');
  });
});
