/**
 * The dashboard's long lists, shown a page at a time: a desk with years of history can have a
 * thousand overdue items in one group, and they are not all put in the page.
 */
import { h } from '../dom.js';
import { t } from '../i18n/index.js';

/** Rows a deadline group shows at first; "Näita veel" adds as many again. A desk with years of
 * history can have a thousand overdue items in one group: they are not all put in the page. */
export const DASHBOARD_PAGE = 25;

/** A list that shows `DASHBOARD_PAGE` rows (`renderRow` makes each `li`) and a button for the
 * next ones. */
export function pagedList(items, renderRow, id, className = '') {
  const list = h('ul', { class: `deadline-list ${className}`.trim(), id: `${id}-list` });
  const more = h('button', { type: 'button', class: 'secondary show-more', id: `${id}-more` });
  let shown = 0;
  const showNext = () => {
    const next = items.slice(shown, shown + DASHBOARD_PAGE);
    list.append(...next.map(renderRow));
    shown += next.length;
    const left = items.length - shown;
    more.hidden = left <= 0;
    more.textContent = t('dashboard.showMore', { count: Math.min(left, DASHBOARD_PAGE), shown, total: items.length });
  };
  more.addEventListener('click', () => {
    const first = shown;
    showNext();
    // Keyboard users go on from the first row just added.
    list.children[first]?.querySelector('a, button')?.focus();
  });
  showNext();
  return h('div', {}, list, more);
}
