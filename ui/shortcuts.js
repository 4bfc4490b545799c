/**
 * The app's keyboard shortcuts besides the lock (lock-shortcut.js): Ctrl+K search, Ctrl+N new
 * application, Ctrl+S save the form being typed in, F1 help (Cmd instead of Ctrl on macOS, both
 * work there). Pure functions; the platform is passed in.
 */
import { isMacPlatform } from './lock-shortcut.js';

const LETTERS = { k: 'search', n: 'newApplication', s: 'save' };

/** Which shortcut a keydown event is: 'search', 'newApplication', 'save', 'help' or null. */
export function shortcutFor(event, mac = isMacPlatform()) {
  if (!event || event.altKey || event.shiftKey || event.isComposing) return null;
  if (event.key === 'F1' && !event.ctrlKey && !event.metaKey) return 'help';
  const ctrl = event.ctrlKey && !event.metaKey;
  const cmd = mac && event.metaKey && !event.ctrlKey;
  if (!ctrl && !cmd) return null;
  // The letter as typed decides; the key's position only when the layout has no Latin letters.
  const key = typeof event.key === 'string' ? event.key.toLowerCase() : '';
  const letter = /^[a-z]$/.test(key) ? key : (/^Key[A-Z]$/.test(event.code ?? '') ? event.code.slice(3).toLowerCase() : '');
  return LETTERS[letter] ?? null;
}

/** How a shortcut is written for the user on this platform. */
export function shortcutLabel(name, mac = isMacPlatform()) {
  if (name === 'help') return 'F1';
  const letter = Object.entries(LETTERS).find(([, n]) => n === name)?.[0];
  if (!letter) return '';
  return mac ? `⌘${letter.toUpperCase()}` : `Ctrl+${letter.toUpperCase()}`;
}

/** The value of aria-keyshortcuts for a shortcut. */
export function ariaShortcut(name, mac = isMacPlatform()) {
  if (name === 'help') return 'F1';
  const letter = Object.entries(LETTERS).find(([, n]) => n === name)?.[0];
  if (!letter) return null;
  return mac ? `Control+${letter.toUpperCase()} Meta+${letter.toUpperCase()}` : `Control+${letter.toUpperCase()}`;
}

/**
 * The form Ctrl+S submits: the one holding the focus, when it has an enabled submit button.
 * Views with their own Ctrl+S (the meeting notes) handle it themselves; `null` leaves it to them.
 */
export function formToSave(active) {
  const form = active && typeof active.closest === 'function' ? active.closest('form') : null;
  if (!form) return null;
  const submit = form.querySelector('button[type="submit"], input[type="submit"]');
  return submit && !submit.disabled ? form : null;
}
