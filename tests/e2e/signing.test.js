/**
 * End-to-end: an approved referral signed with a test token (PIN typed in the app's own
 * field), checked and filed by the app, sent by e-mail to a real SMTP server (aiosmtpd on
 * 127.0.0.1), and the case shows it sent with the date and the challenge deadline.
 *
 * The token is SoftHSM2's, in the folder scripts/test gives this run (SOFTHSM2_CONF, which the
 * app under tauri-driver reads too); the test CA and signer are made here with openssl, no key
 * is committed. The settings (module, trust anchor, SMTP server) are set with srt-admin, as an
 * administrator would.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { TIMEOUT, startApp, click, screenshot, step, clickTwice } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';
const PIN = '1234';
const CHILD_CODE = '61303150029';
const EMAIL = 'zanna.sults@example.ee';

const pad2 = (n) => String(n).padStart(2, '0');
const typed = (d) => `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()}`;
const daysAgo = (n) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - n);
};

let browser;
let smtp;
let work;
let maildir;

const run = (cmd, args, env = {}) => execFileSync(cmd, args, { env: { ...process.env, ...env }, stdio: 'pipe' }).toString();

function makeToken() {
  work = mkdtempSync(join(tmpdir(), 'srt-e2e-signing-'));
  const ca = join(work, 'ca');
  run('openssl', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', `${ca}.key`]);
  run('openssl', ['req', '-x509', '-new', '-sha384', '-days', '3650', '-subj', '/C=EE/O=SRT Desk test/CN=SRT Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-key', `${ca}.key`, '-out', `${ca}.pem`]);
  const me = join(work, 'mari');
  run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', `${me}.key`]);
  run('openssl', ['req', '-new', '-subj', '/C=EE/CN=TAMM\\,MARI\\,48001010000', '-key', `${me}.key`, '-out', `${me}.csr`]);
  writeFileSync(`${me}.ext`, 'keyUsage=critical,nonRepudiation\nbasicConstraints=CA:FALSE\n');
  run('openssl', ['x509', '-req', '-sha384', '-days', '365', '-in', `${me}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`,
    '-CAcreateserial', '-extfile', `${me}.ext`, '-out', `${me}.pem`]);
  run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER', '-in', `${me}.key`, '-out', `${me}.p8`]);
  run('openssl', ['x509', '-outform', 'DER', '-in', `${me}.pem`, '-out', `${me}.der`]);
  assert.ok(process.env.SOFTHSM2_CONF, 'scripts/test gives each run a SoftHSM2 folder');
  run('softhsm2-util', ['--init-token', '--free', '--label', 'mari', '--pin', PIN, '--so-pin', '87654321']);
  for (const [file, type] of [[`${me}.p8`, 'privkey'], [`${me}.der`, 'cert']]) {
    run('pkcs11-tool', ['--module', SOFTHSM, '--token-label', 'mari', '--login', '--pin', PIN, '--write-object', file,
      '--type', type, '--id', '01', '--label', 'signing', ...(type === 'privkey' ? ['--usage-sign'] : [])]);
  }
  return `${ca}.pem`;
}

function python(pkg) {
  const venv = join(root, 'target', 'tmp', `venv-${pkg}`);
  if (!existsSync(join(venv, '.installed'))) {
    run('python3', ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', pkg]);
    writeFileSync(join(venv, '.installed'), '');
  }
  return join(venv, 'bin', 'python');
}

async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startSmtp(port) {
  maildir = join(work, 'maildir');
  smtp = spawn(python('aiosmtpd'), ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aiosmtpd did not listen on ${port}`);
}

before(async () => {
  const caPem = makeToken();
  const port = await freePort();
  await startSmtp(port);
  browser = await startApp();
  const admin = join(dirname(process.env.SRT_DESK_BIN), 'srt-admin');
  run(admin, ['--db', process.env.SRT_DESK_DB, 'signing-settings', '--pkcs11', SOFTHSM, '--trust', caPem,
    '--allow', 'Mari Tamm', '--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-security', 'none',
    '--smtp-from', 'SRT otsused <otsused@example.org>', '--send-b-level', 'true']);
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
  if (smtp) smtp.kill();
});

test('an approved referral is signed with the token, sent by e-mail and shown as sent', { timeout: 300_000 }, async () => {
  await step('signing-approve', async () => {
    await click('#nav-new-application');
    await browser.$('#application-form').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#child-firstName').setValue('Mirtel');
    await browser.$('#child-lastName').setValue('Näidis-Õunapuu');
    await browser.$('#child-personalCode').setValue(CHILD_CODE);
    await browser.$('#child-municipalityCode').selectByAttribute('value', '0784');
    await browser.$('#guardian-0-firstName').setValue('Žanna');
    await browser.$('#guardian-0-lastName').setValue('Šults');
    await browser.$('#guardian-0-email').setValue(EMAIL);
    await browser.$('#guardian-0-postalAddress').setValue('Näidise tn 5-12, 50101 Tartu');
    await browser.$('#guardian-0-language').selectByAttribute('value', 'ru');
    await click('#route-disability');
    await browser.$('#route-severity').selectByAttribute('value', 'severe');
    await browser.$('#applicationDate').setValue(typed(daysAgo(14)));
    await browser.$('#channel').selectByAttribute('value', 'email');
    await click('#application-submit');
    await browser.$('#case-title').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#status-to').selectByAttribute('value', 'in_assessment');
    await click('#status-submit');
    await browser.waitUntil(async () => {
      try {
        return (await browser.$('#case-status').getAttribute('data-status')) === 'in_assessment';
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the case did not move to assessment' });
    const level = (area) => browser.$(`#assessment-area-${area}-level`);
    await level('physical').waitForDisplayed({ timeout: TIMEOUT });
    await level('physical').selectByAttribute('value', 'some');
    await level('psychological').selectByAttribute('value', 'significant');
    await level('social').selectByAttribute('value', 'some');
    await level('cognitive').selectByAttribute('value', 'none');
    await click('#assessment-activity-add');
    await browser.$('#assessment-activity-0-code').selectByAttribute('value', '2010');
    await browser.$('#assessment-activity-0-hours').setValue('40');
    await browser.waitUntil(async () => (await browser.$('#assessment-save-state').getAttribute('data-state')) === 'saved', {
      timeout: TIMEOUT, timeoutMsg: 'the assessment was not saved',
    });
    await browser.$('#assessment-signedOn').setValue(typed(daysAgo(11)));
    await clickTwice('#assessment-sign');
    await browser.$('#assessment-signed').waitForDisplayed({ timeout: TIMEOUT });

    await browser.$('#decisions').scrollIntoView({ block: 'start' });
    await browser.$('#decision-kind').selectByAttribute('value', 'referral');
    await click('#decision-create');
    await browser.$('#decision-editor-title').waitForDisplayed({ timeout: TIMEOUT });
    await browser.$('#decision-decisionDate').setValue(typed(daysAgo(9)));
    await browser.$('#decision-providers').setValue('Näidis Rehabilitatsioonikeskus OÜ, Tartu');
    await browser.waitUntil(async () => {
      try {
        return (await browser.$('#decision-save-state').getAttribute('data-state')) === 'saved';
      } catch {
        return false;
      }
    }, { timeout: TIMEOUT, timeoutMsg: 'the decision draft was not saved' });
    await browser.$('#decision-check-ok').waitForDisplayed({ timeout: TIMEOUT });
    await clickTwice('#decision-approve');
    await browser.$('#decision-number').waitForDisplayed({ timeout: TIMEOUT });
  });

  await step('signing-sign', async () => {
    const state = browser.$('#decision-signature-state');
    await state.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await state.getAttribute('data-state'), 'none');
    assert.equal(await browser.$('#decision-send-email').isEnabled(), false, 'nothing to send before signing');
    // A wrong PIN says so in plain words and signs nothing.
    await browser.$('#decision-pin').setValue('0000');
    await click('#decision-sign');
    const problem = browser.$('#decision-sign-error');
    await problem.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await problem.getText(), /PIN-kood on vale/);
    await browser.$('#decision-pin').setValue(PIN);
    await click('#decision-sign');
    await browser.waitUntil(async () => (await state.getAttribute('data-state')) === 'needs_confirmation',
      { timeout: TIMEOUT, timeoutMsg: 'the decision was not signed' });
    assert.match(await state.getText(), /TAMM,MARI,48001010000/);
    assert.equal(await browser.$('#decision-pin').getValue(), '', 'the PIN does not stay in the field');
    // No time-stamp service is set up: "Kinnita allkiri" says where to set it.
    const confirm = browser.$('#decision-signature-confirm');
    await confirm.waitForDisplayed({ timeout: TIMEOUT });
    await click('#decision-signature-confirm');
    const why = browser.$('#decision-confirm-error');
    await why.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await why.getText(), /Ajatempliteenuse aadress ei ole seadistatud/);
    await browser.$('#decision-sign-form').scrollIntoView({ block: 'center' });
    await screenshot('60-decision-signed');
  });

  await step('signing-digidoc', async () => {
    // WebDriver cannot operate the system's dialogs: they are answered with a path, as a person
    // would. The system program that then opens the PDF is outside the window (under Xvfb there
    // is none: the status line says so).
    const target = join(work, 'otsus-digidoc.pdf');
    await browser.execute((path) => {
      window.__TAURI__.dialog.save = async () => path;
      window.__TAURI__.dialog.open = async () => path.replace(/otsus-digidoc\.pdf$/, 'ca.pem');
    }, target);
    await click('#decision-digidoc-save');
    const status = browser.$('#decision-digidoc-status');
    await browser.waitUntil(async () => (await status.getText()).includes('otsus-digidoc.pdf'),
      { timeout: TIMEOUT, timeoutMsg: 'the PDF for DigiDoc4 was not saved' });
    assert.ok(readFileSync(target).subarray(0, 5).toString() === '%PDF-', 'the approved PDF is saved');
    assert.ok(await browser.$('#decision-digidoc-open').isExisting(), 'it can be opened again from here');
    // Not a signed container (the CA file picked by mistake): refused in plain words.
    await click('#decision-container-add');
    const problem = browser.$('#decision-digidoc-error');
    await problem.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await problem.getText(), /ei ole digiallkirja konteiner/);
    assert.equal(await browser.$('#decision-signature-state').getAttribute('data-state'), 'needs_confirmation',
      'the signature filed before stays');

    // The cover page for post: the addressee, the number and the Board's return address.
    const cover = join(work, 'umbrik.pdf');
    await browser.execute((path) => { window.__TAURI__.dialog.save = async () => path; }, cover);
    await click('#decision-cover-page');
    await browser.waitUntil(async () => (await browser.$('#decision-cover-status').getText()).includes('umbrik.pdf'),
      { timeout: TIMEOUT, timeoutMsg: 'the cover page was not saved' });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', cover, '-'], { encoding: 'utf8' });
    for (const expected of ['Žanna Šults', 'Otsus nr K000001', 'Sotsiaalkindlustusamet']) {
      assert.ok(text.includes(expected), `the cover page has "${expected}":\n${text}`);
    }
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', cover, join(process.env.SRT_E2E_ARTIFACTS ?? work, '63-cover-page')]);
    await browser.$('#decision-digidoc').scrollIntoView({ block: 'center' });
    await screenshot('63-decision-digidoc');
  });

  await step('signing-dashboard', async () => {
    // The signed, unsent decision waits on the dashboard; its row opens the decision.
    await click('#nav-dashboard');
    const row = browser.$('[data-kind="decision_waiting"] a[data-reason="needs_confirmation"]');
    await row.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await row.getText(), /Allkiri vajab kinnitust/);
    assert.match(await row.getText(), /K000001/);
    await row.scrollIntoView({ block: 'center' });
    await screenshot('62-dashboard-signing');
    await click('[data-kind="decision_waiting"] a[data-reason="needs_confirmation"]');
    const state = browser.$('#decision-signature-state');
    await state.waitForDisplayed({ timeout: TIMEOUT });
    await browser.waitUntil(async () => (await state.getAttribute('data-state')) === 'needs_confirmation',
      { timeout: TIMEOUT, timeoutMsg: 'the dashboard row did not open the decision' });
  });

  await step('signing-send', async () => {
    await click('#decision-send-email');
    await browser.$('#decision-delivered').waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await browser.$('#case-notice').getText(), /saadetud e-postiga/);
    const today = typed(new Date());
    assert.match(await browser.$('#decision-delivered').getText(), new RegExp(today.replace(/\./g, '\\.')));
    const challenge = browser.$('#deadlines [data-kind="challenge_period"]');
    await challenge.waitForExist({ timeout: TIMEOUT });
    assert.match((await challenge.getAttribute('data-due')) ?? '', /^\d{4}-\d{2}-\d{2}$/);
    await browser.execute(() => window.scrollTo(0, 0));
    await screenshot('61-decision-sent');

    const out = join(work, 'received');
    run('mkdir', ['-p', out]);
    const got = run(python('aiosmtpd'), [join(root, 'core', 'tests', 'support', 'read_maildir.py'), maildir, out]);
    assert.match(got, new RegExp(`TO ${EMAIL}`));
    assert.match(got, /Здравствуйте/, "the letter is in the guardian's Russian");
    assert.match(got, /ATTACHMENT otsus-K000001\.asice application\/vnd\.etsi\.asic-e\+zip/);
    assert.ok(readFileSync(join(out, 'otsus-K000001.asice')).length > 1000, 'the container arrived');
  });
});

test('Settings → Allkirjastamine ja saatmine shows the settings, refuses a bad address under its field and saves', { timeout: 120_000 }, async () => {
  await step('signing-settings', async () => {
    await click('#nav-settings');
    const module = browser.$('#signing-settings-pkcs11Module');
    await module.waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await module.getValue(), SOFTHSM, 'the module srt-admin set');
    assert.match(await browser.$('#signing-settings-trustAnchors').getValue(), /BEGIN CERTIFICATE/);
    assert.equal(await browser.$('#signing-settings-smtpHost').getValue(), '127.0.0.1');
    await browser.$('#signing-settings-tsaUrl').setValue('tsa.example.org');
    await browser.$('#signing-settings-pkcs11Slot').setValue('0');
    await click('#signing-settings-save');
    const error = browser.$('#signing-settings-tsaUrl-error');
    await error.waitForDisplayed({ timeout: TIMEOUT });
    assert.match(await error.getText(), /http:\/\/ või https:\/\//);
    await browser.$('#signing-settings-form').scrollIntoView({ block: 'start' });
    await screenshot('64-settings-signing-refused');
    await browser.$('#signing-settings-tsaUrl').clearValue();
    await click('#signing-settings-save');
    const message = browser.$('#signing-settings-message');
    await browser.waitUntil(async () => /salvestatud/.test(await message.getText()),
      { timeout: TIMEOUT, timeoutMsg: 'the settings were not saved' });
    assert.equal(await browser.$('#signing-settings-pkcs11Slot').getValue(), '0', 'the slot is kept');

    // The password goes to the OS credential store (or the window says it cannot be reached).
    const state = browser.$('#signing-smtp-password-state');
    assert.equal(await state.getAttribute('data-saved'), 'false');
    await browser.$('#signing-smtp-password').setValue('e2e synthetic smtp password');
    await click('#signing-smtp-password-save');
    await browser.waitUntil(async () => {
      const saved = await browser.$('#signing-smtp-password-state').getAttribute('data-saved').catch(() => null);
      const failed = await browser.$('#signing-smtp-password-general').isDisplayed().catch(() => false);
      return saved === 'true' || failed;
    }, { timeout: TIMEOUT, timeoutMsg: 'the password save gave no answer' });
    const saved = await browser.$('#signing-smtp-password-state').getAttribute('data-saved');
    if (saved === 'true') {
      assert.match(await browser.$('#signing-smtp-password-state').getText(), /võtmehoidlas/);
    } else {
      assert.match(await browser.$('#signing-smtp-password-general').getText(), /võtmehoidja\) ei ole kättesaadav/);
    }
    assert.equal(await browser.$('#signing-smtp-password').getValue(), '', 'the password does not stay in the field');
    await browser.$('#signing-settings').scrollIntoView({ block: 'start' });
    await screenshot('65-settings-signing');
  });
});
