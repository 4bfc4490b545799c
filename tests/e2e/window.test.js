/**
 * End-to-end: the window remembers its size (tauri-plugin-window-state). The coordinator makes
 * the window smaller, closes the app, starts it again: it opens at the size it was left at. At
 * the end the default size is put back and saved, so that the other test files see the window
 * they expect. (Without a window manager under Xvfb the position is the X server's to give, so
 * only the size is compared.)
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, screenshot, step } from './helpers.js';

let browser;

after(async () => {
  if (browser) await browser.deleteSession().catch(() => {});
});

/** Close the window and end the session (the app is ended with it). */
async function closeApp() {
  await browser.closeWindow().catch(() => {});
  await browser.deleteSession().catch(() => {});
  browser = undefined;
  // The app writes its window state while it exits.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

const near = (a, b) => Math.abs(a - b) <= 4;
/** The size tauri.conf.json opens a first window at. */
const DEFAULT = { width: 1280, height: 820 };

test('the window opens at the size it was closed at', { timeout: 240_000 }, async () => {
  await step('window-resize', async () => {
    browser = await startApp();
    await browser.setWindowRect(null, null, 1040, 690);
    await browser.waitUntil(async () => near((await browser.getWindowRect()).width, 1040),
      { timeout: 10_000, timeoutMsg: 'the window did not take the new size' });
    await screenshot('90-window-resized');
    // The app saves the size half a second after the last resize (WebDriver's close ends the
    // app without the normal exit that would save it too).
    await browser.pause(1500);
    await closeApp();
  });
  await step('window-restored', async () => {
    browser = await startApp();
    const again = await browser.getWindowRect();
    assert.ok(near(again.width, 1040) && near(again.height, 690),
      `the window opened at ${again.width}×${again.height}, not at the 1040×690 it was closed at`);
    await screenshot('91-window-restored');
  });
  await step('window-default-back', async () => {
    await browser.setWindowRect(null, null, DEFAULT.width, DEFAULT.height);
    await browser.waitUntil(async () => near((await browser.getWindowRect()).width, DEFAULT.width),
      { timeout: 10_000 });
    await browser.pause(1500);
    await closeApp();
  });
});
