/**
 * End-to-end: a network meeting, through tauri-driver (WebDriver), against a fresh database
 * (the runner gives this file its own SRT_DESK_DB; see helpers.js).
 *
 * What a coordinator would notice is checked: a meeting created on a case opens for notes with
 * its template's agenda; participants come from the case or are typed; the notes, typed with the
 * keyboard (Enter continues a list), save themselves and come back exactly; what was typed just
 * before a lock is not lost; an agreed action with a due date before the meeting needs
 * confirming; open actions are on the dashboard until marked done; the minutes PDF holds the
 * participants, decisions and actions with owners and dates, and not the private notes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TIMEOUT, startApp, click, screenshot, step, lockAndUnlock, closeAsUser,
} from './helpers.js';

const CHILD_CODE = '61303150029'; // synthetic girl born 15.03.2013
const CHILD = { firstName: 'Mirtel', lastName: 'Näidis-Kask' };
const GUARDIAN = { firstName: 'Kadri', lastName: 'Näidis-Kask', email: 'kadri.naidis@example.ee' };
const PRIVATE = 'PRIVAATNE-SALADUS isa tundus väsinud';

const pad2 = (n) => String(n).padStart(2, '0');
const typed = (d) => `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()}`;
const iso = (d) => `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
const today = new Date();
const inDays = (n) => new Date(today.getFullYear(), today.getMonth(), today.getDate() + n);

let browser;
let caseId;
let meetingUrl;
const work = mkdtempSync(join(tmpdir(), 'srt-meetings-e2e-'));

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

/** Waits until the notes are saved (the page says so). */
async function waitSaved() {
  const state = browser.$('#meeting-save-state');
  await browser.waitUntil(async () => (await state.getAttribute('data-state')) === 'saved', {
    timeout: TIMEOUT, timeoutMsg: 'the notes were not saved',
  });
}

/**
 * Types into a field as a person does, with the Enter key between the lines (WebDriver's send
 * keys would drop the line breaks instead of pressing Enter).
 */
async function typeLines(selector, text) {
  await click(selector);
  await browser.$(selector).clearValue();
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    // Element send-keys keeps doubled letters ("hommikud"), which a key-action chain loses.
    if (line) await browser.$(selector).addValue(line);
    if (i < lines.length - 1) await browser.keys('Enter');
  }
}

async function openMeeting() {
  await browser.url(meetingUrl);
  await browser.$('#meeting-notes').waitForDisplayed({ timeout: TIMEOUT });
}

test('a case gets a first network meeting with the template agenda', { timeout: 180_000 }, async () => {
  await step('meetings-register', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#child-firstName').setValue(CHILD.firstName);
    await browser.$('#child-lastName').setValue(CHILD.lastName);
    await browser.$('#child-personalCode').setValue(CHILD_CODE);
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784');
    await browser.$('#guardian-0-firstName').setValue(GUARDIAN.firstName);
    await browser.$('#guardian-0-lastName').setValue(GUARDIAN.lastName);
    await browser.$('#guardian-0-email').setValue(GUARDIAN.email);
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'severe');
    await browser.$('#applicationDate').setValue(typed(today));
    await browser.$('#channel').selectByAttribute('value', 'email');
    await click('#application-submit');
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    caseId = /#\/cases\/(\d+)/.exec(await browser.getUrl())[1];
  });
  await step('meetings-create', async () => {
    await browser.$('#meetings-empty').waitForExist({ timeout: TIMEOUT });
    await click('#meeting-new');
    assert.equal(await browser.$('#meeting-kind').getValue(), 'first', 'the first meeting of a case is a first meeting');
    await browser.$('#meeting-date').setValue(typed(today));
    await browser.$('#meeting-time').setValue('10:00');
    await browser.$('#meeting-place').setValue('Tallinna Lastekeskus, ruum 3');
    await click('#meeting-new-form-submit');
    await browser.$('#meeting-title').waitForDisplayed({ timeout: TIMEOUT });
    meetingUrl = await browser.getUrl();
    assert.match(meetingUrl, new RegExp(`#/cases/${caseId}/meetings/\\d+$`));
    assert.match(await browser.$('#meeting-agenda').getValue(), /Lapse ja pere eesmärgid/, 'the agenda comes from the template');
    assert.equal(await browser.execute(() => document.activeElement && document.activeElement.id), 'meeting-notes',
      'the notes have the focus, ready to type');
  });
});

test('participants are picked from the case or typed, with role and presence', { timeout: 120_000 }, async () => {
  await step('meetings-participants', async () => {
    const picker = browser.$('#participant-add');
    const guardianOption = await browser.execute(() => [...document.querySelectorAll('#participant-add option')]
      .find((o) => o.textContent.includes('Kadri'))?.value);
    assert.ok(guardianOption, 'the guardian is offered');
    await picker.selectByAttribute('value', guardianOption);
    await browser.$('#participant-0-name').waitForExist({ timeout: TIMEOUT });
    assert.equal(await browser.$('#participant-0-name').getValue(), `${GUARDIAN.firstName} ${GUARDIAN.lastName}`);
    assert.equal(await browser.$('#participant-0-role').getValue(), 'lapsevanem');

    await browser.$('#participant-add').selectByAttribute('value', 'new:provider');
    const name = browser.$('#participant-1-name');
    await name.waitForExist({ timeout: TIMEOUT });
    await name.setValue('Mari Maasikas');
    await browser.$('#participant-1-role').setValue('füsioterapeut');
    await browser.$('#participant-1-organisation').setValue('Näidise Rehabilitatsioonikeskus');

    await browser.$('#participant-add').selectByAttribute('value', 'new:other');
    await browser.$('#participant-2-name').waitForExist({ timeout: TIMEOUT });
    await browser.$('#participant-2-name').setValue('Peeter Puudub');
    await browser.$('#participant-2-role').setValue('klassijuhataja');
    await click('#participant-2-present');
    assert.equal(await browser.$('#participant-2-present').isSelected(), false, 'absent');
    await waitSaved();
  });
});

test('notes typed with the keyboard save themselves and come back exactly', { timeout: 120_000 }, async () => {
  await step('meetings-notes', async () => {
    // Enter after a list item continues the list: the second "- " is typed by the app.
    await typeLines('#meeting-notes', 'Ema: hommikud on rasked.\n\nArutelu:\n- kool algab 8.00\nbuss 7.15');
    await typeLines('#meeting-privateNotes', PRIVATE);
    await typeLines('#meeting-decisions', '1. Taotleda füsioteraapiat\nJärgmine kohtumine jaanuaris');
    await waitSaved();
    const expectedNotes = 'Ema: hommikud on rasked.\n\nArutelu:\n- kool algab 8.00\n- buss 7.15';
    const expectedDecisions = '1. Taotleda füsioteraapiat\n2. Järgmine kohtumine jaanuaris';
    assert.equal(await browser.$('#meeting-notes').getValue(), expectedNotes, 'Enter continued the bullet list');
    assert.equal(await browser.$('#meeting-decisions').getValue(), expectedDecisions, 'Enter numbered the next decision');
    await browser.$('#meeting-back').scrollIntoView({ block: 'start' });
    await screenshot('30-meeting-notes');

    // Away and back: the draft is exactly as typed.
    await click('#meeting-back');
    await browser.$('#meetings-table').waitForDisplayed({ timeout: TIMEOUT });
    await openMeeting();
    assert.equal(await browser.$('#meeting-notes').getValue(), expectedNotes);
    assert.equal(await browser.$('#meeting-privateNotes').getValue(), PRIVATE);
    assert.equal(await browser.$('#meeting-decisions').getValue(), expectedDecisions);
    assert.equal(await browser.$('#participant-1-organisation').getValue(), 'Näidise Rehabilitatsioonikeskus');
    assert.equal(await browser.$('#participant-2-present').isSelected(), false);
  });
});

test('what is typed right before a lock is saved and there after unlocking', { timeout: 120_000 }, async () => {
  await step('meetings-lock', async () => {
    const notes = browser.$('#meeting-notes');
    await click('#meeting-notes');
    await browser.keys(['Control', 'End']);
    await notes.addValue(' Viimane lause enne lukustamist.');
    // At once, without waiting for the pause: the lock flushes the notes first.
    await lockAndUnlock();
    await notes.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await notes.getValue(), /- buss 7\.15 Viimane lause enne lukustamist\.$/);
  });
});

test('a draft the desk refused is kept through a lock and put back', { timeout: 120_000 }, async () => {
  await step('meetings-refused-lock', async () => {
    // A participant's organisation may be 200 characters long: this one is refused, and the page
    // keeps the draft to put back. It lives only in the page, so the lock must not replace it.
    const field = browser.$('#participant-2-organisation');
    const tooLong = `Liiga pikk asutuse nimi ${'x'.repeat(200)}`;
    await field.setValue(tooLong);
    const state = browser.$('#meeting-save-state');
    await browser.waitUntil(async () => (await state.getAttribute('data-state')) === 'refused', {
      timeout: TIMEOUT, timeoutMsg: 'the over-long organisation was not refused',
    });
    assert.match(await state.getText(), /^Salvestamata: Osalejad/, 'the status line names what is not saved');
    await lockAndUnlock();
    await field.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await field.getValue(), tooLong, 'the refused draft is back after unlocking');
    // Emptied again and saved, for the tests below.
    await click('#participant-2-organisation');
    await browser.keys(['Control', 'a']);
    await browser.keys('Backspace');
    await waitSaved();
    assert.equal(await field.getValue(), '');
  });
});

test('an agreed action due before the meeting needs confirming; actions are listed by due date', { timeout: 120_000 }, async () => {
  await step('meetings-actions', async () => {
    await browser.$('#action-what').setValue('Saata arsti hinnang');
    await browser.$('#action-owner').setValue(`${GUARDIAN.firstName} ${GUARDIAN.lastName}`);
    await browser.$('#action-dueDate').setValue(typed(inDays(-1)));
    await click('#action-submit');
    const error = browser.$('#action-dueDate-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await error.getText(), /enne kohtumist/);
    await click('#action-confirmEarly');
    await click('#action-submit');
    await browser.$('#actions-table').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#action-what').setValue('Leida füsioterapeut');
    await browser.$('#action-owner').setValue('Mari Maasikas');
    await browser.$('#action-dueDate').setValue(typed(inDays(3)));
    await click('#action-submit');
    await browser.waitUntil(async () => (await browser.$$('tr.action-row')).length === 2, {
      timeout: TIMEOUT, timeoutMsg: 'the second action did not appear',
    });
    const rows = await browser.$$('tr.action-row');
    assert.match(await rows[0].getText(), /Saata arsti hinnang/, 'the overdue one first');
    assert.equal(await rows[0].getAttribute('data-urgency'), 'overdue');
    assert.equal(await rows[1].getAttribute('data-urgency'), 'week');
    await browser.$('#meeting-actions').scrollIntoView({ block: 'start' });
    await screenshot('31-meeting-actions');
  });
});

test('the open actions are on the dashboard until marked done', { timeout: 120_000 }, async () => {
  await step('meetings-dashboard', async () => {
    await click('#nav-dashboard');
    const item = (what) => browser.$(`//a[contains(@class, "action-item")][.//*[contains(text(), "${what}")]]`);
    await item('Leida füsioterapeut').waitForDisplayed({ timeout: TIMEOUT });
    await item('Saata arsti hinnang').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await item('Leida füsioterapeut').getAttribute('data-due'), iso(inDays(3)), 'with its due date');
    assert.notEqual(await browser.$('#dash-overdue').getAttribute('data-count'), '0', 'the overdue action is counted');
    await screenshot('32-dashboard-actions');

    const id = await item('Saata arsti hinnang').getAttribute('data-action-id');
    await click(`button.action-done-quick[data-action-id="${id}"]`);
    await browser.waitUntil(async () => !(await browser.$(`a.action-item[data-action-id="${id}"]`).isExisting()), {
      timeout: TIMEOUT, timeoutMsg: 'the done action stayed on the dashboard',
    });
    assert.ok(await item('Leida füsioterapeut').isExisting(), 'the other one is still there');

    // The remaining one is marked done on the meeting page, with a date.
    await click(`a.action-item[data-kind="meeting_action"]`);
    await browser.$('#meeting-actions').waitForDisplayed({ timeout: TIMEOUT });
    const open = await browser.$('tr.action-row:not([data-urgency="done"])');
    const openId = await open.getAttribute('data-action-id');
    await click(`#action-${openId}-done`);
    await browser.$(`#action-${openId}-doneOn`).setValue(typed(today));
    await click(`#action-${openId}-done-confirm`);
    await browser.waitUntil(async () => (await browser.$(`tr.action-row[data-action-id="${openId}"]`).getAttribute('data-urgency')) === 'done', {
      timeout: TIMEOUT, timeoutMsg: 'the action was not marked done',
    });
    await click('#nav-dashboard');
    await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
    assert.equal(await browser.$('a.action-item').isExisting(), false, 'no open action left on the dashboard');
  });
});

test('the case timeline shows the meeting and its actions', { timeout: 120_000 }, async () => {
  await step('meetings-timeline', async () => {
    await browser.url(meetingUrl.replace(/\/meetings\/\d+$/, ''));
    const meetingEntry = browser.$('#timeline .timeline-item[data-kind="meeting"]');
    await meetingEntry.waitForExist({ timeout: TIMEOUT });
    const text = await browser.$('#timeline').getText();
    assert.match(text, /Võrgustikukohtumine/);
    assert.match(text, /Tegevus tehtud: Saata arsti hinnang/);
    await browser.$('#meetings').scrollIntoView({ block: 'start' });
    await screenshot('33-case-meetings');
  });
});

test('the minutes PDF has participants, decisions and actions, and no private notes', { timeout: 180_000 }, async () => {
  await step('meetings-minutes', async () => {
    await openMeeting();
    const target = join(work, 'protokoll.pdf');
    // WebDriver cannot operate the system's save dialog: answer it with a path, as a person would.
    await browser.execute((path) => {
      window.__TAURI__.dialog.save = async () => path;
    }, target);
    await click('#minutes-export');
    const message = browser.$('#minutes-message');
    await browser.waitUntil(async () => (await message.getText()).includes('protokoll.pdf'), {
      timeout: 60_000, timeoutMsg: 'the minutes were not saved',
    });
    assert.ok(existsSync(target), 'the PDF is where the coordinator chose');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', target, '-'], { encoding: 'utf8' });
    for (const expected of [
      'Võrgustikukohtumise protokoll', `${GUARDIAN.firstName} ${GUARDIAN.lastName}`, 'Mari Maasikas', 'füsioterapeut',
      'Peeter Puudub', 'Taotleda füsioteraapiat', 'Järgmine kohtumine jaanuaris',
      'Saata arsti hinnang', 'Leida füsioterapeut', typed(inDays(3)), 'Ema: hommikud on rasked.',
    ]) {
      assert.ok(text.includes(expected), `the minutes contain "${expected}"`);
    }
    assert.ok(!text.includes('PRIVAATNE'), 'the private notes are not in the minutes');
    // Filed on the case's documents register.
    await click('#meeting-back');
    const row = browser.$('//tr[contains(@class, "document-row")][.//*[contains(text(), "protokoll")]]');
    await row.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await row.getText(), /protokoll.*\.pdf/s);
  });
});

test('the follow-up template edited in Settings is the agenda of the next meeting', { timeout: 120_000 }, async () => {
  await step('meetings-templates', async () => {
    await click('#nav-settings');
    const agenda = browser.$('#template-follow_up-agenda');
    await agenda.waitForDisplayed({ timeout: TIMEOUT });
    await typeLines('#template-follow_up-agenda', 'Mis on muutunud\nKooli tagasiside\nUued kokkulepped');
    await click('#template-follow_up-save');
    const message = browser.$('#template-follow_up-message');
    await browser.waitUntil(async () => (await message.getText()) !== '', { timeout: TIMEOUT, timeoutMsg: 'the template was not saved' });
    await browser.$('#meeting-templates').scrollIntoView({ block: 'start' });
    await screenshot('34-settings-templates');

    await browser.url(meetingUrl.replace(/\/meetings\/\d+$/, ''));
    await click('#meeting-new');
    assert.equal(await browser.$('#meeting-kind').getValue(), 'follow_up', 'the next meeting of a case is a follow-up');
    await browser.$('#meeting-date').setValue(typed(inDays(14)));
    await click('#meeting-new-form-submit');
    await browser.$('#meeting-title').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#meeting-agenda').getValue(), 'Mis on muutunud\nKooli tagasiside\nUued kokkulepped');

    // Created by mistake: it can be deleted (two steps); the one with filed minutes cannot.
    await click('#meeting-delete');
    await click('#meeting-delete');
    await browser.$('#meetings-table').waitForDisplayed({ timeout: TIMEOUT });
    await browser.waitUntil(async () => (await browser.$$('tr.meeting-row')).length === 1, {
      timeout: TIMEOUT, timeoutMsg: 'the deleted meeting is still listed',
    });
    await openMeeting();
    assert.equal(await browser.$('#meeting-delete').isExisting(), false, 'a meeting with filed minutes offers no delete');
  });
});

test('an over-long paste into the notes does not stop the decisions; closing asks; both survive a restart', { timeout: 240_000 }, async () => {
  const state = () => browser.$('#meeting-save-state');
  const waitState = async (want, what) => browser.waitUntil(async () => (await state().getAttribute('data-state')) === want, {
    timeout: TIMEOUT, timeoutMsg: `${what}: ${await state().getText()}`,
  });
  let savedNotes;
  const pasted = 'Kleebitud pikk tekst koosolekult. '.repeat(64_000); // over 2 MB
  await step('meetings-paste-refused', async () => {
    await openMeeting();
    savedNotes = await browser.$('#meeting-notes').getValue();
    // A paste: the whole text at once, announced as typed input.
    await browser.execute((text) => {
      const el = document.querySelector('#meeting-notes');
      el.focus();
      el.value += text;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, pasted);
    await waitState('refused', 'the 2 MB paste was not refused');
    assert.match(await state().getText(), /^Salvestamata: Märkmed: Tekst on liiga pikk/, 'the status names the refused field');
    assert.doesNotMatch(await state().getText(), /salvestatud/i, 'never "saved" while a field is refused');
    assert.match(await browser.$('#meeting-notes-error').getText(), /liiga pikk/, 'the message is beside the field');

    // Typed after the refused paste: the decisions are saved all the same.
    const rev = Number(await state().getAttribute('data-rev'));
    await click('#meeting-decisions');
    await browser.keys(['Control', 'End']);
    await browser.$('#meeting-decisions').addValue(' Lisatud pärast kleepimist.');
    await browser.waitUntil(async () => Number(await state().getAttribute('data-rev')) > rev
      && (await state().getAttribute('data-state')) === 'refused', {
      timeout: TIMEOUT, timeoutMsg: 'the decisions were not saved beside the refused notes',
    });
    await browser.$('#meeting-notes-box').scrollIntoView({ block: 'start' });
    await screenshot('60-meeting-notes-refused');
  });

  await step('meetings-close-asks', async () => {
    await closeAsUser();
    const prompt = browser.$('#close-prompt');
    await prompt.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#close-prompt-fields').getText(), /Salvestamata: Märkmed/);
    await screenshot('61-close-prompt');
    await click('#close-stay');
    await prompt.waitForExist({ reverse: true, timeout: TIMEOUT });
    assert.equal(await browser.$('#meeting-notes').isDisplayed(), true, 'staying keeps the window and the text');
    await closeAsUser();
    await browser.$('#close-prompt').waitForDisplayed({ timeout: TIMEOUT });
    // The window closes (and the session with it) while the click is answered.
    await browser.$('#close-anyway').click().catch(() => {});
    await browser.deleteSession().catch(() => {});
    browser = null;
  });

  await step('meetings-refused-after-restart', async () => {
    browser = await startApp();
    await openMeeting();
    assert.match(await browser.$('#meeting-decisions').getValue(), / Lisatud pärast kleepimist\.$/,
      'the decisions typed after the refused paste survived the restart');
    const notes = await browser.$('#meeting-notes').getValue();
    assert.equal(notes.length, savedNotes.length + pasted.length, 'the refused paste is back in its field');
    assert.ok(notes.startsWith(savedNotes) && notes.endsWith(pasted.slice(-200)));
    await waitState('refused', 'after a restart the status must still name the refused notes');
    assert.match(await state().getText(), /^Salvestamata: Märkmed/);
    assert.match(await browser.$('#meeting-notes-error').getText(), /liiga pikk/);
    await screenshot('62-meeting-refused-after-restart');

    // Corrected: saved, the message gone, and the window closes without asking (after()).
    await browser.execute((text) => {
      const el = document.querySelector('#meeting-notes');
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
    }, savedNotes);
    await waitState('saved', 'the corrected notes were not saved');
    assert.match(await state().getText(), /^Kõik salvestatud \d\d:\d\d/);
    assert.equal(await browser.$('#meeting-notes-error').isDisplayed(), false);
  });
});
