/**
 * End-to-end: backups in Settings, through tauri-driver (WebDriver), against a fresh database
 * opened with a passphrase (the runner gives this file its own SRT_DESK_DB and passphrase).
 *
 * What a coordinator would do: back up the empty desk to a file, switch on daily backups to a
 * folder (the first is written at once), register an application, then restore the first backup: the
 * current database is kept aside, the backup's content (no cases) is back, a new recovery code is
 * shown once, and the desk opens with the new passphrase. Paths are typed: the native file
 * dialogs are outside WebDriver's reach.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { TIMEOUT, startApp, click, screenshot, step, openCases } from './helpers.js';

const BACKUP_PASS = 'sünteetiline varukoopia parool';
const NEW_PASS = 'taastatud andmebaasi parool';
const work = mkdtempSync(join(tmpdir(), 'srt-e2e-backup-'));
const manual = join(work, 'käsitsi.srtbackup');
const folder = join(work, 'daily');
let browser;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

async function openSettings() {
  await click('#nav-settings');
  await browser.$('#backup-section').waitForDisplayed({ timeout: TIMEOUT });
}

test('a backup of the empty desk is written to a typed path', { timeout: 120_000 }, async () => {
  await step('backup-now', async () => {
    await openSettings();
    await browser.$('#backup-out').setValue(manual);
    await browser.$('#backup-passphrase').setValue(BACKUP_PASS);
    await browser.$('#backup-confirm').setValue('something else entirely');
    await click('#backup-submit');
    await browser.$('#backup-confirm-error').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(existsSync(manual), false, 'nothing is written while the passphrases differ');

    await browser.$('#backup-confirm').setValue(BACKUP_PASS);
    await click('#backup-submit');
    await browser.waitUntil(async () => (await browser.$('#backup-done').getText()).includes('käsitsi.srtbackup'),
      { timeout: TIMEOUT, timeoutMsg: 'the backup was not confirmed' });
    assert.ok(existsSync(manual), 'the backup file exists');
  });
});

test('daily backups go to a folder, the first one at once', { timeout: 120_000 }, async () => {
  await step('auto-backup', async () => {
    await browser.$('#auto-folder').setValue(join(work, 'no such folder'));
    await browser.$('#auto-keep').setValue('3');
    await browser.$('#auto-passphrase').setValue(BACKUP_PASS);
    await browser.$('#auto-confirm').setValue(BACKUP_PASS);
    await click('#auto-submit');
    await browser.$('#auto-folder-error').waitForDisplayed({ timeout: TIMEOUT });

    mkdirSync(folder);
    await browser.$('#auto-folder').setValue(folder);
    await browser.$('#auto-passphrase').setValue(BACKUP_PASS);
    await browser.$('#auto-confirm').setValue(BACKUP_PASS);
    await click('#auto-submit');
    await browser.$('#auto-backup-files').waitForDisplayed({ timeout: TIMEOUT });
    const files = readdirSync(folder).filter((n) => n.endsWith('.srtbackup'));
    assert.equal(files.length, 1, 'the first daily backup is written at once');
    assert.match(await browser.$('#auto-backup-state').getText(), /3/);
    await browser.$('#auto-disable').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('40-settings-backups');
  });
});

/** A synthetic child's application, typed in as a coordinator does. */
async function registerApplication() {
  const pad2 = (n) => String(n).padStart(2, '0');
  const today = new Date();
  await click('#nav-new-application');
  await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
  await browser.$('#child-firstName').setValue('Rasmus');
  await browser.$('#child-lastName').setValue('Näidisberg');
  await browser.$('#child-personalCode').setValue('51405160015');
  await browser.$('#child-municipalityCode').selectByAttribute('value', '0784');
  await browser.$('#guardian-0-firstName').setValue('Piret');
  await browser.$('#guardian-0-lastName').setValue('Näidisberg');
  await browser.$('#guardian-0-email').setValue('piret.naidisberg@example.ee');
  await click('#route-disability');
  await browser.$('#route-severity').selectByAttribute('value', 'severe');
  await browser.$('#applicationDate').setValue(`${pad2(today.getDate())}.${pad2(today.getMonth() + 1)}.${today.getFullYear()}`);
  await browser.$('#channel').selectByAttribute('value', 'email');
  await click('#application-submit');
  await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
}

test('restoring the first backup brings back its content and keeps the current database aside', { timeout: 180_000 }, async () => {
  await step('case-then-restore', async () => {
    // A case on the desk after the backup (demo data never goes into a real desk: it has a
    // demo desk of its own, so an application is registered as a coordinator does).
    await registerApplication();
    await openCases();
    await browser.waitUntil(async () => Number(await browser.$('#case-count').getText()) > 0,
      { timeout: TIMEOUT, timeoutMsg: 'the case was not registered' });

    await openSettings();
    await browser.$('#restore-from').setValue(manual);
    await browser.$('#restore-backupPassphrase').setValue(BACKUP_PASS);
    await browser.$('#restore-passphrase').setValue(NEW_PASS);
    await browser.$('#restore-confirm').setValue(NEW_PASS);
    await click('#restore-submit');
    await browser.$('#restore-understood-error').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#restore-backupPassphrase').setValue('not the backup passphrase');
    await browser.$('#restore-understood').click();
    await click('#restore-submit');
    await browser.$('#restore-backupPassphrase-error').waitForDisplayed({ timeout: TIMEOUT });
    assert.ok(await browser.$('#nav-cases').isDisplayed(), 'a refused restore leaves the desk open');

    await browser.$('#restore-backupPassphrase').setValue(BACKUP_PASS);
    await click('#restore-submit');
    await browser.$('#recovery-code').waitForDisplayed({ timeout: 60_000 });
    await browser.$('#recovery-written').click();
    await click('#recovery-ack');
    await openCases();
    assert.equal(await browser.$('#case-count').getText(), '0', 'the backup had no cases');

    const db = process.env.SRT_DESK_DB;
    const aside = readdirSync(dirname(db)).filter((n) => n.startsWith(`${basename(db)}.before-restore-`) && !n.endsWith('.key'));
    assert.equal(aside.length, 1, `the previous database is kept aside: ${aside}`);
  });
  await step('new-passphrase-after-restore', async () => {
    await click('#nav-lock');
    const input = browser.$('#unlock-passphrase');
    await input.waitForDisplayed({ timeout: TIMEOUT });
    await input.setValue(NEW_PASS);
    await click('#unlock-submit');
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
  });
});
