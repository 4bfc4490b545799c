import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  formatMoneyIn, formatQuantity, budgetBars, budgetScale, emptyLine, LINE_FIELDS, INVOICE_STATUSES,
} from '../billing.js';
import { parseHash, buildHash, sectionOf } from '../router.js';
import et from '../i18n/et.js';
import en from '../i18n/en.js';

test('money reads one way in both languages, from integer cents only', () => {
  assert.equal(formatMoneyIn(123456, 'et'), '1\u00a0234,56\u00a0€');
  assert.equal(formatMoneyIn(123456, 'en'), '1\u00a0234,56\u00a0€');
  assert.equal(formatMoneyIn(5, 'en'), '0,05\u00a0€');
  assert.equal(formatMoneyIn(-1044, 'et'), '−10,44\u00a0€');
  assert.equal(formatMoneyIn(269500000, 'en'), '2\u00a0695\u00a0000,00\u00a0€');
  assert.equal(formatMoneyIn(12.5, 'et'), '', 'a fraction of a cent is no amount');
  assert.equal(formatMoneyIn(null, 'et'), '');
});

test('quantities are thousandths', () => {
  assert.equal(formatQuantity(1500, 'et'), '1,5');
  assert.equal(formatQuantity(1125, 'en'), '1,125');
  assert.equal(formatQuantity(2000, 'et'), '2');
  assert.equal(formatQuantity(250, 'et'), '0,25');
});

test('the budget bars split the granted amount into used, committed and left', () => {
  const lines = [
    { grantedCents: 30000, usedCents: 10000, committedCents: 5000, leftCents: 15000 },
    { grantedCents: 10000, usedCents: 12000, committedCents: 0, leftCents: -2000 },
  ];
  const scale = budgetScale(lines);
  assert.equal(scale, 30000);
  assert.deepEqual(budgetBars(lines[0], scale), { used: 333, committed: 167, left: 500, granted: 1000, over: false });
  const over = budgetBars(lines[1], scale);
  assert.equal(over.over, true, 'more used than granted is flagged');
  assert.equal(over.left, 0);
  assert.equal(budgetScale([]), 1, 'an empty year does not divide by zero');
});

test('a new line carries the child, decision and date of the line above', () => {
  const line = emptyLine({ childCode: '61303150029', decisionNumber: 'K000001', serviceDate: '02.11.2026', quantity: '2' });
  assert.deepEqual(Object.keys(line), LINE_FIELDS);
  assert.equal(line.childCode, '61303150029');
  assert.equal(line.decisionNumber, 'K000001');
  assert.equal(line.quantity, '', 'the quantity is typed anew');
});

test('the invoice routes go both ways and belong to the invoices section', () => {
  assert.deepEqual(parseHash('#/invoices'), { name: 'invoices', params: {}, query: {} });
  assert.deepEqual(parseHash('#/invoices?status=checked'), { name: 'invoices', params: {}, query: { status: 'checked' } });
  assert.deepEqual(parseHash('#/invoices/new'), { name: 'invoiceNew', params: {}, query: {} });
  assert.deepEqual(parseHash('#/invoices/4?edit=1'), { name: 'invoice', params: { id: 4 }, query: { edit: '1' } });
  assert.equal(parseHash('#/invoices/x').name, 'notFound');
  assert.equal(buildHash('invoice', { id: 4 }, { notice: 'saved' }), '#/invoices/4?notice=saved');
  assert.equal(sectionOf('invoice'), 'invoices');
  assert.equal(sectionOf('invoiceNew'), 'invoices');
});

test('every billing text the views ask for exists in both languages', () => {
  const dynamic = {
    'billing.status.': ['open', ...INVOICE_STATUSES],
    'billing.line.': LINE_FIELDS,
    'billing.verdict.': ['ok', 'part', 'reject'],
    'billing.decide.': ['accepted', 'partly_accepted', 'rejected'],
    'billing.notice.': ['saved', 'checked', 'decided'],
    'billing.channel.': ['paper', 'email', 'phone', 'portal', 'other'],
    'billing.mode.': ['individual', 'group'],
    'billing.unit.': ['hour', 'day', 'km'],
    'billing.sourceKind.': ['manual', 'csv'],
  };
  const keys = new Set();
  for (const file of ['invoices.js', 'invoice.js', 'case-billing.js', 'settings-prices.js']) {
    const src = readFileSync(new URL(`../views/${file}`, import.meta.url), 'utf8');
    for (const m of src.matchAll(/t\('(billing\.[A-Za-z0-9_.]+)'/g)) keys.add(m[1]);
  }
  for (const [prefix, codes] of Object.entries(dynamic)) for (const c of codes) keys.add(prefix + c);
  for (const key of keys) {
    assert.ok(et[key], `et lacks ${key}`);
    assert.ok(en[key], `en lacks ${key}`);
  }
});
