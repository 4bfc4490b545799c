import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardRows, byUrgency, dashboardMode } from '../dashboard-rows.js';

const item = (caseId, daysLeft, urgency, due = `2026-12-${String(10 + daysLeft).padStart(2, '0')}`) => ({ caseId, daysLeft, urgency, due });

const dash = {
  groups: [
    { kind: 'decision_due', title: { et: 'Otsuse tähtaeg', en: 'Decision due' }, items: [item(1, 3, 'week'), item(2, -2, 'overdue')] },
    // A kind this module has never heard of (another engineer's signing items): drawn like the rest.
    { kind: 'signature_unconfirmed', title: { et: 'Allkiri vajab kinnitust', en: 'Signature to confirm' }, items: [item(3, 0, 'today')] },
    { kind: 'unsent', title: { et: 'Saatmata', en: 'Not sent' }, items: [{ caseId: 4 }] },
  ],
  actions: [{ actionId: 9, caseId: 1, daysLeft: -5, urgency: 'overdue', due: '2026-12-05' }],
  tasks: [{ id: 7, daysLeft: 20, urgency: 'later', dueOn: '2026-12-30' }],
};

test('every item of every kind becomes a row, none dropped', () => {
  const rows = dashboardRows(dash);
  assert.equal(rows.length, 6);
  assert.deepEqual(rows.map((r) => r.kind).sort(),
    ['decision_due', 'decision_due', 'meeting_action', 'signature_unconfirmed', 'task', 'unsent']);
  const drawn = byUrgency(rows).flatMap((b) => b.rows);
  assert.equal(drawn.length, rows.length, 'a row without a known urgency is still drawn');
});

test('rows go by urgency across kinds, the most urgent first', () => {
  const buckets = byUrgency(dashboardRows(dash));
  assert.deepEqual(buckets.map((b) => b.urgency), ['overdue', 'today', 'week', 'later', 'other']);
  assert.deepEqual(buckets[0].rows.map((r) => [r.kind, r.daysLeft]), [['meeting_action', -5], ['decision_due', -2]]);
  assert.equal(buckets[1].rows[0].kind, 'signature_unconfirmed');
});

test('a counter filters to its urgency', () => {
  const buckets = byUrgency(dashboardRows(dash), 'overdue');
  assert.deepEqual(buckets.map((b) => b.urgency), ['overdue']);
  assert.equal(buckets[0].rows.length, 2);
});

test('urgency first unless the address or the remembered choice says by kind', () => {
  assert.deepEqual(dashboardMode({}, ''), { by: 'urgency', urgency: '' });
  assert.deepEqual(dashboardMode({}, 'kind'), { by: 'kind', urgency: '' });
  assert.deepEqual(dashboardMode({ by: 'urgency' }, 'kind'), { by: 'urgency', urgency: '' });
  assert.deepEqual(dashboardMode({ by: 'kind', urgency: 'today' }), { by: 'kind', urgency: 'today' });
  assert.deepEqual(dashboardMode({ urgency: 'soon' }), { by: 'urgency', urgency: '' });
});
