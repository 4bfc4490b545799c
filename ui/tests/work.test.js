import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLanguage } from '../i18n/index.js';
import { parseHash, buildHash, sectionOf } from '../router.js';
import { taskFromText, taskDueText, proposalStateText, insertionIndex } from '../work.js';

test('task and proposal routes', () => {
  assert.deepEqual(parseHash('#/tasks?filter=overdue'), { name: 'tasks', params: {}, query: { filter: 'overdue' } });
  assert.deepEqual(parseHash('#/proposals'), { name: 'proposals', params: {}, query: {} });
  assert.deepEqual(parseHash('#/proposals/new?provider=3'), { name: 'proposalNew', params: {}, query: { provider: '3' } });
  assert.deepEqual(parseHash('#/proposals/9'), { name: 'proposal', params: { id: 9 }, query: {} });
  assert.equal(parseHash('#/proposals/x').name, 'notFound');
  assert.equal(buildHash('proposal', { id: 9 }), '#/proposals/9');
  assert.equal(buildHash('tasks', {}, { filter: 'done' }), '#/tasks?filter=done');
  assert.equal(sectionOf('proposal'), 'proposals');
  assert.equal(sectionOf('proposalNew'), 'proposals');
  assert.equal(sectionOf('tasks'), 'tasks');
});

test('whom a task came from and when it is due, in both languages', () => {
  setLanguage('et');
  assert.equal(taskFromText({ fromKind: 'team_lead', fromName: '' }), 'meeskonnajuht');
  assert.equal(taskFromText({ fromKind: 'other', fromName: ' Kati Kask ' }), 'muu: Kati Kask');
  assert.equal(taskDueText({ dueOn: '2026-12-04' }), 'tähtaeg 04.12.2026');
  assert.equal(taskDueText({ dueOn: null }), 'tähtajata');
  setLanguage('en');
  assert.equal(taskFromText({ fromKind: 'service_manager', fromName: 'Mari Mets' }), 'service manager: Mari Mets');
  assert.equal(taskDueText({ dueOn: null }), 'no due date');
  setLanguage('et');
});

test('a proposal says where it stands with the day of its last step', () => {
  setLanguage('et');
  assert.equal(proposalStateText({ status: 'draft', sentTo: '' }), 'mustand');
  assert.equal(proposalStateText({ status: 'sent', sentOn: '2026-11-24', sentTo: 'Teenusejuht' }), 'saadetud 24.11.2026 · Teenusejuht');
  assert.equal(proposalStateText({ status: 'accepted', sentOn: '2026-11-24', outcomeOn: '2026-11-25', sentTo: 'Teenusejuht' }),
    'heaks kiidetud 25.11.2026 · Teenusejuht');
});

test('the tasks block goes before the first less urgent group on the dashboard', () => {
  const groups = [{ firstDaysLeft: -3 }, { firstDaysLeft: 0 }, { firstDaysLeft: 5 }];
  assert.equal(insertionIndex(groups, -5), 0, 'more overdue than everything: first');
  assert.equal(insertionIndex(groups, -1), 1);
  assert.equal(insertionIndex(groups, 0), 2, 'ties keep the case deadlines first');
  assert.equal(insertionIndex(groups, 20), 3, 'least urgent: last');
  assert.equal(insertionIndex([], 3), 0);
});
