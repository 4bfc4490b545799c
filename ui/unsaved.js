/**
 * What the window holds that is not saved: typing on its way to the desk, a save that failed,
 * text the desk refused (kept as a draft beside the form). Views that save while typing (the
 * meeting notes, the assessment) report here; the backend is told whether anything is unsaved,
 * so that closing the window waits for the answer of `closeAsked`: what can be saved is saved
 * and the window closes; only when something is still not saved is the coordinator asked.
 */

/** name -> { pending: bool, notSaved: [field label], flush: () => Promise } */
const sources = new Map();
let told = false;
let tell = () => Promise.resolve();

/** Where the "anything unsaved?" answer goes (api.windowUnsaved in the app; tests pass their own). */
export function tellBackendWith(fn) {
  tell = fn;
}

function anything() {
  for (const s of sources.values()) if (s.pending || s.notSaved.length > 0) return true;
  return false;
}

function sync() {
  const now = anything();
  if (now === told) return;
  told = now;
  tell(now)?.catch?.(() => {});
}

/**
 * The state of one source: `pending` while typing is on its way, `notSaved` the labels of the
 * fields whose text is not saved (refused, or the save failed), `flush` saves what can be saved.
 */
export function reportUnsaved(name, { pending = false, notSaved = [], flush = () => Promise.resolve() }) {
  sources.set(name, { pending, notSaved: [...notSaved], flush });
  sync();
}

/** The source left the screen (its text is saved or held elsewhere). */
export function forgetUnsaved(name) {
  sources.delete(name);
  sync();
}

/** The labels of the fields not saved, from every source. */
export function notSavedFields() {
  return [...sources.values()].flatMap((s) => s.notSaved);
}

/**
 * A close waits for the window: saves what can be saved (at most `timeout` ms), then answers
 * 'close' when nothing is left unsaved, or the labels of what is not saved (to ask about).
 */
export async function closeAsked({ timeout = 3000, timers = globalThis } = {}) {
  let timer = null;
  const all = Promise.allSettled([...sources.values()].map(async (s) => s.flush()));
  const late = new Promise((resolve) => { timer = timers.setTimeout(resolve, timeout); });
  await Promise.race([all, late]);
  timers.clearTimeout(timer);
  const fields = notSavedFields();
  const stillPending = [...sources.values()].some((s) => s.pending);
  if (fields.length === 0 && !stillPending) return 'close';
  return fields;
}
