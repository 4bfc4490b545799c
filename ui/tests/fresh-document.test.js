import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFreshness, ELEMENT_BUDGET } from '../fresh-document.js';

const idle = async () => false;

test('draws in place until the pages built the budget of elements, then asks for a fresh document', async () => {
  const fresh = createFreshness({ budget: 3_000 });
  fresh.rendered(1_450);
  assert.equal(await fresh.due(idle), false);
  fresh.rendered(1_450);
  assert.equal(await fresh.due(idle), false, '2 900 of 3 000');
  fresh.rendered(100);
  assert.equal(await fresh.due(idle), true, 'the budget is reached');
  assert.equal(fresh.built, 3_000);
});

test('not while the document must stay (long work runs, a draft waits), nor when that cannot be told', async () => {
  const fresh = createFreshness({ budget: 10 });
  fresh.rendered(20);
  assert.equal(await fresh.due(async () => true), false, 'a backup runs');
  assert.equal(await fresh.due(async () => { throw new Error('locked'); }), false);
  assert.equal(await fresh.due(async () => false), true, 'nothing must stay');
});

test('the work is asked about only once the budget is spent', async () => {
  const fresh = createFreshness({ budget: 10 });
  let asked = 0;
  const count = async () => { asked += 1; return false; };
  fresh.rendered(5);
  await fresh.due(count);
  assert.equal(asked, 0);
  fresh.rendered(5);
  await fresh.due(count);
  assert.equal(asked, 1);
});

test('nonsense counts are ignored and the default budget is about 35 case views', () => {
  const fresh = createFreshness();
  fresh.rendered(undefined);
  fresh.rendered(-5);
  fresh.rendered('x');
  assert.equal(fresh.built, 0);
  assert.equal(ELEMENT_BUDGET, 50_000);
});
