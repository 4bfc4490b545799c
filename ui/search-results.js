/** Global search results grouped by what was found (cases first), keeping the backend's order. */
export const RESULT_KINDS = ['case', 'guardian', 'document', 'note'];

/** items -> [{kind, items}] in RESULT_KINDS order; unknown kinds come last, in the order met. */
export function groupSearchResults(items) {
  const groups = new Map(RESULT_KINDS.map((kind) => [kind, []]));
  for (const item of items ?? []) {
    if (!item) continue;
    const kind = item.kind ?? 'other';
    if (!groups.has(kind)) groups.set(kind, []);
    groups.get(kind).push(item);
  }
  return [...groups].filter(([, list]) => list.length > 0).map(([kind, list]) => ({ kind, items: list }));
}
