import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineWords, clock } from '../team-line.js';
import { substitutionState } from '../views/team.js';
import { shown, mergedValue } from '../views/conflicts.js';
import { parseHash, buildHash } from '../router.js';
import et from '../i18n/et.js';
import en from '../i18n/en.js';

const base = { joined: true, syncing: false, error: null, waiting: 0, conflicts: 0, syncedAt: null };

test('a desk not in a team shows no sync line', () => {
  assert.deepEqual(lineWords({ ...base, joined: false }), []);
  assert.deepEqual(lineWords(null), []);
});

test('the sync line says when it synced, what waits, and why it failed in plain words', () => {
  assert.equal(lineWords({ ...base, syncedAt: '2026-12-06 12:32:00' })[0].key, 'team.line.synced');
  const waiting = lineWords({ ...base, syncedAt: '2026-12-06 12:32:00', waiting: 3 });
  assert.deepEqual(waiting[1], { key: 'team.line.waiting', params: { n: 3 }, tone: 'info' });
  assert.equal(lineWords({ ...base, error: { code: 'sync.offline' } })[0].key, 'team.line.offline');
  assert.equal(lineWords({ ...base, error: { code: 'sync.unauthorized' } })[0].key, 'team.line.revoked');
  assert.equal(lineWords({ ...base, error: { code: 'sync.server' } })[0].key, 'team.line.noServer');
  const other = lineWords({ ...base, error: { code: 'sync.purge_waiting', message: { et: 'x', en: 'y' } } });
  assert.deepEqual(other[0].message, { et: 'x', en: 'y' });
  assert.equal(other[0].prefix, 'team.line.failed', 'said as the sync\'s failure');
  assert.ok(et['team.line.failed'] && en['team.line.failed']);
  assert.equal(lineWords({ ...base, syncing: true, error: { code: 'sync.offline' } })[0].key, 'team.line.syncing');
  assert.equal(lineWords({ ...base, conflicts: 2 }).at(-1).key, 'team.line.conflicts');
});

test('every sync line key is in both languages', () => {
  for (const key of ['team.line.synced', 'team.line.waiting', 'team.line.offline', 'team.line.revoked', 'team.line.noServer', 'team.sync']) {
    assert.ok(et[key] && en[key], key);
  }
  assert.equal(et['team.line.synced'].replace('{time}', '14:32'), 'Sünkroonitud kell 14:32');
});

test('the time is hh:mm', () => {
  assert.match(clock('2026-12-06 12:32:00'), /^\d\d:\d\d$/);
});

test('a substitution is current, to come, over or cancelled', () => {
  const s = { cancelled: false, current: false, from: '2026-12-01', to: '2026-12-03' };
  assert.equal(substitutionState(s, '2026-12-06'), 'team.subPast');
  assert.equal(substitutionState({ ...s, to: '2026-12-09' }, '2026-12-06'), 'team.subComing');
  assert.equal(substitutionState({ ...s, current: true }, '2026-12-02'), 'team.subCurrent');
  assert.equal(substitutionState({ ...s, cancelled: true, current: true }, '2026-12-02'), 'team.subCancelled');
});

test('a conflict shows text as text and takes a merge back in the column kind', () => {
  assert.equal(shown(null), '');
  assert.equal(shown('pikk tekst'), 'pikk tekst');
  assert.equal(shown(12), '12');
  assert.equal(mergedValue('uus', 'vana'), 'uus');
  assert.equal(mergedValue('14', 12), 14);
});

test('the team screen has its own address', () => {
  assert.equal(parseHash('#/team').name, 'team');
  assert.equal(buildHash('team'), '#/team');
});

test('the coordinator filter: none on a desk not in a team; all, mine, then each colleague; kept in the address', async () => {
  const { coordinatorOptions } = await import('../views/coordinator-filter.js');
  const { setLanguage } = await import('../i18n/index.js');
  setLanguage('et');
  assert.deepEqual(coordinatorOptions([]), []);
  assert.deepEqual(coordinatorOptions(undefined), []);
  const list = [
    { login: 'mari', name: 'Mari Näidis', mine: true, cases: 1 },
    { login: 'kati', name: 'Kati Näidis', mine: false, cases: 2 },
  ];
  assert.deepEqual(coordinatorOptions(list), [['', 'Kõik'], ['mari', 'Minu juhtumid (1)'], ['kati', 'Kati Näidis (2)']]);
  setLanguage('en');
  assert.deepEqual(coordinatorOptions(list)[1], ['mari', 'My cases (1)']);
  setLanguage('et');
  const hash = buildHash('cases', {}, { status: 'received', coordinator: 'kati' });
  assert.equal(parseHash(hash).query.coordinator, 'kati');
  assert.equal(parseHash(buildHash('dashboard', {}, { by: 'kind', coordinator: 'kati' })).query.coordinator, 'kati');
  for (const key of ['team.filter.label', 'team.filter.all', 'team.filter.mine', 'team.filter.other']) assert.ok(et[key] && en[key], key);
});

test('a conflict on a case\'s status reads in words, other fields as they are', async () => {
  const { shownFor, fieldLabel } = await import('../views/conflicts.js');
  const { setLanguage } = await import('../i18n/index.js');
  setLanguage('et');
  assert.equal(shownFor('cases', 'status', 'decided'), 'Otsus tehtud');
  assert.equal(fieldLabel('cases', 'status'), 'Olek');
  assert.equal(shownFor('cases', 'status', 'no_such'), 'no_such');
  assert.equal(shownFor('meeting', 'notes', 'Ema oli kohal'), 'Ema oli kohal');
  assert.equal(fieldLabel('meeting', 'notes'), 'notes');
  setLanguage('en');
  assert.equal(shownFor('cases', 'status', 'incomplete'), 'Incomplete, waiting for applicant');
  setLanguage('et');
});

test('a conflict names the other member by name where the desk knows it; a status is chosen, not merged', async () => {
  const { authorName, isChoice } = await import('../views/conflicts.js');
  const people = new Map([['kati', 'Kati Näidis']]);
  assert.equal(authorName('kati', people), 'Kati Näidis');
  assert.equal(authorName('juku', people), 'juku');
  assert.equal(authorName(null, people), '');
  assert.equal(isChoice('cases', 'status'), true);
  assert.equal(isChoice('meeting', 'notes'), false);
  assert.ok(et['team.conflict.introChoice'] && en['team.conflict.introChoice']);
});

test('the substitutions name people by name where the team lists them', async () => {
  const { memberName } = await import('../views/team.js');
  const members = [{ login: 'kati', name: 'Kati Näidis' }, { login: 'lead', name: '' }];
  assert.equal(memberName(members, 'kati'), 'Kati Näidis');
  assert.equal(memberName(members, 'lead'), 'lead');
  assert.equal(memberName(members, 'juku'), 'juku');
  assert.ok(et['team.subState'] && en['team.subState']);
});
