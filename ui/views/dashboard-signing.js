/**
 * The dashboard's signing rows: approved decisions that have not left yet — the signature
 * waits for confirmation ("allkiri vajab kinnitust") or the decision is not sent ("saatmata").
 * The backend decides which decisions wait and why (`dashboard.signing`); each row opens the
 * decision on its case.
 */
import { h } from '../dom.js';
import { t, localized } from '../i18n/index.js';
import { buildHash } from '../router.js';
import { formatDate } from '../format.js';
import { pagedList } from './paged-list.js';

/** The "Otsused, mis ei ole veel lahkunud" group as a list of zero or one section. */
export function signingGroups(dash) {
  const items = dash?.signing ?? [];
  if (items.length === 0) return [];
  const list = pagedList(items, (w) => h('li', {}, h('a', {
    class: `deadline-item signing-item signing-${w.reason}`,
    href: buildHash('case', { id: w.caseId, part: 'otsused' }, { decision: w.decisionId }),
    title: w.lastError || localized(w.title),
    'data-case-id': String(w.caseId),
    'data-decision-id': String(w.decisionId),
    'data-kind': 'decision_waiting',
    'data-reason': w.reason,
  },
  h('span', { class: 'deadline-when' },
    h('span', { class: 'deadline-left signing-state', text: localized(w.title) }),
    h('span', { class: 'deadline-date', text: w.decisionDate ? formatDate(w.decisionDate) : '' })),
  h('span', { class: 'deadline-what' },
    h('span', { class: 'deadline-child', text: w.childName }),
    h('span', { class: 'deadline-case mono', text: w.caseNo }),
    h('span', { class: 'deadline-title', text: t('signingDesk.decisionN', { kind: t(`decision.kind.${w.kind}`), number: w.number }) })),
  w.lastError ? h('span', { class: 'deadline-explanation', text: t('signingDesk.lastError', { error: w.lastError }) }) : null)),
  'deadline-group-signing');
  return [h('section', { class: 'deadline-group', 'data-kind': 'decision_waiting', 'aria-labelledby': 'deadline-group-signing' },
    h('h3', { id: 'deadline-group-signing', text: t('signingDesk.dashboardTitle') }),
    list)];
}
