/**
 * End-to-end: a desk made by `srt-admin init` has nobody's name (issue 26, item 3: the
 * computer's user name "root" then signed the assessment, the letter and the summary). The
 * window refuses: the decision check lists the missing name with a link to Settings'
 * "Koordinaator" section, which opens with the name to fill in; once saved, the check no longer
 * lists it and the letter's preview is signed with it. All data is synthetic (demo cases).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import {
  TIMEOUT, startApp, click, screenshot, step, openFirstCase,
} from './helpers.js';

const NAME = 'Olga Näidis-Koordinaator';
const PHONE = '+372 5555 0199';
const EMAIL = 'olga.naidis@example.ee';

let browser;

before(async () => {
  // The desk is made as an administrator makes it: srt-admin init (no name asked) and demo cases.
  const admin = process.env.SRT_ADMIN_BIN || join(dirname(process.env.SRT_DESK_BIN), 'srt-admin');
  assert.ok(existsSync(admin), `srt-admin is built beside the app (${admin})`);
  const env = { ...process.env, SRT_DESK_PASSPHRASE: process.env.SRT_DESK_PASSPHRASE };
  execFileSync(admin, ['--db', process.env.SRT_DESK_DB, '--key-source', 'passphrase', 'init'], { env, stdio: 'pipe' });
  execFileSync(admin, ['--db', process.env.SRT_DESK_DB, 'demo', '--cases', '40'], { env, stdio: 'pipe' });
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

async function checkCodes() {
  const codes = [];
  for (const li of await browser.$$('#decision-check-errors li')) codes.push(await li.getAttribute('data-code'));
  return codes;
}

test('without the coordinator\'s name the decision check refuses and links to where it is set', { timeout: 240_000 }, async () => {
  await step('coordinator-check-link', async () => {
    assert.equal(await browser.$('#first-run').isExisting(), false, 'srt-admin\'s desk has no guided setup');
    await browser.execute(() => { window.location.hash = '#/cases?status=in_assessment'; });
    await browser.$('tr.case-row').waitForDisplayed({ timeout: TIMEOUT });
    await openFirstCase();
    await browser.$('#decisions').scrollIntoView({ block: 'start' });
    await browser.$('#decision-kind').selectByAttribute('value', 'referral');
    await click('#decision-create');
    await browser.$('#decision-editor-title').waitForDisplayed({ timeout: TIMEOUT });
    await browser.waitUntil(async () => (await checkCodes()).includes('coordinator.profile_missing'),
      { timeout: TIMEOUT, timeoutMsg: 'the check does not name the missing coordinator' });
    const link = browser.$('#decision-check-profile-link');
    assert.equal(await link.isDisplayed(), true, 'the check item links to Settings');
    assert.doesNotMatch(await browser.$('#decision-preview').getText(), /\broot\b/, 'the OS user signs nothing');
    await link.scrollIntoView({ block: 'center' });
    await screenshot('coordinator-01-check-link');

    await link.click();
    const name = browser.$('#settings-coordinator');
    await name.waitForDisplayed({ timeout: TIMEOUT });
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.id)) === 'settings-coordinator',
      { timeout: TIMEOUT, timeoutMsg: 'the name field is not where the link lands' });
    await screenshot('coordinator-02-settings');
    // An empty name is refused here too.
    await click('#settings-coordinator-save');
    await browser.$('#settings-coordinator-error').waitForDisplayed({ timeout: TIMEOUT });
    await name.setValue(NAME);
    await browser.$('#settings-coordinatorPhone').setValue(PHONE);
    await browser.$('#settings-coordinatorEmail').setValue(EMAIL);
    await click('#settings-coordinator-save');
    await browser.waitUntil(async () => (await browser.$('#settings-coordinator-saved').getText()) !== '',
      { timeout: TIMEOUT, timeoutMsg: 'the name was not saved' });
    assert.equal(await browser.$('#settings-coordinator-error').isDisplayed(), false);

    await browser.back();
    const open = browser.$('.decision-open[data-decision-id]');
    await open.waitForDisplayed({ timeout: TIMEOUT });
    await click('.decision-open[data-decision-id]');
    await browser.$('#decision-editor-title').waitForDisplayed({ timeout: TIMEOUT });
    await browser.waitUntil(async () => (await browser.$('#decision-preview').getText()).includes(NAME),
      { timeout: TIMEOUT, timeoutMsg: 'the letter is not signed with the name set' });
    assert.ok(!(await checkCodes()).includes('coordinator.profile_missing'), 'the check no longer lists it');
    assert.match(await browser.$('#preview-signer-contact').getText(), new RegExp(`${PHONE.replace(/\+/g, '\\+')}.*${EMAIL}`));
    await browser.$('.letter-signature').scrollIntoView({ block: 'center' });
    await screenshot('coordinator-03-signed');
  });
});
