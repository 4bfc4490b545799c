/**
 * Tab never lands on a destructive button right after typing in a field: Tab from a text field
 * whose next stop is a destructive link-button (class "link danger", e.g. "Eemalda" beside an activity's
 * hours) goes past it to the next stop. Shift+Tab, and Tab from anywhere else, still reach it, so
 * it stays keyboard-reachable; what cannot be undone asks once besides (two-step.js).
 */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';
const TYPED = 'textarea, input:not([type]), input[type="text"], input[type="search"], input[type="email"], input[type="tel"], input[type="number"], input[type="url"], input[type="password"]';
const DESTRUCTIVE = '.link.danger, .link.danger-text';

/**
 * The index Tab should go to from `from` in `stops` (the page's tab stops in order), when the
 * stops `isDestructive` says so are to be passed; -1: leave Tab to the browser.
 */
export function nextStop(stops, from, isDestructive) {
  if (from < 0 || from + 1 >= stops.length || !isDestructive(stops[from + 1])) return -1;
  for (let i = from + 1; i < stops.length; i += 1) {
    if (!isDestructive(stops[i])) return i;
  }
  return -1;
}

function tabStops(doc) {
  return [...doc.querySelectorAll(FOCUSABLE)].filter((e) => e.tabIndex >= 0 && !e.disabled
    && !e.closest('[hidden], [inert]') && e.getClientRects().length > 0);
}

/** Installs the rule on a document (main.js). */
export function tabPastDanger(doc = globalThis.document) {
  doc.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    const field = event.target;
    if (!(field instanceof Element) || !field.matches(TYPED)) return;
    const stops = tabStops(doc);
    const to = nextStop(stops, stops.indexOf(field), (e) => e.matches(DESTRUCTIVE));
    if (to < 0) return;
    event.preventDefault();
    stops[to].focus();
  });
}
