import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platformOf } from '../platform.js';

test('the system is read from the navigator the window has', () => {
  // What the app's engines report: WebKitGTK on Linux, WebView2 on Windows, WKWebView on macOS.
  assert.equal(platformOf({ platform: 'Linux x86_64', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15' }), 'linux');
  assert.equal(platformOf({ userAgent: 'Mozilla/5.0 (X11; Ubuntu; Linux aarch64) AppleWebKit/605.1.15' }), 'linux');
  assert.equal(platformOf({ userAgentData: { platform: 'Windows' }, platform: 'Win32' }), 'windows');
  assert.equal(platformOf({ platform: 'Win32' }), 'windows');
  assert.equal(platformOf({ platform: 'MacIntel' }), 'mac');
  assert.equal(platformOf({ userAgentData: { platform: 'macOS' } }), 'mac');
  assert.equal(platformOf({ userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36' }), 'other');
  assert.equal(platformOf({}), 'other');
  assert.equal(platformOf(undefined), 'other');
});
