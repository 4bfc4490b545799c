import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLockWatch, STATUS_POLL_MS } from '../lock-watch.js';

function fakeIntervals() {
  const running = new Map();
  let seq = 0;
  return {
    setInterval(fn, ms) { seq += 1; running.set(seq, { fn, ms }); return seq; },
    clearInterval(id) { running.delete(id); },
    fire() { for (const { fn } of [...running.values()]) fn(); },
    get count() { return running.size; },
    get periods() { return [...running.values()].map((r) => r.ms); },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('asks for the status every 15 seconds and reports an idle lock', async () => {
  const timers = fakeIntervals();
  const answers = [{ state: 'open' }, { state: 'locked', lockReason: 'idle', keySource: 'passphrase' }];
  const locked = [];
  const watch = createLockWatch({ fetchStatus: async () => answers.shift(), onLocked: (s) => locked.push(s), timers });
  watch.start();
  assert.deepEqual(timers.periods, [STATUS_POLL_MS]);
  assert.equal(STATUS_POLL_MS, 15_000);
  timers.fire();
  await tick();
  assert.equal(locked.length, 0, 'an open desk is left alone');
  timers.fire();
  await tick();
  assert.equal(locked.length, 1);
  assert.equal(locked[0].lockReason, 'idle');
});

test('start twice keeps one timer; stop ends the polling', () => {
  const timers = fakeIntervals();
  const watch = createLockWatch({ fetchStatus: async () => ({ state: 'open' }), onLocked: () => {}, timers });
  watch.start();
  watch.start();
  assert.equal(timers.count, 1);
  watch.stop();
  assert.equal(timers.count, 0);
  assert.equal(watch.running, false);
});

test('an answer that arrives after stop (the user locked meanwhile) is ignored', async () => {
  const timers = fakeIntervals();
  let release;
  const locked = [];
  const watch = createLockWatch({
    fetchStatus: () => new Promise((r) => { release = r; }),
    onLocked: (s) => locked.push(s),
    timers,
  });
  watch.start();
  timers.fire();
  watch.stop();
  release({ state: 'locked', lockReason: 'manual' });
  await tick();
  assert.deepEqual(locked, []);
});

test('a failed status call is not fatal; check() does nothing while stopped', async () => {
  const timers = fakeIntervals();
  let calls = 0;
  const watch = createLockWatch({
    fetchStatus: async () => { calls += 1; throw { code: 'internal' }; },
    onLocked: () => assert.fail('not locked'),
    timers,
  });
  await watch.check();
  assert.equal(calls, 0, 'not started: no call');
  watch.start();
  await watch.check();
  assert.equal(calls, 1);
});
