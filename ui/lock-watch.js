/**
 * Notices a lock the user did not ask for: the backend locks the desk by itself after the
 * idle time, while the window may sit untouched. Asking for the status every `interval`
 * (which the backend does not count as activity) lets the window switch to the unlock
 * screen even when nobody touches it. Timers are injectable for tests.
 */
export const STATUS_POLL_MS = 15_000;

export function createLockWatch({
  fetchStatus,
  onLocked,
  interval = STATUS_POLL_MS,
  timers = { setInterval: globalThis.setInterval.bind(globalThis), clearInterval: globalThis.clearInterval.bind(globalThis) },
}) {
  let timer = null;
  let generation = 0;

  /** Asks once now. An answer that arrives after stop() is ignored. */
  async function check() {
    if (timer === null) return;
    const asked = generation;
    let status;
    try {
      status = await fetchStatus();
    } catch {
      return; // the next round asks again
    }
    if (asked === generation && timer !== null && status && status.state === 'locked') onLocked(status);
  }

  return {
    check,
    start() {
      if (timer !== null) return;
      generation += 1;
      timer = timers.setInterval(check, interval);
    },
    stop() {
      if (timer !== null) timers.clearInterval(timer);
      timer = null;
      generation += 1;
    },
    get running() { return timer !== null; },
  };
}
