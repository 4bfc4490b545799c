/**
 * Buttons that ask first, for what cannot be undone (an invoice's outcome, a deletion, removing
 * a parent's confirmation): the first click changes the button's text to say what will happen,
 * the second does it. Any other click on the page or Escape disarms; arming one button of the
 * group disarms the others. Once none of the group's buttons is on the page, its listeners go at
 * the next event.
 */
export function twoStepGroup(doc = globalThis.document) {
  const buttons = new Set();
  const armed = new Map(); // button -> its own text

  /** Every armed button back to its own text. */
  function disarm() {
    for (const [button, text] of armed) {
      button.textContent = text;
      delete button.dataset.armed;
    }
    armed.clear();
  }

  function elsewhere(event) {
    if (![...buttons].some((b) => b.isConnected)) {
      doc.removeEventListener('click', elsewhere, true);
      doc.removeEventListener('keydown', elsewhere, true);
      return;
    }
    const outside = event.type === 'keydown'
      ? event.key === 'Escape'
      : ![...armed.keys()].some((b) => b.contains(event.target));
    if (outside) disarm();
  }
  doc.addEventListener('click', elsewhere, true);
  doc.addEventListener('keydown', elsewhere, true);

  /** `button` asks with `confirmText` first (a function: asked at that moment, e.g. with the
   * date just typed); its second click disarms and runs `action`. */
  function add(button, confirmText, action) {
    buttons.add(button);
    button.addEventListener('click', () => {
      if (!armed.has(button)) {
        disarm();
        armed.set(button, button.textContent);
        button.textContent = typeof confirmText === 'function' ? confirmText() : confirmText;
        button.dataset.armed = 'true';
        return;
      }
      disarm();
      action();
    });
    return button;
  }

  return { add, disarm };
}
