import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldPathToId, groupFieldErrors } from '../field-errors.js';

test('backend field paths map to the form control ids', () => {
  const cases = {
    'child.firstName': 'child-firstName',
    'child.personalCode': 'child-personalCode',
    'child.municipalityCode': 'child-municipalityCode',
    'guardians.0.firstName': 'guardian-0-firstName',
    'guardians.0.email': 'guardian-0-email',
    'guardians.12.postalAddress': 'guardian-12-postalAddress',
    guardians: 'guardians',
    'route.severity': 'route-severity',
    'route.municipalityCode': 'route-municipalityCode',
    'route.workerEmail': 'route-workerEmail',
    applicationDate: 'applicationDate',
    channel: 'channel',
  };
  for (const [path, id] of Object.entries(cases)) assert.equal(fieldPathToId(path), id, path);
});

test('a prefix places errors of other forms', () => {
  assert.equal(fieldPathToId('reason', 'status-'), 'status-reason');
  assert.equal(fieldPathToId('passphrase', 'setup-'), 'setup-passphrase');
  assert.equal(fieldPathToId('confirm', 'setup-'), 'setup-confirm');
});

test('errors are grouped per control in the backend order', () => {
  const m1 = { et: 'Kontrollnumber ei klapi', en: 'Check digit does not match' };
  const m2 = { et: 'Kohustuslik', en: 'Required' };
  const m3 = { et: 'Vale e-post', en: 'Invalid e-mail' };
  const groups = groupFieldErrors([
    { field: 'child.personalCode', code: 'personal_code.check_digit', message: m1 },
    { field: 'guardians.0.email', code: 'email.invalid', message: m3 },
    { field: 'child.personalCode', code: 'required', message: m2 },
    { field: '', code: 'x', message: m2 },
  ]);
  assert.deepEqual(groups, [
    { id: 'child-personalCode', path: 'child.personalCode', messages: [m1, m2] },
    { id: 'guardian-0-email', path: 'guardians.0.email', messages: [m3] },
  ]);
  assert.deepEqual(groupFieldErrors(undefined), []);
});

test('a form with its own id scheme passes a mapping function', () => {
  const m = { et: 'Vali', en: 'Choose' };
  const groups = groupFieldErrors([{ field: 'receivedOn', code: 'required', message: m }],
    (path) => (path === 'receivedOn' ? 'received-on' : path));
  assert.deepEqual(groups, [{ id: 'received-on', path: 'receivedOn', messages: [m] }]);
});
