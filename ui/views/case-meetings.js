/**
 * "Võrgustikukohtumised" on the case page: the case's network meetings, the latest first, each
 * opening its own page, and "new meeting", which asks only when and where (the agenda comes from
 * the template of the kind chosen) and opens the new meeting for note taking.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { todayDisplay, formatDate } from '../format.js';
import { buildHash } from '../router.js';
import { field, clearErrors, showSubmitErrors, readValues } from '../form-ui.js';
import { MEETING_KINDS, serialiseMeeting } from '../meetings.js';

const heading = () => h('h2', { id: 'meetings-heading', text: t('meeting.listTitle') });

/** Fills `box` (the #meetings section) for a case. */
export async function loadMeetings(box, caseId, { navigate }) {
  let list;
  try {
    list = await api.meetingList(caseId);
  } catch (error) {
    replace(box, heading(), h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  const addButton = h('button', {
    id: 'meeting-new', type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'meeting-new-form',
  }, t('meeting.new'));
  const form = meetingForm({
    id: 'meeting-new-form',
    title: t('meeting.newTitle'),
    submitLabel: t('meeting.create'),
    values: {
      kind: list.length === 0 ? 'first' : 'follow_up',
      date: todayDisplay(),
      time: '', place: '', videoLink: '',
    },
  });
  form.hidden = true;
  const setOpen = (open) => {
    form.hidden = !open;
    addButton.setAttribute('aria-expanded', String(open));
    if (open) form.querySelector('#meeting-kind').focus();
  };
  addButton.addEventListener('click', () => setOpen(form.hidden));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      setOpen(false);
      addButton.focus();
    }
  });
  form.querySelector('[data-cancel]').addEventListener('click', () => {
    setOpen(false);
    addButton.focus();
  });
  const general = form.querySelector('.form-general-error');
  const submit = form.querySelector('button[type="submit"]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    try {
      const meeting = await api.meetingCreate(caseId, serialiseMeeting(readValues(form)));
      navigate('meeting', { id: caseId, meetingId: meeting.id });
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, 'meeting-');
    }
  });

  replace(box,
    h('div', { class: 'section-head' }, heading(), addButton),
    form,
    list.length === 0
      ? h('p', { id: 'meetings-empty', class: 'muted', text: t('meeting.none') })
      : h('div', { class: 'table-wrap' }, meetingsTable(caseId, list)));
}

function meetingsTable(caseId, list) {
  const cols = ['date', 'kind', 'place', 'participants', 'actions', 'minutes'];
  return h('table', { id: 'meetings-table', class: 'data-table meetings-table' },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', text: t(`meeting.col.${c}`) })))),
    h('tbody', {}, list.map((m) => h('tr', { class: 'meeting-row', 'data-meeting-id': String(m.id) },
      h('td', { class: 'nowrap' },
        h('a', { href: buildHash('meeting', { id: caseId, meetingId: m.id }), class: 'strong' },
          formatDate(m.date), m.time ? ` ${m.time}` : '')),
      h('td', { text: t(`meeting.kind.${m.kind}`) }),
      h('td', { text: m.place || (m.videoLink ? t('meeting.video') : t('common.none')) }),
      h('td', { text: String(m.participants) }),
      h('td', {}, m.actions === 0 ? t('common.none') : h('span', {
        class: m.openActions > 0 ? 'pill open-actions' : 'pill all-done',
        text: m.openActions > 0 ? t('meeting.openOf', { open: m.openActions, total: m.actions }) : t('meeting.allDone'),
      })),
      h('td', { text: m.hasMinutes ? t('meeting.minutesFiled') : t('common.none') })))));
}

/**
 * The when-and-where form (new meeting and editing). Control ids: meeting-kind, meeting-date,
 * meeting-time, meeting-place, meeting-videoLink.
 */
export function meetingForm({ id, title, submitLabel, values }) {
  const text = (props = {}) => h('input', { type: 'text', autocomplete: 'off', ...props });
  const kind = h('select', {}, options(MEETING_KINDS, (c) => t(`meeting.kind.${c}`), { selected: values.kind }));
  return h('form', { id, class: 'inline-form meeting-form', novalidate: true },
    h('h3', { text: title }),
    h('div', { class: 'grid-2' },
      field({ id: 'meeting-kind', label: t('meeting.kindLabel'), control: kind, required: true, hint: t('meeting.kindHint') }),
      h('div', { class: 'grid-2 nested' },
        field({ id: 'meeting-date', label: t('meeting.date'), control: text({ value: values.date }), hint: t('form.dateHint'), required: true }),
        field({ id: 'meeting-time', label: t('meeting.time'), control: text({ value: values.time, placeholder: '10:00' }), hint: t('meeting.timeHint') })),
      field({ id: 'meeting-place', label: t('meeting.place'), control: text({ value: values.place }) }),
      field({ id: 'meeting-videoLink', label: t('meeting.videoLink'), control: text({ value: values.videoLink, placeholder: 'https://', spellcheck: false }) })),
    h('div', { class: 'field-error form-general-error', role: 'alert', hidden: true }),
    h('div', { class: 'actions left' },
      h('button', { type: 'submit', class: 'primary', id: `${id}-submit` }, submitLabel),
      h('button', { type: 'button', class: 'link', 'data-cancel': '' }, t('common.cancel'))));
}
