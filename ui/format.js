/**
 * Presentation of dates and names. The backend speaks ISO dates ("YYYY-MM-DD") and
 * RFC 3339 UTC timestamps; people read and type dd.mm.yyyy. Nothing here validates:
 * what cannot be reshaped is passed on as typed, and the backend says what is wrong.
 */

const pad2 = (n) => String(n).padStart(2, '0');

/** "2011-07-12" -> "12.07.2011"; anything else is returned unchanged ("" for null). */
export function formatDate(iso) {
  if (iso == null) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : String(iso);
}

/** RFC 3339 timestamp -> local "dd.mm.yyyy hh:mm"; unparseable input is returned unchanged. */
export function formatDateTime(timestamp) {
  if (timestamp == null || timestamp === '') return '';
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return String(timestamp);
  return `${pad2(d.getDate())}.${pad2(d.getMonth() + 1)}.${d.getFullYear()} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** A Date -> its local calendar day as dd.mm.yyyy (used to prefill date fields). */
export function displayDateOf(date) {
  return `${pad2(date.getDate())}.${pad2(date.getMonth() + 1)}.${date.getFullYear()}`;
}

/**
 * What a person typed in a date field -> "YYYY-MM-DD" for the backend.
 * Accepts d.m.yyyy / dd.mm.yyyy (also with "/" or "-") and ISO; otherwise returns the
 * trimmed text so the backend can report it.
 */
export function parseDisplayDate(text) {
  const s = String(text ?? '').trim();
  if (s === '') return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  return m ? `${m[3]}-${pad2(m[2])}-${pad2(m[1])}` : s;
}

/** "First Last", skipping empty parts. */
export function personName(firstName, lastName) {
  return [firstName, lastName].filter((p) => p && String(p).trim() !== '').join(' ');
}
