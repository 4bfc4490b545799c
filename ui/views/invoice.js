/**
 * One invoice: typing a new one in (or changing one not yet decided), keyboard first: Enter in
 * a line's last field adds the next line with the same child, decision and date; and the
 * invoice page with its lines, the check's reasons with their figures, the outcome the
 * coordinator confirms (frozen after) and the report as PDF or XLSX.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText, getLanguage } from '../i18n/index.js';
import { formatDate, formatDateTime, parseDisplayDate, todayDisplay } from '../format.js';
import { buildHash } from '../router.js';
import { field, clearErrors, showFieldError, errorSummary } from '../form-ui.js';
import { pathField } from './settings-backup.js';
import { formatMoneyIn, formatQuantity, LINE_FIELDS, emptyLine } from '../billing.js';
import { invoicePill } from './invoices.js';
import { twoStepGroup } from '../two-step.js';

const money = (cents) => formatMoneyIn(cents, getLanguage());

export async function render(root, ctx) {
  if (ctx.route.name === 'invoiceNew') {
    const providers = await api.providerNames();
    renderForm(root, ctx, providers, null);
    return;
  }
  const inv = await api.invoiceGet(ctx.route.params.id);
  if (ctx.route.query.edit === '1' && !inv.decided) {
    const providers = await api.providerNames();
    renderForm(root, ctx, providers, inv);
    return;
  }
  renderInvoice(root, ctx, inv, ctx.route.query.notice ? t(`billing.notice.${ctx.route.query.notice}`) : null);
}

// ------------------------------------------------------------------------------------------
// The form
// ------------------------------------------------------------------------------------------

const HEADER_FIELDS = ['number', 'invoiceDate', 'periodFrom', 'periodTo'];
const SECOND_ROW = ['specialist', 'content'];
const FIRST_ROW = LINE_FIELDS.filter((f) => !SECOND_ROW.includes(f));

function renderForm(root, ctx, providers, inv) {
  const lines = inv ? inv.input.map((l) => ({ ...l, serviceDate: formatDate(l.serviceDate) })) : [emptyLine()];
  const provider = h('select', {}, options(providers.map((p) => String(p.id)), (id) => providers.find((p) => String(p.id) === id).name,
    { selected: inv ? String(inv.providerId) : '', placeholder: t('common.choose') }));
  const header = {
    number: h('input', { type: 'text', autocomplete: 'off', value: inv?.number ?? '' }),
    invoiceDate: h('input', { type: 'text', autocomplete: 'off', value: inv ? formatDate(inv.invoiceDate) : todayDisplay() }),
    periodFrom: h('input', { type: 'text', autocomplete: 'off', value: inv ? formatDate(inv.periodFrom) : '' }),
    periodTo: h('input', { type: 'text', autocomplete: 'off', value: inv ? formatDate(inv.periodTo) : '' }),
  };
  const notes = h('textarea', { rows: 2, value: inv?.notes ?? '' });
  const body = h('tbody', {});
  // A refused save is summed up at the top, as on the application form: each field's message
  // with its label, a click away from the field (an invoice has many lines to look through).
  const errors = errorSummary('invoice-form-error');
  const submit = h('button', { id: 'invoice-save', type: 'submit', class: 'primary' }, t('billing.save'));
  const addButton = h('button', { id: 'invoice-line-add', type: 'button', class: 'secondary' }, t('billing.addLine'));

  const readLines = () => lines.map((_, i) => Object.fromEntries(LINE_FIELDS.map((f) => {
    const el = body.querySelector(`#invoice-lines-${i}-${f}`);
    return [f, el ? el.value : ''];
  })));
  const drawLines = (focusRow = null) => {
    replace(body, lines.flatMap((line, i) => lineRow(line, i)));
    if (focusRow != null) body.querySelector(`#invoice-lines-${focusRow}-childCode`)?.focus();
  };
  const addLine = () => {
    Object.assign(lines, readLines());
    lines.push(emptyLine(lines[lines.length - 1]));
    drawLines(lines.length - 1);
  };
  const lineRow = (line, i) => {
    const cell = (f) => {
      const control = f === 'mode'
        ? h('select', {}, options(['individual', 'group'], (m) => t(`billing.mode.${m}`), { selected: line.mode, placeholder: t('billing.modeAuto') }))
        : h('input', { type: 'text', autocomplete: 'off', spellcheck: false, value: line[f] ?? '',
          placeholder: f === 'unitPrice' || f === 'amount' ? t('billing.auto') : (SECOND_ROW.includes(f) ? t(`billing.line.${f}`) : '') });
      control.id = `invoice-lines-${i}-${f}`;
      control.setAttribute('aria-label', `${t(`billing.line.${f}`)} (${t('billing.lineNo', { n: i + 1 })})`);
      control.setAttribute('aria-describedby', `${control.id}-error`);
      if (f === 'content') {
        control.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' && i === lines.length - 1) {
            event.preventDefault();
            addLine();
          }
        });
      }
      return h('td', { class: `line-${f}`, colspan: f === 'specialist' ? 3 : (f === 'content' ? 6 : null) },
        control, h('div', { id: `${control.id}-error`, class: 'field-error', hidden: true }));
    };
    const remove = h('button', { type: 'button', class: 'link', 'aria-label': t('billing.removeLine', { n: i + 1 }), text: '×' });
    remove.addEventListener('click', () => {
      Object.assign(lines, readLines());
      lines.splice(i, 1);
      if (lines.length === 0) lines.push(emptyLine());
      drawLines(Math.min(i, lines.length - 1));
    });
    // Who, what, when and how much on the first row; the specialist and the content below.
    return [
      h('tr', { 'data-line': String(i), class: 'line-first' }, h('td', { class: 'mono', rowspan: 2, text: String(i + 1) }),
        FIRST_ROW.map(cell), h('td', { rowspan: 2 }, remove)),
      h('tr', { 'data-line': String(i), class: 'line-second' }, SECOND_ROW.map(cell)),
    ];
  };
  addButton.addEventListener('click', addLine);
  drawLines();

  const form = h('form', { id: 'invoice-form', novalidate: true },
    errors.element,
    h('div', { class: 'grid-3' },
      field({ id: 'invoice-providerId', label: t('billing.provider'), control: provider, required: true }),
      HEADER_FIELDS.map((f) => field({ id: `invoice-${f}`, label: t(`billing.${f}`), control: header[f], required: true,
        hint: f === 'number' ? t('billing.numberHint') : undefined }))),
    h('h2', { text: t('billing.lines') }),
    h('p', { class: 'field-hint', text: t('billing.linesHint') }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'invoice-lines', class: 'data-table invoice-lines-form' },
      h('thead', {}, h('tr', {}, h('th', { text: '#' }), FIRST_ROW.map((f) => h('th', { scope: 'col', text: t(`billing.line.${f}`) })), h('th', {}))),
      body)),
    h('div', { class: 'actions left' }, addButton),
    field({ id: 'invoice-notes', label: t('billing.notes'), control: notes }),
    h('div', { class: 'actions left' }, submit,
      h('a', { class: 'button secondary', href: inv ? buildHash('invoice', { id: inv.id }) : buildHash('invoices') }, t('billing.cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    errors.hide();
    submit.disabled = true;
    Object.assign(lines, readLines());
    const input = {
      providerId: provider.value ? Number(provider.value) : null,
      number: header.number.value,
      invoiceDate: parseDisplayDate(header.invoiceDate.value),
      periodFrom: parseDisplayDate(header.periodFrom.value),
      periodTo: parseDisplayDate(header.periodTo.value),
      notes: notes.value,
      lines: lines.map((l) => ({ ...l, serviceDate: parseDisplayDate(l.serviceDate) })),
    };
    try {
      const saved = await api.invoiceSave(inv ? inv.id : null, input);
      ctx.navigate('invoice', { id: saved.id }, { notice: 'saved' });
    } catch (error) {
      submit.disabled = false;
      errors.show(error, 'invoice-');
    }
  });
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('invoices') }, t('billing.backToList'))),
    h('header', { class: 'view-header' }, h('h1', { text: inv ? t('billing.editTitle', { number: inv.number }) : t('billing.newTitle') })),
    h('section', { class: 'card' }, form));
}

// ------------------------------------------------------------------------------------------
// The invoice page
// ------------------------------------------------------------------------------------------

function renderInvoice(root, ctx, inv, notice, kind = 'success') {
  const lang = getLanguage();
  const show = (next, text, how) => renderInvoice(root, ctx, next, text, how);
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('invoices') }, t('billing.backToList'))),
    h('header', { class: 'view-header case-header' },
      h('div', {},
        h('h1', { id: 'invoice-title', text: t('billing.invoiceTitle', { number: inv.number }) }),
        h('p', { class: 'case-meta', text: inv.providerName })),
      invoicePill(inv.status, { id: 'invoice-status', class: 'pill large invoice-pill' })),
    notice ? h('div', { id: 'invoice-notice', class: `banner ${kind}`, 'data-kind': kind, role: kind === 'success' ? 'status' : 'alert', tabindex: -1, text: notice }) : null,
    h('div', { class: 'case-layout' },
      h('div', { class: 'case-main' }, summaryCard(inv)),
      h('aside', { class: 'case-side' }, actionsCard(ctx, inv, show))),
    linesCard(inv, lang),
    reportCard(inv));
}

function summaryCard(inv) {
  const fact = (label, value, id) => [h('dt', { text: label }), h('dd', { id, text: value })];
  return h('section', { class: 'card' }, h('h2', { text: t('billing.summary') }),
    h('dl', { class: 'facts' },
      fact(t('billing.invoiceDate'), formatDate(inv.invoiceDate)),
      fact(t('billing.period'), `${formatDate(inv.periodFrom)}–${formatDate(inv.periodTo)}`),
      fact(t('billing.source'), t(`billing.sourceKind.${inv.source}`)),
      fact(t('billing.total'), money(inv.totalCents), 'invoice-total'),
      inv.status === 'draft' ? null : fact(t('billing.accepted'), money(inv.acceptedCents), 'invoice-accepted'),
      inv.status === 'draft' ? null : fact(t('billing.rejected'), money(inv.rejectedCents), 'invoice-rejected'),
      inv.checkedAt ? fact(t('billing.checkedAt'), formatDateTime(inv.checkedAt)) : null,
      inv.decidedAt ? fact(t('billing.decidedAt'), `${formatDateTime(inv.decidedAt)} (${inv.decidedBy ?? ''})`) : null,
      inv.outcomeNote ? fact(t('billing.outcomeNote'), inv.outcomeNote) : null,
      inv.notes ? fact(t('billing.notes'), inv.notes) : null));
}

function actionsCard(ctx, inv, show) {
  const box = h('section', { class: 'card', id: 'invoice-actions' }, h('h2', { text: t('billing.actions') }));
  if (inv.decided) {
    box.append(h('p', { id: 'invoice-frozen', class: 'muted', text: t('billing.frozen') }));
    return box;
  }
  const error = h('div', { id: 'invoice-action-error', class: 'field-error', role: 'alert', hidden: true });
  const run = async (button, action) => {
    if (button.disabled) return;
    button.disabled = true;
    error.hidden = true;
    try {
      await action();
    } catch (e) {
      button.disabled = false;
      error.textContent = e.fields?.length ? e.fields.map((f) => localized(f.message)).join(' ') : errorText(e);
      error.hidden = false;
    }
  };
  const check = h('button', { id: 'invoice-check', type: 'button', class: inv.status === 'draft' ? 'primary' : 'secondary' },
    inv.status === 'draft' ? t('billing.check') : t('billing.recheck'));
  // The outcome buttons freeze the invoice and delete removes it: each asks first (typing the
  // note disarms too; leaving the page drops the buttons).
  const steps = twoStepGroup();
  const twoStep = (button, confirmText, action) => steps.add(button, confirmText, () => run(button, action));
  check.addEventListener('click', () => run(check, async () => show(await api.invoiceCheck(inv.id), t('billing.notice.checked'))));
  box.append(h('div', { class: 'actions left' }, check,
    h('a', { id: 'invoice-edit', class: 'button secondary', href: buildHash('invoice', { id: inv.id }, { edit: '1' }) }, t('billing.edit'))));
  if (inv.status === 'checked') {
    const outcome = inv.proposedStatus;
    box.append(h('p', { id: 'invoice-proposed', 'data-proposed': outcome,
      text: t('billing.proposed', { outcome: t(`billing.status.${outcome}`), accepted: money(inv.acceptedCents), total: money(inv.totalCents) }) }));
    const decide = h('button', { id: 'invoice-decide', type: 'button', class: 'primary' }, t(`billing.decide.${outcome}`));
    twoStep(decide, t(`billing.decideConfirm.${outcome}`, { accepted: money(inv.acceptedCents), total: money(inv.totalCents) }), async () => {
      try {
        show(await api.invoiceDecide(inv.id, false, ''), t('billing.notice.decided'));
      } catch (e) {
        // The check's figures changed since this page was drawn (another invoice of the same
        // child was decided): nothing was decided. Check again and show the new figures, so
        // the coordinator confirms the new outcome knowingly.
        const changed = e.fields?.find((f) => f.code === 'invoice.check_changed');
        if (!changed) throw e;
        show(await api.invoiceCheck(inv.id), `${localized(changed.message)} ${t('billing.checkChanged')}`, 'warning');
      }
    });
    const note = h('textarea', { rows: 2 });
    note.addEventListener('input', () => steps.disarm());
    const rejectAll = h('button', { id: 'invoice-reject-all', type: 'button', class: 'danger' }, t('billing.rejectAll'));
    twoStep(rejectAll, t('billing.rejectAllConfirm', { total: money(inv.totalCents) }),
      async () => show(await api.invoiceDecide(inv.id, true, note.value), t('billing.notice.decided')));
    box.append(h('div', { class: 'actions left' }, decide),
      field({ id: 'invoice-reject-note', label: t('billing.rejectNote'), control: note, hint: t('billing.rejectNoteHint') }),
      h('div', { class: 'actions left' }, rejectAll));
  }
  const del = h('button', { id: 'invoice-delete', type: 'button', class: 'link danger-text' }, t('billing.delete'));
  twoStep(del, t('billing.deleteConfirm'), async () => {
    await api.invoiceDelete(inv.id);
    ctx.navigate('invoices');
  });
  box.append(error, h('div', { class: 'actions left' }, del));
  return box;
}

function linesCard(inv, lang) {
  const head = ['no', 'date', 'child', 'decision', 'activity', 'quantity', 'unitPrice', 'amount', 'accepted', 'verdict']
    .map((k) => h('th', { scope: 'col', text: t(`billing.lineCol.${k}`) }));
  const rows = inv.lines.flatMap((l) => {
    const main = h('tr', { id: `invoice-line-${l.position}`, class: `invoice-line verdict-${l.verdict || 'none'}`, 'data-verdict': l.verdict },
      h('td', { class: 'mono', text: String(l.position) }),
      h('td', { class: 'nowrap', text: formatDate(l.serviceDate) }),
      h('td', {},
        h('div', { class: 'mono', text: l.childCode }),
        l.caseId ? h('a', { class: 'small nowrap', href: buildHash('case', { id: l.caseId }), title: l.childName ?? '', text: l.caseNo ?? '' }) : null),
      h('td', { class: 'mono', text: l.decisionNumber }),
      h('td', {}, h('span', { class: 'code-chip', title: localized(l.activityName), text: l.activityCode }),
        h('div', { class: 'small muted', text: t(`billing.mode.${l.mode}`) })),
      h('td', { class: 'num nowrap', text: `${formatQuantity(l.quantityMilli, lang)} ${l.unit ? t(`billing.unit.${l.unit}`) : ''}` }),
      h('td', { class: 'num nowrap', text: money(l.unitPriceCents) }),
      h('td', { class: 'num nowrap', text: money(l.amountCents) }),
      h('td', { class: 'num nowrap strong', text: l.verdict ? money(l.acceptedCents) : '' }),
      h('td', {}, l.verdict ? h('span', { class: `pill verdict-pill verdict-${l.verdict}`, text: t(`billing.verdict.${l.verdict}`) }) : null));
    if (!l.reasons.length && !l.overrideNote) return [main];
    const reasons = h('tr', { class: 'invoice-reasons', 'data-line': String(l.position) },
      h('td', {}), h('td', { colspan: 9 }, h('ul', { class: 'reason-list', id: `invoice-line-${l.position}-reasons` },
        l.reasons.map((r) => h('li', { 'data-code': r.code, class: `reason-${r.effect}` },
          localized(r.message),
          r.cutCents > 0 ? h('span', { class: 'reason-cut', text: ` (−${money(r.cutCents)})` }) : null)),
        l.overrideNote ? h('li', { class: 'reason-note', text: `${t('billing.coordinator')}: ${l.overrideNote}` }) : null)));
    return [main, reasons];
  });
  return h('section', { id: 'invoice-lines-card', class: 'card', 'aria-labelledby': 'invoice-lines-heading' },
    h('h2', { id: 'invoice-lines-heading', text: t('billing.lines') }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'invoice-line-table', class: 'data-table invoice-line-table' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, rows),
      h('tfoot', {}, h('tr', {},
        h('td', { colspan: 7, class: 'strong', text: t('billing.total') }),
        h('td', { class: 'num nowrap strong', text: money(inv.totalCents) }),
        h('td', { class: 'num nowrap strong', id: 'invoice-lines-accepted', text: inv.status === 'draft' ? '' : money(inv.acceptedCents) }),
        h('td', {}))))));
}

function reportCard(inv) {
  const path = pathField({
    id: 'invoice-report-path',
    label: t('billing.reportFile'),
    hint: t('billing.reportHint'),
    pick: () => api.chooseSavePath(`arve-${inv.number.replace(/[^\w.-]+/g, '_')}.pdf`),
  });
  const submit = h('button', { id: 'invoice-report-submit', type: 'submit', class: 'secondary' }, t('billing.report'));
  const done = h('p', { id: 'invoice-report-done', class: 'save-message', role: 'status' });
  const form = h('form', { id: 'invoice-report-form', novalidate: true }, path.element, h('div', { class: 'actions left' }, submit), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    done.textContent = '';
    submit.disabled = true;
    try {
      const written = await api.invoiceReport(inv.id, path.input.value);
      done.textContent = t('billing.reportSaved', { path: written });
    } catch (error) {
      showFieldError(form, 'invoice-report-path', error.fields?.length ? error.fields.map((f) => localized(f.message)).join(' ') : errorText(error));
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { id: 'invoice-report', class: 'card', 'aria-labelledby': 'invoice-report-heading' },
    h('h2', { id: 'invoice-report-heading', text: t('billing.reportTitle') }), form);
}
