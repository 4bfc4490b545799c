import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDate, formatDateTime, displayDateOf, parseDisplayDate, personName, setToday, todayDisplay,
} from '../format.js';

// Timestamps are shown in local time; pin the zone so the expectations are exact.
process.env.TZ = 'Europe/Tallinn';

test('ISO dates are shown as dd.mm.yyyy', () => {
  assert.equal(formatDate('2011-07-12'), '12.07.2011');
  assert.equal(formatDate(''), '');
  assert.equal(formatDate(null), '');
  assert.equal(formatDate('not a date'), 'not a date');
});

test('UTC timestamps are shown in Estonian local time', () => {
  assert.equal(formatDateTime('2025-03-10T08:05:00Z'), '10.03.2025 10:05', 'winter time is UTC+2');
  assert.equal(formatDateTime('2025-07-01T21:30:00Z'), '02.07.2025 00:30', 'summer time is UTC+3 and crosses midnight');
  assert.equal(formatDateTime(''), '');
  assert.equal(formatDateTime('garbage'), 'garbage');
});

test('a Date is prefilled as dd.mm.yyyy', () => {
  assert.equal(displayDateOf(new Date(2026, 0, 5)), '05.01.2026');
});

test('typed dates are reshaped for the backend, not judged', () => {
  assert.equal(parseDisplayDate('12.07.2011'), '2011-07-12');
  assert.equal(parseDisplayDate(' 1.3.2025 '), '2025-03-01');
  assert.equal(parseDisplayDate('1/3/2025'), '2025-03-01');
  assert.equal(parseDisplayDate('2025-03-01'), '2025-03-01');
  assert.equal(parseDisplayDate(''), '');
  assert.equal(parseDisplayDate(undefined), '');
  assert.equal(parseDisplayDate('31.02.2025'), '2025-02-31', 'the backend says whether the day exists');
  assert.equal(parseDisplayDate('eile'), 'eile', 'unparseable text goes on as typed');
});

test('names join the parts that are present', () => {
  assert.equal(personName('Mari', 'Maasikas'), 'Mari Maasikas');
  assert.equal(personName('', 'Maasikas'), 'Maasikas');
  assert.equal(personName(null, undefined), '');
});

test("today comes from the backend, also when the window's clock is in another day", () => {
  const windowNow = new Date(2026, 10, 25, 23, 31); // 25.11.2026 23:31 in the window's zone
  setToday('2026-11-26', windowNow); // the backend is already in the next day
  assert.equal(todayDisplay(windowNow), '26.11.2026');
  // A window left open: two days later by its own clock, still one day ahead.
  assert.equal(todayDisplay(new Date(2026, 10, 27, 9, 0)), '28.11.2026');
  setToday('2026-12-31', new Date(2026, 11, 31, 12, 0));
  assert.equal(todayDisplay(new Date(2026, 11, 31, 12, 0)), '31.12.2026');
  assert.equal(todayDisplay(new Date(2027, 0, 1, 0, 5)), '01.01.2027', 'the year turns');
  setToday('nonsense', new Date(2026, 0, 1));
  assert.equal(todayDisplay(new Date(2027, 0, 1, 0, 5)), '01.01.2027', 'a bad value changes nothing');
});
