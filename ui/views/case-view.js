/**
 * One case: who the child and the representatives are, the route, the application,
 * the status history, and "change status" offering only the transitions the backend allows.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { formatDate, formatDateTime, personName } from '../format.js';
import { buildHash } from '../router.js';
import {
  field, statusPill, clearErrors, showFieldErrors, showFieldError, focusControl,
} from '../form-ui.js';

export async function render(root, ctx) {
  const detail = await api.caseGet(ctx.route.params.id);
  show(root, ctx, detail, null);
}

function show(root, ctx, detail, notice) {
  const name = personName(detail.child.firstName, detail.child.lastName);
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('cases') }, t('case.backToList'))),
    h('header', { class: 'view-header case-header' },
      h('div', {},
        h('h1', { id: 'case-title', text: name }),
        h('p', { class: 'case-meta' },
          t('case.caseNo'), ' ',
          h('span', { id: 'case-no', class: 'mono', text: detail.caseNo }))),
      statusPill(detail.status, { id: 'case-status', class: 'pill large' })),
    notice ? h('div', { id: 'case-notice', class: 'banner success', role: 'status', tabindex: -1, text: notice }) : null,
    h('div', { class: 'case-layout' },
      h('div', { class: 'case-main' },
        childCard(detail.child),
        guardiansCard(detail.guardians ?? []),
        routeCard(detail.route ?? {}),
        applicationCard(detail),
        notesCard(detail.notes),
        historyCard(detail.history ?? [])),
      h('aside', { class: 'case-side' }, statusCard(root, ctx, detail))));
}

const dash = () => t('common.none');

/** A definition list from [label, value] pairs; empty values show a dash. */
function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([label, value]) => [
    h('dt', { text: label }),
    h('dd', {}, value instanceof Node ? value : (value === '' || value == null ? dash() : String(value))),
  ]));
}

function card(title, ...content) {
  return h('section', { class: 'card' }, h('h2', { text: title }), content);
}

function childCard(child) {
  return card(t('case.child'), facts([
    [t('form.firstName'), child.firstName],
    [t('form.lastName'), child.lastName],
    [t('form.personalCode'), child.noPersonalCode || !child.personalCode
      ? h('span', { class: 'flag', text: t('case.noPersonalCode') })
      : h('span', { class: 'mono', text: child.personalCode })],
    [t('form.birthDate'), formatDate(child.birthDate)],
    [t('form.sex'), child.sex ? t(`sex.${child.sex}`) : ''],
    [t('form.municipality'), child.municipalityName],
    [t('form.address'), child.address],
  ]));
}

function guardiansCard(guardians) {
  return card(t('case.guardians'), guardians.map((g) => h('div', { class: 'guardian-view' },
    h('h3', { text: `${personName(g.firstName, g.lastName)} (${g.relation ? t(`relation.${g.relation}`) : dash()})` }),
    facts([
      [t('form.personalCode'), g.personalCode],
      [t('form.phone'), g.phone],
      [t('form.email'), g.email],
      [t('form.postalAddress'), g.postalAddress],
      [t('form.language'), g.language ? t(`language.${g.language}`) : ''],
      [t('form.delivery'), g.delivery ? t(`delivery.${g.delivery}`) : ''],
    ]))));
}

function routeCard(route) {
  const rows = [[t('form.routeKind'), route.kind ? t(`route.${route.kind}`) : '']];
  if (route.kind === 'disability') {
    rows.push([t('form.severity'), route.severity ? t(`severity.${route.severity}`) : '']);
  } else if (route.kind === 'kov') {
    rows.push(
      [t('form.routeMunicipality'), route.municipalityName],
      [t('form.workerName'), route.workerName],
      [t('form.workerPhone'), route.workerPhone],
      [t('form.workerEmail'), route.workerEmail],
    );
  }
  return card(t('case.route'), facts(rows));
}

function applicationCard(detail) {
  return card(t('case.application'), facts([
    [t('form.applicationDate'), formatDate(detail.applicationDate)],
    [t('form.channel'), detail.channel ? t(`channel.${detail.channel}`) : ''],
    [t('case.createdAt'), formatDateTime(detail.createdAt)],
    [t('case.updatedAt'), formatDateTime(detail.updatedAt)],
  ]));
}

function notesCard(notes) {
  return card(t('case.notes'), notes && notes.trim() !== ''
    ? h('p', { class: 'notes', text: notes })
    : h('p', { class: 'muted', text: t('case.noNotes') }));
}

function historyCard(history) {
  return card(t('case.history'), h('div', { class: 'table-wrap' },
    h('table', { id: 'status-history', class: 'data-table' },
      h('thead', {}, h('tr', {},
        ['historyAt', 'historyFrom', 'historyTo', 'historyReason'].map((k) => h('th', { scope: 'col', text: t(`case.${k}`) })))),
      h('tbody', {}, history.map((entry) => h('tr', {},
        h('td', { class: 'nowrap', text: formatDateTime(entry.at) }),
        h('td', {}, entry.fromStatus ? statusPill(entry.fromStatus) : dash()),
        h('td', {}, statusPill(entry.toStatus)),
        h('td', { class: 'notes', text: entry.reason || '' })))))));
}

function statusCard(root, ctx, detail) {
  const transitions = detail.allowedTransitions ?? [];
  if (transitions.length === 0) {
    return card(t('case.changeStatus'), h('p', { class: 'muted', text: t('case.noTransitions') }));
  }
  const to = h('select', {},
    h('option', { value: '' }, t('common.choose')),
    transitions.map((tr) => h('option', { value: tr.to }, t(`status.${tr.to}`))));
  const reason = h('textarea', { rows: 4 });
  const requiredNote = h('div', { class: 'field-hint', id: 'status-reason-required', hidden: true, text: t('case.reasonRequired') });
  const general = h('div', { id: 'status-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'status-submit', type: 'submit', class: 'primary' }, t('case.statusSubmit'));
  const form = h('form', { id: 'status-form', novalidate: true },
    field({ id: 'status-to', label: t('case.statusTo'), control: to }),
    field({ id: 'status-reason', label: t('case.statusReason'), control: reason, extra: requiredNote }),
    general,
    h('div', { class: 'actions left' }, submit));

  to.addEventListener('change', () => {
    const chosen = transitions.find((tr) => tr.to === to.value);
    requiredNote.hidden = !(chosen && chosen.reasonRequired);
    if (chosen && chosen.reasonRequired) reason.setAttribute('aria-required', 'true');
    else reason.removeAttribute('aria-required');
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    submit.disabled = true;
    try {
      const updated = await api.caseChangeStatus(detail.id, to.value, reason.value);
      show(root, ctx, updated, t('case.statusChanged', { status: t(`status.${updated.status}`) }));
      root.querySelector('#case-notice').focus();
    } catch (error) {
      submit.disabled = false;
      const { placed, unplaced } = showFieldErrors(form, error.fields, 'status-');
      if (placed.length === 0) {
        // Errors without a field: a missing reason belongs under the reason, the rest under the form.
        const target = error.code === 'case.reason_required' ? 'status-reason' : null;
        if (target) {
          showFieldError(form, target, errorText(error));
          placed.push(target);
        } else {
          general.textContent = [errorText(error), ...unplaced.map((u) => u.text)].join(' ');
          general.hidden = false;
        }
      }
      if (placed.length) focusControl(form, placed[0]);
    }
  });

  return card(t('case.changeStatus'), form);
}
