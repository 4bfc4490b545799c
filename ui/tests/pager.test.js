import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageRange } from '../pager.js';

test('a page says which rows it shows and whether pages lie before and after it', () => {
  assert.deepEqual(pageRange({ page: 1, pageSize: 50, shown: 50, total: 1777 }), { from: 1, to: 50, hasPrev: false, hasNext: true });
  assert.deepEqual(pageRange({ page: 2, pageSize: 50, shown: 50, total: 1777 }), { from: 51, to: 100, hasPrev: true, hasNext: true });
  // The last page, shorter than the others.
  assert.deepEqual(pageRange({ page: 36, pageSize: 50, shown: 27, total: 1777 }), { from: 1751, to: 1777, hasPrev: true, hasNext: false });
  // Exactly one full page: no next.
  assert.deepEqual(pageRange({ page: 1, pageSize: 50, shown: 50, total: 50 }), { from: 1, to: 50, hasPrev: false, hasNext: false });
  // A page past the end shows nothing (the lists then go back to the first page).
  assert.deepEqual(pageRange({ page: 9, pageSize: 50, shown: 0, total: 120 }), { from: 0, to: 0, hasPrev: true, hasNext: false });
});
