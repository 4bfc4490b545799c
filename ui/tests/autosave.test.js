import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAutosave } from '../autosave.js';

/** Manual timers: time moves only when the test says so. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const due = new Map();
  return {
    setTimeout(fn, ms) { seq += 1; due.set(seq, { at: now + ms, fn }); return seq; },
    clearTimeout(id) { due.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, entry] of [...due].sort((a, b) => a[1].at - b[1].at)) {
        if (entry.at <= now) { due.delete(id); entry.fn(); }
      }
    },
    get count() { return due.size; },
  };
}

/** A save whose answers the test releases one by one. */
function controlledSave() {
  const calls = [];
  const save = (draft) => new Promise((resolve, reject) => calls.push({ draft, resolve, reject }));
  return { calls, save };
}

const tick = () => new Promise((r) => setImmediate(r));

test('saves once, after the pause, with the latest draft', async () => {
  const timers = fakeTimers();
  const { calls, save } = controlledSave();
  const states = [];
  const autosave = createAutosave({ save, delay: 800, timers, onState: (s) => states.push(s) });
  autosave.change({ text: 'M' });
  timers.advance(500);
  autosave.change({ text: 'Ma' });
  timers.advance(500);
  assert.equal(calls.length, 0, 'still typing: nothing sent yet');
  timers.advance(300);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].draft, { text: 'Ma' });
  calls[0].resolve({ updatedAt: 'x' });
  await tick();
  assert.deepEqual(states, ['pending', 'pending', 'saving', 'saved']);
  assert.equal(autosave.dirty, false);
});

test('typing during a save is queued and sent right after it, never in parallel', async () => {
  const timers = fakeTimers();
  const { calls, save } = controlledSave();
  const autosave = createAutosave({ save, delay: 800, timers });
  autosave.change({ text: 'A' });
  timers.advance(800);
  assert.equal(calls.length, 1);
  autosave.change({ text: 'AB' });
  timers.advance(800);
  autosave.change({ text: 'ABC' });
  timers.advance(800);
  assert.equal(calls.length, 1, 'one save at a time');
  assert.equal(autosave.dirty, true);
  calls[0].resolve({});
  await tick();
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1].draft, { text: 'ABC' }, 'the latest draft, not the intermediate one');
  calls[1].resolve({});
  await tick();
  assert.equal(autosave.dirty, false);
});

test('flush saves at once and resolves when everything is saved', async () => {
  const timers = fakeTimers();
  const { calls, save } = controlledSave();
  const autosave = createAutosave({ save, delay: 800, timers });
  autosave.change({ text: 'blur me' });
  let flushed = false;
  const done = autosave.flush().then(() => { flushed = true; });
  assert.equal(calls.length, 1, 'no waiting for the pause');
  assert.equal(timers.count, 0, 'the pending timer is gone');
  await tick();
  assert.equal(flushed, false, 'not before the backend answered');
  calls[0].resolve({});
  await done;
  assert.equal(flushed, true);
});

test('an unchanged draft is not sent again', async () => {
  const timers = fakeTimers();
  const { calls, save } = controlledSave();
  const states = [];
  const autosave = createAutosave({ save, timers, initial: { text: 'x' }, onState: (s) => states.push(s) });
  await autosave.flush({ text: 'x' });
  assert.equal(calls.length, 0);
  assert.deepEqual(states, ['saved']);
});

test('after an error the same draft can be saved again', async () => {
  const timers = fakeTimers();
  const { calls, save } = controlledSave();
  const states = [];
  const autosave = createAutosave({ save, timers, onState: (s, p) => states.push([s, p?.code]) });
  autosave.flush({ text: 'x' });
  calls[0].reject({ code: 'io.error' });
  await tick();
  assert.deepEqual(states.at(-1), ['error', 'io.error']);
  autosave.flush({ text: 'x' });
  assert.equal(calls.length, 2, 'retried');
});

test('cancel forgets what was not sent', async () => {
  const timers = fakeTimers();
  const { calls, save } = controlledSave();
  const autosave = createAutosave({ save, timers });
  autosave.change({ text: 'x' });
  autosave.cancel();
  timers.advance(5000);
  assert.equal(calls.length, 0);
  assert.equal(autosave.dirty, false);
});
