/**
 * Abi: what each screen does, how deadlines are counted with their legal references (the rules
 * in force are read from the database, as Settings edits them), who is eligible, how the annex
 * spreads money over calendar years, the demo desk, and the keyboard.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { shortcutLabel } from '../shortcuts.js';
import { lockShortcutLabel } from '../lock-shortcut.js';

/** The screens in the order of the menu; the empty dashboard explains the same parts. */
export const SCREENS = [
  'dashboard', 'cases', 'newApplication', 'case', 'tasks', 'waiting', 'providers', 'partners', 'invoices',
  'statistics', 'proposals', 'settings', 'lock',
];

/** Each screen's name and its two-line explanation, as a definition list. */
export function screenList(id, screens = SCREENS) {
  return h('dl', { id, class: 'help-screens' }, screens.map((s) => [
    h('dt', { text: t(`help.screen.${s}.title`) }),
    h('dd', { text: t(`help.screen.${s}.text`) }),
  ]));
}

export async function render(root) {
  let rules;
  try {
    rules = await api.deadlineRulesList();
  } catch (error) {
    rules = error;
  }
  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('help.title') })),
    h('p', { class: 'lead help-intro', text: t('help.intro') }),
    h('section', { id: 'help-screens', class: 'card', 'aria-labelledby': 'help-screens-heading' },
      h('h2', { id: 'help-screens-heading', text: t('help.screensTitle') }),
      screenList('help-screen-list')),
    h('section', { id: 'help-deadlines', class: 'card', 'aria-labelledby': 'help-deadlines-heading' },
      h('h2', { id: 'help-deadlines-heading', text: t('help.deadlinesTitle') }),
      ['count', 'restDay', 'holidays', 'incomplete', 'decision'].map((k) => h('p', { text: t(`help.deadlines.${k}`) })),
      h('h3', { id: 'help-rules-heading', text: t('help.deadlines.rulesTitle') }),
      rulesTable(rules),
      h('p', { class: 'field-hint', text: t('help.deadlines.rulesHint') })),
    h('section', { id: 'help-eligibility', class: 'card', 'aria-labelledby': 'help-eligibility-heading' },
      h('h2', { id: 'help-eligibility-heading', text: t('help.eligibilityTitle') }),
      h('p', { text: t('help.eligibility.text') })),
    // The annex's rule for spreading money over calendar years, and the demo desk.
    h('section', { id: 'help-annex', class: 'card', 'aria-labelledby': 'help-annex-heading' },
      h('h2', { id: 'help-annex-heading', text: t('help.annexTitle') }),
      ['years', 'plan', 'others', 'check'].map((k) => h('p', { text: t(`help.annex.${k}`) }))),
    h('section', { id: 'help-demo', class: 'card', 'aria-labelledby': 'help-demo-heading' },
      h('h2', { id: 'help-demo-heading', text: t('help.demoTitle') }),
      h('p', { text: t('help.demo.text') })),
    h('section', { id: 'help-keyboard', class: 'card', 'aria-labelledby': 'help-keyboard-heading' },
      h('h2', { id: 'help-keyboard-heading', text: t('help.shortcutsTitle') }),
      shortcutsTable(),
      h('p', { text: t('help.shortcut.tab') })));
}

function rulesTable(rules) {
  if (rules instanceof Error || !Array.isArray(rules)) {
    return h('div', { class: 'banner error', role: 'alert' }, errorText(rules));
  }
  // The versions in force today: those without an end, or ending in the future.
  const current = rules.filter((r) => !r.validTo);
  const head = ['name', 'length', 'legalRef', 'validFrom'].map((k) => h('th', { scope: 'col', text: t(`rules.col.${k}`) }));
  return h('div', { class: 'table-wrap' },
    h('table', { id: 'help-rules', class: 'data-table', 'aria-labelledby': 'help-rules-heading' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, current.map((r) => h('tr', { 'data-code': r.code },
        h('td', { text: localized(r.name) }),
        h('td', { class: 'nowrap', text: `${r.count} ${t(`ruleUnit.${r.unit}`)}` }),
        h('td', { text: r.legalRef }),
        h('td', { class: 'nowrap', text: formatDate(r.validFrom) }))))));
}

function shortcutsTable() {
  const rows = [
    [shortcutLabel('search'), 'search'],
    [shortcutLabel('newApplication'), 'newApplication'],
    [shortcutLabel('save'), 'save'],
    [lockShortcutLabel(), 'lock'],
    [shortcutLabel('help'), 'help'],
  ];
  return h('table', { id: 'help-shortcuts', class: 'data-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: t('help.col.key') }),
      h('th', { scope: 'col', text: t('help.col.action') }))),
    h('tbody', {}, rows.map(([key, action]) => h('tr', {},
      h('td', {}, h('kbd', { text: key })),
      h('td', { text: t(`help.shortcut.${action}`) })))));
}
