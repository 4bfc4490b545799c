/**
 * End-to-end: the service manager's window (issue 28, "the service manager: statistics without
 * personal data"). A real PostgreSQL (pg_virtualenv), a real `srt-server` on 127.0.0.1; Kati's
 * srt-admin desk holds synthetic demo cases and syncs them up; the window's desk joins as a
 * member invited with the role `manager`. Its window opens at Statistika, its menu is
 * Statistika / Teenuseosutajad / Seaded / Abi, the figures are the team's (Kati's cases), and no
 * child's name, personal code or case number appears on any of its screens. All data is synthetic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startApp, click, screenshot, step } from './helpers.js';
import { startTeamServer, adminDesk } from './team-server.js';

let browser;
let team;
let managerCode;
/** Kati's cases: [case number, child's name, status, coordinator]. */
let katis;

before(async () => {
  team = await startTeamServer('srt_team_manager_e2e');
  const katiCode = team.invite('kati', 'Kati Näidis');
  managerCode = team.invite('juhan', 'Juhan Teenusejuht', 'manager');
  const kati = adminDesk(team.dir, 'kati');
  kati('init');
  kati('demo', '--cases', '12');
  kati('team', 'join', '--server', team.base, '--code', katiCode, '--ca-cert', team.caPath);
  assert.match(kati('sync'), /^pushed \d+, pulled \d+, conflicts 0/);
  katis = kati('cases').trim().split('\n').map((l) => l.split('\t'));
  assert.equal(katis.length, 12, katis.join('\n'));
  browser = await startApp();
  await browser.setWindowSize(1280, 800);
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (team) await team.stop();
});

/** Whatever the window shows of a child or a case, found in its text (none expected). */
async function personalDataShown() {
  const text = await browser.execute(() => document.body.innerText);
  return katis.flatMap(([no, child]) => [no, child]).filter((s) => s && text.includes(s));
}

const menu = () => browser.execute(() => [...document.querySelectorAll('.nav-list .nav-link')].map((a) => a.id));

test('the service manager\'s window: Statistika first, four menu entries, the team\'s figures, no child\'s name anywhere', { timeout: 600_000 }, async () => {
  await step('manager-joins', async () => {
    await browser.execute(() => { window.location.hash = '#/settings/meeskond'; });
    await browser.$('#team-join-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#team-join-server').setValue(team.base);
    await browser.$('#team-join-code').setValue(managerCode);
    await browser.$('#team-join-ca').setValue(team.caPath);
    await click('#team-join-submit');
    await browser.waitUntil(async () => /Sünkroonitud kell \d\d:\d\d/.test(await browser.$('#team-line').getText()),
      { timeout: 60_000, timeoutMsg: 'the sync line does not say when it synced' });
  });

  await step('menu-and-first-page', async () => {
    await browser.waitUntil(async () => (await menu()).length === 4,
      { timeout: TIMEOUT, timeoutMsg: 'the menu is not the manager\'s' });
    // In the menu's own order (Teenuseosutajad comes before Statistika there, as on every desk).
    assert.deepEqual([...await menu()].sort(), ['nav-help', 'nav-providers', 'nav-settings', 'nav-statistics']);
    assert.equal(await browser.$('#nav-new-application').isExisting(), false, 'no new application');
    // The window opens at Statistika, and a case's address leads there too.
    await browser.execute(() => { window.location.hash = '#/dashboard'; });
    await browser.waitUntil(async () => /#\/statistics/.test(await browser.execute(() => location.hash)),
      { timeout: TIMEOUT, timeoutMsg: 'the dashboard is not the manager\'s' });
    await browser.execute(() => { window.location.hash = '#/cases'; });
    await browser.waitUntil(async () => /#\/statistics/.test(await browser.execute(() => location.hash)),
      { timeout: TIMEOUT, timeoutMsg: 'the case list is not the manager\'s' });
    await browser.$('#stats-summary').waitForDisplayed({ timeout: TIMEOUT });
  });

  await step('the-teams-figures', async () => {
    // All time: every case of the team was received (the manager's desk has none of its own).
    await browser.waitUntil(async () => {
      await browser.$('#stats-kind').selectByAttribute('value', 'all');
      const received = await browser.$('[data-figure="received"] .stat-value').getText().catch(() => '');
      return received === String(katis.length);
    }, { timeout: 60_000, interval: 1000, timeoutMsg: `Statistika does not count the team's ${katis.length} cases` });
    assert.deepEqual(await personalDataShown(), []);
    await screenshot('manager-01-statistics');
    await browser.$('#stats-breakdown').selectByAttribute('value', 'county');
    await browser.waitUntil(async () => (await browser.$$('#stats-groups-card tbody tr')).length > 1,
      { timeout: TIMEOUT, timeoutMsg: 'no breakdown by county' });
    assert.deepEqual(await personalDataShown(), []);
  });

  await step('no-personal-data-on-any-screen', async () => {
    for (const [id, ready] of [['#nav-providers', '#main h1'], ['#nav-settings', '#main h1'], ['#nav-help', '#main h1']]) {
      await click(id);
      await browser.$(ready).waitForDisplayed({ timeout: TIMEOUT });
      await browser.pause(300);
      assert.deepEqual(await personalDataShown(), [], `${id}: a child or a case is shown`);
    }
    // The audit log too (Seaded → Logi).
    await browser.execute(() => { window.location.hash = '#/settings/logi'; });
    await browser.$('#audit-table').waitForDisplayed({ timeout: TIMEOUT });
    assert.deepEqual(await personalDataShown(), []);
    await click('#nav-statistics');
    await browser.$('#stats-summary').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#open-case-button').isExisting(), false);
  });
});
