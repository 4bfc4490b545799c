/**
 * End-to-end: the coordinator's own work, through tauri-driver (WebDriver), against a fresh
 * database with the demo cases. A task from the team lead that came in already late is refused
 * without a title (what was typed stays), saved with a linked case, and stands out as overdue on
 * the dashboard; a proposal about a provider is refused as "sent" without an addressee, then
 * sent; its memo is saved to a typed path and read back with pdftotext: the linked case appears
 * by its number, the child's name never; the provider's page lists the proposal.
 *
 * File paths are typed into the path field next to "Vali…": WebDriver cannot drive the
 * system's file dialog. All data is synthetic (demo cases, tests/data providers).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TIMEOUT, ARTIFACTS, startApp, click, screenshot, step, elementWithText, openDemoDesk,
} from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = join(here, '..', 'data');

const pad2 = (n) => String(n).padStart(2, '0');
const typed = (d) => `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()}`;
const daysFromNow = (n) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
};

const TASK = 'Koosta ootejärjekorra ülevaade meeskonnajuhile';
const PROPOSAL = 'Füsioteraapia ootejärjekord Harjumaal';

let browser;
let linkedCase = { no: '', child: '' };

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

/** Waits until `selector` shows text (a status line filled by the app). */
async function waitForText(selector, what) {
  const el = browser.$(selector);
  await browser.waitUntil(async () => {
    try {
      return (await el.isExisting()) && (await el.getText()).trim() !== '';
    } catch {
      return false;
    }
  }, { timeout: TIMEOUT, timeoutMsg: what });
  return el.getText();
}

/** Types into a link picker's case search and adds the first match; returns its number. */
async function addFirstCase(prefix, text) {
  await browser.$(`#${prefix}-case-search`).setValue(text);
  const first = browser.$(`#${prefix}-case-found .link-add-case`);
  await first.waitForDisplayed({ timeout: TIMEOUT });
  const info = { no: await first.getAttribute('data-case-no'), label: await first.getText() };
  await first.click();
  await browser.$(`#${prefix}-cases li[data-case-id]`).waitForExist({ timeout: TIMEOUT });
  return info;
}

test('a task from the team lead is checked, saved and stands out on the dashboard when overdue', { timeout: 180_000 }, async () => {
  await step('work-demo', async () => {
    // The demo desk (a separate file beside the real desk) with its cases and own work.
    await openDemoDesk();
    await click('#nav-dashboard');
    await browser.$('.needs-me').waitForDisplayed({ timeout: 60_000 });
  });

  await step('work-task-refused', async () => {
    await click('#nav-tasks');
    await browser.$('#task-form').waitForDisplayed({ timeout: TIMEOUT });
    // The demo desk has tasks of its own (from the team lead and the service manager).
    await browser.$('#task-list li.task-item').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#task-dueOn').setValue(typed(daysFromNow(-2)));
    await browser.$('#task-notes').setValue('Küsiti koosolekul; vaja enne nõupidamist.');
    const { no, label } = await addFirstCase('task', 'SRT');
    linkedCase = { no, child: label.split(' · ')[1] ?? '' };
    assert.ok(linkedCase.child, `the task picker names the child: ${label}`);
    await click('#task-submit');
    const error = browser.$('#task-title-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await error.getText(), /pealkiri/);
    assert.equal(await browser.$('#task-dueOn').getValue(), typed(daysFromNow(-2)), 'the typed due date stays');
    assert.equal(await browser.$('#task-notes').getValue(), 'Küsiti koosolekul; vaja enne nõupidamist.');
    assert.equal(await browser.$(`#task-cases li[data-case-id]`).isExisting(), true, 'the linked case stays');
  });

  await step('work-task-saved', async () => {
    await browser.$('#task-title').setValue(TASK);
    await click('#task-submit');
    const row = await elementWithText('#task-list li.task-item', TASK);
    assert.equal(await row.getAttribute('data-urgency'), 'overdue');
    const text = await row.getText();
    assert.match(text, new RegExp(TASK));
    assert.match(text, /meeskonnajuht/);
    assert.match(text, new RegExp(linkedCase.no));
    await browser.$('h1').scrollIntoView({ block: 'start' });
    await screenshot('60-tasks');
  });

  await step('work-dashboard', async () => {
    await click('#nav-dashboard');
    const item = await elementWithText('.deadline-item[data-kind="task"]', TASK);
    assert.equal(await item.getAttribute('data-urgency'), 'overdue', 'the overdue task stands out');
    assert.match(await item.getText(), new RegExp(TASK));
    assert.match(await item.getText(), /üle tähtaja 2 päeva/);
    const color = await item.$('.deadline-left').getCSSProperty('color');
    assert.equal(color.parsed.hex, '#b3261e', 'overdue in the danger colour');
    await item.scrollIntoView({ block: 'center' });
    await screenshot('61-dashboard-task');
  });
});

test('a proposal about a provider is sent by the rules and its memo names the case by number only', { timeout: 240_000 }, async () => {
  await step('work-providers', async () => {
    await click('#nav-providers');
    const path = browser.$('#provider-import-path');
    await path.waitForDisplayed({ timeout: TIMEOUT });
    await path.setValue(join(DATA, 'providers-good.csv'));
    await click('#provider-import-preview');
    await browser.$('#provider-preview-summary').waitForExist({ timeout: TIMEOUT });
    await click('#provider-import-submit');
    // The demo desk has providers of its own; the imported ones join them.
    await browser.waitUntil(async () => (await browser.$('#provider-table').getText()).includes('Päikesekiir'), {
      timeout: TIMEOUT, timeoutMsg: 'the providers were not imported',
    });
  });

  let providerName = '';
  await step('work-proposal-draft', async () => {
    await click('#nav-proposals');
    // The demo desk's own proposals (a draft, one sent, one accepted) are listed.
    await browser.$('#proposal-table tr[data-proposal-id]').waitForDisplayed({ timeout: TIMEOUT });
    await click('#proposal-new');
    await browser.$('#proposal-form').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#proposal-privacy').getText(), /isikuandmed/, 'the form warns about personal data');
    await browser.$('#proposal-topic').selectByAttribute('value', 'provider');
    await browser.$('#proposal-title').setValue(PROPOSAL);
    await browser.$('#proposal-problem').setValue('Lapsed ootavad füsioteraapia algust üle 60 päeva.');
    await browser.$('#proposal-evidence').setValue('Keskmine ootamine 64 päeva (III kvartal). Tagasiside: „ootasime liiga kaua”.');
    await browser.$('#proposal-proposal').setValue('Sõlmida leping veel ühe teenuseosutajaga.');
    await browser.$('#proposal-provider-select').selectByIndex(1);
    await click('#proposal-provider-add');
    const chip = browser.$('#proposal-providers li[data-provider-id] span');
    await chip.waitForExist({ timeout: TIMEOUT });
    providerName = await chip.getText();
    assert.ok(providerName, 'the chosen provider is shown');
    const { label } = await addFirstCase('proposal', linkedCase.no);
    assert.equal(label, linkedCase.no, 'a proposal shows a case by its number only');
    await click('#proposal-submit');
    await browser.$('#proposal-memo').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#proposal-heading').getText(), PROPOSAL);
  });

  await step('work-proposal-sent', async () => {
    await browser.$('#proposal-status').selectByAttribute('value', 'sent');
    await click('#proposal-submit');
    const error = browser.$('#proposal-sentTo-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await error.getText(), /kellele/i);
    assert.equal(await browser.$('#proposal-sentOn-error').isDisplayed(), true, 'the day it went is asked too');
    await browser.$('#proposal-sentTo').setValue('Teenusejuht Mari Mets');
    await browser.$('#proposal-sentOn').setValue(typed(daysFromNow(0)));
    await click('#proposal-submit');
    assert.match(await waitForText('#proposal-saved', 'the sent proposal was not saved'), /salvestatud/);
    assert.equal(await browser.$('#proposal-status-pill').getAttribute('data-proposal-status'), 'sent');
    await browser.$('h1').scrollIntoView({ block: 'start' });
    await screenshot('62-proposal');
  });

  await step('work-memo', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const out = join(ARTIFACTS, 'proposal-memo.pdf');
    rmSync(out, { force: true });
    await browser.$('#proposal-memo-path').setValue(out);
    await click('#proposal-memo-submit');
    assert.match(await waitForText('#proposal-memo-done', 'the memo was not saved'), /proposal-memo\.pdf/);
    assert.equal(readFileSync(out).subarray(0, 4).toString(), '%PDF');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', out, '-'], { encoding: 'utf8' });
    for (const expected of ['Sotsiaalkindlustusamet', 'Memo', 'Teenusejuht Mari Mets', PROPOSAL, 'Lapsed ootavad füsioteraapia',
      'Keskmine ootamine 64 päeva', 'Sõlmida leping', linkedCase.no, providerName]) {
      assert.ok(text.includes(expected), `the memo has ${expected}:\n${text}`);
    }
    // The full name and the family name (a first name may also be the addressee's).
    for (const part of [linkedCase.child, linkedCase.child.split(' ').at(-1)]) {
      assert.ok(!text.includes(part), `the child's name (${part}) is not in the memo:\n${text}`);
    }
    await browser.execute(() => document.getElementById('proposal-memo').scrollIntoView({ block: 'start' }));
    await screenshot('63-proposal-memo');
    await click('#nav-proposals');
    const row = await elementWithText('#proposal-table tr[data-proposal-id]', PROPOSAL);
    assert.equal(await row.getAttribute('data-status'), 'sent');
    await screenshot('65-proposals');
  });

  await step('work-provider-page', async () => {
    await click('#nav-providers');
    const link = browser.$(`//table[@id="provider-table"]//a[normalize-space()="${providerName}"]`);
    await link.waitForDisplayed({ timeout: TIMEOUT });
    await link.scrollIntoView({ block: 'center' });
    await link.click();
    const row = browser.$('#provider-proposal-table tr[data-proposal-id]');
    await row.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await row.getText(), new RegExp(PROPOSAL));
    assert.equal(await row.getAttribute('data-status'), 'sent');
    // The page may still be settling (the contact log loads beside it): scroll until the card stays in view.
    await browser.waitUntil(() => browser.execute(() => {
      const card = document.getElementById('provider-proposals');
      card.scrollIntoView({ block: 'start' });
      const top = card.getBoundingClientRect().top;
      return top >= 0 && top < window.innerHeight - 150;
    }), { timeout: TIMEOUT, timeoutMsg: 'the proposals card did not come into view' });
    await screenshot('64-provider-proposals');
  });
});
