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
 * next ones. `more` (the dashboard, issue 30): the backend gave only the first rows; `total` is
 * how many there are and `fetch(limit)` resolves to the list's first `limit` rows. */
export function pagedList(items, renderRow, id, className = '', more = null) {
  const list = h('ul', { class: `deadline-list ${className}`.trim(), id: `${id}-list` });
  const button = h('button', { type: 'button', class: 'secondary show-more', id: `${id}-more` });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const total = () => Math.max(more?.total ?? 0, items.length);
  let shown = 0;
  const showNext = () => {
    const next = items.slice(shown, shown + DASHBOARD_PAGE);
    list.append(...next.map(renderRow));
    shown += next.length;
    const left = total() - shown;
    button.hidden = left <= 0;
    button.textContent = t('dashboard.showMore', { count: Math.min(left, DASHBOARD_PAGE), shown, total: total() });
  };
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    const first = shown;
    if (more && items.length < shown + DASHBOARD_PAGE && items.length < more.total) {
      button.disabled = true;
      error.hidden = true;
      try {
        items = await more.fetch(shown + DASHBOARD_PAGE);
      } catch (e) {
        error.textContent = more.errorText?.(e) ?? String(e);
        error.hidden = false;
        return;
      } finally {
        button.disabled = false;
      }
    }
    showNext();
    // Keyboard users go on from the first row just added.
    list.children[first]?.querySelector('a, button')?.focus();
  });
  showNext();
  return h('div', {}, list, button, error);
}
