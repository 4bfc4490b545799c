/**
 * One case: its next deadline and all deadlines, "change status" offering only the
 * transitions the backend allows, the case-work actions, the need assessment, the
 * documents register, the history, and who the child and the representatives are.
 * The parts below the header load side by side; one failing does not hide the others.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { formatDate, formatDateTime, personName } from '../format.js';
import { buildHash } from '../router.js';
import {
  field, statusPill, clearErrors, showFieldErrors, showFieldError, focusControl,
} from '../form-ui.js';
import { nextDeadlineBanner, deadlinesCard } from './case-deadlines.js';
import { actionsCard } from './case-actions.js';
import { loadAssessment, flushAssessment } from './case-assessment.js';
import { loadDocuments } from './case-documents.js';
import { loadTimeline } from './case-timeline.js';
import { loadDecisions, flushDecision, openDecisionOnLoad } from './case-decisions.js';
// --- Meetings ---
import { loadMeetings } from './case-meetings.js';
// --- Providers ---
import { loadProviders } from './case-providers.js';
// --- Billing ---
import { loadBilling } from './case-billing.js';
// --- Feedback ---
import { loadFeedback } from './case-feedback.js';

export async function render(root, ctx) {
  await flushAssessment();
  await flushDecision();
  const detail = await api.caseGet(ctx.route.params.id);
  openDecisionOnLoad(Number(ctx.route.query?.decision) || null); // #/cases/1?decision=2 (dashboard)
  await show(root, ctx, detail, null);
}

/** Re-reads the case (after something changed it) and shows it with a notice. */
async function refresh(root, ctx, id, notice) {
  try {
    await flushAssessment();
    await flushDecision();
    const detail = await api.caseGet(id);
    await show(root, ctx, detail, notice);
    focusNotice(root);
  } catch (error) {
    replace(root, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
  }
}

function focusNotice(root) {
  const banner = root.querySelector('#case-notice');
  if (banner) banner.focus();
}

const SECTIONS = [
  ['deadlines', 'deadline.section'],
  ['assessment', 'assessment.title'],
  ['decisions', 'decision.title'],
  ['documents', 'documents.title'],
  ['meetings', 'meeting.listTitle'],
  ['case-providers', 'choice.title'],
  // --- Billing ---
  ['case-billing', 'billing.caseTitle'],
  // --- Feedback ---
  ['case-feedback', 'feedback.title'],
  ['timeline', 'timeline.title'],
  ['case-data', 'case.section.overview'],
];

/** In-page jumps: buttons, because the address hash belongs to the router. */
function sectionNav(root) {
  return h('nav', { class: 'case-sections', 'aria-label': t('case.sections') },
    SECTIONS.map(([id, label]) => {
      const button = h('button', { type: 'button', class: 'link', 'data-section': id }, t(label));
      button.addEventListener('click', () => {
        const target = root.querySelector(`#${id}`);
        if (!target) return;
        target.scrollIntoView({ block: 'start' });
        const headingEl = target.querySelector('h2');
        if (headingEl) {
          headingEl.tabIndex = -1;
          headingEl.focus({ preventScroll: true });
        }
      });
      return button;
    }));
}

async function show(root, ctx, detail, notice) {
  const name = personName(detail.child.firstName, detail.child.lastName);
  const onDone = async (updated, text) => {
    await flushAssessment();
    await show(root, ctx, updated, text);
    focusNotice(root);
  };
  const assessmentBox = h('section', { id: 'assessment', class: 'card assessment', 'aria-labelledby': 'assessment-heading' },
    h('h2', { id: 'assessment-heading', text: t('assessment.title') }), h('p', { class: 'muted', text: t('app.loading') }));
  const decisionsBox = h('section', { id: 'decisions', class: 'card decisions', 'aria-labelledby': 'decisions-heading' },
    h('h2', { id: 'decisions-heading', text: t('decision.title') }), h('p', { class: 'muted', text: t('app.loading') }));
  const documentsBox = h('section', { id: 'documents', class: 'card', 'aria-labelledby': 'documents-heading' },
    h('h2', { id: 'documents-heading', text: t('documents.title') }), h('p', { class: 'muted', text: t('app.loading') }));
  // --- Meetings ---
  const meetingsBox = h('section', { id: 'meetings', class: 'card', 'aria-labelledby': 'meetings-heading' },
    h('h2', { id: 'meetings-heading', text: t('meeting.listTitle') }), h('p', { class: 'muted', text: t('app.loading') }));
  const providersBox = h('section', { id: 'case-providers', class: 'card', 'aria-labelledby': 'case-providers-heading' },
    h('h2', { id: 'case-providers-heading', text: t('choice.title') }), h('p', { class: 'muted', text: t('app.loading') }));
  // --- Billing ---
  const billingBox = h('section', { id: 'case-billing', class: 'card', 'aria-labelledby': 'case-billing-heading' },
    h('h2', { id: 'case-billing-heading', text: t('billing.caseTitle') }), h('p', { class: 'muted', text: t('app.loading') }));
  // --- Feedback ---
  const feedbackBox = h('section', { id: 'case-feedback', class: 'card', 'aria-labelledby': 'case-feedback-heading' },
    h('h2', { id: 'case-feedback-heading', text: t('feedback.title') }), h('p', { class: 'muted', text: t('app.loading') }));
  const timelineBox = h('section', { id: 'timeline', class: 'card', 'aria-labelledby': 'timeline-heading' },
    h('h2', { id: 'timeline-heading', text: t('timeline.title') }), h('p', { class: 'muted', text: t('app.loading') }));
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('cases') }, t('case.backToList'))),
    h('header', { class: 'view-header case-header' },
      h('div', {},
        h('h1', { id: 'case-title', text: name }),
        h('p', { class: 'case-meta' },
          t('case.caseNo'), ' ',
          h('span', { id: 'case-no', class: 'mono', text: detail.caseNo }))),
      statusPill(detail.status, { id: 'case-status', class: 'pill large' })),
    nextDeadlineBanner(detail.nextDeadline ?? null),
    notice ? h('div', { id: 'case-notice', class: 'banner success', role: 'status', tabindex: -1, text: notice }) : null,
    sectionNav(root),
    h('div', { class: 'case-layout' },
      h('div', { class: 'case-main' },
        deadlinesCard(detail),
        childCard(detail.child)),
      h('aside', { class: 'case-side' },
        statusCard(root, ctx, detail),
        actionsCard(detail, onDone))),
    assessmentBox,
    decisionsBox,
    documentsBox,
    meetingsBox,
    providersBox,
    billingBox,
    feedbackBox,
    h('div', { class: 'history-grid' },
      timelineBox,
      historyCard(detail.history ?? [])),
    h('section', { id: 'case-data', class: 'case-data', 'aria-label': t('case.section.overview') },
      guardiansCard(detail.guardians ?? []),
      h('div', {},
        routeCard(detail.route ?? {}),
        applicationCard(detail),
        notesCard(detail.notes))));

  await Promise.all([
    loadAssessment(assessmentBox, detail.id, { onSigned: (text) => refresh(root, ctx, detail.id, text) }),
    loadDocuments(documentsBox, detail.id, { onChanged: () => loadTimeline(timelineBox, detail.id) }),
    loadTimeline(timelineBox, detail.id),
    loadDecisions(decisionsBox, detail.id, { onChanged: (text) => refresh(root, ctx, detail.id, text) }),
    loadMeetings(meetingsBox, detail.id, { navigate: ctx.navigate }),
    loadProviders(providersBox, detail.id, { onChanged: (text) => refresh(root, ctx, detail.id, text) }),
    // --- Billing ---
    loadBilling(billingBox, detail.id),
    // --- Feedback ---
    loadFeedback(feedbackBox, detail.id),
  ]);
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
      await flushAssessment();
      await show(root, ctx, updated, t('case.statusChanged', { status: t(`status.${updated.status}`) }));
      focusNotice(root);
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
