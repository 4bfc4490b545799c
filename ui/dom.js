/**
 * Tiny element builders. Text is always inserted as text nodes, never parsed as HTML.
 *
 *   h('button', {id: 'x', class: 'primary', onClick: fn}, t('form.submit'))
 *
 * Props: `class`, `text`, `dataset`, `on<Event>` handlers, `aria-*`/`data-*`/`role`/`for`
 * as attributes, anything else as a DOM property when the element has it.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (/^on[A-Z]/.test(key) && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key.startsWith('aria-') || key.startsWith('data-') || key === 'role' || key === 'for') {
      el.setAttribute(key, value === true ? 'true' : String(value));
    } else if (key in el) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children: nodes, strings (as text), arrays; null/false are skipped. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of an element. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** <option>s for a code list, optionally preceded by an empty "choose" option. */
export function options(codes, label, { selected = '', placeholder } = {}) {
  const list = codes.map((code) => h('option', { value: code, selected: code === selected }, label(code)));
  if (placeholder !== undefined) list.unshift(h('option', { value: '', selected: selected === '' }, placeholder));
  return list;
}

/** A data table (its column heads as text) in a box that scrolls sideways on a narrow window. */
export function dataTable(id, heads, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { id, class: 'data-table' },
    h('thead', {}, h('tr', {}, heads.map((text) => h('th', { scope: 'col', text })))),
    h('tbody', {}, rows)));
}
