import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tellBackendWith, reportUnsaved, forgetUnsaved, notSavedFields, closeAsked,
} from '../unsaved.js';

test('the backend hears only when "anything unsaved" changes, and a close saves first', async () => {
  const told = [];
  tellBackendWith((v) => { told.push(v); return Promise.resolve(); });
  let saved = false;
  reportUnsaved('meeting', { pending: true, flush: async () => { saved = true; reportUnsaved('meeting', { pending: false }); } });
  reportUnsaved('meeting', { pending: true });
  assert.deepEqual(told, [true], 'typing on its way is unsaved, told once');
  reportUnsaved('meeting', { pending: true, flush: async () => { saved = true; reportUnsaved('meeting', { pending: false }); } });
  assert.equal(await closeAsked(), 'close', 'typing that saves closes without asking');
  assert.equal(saved, true);
  assert.deepEqual(told, [true, false]);
});

test('text the desk refused is asked about by its field, until corrected', async () => {
  tellBackendWith(() => Promise.resolve());
  reportUnsaved('assessment', { notSaved: ['Tegevus 1 – Maht'] });
  assert.deepEqual(await closeAsked(), ['Tegevus 1 – Maht']);
  assert.deepEqual(notSavedFields(), ['Tegevus 1 – Maht']);
  forgetUnsaved('assessment');
  forgetUnsaved('meeting');
  assert.equal(await closeAsked(), 'close');
});
