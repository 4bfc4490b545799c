import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  centsToInput, decisionFieldId, valuesFromDecision, annexRows, serialiseDecisionDraft,
  insertParagraph, annexCodeId, annexAmountId, fieldId,
} from '../decisions.js';
import et from '../i18n/et.js';

const view = {
  annexYears: [2026, 2027],
  decision: {
    decisionDate: '2026-11-25', addresseeName: 'Žanna Šults', addresseeEmail: 'z@example.invalid',
    addresseeAddress: 'Õie 5\nTõrva', delivery: 'email', summaryLanguage: 'ru',
    operative: 'Suunata {{laps.nimi}}', reasoning: 'Põhjus', legalBasis: 'SHS § 70', summary: 'Кратко',
    validFrom: '2026-12-01', validTo: '2027-11-30', lateReason: '', relatedNumber: '',
    providers: ['A OÜ', 'B MTÜ'],
    annex: [{ code: '2010', amounts: [{ year: 2026, cents: 9987 }, { year: 2027, cents: 107613 }] }],
  },
};

test('cents show as typed euros and read back unchanged', () => {
  assert.equal(centsToInput(123456), '1234,56');
  assert.equal(centsToInput(5), '0,05');
  assert.equal(centsToInput(0), '0,00');
  assert.equal(centsToInput(-1044), '-10,44');
  assert.equal(centsToInput(undefined), '');
});

test('backend field paths map to the editor controls', () => {
  assert.equal(decisionFieldId('annex.0.2026'), 'decision-annex-0-2026');
  assert.equal(decisionFieldId('annex.total.2027'), 'decision-annex-total-2027');
  assert.equal(decisionFieldId('legalBasis'), 'decision-legalBasis');
});

test('a decision round-trips through the form values to the same draft', () => {
  const values = valuesFromDecision(view);
  assert.equal(values[fieldId('decisionDate')], '25.11.2026');
  assert.equal(values[fieldId('providers')], 'A OÜ\nB MTÜ');
  const rows = annexRows(view);
  assert.deepEqual(rows, [{ code: '2010', amounts: { 2026: '99,87', 2027: '1076,13' } }]);
  values[annexCodeId(0)] = rows[0].code;
  values[annexAmountId(0, 2026)] = rows[0].amounts[2026];
  values[annexAmountId(0, 2027)] = ' 1076,13 ';
  values[fieldId('providers')] = 'A OÜ\n\n  B MTÜ  \n';
  const draft = serialiseDecisionDraft(values, view.annexYears);
  assert.equal(draft.decisionDate, '2026-11-25');
  assert.equal(draft.validTo, '2027-11-30');
  assert.deepEqual(draft.providers, ['A OÜ', 'B MTÜ']);
  assert.deepEqual(draft.annex, [{ code: '2010', amounts: [{ year: 2026, amount: '99,87' }, { year: 2027, amount: '1076,13' }] }]);
  assert.equal(draft.operative, 'Suunata {{laps.nimi}}', 'placeholders go to the backend as typed');
  assert.equal(draft.addresseeAddress, 'Õie 5\nTõrva');
});

test('a standard paragraph goes in on a line of its own', () => {
  assert.equal(insertParagraph('', 'Lõik.'), 'Lõik.');
  assert.equal(insertParagraph('Esimene.', 'Lõik.'), 'Esimene.\nLõik.');
  assert.equal(insertParagraph('Üks.\nKaks.', 'Lõik.', 5), 'Üks.\nLõik.\nKaks.');
  assert.equal(insertParagraph('Üks. Kaks.', 'Lõik.', 4), 'Üks.\nLõik.\n Kaks.');
});

test('every decision kind and status has a label', () => {
  for (const k of ['referral', 'refusal', 'amendment', 'termination']) assert.ok(et[`decision.kind.${k}`], k);
  for (const s of ['draft', 'approved', 'sent']) assert.ok(et[`decision.status.${s}`], s);
});
