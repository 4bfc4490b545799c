import { test } from 'node:test';
import assert from 'node:assert/strict';
import { money, decimal, periodStamp } from '../views/statistics.js';

test('money reads the same in both languages (Estonian notation, as the dates) and never rounds', () => {
  assert.equal(money(123456, 'et'), '1\u00a0234,56\u00a0€');
  assert.equal(money(123456, 'en'), '1\u00a0234,56\u00a0€');
  assert.equal(money(5, 'en'), '0,05\u00a0€');
  assert.equal(money(-104400, 'en'), '−1\u00a0044,00\u00a0€');
  assert.equal(money(null, 'en'), '');
});

test('decimals from the backend keep the decimal comma in both languages', () => {
  assert.equal(decimal(66.7, 'et'), '66,7');
  assert.equal(decimal(66.7, 'en'), '66,7');
  assert.equal(decimal(4, 'et'), '4');
  assert.equal(decimal(null, 'et'), '—');
});

test('a suggested file name names the period as chosen, not always as a month', () => {
  assert.equal(periodStamp({ kind: 'month', year: 2026, number: 4 }), '2026-04');
  assert.equal(periodStamp({ kind: 'quarter', year: 2026, number: 4 }), '2026-K4');
  assert.equal(periodStamp({ kind: 'year', year: 2026, number: 11 }), '2026');
  assert.equal(periodStamp({ kind: 'all', year: 2026, number: 11 }), 'koik-aastad');
  assert.equal(periodStamp({ kind: 'custom', year: 2026, number: 0, from: '1.1.2026', to: '31.03.2026' }), '2026-01-01_2026-03-31');
  assert.equal(periodStamp(null), 'statistika');
});
