/**
 * End-to-end: the team lead gives a task to a coordinator in the real window (issue 28), started
 * as tests/e2e/team.test.js is (pg_virtualenv, a real srt-server on 127.0.0.1, a real Secret
 * Service). The window's desk is the lead's: it joins, a coordinator is invited on the command
 * line, and the task form offers "Kellele" with the team's members; the task given shows to whom
 * it went, and after "Sünkrooni" it is on the server in the coordinator's box. That it reaches
 * the coordinator's dashboard and comes back done is core/tests/team_desk.rs
 * (a_task_the_lead_gives_reaches_the_coordinators_dashboard_and_comes_back_done). Synthetic data.
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
  team = await startTeamServer('srt_team_tasks_e2e');
  ({ base, caPath, leadCode } = team);
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (team) await team.stop();
});

test('the lead gives a task to a coordinator: Kellele, whom it went to, and on the server in her box', { timeout: 300_000 }, async () => {
  await step('team-tasks-join', async () => {
    await browser.execute(() => { window.location.hash = '#/settings/meeskond'; });
    await browser.$('#team-join-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#team-join-server').setValue(base);
    await browser.$('#team-join-code').setValue(leadCode);
    await browser.$('#team-join-ca').setValue(caPath);
    await click('#team-join-submit');
    await browser.$('#team-settings-facts').waitForDisplayed({ timeout: 60_000 });
    await browser.waitUntil(async () => /Sünkroonitud kell \d\d:\d\d/.test(await browser.$('#team-line').getText()),
      { timeout: 60_000, timeoutMsg: 'the sync line does not say when it synced' });
  });

  await step('team-tasks-form', async () => {
    team.invite('kati', 'Kati Näidis');
    // The desk learns the team's members at a sync.
    await click('#team-sync');
    await browser.waitUntil(async () => /Sünkroonitud kell/.test(await browser.$('#team-line').getText()),
      { timeout: 60_000, timeoutMsg: 'Sünkrooni did not end in a synced line' });
    await browser.execute(() => { window.location.hash = '#/tasks'; });
    await browser.$('#task-assignee').waitForDisplayed({ timeout: TIMEOUT });
    const choices = await browser.$('#task-assignee').getText();
    assert.match(choices, /Endale/);
    assert.match(choices, /Kati Näidis \(kati\)/);
    await browser.$('#task-title').setValue('Koosta kvartali ülevaade ootejärjekorrast');
    await browser.$('#task-assignee').selectByAttribute('value', 'kati');
    await browser.$('#task-assignee').scrollIntoView({ block: 'center' });
    await screenshot('team-tasks-01-form');
    await click('#task-submit');
    await browser.waitUntil(async () => /Kellele: Kati Näidis/.test(await browser.$('#task-list').getText().catch(() => '')),
      { timeout: TIMEOUT, timeoutMsg: 'the given task does not say to whom it went' });
    await browser.$('#task-list').scrollIntoView({ block: 'start' });
    await screenshot('team-tasks-02-given');
  });

  await step('team-tasks-synced', async () => {
    await click('#team-sync');
    const box = () => psql('srt_team_tasks_e2e',
      "SELECT count(*) FROM shared_rows r JOIN cases c ON c.id = r.case_id JOIN members m ON m.id = c.owner_id WHERE r.tbl = 'task' AND m.login = 'kati'");
    await browser.waitUntil(async () => box() === '1', { timeout: 60_000, timeoutMsg: 'the task is not on the server in the coordinator\'s box' });
  });

  await step('team-tasks-english', async () => {
    await browser.execute(() => { window.location.hash = '#/settings'; });
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'en');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'en',
      { timeout: TIMEOUT, timeoutMsg: 'the UI did not switch to en' });
    await browser.execute(() => { window.location.hash = '#/tasks'; });
    await browser.$('#task-assignee').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('label[for="task-assignee"]').getText(), /Assign to/);
    assert.match(await browser.$('#task-list').getText(), /Assigned to: Kati Näidis/);
    await screenshot('team-tasks-03-en');
  });
});
