/**
 * Words for deadlines the backend has computed: "5 päeva jäänud", "täna", "üle tähtaja 2 päeva",
 * "peatatud". Nothing here counts days; `daysLeft`, `state` and `urgency` come from the backend.
 */
import { t } from './i18n/index.js';

/** daysLeft (negative = overdue) -> words in the current language. */
export function daysLeftText(daysLeft) {
  const n = Number(daysLeft);
  if (!Number.isFinite(n)) return '';
  if (n === 0) return t('deadline.today');
  if (n > 0) return t(n === 1 ? 'deadline.leftOne' : 'deadline.leftMany', { n });
  const over = -n;
  return t(over === 1 ? 'deadline.overdueOne' : 'deadline.overdueMany', { n: over });
}

/** What to say about a deadline's state: stopped and met clocks have no days left to count. */
export function deadlineStateText(deadline) {
  if (!deadline) return '';
  if (deadline.state === 'stopped') return t('deadline.stopped');
  if (deadline.state === 'met') return t('deadline.met');
  return daysLeftText(deadline.daysLeft);
}

/**
 * A CSS tone for a deadline: stopped / met / overdue / today / running. Only reads the
 * backend's state and the sign of its daysLeft.
 */
export function deadlineTone(deadline) {
  if (!deadline) return 'none';
  if (deadline.state === 'stopped' || deadline.state === 'met') return deadline.state;
  if (deadline.daysLeft < 0) return 'overdue';
  if (deadline.daysLeft === 0) return 'today';
  return 'running';
}
