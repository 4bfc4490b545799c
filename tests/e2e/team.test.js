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
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { TIMEOUT, startApp, click, clickTwice, screenshot, step } from './helpers.js';

let browser;
let server;
let base;
let caPath;
let leadCode;

function psql(db, sql) {
  return execFileSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { encoding: 'utf8' }).trim();
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function makeCerts(dir) {
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=SRT desk e2e CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem',
    '-days', '2', '-extfile', 'server.ext']);
}

before(async () => {
  assert.ok(process.env.PGHOST, 'run inside pg_virtualenv (scripts/test does for this file)');
  const bin = process.env.SRT_SERVER_BIN || join(dirname(process.env.SRT_DESK_BIN), 'srt-server');
  assert.ok(existsSync(bin), `srt-server is built beside the app (${bin})`);
  const dir = mkdtempSync(join(tmpdir(), 'srt-team-e2e-'));
  makeCerts(dir);
  caPath = join(dir, 'ca.pem');
  psql('postgres', 'DROP DATABASE IF EXISTS srt_team_e2e WITH (FORCE)');
  psql('postgres', 'CREATE DATABASE srt_team_e2e');
  const url = `host=${process.env.PGHOST} port=${process.env.PGPORT} user=${process.env.PGUSER} password=${process.env.PGPASSWORD} dbname=srt_team_e2e`;
  const init = execFileSync(bin, ['init', '--database-url', url], { encoding: 'utf8' });
  leadCode = init.split('\n').find((l) => l.startsWith('join code: ')).slice('join code: '.length);
  const port = await freePort();
  base = `https://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--database-url', url, '--listen', `127.0.0.1:${port}`,
    '--tls-cert', join(dir, 'server.pem'), '--tls-key', join(dir, 'server.key')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('srt-server did not start listening')), 60_000);
    server.stdout.on('data', (chunk) => {
      if (String(chunk).includes('"message":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (server) {
    const gone = new Promise((resolve) => server.once('exit', resolve));
    server.kill();
    await gone;
  }
  // The cluster of pg_virtualenv is dropped after this file: nobody may stay connected.
  try { psql('postgres', 'DROP DATABASE IF EXISTS srt_team_e2e WITH (FORCE)'); } catch { /* already gone */ }
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
    assert.match(await browser.$('#team-sub-table').getText(), /kati\s*lead\s*\d\d\.\d\d\.\d{4}/);
    await screenshot('team-03-screen');
    const cancel = await browser.$('#team-sub-table button');
    const id = await cancel.getAttribute('id');
    await clickTwice(`#${id}`);
    await browser.waitUntil(async () => /tühistatud/.test(await browser.$('#team-sub-table').getText()),
      { timeout: TIMEOUT, timeoutMsg: 'the cancelled substitution is not kept in the history' });
    await screenshot('team-04-cancelled');
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
