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

/** A Date -> its local calendar day as dd.mm.yyyy. */
export function displayDateOf(date) {
  return `${pad2(date.getDate())}.${pad2(date.getMonth() + 1)}.${date.getFullYear()}`;
}

/**
 * "Today" as the backend sees it. Date fields are prefilled with the backend's day, so the
 * window and the checks behind it never disagree (a webview may run in another time zone).
 * The offset to the window's own clock is kept, so a window left open past midnight moves on.
 */
let todayOffsetDays = 0;

function localMidnightUtc(date) {
  return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
}

export function setToday(iso, now = new Date()) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!m) return;
  const backend = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  todayOffsetDays = Math.round((backend - localMidnightUtc(now)) / 86_400_000);
}

/** Today's date as dd.mm.yyyy for prefilling date fields. */
export function todayDisplay(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + todayOffsetDays);
  return displayDateOf(d);
}

/**
 * The window's one date parser: what a person typed in a date field -> "YYYY-MM-DD" for the
 * backend. Accepts d.m.yyyy / dd.mm.yyyy (also with "/" or "-", spaces after the separators as
 * in "5. 3. 2026", and a closing dot) and ISO. It reshapes and never judges: "31.11.2026" goes on
 * as "2026-11-31" and the backend says there is no such date; text in another form goes on as
 * typed and the backend asks for dd.mm.yyyy. One message each, from core (cases::date_error).
 */
export function parseDisplayDate(text) {
  const s = String(text ?? '').trim();
  if (s === '') return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\.?$/.exec(s);
  return m ? `${m[3]}-${pad2(m[2])}-${pad2(m[1])}` : s;
}

/** "First Last", skipping empty parts. */
export function personName(firstName, lastName) {
  return [firstName, lastName].filter((p) => p && String(p).trim() !== '').join(' ');
}

/** RFC 3339 timestamp -> local "hh:mm" ("" when unparseable). */
export function formatTime(timestamp) {
  if (timestamp == null || timestamp === '') return '';
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/**
 * A moment that is either a calendar day ("2026-04-13") or a timestamp -> {date, time}
 * for display; `time` is "" for a plain day, which has no time of its own.
 */
export function formatWhen(at) {
  if (at == null || at === '') return { date: '', time: '' };
  if (/^\d{4}-\d{2}-\d{2}$/.test(String(at))) return { date: formatDate(at), time: '' };
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return { date: String(at), time: '' };
  return { date: displayDateOf(d), time: formatTime(at) };
}

/**
 * The convention for numbers, in both languages: Estonian notation. English is the words of the
 * window, not its figures: dates stay dd.mm.yyyy (as they are typed), so money stays
 * "6 004,10 €" and decimals keep the comma ("66,7"), the same as on the Board's documents and the
 * PDFs. (English once read "€6,004.10" beside "05.03.2026": two conventions on one screen.)
 * `lang` is accepted and ignored, so a caller never has to choose.
 */

/** Integer euro cents as money, no floating point on the way: "1 234,56 €". */
export function formatMoney(cents, lang = 'et') {
  if (cents == null || !Number.isInteger(cents)) return '';
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${sign}${euros},${pad2(abs % 100)}\u00a0€`;
}

/** A decimal (a number or its text from the backend) with the decimal comma: 66.7 -> "66,7". */
export function formatDecimal(value) {
  if (value == null || value === '') return '';
  return String(value).replace('.', ',');
}

/**
 * What a person typed in a number field -> a number for the backend. Accepts a decimal
 * comma. Empty is 0 (an unfilled amount); anything else that is not a number goes on as
 * typed so the backend can say what is wrong.
 */
export function parseNumber(text) {
  const s = String(text ?? '').trim().replace(/\s/g, '');
  if (s === '') return 0;
  if (/^-?\d+([.,]\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  return String(text).trim();
}

/** A number from the backend -> text for a number field, with the Estonian decimal comma. */
export function displayNumber(value) {
  if (value == null || value === '') return '';
  return String(value).replace('.', ',');
}

/** A file size in bytes -> "830 B", "12 kB", "3,4 MB" (for people, not exact; numbers as above). */
export function formatFileSize(bytes, lang = 'et') {
  if (bytes == null || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${formatDecimal((bytes / (1024 * 1024)).toFixed(1))} MB`;
}
