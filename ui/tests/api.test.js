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

/** Runs `fn` with a fake Tauri whose invoke answers through `invoke`; restores the global after. */
async function withTauri(invoke, fn) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, 'window');
  const saved = globalThis.window;
  globalThis.window = { __TAURI__: { core: { invoke } } };
  try {
    await fn();
  } finally {
    if (had) globalThis.window = saved;
    else delete globalThis.window;
  }
}

const lockedError = {
  code: 'desk.locked', message: { et: 'Andmebaas on lukus', en: 'The database is locked' }, fields: [], details: null,
};

test('any command answering desk.locked calls the locked handler before the caller sees the error', async () => {
  const { onLocked, caseList, dashboard, LOCKED } = await import('../api.js');
  const order = [];
  const off = onLocked((error) => order.push(['handler', error.code]));
  try {
    await withTauri(async () => { throw lockedError; }, async () => {
      await assert.rejects(caseList({ text: '' }), (e) => {
        order.push(['caller', e.code]);
        return e.code === LOCKED && e.message.en === 'The database is locked';
      });
      await assert.rejects(dashboard(), (e) => e.code === 'desk.locked');
    });
  } finally {
    off();
  }
  assert.deepEqual(order, [['handler', 'desk.locked'], ['caller', 'desk.locked'], ['handler', 'desk.locked']]);
});

test('other errors and successful answers do not call the locked handler', async () => {
  const { onLocked, deskUnlock, deskStatus } = await import('../api.js');
  let calls = 0;
  const off = onLocked(() => { calls += 1; });
  try {
    await withTauri(async (cmd) => {
      if (cmd === 'desk_unlock') throw { code: 'validation', message: { et: 'Vale parool', en: 'Wrong passphrase' }, fields: [] };
      return { state: 'locked', lockReason: 'idle' };
    }, async () => {
      await assert.rejects(deskUnlock('vale'), (e) => e.code === 'validation');
      assert.equal((await deskStatus()).lockReason, 'idle');
    });
  } finally {
    off();
  }
  assert.equal(calls, 0);
});

test('a handler that throws does not hide the command error; removing it stops the calls', async () => {
  const { onLocked, caseCounts } = await import('../api.js');
  let calls = 0;
  const off = onLocked(() => { calls += 1; throw new Error('handler broke'); });
  await withTauri(async () => { throw lockedError; }, async () => {
    await assert.rejects(caseCounts(), (e) => e.code === 'desk.locked');
    off();
    await assert.rejects(caseCounts(), (e) => e.code === 'desk.locked');
  });
  assert.equal(calls, 1);
});

test('lock, activity and idle-lock commands send the contract names and arguments', async () => {
  const { deskLock, deskActivity, setIdleLockMinutes } = await import('../api.js');
  const sent = [];
  await withTauri(async (cmd, args) => { sent.push([cmd, args]); return null; }, async () => {
    await deskLock();
    await deskActivity();
    await setIdleLockMinutes(15);
  });
  assert.deepEqual(sent, [['desk_lock', undefined], ['desk_activity', undefined], ['settings_set_idle_lock', { minutes: 15 }]]);
});

test('the case page is one IPC call: its parts read what case_view brought, later reads go to the backend', async () => {
  const { caseView, forgetPrimed, assessmentGet, documentList, providerNames, contactLogList, caseTimeline } = await import('../api.js');
  const sent = [];
  const view = {
    case: { id: 12 }, assessment: { caseId: 12 }, decisions: [], documents: [{ id: 1 }], meetings: [], choice: {},
    providerNames: [{ id: 3 }], contacts: [], budget: { years: [] }, confirmations: [], feedback: {}, timeline: null,
    coordinator: 'Mari Näidis', opening: { on: '2026-12-06', today: true, reason: 'Kati palus abi' },
  };
  await withTauri(async (cmd, args) => {
    sent.push(cmd);
    return cmd === 'case_view' ? view : [`from ${cmd}`];
  }, async () => {
    const detail = await caseView(12);
    assert.deepEqual(detail, {
      id: 12, teamCoordinator: 'Mari Näidis', teamOpening: { on: '2026-12-06', today: true, reason: 'Kati palus abi' },
    }, 'the responsible coordinator and why a colleague\'s case is here come with the case');
    assert.deepEqual(await assessmentGet(12), { caseId: 12 });
    assert.deepEqual(await documentList(12), [{ id: 1 }]);
    assert.deepEqual(await providerNames(), [{ id: 3 }]);
    assert.deepEqual(await providerNames(), [{ id: 3 }], 'two parts ask for the providers');
    assert.deepEqual(await contactLogList({ caseId: 12 }), []);
    assert.deepEqual(sent, ['case_view'], 'nothing but the one call');
    // A part the backend could not read (null) asks for itself; another case is not primed.
    assert.deepEqual(await caseTimeline(12), ['from case_timeline']);
    assert.deepEqual(await documentList(13), ['from document_list']);
    forgetPrimed();
    assert.deepEqual(await documentList(12), ['from document_list'], 'after the page is drawn, reads are fresh');
  });
});
