/**
 * Arved: providers' invoices, the newest first, filtered by status; "new invoice" for typing
 * one in, and the provider's CSV of session records imported as a new invoice with a preview
 * where every line is checked and nothing is imported while a line is in error.
 */
import * as api from '../api.js';
import { cancelButton } from '../cancel.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText, getLanguage } from '../i18n/index.js';
import { formatDate, parseDisplayDate, todayDisplay } from '../format.js';
import { buildHash } from '../router.js';
import { field, clearErrors, showFieldError, showSubmitErrors } from '../form-ui.js';
import { pathField } from './settings-backup.js';
import { formatMoneyIn, INVOICE_STATUSES } from '../billing.js';
import { pagerNav, PAGE_SIZE } from '../pager.js';

const money = (cents) => formatMoneyIn(cents, getLanguage());

export async function render(root, ctx) {
  const status = ctx.route.query.status ?? '';
  let page = Math.max(1, Number.parseInt(ctx.route.query.page, 10) || 1);
  const ask = () => api.invoiceList({ status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  let [list, providers] = await Promise.all([ask(), api.providerNames()]);
  if (list.items.length === 0 && page > 1) {
    // Past the end (the address of an older, longer list): the first page.
    page = 1;
    list = await ask();
  }
  performance.mark('srt:fetched'); // scripts/ui-bench reads the page's marks (docs/performance.md)
  const filter = h('select', { id: 'invoice-status-filter' },
    options(['open', ...INVOICE_STATUSES], (s) => t(`billing.status.${s}`), { selected: status, placeholder: t('billing.allStatuses') }));
  filter.addEventListener('change', () => ctx.navigate('invoices', {}, { status: filter.value }));
  // A decade of a national desk has ~17 000 invoices: a page at a time, the newest first.
  const pager = list.total > list.items.length ? pagerNav({
    id: 'invoice-pager', page, pageSize: PAGE_SIZE, shown: list.items.length, total: list.total,
    onPage: (next) => ctx.navigate('invoices', {}, { status, page: next > 1 ? next : '' }),
  }) : null;
  replace(root,
    h('header', { class: 'view-header' },
      h('h1', { text: t('billing.title') }),
      h('a', { id: 'invoice-new', class: 'button primary', href: buildHash('invoiceNew') }, t('billing.new'))),
    h('div', { class: 'toolbar' },
      h('div', { class: 'field' }, h('label', { for: 'invoice-status-filter', text: t('billing.statusFilter') }), filter),
      h('p', { class: 'small muted', id: 'invoice-counts', text: INVOICE_STATUSES
        .map((s) => `${t(`billing.status.${s}`)}: ${list.counts[s] ?? 0}`).join(' · ') })),
    invoiceTable(list.items, status),
    pager,
    importCard(ctx, providers));
}

function invoiceTable(items, status) {
  if (items.length === 0) {
    return h('div', { class: 'empty-state', id: 'invoices-empty' },
      h('h2', { text: status ? t('billing.noneWithStatus') : t('billing.emptyTitle') }),
      h('p', { text: t('billing.emptyText') }));
  }
  const head = ['number', 'provider', 'date', 'period', 'lines', 'total', 'accepted', 'status']
    .map((k) => h('th', { scope: 'col', text: t(`billing.col.${k}`) }));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'invoice-table', class: 'data-table invoice-line-table' },
    h('thead', {}, h('tr', {}, head)),
    h('tbody', {}, items.map((i) => h('tr', { 'data-invoice-id': String(i.id), 'data-status': i.status },
      h('td', { class: 'nowrap' }, h('a', { href: buildHash('invoice', { id: i.id }), class: 'strong mono', text: i.number })),
      h('td', { text: i.providerName }),
      h('td', { class: 'nowrap', text: formatDate(i.invoiceDate) }),
      h('td', { class: 'small', text: `${formatDate(i.periodFrom)}–\u200b${formatDate(i.periodTo)}` }),
      h('td', { class: 'num', text: String(i.lineCount) }),
      h('td', { class: 'num nowrap', text: money(i.totalCents) }),
      h('td', { class: 'num nowrap', text: i.status === 'draft' ? '' : money(i.acceptedCents) }),
      h('td', {}, invoicePill(i.status)))))));
}

export function invoicePill(status, props = {}) {
  return h('span', { class: 'pill invoice-pill', 'data-invoice-status': status, ...props }, t(`billing.status.${status}`));
}

function importCard(ctx, providers) {
  const path = pathField({
    id: 'invoice-import-path',
    label: t('billing.importFile'),
    hint: t('billing.importHint'),
    pick: () => api.chooseFile(t('provider.csvFilter'), ['csv', 'txt']),
  });
  const provider = h('select', {}, options(providers.map((p) => String(p.id)), (id) => providers.find((p) => String(p.id) === id).name,
    { placeholder: t('common.choose') }));
  const number = h('input', { type: 'text', autocomplete: 'off' });
  const invoiceDate = h('input', { type: 'text', autocomplete: 'off', value: todayDisplay() });
  const general = h('div', { id: 'invoice-import-error', class: 'field-error', role: 'alert', hidden: true });
  const previewButton = h('button', { id: 'invoice-import-preview', type: 'submit', class: 'secondary' }, t('billing.preview'));
  const importButton = h('button', { id: 'invoice-import-submit', type: 'button', class: 'primary', disabled: true }, t('billing.import'));
  const cancel = cancelButton('invoice-import-cancel');
  const out = h('div', { id: 'invoice-import-result', 'aria-live': 'polite' });
  const form = h('form', { id: 'invoice-import-form', novalidate: true },
    path.element,
    h('div', { class: 'grid-3' },
      field({ id: 'import-providerId', label: t('billing.provider'), control: provider, required: true }),
      field({ id: 'import-number', label: t('billing.number'), control: number, required: true }),
      field({ id: 'import-invoiceDate', label: t('billing.invoiceDate'), control: invoiceDate, required: true })),
    general,
    h('div', { class: 'actions left' }, previewButton, importButton, cancel.element), out);
  let previewed = null;
  path.input.addEventListener('input', () => { importButton.disabled = true; previewed = null; replace(out); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (previewButton.disabled) return;
    clearErrors(form);
    general.hidden = true;
    previewButton.disabled = true;
    try {
      const p = await api.invoiceImportPreview(path.input.value);
      previewed = path.input.value;
      replace(out, previewTable(p));
      importButton.disabled = p.invalid > 0;
    } catch (error) {
      showFieldError(form, 'invoice-import-path', errorText(error));
      replace(out);
      importButton.disabled = true;
    } finally {
      previewButton.disabled = false;
    }
  });
  importButton.addEventListener('click', async () => {
    if (importButton.disabled) return;
    clearErrors(form);
    general.hidden = true;
    importButton.disabled = true;
    cancel.running(true);
    try {
      const inv = await api.invoiceImport(previewed ?? path.input.value, {
        providerId: provider.value ? Number(provider.value) : null,
        number: number.value,
        invoiceDate: parseDisplayDate(invoiceDate.value),
      });
      ctx.navigate('invoice', { id: inv.id });
    } catch (error) {
      if (error.code === 'invoice.import_rejected') replace(out, rejected(error));
      else showSubmitErrors(form, error, general, 'import-');
      importButton.disabled = false;
    } finally {
      cancel.running(false);
    }
  });
  return h('section', { id: 'invoice-import', class: 'card', 'aria-labelledby': 'invoice-import-heading' },
    h('h2', { id: 'invoice-import-heading', text: t('billing.importTitle') }),
    h('p', { class: 'small muted', text: t('billing.importIntro') }), form);
}

function previewTable(p) {
  const lang = getLanguage();
  const head = ['line', 'date', 'child', 'decision', 'activity', 'hours', 'unitPrice', 'amount']
    .map((k) => h('th', { scope: 'col', text: t(`billing.previewCol.${k}`) }));
  return h('div', {},
    h('p', { id: 'invoice-preview-summary', class: p.invalid ? 'banner error' : 'banner success', role: 'status',
      'data-invalid': String(p.invalid),
      text: p.invalid
        ? t('billing.previewBad', { total: p.total, invalid: p.invalid })
        : t('billing.previewGood', { total: p.total, sum: formatMoneyIn(p.totalCents, lang) }) }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'invoice-preview', class: 'data-table' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, p.rows.map((r) => h('tr', { 'data-line': String(r.line), class: r.errors.length ? 'row-error' : '' },
        h('td', { class: 'mono', text: String(r.line) }),
        h('td', { class: 'nowrap', text: r.input.serviceDate }),
        h('td', { class: 'mono' }, r.input.childCode, r.errors.length ? h('ul', { class: 'row-errors' },
          r.errors.map((e) => h('li', {}, h('span', { class: 'mono', text: e.field }), ': ', localized(e.message)))) : null),
        h('td', { class: 'mono', text: r.input.decisionNumber }),
        h('td', { class: 'mono', text: r.input.activityCode }),
        h('td', { class: 'num', text: r.input.quantity }),
        h('td', { class: 'num nowrap', text: r.unitPriceCents == null ? '' : formatMoneyIn(r.unitPriceCents, lang) }),
        h('td', { class: 'num nowrap', text: r.amountCents == null ? '' : formatMoneyIn(r.amountCents, lang) })))))));
}

function rejected(error) {
  const rows = Array.isArray(error.details) ? error.details : [];
  return h('div', { id: 'invoice-import-rejected', class: 'banner error', role: 'alert' },
    h('p', { text: errorText(error) }),
    h('ul', {}, rows.map((r) => h('li', { 'data-line': String(r.line) },
      t('provider.lineLabel', { line: r.line }), ': ', r.errors.map((e) => localized(e.message)).join(' ')))));
}
