import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDate, formatDateTime, displayDateOf, parseDisplayDate, personName,
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
