/**
 * End-to-end: the window remembers its size (tauri-plugin-window-state). The coordinator makes
 * the window smaller, closes the app, starts it again: it opens at the size it was left at. At
 * the end the default size is put back and saved, so that the other test files see the window
 * they expect. (Without a window manager under Xvfb the position is the X server's to give, so
 * only the size is compared.)
 *
 * And how the page is painted: on a machine without a GPU (as here) the app has WebKit paint on
 * the CPU instead of emulating OpenGL in software (src-tauri/src/rendering.rs; ~100 MB less for
 * WebKit's web content process), and the screens are looked at through that path.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** The environment a process started with, as name → value. */
function environOf(pid) {
  const env = new Map();
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return env;
}

/** The running processes: pid, parent and command line (its arguments separated by NULs). */
function processes() {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'latin1');
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      return [{ pid: Number(pid), ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]), cmd }];
    } catch {
      return []; // ended meanwhile
    }
  });
}

test('without a GPU the page is painted on the CPU without composing layers, with one the choice is WebKit\'s', {
  timeout: 120_000, skip: process.platform !== 'linux',
}, async () => {
  const gpu = existsSync('/dev/dri') && readdirSync('/dev/dri').some((n) => n.startsWith('renderD'));
  browser = await startApp();
  // The app is the process running SRT_DESK_BIN; WebKit's web content process is its child.
  const bin = process.env.SRT_DESK_BIN;
  const running = processes();
  const apps = running.filter((p) => p.cmd.split('\0')[0] === bin);
  assert.equal(apps.length, 1, `one app process runs ${bin}`);
  const app = apps[0].pid;
  const web = running.filter((p) => p.ppid === app && p.cmd.includes('WebKitWebProcess'));
  assert.ok(web.length >= 1, 'the app has a WebKit web content process');
  // /proc's environ is what the app was started with: a value there is the user's.
  for (const name of ['WEBKIT_SKIA_ENABLE_CPU_RENDERING', 'WEBKIT_DISABLE_COMPOSITING_MODE']) {
    const set = environOf(app).get(name);
    for (const w of web) {
      const painted = environOf(w.pid).get(name);
      if (set !== undefined) {
        assert.equal(painted, set, `${name}: a value the user set is passed on unchanged`);
      } else if (gpu) {
        assert.equal(painted, undefined, `${name}: with a GPU, WebKit chooses`);
      } else {
        assert.equal(painted, '1', `${name}: without a GPU, the web content process has it set`);
      }
    }
  }
  await screenshot('92-painted-on-cpu');
  await closeApp();
});

// style.css: on Linux the pages ask for the system's generic fonts, which fontconfig answers at
// once, not for a list of families most systems lack (each asked again per weight and size: the
// first case view in a fresh document spent ~200 ms there).
test('on Linux the pages use the system\'s own sans-serif and monospace fonts', {
  timeout: 120_000, skip: process.platform !== 'linux',
}, async () => {
  browser = await startApp();
  const fonts = await browser.execute(() => {
    const mono = document.createElement('span');
    mono.className = 'mono';
    document.body.append(mono);
    const out = {
      platform: document.documentElement.dataset.platform,
      body: getComputedStyle(document.body).fontFamily,
      heading: getComputedStyle(document.querySelector('#main h1')).fontFamily,
      mono: getComputedStyle(mono).fontFamily,
    };
    mono.remove();
    return out;
  });
  assert.deepEqual(fonts, { platform: 'linux', body: 'sans-serif', heading: 'sans-serif', mono: 'monospace' });
  await closeApp();
});
