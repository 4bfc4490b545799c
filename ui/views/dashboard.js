/** Töölaud: case counts by status (each a link to the filtered list) and the way to register. */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n/index.js';
import { buildHash } from '../router.js';
import { STATUSES } from '../codes.js';
import { emptyState } from './empty-state.js';

export async function render(root, ctx) {
  const counts = await api.caseCounts();
  const header = h('header', { class: 'view-header' },
    h('h1', { text: t('dashboard.title') }),
    h('a', { class: 'button primary', href: buildHash('caseNew') }, t('dashboard.register')));

  if (!counts.total) {
    replace(root, header, emptyState(() => ctx.reload()));
    return;
  }

  const card = (href, label, count, statusCode) => h('a', {
    class: 'count-card',
    href,
    'data-status': statusCode,
    'aria-label': `${label}: ${count}`,
  },
  h('span', { class: 'count-number', text: String(count) }),
  h('span', { class: 'count-label', text: label }));

  replace(root,
    header,
    h('section', { class: 'dashboard-total' },
      card(buildHash('cases'), t('dashboard.total'), counts.total, null)),
    h('section', { 'aria-labelledby': 'by-status-heading' },
      h('h2', { id: 'by-status-heading', text: t('dashboard.byStatus') }),
      h('div', { class: 'count-grid' },
        STATUSES.map((code) => card(
          buildHash('cases', {}, { status: code }),
          t(`status.${code}`),
          counts.byStatus?.[code] ?? 0,
          code)))));
}
