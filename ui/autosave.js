/**
 * Autosave scheduler: saves a draft `delay` ms after the last change, at once on flush
 * (blur, leaving, signing), never two saves at a time, and never drops typing: a change
 * made while a save is in flight is kept and saved right after it. A draft equal to the
 * last saved one is not sent again.
 *
 * States reported through onState(state, payload): "pending" (waiting for a pause),
 * "saving", "saved" (payload: the backend's answer), "error" (payload: the error).
 * Timers are injectable so the behaviour can be tested without waiting.
 */
export function createAutosave({
  save,
  delay = 800,
  onState = () => {},
  initial,
  key = (draft) => JSON.stringify(draft),
  timers = { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) },
}) {
  let timer = null;
  let pending = null; // {draft} not yet sent
  let inFlight = null; // promise of the save being sent
  let lastKey = initial === undefined ? null : key(initial);
  let waiters = [];

  const idle = () => timer === null && pending === null && inFlight === null;

  function settleWaiters() {
    if (!idle()) return;
    const list = waiters;
    waiters = [];
    for (const resolve of list) resolve();
  }

  function stopTimer() {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
  }

  function run() {
    stopTimer();
    if (inFlight || pending === null) {
      settleWaiters();
      return;
    }
    const { draft } = pending;
    pending = null;
    const draftKey = key(draft);
    if (draftKey === lastKey) {
      onState('saved', null);
      settleWaiters();
      return;
    }
    onState('saving');
    inFlight = (async () => {
      try {
        const result = await save(draft);
        lastKey = draftKey;
        if (pending === null) onState('saved', result);
      } catch (error) {
        lastKey = null; // the same draft may be tried again
        onState('error', error);
      } finally {
        inFlight = null;
        // A change made meanwhile goes out now, unless it is still waiting for a pause.
        if (pending !== null && timer === null) run();
        else settleWaiters();
      }
    })();
  }

  return {
    /** The form changed: remember the draft and save after a pause. */
    change(draft) {
      pending = { draft };
      stopTimer();
      onState('pending');
      timer = timers.setTimeout(() => {
        timer = null;
        run();
      }, delay);
    },
    /** Save now (the given draft, or what is waiting); resolves when nothing is left to save. */
    flush(draft) {
      if (draft !== undefined) pending = { draft };
      const done = new Promise((resolve) => waiters.push(resolve));
      run();
      return done;
    },
    /** True while something typed has not reached the backend. */
    get dirty() {
      return pending !== null || inFlight !== null;
    },
    /** Forget anything not yet sent (e.g. after the assessment was signed). */
    cancel() {
      stopTimer();
      pending = null;
      settleWaiters();
    },
  };
}
