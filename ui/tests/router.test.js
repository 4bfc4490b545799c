import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, buildHash, sectionOf } from '../router.js';

test('hashes are parsed into routes', () => {
  assert.deepEqual(parseHash(''), { name: 'dashboard', params: {}, query: {} });
  assert.deepEqual(parseHash('#/'), { name: 'dashboard', params: {}, query: {} });
  assert.deepEqual(parseHash('#/dashboard'), { name: 'dashboard', params: {}, query: {} });
  assert.deepEqual(parseHash('#/cases'), { name: 'cases', params: {}, query: {} });
  assert.deepEqual(parseHash('#/cases?status=in_service'), { name: 'cases', params: {}, query: { status: 'in_service' } });
  assert.deepEqual(parseHash('#/cases?q=Maasikas%20Mari&page=2'), { name: 'cases', params: {}, query: { q: 'Maasikas Mari', page: '2' } });
  assert.deepEqual(parseHash('#/cases/new'), { name: 'caseNew', params: {}, query: {} });
  assert.deepEqual(parseHash('#/cases/12'), { name: 'case', params: { id: 12 }, query: {} });
  assert.deepEqual(parseHash('#/settings'), { name: 'settings', params: {}, query: {} });
});

test('unknown paths are not found rather than guessed', () => {
  for (const hash of ['#/cases/abc', '#/cases/12/edit', '#/providers/x', '#/nowhere', '#/settings/x']) {
    assert.equal(parseHash(hash).name, 'notFound', hash);
  }
});

test('buildHash is the inverse of parseHash', () => {
  assert.equal(buildHash('dashboard'), '#/dashboard');
  assert.equal(buildHash('caseNew'), '#/cases/new');
  assert.equal(buildHash('case', { id: 7 }), '#/cases/7');
  assert.equal(buildHash('cases', {}, { status: 'closed', q: '', page: null }), '#/cases?status=closed');
  const hash = buildHash('cases', {}, { q: 'Õie Ülle', status: 'received' });
  assert.deepEqual(parseHash(hash).query, { q: 'Õie Ülle', status: 'received' });
  assert.throws(() => buildHash('nowhere'));
});

test('routes belong to sidebar sections', () => {
  assert.equal(sectionOf('case'), 'cases');
  assert.equal(sectionOf('cases'), 'cases');
  assert.equal(sectionOf('caseNew'), 'new-application');
  assert.equal(sectionOf('settings'), 'settings');
});

test('provider routes', () => {
  assert.deepEqual(parseHash('#/providers'), { name: 'providers', params: {}, query: {} });
  assert.deepEqual(parseHash('#/providers/new'), { name: 'providerNew', params: {}, query: {} });
  assert.deepEqual(parseHash('#/providers/4'), { name: 'provider', params: { id: 4 }, query: {} });
  assert.deepEqual(parseHash('#/waiting'), { name: 'waiting', params: {}, query: {} });
  assert.deepEqual(parseHash('#/partners'), { name: 'partners', params: {}, query: {} });
  assert.equal(buildHash('provider', { id: 4 }), '#/providers/4');
  assert.equal(sectionOf('provider'), 'providers');
});

// --- Statistics ---
test('the statistics route', () => {
  assert.deepEqual(parseHash('#/statistics'), { name: 'statistics', params: {}, query: {} });
  assert.equal(buildHash('statistics'), '#/statistics');
  assert.equal(sectionOf('statistics'), 'statistics');
  assert.equal(parseHash('#/statistics/x').name, 'notFound');
});

test('a case part has its own address, and only the parts of the page do', async () => {
  const { CASE_PARTS } = await import('../case-parts.js');
  assert.deepEqual(parseHash('#/cases/12/otsused'), { name: 'case', params: { id: 12, part: 'otsused' }, query: {} });
  assert.equal(buildHash('case', { id: 12, part: 'otsused' }), '#/cases/12/otsused');
  assert.equal(buildHash('case', { id: 12 }), '#/cases/12');
  for (const part of CASE_PARTS) {
    assert.deepEqual(parseHash(buildHash('case', { id: 3, part: part.slug })).params, { id: 3, part: part.slug });
  }
  assert.equal(parseHash('#/cases/12/nowhere').name, 'notFound');
  assert.equal(parseHash('#/cases/new/otsused').name, 'notFound');
});

test('each section of Settings has its own address; adding one is one entry in SETTINGS_PARTS', async () => {
  const { SETTINGS_PARTS } = await import('../settings-parts.js');
  const et = (await import('../i18n/et.js')).default;
  const en = (await import('../i18n/en.js')).default;
  assert.deepEqual(parseHash('#/settings/varukoopiad'), { name: 'settings', params: { part: 'varukoopiad' }, query: {} });
  assert.equal(buildHash('settings', { part: 'varukoopiad' }), '#/settings/varukoopiad');
  assert.equal(buildHash('settings'), '#/settings');
  assert.equal(new Set(SETTINGS_PARTS.map((p) => p.slug)).size, SETTINGS_PARTS.length, 'a slug twice');
  for (const part of SETTINGS_PARTS) {
    assert.deepEqual(parseHash(buildHash('settings', { part: part.slug })).params, { part: part.slug });
    assert.ok(et[part.label] && en[part.label], `no label for ${part.slug}`);
    assert.equal(typeof part.load, 'function');
  }
  assert.equal(parseHash('#/settings/nowhere').name, 'notFound');
});
