import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseError, deskStatus } from '../api.js';

test('contract errors pass through with their fields', () => {
  const error = {
    code: 'validation',
    message: { et: 'Vigased andmed', en: 'Invalid data' },
    fields: [{ field: 'child.firstName', code: 'required', message: { et: 'Kohustuslik', en: 'Required' } }],
    details: null,
  };
  assert.deepEqual(normaliseError(error), { ...error, raw: null });
});

test('anything else becomes an internal error with the raw text', () => {
  assert.deepEqual(normaliseError('command desk_status not found'), {
    code: 'internal', message: null, fields: [], details: null, raw: 'command desk_status not found',
  });
  assert.equal(normaliseError(new Error('boom')).raw, 'boom');
  assert.deepEqual(normaliseError({ code: 'x', message: 'plain' }).fields, []);
});

test('without Tauri the calls reject instead of throwing at import', async () => {
  await assert.rejects(deskStatus(), (e) => e.code === 'ui.no_backend');
});

test('without Tauri the file dialogs reject with the contract error', async () => {
  const { chooseFile, chooseSavePath } = await import('../api.js');
  await assert.rejects(chooseFile('Dokumendid', ['pdf']), (e) => e.code === 'ui.no_backend' && Array.isArray(e.fields));
  await assert.rejects(chooseSavePath('a.pdf'), (e) => e.code === 'ui.no_backend');
});
