/**
 * Tells the backend that the user is active, so that it does not lock the desk while they
 * work. Key presses and pointer moves come many times a second; the backend only needs to
 * hear about them now and then: at most once per `interval`. Input during the quiet period
 * is not forgotten: it is reported once when the period ends, so the last keystroke before
 * a pause still counts. Clock and timers are injectable so the behaviour is testable.
 */
export const ACTIVITY_INTERVAL_MS = 20_000;

/** The DOM events that count as the user doing something. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel'];

export function createActivityReporter({
  report,
  interval = ACTIVITY_INTERVAL_MS,
  now = () => Date.now(),
  timers = { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) },
}) {
  let lastSent = null;
  let timer = null;

  function send() {
    lastSent = now();
    try {
      const answer = report();
      // A failed report is not the user's problem: the next input tries again.
      if (answer && typeof answer.catch === 'function') answer.catch(() => {});
    } catch {
      // Same as above.
    }
  }

  return {
    /** The user did something. */
    notify() {
      if (timer !== null) return;
      const wait = lastSent === null ? 0 : lastSent + interval - now();
      if (wait <= 0) {
        send();
      } else {
        timer = timers.setTimeout(() => {
          timer = null;
          send();
        }, wait);
      }
    },
    /** Forgets what was sent and drops a pending report (on lock; after unlock input reports at once). */
    reset() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      lastSent = null;
    },
  };
}
