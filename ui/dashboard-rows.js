/**
 * The dashboard's rows by urgency: every item the backend put in the dashboard — a deadline of
 * any group (whatever its kind, including kinds added later), an agreed action of a meeting, a
 * task — as one list, split into the backend's urgencies. Nothing is counted or decided here:
 * the urgency, the days left and the titles are the backend's; this only orders and groups.
 */
export const URGENCIES = ['overdue', 'today', 'week', 'later'];

/** A row of the dashboard: its source ('deadline', 'action', 'task'), kind and the item as given. */
export function dashboardRows(dash) {
  const rows = [];
  for (const group of dash?.groups ?? []) {
    for (const item of group.items ?? []) {
      rows.push({ source: 'deadline', kind: group.kind, group, urgency: item.urgency, daysLeft: item.daysLeft, due: item.due, item });
    }
  }
  for (const a of dash?.actions ?? []) {
    rows.push({ source: 'action', kind: 'meeting_action', urgency: a.urgency, daysLeft: a.daysLeft, due: a.due, item: a });
  }
  for (const task of dash?.tasks ?? []) {
    rows.push({ source: 'task', kind: 'task', urgency: task.urgency, daysLeft: task.daysLeft, due: task.dueOn, item: task });
  }
  return rows;
}

/** Most urgent first: by days left, then by due date; rows of the same day keep their order. */
function compareRows(a, b) {
  const da = a.daysLeft ?? Infinity;
  const db = b.daysLeft ?? Infinity;
  if (da !== db) return da - db;
  return String(a.due ?? '').localeCompare(String(b.due ?? ''));
}

/**
 * The rows in urgency buckets, each sorted most urgent first: [{urgency, rows}] for the four
 * urgencies in order, and 'other' last for rows whose urgency is none of them (drawn, not dropped).
 * `only`: one urgency (a counter's filter); empty: all.
 */
export function byUrgency(rows, only = '') {
  const buckets = new Map([...URGENCIES, 'other'].map((u) => [u, []]));
  for (const row of rows) buckets.get(URGENCIES.includes(row.urgency) ? row.urgency : 'other').push(row);
  return [...buckets]
    .filter(([urgency, list]) => list.length > 0 && (!only || urgency === only))
    .map(([urgency, list]) => ({ urgency, rows: list.map((row, i) => [row, i]).sort(([a, i], [b, j]) => compareRows(a, b) || i - j).map(([row]) => row) }));
}

/** The dashboard's view from its address and the remembered choice: {by: 'urgency'|'kind', urgency}. */
export function dashboardMode(query = {}, remembered = '') {
  const by = query.by === 'kind' || query.by === 'urgency' ? query.by : (remembered === 'kind' ? 'kind' : 'urgency');
  const urgency = URGENCIES.includes(query.urgency) ? query.urgency : '';
  return { by, urgency };
}
