/**
 * End-to-end: case data copied from the app is cleared from the system clipboard after 30 s,
 * through tauri-driver (WebDriver) under Xvfb, read back with xclip (the runner gives this file
 * its own SRT_DESK_DB and DISPLAY).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TIMEOUT, startApp, click, step, openCases, openFirstCase, openDemoDesk } from './helpers.js';

let browser;

before(async () => {
  browser = await startApp();
});

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

/** The clipboard's text, or '' when it holds none. */
function clipboardText() {
  try {
    return execFileSync('xclip', ['-o', '-selection', 'clipboard'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

test('a case number copied from a case is gone from the clipboard after 30 seconds', { timeout: 150_000 }, async () => {
  await step('clipboard', async () => {
    // The demo desk (a separate file beside the real desk) with its cases.
    await openDemoDesk();
    await openFirstCase();
    const caseNo = (await browser.$('#case-no').getText()).trim();

    await browser.execute(() => {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('#case-no'));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    });
    await browser.keys(['Control', 'c']);
    await browser.waitUntil(async () => clipboardText().trim() === caseNo,
      { timeout: TIMEOUT, timeoutMsg: 'the case number did not reach the clipboard' });
    const copiedAt = Date.now();

    await browser.waitUntil(async () => clipboardText().trim() === '',
      { timeout: 60_000, interval: 1000, timeoutMsg: 'the clipboard still holds the case number' });
    const after = (Date.now() - copiedAt) / 1000;
    assert.ok(after >= 25, `cleared after ${after} s, not before about 30 s`);
  });
});
