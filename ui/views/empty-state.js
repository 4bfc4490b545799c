/** The "no cases yet" panel shared by the dashboard and the case list, with the way to the
 * demo desk (a separate desk file for trying the app on made-up data). */
import * as api from '../api.js';
import { h } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { buildHash } from '../router.js';
import { cancelButton, watchProgress } from '../cancel.js';
// --- Install ---
import { screenList } from './help.js';
import { openDemoDesk } from '../demo-desk.js';

export function emptyState(onLoaded) {
  const message = h('p', { class: 'empty-message', role: 'status' });
  // The demo data is written in the background (an async command): the window stays usable.
  const progress = h('progress', { id: 'demo-progress', hidden: true, 'aria-label': t('demo.progress') });
  const button = h('button', { id: 'demo-load', type: 'button', class: 'secondary' }, t('empty.demo'));
  // Long work: how far it has come (the cases, then their history, then the write) and
  // "Katkesta", which rolls the whole load back.
  const cancel = cancelButton('demo-cancel');
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.className = 'empty-message';
    message.textContent = t('empty.demoLoading');
    progress.removeAttribute('value');
    progress.hidden = false;
    cancel.running(true);
    const stopWatching = watchProgress((p) => {
      progress.max = p.total;
      progress.value = p.done;
    }, 200);
    try {
      // Demo data never goes into this desk: the demo desk, a separate file, opens instead
      // (filled with the demo on first use) and the window loads afresh on it.
      const created = await openDemoDesk();
      message.textContent = t('empty.demoDone', { count: created });
      onLoaded({ created });
    } catch (error) {
      button.disabled = false;
      message.className = 'empty-message error-text';
      message.textContent = errorText(error);
    } finally {
      stopWatching();
      cancel.running(false);
      progress.hidden = true;
    }
  });
  return h('section', { class: 'empty-state' },
    h('h2', { text: t('empty.title') }),
    h('p', { text: t('empty.text') }),
    h('div', { class: 'actions' },
      h('a', { class: 'button primary', href: buildHash('caseNew') }, t('dashboard.register')),
      button, cancel.element),
    h('p', { id: 'demo-hint', class: 'field-hint', text: t('empty.demoHint') }),
    progress,
    message,
    // --- Install ---: a new coordinator's map of the app.
    h('h3', { text: t('firstRun.partsTitle') }),
    screenList('empty-parts', ['dashboard', 'cases', 'newApplication', 'providers', 'settings', 'lock']),
    h('p', {}, h('a', { href: buildHash('help') }, t('help.title'))));
}
