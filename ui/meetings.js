/**
 * Network meetings, the parts without a DOM: payloads for the backend (the meeting's when and
 * where, the notes draft, an agreed action), participants picked from the case, list typing in
 * the notes (Enter continues "- " and "1. " lists), and the keyboard shortcuts of the meeting
 * page. Pure: the backend validates and decides; nothing here judges a date.
 */
import { parseDisplayDate } from './format.js';

export const MEETING_KINDS = ['first', 'follow_up', 'other'];
export const PARTICIPANT_SOURCES = ['guardian', 'kov', 'provider', 'other'];
export const TEMPLATE_CODES = ['first', 'follow_up'];

/** How long the notes wait after the last keystroke before they are saved. */
export const NOTES_SAVE_DELAY_MS = 500;

const text = (values, id) => String(values[id] ?? '').trim();

/** The `meeting` of meeting_create / meeting_update from form values keyed by control id. */
export function serialiseMeeting(values) {
  return {
    kind: text(values, 'meeting-kind'),
    date: parseDisplayDate(values['meeting-date']),
    time: text(values, 'meeting-time'),
    place: text(values, 'meeting-place'),
    videoLink: text(values, 'meeting-videoLink'),
  };
}

/**
 * The notes draft as on screen. Texts go exactly as typed (no trimming): reopening must show
 * the same characters.
 */
export function meetingDraft({ agenda, notes, notesShared, privateNotes, decisions, participants }) {
  return {
    agenda: String(agenda ?? ''),
    notes: String(notes ?? ''),
    notesShared: Boolean(notesShared),
    privateNotes: String(privateNotes ?? ''),
    decisions: String(decisions ?? ''),
    participants: (participants ?? []).map((p) => ({
      source: p.source,
      guardianId: p.guardianId ?? null,
      name: String(p.name ?? ''),
      role: String(p.role ?? ''),
      organisation: String(p.organisation ?? ''),
      presence: p.presence === 'absent' ? 'absent' : 'present',
    })),
  };
}

/** The draft of a meeting the backend sent. */
export function draftOfMeeting(meeting) {
  return meetingDraft(meeting ?? {});
}

/** The `action` of meeting_action_add / meeting_action_update. */
export function serialiseAction(values, confirmEarlyDue = false) {
  return {
    what: text(values, 'action-what'),
    owner: text(values, 'action-owner'),
    dueDate: parseDisplayDate(values['action-dueDate']),
    confirmEarlyDue: Boolean(confirmEarlyDue),
  };
}

/** A key that tells a participant option apart (the same person is not offered twice). */
export function optionKey(p) {
  if (p.guardianId != null) return `guardian:${p.guardianId}`;
  return `${p.source}:${String(p.name ?? '').trim().toLowerCase()}:${String(p.role ?? '').trim().toLowerCase()}`;
}

/** The one-pick options not yet among the participants. */
export function remainingOptions(options, participants) {
  const taken = new Set((participants ?? []).map(optionKey));
  return (options ?? []).filter((o) => !taken.has(optionKey(o)));
}

/** A participant row from a picked option (present by default), or an empty one to type. */
export function participantFrom(option, source = 'other') {
  if (option) {
    return {
      source: option.source, guardianId: option.guardianId ?? null, name: option.name ?? '',
      role: option.role ?? '', organisation: option.organisation ?? '', presence: 'present',
    };
  }
  return { source, guardianId: null, name: '', role: '', organisation: '', presence: 'present' };
}

/** Names to suggest for an action's owner: the participants, then the other options. */
export function ownerSuggestions(participants, options) {
  const names = [...(participants ?? []), ...(options ?? [])]
    .map((p) => String(p.name ?? '').trim())
    .filter(Boolean);
  return [...new Set(names)];
}

const BULLET = /^(\s*)([-*•])(\s+)(.*)$/;
const NUMBER = /^(\s*)(\d{1,3})([.)])(\s+)(.*)$/;

/**
 * Enter pressed in a notes field at `start`..`end`: continue the list the caret's line is in.
 * Returns {value, caret} for the new text, or null when Enter should do what it always does.
 * On a list line with text, the next line gets the same bullet (or the next number); on an
 * empty list line, the bullet is removed and the list ends.
 */
export function continueList(value, start, end = start) {
  const v = String(value ?? '');
  if (start !== end) return null;
  const lineStart = v.lastIndexOf('\n', start - 1) + 1;
  const lineEndIndex = v.indexOf('\n', start);
  const lineEnd = lineEndIndex === -1 ? v.length : lineEndIndex;
  if (start !== lineEnd) return null; // only at the end of a line
  const line = v.slice(lineStart, lineEnd);
  let prefix = null;
  let content = '';
  const b = BULLET.exec(line);
  const n = NUMBER.exec(line);
  if (b) {
    prefix = { current: `${b[1]}${b[2]}${b[3]}`, next: `${b[1]}${b[2]}${b[3]}` };
    content = b[4];
  } else if (n) {
    prefix = { current: `${n[1]}${n[2]}${n[3]}${n[4]}`, next: `${n[1]}${Number(n[2]) + 1}${n[3]}${n[4]}` };
    content = n[5];
  } else {
    const bare = /^(\s*)([-*•]|\d{1,3}[.)])$/.exec(line);
    if (!bare) return null;
    // "- " typed and trimmed away, or a lone "1.": an empty item ends the list.
    prefix = { current: line, next: '' };
    content = '';
  }
  if (content.trim() === '') {
    const next = v.slice(0, lineStart) + v.slice(lineEnd);
    return { value: next, caret: lineStart };
  }
  const insert = `\n${prefix.next}`;
  return { value: v.slice(0, start) + insert + v.slice(end), caret: start + insert.length };
}

/** The meeting page's shortcuts: Alt + a letter moves to a part; Ctrl/Cmd+S saves now. */
export const SHORTCUTS = {
  m: 'meeting-notes',
  p: 'meeting-privateNotes',
  o: 'meeting-decisions',
  a: 'meeting-agenda',
  t: 'action-what',
  l: 'participant-add',
};

/** What a keydown on the meeting page means: {focus: id} / {save: true} / null. */
export function shortcutOf(event) {
  if (!event) return null;
  const key = String(event.key ?? '').toLowerCase();
  if ((event.ctrlKey || event.metaKey) && !event.altKey && key === 's') return { save: true };
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    // With Alt held some layouts give another character: use the physical key too.
    const physical = /^Key([A-Z])$/.exec(String(event.code ?? ''));
    const letter = physical ? physical[1].toLowerCase() : key;
    if (SHORTCUTS[letter]) return { focus: SHORTCUTS[letter] };
  }
  return null;
}
