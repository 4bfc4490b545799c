import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortcutFor, shortcutLabel, ariaShortcut, formToSave } from '../shortcuts.js';

const key = (k, mods = {}) => ({ key: k, code: `Key${k.toUpperCase()}`, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

test('Ctrl+K, Ctrl+N and Ctrl+S are search, new application and save; F1 is help', () => {
  assert.equal(shortcutFor(key('k', { ctrlKey: true }), false), 'search');
  assert.equal(shortcutFor(key('n', { ctrlKey: true }), false), 'newApplication');
  assert.equal(shortcutFor(key('S', { ctrlKey: true }), false), 'save', 'Caps Lock on');
  assert.equal(shortcutFor({ key: 'F1', code: 'F1' }, false), 'help');
});

test('plain letters, Alt, Shift and unknown letters are left alone', () => {
  assert.equal(shortcutFor(key('k'), false), null, 'typing a k');
  assert.equal(shortcutFor(key('k', { ctrlKey: true, altKey: true }), false), null, 'AltGr on Windows is Ctrl+Alt');
  assert.equal(shortcutFor(key('k', { ctrlKey: true, shiftKey: true }), false), null);
  assert.equal(shortcutFor(key('l', { ctrlKey: true }), false), null, 'the lock has its own module');
  assert.equal(shortcutFor(key('k', { ctrlKey: true, isComposing: true }), false), null);
});

test('Cmd works on macOS only; a non-Latin layout goes by the key position', () => {
  assert.equal(shortcutFor(key('k', { metaKey: true }), true), 'search');
  assert.equal(shortcutFor(key('k', { metaKey: true }), false), null);
  assert.equal(shortcutFor({ key: 'л', code: 'KeyK', ctrlKey: true }, false), 'search', 'Russian layout');
});

test('labels follow the platform', () => {
  assert.equal(shortcutLabel('search', false), 'Ctrl+K');
  assert.equal(shortcutLabel('newApplication', true), '⌘N');
  assert.equal(shortcutLabel('help', false), 'F1');
  assert.equal(ariaShortcut('save', false), 'Control+S');
  assert.equal(ariaShortcut('save', true), 'Control+S Meta+S');
});

test('Ctrl+S submits the focused form only when it has an enabled submit button', () => {
  const submit = { disabled: false };
  const form = { querySelector: () => submit };
  const input = { closest: () => form };
  assert.equal(formToSave(input), form);
  submit.disabled = true;
  assert.equal(formToSave(input), null, 'a form already being saved is not sent twice');
  assert.equal(formToSave({ closest: () => null }), null, 'focus outside a form');
  assert.equal(formToSave(null), null);
  assert.equal(formToSave({ closest: () => ({ querySelector: () => null }) }), null, 'a form without submit');
});
