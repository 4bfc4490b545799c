/**
 * The coordinator's contact log for one provider, partner or case: the entries newest first,
 * a form to add one (date, channel, who, summary, follow-up date) and "done" for a follow-up.
 * Follow-up dates appear on the dashboard until marked done.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { formatDate, todayDisplay, parseDisplayDate } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';

const CHANNELS = ['phone', 'email', 'meeting', 'letter', 'other'];

/** `subject`: {providerId} | {partnerId} | {caseId}; `heading`: the heading's tag (h2 in a card of its own). */
export async function loadContactLog(box, subject, { heading = 'h2' } = {}) {
  let entries;
  try {
    entries = await api.contactLogList(subject);
  } catch (error) {
    replace(box, h(heading, { text: t('contact.title') }), h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  const reload = () => loadContactLog(box, subject, { heading });
  replace(box, h(heading, { id: `${box.id}-heading`, text: t('contact.title') }), entryList(entries, reload), addForm(box.id, subject, reload));
}

function entryList(entries, reload) {
  if (!entries.length) return h('p', { class: 'muted contact-none', text: t('contact.none') });
  return h('ul', { class: 'contact-log' }, entries.map((e) => {
    let follow = null;
    if (e.followUpOn) {
      const done = h('button', { type: 'button', class: 'link', 'data-contact-done': String(e.id) }, t('contact.markDone'));
      done.addEventListener('click', async () => {
        done.disabled = true;
        try {
          await api.contactFollowUpDone(e.id);
          await reload();
        } catch (error) {
          done.disabled = false;
          done.after(h('span', { class: 'error-text', text: ` ${errorText(error)}` }));
        }
      });
      follow = h('div', { class: 'small' },
        t('contact.followUp', { date: formatDate(e.followUpOn) }), ' ',
        e.followUpDone ? h('span', { class: 'muted', text: t('contact.followUpDone') }) : done);
    }
    return h('li', { 'data-contact-id': String(e.id) },
      h('div', { class: 'small muted' },
        `${formatDate(e.contactDate)} · ${t(`contact.channel.${e.channel}`)}`,
        e.who ? ` · ${e.who}` : '',
        e.caseNo ? ` · ${e.caseNo}` : ''),
      h('div', { class: 'notes', text: e.summary }),
      follow);
  }));
}

function addForm(prefixBase, subject, reload) {
  const p = `${prefixBase}-`;
  const date = h('input', { type: 'text', value: todayDisplay(), autocomplete: 'off' });
  const channel = h('select', {}, options(CHANNELS, (c) => t(`contact.channel.${c}`), { selected: 'phone' }));
  const who = h('input', { type: 'text', autocomplete: 'off' });
  const summary = h('textarea', { rows: 3 });
  const follow = h('input', { type: 'text', autocomplete: 'off', placeholder: t('contact.datePlaceholder') });
  const general = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'secondary', id: `${p}submit` }, t('contact.add'));
  const form = h('form', { class: 'contact-form', novalidate: true },
    h('div', { class: 'grid-2' },
      field({ id: `${p}contactDate`, label: t('contact.date'), control: date, required: true }),
      field({ id: `${p}channel`, label: t('contact.channelLabel'), control: channel, required: true }),
      field({ id: `${p}who`, label: t('contact.who'), control: who }),
      field({ id: `${p}followUpOn`, label: t('contact.followUpOn'), control: follow, hint: t('contact.followUpHint') })),
    field({ id: `${p}summary`, label: t('contact.summary'), control: summary, required: true }),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    submit.disabled = true;
    try {
      await api.contactAdd({
        ...subject,
        contactDate: parseDisplayDate(date.value),
        channel: channel.value,
        who: who.value,
        summary: summary.value,
        followUpOn: parseDisplayDate(follow.value),
      });
      await reload();
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, p);
    }
  });
  return h('details', { class: 'contact-add' }, h('summary', { text: t('contact.addTitle') }), form);
}
