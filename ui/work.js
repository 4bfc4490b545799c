/**
 * Words for the coordinator's own work (tasks and proposals). Pure: what the backend decided
 * (urgency, status) is only put into words here; nothing is counted or ruled.
 */
import { t } from './i18n/index.js';
import { formatDate } from './format.js';

/** Whom a task came from: "meeskonnajuht", "muu: Kati Kask". */
export function taskFromText(task) {
  const kind = t(`task.from.${task.fromKind}`);
  const name = String(task.fromName ?? '').trim();
  return name ? `${kind}: ${name}` : kind;
}

/** A task's due date in words: "tähtaeg 04.12.2026", or "tähtajata". */
export function taskDueText(task) {
  return task.dueOn ? t('dashboard.due', { date: formatDate(task.dueOn) }) : t('task.undated');
}

/** Where a proposal stands: "saadetud 25.11.2026 · Teenusejuht". */
export function proposalStateText(p) {
  const parts = [t(`proposal.status.${p.status}`)];
  if (p.sentOn && p.status === 'sent') parts[0] = `${parts[0]} ${formatDate(p.sentOn)}`;
  if (p.outcomeOn && p.status !== 'sent' && p.status !== 'draft') parts[0] = `${parts[0]} ${formatDate(p.outcomeOn)}`;
  if (p.sentTo) parts.push(p.sentTo);
  return parts.join(' · ');
}

/**
 * Where a block of items goes among the dashboard's groups: before the first group whose most
 * urgent item is less urgent than the block's most urgent one (days left as the backend gave them).
 */
export function insertionIndex(groups, firstDaysLeft) {
  const at = groups.findIndex((g) => (g.firstDaysLeft ?? Infinity) > firstDaysLeft);
  return at === -1 ? groups.length : at;
}
