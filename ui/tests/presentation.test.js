import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysLeftText, deadlineStateText, deadlineTone } from '../deadline-text.js';
import { groupSearchResults } from '../search-results.js';
import { newestFirst } from '../timeline.js';
import {
  formatTime, formatWhen, formatMoney, parseNumber, displayNumber,
} from '../format.js';
import { setLanguage } from '../i18n/index.js';

process.env.TZ = 'Europe/Tallinn';

test('days left are said in words, in both languages', () => {
  setLanguage('et');
  assert.equal(daysLeftText(5), '5 päeva jäänud');
  assert.equal(daysLeftText(1), '1 päev jäänud');
  assert.equal(daysLeftText(0), 'täna');
  assert.equal(daysLeftText(-1), 'üle tähtaja 1 päev');
  assert.equal(daysLeftText(-2), 'üle tähtaja 2 päeva');
  setLanguage('en');
  assert.equal(daysLeftText(5), '5 days left');
  assert.equal(daysLeftText(-1), '1 day overdue');
  setLanguage('et');
});

test('a stopped or met deadline has no days to count', () => {
  setLanguage('et');
  assert.equal(deadlineStateText({ state: 'stopped', daysLeft: 3 }), 'peatatud');
  assert.equal(deadlineStateText({ state: 'met', daysLeft: -4 }), 'täidetud');
  assert.equal(deadlineStateText({ state: 'running', daysLeft: 3 }), '3 päeva jäänud');
  assert.equal(deadlineTone({ state: 'stopped', daysLeft: -3 }), 'stopped');
  assert.equal(deadlineTone({ state: 'running', daysLeft: -3 }), 'overdue');
  assert.equal(deadlineTone({ state: 'running', daysLeft: 0 }), 'today');
  assert.equal(deadlineTone({ state: 'running', daysLeft: 9 }), 'running');
  assert.equal(deadlineTone(null), 'none');
});

test('search results are grouped by kind, cases first, order kept', () => {
  const groups = groupSearchResults([
    { kind: 'document', caseId: 1, title: 'D1' },
    { kind: 'case', caseId: 2, title: 'C1' },
    { kind: 'note', caseId: 3, title: 'N1' },
    { kind: 'case', caseId: 4, title: 'C2' },
    { kind: 'other', caseId: 5, title: 'X' },
  ]);
  assert.deepEqual(groups.map((g) => g.kind), ['case', 'document', 'note', 'other']);
  assert.deepEqual(groups[0].items.map((i) => i.title), ['C1', 'C2']);
  assert.deepEqual(groupSearchResults(undefined), []);
});

test('the timeline shows the newest day first', () => {
  const entries = [
    { at: '2026-04-01', title: 'registered' },
    { at: '2026-04-02T07:00:00Z', title: 'morning' },
    { at: '2026-04-02T12:00:00Z', title: 'noon' },
    { at: '2026-04-02', title: 'day-only' },
    { at: '2026-04-03', title: 'latest' },
  ];
  assert.deepEqual(newestFirst(entries).map((e) => e.title), ['latest', 'noon', 'morning', 'day-only', 'registered']);
  assert.equal(entries[0].title, 'registered', 'the input is not changed');
});

test('moments show a time only when they have one', () => {
  assert.deepEqual(formatWhen('2026-04-13'), { date: '13.04.2026', time: '' });
  assert.deepEqual(formatWhen('2026-04-13T06:30:00Z'), { date: '13.04.2026', time: '09:30' });
  assert.deepEqual(formatWhen('2026-01-31T22:30:00Z'), { date: '01.02.2026', time: '00:30' });
  assert.equal(formatTime('2026-01-10T08:05:00Z'), '10:05');
  assert.equal(formatTime('nonsense'), '');
});

test('money in cents is shown in euros without floating point', () => {
  assert.equal(formatMoney(2940), '29,40\u00a0€');
  assert.equal(formatMoney(10), '0,10\u00a0€');
  assert.equal(formatMoney(269500), '2\u00a0695,00\u00a0€');
  assert.equal(formatMoney(null), '');
});

test('numbers typed with a comma reach the backend as numbers', () => {
  assert.equal(parseNumber('1,5'), 1.5);
  assert.equal(parseNumber(' 20 '), 20);
  assert.equal(parseNumber(''), 0);
  assert.equal(parseNumber('x'), 'x');
  assert.equal(displayNumber(1.5), '1,5');
  assert.equal(displayNumber(null), '');
});

test('file sizes are shown for people', async () => {
  const { formatFileSize } = await import('../format.js');
  assert.equal(formatFileSize(830), '830 B');
  assert.equal(formatFileSize(12_500), '12 kB');
  assert.equal(formatFileSize(3_565_158), '3,4 MB');
  assert.equal(formatFileSize(3_565_158, 'en'), '3,4 MB');
  assert.equal(formatFileSize(undefined), '');
});
