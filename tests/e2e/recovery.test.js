/**
 * End-to-end: the recovery code, through tauri-driver (WebDriver), against a fresh database
 * created with a passphrase (the runner gives this file its own SRT_DESK_DB and passphrase).
 *
 * What a coordinator would meet: the code is shown once right after the database is created and
 * the desk opens only when they confirm having written it down; when the passphrase is forgotten,
 * a wrong code is refused and the right code with a new passphrase opens the same data, after
 * which the new passphrase works and the old one does not.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startApp, click, screenshot, step, skipFirstRun } from './helpers.js';

const NEW_PASSPHRASE = 'uus sünteetiline parool 2026';
let browser;
let code;

before(async () => {
  browser = await startApp({ keepRecoveryScreen: true });
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

test('the recovery code is shown once after setup and must be confirmed', { timeout: 120_000 }, async () => {
  await step('recovery-shown', async () => {
    const shown = browser.$('#recovery-code');
    await shown.waitForDisplayed({ timeout: TIMEOUT });
    code = (await shown.getText()).trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/, 'five groups of four characters');
    assert.equal(await browser.$('#nav-cases').isExisting(), false, 'the desk is not open yet');
    await screenshot('30-recovery-code');

    await click('#recovery-ack');
    const error = browser.$('#recovery-written-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.notEqual((await error.getText()).trim(), '', 'continuing without confirming is refused');

    await browser.$('#recovery-written').click();
    await click('#recovery-ack');
    await skipFirstRun(browser);
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#recovery-code').isExisting(), false, 'the code is gone');
  });
});

test('a forgotten passphrase is replaced with the recovery code', { timeout: 180_000 }, async () => {
  await step('recover', async () => {
    await click('#nav-lock');
    await browser.$('#unlock-passphrase').waitForDisplayed({ timeout: TIMEOUT });
    await click('#use-recovery');
    await browser.$('#recover-recoveryCode').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#recover-recoveryCode').setValue('0000-0000-0000-0000-0000');
    await browser.$('#recover-passphrase').setValue(NEW_PASSPHRASE);
    await browser.$('#recover-confirm').setValue(NEW_PASSPHRASE);
    await click('#recover-submit');
    const error = browser.$('#recover-recoveryCode-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.notEqual((await error.getText()).trim(), '', 'a wrong code is told next to the field');
    assert.equal(await browser.$('#nav-cases').isExisting(), false, 'a wrong code opens nothing');
    await screenshot('31-recovery-wrong-code');

    // Typed as people type it: lower case, spaces instead of dashes.
    await browser.$('#recover-recoveryCode').setValue(code.toLowerCase().replaceAll('-', ' '));
    await click('#recover-submit');
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
  });
  await step('new-passphrase', async () => {
    await click('#nav-lock');
    const input = browser.$('#unlock-passphrase');
    await input.waitForDisplayed({ timeout: TIMEOUT });
    await input.setValue(process.env.SRT_DESK_PASSPHRASE);
    await click('#unlock-submit');
    await browser.$('#unlock-passphrase-error').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#nav-cases').isExisting(), false, 'the old passphrase no longer opens');

    await input.setValue(NEW_PASSPHRASE);
    await click('#unlock-submit');
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
  });
});
