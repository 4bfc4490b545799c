/**
 * Seaded → Hinnakiri: the activities' prices as dated versions (the one in force and the ones
 * before), and a new price from a date; the version in force ends the day before. Invoices
 * already entered keep the unit price they were billed at.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText, getLanguage } from '../i18n/index.js';
import { formatDate, parseDisplayDate } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { formatMoneyIn } from '../billing.js';

export async function pricesSection() {
  const box = h('section', { id: 'price-settings', class: 'card', 'aria-labelledby': 'price-settings-heading' });
  await draw(box, null);
  return box;
}

async function draw(box, notice) {
  let list;
  try {
    list = await api.priceList();
  } catch (error) {
    replace(box, h('h2', { id: 'price-settings-heading', text: t('billing.pricesTitle') }),
      h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  const lang = getLanguage();
  const name = (p) => (lang === 'en' ? p.nameEn : p.nameEt);
  const current = list.filter((p) => p.validTo == null);
  const older = list.filter((p) => p.validTo != null);
  const code = h('input', { type: 'text', autocomplete: 'off' });
  code.setAttribute('list', 'price-codes'); // a read-only property: only the attribute sets it
  const codes = h('datalist', { id: 'price-codes' }, current.map((p) => h('option', { value: p.code }, `${p.code} ${name(p)}`)));
  const mode = h('select', {}, options(['individual', 'group'], (m) => t(`billing.mode.${m}`), { selected: 'individual' }));
  code.addEventListener('change', () => {
    const known = current.find((p) => p.code === code.value.trim());
    if (known) mode.value = known.mode;
  });
  const price = h('input', { type: 'text', inputMode: 'decimal', autocomplete: 'off' });
  const validFrom = h('input', { type: 'text', autocomplete: 'off', value: `01.01.${new Date().getFullYear() + 1}` });
  const nameEt = h('input', { type: 'text', autocomplete: 'off' });
  const nameEn = h('input', { type: 'text', autocomplete: 'off' });
  const unit = h('select', {}, options(['hour', 'day', 'km'], (u) => t(`billing.unit.${u}`), { selected: 'hour' }));
  const general = h('div', { id: 'price-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'price-submit', type: 'submit', class: 'secondary' }, t('billing.priceSave'));
  const form = h('form', { id: 'price-form', class: 'inline-form', novalidate: true },
    h('h4', { text: t('billing.priceNew') }),
    h('div', { class: 'grid-3' },
      field({ id: 'price-code', label: t('billing.priceCode'), control: code, required: true }),
      field({ id: 'price-mode', label: t('billing.priceMode'), control: mode, required: true }),
      field({ id: 'price-price', label: t('billing.pricePrice'), control: price, required: true }),
      field({ id: 'price-validFrom', label: t('billing.priceValidFrom'), control: validFrom, required: true }),
      field({ id: 'price-nameEt', label: t('billing.priceNameEt'), control: nameEt, hint: t('billing.priceNewOnly') }),
      field({ id: 'price-nameEn', label: t('billing.priceNameEn'), control: nameEn, hint: t('billing.priceNewOnly') }),
      field({ id: 'price-unit', label: t('billing.priceUnit'), control: unit, hint: t('billing.priceNewOnly') })),
    codes, general,
    h('div', { class: 'actions left' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    clearErrors(form);
    general.hidden = true;
    try {
      await api.priceSave({
        code: code.value, mode: mode.value, price: price.value, validFrom: parseDisplayDate(validFrom.value),
        nameEt: nameEt.value, nameEn: nameEn.value, unit: unit.value,
      });
      await draw(box, t('billing.priceSaved'));
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, 'price-');
    }
  });
  const row = (p) => h('tr', { 'data-code': p.code, 'data-mode': p.mode },
    h('td', {}, h('span', { class: 'code-chip', text: p.code })),
    h('td', { text: name(p) }),
    h('td', { text: t(`billing.mode.${p.mode}`) }),
    h('td', { class: 'num nowrap', text: `${formatMoneyIn(p.priceCents, lang)} / ${t(`billing.unit.${p.unit}`)}` }),
    h('td', { class: 'nowrap', text: `${formatDate(p.validFrom)}–${p.validTo ? formatDate(p.validTo) : ''}` }));
  const head = () => h('thead', {}, h('tr', {}, ['code', 'name', 'mode', 'price', 'valid'].map((k) => h('th', { scope: 'col', text: t(`billing.priceCol.${k}`) }))));
  replace(box,
    h('h2', { id: 'price-settings-heading', text: t('billing.pricesTitle') }),
    h('p', { class: 'field-hint', text: t('billing.pricesIntro') }),
    notice ? h('p', { id: 'price-saved', class: 'save-message', role: 'status', text: notice }) : null,
    h('div', { class: 'table-wrap' }, h('table', { id: 'price-table', class: 'data-table' }, head(), h('tbody', {}, current.map(row)))),
    older.length ? h('details', {}, h('summary', { text: t('billing.pricesOlder', { n: older.length }) }),
      h('div', { class: 'table-wrap' }, h('table', { id: 'price-table-older', class: 'data-table' }, head(), h('tbody', {}, older.map(row))))) : null,
    form);
}
