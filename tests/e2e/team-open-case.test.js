/**
 * End-to-end: a coordinator opens a colleague's case with a stated reason (issue 28, "Opening
 * any other team case … needs a stated reason, recorded in the audit log"). A real PostgreSQL
 * (pg_virtualenv), a real `srt-server` on 127.0.0.1, the window's desk is Mari's (a
 * coordinator), Kati's is an srt-admin desk with synthetic demo cases. Mari searches Kati's case
 * number, is offered to open the team's case, is refused a reason too short and a number the
 * team does not have (each on its field, what she typed kept), opens it with a reason; the case
 * page says why it is there, the reason is in her audit log and on the server. With the server
 * away the dialog says so and keeps its text; when it is back the same dialog opens the case.
 * All data is synthetic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startApp, click, screenshot, step, openCases } from './helpers.js';
import { startTeamServer, adminDesk, psql } from './team-server.js';

const DB = 'srt_team_open_case_e2e';
let browser;
let team;
let kati;
let mariCode;
/** Two of Kati's case numbers. */
let first;
let second;

before(async () => {
  team = await startTeamServer(DB);
  const katiCode = team.invite('kati', 'Kati Näidis');
  mariCode = team.invite('mari', 'Mari Näidis');
  kati = adminDesk(team.dir, 'kati');
  kati('init');
  kati('demo', '--cases', '4');
  kati('team', 'join', '--server', team.base, '--code', katiCode, '--ca-cert', team.caPath);
  assert.match(kati('sync'), /^pushed \d+, pulled \d+, conflicts 0/);
  const nos = kati('cases').trim().split('\n').map((l) => l.split('\t')[0]);
  assert.ok(nos.length >= 2, nos.join('\n'));
  [first, second] = nos;
  browser = await startApp();
  await browser.setWindowSize(1280, 800);
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (team) await team.stop();
});

const syncLine = () => browser.$('#team-line').getText();
const value = (sel) => browser.$(sel).getValue();
const errorOf = async (id) => {
  const el = browser.$(`#${id}-error`);
  await el.waitForDisplayed({ timeout: 60_000, timeoutMsg: `no message under #${id}` });
  return el.getText();
};

test('a coordinator opens a colleague\'s case with a stated reason: refused without one or for an unknown number, audited, said on the case', { timeout: 600_000 }, async () => {
  await step('mari-joins', async () => {
    await openCases();
    assert.equal(await browser.$('#open-case-button').isExisting(), false, 'a desk not in a team has no colleagues\' cases to open');
    await browser.execute(() => { window.location.hash = '#/settings/meeskond'; });
    await browser.$('#team-join-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#team-join-server').setValue(team.base);
    await browser.$('#team-join-code').setValue(mariCode);
    await browser.$('#team-join-ca').setValue(team.caPath);
    await click('#team-join-submit');
    await browser.$('#team-settings-facts').waitForDisplayed({ timeout: 60_000 });
    await browser.waitUntil(async () => /Sünkroonitud kell \d\d:\d\d/.test(await syncLine()),
      { timeout: 60_000, timeoutMsg: 'the sync line does not say when it synced' });
  });

  await step('search-offers-the-teams-case', async () => {
    await openCases();
    await browser.$('#open-case-button').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#case-count').getText(), '0', 'Kati\'s cases are not on Mari\'s desk');
    await browser.$('#case-search').setValue(first);
    await browser.$('#open-case-offer').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#open-case-offer').getText(), new RegExp(`juhtumit ${first} ei ole`));
    await click('#open-case-offer-button');
    await browser.$('#open-case-dialog').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await value('#open-case-no'), first, 'the number searched for is in the dialog');
    const said = await browser.$('#open-case-dialog').getText();
    assert.match(said, /vähemalt 10 märki/, 'the minimum is told up front');
    assert.match(said, /auditilogisse/);
    assert.match(said, /tänase päeva lõpuni/);
  });

  await step('reason-too-short', async () => {
    await browser.$('#open-case-reason').setValue('abi');
    await click('#open-case-submit');
    assert.match(await errorOf('open-case-reason'), /põhjus \(vähemalt 10 märki\)/);
    assert.equal(await value('#open-case-reason'), 'abi', 'what was typed stays');
    assert.equal(await value('#open-case-no'), first);
    await screenshot('opencase-01-reason-too-short');
    assert.equal(psql(DB, 'SELECT count(*) FROM case_openings'), '0', 'nothing reached the server');
  });

  await step('unknown-number', async () => {
    await browser.$('#open-case-no').setValue('SRT-2026-99999');
    await browser.$('#open-case-reason').setValue('Kati palus helistada emale');
    await click('#open-case-submit');
    assert.match(await errorOf('open-case-no'), /Meeskonnas ei ole juhtumit numbriga SRT-2026-99999/);
    assert.equal(await browser.$('#open-case-reason-error').isDisplayed(), false, 'the reason is fine now');
    assert.equal(await value('#open-case-reason'), 'Kati palus helistada emale');
    await screenshot('opencase-02-unknown-number');
  });

  await step('opens-with-a-reason', async () => {
    await browser.$('#open-case-no').setValue(first);
    await click('#open-case-submit');
    await browser.$('#case-title').waitForDisplayed({ timeout: 60_000 });
    assert.equal(await browser.$('#open-case-dialog').isExisting(), false, 'the dialog closed');
    assert.equal(await browser.$('#case-no').getText(), first);
    assert.equal(await browser.$('#case-coordinator').getText(), 'Kati Näidis');
    const why = await browser.$('#case-opening').getText();
    assert.match(why, /Kolleegi juhtum: avasid selle täna põhjusega „Kati palus helistada emale“/);
    await screenshot('opencase-03-opened-case');
    assert.equal(psql(DB, 'SELECT m.login || \'|\' || o.reason FROM case_openings o JOIN members m ON m.id = o.member_id'),
      'mari|Kati palus helistada emale');
  });

  await step('already-here-opens-at-once', async () => {
    await openCases();
    await click('#open-case-button');
    await browser.$('#open-case-no').setValue(first.toLowerCase());
    await browser.$('#open-case-reason').setValue('Vaatan veel kord üle');
    await click('#open-case-submit');
    await browser.waitUntil(async () => (await browser.$('#case-no').isExisting()) && (await browser.$('#case-no').getText()) === first,
      { timeout: TIMEOUT, timeoutMsg: 'the case on this desk did not open' });
    assert.equal(psql(DB, 'SELECT count(*) FROM case_openings'), '1', 'a case already here is not opened again');
  });

  await step('in-the-audit-log', async () => {
    await browser.execute(() => { window.location.hash = '#/settings/logi'; });
    await browser.$('#audit-table').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#audit-action').selectByAttribute('value', 'team.case.open');
    await browser.waitUntil(async () => {
      const rows = await browser.$$('#audit-table .audit-row');
      return rows.length === 1 && (await rows[0].getAttribute('data-action')) === 'team.case.open';
    }, { timeout: TIMEOUT, timeoutMsg: 'the opening is not in the audit log' });
    const row = await browser.$('#audit-table .audit-row').getText();
    assert.match(row, new RegExp(first));
    assert.match(row, /Kati palus helistada emale/);
    await browser.$('#audit').scrollIntoView({ block: 'start' });
    await screenshot('opencase-04-audit');
  });

  await step('dashboard-search-offers-it-too', async () => {
    await click('#nav-dashboard');
    await browser.$('#global-search').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#global-search').setValue(second);
    await browser.$('#global-open-case-offer').waitForDisplayed({ timeout: TIMEOUT });
    await click('#global-open-case-offer-button');
    await browser.$('#open-case-dialog').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await value('#open-case-no'), second);
    await click('#open-case-cancel');
    await browser.waitUntil(async () => !(await browser.$('#open-case-dialog').isExisting()), { timeout: TIMEOUT });
    assert.equal(psql(DB, 'SELECT count(*) FROM case_openings'), '1', 'cancelled: nothing opened');
  });

  await step('server-away-keeps-the-dialog', async () => {
    await team.halt();
    await openCases();
    await click('#open-case-button');
    await browser.$('#open-case-dialog').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#open-case-no').setValue(second);
    await browser.$('#open-case-reason').setValue('Kati on koolitusel, pere helistas');
    await click('#open-case-submit');
    const banner = browser.$('#open-case-error');
    await banner.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'the dialog does not say the server is away' });
    assert.match(await banner.getText(), /Meeskonna server ei ole kättesaadav/);
    assert.equal(await value('#open-case-no'), second);
    assert.equal(await value('#open-case-reason'), 'Kati on koolitusel, pere helistas');
    await screenshot('opencase-05-server-away');
    await team.serve();
    await click('#open-case-submit');
    await browser.$('#case-opening').waitForDisplayed({ timeout: 60_000 });
    assert.equal(await browser.$('#case-no').getText(), second);
    assert.match(await browser.$('#case-opening').getText(), /Kati on koolitusel, pere helistas/);
  });

  await step('in-english', async () => {
    await browser.execute(() => { window.location.hash = '#/settings'; });
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'en');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'en', { timeout: TIMEOUT });
    await openCases();
    await click('#open-case-button');
    await browser.$('#open-case-no').setValue(second);
    await browser.$('#open-case-reason').setValue('short');
    await click('#open-case-submit');
    assert.match(await errorOf('open-case-reason'), /state the reason \(at least 10 characters\)/);
    assert.match(await browser.$('#open-case-dialog').getText(), /until the end of the day/);
    await screenshot('opencase-06-dialog-en');
    await click('#open-case-cancel');
    await browser.execute(() => { window.location.hash = '#/settings'; });
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'et');
  });
});
