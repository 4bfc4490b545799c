import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActivityReporter, ACTIVITY_INTERVAL_MS, ACTIVITY_EVENTS } from '../activity.js';

/** A clock and timers that move only when the test says so. */
function fakeTime() {
  let now = 1_000_000;
  let seq = 0;
  const due = new Map();
  return {
    now: () => now,
    timers: {
      setTimeout(fn, ms) { seq += 1; due.set(seq, { at: now + ms, fn }); return seq; },
      clearTimeout(id) { due.delete(id); },
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...due].filter(([, e]) => e.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
    get pending() { return due.size; },
  };
}

function reporter(time, report) {
  return createActivityReporter({ report, now: time.now, timers: time.timers });
}

test('the backend hears about the first input at once', () => {
  const time = fakeTime();
  const sent = [];
  const activity = reporter(time, () => sent.push(time.now()));
  activity.notify();
  assert.deepEqual(sent, [1_000_000]);
});

test('a burst of typing is reported at most once per 20 seconds', () => {
  const time = fakeTime();
  const sent = [];
  const activity = reporter(time, () => sent.push(time.now()));
  assert.equal(ACTIVITY_INTERVAL_MS, 20_000);
  // A key press every 100 ms for a minute.
  for (let i = 0; i < 600; i += 1) {
    activity.notify();
    time.advance(100);
  }
  assert.ok(sent.length <= 4, `sent ${sent.length} times in a minute`);
  for (let i = 1; i < sent.length; i += 1) {
    assert.ok(sent[i] - sent[i - 1] >= 20_000, 'never two reports within 20 seconds');
  }
});

test('input in the quiet period is reported once when it ends, not forgotten', () => {
  const time = fakeTime();
  const sent = [];
  const activity = reporter(time, () => sent.push(time.now()));
  activity.notify(); // t = 0
  time.advance(5_000);
  activity.notify(); // t = 5 s: too soon, remembered
  activity.notify();
  assert.equal(sent.length, 1);
  time.advance(14_999);
  assert.equal(sent.length, 1, 'still within 20 seconds of the first report');
  time.advance(1);
  assert.deepEqual(sent, [1_000_000, 1_020_000], 'the remembered input is reported at 20 s');
  time.advance(60_000);
  assert.equal(sent.length, 2, 'no input, no report');
});

test('after a long pause the next input is reported at once', () => {
  const time = fakeTime();
  const sent = [];
  const activity = reporter(time, () => sent.push(time.now()));
  activity.notify();
  time.advance(45_000);
  activity.notify();
  assert.deepEqual(sent, [1_000_000, 1_045_000]);
  assert.equal(time.pending, 0);
});

test('reset (on lock) drops a pending report and lets the next input through at once', () => {
  const time = fakeTime();
  const sent = [];
  const activity = reporter(time, () => sent.push(time.now()));
  activity.notify();
  time.advance(1_000);
  activity.notify(); // pending for t = 20 s
  activity.reset();
  time.advance(30_000);
  assert.equal(sent.length, 1, 'nothing is reported for the locked desk');
  activity.reset();
  time.advance(1_000);
  activity.notify();
  assert.equal(sent.length, 2, 'after unlocking the first input counts at once');
});

test('a failing report (sync or async) does not break the reporter', async () => {
  const time = fakeTime();
  let calls = 0;
  const activity = reporter(time, () => {
    calls += 1;
    if (calls === 1) throw new Error('boom');
    return Promise.reject(new Error('offline'));
  });
  activity.notify();
  time.advance(20_000);
  activity.notify();
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 2);
});

test('key presses, pointer presses and the wheel count as activity', () => {
  assert.deepEqual([...ACTIVITY_EVENTS].sort(), ['keydown', 'pointerdown', 'wheel']);
});
