/**
 * The team desk's filter by responsible coordinator (issue 28) on the case list and the
 * dashboard: "Kõik", the desk's own member ("Minu juhtumid"), then each colleague whose cases
 * this desk holds (a lead and a substitute see several). The list comes from the desk
 * (`team_coordinators`, or with the dashboard's view); a desk not in a team has none, and shows
 * no filter. The choice lives in the address (`coordinator=<login>`); the filtering is done by
 * srt-core in SQL.
 */
import { h } from '../dom.js';
import { t } from '../i18n/index.js';

/** The options as [value, label] pairs: all, mine, then each colleague with their case count. */
export function coordinatorOptions(list) {
  if (!Array.isArray(list) || list.length === 0) return [];
  const mine = list.filter((c) => c.mine);
  const others = list.filter((c) => !c.mine);
  return [
    ['', t('team.filter.all')],
    ...mine.map((c) => [c.login, t('team.filter.mine', { n: c.cases })]),
    ...others.map((c) => [c.login, t('team.filter.other', { name: c.name || c.login, n: c.cases })]),
  ];
}

/**
 * The labelled select (`id` for the control), or null when there is nothing to choose; a login
 * in the address that the list no longer has is kept as an option, so the page says what it
 * filters by.
 */
export function coordinatorFilter(id, list, selected, onChange) {
  const pairs = coordinatorOptions(list);
  if (pairs.length === 0) return null;
  if (selected && !pairs.some(([value]) => value === selected)) pairs.push([selected, selected]);
  const select = h('select', { id },
    pairs.map(([value, label]) => h('option', { value, selected: value === (selected ?? '') }, label)));
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'field' }, h('label', { for: id, text: t('team.filter.label') }), select);
}
