/**
 * End-to-end: a desk written by an earlier version of SRT Desk — the schema before the latest,
 * the older page format (HMAC-SHA512) — opened in the real app window through tauri-driver.
 * The coordinator types the passphrase on the unlock screen; the app rewrites the file in the
 * current page format and upgrades the schema (the steps behind the unlock screen's bar), and
 * the case written by the earlier version is there to be found. After the app has closed, the
 * file itself is read again: current format, latest schema.
 *
 * The desk is written by `core/examples/older_desk.rs` (the app only writes the current
 * version). The runner starts this file's app without the automation passphrase, so the unlock
 * screen is the one a coordinator meets. Cancelling an upgrade half-way is tested in the core
 * (`store.rs`, `migrate.rs`): a desk this small is upgraded before a click could land.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  TIMEOUT, startApp, skipFirstRun, click, screenshot, step, openCases, searchFor,
} from './helpers.js';

const db = process.env.SRT_DESK_DB;
const tool = process.env.SRT_OLDER_DESK_BIN;
let browser;
let written;

/** Runs the example and reads its "format=… version=… latest=…" line. */
function olderDesk(...args) {
  const out = execFileSync(tool, args, { env: process.env, encoding: 'utf8' });
  return Object.fromEntries(out.trim().split(/\s+/).map((kv) => kv.split('=')));
}

before(async () => {
  assert.ok(tool && existsSync(tool), 'SRT_OLDER_DESK_BIN must point at the built older_desk example');
  assert.ok(!existsSync(db), 'the runner gives this file a fresh path');
  written = olderDesk('write', db);
  assert.equal(written.format, 'legacy');
  assert.ok(Number(written.version) < Number(written.latest), `an older schema: ${JSON.stringify(written)}`);
  browser = await startApp({ stopAtUnlock: true });
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

test('an older desk opens from the unlock screen, upgraded, with its case', { timeout: 180_000 }, async () => {
  await step('unlock-older-desk', async () => {
    assert.equal(await browser.$('#nav-cases').isDisplayed(), false, 'nothing of the desk before the passphrase');
    await screenshot('90-older-desk-unlock');
    await browser.$('#unlock-passphrase').setValue(process.env.SRT_DESK_PASSPHRASE);
    await click('#unlock-submit');
    await skipFirstRun(browser);
    await browser.$('#nav-dashboard').waitForDisplayed({ timeout: TIMEOUT });
    assert.equal(await browser.$('#desk-error').isExisting(), false, 'the desk opened without an error');
    await screenshot('91-older-desk-upgraded');
  });

  await step('older-case-found', async () => {
    await openCases();
    // The case the earlier version wrote, found by the child's name in the search index.
    await searchFor('Õunapuu', 'SRT-2025-00001');
  });
});

test('after the app has closed, the file is in the current format at the latest schema', { timeout: 60_000 }, async () => {
  await browser.deleteSession();
  browser = null;
  // The app has closed its connection; the file is read as it lies on disk.
  const now = olderDesk('show', db);
  assert.equal(now.format, 'current', 'rewritten in the current page format');
  assert.equal(now.version, written.latest, 'the schema upgraded to the latest');
  assert.equal(existsSync(`${db}.rewrite`), false, 'no work file left beside the desk');
});
