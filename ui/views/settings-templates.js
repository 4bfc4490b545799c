/**
 * Seaded → Kohtumiste mallid: the agenda of a first and of a follow-up network meeting, one
 * item per line. A new meeting of that kind starts with these items; meetings already held
 * keep their own agenda.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDateTime } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';

export async function templatesSection() {
  const box = h('section', { id: 'meeting-templates', class: 'card', 'aria-labelledby': 'meeting-templates-heading' });
  let templates;
  try {
    templates = await api.meetingTemplatesList();
  } catch (error) {
    replace(box, h('h2', { id: 'meeting-templates-heading', text: t('meeting.templatesTitle') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return box;
  }
  replace(box,
    h('h2', { id: 'meeting-templates-heading', text: t('meeting.templatesTitle') }),
    h('p', { class: 'field-hint', text: t('meeting.templatesIntro') }),
    h('div', { class: 'grid-2 templates-grid' }, templates.map((tpl) => templateForm(tpl))));
  return box;
}

function templateForm(tpl) {
  const id = `template-${tpl.code}`;
  const agenda = h('textarea', { rows: 8, value: tpl.agenda.join('\n'), spellcheck: true });
  const message = h('p', { id: `${id}-message`, class: 'save-message', role: 'status' });
  const general = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: `${id}-save`, type: 'submit', class: 'secondary' }, t('meeting.templateSave'));
  const updated = h('p', { class: 'small muted', text: tpl.edited ? t('meeting.templateUpdated', { at: formatDateTime(tpl.updatedAt) }) : t('meeting.templateShipped') });
  const form = h('form', { id: `${id}-form`, class: 'template-form', novalidate: true, 'data-code': tpl.code },
    field({ id: `${id}-agenda`, label: localized(tpl.name), control: agenda, hint: t('meeting.templateHint') }),
    general,
    h('div', { class: 'actions left' }, submit),
    updated,
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    message.textContent = '';
    submit.disabled = true;
    try {
      const list = await api.meetingTemplateSave({ code: tpl.code, agenda: agenda.value });
      const saved = list.find((x) => x.code === tpl.code);
      if (saved) {
        agenda.value = saved.agenda.join('\n');
        updated.textContent = t('meeting.templateUpdated', { at: formatDateTime(saved.updatedAt) });
      }
      message.textContent = t('meeting.templateSaved');
    } catch (error) {
      showSubmitErrors(form, error, general, (path) => (path === 'agenda' ? `${id}-agenda` : `${id}-${path}`));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
