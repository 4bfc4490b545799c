/**
 * What must happen before the desk locks: views with unsaved typing (the meeting notes)
 * register a flush here, and the lock waits for them, at most `timeout` ms, so that nothing
 * typed is lost to a lock and a stuck save cannot keep the desk open.
 */
const hooks = new Set();

/** Registers `fn` (may return a promise); returns a function that removes it. */
export function beforeLock(fn) {
  hooks.add(fn);
  return () => hooks.delete(fn);
}

/** Runs every registered flush; resolves when all settled or after `timeout` ms. */
export async function runBeforeLock({ timeout = 3000, timers = globalThis } = {}) {
  if (hooks.size === 0) return;
  let timer = null;
  const all = Promise.allSettled([...hooks].map(async (fn) => fn()));
  const late = new Promise((resolve) => { timer = timers.setTimeout(resolve, timeout); });
  await Promise.race([all, late]);
  timers.clearTimeout(timer);
}
