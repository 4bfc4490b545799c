/** The "no cases yet" panel shared by the dashboard and the case list, with demo data loading. */
import * as api from '../api.js';
import { h } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { buildHash } from '../router.js';

export function emptyState(onLoaded) {
  const message = h('p', { class: 'empty-message', role: 'status' });
  const button = h('button', { id: 'demo-load', type: 'button', class: 'secondary' }, t('empty.demo'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.className = 'empty-message';
    message.textContent = t('empty.demoLoading');
    try {
      const result = await api.demoLoad();
      message.textContent = t('empty.demoDone', { count: result.created });
      onLoaded(result);
    } catch (error) {
      button.disabled = false;
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
    message);
}
