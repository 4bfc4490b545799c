/**
 * End-to-end: the team desk seen from two desks (issue 28, "End-to-end in the real window").
 * A real PostgreSQL (pg_virtualenv), a real `srt-server` on 127.0.0.1, and three real encrypted
 * desks: the window's is Mari's (a coordinator); Kati's (a colleague, with synthetic demo cases)
 * and the lead's are srt-admin desks joined to the same server (their device tokens in the same
 * Secret Service as the app's). The lead records that Mari stands in for Kati; after "Sünkrooni"
 * Mari's window shows Kati's cases and filters by coordinator; the same status is changed on
 * Kati's desk and, while the server is away, in Mari's window: the conflict appears on Mari's
 * dashboard with both values, is resolved there, and Kati's desk has the choice after its sync.
 * When the substitution is cancelled, Kati's cases leave Mari's window. All data is synthetic.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { TIMEOUT, startApp, click, screenshot, step, openCases, openFirstCase } from './helpers.js';
import { startTeamServer, adminDesk, psql } from './team-server.js';

let browser;
let team;
let kati;
let lead;
let mariCode;
let subId;
/** Kati's case that both desks change (number, status before). */
let shared;

const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

before(async () => {
  team = await startTeamServer('srt_team_desks_e2e');
  const katiCode = team.invite('kati', 'Kati Näidis');
  mariCode = team.invite('mari', 'Mari Näidis');
  lead = adminDesk(team.dir, 'lead');
  lead('init');
  lead('team', 'join', '--server', team.base, '--code', team.leadCode, '--ca-cert', team.caPath);
  lead('sync');
  // Kati's laptop held synthetic cases before the team existed: they go up at her first sync.
  kati = adminDesk(team.dir, 'kati');
  kati('init');
  kati('demo', '--cases', '15');
  kati('team', 'join', '--server', team.base, '--code', katiCode, '--ca-cert', team.caPath);
  assert.match(kati('sync'), /^pushed \d+, pulled \d+, conflicts 0/);
  const cases = kati('cases').trim().split('\n').map((l) => l.split('\t'));
  assert.ok(cases.length >= 15, cases.join('\n'));
  assert.ok(cases.every((c) => c[3] === 'kati'), 'Kati is responsible for her cases');
  // One in assessment: from there Kati marks it incomplete and Mari decided.
  const row = cases.find((c) => c[2] === 'in_assessment');
  assert.ok(row, `a case in assessment among Kati's: ${cases.map((c) => c[2]).join(' ')}`);
  shared = { no: row[0], child: row[1] };
  browser = await startApp();
  await browser.setWindowSize(1280, 800);
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (team) await team.stop();
});

async function syncLine() {
  return browser.$('#team-line').getText();
}

async function syncNow() {
  await click('#team-sync');
  await browser.waitUntil(async () => /Sünkroonitud kell|Synced at/.test(await syncLine()) && !/Sünkroonin|Syncing/.test(await syncLine()),
    { timeout: 60_000, timeoutMsg: 'Sünkrooni did not end in a synced line' });
}

/**
 * Opens the case list again until it counts `n`, pressing Sünkrooni again as a coordinator would:
 * a press while the automatic sync runs (it starts by itself after joining) starts no second
 * sync, and that one may have pulled before the lead's change.
 */
async function casesUntil(n, timeoutMsg) {
  await browser.waitUntil(async () => {
    // The list drawn afresh (a click on the menu's own page draws nothing new).
    await click('#nav-dashboard');
    await openCases();
    if ((await caseCount()) === n) return true;
    if (await browser.$('#team-sync').isEnabled()) await click('#team-sync');
    return false;
  }, { timeout: 60_000, interval: 2000, timeoutMsg }).catch((e) => {
    // What the server held, for reading the failure.
    const seen = ['SELECT id, absent_id, substitute_id, from_date, to_date, cancelled_at, current_date FROM substitutions',
      'SELECT owner_id, count(*) FROM cases GROUP BY owner_id', 'SELECT device_id, count(*) FROM device_cases GROUP BY device_id',
      'SELECT id, login FROM members']
      .map((q) => psql('srt_team_desks_e2e', q)).join('\n');
    e.message += `\nserver: ${seen}`;
    try {
      const bin = join(dirname(process.env.SRT_DESK_BIN), 'srt-admin');
      e.message += `\nwindow desk cases: ${execFileSync(bin, ['--db', process.env.SRT_DESK_DB, 'cases'], { encoding: 'utf8' })}`;
    } catch (x) { e.message += `\nsrt-admin cases failed: ${x.stderr ?? x}`; }
    try {
      const log = readFileSync(join(dirname(process.env.SRT_DESK_DB), 'logs', 'srt-desk.log'), 'utf8');
      e.message += `\ndesk log:\n${log.split('\n').filter((l) => !l.includes('"pushed":0,"pulled":0')).slice(-40).join('\n')}`;
    } catch { /* no log */ }
    throw e;
  });
}

async function caseCount() {
  const count = browser.$('#case-count');
  await browser.waitUntil(async () => (await count.getText()) !== '', { timeout: TIMEOUT, timeoutMsg: 'no count' });
  return Number(await count.getText());
}

/** The values of the coordinator filter's options. */
async function filterOptions(id) {
  return browser.execute((sel) => [...document.querySelectorAll(`${sel} option`)].map((o) => o.value), `#${id}`);
}

/** The dashboard's case counts: [total, …by status], each with the list it links to. */
async function statusCounts() {
  await browser.$('.count-card').waitForExist({ timeout: TIMEOUT });
  return browser.execute(() => [...document.querySelectorAll('.count-card')]
    .map((a) => ({ status: a.dataset.status ?? '', n: Number(a.querySelector('.count-number').textContent), href: a.getAttribute('href') })));
}

/** The sum of the dashboard's four urgency counters. */
async function dashboardTotal() {
  await browser.$('#dash-overdue').waitForExist({ timeout: TIMEOUT });
  return browser.execute(() => ['overdue', 'today', 'week', 'later']
    .reduce((n, u) => n + Number(document.getElementById(`dash-${u}`)?.dataset.count ?? 0), 0));
}

test('the substitute sees the colleague\'s cases after Sünkrooni, filters by coordinator, resolves a conflict; they leave after the substitution', { timeout: 600_000 }, async () => {
  await step('not-joined-no-filter', async () => {
    await openCases();
    assert.equal(await browser.$('#case-coordinator-filter').isExisting(), false, 'a desk not in a team has no coordinator filter');
  });

  await step('mari-joins', async () => {
    await browser.execute(() => { window.location.hash = '#/settings/meeskond'; });
    await browser.$('#team-join-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#team-join-server').setValue(team.base);
    await browser.$('#team-join-code').setValue(mariCode);
    await browser.$('#team-join-ca').setValue(team.caPath);
    await click('#team-join-submit');
    await browser.$('#team-settings-facts').waitForDisplayed({ timeout: 60_000 });
    await browser.waitUntil(async () => /Sünkroonitud kell \d\d:\d\d/.test(await syncLine()),
      { timeout: 60_000, timeoutMsg: 'the sync line does not say when it synced' });
    await openCases();
    assert.equal(await caseCount(), 0, 'Mari holds no colleague\'s case before the substitution');
  });

  await step('substitution-reaches-the-window', async () => {
    const out = lead('team', 'substitute', '--absent', 'kati', '--by', 'mari', '--from', day(-1), '--to', day(7));
    subId = out.match(/substitution (\d+)/)[1];
    await syncNow();
    await casesUntil(15, 'Kati\'s cases did not arrive');
    assert.match(await browser.$('#case-table').getText(), new RegExp(shared.no));
    assert.deepEqual(await filterOptions('case-coordinator-filter'), ['', 'mari', 'kati']);
  });

  await step('case-list-filter', async () => {
    await browser.$('#case-coordinator-filter').selectByAttribute('value', 'mari');
    await browser.waitUntil(async () => (await caseCount()) === 0, { timeout: TIMEOUT, timeoutMsg: 'mine is not empty' });
    await browser.$('#case-coordinator-filter').selectByAttribute('value', 'kati');
    await browser.waitUntil(async () => (await caseCount()) === 15, { timeout: TIMEOUT, timeoutMsg: 'Kati\'s are not 15' });
    assert.match(await browser.execute(() => location.hash), /coordinator=kati/);
    // Each row names its responsible coordinator under its status.
    const named = await browser.execute(() => [...document.querySelectorAll('#case-table .case-coordinator')].map((e) => e.textContent));
    assert.equal(named.length, 15);
    assert.ok(named.every((n) => n.startsWith('Kati')), named.join(', '));
    await screenshot('teamdesks-01-cases-kati');
    // Back from a case returns to the same filtered list.
    await openFirstCase();
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    await browser.back();
    await browser.$('#case-coordinator-filter').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#case-coordinator-filter').getValue(), 'kati');
    assert.equal(await caseCount(), 15);
  });

  await step('dashboard-filter', async () => {
    await click('#nav-dashboard');
    const all = await dashboardTotal();
    await browser.$('#dash-coordinator-filter').selectByAttribute('value', 'mari');
    await browser.waitUntil(async () => /coordinator=mari/.test(await browser.execute(() => location.hash)), { timeout: TIMEOUT });
    await browser.waitUntil(async () => (await browser.$('#dash-coordinator-filter').getValue()) === 'mari', { timeout: TIMEOUT });
    // Mari has no case of her own: under "mine" only what belongs to no case (the team's partner
    // reminders that came with Kati's desk), no row of a case.
    const mine = await dashboardTotal();
    // Every count follows the filter: by status too (Mari has no case of her own), and each
    // count opens the list of the same coordinator's cases.
    const mineByStatus = await statusCounts();
    assert.ok(mineByStatus.every((c) => c.n === 0), JSON.stringify(mineByStatus));
    assert.ok(mineByStatus.every((c) => /coordinator=mari/.test(c.href)), JSON.stringify(mineByStatus));
    assert.deepEqual(await browser.execute(() => [...document.querySelectorAll('#main a[href^="#/cases/"]')]
      .filter((a) => /^#\/cases\/\d+/.test(a.getAttribute('href'))).map((a) => a.getAttribute('href'))), [],
      'Mari has no case of her own');
    await browser.$('#dash-coordinator-filter').selectByAttribute('value', 'kati');
    await browser.waitUntil(async () => (await browser.$('#dash-coordinator-filter').getValue()) === 'kati', { timeout: TIMEOUT });
    assert.equal(await dashboardTotal() + mine, all, 'every case row of this desk is Kati\'s');
    const katisByStatus = await statusCounts();
    assert.equal(katisByStatus[0].n, 15, JSON.stringify(katisByStatus));
    assert.equal(katisByStatus.slice(1).reduce((n, c) => n + c.n, 0), 15);
    // A count opens the same coordinator's list with the same number of cases.
    const someStatus = katisByStatus.slice(1).find((c) => c.n > 0);
    await click(`.count-card[data-status="${someStatus.status}"]`);
    await browser.waitUntil(async () => (await browser.$('#case-count').getText()) === String(someStatus.n),
      { timeout: TIMEOUT, timeoutMsg: `the list of ${someStatus.status} does not count ${someStatus.n}` });
    assert.equal(await browser.$('#case-coordinator-filter').getValue(), 'kati');
    await browser.back();
    await browser.$('#dash-coordinator-filter').waitForDisplayed({ timeout: TIMEOUT });
    await screenshot('teamdesks-02-dashboard-kati');
    await browser.back();
    await browser.waitUntil(async () => (await browser.$('#dash-coordinator-filter').getValue()) === 'mari', { timeout: TIMEOUT, timeoutMsg: 'Back did not return to the filter before' });
  });

  await step('same-field-on-two-desks', async () => {
    // Kati marks the case incomplete on her laptop (sent later).
    assert.match(kati('case-status', '--case-no', shared.no, '--to', 'incomplete', '--reason', 'Puudub arstitõend'), /\tincomplete$/m);
    // Mari, in her window, while the server is away: the change waits on her desk.
    await team.halt();
    await openCases();
    await browser.$('#case-search').setValue(shared.no);
    await browser.waitUntil(async () => (await caseCount()) === 1, { timeout: TIMEOUT });
    await openFirstCase();
    // The case names its responsible coordinator: Kati, not the desk's own.
    assert.equal(await browser.$('#case-coordinator').getText(), 'Kati Näidis');
    await browser.$('#status-to').selectByAttribute('value', 'decided');
    await browser.$('#status-reason').setValue('Hindamine lõpetatud');
    await click('#status-submit');
    await browser.waitUntil(async () => (await browser.$('#case-status').getAttribute('data-status')) === 'decided',
      { timeout: TIMEOUT, timeoutMsg: 'the status did not change in the window' });
    assert.equal(await browser.$('#case-coordinator').getText(), 'Kati Näidis', 'still Kati\'s after the change');
    await browser.waitUntil(async () => /Ühenduseta/.test(await syncLine()) && /ootab saatmist/.test(await syncLine()),
      { timeout: 60_000, timeoutMsg: 'the line does not say offline with changes waiting' });
    await screenshot('teamdesks-03-offline-waiting');
    // The server is back; Kati's change gets there first.
    await team.serve();
    assert.match(kati('sync'), /conflicts 0/);
  });

  await step('conflict-on-the-dashboard', async () => {
    await syncNow();
    await browser.waitUntil(async () => /Konflikte: 1/.test(await syncLine()), { timeout: TIMEOUT, timeoutMsg: 'the line does not count the conflict' });
    await click('#nav-dashboard');
    await browser.$('#conflicts').waitForDisplayed({ timeout: TIMEOUT });
    const row = await browser.$('#conflicts .conflict-row');
    assert.match(await row.getText(), new RegExp(shared.no));
    await row.click();
    await browser.$('#conflict-mine-status').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#conflict-mine-status').getText(), /Otsus tehtud/);
    assert.match(await browser.$('#conflict-theirs-status').getText(), /Puudulik/);
    // Whose the other version is, by name; a status is kept, not merged as text.
    assert.match(await browser.$('#conflict-panel').getText(), /Teise versioon \(Kati Näidis\)/);
    assert.equal(await browser.$('#conflict-merge').isExisting(), false);
    assert.equal(await browser.$('#conflict-merge-status').isExisting(), false);
    await browser.$('#conflict-panel').scrollIntoView({ block: 'start' });
    await screenshot('teamdesks-04-conflict-et');
  });

  await step('conflict-in-english', async () => {
    await browser.execute(() => { window.location.hash = '#/settings'; });
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'en');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'en', { timeout: TIMEOUT });
    await click('#nav-dashboard');
    await click('#conflicts .conflict-row');
    await browser.$('#conflict-mine-status').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#conflict-theirs-status').getText(), /Incomplete/);
    await browser.$('#conflict-panel').scrollIntoView({ block: 'start' });
    await screenshot('teamdesks-05-conflict-en');
    await browser.execute(() => { window.location.hash = '#/settings'; });
    await browser.$('#settings-language').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#settings-language').selectByAttribute('value', 'et');
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'et', { timeout: TIMEOUT });
  });

  await step('resolve-keep-mine', async () => {
    await click('#nav-dashboard');
    await click('#conflicts .conflict-row');
    await click('#conflict-keep-mine');
    await browser.waitUntil(async () => !(await browser.$('#conflicts').isExisting()), { timeout: TIMEOUT, timeoutMsg: 'the conflict stayed' });
    await browser.waitUntil(async () => !/Konflikte/.test(await syncLine()), { timeout: TIMEOUT, timeoutMsg: 'the line still counts a conflict' });
    // Kati's desk has Mari's choice after its sync.
    kati('sync');
    const line = kati('cases').split('\n').find((l) => l.startsWith(`${shared.no}\t`));
    assert.equal(line.split('\t')[2], 'decided', line);
  });

  await step('substitution-ends', async () => {
    lead('team', 'cancel-substitution', '--id', subId);
    await syncNow();
    await casesUntil(0, 'Kati\'s cases stayed on Mari\'s desk');
    assert.deepEqual(await filterOptions('case-coordinator-filter'), ['', 'mari']);
    await screenshot('teamdesks-06-after-substitution');
    // Still on Kati's laptop.
    assert.equal(kati('cases').trim().split('\n').length, 15);
  });
});
