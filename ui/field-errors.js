/**
 * Maps the backend's validation `fields` ({field: "guardians.0.email", code, message})
 * to the ids of the form controls that show them. Pure: no DOM.
 */

/**
 * "child.personalCode" -> "child-personalCode", "guardians.0.email" -> "guardian-0-email",
 * "guardians" -> "guardians", "applicationDate" -> "applicationDate".
 * `prefix` is put in front (the status form maps "reason" -> "status-reason").
 */
export function fieldPathToId(path, prefix = '') {
  const parts = String(path).split('.');
  if (parts[0] === 'guardians' && parts.length > 1 && /^\d+$/.test(parts[1])) {
    parts[0] = 'guardian';
  }
  return prefix + parts.join('-');
}

/**
 * Groups field errors by control id, keeping the backend's order. `prefix` is a string put
 * in front of the id, or a function from path to id for forms with their own id scheme.
 * Returns [{id, path, messages: [{et, en}]}].
 */
export function groupFieldErrors(fields, prefix = '') {
  const toId = typeof prefix === 'function' ? prefix : (path) => fieldPathToId(path, prefix);
  const byId = new Map();
  for (const f of fields ?? []) {
    if (!f || !f.field) continue;
    const id = toId(f.field);
    if (!byId.has(id)) byId.set(id, { id, path: f.field, messages: [] });
    byId.get(id).messages.push(f.message);
  }
  return [...byId.values()];
}
