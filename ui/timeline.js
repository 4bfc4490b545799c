/**
 * Ordering of a case's timeline for display: newest day first. Entries are either calendar
 * days ("2026-04-13") or timestamps; within one day two timestamps are ordered newest first,
 * anything else keeps the backend's order (the sort is stable).
 */
export function newestFirst(entries) {
  const list = [...(entries ?? [])];
  const day = (e) => String(e?.at ?? '').slice(0, 10);
  const hasTime = (e) => String(e?.at ?? '').length > 10;
  return list
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      const da = day(a.entry);
      const db = day(b.entry);
      if (da !== db) return da < db ? 1 : -1;
      if (hasTime(a.entry) && hasTime(b.entry)) {
        const ta = Date.parse(a.entry.at);
        const tb = Date.parse(b.entry.at);
        if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return tb - ta;
      }
      return a.index - b.index;
    })
    .map(({ entry }) => entry);
}
