/**
 * "Katkesta" for long work (statistics over all years, exports, reports, backups, imports): shown
 * while the work runs; a click asks the backend to stop it, and the work then answers
 * "work.cancelled" with nothing written, which the caller shows like any other error.
 */
import * as api from './api.js';
import { h } from './dom.js';
import { t } from './i18n/index.js';

export function cancelButton(id) {
  const button = h('button', { id, type: 'button', class: 'secondary', hidden: true }, t('work.cancel'));
  button.addEventListener('click', () => {
    button.disabled = true;
    api.workCancel().catch(() => {});
  });
  return {
    element: button,
    /** Show while `running`, hide after; a new run can be cancelled again. */
    running(on) {
      button.hidden = !on;
      button.disabled = false;
    },
  };
}

/**
 * Ask the backend every `interval` ms how far the running work has come; `onProgress` gets
 * `{ done, total, part }` while the work measures it. Returns the function that stops asking.
 */
export function watchProgress(onProgress, interval = 300) {
  const poll = setInterval(async () => {
    const p = await api.workProgress().catch(() => null);
    if (p && p.total > 0) onProgress(p);
  }, interval);
  return () => clearInterval(poll);
}
