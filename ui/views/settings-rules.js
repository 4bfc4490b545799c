/**
 * Seaded → Tähtajad: the dated deadline rules. Editing a rule saves a new version valid from
 * a chosen date (the backend closes the previous one); the table shows every version.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { todayDisplay, formatDate } from '../format.js';
import { field, clearErrors, showSubmitErrors, readValues } from '../form-ui.js';
import { RULE_UNITS, serialiseRule } from '../casework.js';

export async function rulesSection() {
  const box = h('section', { id: 'rules', class: 'card', 'aria-labelledby': 'rules-heading' });
  let rules;
  try {
    rules = await api.deadlineRulesList();
  } catch (error) {
    replace(box, h('h2', { id: 'rules-heading', text: t('rules.title') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return box;
  }
  renderRules(box, rules, null);
  return box;
}

function renderRules(box, rules, notice) {
  const message = h('p', { id: 'rules-message', class: 'save-message', role: 'status', tabindex: -1, text: notice ?? '' });
  const formBox = h('div', { class: 'rule-form-box' });
  // "Current" is the latest version of a rule: the one without an end date.
  const isCurrent = (rule) => rule.validTo == null;
  const head = ['name', 'length', 'legalRef', 'validFrom', 'validTo'].map((k) => h('th', { scope: 'col', text: t(`rules.col.${k}`) }));
  head.push(h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('rules.edit') })));
  const rows = rules.map((rule) => h('tr', {
    class: `rule-row${isCurrent(rule) ? ' current' : ''}`, 'data-code': rule.code, 'data-rule-id': String(rule.id),
  },
  h('td', { text: localized(rule.name) }),
  h('td', { class: 'nowrap', text: `${rule.count} ${t(`ruleUnit.${rule.unit}`)}` }),
  h('td', { text: rule.legalRef }),
  h('td', { class: 'nowrap', text: formatDate(rule.validFrom) }),
  h('td', { class: 'nowrap', text: rule.validTo ? formatDate(rule.validTo) : t('common.none') }),
  h('td', {}, isCurrent(rule)
    ? h('button', {
      type: 'button', class: 'rule-edit small-button', 'data-code': rule.code,
      'aria-label': t('rules.editN', { name: localized(rule.name) }),
    }, t('rules.edit'))
    : null)));

  const table = h('table', { id: 'rules-table', class: 'data-table rules-table' },
    h('thead', {}, h('tr', {}, head)), h('tbody', {}, rows));

  table.addEventListener('click', (event) => {
    const button = event.target.closest('.rule-edit');
    if (!button) return;
    const rule = rules.find((r) => r.code === button.dataset.code && isCurrent(r));
    if (rule) openForm(rule, button);
  });

  function openForm(rule, opener) {
    const count = h('input', { type: 'text', inputMode: 'numeric', value: String(rule.count), autocomplete: 'off' });
    const unit = h('select', {}, options(RULE_UNITS, (u) => t(`ruleUnit.${u}`), { selected: rule.unit }));
    const legalRef = h('input', { type: 'text', value: rule.legalRef, autocomplete: 'off' });
    const validFrom = h('input', { type: 'text', value: todayDisplay(), autocomplete: 'off' });
    const general = h('div', { id: 'rule-error', class: 'field-error', role: 'alert', hidden: true });
    const submit = h('button', { id: 'rule-submit', type: 'submit', class: 'primary' }, t('rules.submit'));
    const cancel = h('button', { type: 'button', class: 'link' }, t('common.cancel'));
    const form = h('form', { id: 'rule-form', class: 'inline-form', novalidate: true, 'data-code': rule.code },
      h('h3', { text: t('rules.formTitle', { name: localized(rule.name) }) }),
      h('div', { class: 'grid-2' },
        field({ id: 'rule-count', label: t('rules.count'), control: count, required: true }),
        field({ id: 'rule-unit', label: t('rules.unit'), control: unit, required: true }),
        field({ id: 'rule-legalRef', label: t('rules.legalRef'), control: legalRef, required: true }),
        field({ id: 'rule-validFrom', label: t('rules.validFrom'), control: validFrom, hint: t('form.dateHint'), required: true })),
      general,
      h('div', { class: 'actions left' }, submit, cancel));
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
      try {
        const next = await api.deadlineRuleSave(serialiseRule(rule.code, readValues(form)));
        renderRules(box, next, t('rules.saved'));
        box.querySelector('#rules-message').focus();
      } catch (error) {
        submit.disabled = false;
        showSubmitErrors(form, error, general, 'rule-');
      }
    });
    replace(formBox, form);
    count.focus();
  }

  replace(box,
    h('h2', { id: 'rules-heading', text: t('rules.title') }),
    h('p', { class: 'field-hint', text: t('rules.intro') }),
    h('div', { class: 'table-wrap' }, table),
    formBox,
    message);
}
