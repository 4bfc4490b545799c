import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLockShortcut, isMacPlatform, lockShortcutLabel } from '../lock-shortcut.js';

const key = (props) => ({ key: 'l', code: 'KeyL', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, repeat: false, ...props });

test('Ctrl+L locks on every platform', () => {
  assert.equal(isLockShortcut(key({ ctrlKey: true }), false), true);
  assert.equal(isLockShortcut(key({ ctrlKey: true }), true), true);
  assert.equal(isLockShortcut(key({ ctrlKey: true, key: 'L' }), false), true, 'Caps Lock on');
});

test('Cmd+L locks on macOS only', () => {
  assert.equal(isLockShortcut(key({ metaKey: true }), true), true);
  assert.equal(isLockShortcut(key({ metaKey: true }), false), false);
});

test('typing an l, or other combinations, does not lock', () => {
  assert.equal(isLockShortcut(key({}), false), false);
  assert.equal(isLockShortcut(key({ ctrlKey: true, shiftKey: true }), false), false);
  assert.equal(isLockShortcut(key({ ctrlKey: true, altKey: true }), false), false, 'AltGr combinations type characters');
  assert.equal(isLockShortcut(key({ ctrlKey: true, key: 'k', code: 'KeyK' }), false), false);
  assert.equal(isLockShortcut(key({ ctrlKey: true, repeat: true }), false), false, 'holding the keys locks once');
});

test('the letter decides on Latin layouts, the key position on others', () => {
  // Dvorak: the key in the L position types "n".
  assert.equal(isLockShortcut(key({ ctrlKey: true, key: 'n', code: 'KeyL' }), false), false);
  // Russian layout: the L position types "д".
  assert.equal(isLockShortcut(key({ ctrlKey: true, key: 'д', code: 'KeyL' }), false), true);
});

test('the shortcut is written the way the platform writes it', () => {
  assert.equal(lockShortcutLabel(false), 'Ctrl+L');
  assert.equal(lockShortcutLabel(true), '⌘L');
  assert.equal(isMacPlatform({ platform: 'MacIntel' }), true);
  assert.equal(isMacPlatform({ platform: 'Linux x86_64' }), false);
  assert.equal(isMacPlatform({ userAgentData: { platform: 'macOS' } }), true);
  assert.equal(isMacPlatform(undefined), false);
});
