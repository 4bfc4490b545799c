/** The "no cases yet" panel shared by the dashboard and the case list, with demo data loading. */
import * as api from '../api.js';
import { h } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { buildHash } from '../router.js';
// --- Install ---
import { screenList } from './help.js';

export function emptyState(onLoaded) {
  const message = h('p', { class: 'empty-message', role: 'status' });
  // The demo data is written in the background (an async command): the window stays usable.
  const progress = h('progress', { id: 'demo-progress', hidden: true, 'aria-label': t('demo.progress') });
  const button = h('button', { id: 'demo-load', type: 'button', class: 'secondary' }, t('empty.demo'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.className = 'empty-message';
    message.textContent = t('empty.demoLoading');
    progress.hidden = false;
    try {
      const result = await api.demoLoad();
      progress.hidden = true;
      message.textContent = t('empty.demoDone', { count: result.created });
      onLoaded(result);
    } catch (error) {
      button.disabled = false;
      progress.hidden = true;
      message.className = 'empty-message error-text';
      message.textContent = errorText(error);
    }
  });
  return h('section', { class: 'empty-state' },
    h('h2', { text: t('empty.title') }),
    h('p', { text: t('empty.text') }),
    h('div', { class: 'actions' },
      h('a', { class: 'button primary', href: buildHash('caseNew') }, t('dashboard.register')),
      button),
    progress,
    message,
    // --- Install ---: a new coordinator's map of the app.
    h('h3', { text: t('firstRun.partsTitle') }),
    screenList('empty-parts', ['dashboard', 'cases', 'newApplication', 'providers', 'settings', 'lock']),
    h('p', {}, h('a', { href: buildHash('help') }, t('help.title'))));
}
