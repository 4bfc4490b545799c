import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstRunStep } from '../views/first-run.js';

const open = (extra) => ({ state: 'open', firstRun: true, recoveryCode: null, ...extra });

test('no credential store: the first step asks for the passphrase', () => {
  assert.equal(firstRunStep({ state: 'setup' }), 'key');
});

test('a new database: data and key first, then the recovery code, then the name', () => {
  assert.equal(firstRunStep(open({ recoveryCode: 'ABCD-EFGH' })), 'key');
  assert.equal(firstRunStep(open({ recoveryCode: 'ABCD-EFGH' }), true), 'recovery');
  assert.equal(firstRunStep(open()), 'name', 'after the code (also after a restart) comes the name');
});

test('a finished setup, a restore and a locked desk show no setup step', () => {
  assert.equal(firstRunStep(open({ firstRun: false })), null);
  assert.equal(firstRunStep(open({ firstRun: false, recoveryCode: 'ABCD' })), 'recovery', 'a restore still shows its code');
  assert.equal(firstRunStep({ state: 'locked' }), null);
  assert.equal(firstRunStep({ state: 'error' }), null);
});
