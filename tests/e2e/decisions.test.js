/**
 * End-to-end: a referral decision drafted from an assessed case, through tauri-driver
 * (WebDriver), against a fresh database (see helpers.js).
 *
 * What a coordinator would notice is checked: the draft comes prefilled, the check before
 * approval lists the errors and approval is refused while they stand, the fixed draft is
 * approved with a number, its PDF is filed on the case's documents, and once delivered the
 * case shows the challenge and provider deadlines and the dashboard lists the challenge period.
 * The test never computes a deadline: it compares what the case view says with the dashboard.
 *
 * "Save as…" opens the system's file dialog, which WebDriver cannot operate; saving the PDF
 * goes through the same command as saving any attachment (casework tests).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TIMEOUT, startApp, click, screenshot, step, elementWithText, clickTwice
} from './helpers.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

// Synthetic girl born 15.03.2013 with a valid check digit.
const CHILD_CODE = '61303150029';
const CHILD = { firstName: 'Mirtel', lastName: 'Näidis-Õunapuu' };
const GUARDIAN = { firstName: 'Žanna', lastName: 'Šults', email: 'zanna.sults@example.ee' };
const PROVIDER = 'Näidis Rehabilitatsioonikeskus OÜ, Tartu';

const pad2 = (n) => String(n).padStart(2, '0');
const typed = (d) => `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()}`;
const daysAgo = (n) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - n);
};
// Applied 14 days ago, assessed 11 days ago, decided 9 days ago, delivered 8 days ago: the
// challenge period (30 days from delivery) then ends within the dashboard's 30 days even when
// the rest-day rule moves its end past the holidays (delivered 3 days before 27.11.2026, it
// ended on 24.12, a holiday, and so on Monday 28.12: 31 days away, not on the dashboard).
const applied = daysAgo(14);
const assessed = daysAgo(11);
const decided = daysAgo(9);
const delivered = daysAgo(8);

let browser;
let caseId;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

async function waitSaved() {
  const state = browser.$('#decision-save-state');
  await browser.waitUntil(async () => {
    try {
      return (await state.getAttribute('data-state')) === 'saved';
    } catch {
      return false;
    }
  }, { timeout: TIMEOUT, timeoutMsg: 'the decision draft was not saved' });
}

async function checkCodes(list) {
  const codes = [];
  for (const li of await browser.$$(`#decision-check-${list} li`)) codes.push(await li.getAttribute('data-code'));
  return codes;
}

test('an assessed case in assessment', { timeout: 180_000 }, async () => {
  await step('decisions-case', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#child-firstName').setValue(CHILD.firstName);
    await browser.$('#child-lastName').setValue(CHILD.lastName);
    await browser.$('#child-personalCode').setValue(CHILD_CODE);
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784');
    await browser.$('#guardian-0-firstName').setValue(GUARDIAN.firstName);
    await browser.$('#guardian-0-lastName').setValue(GUARDIAN.lastName);
    await browser.$('#guardian-0-email').setValue(GUARDIAN.email);
    await browser.$('#guardian-0-language').selectByAttribute('value', 'ru');
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'severe');
    await browser.$('#applicationDate').setValue(typed(applied));
    await browser.$('#channel').selectByAttribute('value', 'email');
    await click('#application-submit');
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    caseId = /#\/cases\/(\d+)/.exec(await browser.getUrl())[1];

    await browser.$('#status-to').selectByAttribute('value', 'in_assessment');
    await click('#status-submit');
    await browser.waitUntil(async () => {
      try {
        return (await browser.$('#case-status').getAttribute('data-status')) === 'in_assessment';
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the case did not move to assessment' });

    const level = (area) => browser.$(`#assessment-area-${area}-level`);
    await level('physical').waitForDisplayed({ timeout: TIMEOUT });
    await level('physical').selectByAttribute('value', 'some');
    await level('psychological').selectByAttribute('value', 'significant');
    await level('social').selectByAttribute('value', 'some');
    await level('cognitive').selectByAttribute('value', 'none');
    await click('#assessment-activity-add');
    await browser.$('#assessment-activity-0-code').selectByAttribute('value', '2010');
    await browser.$('#assessment-activity-0-hours').setValue('40');
    const saveState = browser.$('#assessment-save-state');
    await browser.waitUntil(async () => (await saveState.getAttribute('data-state')) === 'saved', {
      timeout: TIMEOUT, timeoutMsg: 'the assessment was not saved',
    });
    await browser.$('#assessment-signedOn').setValue(typed(assessed));
    await clickTwice('#assessment-sign');
    await browser.$('#assessment-signed').waitForDisplayed({ timeout: TIMEOUT });
    assert.doesNotMatch(await browser.$('#assessment-activities').getText(), /\bnull\b/,
      'no stray "null" under the activities of a signed assessment');
  });
});

test('a referral is drafted from the case and the assessment', { timeout: 120_000 }, async () => {
  await step('decisions-draft', async () => {
    await browser.$('#decisions').scrollIntoView({ block: 'start' });
    await browser.$('#decision-kind').selectByAttribute('value', 'referral');
    await click('#decision-create');
    await browser.$('#decision-editor-title').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#decision-addresseeName').getValue(), `${GUARDIAN.firstName} ${GUARDIAN.lastName}`);
    assert.equal(await browser.$('#decision-summaryLanguage').getValue(), 'ru', "the guardian's language");
    assert.match(await browser.$('#decision-summary').getValue(), /Департамент социального страхования/);
    assert.match(await browser.$('#preview-summary').getText(), /Что означает это решение\?/);
    assert.match(await browser.$('#decision-preview').getText(), /Lapsel on tuvastatud raske puue\./,
      "the eligibility verdict's words are the reasoning");
    assert.equal(await browser.$('#decision-annex-0-code').getValue(), '2010', 'the annex comes from the assessment');
  });
});

test('the check lists the errors and approval is refused while they stand', { timeout: 120_000 }, async () => {
  await step('decisions-errors', async () => {
    await browser.$('#decision-reasoning').setValue(' ');
    await browser.$('#decision-operative').setValue('Suunata {{laps.nimmi}} teenusele.');
    await waitSaved();
    await browser.waitUntil(async () => {
      const codes = await checkCodes('errors');
      return codes.includes('reasoning.missing') && codes.includes('placeholder.unknown');
    }, { timeout: TIMEOUT, timeoutMsg: 'the check does not list the missing reasoning and the unknown placeholder' });
    assert.ok((await checkCodes('warnings')).includes('providers.empty'), 'no providers is a warning');
    assert.match(await browser.$('#decision-preview').getText(), /\{\{laps\.nimmi\}\}/,
      'the preview shows the unknown placeholder, not a blank');
    await clickTwice('#decision-approve');
    const refused = browser.$('#decision-approve-error');
    await refused.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await refused.getText(), /ei saa kinnitada/);
    assert.equal(await browser.$('#decision-number').isExisting(), false, 'no number was given');
    await browser.$('#decision-editor-title').scrollIntoView({ block: 'start' });
    await screenshot('20-decision-errors');

    // Issue 26, item 10: a validity longer than allowed marks the "Kehtib kuni" field itself,
    // not only the check list.
    const validTo = browser.$('#decision-validTo');
    const keptTo = await validTo.getValue();
    const [dd, mm, yyyy] = (await browser.$('#decision-validFrom').getValue()).split('.');
    await validTo.setValue(`${dd}.${mm}.${Number(yyyy) + 4}`);
    const toError = browser.$('#decision-validTo-error');
    // setValue clears the field first: the check of that empty moment ("algus ja lõpp") may
    // stand on the field until the typed date's own save and check answer.
    await browser.waitUntil(async () => (await toError.isDisplayed())
      && /kuni \d+ kuud/.test(await toError.getText()), {
      timeout: TIMEOUT,
      timeoutMsg: 'the "Kehtib kuni" field is not marked with how long a referral may last',
    });
    assert.equal(await validTo.getAttribute('aria-invalid'), 'true');
    assert.ok((await checkCodes('errors')).includes('validity.too_long'), 'the check list says it too');
    await validTo.scrollIntoView({ block: 'center' });
    await screenshot('20b-decision-validity-too-long');
    await validTo.setValue(keptTo);
    await browser.waitUntil(async () => !(await toError.isDisplayed()),
      { timeout: TIMEOUT, timeoutMsg: 'the mark stayed after the validity was fixed' });
    assert.equal(await validTo.getAttribute('aria-invalid'), null);

    // A save that fails leaves no check on screen that describes an older draft.
    await browser.$('#decision-decisionDate').setValue('31.02.2026');
    await browser.waitUntil(async () => (await browser.$('#decision-save-state').getAttribute('data-state')) === 'error',
      { timeout: TIMEOUT, timeoutMsg: 'an impossible date was saved' });
    await browser.$('#decision-check-stale').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#decision-check-ok').isExisting(), false);
    assert.equal(await browser.$('#decision-check-errors').isExisting(), false, 'the old check is gone');
  });
});

test('the fixed draft is approved with a number and filed on the case', { timeout: 120_000 }, async () => {
  await step('decisions-approve', async () => {
    await browser.$('#decision-decisionDate').setValue(typed(decided));
    await browser.$('#decision-operative').setValue(
      'Suunata {{laps.nimi}} (isikukood {{laps.isikukood}}) sotsiaalse rehabilitatsiooni teenusele ajavahemikuks {{kehtivus.algus}} kuni {{kehtivus.lõpp}}.');
    await browser.$('#decision-reasoning').setValue('{{hindamine.põhjendus}} Eeltoodust lähtudes on lapsel õigus teenusele.');
    await browser.$('#decision-providers').setValue(PROVIDER);
    await waitSaved();
    await browser.$('#decision-check-ok').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#decision-preview').getText(), new RegExp(PROVIDER));
    await browser.$('#decision-editor-title').scrollIntoView({ block: 'start' });
    await screenshot('21-decision-ready');

    await clickTwice('#decision-approve');
    const number = browser.$('#decision-number');
    await number.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await number.getText(), 'K000001');
    assert.match(await browser.$('#case-notice').getText(), /K000001/);
    assert.equal(await browser.$('#case-status').getAttribute('data-status'), 'decided');
    assert.match(await browser.$('#preview-number').getText(), /K000001/);

    // The PDF is on the case's documents register.
    let filed = '';
    await browser.waitUntil(async () => {
      try {
        for (const row of await browser.$$('#documents-table tr.document-row')) {
          const text = await row.getText();
          if (text.includes('K000001')) {
            filed = text;
            return true;
          }
        }
      } catch {
        // The register re-rendered; look again.
      }
      return false;
    }, { timeout: TIMEOUT, timeoutMsg: 'the decision is not on the documents register' });
    assert.match(filed, /otsus-K000001\.pdf/, 'the PDF is attached to the filed decision');
    assert.equal(await browser.$('#decision-open-pdf').isEnabled(), true);
    await elementWithText('#timeline .timeline-item[data-kind="decision"]', 'K000001',
      'the approval is not on the case timeline');
    await browser.$('#decision-approved').scrollIntoView({ block: 'start' });
    await screenshot('22-decision-approved');
  });
});

test('delivery starts the challenge and provider deadlines, on the case and the dashboard', { timeout: 120_000 }, async () => {
  let challengeDue;
  await step('decisions-sent', async () => {
    await browser.$('#decision-deliveredOn').setValue(typed(delivered));
    await clickTwice('#decision-mark-sent');
    await browser.$('#decision-delivered').waitForDisplayed({ timeout: TIMEOUT });
    const challenge = browser.$('#deadlines [data-kind="challenge_period"]');
    await challenge.waitForExist({ timeout: TIMEOUT });
    challengeDue = await challenge.getAttribute('data-due');
    assert.match(challengeDue ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(await browser.$('#deadlines [data-kind="provider_registration"]').isExisting(),
      'the 60 days to choose a provider run');
    assert.match(await browser.$('#deadlines').getText(), new RegExp(typed(delivered).replace(/\./g, '\\.')),
      'the deadlines count from the delivery date');
    await browser.execute(() => window.scrollTo(0, 0));
    await screenshot('23-decision-deadlines');
  });
  await step('decisions-dashboard', async () => {
    await click('#nav-dashboard');
    const item = browser.$(`.deadline-item[data-case-id="${caseId}"][data-kind="challenge_period"]`);
    await item.waitForExist({ timeout: TIMEOUT });
    assert.equal(await item.getAttribute('data-due'), challengeDue, 'the dashboard shows the date the case shows');
    await screenshot('24-dashboard-challenge');
  });
});

test('settings show the decision heading and the templates; a misspelt placeholder is refused', { timeout: 120_000 }, async () => {
  await step('decisions-settings', async () => {
    await click('#nav-settings');
    await browser.$('#decision-settings-boardName').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#decision-settings-numberPrefix').getValue(), 'K');
    assert.match(await browser.$('#caps-table').getText(), /2\s695,00/, 'the yearly cap per child is listed');
    await click('.template-edit[data-code="referral.legal_basis"][data-lang="et"]');
    await browser.$('#template-body').setValue('Sotsiaalhoolekande seaduse § 70 ja {{laps.nimmi}}.');
    await click('#template-submit');
    const error = browser.$('#template-body-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await error.getText(), /laps\.nimmi/);
    await browser.$('#decision-templates').scrollIntoView({ block: 'start' });
    await screenshot('25-settings-templates');
  });
});

test('in the English interface the preview still shows the letter as printed, in Estonian', { timeout: 120_000 }, async () => {
  await step('decisions-english-preview', async () => {
    await click('#nav-settings');
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'en');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'en',
      { timeout: TIMEOUT, timeoutMsg: 'the UI did not switch to English' });
    try {
      await browser.execute((id) => { window.location.hash = `#/cases/${id}`; }, caseId);
      const open = browser.$('.decision-open[data-decision-id]');
      await open.waitForDisplayed({ timeout: TIMEOUT });
      await click('.decision-open[data-decision-id]');
      await browser.$('#preview-number').waitForDisplayed({ timeout: TIMEOUT });
      const letter = await browser.$('#decision-preview').getText();
      assert.match(letter, /Otsuse nr K000001/);
      assert.match(letter, /Kättetoimetamine: e-posti teel/);
      assert.match(letter, /Laps: Mirtel/);
      assert.doesNotMatch(letter, /Decision no|Delivery:|Child:/, 'no interface words in the letter');
      assert.doesNotMatch(await browser.$('#assessment-activities').getText(), /\bnull\b/);
    } finally {
      await click('#nav-settings');
      await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
      await browser.$('#settings-language').selectByAttribute('value', 'et');
    }
  });
});

// Issue 26, item 7: the decision is marked delivered and the 60 days run; choosing the provider
// does not ask again for the day the decision was sent.
test('the family\'s choice does not ask again for the delivered decision\'s day', { timeout: 180_000 }, async () => {
  await step('decisions-choice-delivered', async () => {
    await click('#nav-providers');
    const path = browser.$('#provider-import-path');
    await path.waitForDisplayed({ timeout: TIMEOUT });
    await path.setValue(join(DATA, 'providers-good.csv'));
    await click('#provider-import-preview');
    await browser.$('#provider-import-submit').waitForDisplayed({ timeout: TIMEOUT });
    await click('#provider-import-submit');
    await browser.$('#provider-table').waitForDisplayed({ timeout: TIMEOUT });

    await browser.execute((id) => { window.location.hash = `#/cases/${id}`; }, caseId);
    const shown = browser.$('#choice-decisionDelivered');
    await shown.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await shown.getText(), typed(delivered), 'the delivery day recorded with the decision is shown');
    assert.equal(await browser.$('#choice-decisionSentOn').isExisting(), false, 'and not asked again');
    await browser.$('#choice-providerId').selectByVisibleText('Näidiskeskus Päikesekiir OÜ');
    await browser.$('#choice-chosenOn').setValue(typed(delivered));
    await click('#choice-submit');
    await browser.waitUntil(async () => {
      try {
        return (await browser.$('#case-status').getAttribute('data-status')) === 'provider_chosen';
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the choice was not saved (asked for the day again?)' });
    assert.equal(await browser.$('#choice-decisionSentOn-error').isExisting(), false);
    const line = browser.$('#choice-deadline[data-due]');
    await line.waitForExist({ timeout: TIMEOUT });
    const onCase = browser.$('#deadlines [data-kind="provider_registration"]');
    await onCase.waitForExist({ timeout: TIMEOUT });
    assert.equal(await line.getAttribute('data-due'), await onCase.getAttribute('data-due'),
      'the 60 days still count from the delivery');
    await browser.$('#case-providers').scrollIntoView({ block: 'start' });
    await screenshot('26-choice-after-delivery');
  });
});

/** The app's private temporary folders (srt-desk-<pid>-<12 hex>) holding `file`, with their pid. */
function tempCopies(file) {
  const found = [];
  for (const name of readdirSync(tmpdir())) {
    const m = /^srt-desk-(\d+)-[0-9a-f]{12}$/.exec(name);
    if (!m) continue;
    const dir = join(tmpdir(), name);
    let subs = [];
    try {
      subs = readdirSync(dir);
    } catch {
      continue; // another user's, or just removed
    }
    if (subs.some((sub) => existsSync(join(dir, sub, file)))) found.push({ dir, pid: Number(m[1]) });
  }
  return found;
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

test('the decision PDF copied for the viewer is removed when the app is ended by SIGTERM; a dead run\'s copy goes at the next start', { timeout: 240_000 }, async () => {
  const file = 'otsus-K000001.pdf';
  let copy;
  await step('decisions-pdf-sigterm', async () => {
    await browser.execute((id) => { window.location.hash = `#/cases/${id}`; }, caseId);
    await click('.decision-open[data-decision-id]');
    await click('#decision-open-pdf');
    // The app writes a decrypted copy into its private folder and hands it to the system's viewer
    // (there is none on the test machine: the page says so, the copy is there all the same).
    await browser.waitUntil(async () => {
      copy = tempCopies(file).find((c) => existsSync(`/proc/${c.pid}`)
        && readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').includes('srt-desk'));
      return Boolean(copy);
    }, { timeout: TIMEOUT, timeoutMsg: 'no private copy of the decision PDF was written' });
    await screenshot('40-decision-pdf-opened');
    process.kill(copy.pid, 'SIGTERM');
    let gone = false;
    for (let i = 0; i < 100 && !gone; i += 1) {
      await sleep(100);
      gone = !existsSync(copy.dir);
    }
    assert.ok(gone, `${copy.dir} (the decrypted PDF) is still there after SIGTERM`);
    await browser.deleteSession().catch(() => {});
    browser = null;
  });

  await step('decisions-sweep-dead-run', async () => {
    // A run killed with no chance to clean up (SIGKILL, a power cut) left its folder; its process
    // is gone. Another folder belongs to a process that still runs (this test's own).
    const deadPid = spawnSync('true').pid;
    const dead = join(tmpdir(), `srt-desk-${deadPid}-0a1b2c3d4e5f`);
    const running = join(tmpdir(), `srt-desk-${process.pid}-abcdefabcdef`);
    for (const dir of [dead, running]) {
      mkdirSync(join(dir, '7'), { recursive: true });
      writeFileSync(join(dir, '7', file), '%PDF-1.4 synthetic');
    }
    try {
      browser = await startApp();
      assert.equal(existsSync(dead), false, 'the start swept the folder of the dead run');
      assert.equal(existsSync(join(running, '7', file)), true, 'a running process keeps its folder');
    } finally {
      rmSync(dead, { recursive: true, force: true });
      rmSync(running, { recursive: true, force: true });
    }
  });
});
