/** "Ajalugu": what happened in the case, newest first (statuses, documents, assessment). */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatWhen } from '../format.js';
import { newestFirst } from '../timeline.js';

export async function loadTimeline(box, caseId) {
  const title = h('h2', { id: 'timeline-heading', text: t('timeline.title') });
  let entries;
  try {
    entries = await api.caseTimeline(caseId);
  } catch (error) {
    replace(box, title, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  if (!entries || entries.length === 0) {
    replace(box, title, h('p', { class: 'muted', text: t('timeline.none') }));
    return;
  }
  replace(box, title, h('ol', { class: 'timeline' }, newestFirst(entries).map((entry) => {
    const when = formatWhen(entry.at);
    return h('li', { class: 'timeline-item', 'data-kind': entry.kind },
      h('div', { class: 'timeline-when' },
        h('time', { dateTime: entry.at, text: when.date }),
        when.time ? h('span', { class: 'timeline-time', text: when.time }) : null),
      h('div', { class: 'timeline-body' },
        h('span', { class: 'timeline-kind', text: t(`timelineKind.${entry.kind}`) }),
        h('span', { class: 'timeline-title', text: localized(entry.title) }),
        entry.detail ? h('p', { class: 'timeline-detail notes', text: entry.detail }) : null));
  })));
}
