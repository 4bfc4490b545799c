import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serialiseMeeting, meetingDraft, serialiseAction, remainingOptions, participantFrom,
  ownerSuggestions, continueList, shortcutOf, optionKey,
} from '../meetings.js';
import { beforeLock, runBeforeLock } from '../before-lock.js';
import { parseHash, buildHash, sectionOf } from '../router.js';

test('the meeting form is shaped for the backend with an ISO date', () => {
  assert.deepEqual(serialiseMeeting({
    'meeting-kind': 'first', 'meeting-date': '3.12.2026', 'meeting-time': ' 10:00 ',
    'meeting-place': ' Tallinna Lastekeskus ', 'meeting-videoLink': '',
  }), { kind: 'first', date: '2026-12-03', time: '10:00', place: 'Tallinna Lastekeskus', videoLink: '' });
});

test('the notes draft keeps text exactly as typed', () => {
  const notes = '  - ema: hommikud\n\n\t<b>x</b>  \n';
  const d = meetingDraft({
    agenda: 'A\nB', notes, notesShared: 1, privateNotes: ' privaatne ', decisions: '',
    participants: [{ source: 'guardian', guardianId: 4, name: 'Kadri ', role: 'lapsevanem', presence: 'absent', extra: 'x' }],
  });
  assert.equal(d.notes, notes);
  assert.equal(d.privateNotes, ' privaatne ');
  assert.equal(d.notesShared, true);
  assert.deepEqual(d.participants, [{ source: 'guardian', guardianId: 4, name: 'Kadri ', role: 'lapsevanem', organisation: '', presence: 'absent' }]);
});

test('an action goes out with its confirmation of an early due date', () => {
  assert.deepEqual(serialiseAction({ 'action-what': ' Saata plaan ', 'action-owner': 'Kadri', 'action-dueDate': '01.12.2026' }, true),
    { what: 'Saata plaan', owner: 'Kadri', dueDate: '2026-12-01', confirmEarlyDue: true });
});

test('people already taking part are not offered again', () => {
  const options = [
    { source: 'guardian', guardianId: 4, name: 'Kadri Näidis', role: 'lapsevanem' },
    { source: 'kov', guardianId: null, name: 'Mati KOV', role: 'KOV lastekaitsetöötaja', organisation: 'Tallinn' },
  ];
  const participants = [participantFrom(options[0])];
  assert.deepEqual(remainingOptions(options, participants).map((o) => o.name), ['Mati KOV']);
  assert.equal(participants[0].presence, 'present');
  assert.equal(optionKey(participants[0]), 'guardian:4');
  assert.deepEqual(participantFrom(null, 'provider'), { source: 'provider', guardianId: null, name: '', role: '', organisation: '', presence: 'present' });
  assert.deepEqual(ownerSuggestions([{ name: 'Kadri Näidis' }, { name: ' ' }], options), ['Kadri Näidis', 'Mati KOV']);
});

test('Enter continues a bullet list and ends it on an empty item', () => {
  const v = 'Märkmed\n- esimene';
  assert.deepEqual(continueList(v, v.length), { value: `${v}\n- `, caret: v.length + 3 });
  const empty = 'Märkmed\n- esimene\n- ';
  assert.deepEqual(continueList(empty, empty.length), { value: 'Märkmed\n- esimene\n', caret: 'Märkmed\n- esimene\n'.length });
  assert.equal(continueList('tavaline rida', 13), null, 'plain lines get a plain Enter');
  assert.deepEqual(continueList('- a\n- b', 3), { value: '- a\n- \n- b', caret: 6 }, 'works at the end of a line in the middle');
  assert.equal(continueList('- ab', 2), null, 'Enter inside a line is a plain Enter');
  assert.equal(continueList('- ab', 0, 4), null, 'a selection is replaced as usual');
});

test('Enter continues a numbered list with the next number', () => {
  const v = 'Otsused:\n1. Taotleda füsioteraapiat';
  assert.deepEqual(continueList(v, v.length), { value: `${v}\n2. `, caret: v.length + 4 });
  const paren = '  9) üheksas';
  assert.deepEqual(continueList(paren, paren.length), { value: `${paren}\n  10) `, caret: paren.length + 7 });
  assert.deepEqual(continueList('1.', 2), { value: '', caret: 0 });
});

test('shortcuts move between the parts of the meeting and save', () => {
  assert.deepEqual(shortcutOf({ key: 'm', altKey: true, code: 'KeyM' }), { focus: 'meeting-notes' });
  assert.deepEqual(shortcutOf({ key: 'µ', altKey: true, code: 'KeyM' }), { focus: 'meeting-notes' });
  assert.deepEqual(shortcutOf({ key: 's', ctrlKey: true }), { save: true });
  assert.deepEqual(shortcutOf({ key: 'S', metaKey: true }), { save: true });
  assert.equal(shortcutOf({ key: 'm' }), null);
  assert.equal(shortcutOf({ key: 'x', altKey: true, code: 'KeyX' }), null);
});

test('the lock waits for registered flushes, but not forever', async () => {
  const done = [];
  const off = beforeLock(async () => { done.push('notes'); });
  const offStuck = beforeLock(() => new Promise(() => {}));
  const started = Date.now();
  await runBeforeLock({ timeout: 50 });
  assert.deepEqual(done, ['notes']);
  assert.ok(Date.now() - started < 2000, 'a stuck save does not hold the lock');
  off();
  offStuck();
  await runBeforeLock({ timeout: 50 });
  assert.deepEqual(done, ['notes'], 'removed hooks do not run');
});

test('a meeting has its own address under its case', () => {
  assert.deepEqual(parseHash('#/cases/12/meetings/5'), { name: 'meeting', params: { id: 12, meetingId: 5 }, query: {} });
  assert.equal(buildHash('meeting', { id: 12, meetingId: 5 }), '#/cases/12/meetings/5');
  assert.equal(sectionOf('meeting'), 'cases');
  for (const hash of ['#/cases/12/meetings', '#/cases/12/meetings/x', '#/cases/x/meetings/5', '#/cases/12/notes/5']) {
    assert.equal(parseHash(hash).name, 'notFound', hash);
  }
});
