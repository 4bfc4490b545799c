import { test } from 'node:test';
import assert from 'node:assert/strict';
import et from '../i18n/et.js';
import en from '../i18n/en.js';
import {
  t, setLanguage, getLanguage, interpolate, localized, errorText, tables,
} from '../i18n/index.js';
import { STATUSES, SEVERITIES, ROUTE_KINDS, CHANNELS, DELIVERIES, CONTACT_LANGUAGES, RELATIONS, SEXES } from '../codes.js';

test('et and en have exactly the same keys', () => {
  const etKeys = Object.keys(et).sort();
  const enKeys = Object.keys(en).sort();
  assert.deepEqual(enKeys.filter((k) => !et[k]), [], 'keys only in en.js');
  assert.deepEqual(etKeys.filter((k) => !en[k]), [], 'keys only in et.js');
  assert.deepEqual(etKeys, enKeys);
});

test('no string is empty in either language', () => {
  for (const [lang, table] of Object.entries(tables)) {
    for (const [key, value] of Object.entries(table)) {
      assert.ok(typeof value === 'string' && value.trim() !== '', `${lang}:${key} is empty`);
    }
  }
});

test('every code of the contract has a label', () => {
  const lists = {
    status: STATUSES, severity: SEVERITIES, route: ROUTE_KINDS, channel: CHANNELS,
    delivery: DELIVERIES, language: CONTACT_LANGUAGES, relation: RELATIONS, sex: SEXES,
  };
  for (const [prefix, codes] of Object.entries(lists)) {
    for (const code of codes) assert.ok(et[`${prefix}.${code}`], `missing ${prefix}.${code}`);
  }
});

test('Estonian is the default and switching works', () => {
  setLanguage('et');
  assert.equal(getLanguage(), 'et');
  assert.equal(t('nav.dashboard'), 'Töölaud');
  assert.equal(t('status.in_assessment'), 'Hindamisel');
  setLanguage('en');
  assert.equal(t('nav.dashboard'), 'Dashboard');
  assert.equal(t('status.in_assessment'), 'In assessment');
  setLanguage('et');
});

test('unknown languages are ignored', () => {
  setLanguage('et');
  assert.equal(setLanguage('fi'), 'et');
  assert.equal(getLanguage(), 'et');
});

test('a missing key falls back to Estonian, then to the key itself', () => {
  et['test.onlyEt'] = 'ainult eesti';
  try {
    setLanguage('en');
    assert.equal(t('test.onlyEt'), 'ainult eesti');
    assert.equal(t('test.nowhere'), 'test.nowhere');
  } finally {
    delete et['test.onlyEt'];
    setLanguage('et');
  }
});

test('parameters are interpolated; unknown placeholders stay', () => {
  assert.equal(interpolate('{a} ja {b}', { a: 1 }), '1 ja {b}');
  setLanguage('et');
  assert.equal(t('empty.demoDone', { count: 12 }), 'Näidisandmed laaditud: 12 juhtumit.');
});

test('backend messages are shown in the current language', () => {
  const message = { et: 'Vale parool', en: 'Wrong passphrase' };
  setLanguage('en');
  assert.equal(localized(message), 'Wrong passphrase');
  assert.equal(localized({ et: 'ainult eesti' }), 'ainult eesti');
  setLanguage('et');
  assert.equal(localized(message), 'Vale parool');
  assert.equal(errorText({ code: 'key.wrong_passphrase', message }), 'Vale parool');
});

test('an error without a message gets the generic text and the technical detail', () => {
  setLanguage('et');
  const text = errorText({ code: 'internal', message: null, raw: 'boom' });
  assert.match(text, /^Ootamatu viga/);
  assert.match(text, /boom/);
});

test('every code of the case-work contract has a label', async () => {
  const { AREAS, LEVELS } = await import('../assessment.js');
  const { DOCUMENT_DIRECTIONS, DOCUMENT_TYPES, RULE_UNITS } = await import('../casework.js');
  const { RESULT_KINDS } = await import('../search-results.js');
  const lists = {
    'assessment.area': AREAS, level: LEVELS, direction: DOCUMENT_DIRECTIONS, docType: DOCUMENT_TYPES,
    ruleUnit: RULE_UNITS, searchKind: RESULT_KINDS, docStatus: ['open', 'done'], mode: ['individual', 'group'],
    unit: ['hour', 'day', 'km'], unitOne: ['hour', 'day', 'km'], 'dashboard.urgency': ['overdue', 'today', 'week'],
    timelineKind: ['status', 'document', 'assessment', 'case'],
  };
  for (const [prefix, codes] of Object.entries(lists)) {
    for (const code of codes) {
      assert.ok(et[`${prefix}.${code}`], `missing et ${prefix}.${code}`);
      assert.ok(en[`${prefix}.${code}`], `missing en ${prefix}.${code}`);
    }
  }
});
