/**
 * Seaded → Otsused: the Board's heading, address and contacts on every decision, the number
 * prefix, the signer's title and the challenge clause; and the template library (standard
 * texts with placeholders), where each save is a new version and an unknown placeholder is
 * refused under the field.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { formatDateTime, formatDate, formatMoney, parseDisplayDate } from '../format.js';
import { field, clearErrors, showSubmitErrors, readValues } from '../form-ui.js';

const SETTINGS_FIELDS = [
  ['boardName', 'input', true],
  ['boardUnit', 'input', false],
  ['boardAddress', 'input', true],
  ['boardPhone', 'input', false],
  ['boardEmail', 'input', false],
  ['numberPrefix', 'input', true],
  ['signerTitle', 'input', true],
  ['challengeText', 'textarea', true],
];

const settingsId = (name) => `decision-settings-${name}`;

export async function decisionSettingsSection() {
  const box = h('section', { id: 'decision-settings', class: 'card', 'aria-labelledby': 'decision-settings-heading' });
  let settings;
  try {
    settings = await api.decisionSettingsGet();
  } catch (error) {
    replace(box, h('h2', { id: 'decision-settings-heading', text: t('decision.settings.title') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return box;
  }
  const message = h('p', { id: 'decision-settings-message', class: 'save-message', role: 'status' });
  const general = h('div', { id: 'decision-settings-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'decision-settings-save', type: 'submit', class: 'primary' }, t('decision.settings.save'));
  const form = h('form', { id: 'decision-settings-form', novalidate: true },
    h('div', { class: 'grid-2' }, SETTINGS_FIELDS.map(([name, kind, required]) => field({
      id: settingsId(name),
      label: t(`decision.settings.${name}`),
      hint: name === 'challengeText' || name === 'numberPrefix' ? t(`decision.settings.${name}Hint`) : undefined,
      required,
      className: kind === 'textarea' ? 'span-2' : '',
      control: kind === 'textarea'
        ? h('textarea', { rows: 5, value: settings[name] ?? '' })
        : h('input', { type: 'text', autocomplete: 'off', value: settings[name] ?? '' }),
    }))),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    clearErrors(form);
    general.hidden = true;
    message.textContent = '';
    const values = readValues(form);
    const input = Object.fromEntries(SETTINGS_FIELDS.map(([name]) => [name, values[settingsId(name)] ?? '']));
    try {
      await api.decisionSettingsSave(input);
      message.textContent = t('decision.settings.saved');
    } catch (error) {
      showSubmitErrors(form, error, general, settingsId);
    } finally {
      submit.disabled = false;
    }
  });
  const caps = h('div', { id: 'decision-caps' });
  await renderCaps(caps);
  replace(box,
    h('h2', { id: 'decision-settings-heading', text: t('decision.settings.title') }),
    h('p', { class: 'field-hint', text: t('decision.settings.intro') }),
    form,
    message,
    caps);
  return box;
}

/** The yearly cap per child: every version, and a new one from a 1 January. */
async function renderCaps(box, notice = null) {
  let list;
  try {
    list = await api.decisionCapsList();
  } catch (error) {
    replace(box, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  const amount = h('input', { type: 'text', inputMode: 'decimal', autocomplete: 'off' });
  const legalRef = h('input', { type: 'text', autocomplete: 'off', value: list.length ? list[list.length - 1].legalRef : '' });
  const validFrom = h('input', { type: 'text', autocomplete: 'off', value: `01.01.${new Date().getFullYear() + 1}` });
  const general = h('div', { id: 'cap-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'cap-submit', type: 'submit', class: 'secondary' }, t('decision.caps.save'));
  const form = h('form', { id: 'cap-form', class: 'inline-form', novalidate: true },
    h('h4', { text: t('decision.caps.new') }),
    h('div', { class: 'grid-2' },
      field({ id: 'cap-amount', label: t('decision.caps.amount'), control: amount, required: true }),
      field({ id: 'cap-validFrom', label: t('decision.caps.validFrom'), control: validFrom, hint: t('decision.caps.validFromHint'), required: true }),
      field({ id: 'cap-legalRef', label: t('rules.legalRef'), control: legalRef, required: true })),
    general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    clearErrors(form);
    general.hidden = true;
    try {
      await api.decisionCapSave({ amount: amount.value, legalRef: legalRef.value, validFrom: parseDisplayDate(validFrom.value) });
      await renderCaps(box, t('decision.caps.saved'));
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, 'cap-');
    }
  });
  replace(box,
    h('h3', { text: t('decision.caps.title') }),
    h('p', { class: 'field-hint', text: t('decision.caps.intro') }),
    h('table', { id: 'caps-table', class: 'data-table' },
      h('thead', {}, h('tr', {}, ['amount', 'legalRef', 'validFrom', 'validTo'].map((k) => h('th', { scope: 'col', text: t(`decision.caps.col.${k}`) })))),
      h('tbody', {}, list.map((c) => h('tr', { class: 'cap-row' },
        h('td', { class: 'num', text: formatMoney(c.amountCents) }),
        h('td', { text: c.legalRef }),
        h('td', { class: 'nowrap', text: formatDate(c.validFrom) }),
        h('td', { class: 'nowrap', text: c.validTo ? formatDate(c.validTo) : t('common.none') }))))),
    form,
    h('p', { class: 'save-message', role: 'status', text: notice ?? '' }));
}

export async function templatesSection() {
  const box = h('section', { id: 'decision-templates', class: 'card', 'aria-labelledby': 'decision-templates-heading' });
  let list;
  try {
    list = await api.decisionTemplatesList();
  } catch (error) {
    replace(box, h('h2', { id: 'decision-templates-heading', text: t('decision.templates.title') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return box;
  }
  renderTemplates(box, list, null);
  return box;
}

function renderTemplates(box, list, notice) {
  const message = h('p', { id: 'templates-message', class: 'save-message', role: 'status', tabindex: -1, text: notice ?? '' });
  const formBox = h('div', { class: 'template-form-box' });
  const table = h('table', { id: 'templates-table', class: 'data-table' },
    h('thead', {}, h('tr', {}, ['title', 'category', 'lang', 'version', 'saved'].map((k) => h('th', { scope: 'col', text: t(`decision.templates.col.${k}`) })),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('rules.edit') })))),
    h('tbody', {}, list.map((tpl) => h('tr', { class: 'template-row', 'data-code': tpl.code, 'data-lang': tpl.lang },
      h('td', {}, h('div', { text: tpl.title }), h('div', { class: 'small muted mono', text: tpl.code })),
      h('td', { text: t(`decision.templates.category.${tpl.category}`) }),
      h('td', { text: t(`language.${tpl.lang}`) }),
      h('td', { class: 'num', text: String(tpl.version) }),
      h('td', { class: 'small', text: `${formatDateTime(tpl.updatedAt)} ${tpl.savedBy}` }),
      h('td', {}, h('button', {
        type: 'button', class: 'small-button template-edit', 'data-code': tpl.code, 'data-lang': tpl.lang,
        'aria-label': t('rules.editN', { name: tpl.title }),
      }, t('rules.edit')))))));
  table.addEventListener('click', (event) => {
    const button = event.target.closest('.template-edit');
    if (!button) return;
    const tpl = list.find((x) => x.code === button.dataset.code && x.lang === button.dataset.lang);
    if (tpl) openForm(tpl, button);
  });

  async function openForm(tpl, opener) {
    const title = h('input', { type: 'text', autocomplete: 'off', value: tpl.title });
    const body = h('textarea', { rows: 8, value: tpl.body, lang: tpl.lang });
    const general = h('div', { id: 'template-error', class: 'field-error', role: 'alert', hidden: true });
    const submit = h('button', { id: 'template-submit', type: 'submit', class: 'primary' }, t('decision.templates.save'));
    const cancel = h('button', { type: 'button', class: 'link' }, t('common.cancel'));
    const versions = h('div', { class: 'template-versions' });
    const form = h('form', { id: 'template-form', class: 'inline-form', novalidate: true },
      h('h3', { text: t('decision.templates.formTitle', { title: tpl.title, lang: t(`language.${tpl.lang}`) }) }),
      field({ id: 'template-title', label: t('decision.templates.titleLabel'), control: title, required: true }),
      field({ id: 'template-body', label: t('decision.templates.body'), hint: t('decision.placeholdersHint'), control: body, required: true }),
      general,
      h('div', { class: 'actions left' }, submit, cancel),
      versions);
    const close = () => {
      replace(formBox);
      opener.focus();
    };
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors(form);
      general.hidden = true;
      submit.disabled = true;
      const values = readValues(form);
      try {
        const saved = await api.decisionTemplateSave({ code: tpl.code, lang: tpl.lang, title: values['template-title'], body: values['template-body'] });
        const next = await api.decisionTemplatesList();
        renderTemplates(box, next, t('decision.templates.saved', { version: saved.version }));
        box.querySelector('#templates-message').focus();
      } catch (error) {
        submit.disabled = false;
        showSubmitErrors(form, error, general, 'template-');
      }
    });
    replace(formBox, form);
    body.focus();
    try {
      const all = await api.decisionTemplateVersions(tpl.code, tpl.lang);
      if (all.length > 1) {
        replace(versions, h('details', {},
          h('summary', { text: t('decision.templates.versions', { n: all.length }) }),
          h('ol', { reversed: true }, all.map((v) => h('li', {},
            h('div', { class: 'small muted', text: `v${v.version} · ${formatDateTime(v.updatedAt)} · ${v.savedBy}` }),
            h('div', { class: 'notes small', text: v.body }))))));
      }
    } catch {
      // The history is a help; the form works without it.
    }
  }

  replace(box,
    h('h2', { id: 'decision-templates-heading', text: t('decision.templates.title') }),
    h('p', { class: 'field-hint', text: t('decision.templates.intro') }),
    h('div', { class: 'table-wrap' }, table),
    formBox,
    message);
}
