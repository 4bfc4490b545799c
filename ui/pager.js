/**
 * "‹ Previous  1–50 / 1 234  Next ›" under a paged list (the cases, the waiting children, the
 * invoices). `page` counts from 1; `shown` is how many rows this page has; `onPage(n)` loads page n.
 */
import { h } from './dom.js';
import { t } from './i18n/index.js';

/** Rows a list page shows (the backend's default page, cases::page_bounds). */
export const PAGE_SIZE = 50;

/** Which rows a page shows (1-based, inclusive) and whether there are pages before and after it. */
export function pageRange({ page, pageSize, shown, total }) {
  const from = shown > 0 ? (page - 1) * pageSize + 1 : 0;
  const to = shown > 0 ? from + shown - 1 : 0;
  return { from, to, hasPrev: page > 1, hasNext: (page - 1) * pageSize + shown < total };
}

export function pagerNav({ id, page, pageSize, shown, total, onPage }) {
  const { from, to, hasPrev, hasNext } = pageRange({ page, pageSize, shown, total });
  const prev = h('button', { type: 'button', class: 'secondary', disabled: !hasPrev }, t('cases.prev'));
  const next = h('button', { type: 'button', class: 'secondary', disabled: !hasNext }, t('cases.next'));
  prev.addEventListener('click', () => onPage(page - 1));
  next.addEventListener('click', () => onPage(page + 1));
  return h('nav', { id, class: 'pager', 'aria-label': t('cases.paging') },
    prev, h('span', { class: 'page-info', text: t('cases.pageInfo', { from, to, total }) }), next);
}
