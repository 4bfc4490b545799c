/**
 * "‹ Previous  1–50 / 1 234  Next ›" under a paged list (the cases, the waiting children).
 * `page` counts from 1; `shown` is how many rows this page has; `onPage(n)` loads page n.
 */
import { h } from './dom.js';
import { t } from './i18n/index.js';

export function pagerNav({ id, page, pageSize, shown, total, onPage }) {
  const from = (page - 1) * pageSize + 1;
  const to = from + shown - 1;
  const prev = h('button', { type: 'button', class: 'secondary', disabled: page <= 1 }, t('cases.prev'));
  const next = h('button', { type: 'button', class: 'secondary', disabled: to >= total }, t('cases.next'));
  prev.addEventListener('click', () => onPage(page - 1));
  next.addEventListener('click', () => onPage(page + 1));
  return h('nav', { id, class: 'pager', 'aria-label': t('cases.paging') },
    prev, h('span', { class: 'page-info', text: t('cases.pageInfo', { from, to, total }) }), next);
}
