/**
 * Teenuseosutajad: the provider directory with filters (text, activity, county, inactive too),
 * each provider's flags (expired licence or contract, capacity not confirmed); importing a CSV
 * with a preview where every row is checked and nothing is imported while a row is in error;
 * exporting as CSV or XLSX. Paths can be typed or picked with the system dialog ("Vali…").
 * The directory comes a page of 50 at a time from one call (`provider_page`), filtered by the
 * backend over every provider; the filters and the page live in the address
 * (#/providers?q=..&activity=..&county=..&inactive=1&page=..).
 */
import * as api from '../api.js';
import { cancelButton } from '../cancel.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate } from '../format.js';
import { buildHash } from '../router.js';
import { field, clearErrors, showFieldError } from '../form-ui.js';
import { pathField } from './settings-backup.js';
import { openFileButton } from '../open-file.js';
import { pagerNav, PAGE_SIZE } from '../pager.js';

export async function render(root, ctx) {
  const query = ctx.route.query;
  const state = {
    q: query.q ?? '', activity: query.activity ?? '', county: query.county ?? '', inactive: query.inactive === '1',
    page: Math.max(1, Number.parseInt(query.page, 10) || 1),
  };
  // The page's one call (issue 30): the rows drawn, counted, and the filters' choices. The filter
  // runs in the backend over the whole directory; the page draws one page of it.
  const filterOf = () => ({
    q: state.q, activity: state.activity, county: state.county, inactive: state.inactive,
    limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE,
  });
  const first = await api.providerPage(filterOf());
  performance.mark('srt:fetched'); // scripts/ui-bench reads the page's marks (docs/performance.md)
  const search = h('input', { id: 'provider-search', type: 'search', value: state.q, autocomplete: 'off', spellcheck: false });
  const activity = h('select', { id: 'provider-activity-filter' },
    options(first.activities.map((a) => a.code), (c) => `${c} ${localized(first.activities.find((a) => a.code === c).name)}`,
      { selected: state.activity, placeholder: t('provider.allActivities') }));
  const county = h('select', { id: 'provider-county-filter' },
    options(first.counties.map((c) => c.code), (c) => first.counties.find((x) => x.code === c).name,
      { selected: state.county, placeholder: t('provider.allCounties') }));
  const inactive = h('input', { id: 'provider-inactive', type: 'checkbox', checked: state.inactive });
  const results = h('div', { 'aria-live': 'polite' });
  let seq = 0;

  async function load() {
    const mySeq = ++seq;
    ctx.replaceQuery('providers', {}, {
      q: state.q, activity: state.activity, county: state.county, inactive: state.inactive ? '1' : '',
      page: state.page > 1 ? state.page : '',
    });
    let next;
    try {
      next = await api.providerPage(filterOf());
    } catch (error) {
      if (mySeq === seq) replace(results, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
      return;
    }
    if (mySeq === seq) show(next);
  }

  function show(page) {
    if (page.rows.length === 0 && page.total > 0 && state.page > 1) {
      // Past the end (fewer match now): back to the first page.
      state.page = 1;
      load();
      return;
    }
    replace(results, providerTable(page.rows, page.all), page.total > 0 ? pagerNav({
      id: 'provider-pager', page: state.page, pageSize: PAGE_SIZE, shown: page.rows.length, total: page.total,
      onPage: (n) => { state.page = n; load(); },
    }) : null);
  }

  const changed = (key, value) => { state[key] = value; state.page = 1; load(); };
  search.addEventListener('input', () => changed('q', search.value));
  activity.addEventListener('change', () => changed('activity', activity.value));
  county.addEventListener('change', () => changed('county', county.value));
  inactive.addEventListener('change', () => changed('inactive', inactive.checked));

  show(first);
  replace(root,
    h('header', { class: 'view-header' },
      h('h1', { text: t('provider.title') }),
      h('a', { id: 'provider-new', class: 'button primary', href: buildHash('providerNew') }, t('provider.new'))),
    h('div', { class: 'toolbar', role: 'search' },
      h('div', { class: 'field grow' }, h('label', { for: 'provider-search', text: t('provider.search') }), search),
      h('div', { class: 'field' }, h('label', { for: 'provider-activity-filter', text: t('provider.activity') }), activity),
      h('div', { class: 'field' }, h('label', { for: 'provider-county-filter', text: t('provider.county') }), county),
      h('label', { class: 'radio toolbar-check' }, inactive, t('provider.showInactive'))),
    results,
    h('div', { class: 'history-grid' }, importCard(ctx), exportCard()));
  performance.mark('srt:built');
}

function flagList(p) {
  if (!p.flags.length) return null;
  return h('ul', { class: 'provider-flags' }, p.flags.map((f) => h('li', {
    class: `provider-flag severity-${f.severity}`, 'data-flag': f.code, text: localized(f.text),
  })));
}

function providerTable(shown, total) {
  if (total === 0) {
    return h('div', { class: 'empty-state', id: 'providers-empty' },
      h('h2', { text: t('provider.emptyTitle') }), h('p', { text: t('provider.emptyText') }));
  }
  if (shown.length === 0) return h('p', { class: 'muted', id: 'providers-none', text: t('provider.noneFound') });
  const head = ['name', 'places', 'activities', 'ages', 'waiting', 'flags'].map((k) => h('th', { scope: 'col', text: t(`provider.col.${k}`) }));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'provider-table', class: 'data-table' },
    h('thead', {}, h('tr', {}, head)),
    h('tbody', {}, shown.map((p) => h('tr', { 'data-provider-id': String(p.id), 'data-registry-code': p.registryCode, class: p.active ? '' : 'inactive' },
      h('td', {},
        h('a', { href: buildHash('provider', { id: p.id }), class: 'strong', text: p.name }),
        h('div', { class: 'small muted mono', text: p.registryCode }),
        p.active ? null : h('span', { class: 'flag', text: t('provider.inactive') })),
      h('td', { class: 'small' }, p.locations.map((l) => h('div', { text: `${l.municipalityName} (${l.countyName})` }))),
      h('td', { class: 'small' }, p.activities.map((a) => h('span', { class: 'code-chip', title: localized(a.name), text: a.code }))),
      h('td', { class: 'nowrap', text: `${p.ageMin}–${p.ageMax}` }),
      h('td', { class: 'small' },
        p.waitingDays == null ? t('provider.unknown') : t('provider.waitingDays', { days: p.waitingDays }),
        h('div', { class: 'muted', text: p.freePlaces == null ? '' : t('provider.freePlaces', { n: p.freePlaces }) }),
        p.capacityConfirmedOn ? h('div', { class: 'muted', text: t('provider.confirmedOn', { date: formatDate(p.capacityConfirmedOn) }) }) : null),
      h('td', { class: 'small' }, flagList(p)))))));
}

/** The field messages of a validation error, else the error's own message. */
function messageOf(error) {
  return error.fields?.length ? error.fields.map((f) => localized(f.message)).join(' ') : errorText(error);
}

export { pathField };

function importCard(ctx) {
  const path = pathField({
    id: 'provider-import-path',
    label: t('provider.importFile'),
    hint: t('provider.importHint'),
    pick: () => api.chooseFile(t('provider.csvFilter'), ['csv', 'txt']),
  });
  const previewButton = h('button', { id: 'provider-import-preview', type: 'submit', class: 'secondary' }, t('provider.preview'));
  const importButton = h('button', { id: 'provider-import-submit', type: 'button', class: 'primary', disabled: true }, t('provider.import'));
  const cancel = cancelButton('provider-import-cancel');
  const out = h('div', { id: 'provider-import-result', 'aria-live': 'polite' });
  const form = h('form', { id: 'provider-import-form', novalidate: true },
    path.element, h('div', { class: 'actions left' }, previewButton, importButton, cancel.element), out);
  let previewed = null;
  // A preview belongs to the file it was made of: a new path needs a new preview.
  path.input.addEventListener('input', () => { importButton.disabled = true; previewed = null; replace(out); });

  const busy = async (button, action) => {
    if (button.disabled) return;
    clearErrors(form);
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      if (error.code === 'provider.import_rejected') {
        replace(out, rejected(error));
      } else {
        showFieldError(form, 'provider-import-path', messageOf(error));
        replace(out);
      }
      importButton.disabled = true;
    } finally {
      if (button === previewButton) button.disabled = false;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(previewButton, async () => {
      const p = await api.providerImportPreview(path.input.value);
      previewed = path.input.value;
      replace(out, previewTable(p));
      importButton.disabled = p.invalid > 0;
    });
  });
  importButton.addEventListener('click', () => busy(importButton, async () => {
    cancel.running(true);
    const summary = await api.providerImport(previewed ?? path.input.value).finally(() => cancel.running(false));
    replace(out, h('div', { id: 'provider-import-done', class: 'banner success', role: 'status',
      text: t('provider.imported', { created: summary.created, updated: summary.updated }) }));
    setTimeout(() => ctx.reload(), 0);
  }));
  return h('section', { id: 'provider-import', class: 'card', 'aria-labelledby': 'provider-import-heading' },
    h('h2', { id: 'provider-import-heading', text: t('provider.importTitle') }),
    h('p', { class: 'small muted', text: t('provider.importIntro') }), form);
}

function rowErrors(row) {
  return h('ul', { class: 'row-errors' }, row.errors.map((e) => h('li', {},
    h('span', { class: 'mono', text: e.field }), ': ', localized(e.message))));
}

function previewTable(p) {
  const head = ['line', 'name', 'registryCode', 'municipalities', 'activities', 'action'].map((k) => h('th', { scope: 'col', text: t(`provider.preview.${k}`) }));
  return h('div', {},
    h('p', { id: 'provider-preview-summary', class: p.invalid ? 'banner error' : 'banner success', role: 'status',
      'data-invalid': String(p.invalid),
      text: p.invalid
        ? t('provider.previewBad', { total: p.total, invalid: p.invalid })
        : t('provider.previewGood', { total: p.total, created: p.new, updated: p.updated }) }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'provider-preview', class: 'data-table' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, p.rows.map((r) => h('tr', { 'data-line': String(r.line), 'data-action': r.action, class: r.action === 'error' ? 'row-error' : '' },
        h('td', { class: 'mono', text: String(r.line) }),
        h('td', {}, r.name, r.errors.length ? rowErrors(r) : null),
        h('td', { class: 'mono', text: r.registryCode }),
        h('td', { class: 'small', text: r.municipalities }),
        h('td', { class: 'small mono', text: r.activities }),
        h('td', {}, h('span', { class: `pill action-${r.action}`, text: t(`provider.action.${r.action}`) }))))))));
}

function rejected(error) {
  const rows = Array.isArray(error.details) ? error.details : [];
  return h('div', { id: 'provider-import-rejected', class: 'banner error', role: 'alert' },
    h('p', { text: errorText(error) }),
    h('ul', {}, rows.map((r) => h('li', { 'data-line': String(r.line) },
      t('provider.lineLabel', { line: r.line }), ' ', r.name || r.registryCode, ': ',
      r.errors.map((e) => localized(e.message)).join(' ')))));
}

function exportCard() {
  const path = pathField({
    id: 'provider-export-path',
    label: t('provider.exportFile'),
    hint: t('provider.exportHint'),
    pick: () => api.chooseSavePath(`teenuseosutajad-${new Date().toISOString().slice(0, 10)}.xlsx`),
  });
  const submit = h('button', { id: 'provider-export-submit', type: 'submit', class: 'primary' }, t('provider.export'));
  const done = h('p', { id: 'provider-export-done', class: 'save-message', role: 'status' });
  const form = h('form', { id: 'provider-export-form', novalidate: true }, path.element, h('div', { class: 'actions left' }, submit), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    done.textContent = '';
    submit.disabled = true;
    try {
      const written = await api.providerExport(path.input.value);
      done.textContent = t('provider.exported', { path: written });
      // --- Install ---
      done.append(' ', openFileButton(written, done, 'provider-export-open'));
    } catch (error) {
      showFieldError(form, 'provider-export-path', messageOf(error));
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { id: 'provider-export', class: 'card', 'aria-labelledby': 'provider-export-heading' },
    h('h2', { id: 'provider-export-heading', text: t('provider.exportTitle') }), form);
}
