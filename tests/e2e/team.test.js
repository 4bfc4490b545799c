/**
 * End-to-end: the team desk in the real window (issue 28), with a real PostgreSQL (the runner
 * starts this file under `pg_virtualenv`, which exports PGHOST/PGPORT/PGUSER/PGPASSWORD), a real
 * `srt-server` process on 127.0.0.1 with a certificate made here by openssl, and a real Secret
 * Service for the device token (the runner gives this file's app a D-Bus session with
 * gnome-keyring). The window's desk is the team lead's: it joins in Settings → Meeskond, shows
 * the sync line, and on the Meeskond screen invites a member (the one-time code), records a
 * substitution and cancels it (kept in the history). All data is synthetic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startApp, click, clickTwice, screenshot, step } from './helpers.js';
import { psql, startTeamServer } from './team-server.js';

let browser;
let team;
let base;
let caPath;
let leadCode;

before(async () => {
  team = await startTeamServer('srt_team_e2e');
  ({ base, caPath, leadCode } = team);
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (team) await team.stop();
});

test('the lead joins in Settings, sees the sync line, invites and records a substitution', { timeout: 300_000 }, async () => {
  await step('team-not-joined', async () => {
    assert.equal(await browser.$('#team-line').isDisplayed().catch(() => false), false, 'a desk not in a team shows no sync line');
    assert.equal(await browser.$('#nav-team').isExisting(), false);
    await browser.execute(() => { window.location.hash = '#/settings/meeskond'; });
    await browser.$('#team-join-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#team-join-form').scrollIntoView({ block: 'start' });
    // No certificate: said under the field.
    await browser.$('#team-join-server').setValue(base);
    await browser.$('#team-join-code').setValue(leadCode);
    await click('#team-join-submit');
    await browser.$('#team-join-ca-error').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('team-01-join-form');
  });

  await step('team-join', async () => {
    await browser.$('#team-join-ca').setValue(caPath);
    await click('#team-join-submit');
    await browser.$('#team-settings-facts').waitForDisplayed({ timeout: 60_000 });
    assert.match(await browser.$('#team-settings-facts').getText(), /meeskonna juht/);
    await browser.waitUntil(async () => /Sünkroonitud kell \d\d:\d\d/.test(await browser.$('#team-line').getText()),
      { timeout: 60_000, timeoutMsg: 'the sync line does not say when it synced' });
    await browser.$('#nav-team').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('team-02-joined');
  });

  await step('team-invite', async () => {
    await click('#nav-team');
    await browser.$('#team-invite-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#team-invite-login').setValue('kati');
    await browser.$('#team-invite-name').setValue('Kati Näidis');
    await click('#team-invite-submit');
    await browser.$('#team-invite-code').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#team-invite-code').getText(), /kati: \S+/);
    assert.match(await browser.$('#team-members-table').getText(), /Kati Näidis/);
  });

  await step('team-substitution', async () => {
    await browser.$('#team-sub-form').scrollIntoView({ block: 'center' });
    await browser.$('#team-sub-absent').selectByAttribute('value', 'kati');
    await browser.$('#team-sub-substitute').selectByAttribute('value', 'lead');
    const [y, m, d] = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10).split('-');
    await browser.$('#team-sub-to').setValue(`${d}.${m}.${y}`);
    await click('#team-sub-submit');
    await browser.$('#team-sub-table').waitForDisplayed({ timeout: TIMEOUT });
    // People by name, as the members' table names them.
    assert.match(await browser.$('#team-sub-table').getText(), /Kati Näidis\s*\S.*\s*\d\d\.\d\d\.\d{4}/);
    assert.doesNotMatch(await browser.$('#team-sub-table').getText(), /^kati\b/m);
    await screenshot('team-03-screen');
    const cancel = await browser.$('#team-sub-table button');
    const id = await cancel.getAttribute('id');
    await clickTwice(`#${id}`);
    await browser.waitUntil(async () => /tühistatud/.test(await browser.$('#team-sub-table').getText()),
      { timeout: TIMEOUT, timeoutMsg: 'the cancelled substitution is not kept in the history' });
    await screenshot('team-04-cancelled');
  });

  await step('team-data-writers', async () => {
    // Who changes the team-wide data: the lead by default; the lead opens it to every member.
    await browser.$('#team-writers-form').scrollIntoView({ block: 'center' });
    assert.equal(await browser.$('#team-writers').getValue(), 'lead');
    await browser.$('#team-writers').selectByAttribute('value', 'all');
    await click('#team-writers-submit');
    await browser.$('#team-writers-done').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(psql('srt_team_e2e', "SELECT value FROM settings WHERE key = 'team_data_writers'"), 'all');
    assert.equal(await browser.$('#team-writers').getValue(), 'all');
    await screenshot('team-06-data-writers');
  });

  await step('team-sync-now', async () => {
    await click('#team-sync');
    await browser.waitUntil(async () => /Sünkroonitud kell/.test(await browser.$('#team-line').getText()),
      { timeout: 60_000, timeoutMsg: 'Sünkrooni did not end in a synced line' });
  });

  await step('team-english', async () => {
    await browser.execute(() => { window.location.hash = '#/settings'; });
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'en');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'en',
      { timeout: TIMEOUT, timeoutMsg: 'the UI did not switch to en' });
    await click('#nav-team');
    await browser.$('#team-sub-table').waitForDisplayed({ timeout: TIMEOUT });
    await browser.waitUntil(async () => /Synced at \d\d:\d\d/.test(await browser.$('#team-line').getText()),
      { timeout: TIMEOUT, timeoutMsg: 'the sync line is not in English' });
    await screenshot('team-05-en');
  });
});
