import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextStop } from '../tab-past-danger.js';

const danger = (stop) => stop.startsWith('remove');

test('Tab from a field goes past the destructive button right after it', () => {
  const stops = ['hours-1', 'remove-1', 'code-2', 'hours-2', 'remove-2', 'add'];
  assert.equal(nextStop(stops, 0, danger), 2, 'from the first hours to the next activity, not its "Eemalda"');
  assert.equal(nextStop(stops, 3, danger), 5);
  assert.equal(nextStop(stops, 2, danger), -1, 'a harmless next stop: the browser tabs as usual');
});

test('two destructive buttons in a row are both passed; nothing after them: the browser decides', () => {
  assert.equal(nextStop(['title', 'remove-a', 'remove-b', 'save'], 0, danger), 3);
  assert.equal(nextStop(['title', 'remove-a'], 0, danger), -1);
  assert.equal(nextStop(['title'], 0, danger), -1);
  assert.equal(nextStop(['title', 'remove-a'], -1, danger), -1);
});
