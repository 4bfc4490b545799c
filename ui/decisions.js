/**
 * The decision editor's data: control ids, the draft sent to `decision_save`, and where the
 * backend's field paths go. Pure: no DOM. Amounts are shown as typed euros ("1234,56") and go
 * back as text; the backend turns them into cents and checks them.
 */
import { parseDisplayDate, formatDate } from './format.js';

export const DECISION_KINDS = ['referral', 'refusal', 'amendment', 'termination'];
export const DECISION_DELIVERIES = ['email', 'post', 'in_person', 'eesti_ee'];
export const SUMMARY_LANGUAGES = ['et', 'ru', 'en'];

/** The plain text fields of the draft, in the order of the form. */
export const TEXT_FIELDS = ['operative', 'reasoning', 'legalBasis', 'summary'];

export const fieldId = (name) => `decision-${name}`;
export const annexCodeId = (i) => `decision-annex-${i}-code`;
export const annexAmountId = (i, year) => `decision-annex-${i}-${year}`;

/** Cents -> what an amount field shows: "1234,56" (no grouping, so it reads back as typed). */
export function centsToInput(cents) {
  if (!Number.isInteger(cents)) return '';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** Backend field path -> control id: "annex.0.2026" -> "decision-annex-0-2026". */
export function decisionFieldId(path) {
  return `decision-${String(path).split('.').join('-')}`;
}

/** The form's starting values (by control id) from a `DecisionView`. */
export function valuesFromDecision(view) {
  const d = view?.decision ?? {};
  const values = {
    [fieldId('decisionDate')]: formatDate(d.decisionDate ?? ''),
    [fieldId('addresseeName')]: d.addresseeName ?? '',
    [fieldId('addresseeEmail')]: d.addresseeEmail ?? '',
    [fieldId('addresseeAddress')]: d.addresseeAddress ?? '',
    [fieldId('delivery')]: d.delivery ?? '',
    [fieldId('summaryLanguage')]: d.summaryLanguage ?? 'et',
    [fieldId('validFrom')]: formatDate(d.validFrom ?? ''),
    [fieldId('validTo')]: formatDate(d.validTo ?? ''),
    [fieldId('lateReason')]: d.lateReason ?? '',
    [fieldId('relatedNumber')]: d.relatedNumber ?? '',
    [fieldId('providers')]: (d.providers ?? []).join('\n'),
  };
  for (const f of TEXT_FIELDS) values[fieldId(f)] = d[f] ?? '';
  return values;
}

/** Annex rows for the editor: [{code, amounts: {year: "1234,56"}}] over the period's years. */
export function annexRows(view) {
  const years = view?.annexYears ?? [];
  return (view?.decision?.annex ?? []).map((line) => {
    const amounts = {};
    for (const y of years) {
      const cents = (line.amounts ?? []).filter((a) => a.year === y).reduce((s, a) => s + a.cents, 0);
      amounts[y] = centsToInput(cents);
    }
    return { code: line.code ?? '', amounts };
  });
}

/** Indices of the annex rows present in the values, in order. */
export function annexIndices(values) {
  const seen = new Set();
  for (const key of Object.keys(values)) {
    const m = /^decision-annex-(\d+)-code$/.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Form values (by control id) and the annex years -> the `draft` of `decision_save`. */
export function serialiseDecisionDraft(values, years = []) {
  const text = (name) => String(values[fieldId(name)] ?? '');
  const draft = {
    decisionDate: parseDisplayDate(text('decisionDate')),
    addresseeName: text('addresseeName').trim(),
    addresseeAddress: text('addresseeAddress'),
    addresseeEmail: text('addresseeEmail').trim(),
    delivery: text('delivery'),
    summaryLanguage: text('summaryLanguage'),
    validFrom: parseDisplayDate(text('validFrom')),
    validTo: parseDisplayDate(text('validTo')),
    lateReason: text('lateReason'),
    relatedNumber: text('relatedNumber').trim(),
    providers: text('providers').split('\n').map((p) => p.trim()).filter((p) => p !== ''),
    annex: annexIndices(values).map((i) => ({
      code: String(values[annexCodeId(i)] ?? '').trim(),
      amounts: years
        .filter((y) => values[annexAmountId(i, y)] !== undefined)
        .map((y) => ({ year: y, amount: String(values[annexAmountId(i, y)] ?? '').trim() })),
    })),
  };
  for (const f of TEXT_FIELDS) draft[f] = text(f);
  return draft;
}

/** `snippet` put into `text` at `at` (a cursor position), on a line of its own. */
export function insertParagraph(text, snippet, at = text.length) {
  const pos = Math.max(0, Math.min(at, text.length));
  const before = text.slice(0, pos);
  const after = text.slice(pos);
  const lead = before === '' || before.endsWith('\n') ? '' : '\n';
  const tail = after === '' || after.startsWith('\n') ? '' : '\n';
  return `${before}${lead}${snippet}${tail}${after}`;
}
