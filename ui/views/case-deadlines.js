/**
 * The case's deadlines as the backend computed them: the next one prominently under the
 * header (#next-deadline) and all of them in "Tähtajad" (#deadlines). Nothing is counted here.
 */
import { h } from '../dom.js';
import { t, localized } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { sectionCard } from '../form-ui.js';
import { deadlineStateText, deadlineTone } from '../deadline-text.js';

/** The banner under the case header. Carries data-due (YYYY-MM-DD) for tests and styling. */
export function nextDeadlineBanner(deadline) {
  if (!deadline) {
    return h('div', { id: 'next-deadline', class: 'next-deadline tone-none', role: 'status' },
      h('span', { class: 'muted', text: t('deadline.noNext') }));
  }
  return h('div', {
    id: 'next-deadline',
    class: `next-deadline tone-${deadlineTone(deadline)}`,
    role: 'status',
    'data-kind': deadline.kind,
    'data-due': deadline.due,
    'data-state': deadline.state,
    'data-days-left': String(deadline.daysLeft),
  },
  h('p', { class: 'next-deadline-line' },
    h('span', { class: 'next-deadline-title', text: localized(deadline.title) }), ' ',
    h('strong', { class: 'next-deadline-date', text: formatDate(deadline.due), title: localized(deadline.explanation), 'aria-describedby': 'next-deadline-explanation' }),
    ' — ',
    h('span', { class: 'next-deadline-left', text: deadlineStateText(deadline) })),
  h('p', { id: 'next-deadline-explanation', class: 'next-deadline-explanation', text: localized(deadline.explanation) }));
}

/** "Tähtajad": every deadline with its state and why. */
export function deadlinesCard(detail) {
  const deadlines = detail.deadlines ?? [];
  const completeOn = detail.completeOn
    ? h('p', { class: 'complete-on' }, t('deadline.completeOn'), ': ', h('strong', { id: 'complete-on', text: formatDate(detail.completeOn) }))
    : null;
  if (deadlines.length === 0) {
    return sectionCard('deadlines', t('deadline.section'), completeOn, h('p', { class: 'muted', text: t('deadline.none') }));
  }
  const head = ['title', 'due', 'state', 'explanation'].map((k) => h('th', { scope: 'col', text: t(`deadline.col.${k}`) }));
  const rows = deadlines.map((d, i) => h('tr', {
    class: `deadline-row tone-${deadlineTone(d)}`,
    'data-kind': d.kind,
    'data-due': d.due,
    'data-state': d.state,
  },
  h('td', {},
    h('div', { class: 'strong', text: localized(d.title) }),
    d.legalRef ? h('div', { class: 'small muted', text: t('deadline.legalRef', { ref: d.legalRef }) }) : null),
  h('td', { class: 'nowrap' }, h('span', { text: formatDate(d.due), title: localized(d.explanation), 'aria-describedby': `deadline-why-${i}` })),
  h('td', { class: 'nowrap' }, h('span', { class: `deadline-state tone-${deadlineTone(d)}`, text: deadlineStateText(d), title: localized(d.explanation) })),
  h('td', { id: `deadline-why-${i}`, class: 'small', text: localized(d.explanation) })));
  return sectionCard('deadlines', t('deadline.section'), completeOn,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data-table deadlines-table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, rows))));
}
