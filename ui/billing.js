/**
 * Billing's pure helpers (no DOM): money in the reader's language, quantities, the budget
 * chart's bar geometry and the invoice form's line fields. The figures themselves always come
 * from the backend; nothing here decides what is paid.
 */

import { formatMoney, formatDecimal } from './format.js';

/** Integer cents as money: "1 234,56 €" in both languages (format.js says why). */
export const formatMoneyIn = (cents, lang) => formatMoney(cents, lang);

/** Thousandths as a quantity: 1500 -> "1,5" (the decimal comma in both languages). */
export function formatQuantity(milli, lang) {
  if (milli == null || !Number.isInteger(milli)) return '';
  const whole = Math.floor(milli / 1000);
  const frac = String(milli % 1000).padStart(3, '0').replace(/0+$/, '');
  return frac ? formatDecimal(`${whole}.${frac}`) : String(whole);
}

/** The fields of one invoice line, in the form's column order. */
export const LINE_FIELDS = [
  'childCode', 'decisionNumber', 'activityCode', 'mode', 'serviceDate', 'quantity', 'unitPrice', 'amount', 'specialist', 'content',
];

/** An empty line for the form, with the invoice's usual decision and date carried over. */
export function emptyLine(previous = null) {
  const line = Object.fromEntries(LINE_FIELDS.map((f) => [f, '']));
  if (previous) {
    line.childCode = previous.childCode ?? '';
    line.decisionNumber = previous.decisionNumber ?? '';
    line.serviceDate = previous.serviceDate ?? '';
  }
  return line;
}

/**
 * The bars of one year of a budget as widths in per mille of the chart (integers): what is used,
 * what is committed and what is left of the granted amount; over-spending shows as `over`.
 */
export function budgetBars(line, scale) {
  const permille = (cents) => (scale > 0 ? Math.round((Math.max(0, cents) * 1000) / scale) : 0);
  const used = permille(line.usedCents);
  const committed = permille(line.committedCents);
  const granted = permille(line.grantedCents);
  return {
    used,
    committed,
    left: Math.max(0, granted - used - committed),
    granted,
    over: line.leftCents < 0,
  };
}

/** The scale of a year's chart: the largest of granted and used + committed. */
export function budgetScale(lines) {
  return Math.max(1, ...lines.map((l) => Math.max(l.grantedCents, l.usedCents + l.committedCents)));
}

/** Invoice statuses in the order a coordinator meets them. */
export const INVOICE_STATUSES = ['draft', 'checked', 'accepted', 'partly_accepted', 'rejected'];
