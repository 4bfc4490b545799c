/**
 * Seaded → Logi: the audit log (who did what, when, to which case), newest first, filtered by
 * action and day, 50 rows a page. Reading the log is itself logged by the backend.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { formatDateTime, parseDisplayDate } from '../format.js';
import { field, clearErrors, showFieldErrors } from '../form-ui.js';
import { buildHash } from '../router.js';

const PAGE = 50;

export function auditSection() {
  const box = h('section', { id: 'audit', class: 'card', 'aria-labelledby': 'audit-heading' });
  const state = { action: '', day: '', page: 0 };
  const action = h('select', { id: 'audit-action' });
  const day = h('input', { id: 'audit-day', type: 'text', inputmode: 'numeric', placeholder: t('form.dateHint') });
  const table = h('div', { class: 'table-wrap' });
  const count = h('p', { id: 'audit-count', class: 'muted' });
  const pager = h('div', { class: 'pager' });

  async function load() {
    clearErrors(box);
    let page;
    try {
      page = await api.auditList({ action: state.action, day: state.day, limit: PAGE, offset: state.page * PAGE });
    } catch (error) {
      if (error.code === 'validation') {
        showFieldErrors(box, error.fields, (path) => `audit-${path}`);
      } else {
        replace(table, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
      }
      return;
    }
    replace(action, options(page.actions, (a) => a, { selected: state.action, placeholder: t('audit.allActions') }));
    count.textContent = t('audit.count', { count: page.total });
    replace(table, h('table', { id: 'audit-table', class: 'data-table' },
      h('thead', {}, h('tr', {}, ['at', 'actor', 'action', 'target', 'detail'].map((k) => h('th', { scope: 'col', text: t(`audit.col.${k}`) })))),
      h('tbody', {}, page.rows.map((row) => h('tr', { class: 'audit-row', 'data-action': row.action },
        h('td', { class: 'nowrap', text: formatDateTime(row.at) }),
        h('td', { text: row.actor }),
        h('td', { class: 'mono', text: row.action }),
        // A case by its id links to it; one named by its number (a colleague's case opened, which
        // may have left this desk) is said by the number.
        h('td', {}, row.entity === 'case' && /^\d+$/.test(row.entityId)
          ? h('a', { href: buildHash('case', { id: Number(row.entityId) }), text: row.caseNo ?? t('audit.case', { id: row.entityId }) })
          : h('span', { text: row.entityId ? `${row.entity} ${row.entityId}` : row.entity })),
        h('td', { class: 'audit-detail', text: row.detail }))))));
    const prev = h('button', { type: 'button', class: 'secondary', disabled: state.page === 0 }, t('cases.prev'));
    const next = h('button', { type: 'button', class: 'secondary', disabled: (state.page + 1) * PAGE >= page.total }, t('cases.next'));
    prev.addEventListener('click', () => { state.page -= 1; load(); });
    next.addEventListener('click', () => { state.page += 1; load(); });
    replace(pager, prev, next);
  }

  action.addEventListener('change', () => { state.action = action.value; state.page = 0; load(); });
  day.addEventListener('change', () => { state.day = parseDisplayDate(day.value); state.page = 0; load(); });

  replace(box,
    h('h2', { id: 'audit-heading', text: t('audit.title') }),
    h('p', { class: 'muted', text: t('audit.intro') }),
    h('div', { class: 'filters' },
      field({ id: 'audit-action', label: t('audit.action'), control: action }),
      field({ id: 'audit-day', label: t('audit.day'), control: day })),
    count, table, pager);
  load();
  return box;
}
