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
import { CASE_PARTS, partBySlug } from '../case-parts.js';
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
  const { id, part } = ctx.route.params;
  // One IPC call for the whole page: its parts read what it brought (api.js primes them).
  const detail = await api.caseView(id);
  performance.mark('srt:fetched'); // scripts/ui-bench reads the page's marks (docs/performance.md)
  try {
    openDecisionOnLoad(Number(ctx.route.query?.decision) || null); // #/cases/1/otsused?decision=2 (dashboard)
    await show(root, ctx, detail, null);
  } finally {
    api.forgetPrimed();
  }
  // Another part of this case (the index, Back, a link) scrolls there; the page is not drawn again.
  ctx.stayOn?.((next) => {
    if (next.name !== 'case' || next.params.id !== detail.id || !root.isConnected) return false;
    goToPart(root, next.params.part);
    return true;
  });
  if (part) goToPart(root, part);
}

/** Re-reads the case (after something changed it) and shows it with a notice, where the reader was. */
async function refresh(root, ctx, id, notice) {
  try {
    await flushAssessment();
    await flushDecision();
    const detail = await api.caseView(id);
    try {
      await redraw(root, ctx, detail, notice);
    } finally {
      api.forgetPrimed();
    }
  } catch (error) {
    replace(root, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
  }
}

/**
 * Draws the case again after an action, keeping the page where the coordinator is: the new page
 * is built aside and put in at once, and the part she was in (the one holding the focus, or the
 * first one under the header) comes back to the same place on the screen.
 */
async function redraw(root, ctx, detail, notice) {
  const anchor = anchorOf(root);
  await show(root, ctx, detail, notice, { aside: true });
  if (anchor) {
    const el = root.querySelector(`#${anchor.id}`);
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - anchor.top);
  }
  focusNotice(root);
}

/** The part the reader is working in and where it is on the screen, or null. */
function anchorOf(root) {
  const line = root.querySelector('#case-top')?.getBoundingClientRect().bottom ?? 0;
  const parts = CASE_PARTS.map((p) => root.querySelector(`#${p.id}`)).filter(Boolean);
  const active = document.activeElement;
  const el = parts.find((p) => p.contains(active)) ?? parts.find((p) => p.getBoundingClientRect().bottom > line);
  return el ? { id: el.id, top: el.getBoundingClientRect().top } : null;
}

function focusNotice(root) {
  const banner = root.querySelector('#case-notice');
  if (banner) banner.focus({ preventScroll: true });
}

/** Scrolls the part with this address slug to just under the sticky header; no slug: the top. */
function goToPart(root, slug) {
  const part = partBySlug(slug);
  const target = part ? root.querySelector(`#${part.id}`) : null;
  for (const link of root.querySelectorAll('.case-sections a')) {
    if (part && link.dataset.section === part.id) link.setAttribute('aria-current', 'location');
    else link.removeAttribute('aria-current');
  }
  if (!target || part.slug === CASE_PARTS[0].slug) {
    window.scrollTo(0, 0);
    return;
  }
  // The parts above it get their real heights first: a part laid out lazily (style.css) counts
  // as 30rem until it nears the window, so the part would land off by the difference, and
  // WebKit drawing without compositing (no GPU) may not lay them out again before the next change.
  for (let above = target.previousElementSibling; above; above = above.previousElementSibling) {
    above.style.contentVisibility = 'visible';
  }
  const align = () => {
    const header = root.querySelector('#case-top');
    const off = target.getBoundingClientRect().top - (header ? stickyHeight(header) : 0) - 8;
    if (Math.abs(off) > 1) window.scrollTo(0, window.scrollY + off);
  };
  align();
  holdInPlace(root, align);
  const headingEl = target.querySelector('h2');
  if (headingEl) {
    headingEl.tabIndex = -1;
    headingEl.focus({ preventScroll: true });
  }
}

/**
 * Parts above the one scrolled to may still grow for a moment (a list that arrives after the
 * page is drawn): the part is kept under the header until the page settles (a second without a
 * change, at most three) or the coordinator scrolls, types or clicks herself.
 */
function holdInPlace(root, align) {
  if (typeof ResizeObserver !== 'function') return;
  const stopOn = ['wheel', 'keydown', 'mousedown', 'touchstart'];
  let quiet = null;
  const observer = new ResizeObserver(() => {
    align();
    clearTimeout(quiet);
    quiet = setTimeout(stop, 1000);
  });
  function stop() {
    observer.disconnect();
    clearTimeout(quiet);
    clearTimeout(limit);
    for (const type of stopOn) window.removeEventListener(type, stop, true);
  }
  const limit = setTimeout(stop, 3000);
  quiet = setTimeout(stop, 1000);
  for (const type of stopOn) window.addEventListener(type, stop, { capture: true, passive: true });
  for (const child of root.children) observer.observe(child);
}

/** How much of the window the header covers: its height while it stays at the top (not in a
 * low or narrow window, where it scrolls with the page: style.css). */
function stickyHeight(top) {
  return getComputedStyle(top).position === 'sticky' ? Math.ceil(top.getBoundingClientRect().height) : 0;
}

/** The page's index: a link per part, each with its own address (Back returns). */
function sectionNav(detail) {
  return h('nav', { class: 'case-sections', 'aria-label': t('case.sections') },
    CASE_PARTS.map((part) => h('a', {
      href: buildHash('case', { id: detail.id, part: part.slug }),
      'data-section': part.id,
      'data-part': part.slug,
    }, t(part.label))));
}

/** The sticky header's height is the page's scroll padding, so what is scrolled to or focused
 * is never under it. */
function keepScrollPadding(top) {
  const set = () => {
    if (!top.isConnected) return;
    const height = stickyHeight(top);
    document.documentElement.style.scrollPaddingTop = height ? `${height + 8}px` : '';
    top.parentElement.style.setProperty('--case-top-h', `${height}px`);
  };
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => {
      if (!top.isConnected) observer.disconnect();
      else set();
    });
    observer.observe(top); // its first answer comes with the next frame, after the page's layout
  } else {
    set();
  }
}

/** The family's contacts, opened in place from the header. */
function contactsPanel(detail) {
  const guardians = detail.guardians ?? [];
  const route = detail.route ?? {};
  const line = (label, value) => (value
    ? h('div', {}, h('span', { class: 'muted', text: `${label}: ` }), h('span', { text: value }))
    : null);
  const people = guardians.map((g) => h('li', {},
    h('strong', { text: personName(g.firstName, g.lastName) }),
    g.relation ? h('span', { class: 'muted', text: ` (${t(`relation.${g.relation}`)})` }) : null,
    line(t('form.phone'), g.phone),
    line(t('form.email'), g.email),
    line(t('form.postalAddress'), g.postalAddress)));
  if (route.kind === 'kov' && (route.workerName || route.workerPhone || route.workerEmail)) {
    people.push(h('li', {},
      h('strong', { text: route.workerName || t('common.none') }),
      h('span', { class: 'muted', text: ` (${route.municipalityName || t('form.routeMunicipality')})` }),
      line(t('form.phone'), route.workerPhone),
      line(t('form.email'), route.workerEmail)));
  }
  return h('section', { id: 'case-contacts', class: 'case-contacts', hidden: true, 'aria-labelledby': 'case-contacts-heading', tabindex: -1 },
    h('h2', { id: 'case-contacts-heading', text: t('case.contacts') }),
    people.length ? h('ul', { class: 'contact-list' }, people) : h('p', { class: 'muted', text: t('case.noContacts') }));
}

/** The header's button that opens and closes the contacts; Escape in them closes them. */
function contactsToggle(panel) {
  const button = h('button', {
    id: 'case-contacts-toggle', type: 'button', class: 'secondary',
    'aria-expanded': 'false', 'aria-controls': 'case-contacts',
  }, t('case.contactsButton'));
  const setOpen = (open) => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => setOpen(panel.hidden));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      setOpen(false);
      button.focus();
    }
  });
  return button;
}

/**
 * Draws the case. `aside`: after an action, the page on screen stays until the new one has all
 * its parts (no page of "loading" that would let the window jump to the top).
 */
async function show(root, ctx, detail, notice, { aside = false } = {}) {
  const name = personName(detail.child.firstName, detail.child.lastName);
  const onDone = async (updated, text) => {
    await flushAssessment();
    // --- Team desk ---: the responsible coordinator stays (an action answers with the case alone).
    await redraw(root, ctx, { teamCoordinator: detail.teamCoordinator, teamOpening: detail.teamOpening, ...updated }, text);
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
  const contacts = contactsPanel(detail);
  // On a desk in a team the case's responsible coordinator (the synced owner, with the case).
  const coordinator = detail.teamCoordinator || ctx.status?.coordinatorName;
  const top = h('div', { id: 'case-top', class: 'case-top' },
    h('header', { class: 'view-header case-header' },
      h('div', {},
        h('h1', { id: 'case-title', text: name }),
        h('p', { class: 'case-meta' },
          t('case.caseNo'), ' ',
          h('span', { id: 'case-no', class: 'mono', text: detail.caseNo }),
          ' · ', t('case.coordinator'), ' ',
          h('span', { id: 'case-coordinator', text: coordinator || t('common.none') })),
        // --- Team desk ---: a colleague's case opened here says when and why.
        detail.teamOpening ? h('p', { id: 'case-opening', class: 'case-opening', text: detail.teamOpening.today
          ? t('openCase.openedToday', { reason: detail.teamOpening.reason })
          : t('openCase.openedOn', { date: formatDate(detail.teamOpening.on), reason: detail.teamOpening.reason }) }) : null),
      h('div', { class: 'case-head-side' },
        statusPill(detail.status, { id: 'case-status', class: 'pill large' }),
        contactsToggle(contacts))),
    nextDeadlineBanner(detail.nextDeadline ?? null),
    contacts,
    notice ? h('div', { id: 'case-notice', class: 'banner success', role: 'status', tabindex: -1, text: notice }) : null,
    sectionNav(detail));
  const page = [
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('cases') }, t('case.backToList'))),
    top,
    h('section', { id: 'case-overview', class: 'case-layout', 'aria-label': t('case.part.overview') },
      h('div', { class: 'case-main' },
        deadlinesCard(detail),
        childCard(detail.child)),
      h('aside', { class: 'case-side' },
        statusCard(root, ctx, detail),
        actionsCard(detail, onDone))),
    assessmentBox,
    decisionsBox,
    providersBox,
    meetingsBox,
    documentsBox,
    billingBox,
    feedbackBox,
    h('section', { id: 'case-history', class: 'history-grid', 'aria-label': t('case.part.history') },
      timelineBox,
      historyCard(detail.history ?? [])),
    h('section', { id: 'case-data', class: 'case-data', 'aria-label': t('case.part.family') },
      guardiansCard(detail.guardians ?? []),
      h('div', {},
        routeCard(detail.route ?? {}),
        applicationCard(detail),
        notesCard(detail.notes))),
  ];
  const holder = aside ? h('div') : root;
  // A case opened: its parts below the first screen are laid out when they come near (style.css).
  // Drawn again after an action: laid out whole, so the part being worked in keeps its place.
  root.classList.toggle('case-lazy-parts', !aside);
  replace(holder, ...page);
  performance.mark('srt:built');

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
  performance.mark('srt:parts');
  if (aside) replace(root, ...holder.childNodes);
  keepScrollPadding(top);
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
      await redraw(root, ctx, { teamCoordinator: detail.teamCoordinator, teamOpening: detail.teamOpening, ...updated }, t('case.statusChanged', { status: t(`status.${updated.status}`) }));
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
