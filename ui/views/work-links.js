/**
 * Links of a task or a proposal to cases and providers: a case is found by its number or a
 * search (the case list's own search) and added; a provider is picked from the directory.
 * Chosen links show as chips with a remove button. With `caseNames: false` a case shows by its
 * number only (proposals: about the service, not about a child).
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText } from '../i18n/index.js';

export function linkPicker({ id, cases = [], providers = [], providerOptions = [], caseNames = true }) {
  const chosenCases = cases.map((c) => ({ id: c.id, caseNo: c.caseNo, childName: c.childName ?? '' }));
  const chosenProviders = providers.map((p) => ({ id: p.id, name: p.name }));
  const caseChips = h('ul', { id: `${id}-cases`, class: 'link-chips' });
  const providerChips = h('ul', { id: `${id}-providers`, class: 'link-chips' });

  const caseLabel = (c) => (caseNames && c.childName ? `${c.caseNo} · ${c.childName}` : c.caseNo);
  const chip = (label, onRemove, data) => {
    const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('work.removeLink', { what: label }) }, '×');
    remove.addEventListener('click', onRemove);
    return h('li', { class: 'link-chip', ...data }, h('span', { text: label }), remove);
  };
  const draw = () => {
    replace(caseChips, chosenCases.map((c, i) => chip(caseLabel(c), () => { chosenCases.splice(i, 1); draw(); }, { 'data-case-id': String(c.id) })));
    replace(providerChips, chosenProviders.map((p, i) => chip(p.name, () => { chosenProviders.splice(i, 1); draw(); }, { 'data-provider-id': String(p.id) })));
  };

  // Cases: type a number or a name, pick from the matches.
  const search = h('input', { id: `${id}-case-search`, type: 'search', autocomplete: 'off', spellcheck: false, placeholder: t('work.caseSearchPlaceholder') });
  const found = h('ul', { id: `${id}-case-found`, class: 'link-found', 'aria-live': 'polite' });
  let timer = null;
  let seq = 0;
  const run = async () => {
    const text = search.value.trim();
    const mine = ++seq;
    if (text === '') { replace(found); return; }
    let list;
    try {
      list = await api.caseList({ text, status: '', limit: 8, offset: 0 });
    } catch (error) {
      if (mine === seq) replace(found, h('li', { class: 'error-text', role: 'alert', text: errorText(error) }));
      return;
    }
    if (mine !== seq) return;
    const items = (list.items ?? []).filter((c) => !chosenCases.some((x) => x.id === c.id));
    replace(found, items.length === 0
      ? h('li', { class: 'muted small', text: t('work.noCaseFound') })
      : items.map((c) => {
        const add = h('button', { type: 'button', class: 'small-button link-add-case', 'data-case-id': String(c.id), 'data-case-no': c.caseNo },
          caseNames ? `${c.caseNo} · ${c.childName}` : c.caseNo);
        add.addEventListener('click', () => {
          chosenCases.push({ id: c.id, caseNo: c.caseNo, childName: c.childName });
          search.value = '';
          replace(found);
          draw();
          search.focus();
        });
        return h('li', {}, add);
      }));
  };
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 200); });
  search.addEventListener('keydown', (event) => {
    // Enter adds the only match (a full case number typed), never submits the form.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const buttons = found.querySelectorAll('.link-add-case');
    if (buttons.length === 1) buttons[0].click();
  });

  const providerSelect = h('select', { id: `${id}-provider-select` },
    options(providerOptions.map((p) => String(p.id)), (pid) => providerOptions.find((p) => String(p.id) === pid).name, { placeholder: t('work.chooseProvider') }));
  const addProvider = h('button', { type: 'button', class: 'secondary', id: `${id}-provider-add` }, t('work.addProvider'));
  addProvider.addEventListener('click', () => {
    const pid = Number(providerSelect.value);
    if (!pid || chosenProviders.some((p) => p.id === pid)) return;
    chosenProviders.push({ id: pid, name: providerOptions.find((p) => p.id === pid).name });
    providerSelect.value = '';
    draw();
  });

  draw();
  const element = h('div', { class: 'link-picker grid-2' },
    h('div', { class: 'field' },
      h('label', { for: `${id}-case-search`, text: t('work.linkedCases') }),
      h('div', { class: 'field-hint', text: caseNames ? t('work.caseSearchHint') : t('work.caseSearchHintNumbers') }),
      caseChips, search, found,
      h('div', { id: `${id}-caseIds-error`, class: 'field-error', hidden: true })),
    h('div', { class: 'field' },
      h('label', { for: `${id}-provider-select`, text: t('work.linkedProviders') }),
      providerChips,
      h('div', { class: 'path-row' }, providerSelect, addProvider),
      h('div', { id: `${id}-providerIds-error`, class: 'field-error', hidden: true })));
  return {
    element,
    value: () => ({ caseIds: chosenCases.map((c) => c.id), providerIds: chosenProviders.map((p) => p.id) }),
  };
}
