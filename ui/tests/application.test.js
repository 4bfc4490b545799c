import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialiseApplication, guardianIndices } from '../application.js';

const base = {
  'child-firstName': ' Mari ',
  'child-lastName': 'Maasikas',
  'child-personalCode': '61303150029',
  'child-birthDate': '01.01.2013',
  'child-sex': 'female',
  'child-municipalityCode': '0784',
  'child-address': 'Pikk 1, Tallinn',
  'guardian-0-firstName': 'Kati',
  'guardian-0-lastName': 'Maasikas',
  'guardian-0-personalCode': '',
  'guardian-0-phone': '5555 5555',
  'guardian-0-email': 'kati@example.ee',
  'guardian-0-postalAddress': '',
  'guardian-0-language': 'et',
  'guardian-0-delivery': 'email',
  'guardian-0-relation': 'parent',
  'route-kind': 'disability',
  'route-severity': 'severe',
  'route-municipalityCode': '0037',
  'route-workerName': 'Should not be sent',
  'route-workerPhone': '',
  'route-workerEmail': '',
  applicationDate: '10.03.2025',
  channel: 'email',
  notes: '  line one\nline two ',
};

test('the form values become the case_register payload', () => {
  assert.deepEqual(serialiseApplication(base), {
    child: {
      firstName: 'Mari',
      lastName: 'Maasikas',
      personalCode: '61303150029',
      birthDate: '',
      sex: '',
      municipalityCode: '0784',
      address: 'Pikk 1, Tallinn',
    },
    guardians: [{
      firstName: 'Kati',
      lastName: 'Maasikas',
      personalCode: '',
      phone: '5555 5555',
      email: 'kati@example.ee',
      postalAddress: '',
      language: 'et',
      delivery: 'email',
      relation: 'parent',
    }],
    route: {
      kind: 'disability',
      severity: 'severe',
      municipalityCode: '',
      workerName: '',
      workerPhone: '',
      workerEmail: '',
    },
    applicationDate: '2025-03-10',
    channel: 'email',
    notes: '  line one\nline two ',
  });
});

test('a child without a personal code sends birth date and sex', () => {
  const payload = serialiseApplication({ ...base, 'child-personalCode': '  ' });
  assert.equal(payload.child.personalCode, '');
  assert.equal(payload.child.birthDate, '2013-01-01');
  assert.equal(payload.child.sex, 'female');
});

test('the KOV route sends the municipality and worker, not the severity', () => {
  const payload = serialiseApplication({
    ...base,
    'route-kind': 'kov',
    'route-workerName': 'Tiina Tamm',
    'route-workerPhone': '600 0000',
    'route-workerEmail': 'tiina@tallinn.ee',
  });
  assert.deepEqual(payload.route, {
    kind: 'kov',
    severity: '',
    municipalityCode: '0037',
    workerName: 'Tiina Tamm',
    workerPhone: '600 0000',
    workerEmail: 'tiina@tallinn.ee',
  });
});

test('all guardians are sent in order; none gives an empty list', () => {
  const values = {
    ...base,
    'guardian-1-firstName': 'Jaan',
    'guardian-1-lastName': 'Maasikas',
    'guardian-1-relation': 'guardian',
  };
  assert.deepEqual(guardianIndices(values), [0, 1]);
  const payload = serialiseApplication(values);
  assert.equal(payload.guardians.length, 2);
  assert.equal(payload.guardians[1].firstName, 'Jaan');
  assert.equal(payload.guardians[1].relation, 'guardian');
  assert.equal(payload.guardians[1].email, '', 'absent values are sent as empty strings');

  const none = Object.fromEntries(Object.entries(base).filter(([k]) => !k.startsWith('guardian-')));
  assert.deepEqual(serialiseApplication(none).guardians, []);
});

test('an empty form still has the full shape', () => {
  const payload = serialiseApplication({});
  assert.equal(payload.child.firstName, '');
  assert.equal(payload.route.kind, '');
  assert.equal(payload.applicationDate, '');
  assert.equal(payload.notes, '');
  assert.deepEqual(payload.guardians, []);
});
