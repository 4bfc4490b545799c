/**
 * One network meeting, built for taking notes while it happens, on a laptop, with the keyboard:
 * who takes part (picked from the case or typed) and whether they are there, the agenda, the
 * notes for the minutes, the coordinator's private notes, the decisions, and the agreed actions.
 *
 * The texts and participants are saved continuously: half a second after typing pauses, at once
 * when a field is left, when the window is hidden (lid closed, another app), before the desk
 * locks, and before another page opens. A save that fails (e.g. the desk locked meanwhile) keeps
 * the draft in memory, and the next time the meeting opens it is put back and saved. A field the
 * desk refuses (a 2 MB paste) does not stop the others: they are saved, and its text is held in
 * the desk beside the meeting, shown in the field with its message, until it is corrected. The
 * status line names what is not saved, and closing the window asks first (unsaved.js).
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { todayDisplay, formatDate, formatTime, parseDisplayDate } from '../format.js';
import { buildHash } from '../router.js';
import {
  clearErrors, showSubmitErrors, readValues, field, showFieldError, clearFieldError,
} from '../form-ui.js';
import { createAutosave } from '../autosave.js';
import { beforeLock } from '../before-lock.js';
import { reportUnsaved, forgetUnsaved } from '../unsaved.js';
import { daysLeftText } from '../deadline-text.js';
import {
  NOTES_SAVE_DELAY_MS, meetingDraft, draftOfMeeting, serialiseMeeting, serialiseAction,
  remainingOptions, participantFrom, ownerSuggestions, continueList, shortcutOf,
} from '../meetings.js';
import { meetingForm } from './case-meetings.js';
import { openFileButton } from '../open-file.js';
import { profileLinkFor } from '../coordinator-link.js';

/** The meeting on screen: its id, its autosave and how to read its draft. */
let current = null;
/** Drafts whose save failed, by meeting id: put back when the meeting opens again. */
const unsaved = new Map();

/** Whether a draft whose save failed waits here to be put back: this document must not be
 * replaced (a reload would lose it). */
export const hasUnsavedDrafts = () => unsaved.size > 0;

/** Resolves when nothing typed on the meeting page is still on its way to the backend. */
export function flushMeeting() {
  if (!current) return Promise.resolve();
  return current.autosave.flush(current.draft());
}

beforeLock(flushMeeting);
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushMeeting();
  });
  window.addEventListener('pagehide', () => { flushMeeting(); });
}

export async function render(root, ctx) {
  await flushMeeting();
  current = null;
  forgetUnsaved('meeting');
  const meeting = await api.meetingGet(ctx.route.params.meetingId);
  show(root, ctx, meeting);
}

const sameDraft = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The draft's text fields and their controls. */
const TEXT_FIELDS = {
  agenda: 'meeting-agenda', notes: 'meeting-notes', privateNotes: 'meeting-privateNotes', decisions: 'meeting-decisions',
};

/** The draft as on screen: the saved draft with the text the desk holds for refused fields. */
function withHeld(stored, held) {
  const out = { ...stored, participants: stored.participants.map((p) => ({ ...p })) };
  for (const f of held ?? []) {
    if (f.field in TEXT_FIELDS) out[f.field] = f.text;
    else if (f.field === 'participants') {
      try {
        out.participants = meetingDraft({ participants: JSON.parse(f.text) }).participants;
      } catch {
        // Unreadable: the saved participants stay.
      }
    }
  }
  return out;
}

/** The part of the page a refused field path belongs to: "notes", "participants.2.name" -> "participants". */
const topField = (path) => String(path).split('.')[0];

function show(root, ctx, meeting) {
  const caseHref = buildHash('case', { id: meeting.caseId });
  const saveState = h('p', { id: 'meeting-save-state', class: 'save-state', role: 'status', 'aria-live': 'polite' });
  let restored = null;
  const stored = withHeld(draftOfMeeting(meeting), meeting.held);
  const pending = unsaved.get(meeting.id);
  if (pending && !sameDraft(pending, stored)) restored = pending;
  const start = restored ?? stored;
  // What the desk refused and holds: {field path, message}, shown beside its field.
  let refused = (meeting.held ?? []).map((f) => ({ field: f.field, message: f.message }));
  let failed = false;
  let participants = start.participants.map((p) => ({ ...p }));

  // --- Texts ----------------------------------------------------------------------------------
  const area = (id, rows, value, extra = {}) => h('textarea', { id, rows, value, spellcheck: true, ...extra });
  const agenda = area('meeting-agenda', 7, start.agenda, { 'aria-keyshortcuts': 'Alt+A' });
  const notes = area('meeting-notes', 16, start.notes, { 'aria-keyshortcuts': 'Alt+M' });
  const privateNotes = area('meeting-privateNotes', 8, start.privateNotes, { 'aria-keyshortcuts': 'Alt+P' });
  const decisions = area('meeting-decisions', 6, start.decisions, { 'aria-keyshortcuts': 'Alt+O' });
  const notesShared = h('input', { id: 'meeting-notesShared', type: 'checkbox', checked: start.notesShared });

  const draft = () => meetingDraft({
    agenda: agenda.value,
    notes: notes.value,
    notesShared: notesShared.checked,
    privateNotes: privateNotes.value,
    decisions: decisions.value,
    participants,
  });

  // --- Autosave -------------------------------------------------------------------------------
  const label = (field) => (field in TEXT_FIELDS ? t(`meeting.${field}`) : t('meeting.participants'));
  /** The labels of the parts whose text is not saved (each once). */
  const refusedLabels = () => [...new Set(refused.map((f) => label(topField(f.field))))];
  const report = (pending) => reportUnsaved('meeting', {
    pending,
    notSaved: failed ? [t('meeting.title', { date: formatDate(meeting.date) })] : refusedLabels(),
    flush: flushMeeting,
  });
  /** Each refused field's message beside it; the others' cleared. */
  const showRefused = () => {
    clearErrors(textsBox);
    clearErrors(participantsBox);
    for (const f of refused) {
      const text = errorText({ message: f.message });
      if (f.field in TEXT_FIELDS) showFieldError(textsBox, TEXT_FIELDS[f.field], text);
      else if (topField(f.field) === 'participants') {
        const slot = participantsBox.querySelector('#meeting-participants-error');
        if (slot) {
          slot.textContent = [slot.textContent, text].filter(Boolean).join(' ');
          slot.hidden = false;
        }
        const m = /^participants\.(\d+)\.(name|role|organisation)$/.exec(f.field);
        if (m) participantsBox.querySelector(`#participant-${m[1]}-${m[2]}`)?.setAttribute('aria-invalid', 'true');
      }
    }
  };
  const showSaved = (savedAt) => {
    if (refused.length > 0) {
      // Never "saved" while a field is not: say which, and that its text is kept.
      saveState.dataset.state = 'refused';
      const fields = refused.map((f) => `${label(topField(f.field))}: ${errorText({ message: f.message })}`);
      saveState.textContent = t('meeting.refused', { fields: [...new Set(fields)].join('; ') });
      return;
    }
    saveState.dataset.state = 'saved';
    saveState.textContent = t('meeting.savedAt', { time: formatTime(savedAt) || formatTime(new Date().toISOString()) });
  };
  const autosave = createAutosave({
    save: (d) => api.meetingSaveNotes(meeting.id, d),
    delay: NOTES_SAVE_DELAY_MS,
    initial: restored ? undefined : stored,
    onState(state, payload) {
      if (state === 'pending' || state === 'saving') {
        saveState.dataset.state = state;
        saveState.textContent = t('meeting.saving');
        report(true);
      } else if (state === 'saved') {
        unsaved.delete(meeting.id);
        failed = false;
        if (payload) {
          refused = payload.refused ?? [];
          saveState.dataset.rev = String(payload.rev);
          showSaved(payload.savedAt);
        } else {
          showSaved(meeting.draftSavedAt);
        }
        showRefused();
        report(false);
      } else if (state === 'error') {
        unsaved.set(meeting.id, draft());
        failed = true;
        saveState.dataset.state = 'error';
        saveState.textContent = t('meeting.saveFailed', { message: errorText(payload) });
        for (const f of payload.fields ?? []) {
          const id = TEXT_FIELDS[f.field];
          if (id) showFieldError(textsBox, id, errorText({ message: f.message }));
        }
        report(false);
      }
    },
  });
  current = { meetingId: meeting.id, autosave, draft };
  const changed = () => autosave.change(draft());

  // Enter continues a list; typing saves after a pause; leaving a field saves at once.
  for (const ta of [agenda, notes, privateNotes, decisions]) {
    ta.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
      const next = continueList(ta.value, ta.selectionStart, ta.selectionEnd);
      if (!next) return;
      event.preventDefault();
      ta.value = next.value;
      ta.setSelectionRange(next.caret, next.caret);
      changed();
    });
  }

  const textsBox = h('div', { class: 'meeting-texts' },
    h('div', { class: 'notes-grid' },
      h('section', { id: 'meeting-notes-box', class: 'card notes-card', 'aria-labelledby': 'meeting-notes-heading' },
        h('h2', { id: 'meeting-notes-heading', text: t('meeting.notes') }),
        field({ id: 'meeting-notes', label: t('meeting.notesLabel'), control: notes, hint: t('meeting.notesHint') }),
        h('label', { class: 'check', for: 'meeting-notesShared' }, notesShared, ' ', t('meeting.notesShared'))),
      h('div', { class: 'notes-side' },
        h('section', { id: 'meeting-agenda-box', class: 'card', 'aria-labelledby': 'meeting-agenda-heading' },
          h('h2', { id: 'meeting-agenda-heading', text: t('meeting.agenda') }),
          field({ id: 'meeting-agenda', label: t('meeting.agendaLabel'), control: agenda, hint: t('meeting.agendaHint') })),
        h('section', { id: 'meeting-private-box', class: 'card private-card', 'aria-labelledby': 'meeting-private-heading' },
          h('h2', { id: 'meeting-private-heading' }, t('meeting.privateNotes'), ' ',
            h('span', { class: 'pill private-pill', text: t('meeting.privateBadge') })),
          field({ id: 'meeting-privateNotes', label: t('meeting.privateLabel'), control: privateNotes, hint: t('meeting.privateHint') })))),
    h('section', { id: 'meeting-decisions-box', class: 'card', 'aria-labelledby': 'meeting-decisions-heading' },
      h('h2', { id: 'meeting-decisions-heading', text: t('meeting.decisions') }),
      field({ id: 'meeting-decisions', label: t('meeting.decisionsLabel'), control: decisions, hint: t('meeting.decisionsHint') })));
  textsBox.addEventListener('input', changed);
  notesShared.addEventListener('change', () => autosave.flush(draft()));
  textsBox.addEventListener('focusout', () => autosave.flush(draft()));

  // --- Participants ---------------------------------------------------------------------------
  const participantsBox = h('section', { id: 'meeting-participants', class: 'card', 'aria-labelledby': 'meeting-participants-heading' });
  const options = meeting.participantOptions ?? [];

  function renderParticipants(focusId = null) {
    const present = participants.filter((p) => p.presence === 'present').length;
    const picker = h('select', { id: 'participant-add', 'aria-keyshortcuts': 'Alt+L' },
      h('option', { value: '' }, t('meeting.participantAdd')),
      h('optgroup', { label: t('meeting.fromCase') },
        remainingOptions(options, participants).map((o) => h('option', {
          value: `pick:${options.indexOf(o)}`,
        }, `${o.name} – ${o.role}${o.organisation ? `, ${o.organisation}` : ''}`))),
      h('optgroup', { label: t('meeting.typeFreely') },
        h('option', { value: 'new:provider' }, t('meeting.source.provider')),
        h('option', { value: 'new:other' }, t('meeting.source.other'))));
    picker.addEventListener('change', () => {
      const [how, what] = picker.value.split(':');
      if (!how) return;
      const added = how === 'pick' ? participantFrom(options[Number(what)]) : participantFrom(null, what);
      participants = [...participants, added];
      const i = participants.length - 1;
      renderParticipants(how === 'pick' ? 'participant-add' : `participant-${i}-name`);
      autosave.flush(draft());
    });
    const rows = participants.map((p, i) => {
      const input = (key, label) => h('input', {
        id: `participant-${i}-${key}`, type: 'text', value: p[key], autocomplete: 'off', 'aria-label': `${label} ${i + 1}`,
        'data-index': String(i), 'data-key': key, class: key === 'name' && !p.name.trim() ? 'needs-name' : null,
      });
      const here = h('input', {
        id: `participant-${i}-present`, type: 'checkbox', checked: p.presence === 'present',
        'data-index': String(i), 'data-key': 'presence',
      });
      return h('tr', { class: 'participant-row', 'data-source': p.source, 'data-presence': p.presence },
        h('td', {}, input('name', t('meeting.participantName'))),
        h('td', {}, input('role', t('meeting.participantRole'))),
        h('td', {}, input('organisation', t('meeting.participantOrganisation'))),
        h('td', { class: 'center' }, h('label', { class: 'check', for: here.id }, here,
          h('span', { class: 'visually-hidden', text: t('meeting.presentN', { n: i + 1 }) }))),
        h('td', {}, h('button', {
          type: 'button', class: 'link danger small', 'data-remove': String(i),
          'aria-label': t('meeting.participantRemoveN', { name: p.name || String(i + 1) }),
        }, t('meeting.participantRemove'))));
    });
    replace(participantsBox,
      h('h2', { id: 'meeting-participants-heading' }, t('meeting.participants'), ' ',
        h('span', { id: 'participants-count', class: 'muted small', text: t('meeting.presentCount', { present, total: participants.length }) })),
      participants.length === 0 ? h('p', { class: 'muted', text: t('meeting.noParticipants') }) : h('div', { class: 'table-wrap' },
        h('table', { id: 'participants-table', class: 'data-table participants-table' },
          h('thead', {}, h('tr', {},
            ['name', 'role', 'organisation', 'present'].map((c) => h('th', { scope: 'col', text: t(`meeting.participantCol.${c}`) })),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('meeting.participantRemove') })))),
          h('tbody', {}, rows))),
      h('div', { id: 'meeting-participants-error', class: 'field-error', role: 'alert', hidden: true }),
      h('div', { class: 'participant-add' },
        h('label', { for: 'participant-add', class: 'visually-hidden', text: t('meeting.participantAdd') }), picker),
      h('datalist', { id: 'action-owner-list' },
        ownerSuggestions(participants, options).map((name) => h('option', { value: name }))));
    if (current?.autosave === autosave) showRefused();
    if (focusId) participantsBox.querySelector(`#${focusId}`)?.focus();
  }
  participantsBox.addEventListener('input', (event) => {
    const el = event.target;
    if (!el.dataset.key || el.dataset.key === 'presence') return;
    const i = Number(el.dataset.index);
    participants = participants.map((p, j) => (j === i ? { ...p, [el.dataset.key]: el.value } : p));
    if (el.dataset.key === 'name') el.classList.toggle('needs-name', el.value.trim() === '');
    changed();
  });
  participantsBox.addEventListener('change', (event) => {
    const el = event.target;
    if (el.dataset.key !== 'presence') return;
    const i = Number(el.dataset.index);
    participants = participants.map((p, j) => (j === i ? { ...p, presence: el.checked ? 'present' : 'absent' } : p));
    el.closest('tr').dataset.presence = el.checked ? 'present' : 'absent';
    const present = participants.filter((p) => p.presence === 'present').length;
    participantsBox.querySelector('#participants-count').textContent = t('meeting.presentCount', { present, total: participants.length });
    autosave.flush(draft());
  });
  participantsBox.addEventListener('focusout', (event) => {
    if (event.target.dataset.key === 'name') {
      // The owner suggestions follow the names.
      const list = participantsBox.querySelector('#action-owner-list');
      replace(list, ownerSuggestions(participants, options).map((name) => h('option', { value: name })));
    }
    autosave.flush(draft());
  });
  participantsBox.addEventListener('click', (event) => {
    const button = event.target.closest('[data-remove]');
    if (!button) return;
    const i = Number(button.dataset.remove);
    participants = participants.filter((_, j) => j !== i);
    renderParticipants('participant-add');
    autosave.flush(draft());
  });
  renderParticipants();


  // --- Agreed actions -------------------------------------------------------------------------
  const actionsBox = h('section', { id: 'meeting-actions', class: 'card', 'aria-labelledby': 'meeting-actions-heading' });
  let editing = null; // the action being edited, or null for a new one
  let lastMeeting = meeting; // the latest answer, whose actions are on screen

  function actionStatus(a) {
    if (a.doneOn) return h('span', { class: 'pill action-status', 'data-urgency': 'done', text: t('meeting.actionDoneOn', { date: formatDate(a.doneOn) }) });
    return h('span', { class: 'pill action-status', 'data-urgency': a.urgency, text: daysLeftText(a.daysLeft) });
  }

  function renderActions(m, { focus = null, notice = null } = {}) {
    lastMeeting = m;
    const list = m.actions ?? [];
    const rows = list.flatMap((a) => {
      const idAttr = { 'data-action-id': String(a.id) };
      const buttons = a.doneOn
        ? [h('button', { type: 'button', class: 'small-button', 'data-act': 'reopen', ...idAttr }, t('meeting.actionReopen'))]
        : [
          h('button', { type: 'button', class: 'small-button primary-soft', 'data-act': 'done', id: `action-${a.id}-done`, ...idAttr }, t('meeting.actionDone')),
          h('button', { type: 'button', class: 'small-button', 'data-act': 'edit', ...idAttr }, t('meeting.actionEdit')),
          h('button', { type: 'button', class: 'link danger small', 'data-act': 'remove', ...idAttr }, t('meeting.actionRemove')),
        ];
      const row = h('tr', { class: 'action-row', ...idAttr, 'data-urgency': a.doneOn ? 'done' : a.urgency },
        h('td', { class: 'notes', text: a.what }),
        h('td', { text: a.owner }),
        h('td', { class: 'nowrap' }, formatDate(a.dueDate),
          a.earlyDueConfirmed ? h('div', { class: 'small muted', text: t('meeting.earlyDueConfirmed') }) : null),
        h('td', {}, actionStatus(a)),
        h('td', {}, h('div', { class: 'row-actions', role: 'group', 'aria-label': t('meeting.actionsFor', { what: a.what }) }, buttons)));
      const doneOn = h('input', { type: 'text', id: `action-${a.id}-doneOn`, value: todayDisplay(), autocomplete: 'off' });
      const doneForm = h('form', { class: 'done-form', novalidate: true, ...idAttr },
        field({ id: `action-${a.id}-doneOn`, label: t('meeting.doneOnLabel'), control: doneOn, hint: t('form.dateHint'), className: 'field-short' }),
        h('div', { class: 'actions left' },
          h('button', { type: 'submit', class: 'primary', id: `action-${a.id}-done-confirm` }, t('meeting.actionDoneConfirm')),
          h('button', { type: 'button', class: 'link', 'data-act': 'done-cancel', ...idAttr }, t('common.cancel'))));
      const doneRow = h('tr', { class: 'done-row', hidden: true, ...idAttr }, h('td', { colSpan: 5 }, doneForm));
      const errorRow = h('tr', { class: 'action-error-row', hidden: true },
        h('td', { colSpan: 5 }, h('div', { id: `action-${a.id}-error`, class: 'field-error', role: 'alert' })));
      return [row, doneRow, errorRow];
    });

    const what = h('input', { type: 'text', autocomplete: 'off', value: editing ? editing.what : '', 'aria-keyshortcuts': 'Alt+T' });
    const owner = h('input', { type: 'text', autocomplete: 'off', value: editing ? editing.owner : '' });
    owner.setAttribute('list', 'action-owner-list'); // `list` is a read-only property: an attribute
    const due = h('input', { type: 'text', autocomplete: 'off', value: editing ? formatDate(editing.dueDate) : '' });
    const confirmEarly = h('input', { type: 'checkbox', id: 'action-confirmEarly', checked: Boolean(editing && editing.earlyDueConfirmed) });
    const confirmBox = h('label', { class: 'check confirm-early', for: 'action-confirmEarly', hidden: !(editing && editing.earlyDueConfirmed) },
      confirmEarly, ' ', t('meeting.confirmEarlyDue'));
    const general = h('div', { id: 'action-form-error', class: 'field-error', role: 'alert', hidden: true });
    const submit = h('button', { id: 'action-submit', type: 'submit', class: 'primary' }, editing ? t('meeting.actionSave') : t('meeting.actionAdd'));
    const cancel = editing ? h('button', { type: 'button', class: 'link', id: 'action-cancel' }, t('common.cancel')) : null;
    const form = h('form', { id: 'action-form', class: 'inline-form action-form', novalidate: true },
      h('h3', { text: editing ? t('meeting.actionEditTitle') : t('meeting.actionNewTitle') }),
      h('div', { class: 'action-grid' },
        field({ id: 'action-what', label: t('meeting.actionWhat'), control: what, required: true, className: 'what' }),
        field({ id: 'action-owner', label: t('meeting.actionOwner'), control: owner, required: true, hint: t('meeting.actionOwnerHint') }),
        field({ id: 'action-dueDate', label: t('meeting.actionDue'), control: due, required: true, hint: t('form.dateHint'), extra: confirmBox })),
      general,
      h('div', { class: 'actions left' }, submit, cancel));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors(form);
      general.hidden = true;
      submit.disabled = true;
      try {
        const payload = serialiseAction(readValues(form), !confirmBox.hidden && confirmEarly.checked);
        const updated = editing
          ? await api.meetingActionUpdate(editing.id, payload)
          : await api.meetingActionAdd(meeting.id, payload);
        const wasEditing = editing;
        editing = null;
        renderActions(updated, { focus: 'action-what', notice: wasEditing ? t('meeting.actionUpdated') : t('meeting.actionAdded', { what: payload.what }) });
      } catch (error) {
        submit.disabled = false;
        if ((error.fields ?? []).some((f) => f.code === 'action.due_before_meeting')) confirmBox.hidden = false;
        showSubmitErrors(form, error, general, 'action-');
      }
    });
    cancel?.addEventListener('click', () => {
      editing = null;
      renderActions(m, { focus: 'action-what' });
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && editing) {
        editing = null;
        renderActions(m, { focus: 'action-what' });
      }
    });

    const table = list.length === 0
      ? h('p', { id: 'actions-empty', class: 'muted', text: t('meeting.noActions') })
      : h('div', { class: 'table-wrap' }, h('table', { id: 'actions-table', class: 'data-table actions-table' },
        h('thead', {}, h('tr', {}, ['what', 'owner', 'due', 'status'].map((c) => h('th', { scope: 'col', text: t(`meeting.actionCol.${c}`) })),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('meeting.actionCol.tools') })))),
        h('tbody', {}, rows)));

    const open = list.filter((a) => !a.doneOn).length;
    replace(actionsBox,
      h('h2', { id: 'meeting-actions-heading' }, t('meeting.actions'), ' ',
        list.length ? h('span', { class: 'muted small', text: t('meeting.openCount', { open }) }) : null),
      h('p', { class: 'field-hint', text: t('meeting.actionsHint') }),
      table,
      h('p', { id: 'actions-message', class: 'save-message', role: 'status', text: notice ?? '' }),
      form);
    if (focus) actionsBox.querySelector(`#${focus}`)?.focus();
  }

  function actionError(id, error) {
    const slot = actionsBox.querySelector(`#action-${id}-error`);
    if (!slot) return;
    slot.textContent = error ? errorText(error) : '';
    slot.closest('tr').hidden = !error;
  }

  actionsBox.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-act]');
    if (!button || button.disabled) return;
    const id = Number(button.dataset.actionId);
    const act = button.dataset.act;
    const doneRow = actionsBox.querySelector(`tr.done-row[data-action-id="${id}"]`);
    actionError(id, null);
    if (act === 'done') {
      doneRow.hidden = false;
      doneRow.querySelector(`#action-${id}-done-confirm`).focus();
      return;
    }
    if (act === 'done-cancel') {
      doneRow.hidden = true;
      actionsBox.querySelector(`#action-${id}-done`)?.focus();
      return;
    }
    if (act === 'edit') {
      const latest = lastMeeting.actions.find((a) => a.id === id);
      editing = latest ?? null;
      renderActions(lastMeeting, { focus: 'action-what' });
      return;
    }
    if (act === 'remove') {
      // Two steps, so that a slip of the finger does not remove what was agreed.
      button.dataset.act = 'remove-confirm';
      button.textContent = t('meeting.actionRemoveConfirm');
      return;
    }
    button.disabled = true;
    try {
      const updated = act === 'reopen' ? await api.meetingActionReopen(id) : await api.meetingActionRemove(id);
      renderActions(updated, { notice: act === 'reopen' ? t('meeting.actionReopened') : t('meeting.actionRemoved') });
    } catch (error) {
      button.disabled = false;
      actionError(id, error);
    }
  });
  actionsBox.addEventListener('submit', async (event) => {
    const form = event.target.closest('form.done-form');
    if (!form) return;
    event.preventDefault();
    const id = Number(form.dataset.actionId);
    const input = form.querySelector('input');
    clearFieldError(form, input.id);
    try {
      const updated = await api.meetingActionDone(id, parseDisplayDate(input.value));
      renderActions(updated, { notice: t('meeting.actionMarkedDone') });
    } catch (error) {
      const fieldMessage = (error.fields ?? []).find((f) => f.field === 'doneOn');
      showFieldError(form, input.id, fieldMessage ? errorText({ message: fieldMessage.message }) : errorText(error));
      input.focus();
    }
  });
  renderActions(meeting);

  // --- Minutes --------------------------------------------------------------------------------
  const minutesBox = h('section', { id: 'meeting-minutes', class: 'card', 'aria-labelledby': 'meeting-minutes-heading' });
  function renderMinutes(info, notice = null) {
    const exportButton = h('button', { id: 'minutes-export', type: 'button', class: 'primary' }, t('meeting.minutesExport'));
    const message = h('p', { id: 'minutes-message', class: 'save-message', role: 'status', text: notice ?? '' });
    const error = h('div', { id: 'minutes-error', class: 'field-error', role: 'alert', hidden: true });
    exportButton.addEventListener('click', async () => {
      if (exportButton.disabled) return;
      exportButton.disabled = true;
      error.hidden = true;
      message.textContent = '';
      try {
        // The minutes are made from what is saved: save what is on screen first.
        await autosave.flush(draft());
        const path = await api.chooseSavePath(meeting.minutesFileName);
        if (!path) return;
        message.textContent = t('meeting.minutesMaking');
        const made = await api.meetingMinutesExport(meeting.id, path);
        renderMinutes({ regNo: made.regNo, docDate: parseDisplayDate(todayDisplay()) },
          t('meeting.minutesSaved', { file: made.fileName, regNo: made.regNo }));
        // --- Install ---
        minutesBox.querySelector('#minutes-message')?.append(' ', openFileButton(made.path, minutesBox.querySelector('#minutes-message'), 'minutes-open'));
        minutesBox.querySelector('#minutes-export').focus();
      } catch (e) {
        message.textContent = '';
        const lines = (e.fields ?? []).map((f) => errorText({ message: f.message }));
        error.textContent = lines.length ? lines.join(' ') : errorText(e);
        const link = profileLinkFor(e, 'minutes-profile-link');
        if (link) error.append(' ', link);
        error.hidden = false;
        for (const f of e.fields ?? []) {
          const m = /^participants\.(\d+)\.name$/.exec(f.field);
          if (m) participantsBox.querySelector(`#participant-${m[1]}-name`)?.setAttribute('aria-invalid', 'true');
        }
      } finally {
        if (exportButton.isConnected) exportButton.disabled = false;
      }
    });
    replace(minutesBox,
      h('h2', { id: 'meeting-minutes-heading', text: t('meeting.minutes') }),
      h('p', { class: 'field-hint', text: t('meeting.minutesHint') }),
      info ? h('p', { id: 'minutes-last', text: t('meeting.minutesLast', { regNo: info.regNo, date: formatDate(info.docDate) }) }) : null,
      h('div', { class: 'actions left' }, exportButton),
      error,
      message);
  }
  renderMinutes(meeting.minutes);

  /** Delete a meeting created by mistake: two steps, then back to the case. */
  function deleteButton() {
    const button = h('button', { id: 'meeting-delete', type: 'button', class: 'link danger small' }, t('meeting.delete'));
    button.addEventListener('click', async () => {
      if (button.dataset.confirm !== '1') {
        button.dataset.confirm = '1';
        button.textContent = t('meeting.deleteConfirm');
        return;
      }
      button.disabled = true;
      try {
        autosave.cancel();
        current = null;
        await api.meetingDelete(meeting.id);
        unsaved.delete(meeting.id);
        forgetUnsaved('meeting');
        ctx.navigate('case', { id: meeting.caseId });
      } catch (error) {
        button.disabled = false;
        const slot = header.querySelector('#meeting-delete-error');
        slot.textContent = errorText(error);
        slot.hidden = false;
      }
    });
    return button;
  }

  // --- Header: when and where, changed in place -----------------------------------------------
  const header = h('header', { class: 'view-header meeting-header' });
  const editBox = h('div', { id: 'meeting-edit-box' });
  function renderHeader(m, notice = null) {
    const edit = h('button', {
      id: 'meeting-edit', type: 'button', class: 'small-button', 'aria-expanded': 'false', 'aria-controls': 'meeting-edit-box',
    }, t('meeting.editDetails'));
    const closeForm = () => {
      replace(editBox);
      edit.setAttribute('aria-expanded', 'false');
      edit.focus();
    };
    edit.addEventListener('click', () => {
      if (editBox.firstChild) {
        closeForm();
        return;
      }
      const form = meetingForm({
        id: 'meeting-edit-form', title: t('meeting.editTitle'), submitLabel: t('meeting.save'),
        values: { kind: m.kind, date: formatDate(m.date), time: m.time, place: m.place, videoLink: m.videoLink },
      });
      form.querySelector('[data-cancel]').addEventListener('click', closeForm);
      form.addEventListener('keydown', (event) => { if (event.key === 'Escape') closeForm(); });
      const general = form.querySelector('.form-general-error');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearErrors(form);
        try {
          const updated = await api.meetingUpdate(m.id, serialiseMeeting(readValues(form)));
          replace(editBox);
          renderHeader(updated, t('meeting.detailsSaved'));
          header.querySelector('#meeting-edit').focus();
        } catch (error) {
          showSubmitErrors(form, error, general, 'meeting-');
        }
      });
      replace(editBox, form);
      edit.setAttribute('aria-expanded', 'true');
      form.querySelector('#meeting-date').focus();
    });
    const when = [t(`meeting.kind.${m.kind}`), m.time ? `${t('meeting.at')} ${m.time}` : null, m.place || null];
    replace(header,
      h('div', {},
        h('h1', { id: 'meeting-title', text: t('meeting.title', { date: formatDate(m.date) }) }),
        h('p', { id: 'meeting-when', class: 'case-meta' }, when.filter(Boolean).join(' · ')),
        m.videoLink ? h('p', { class: 'case-meta' }, `${t('meeting.videoLink')}: `, h('span', { class: 'mono link-text', text: m.videoLink })) : null,
        h('div', { class: 'meeting-header-tools' }, edit, m.minutes ? null : deleteButton(),
          notice ? h('span', { class: 'save-message', role: 'status', text: notice }) : null),
        h('p', { id: 'meeting-delete-error', class: 'field-error', role: 'alert', hidden: true })),
      saveState);
  }
  renderHeader(meeting);

  replace(root,
    h('p', { class: 'breadcrumb' },
      h('a', { id: 'meeting-back', href: caseHref }, t('meeting.backToCase', { name: meeting.childName, caseNo: meeting.caseNo }))),
    header,
    restored ? h('div', { id: 'meeting-restored', class: 'banner success', role: 'status', text: t('meeting.restored') }) : null,
    h('p', { class: 'shortcut-hint small muted', text: t('meeting.shortcuts') }),
    editBox,
    participantsBox,
    textsBox,
    actionsBox,
    minutesBox);

  // Keyboard: Alt+letter jumps to a part, Ctrl+S saves now.
  root.addEventListener('keydown', (event) => {
    const cut = shortcutOf(event);
    if (!cut) return;
    event.preventDefault();
    if (cut.save) {
      autosave.flush(draft());
      return;
    }
    const target = root.querySelector(`#${cut.focus}`);
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus();
    }
  });

  if (meeting.draftSavedAt || refused.length > 0) showSaved(meeting.draftSavedAt);
  else {
    saveState.dataset.state = 'saved';
    saveState.textContent = t('meeting.autosaveHint');
  }
  showRefused();
  report(false);
  if (restored) autosave.change(draft());
  // Ready to type: the notes have the focus, the page stays at its top.
  notes.focus({ preventScroll: true });
}
