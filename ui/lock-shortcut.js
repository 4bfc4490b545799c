/**
 * The keyboard shortcut that locks the desk: Ctrl+L everywhere, and also Cmd+L on macOS
 * (where Cmd is the usual modifier). Pure functions; the platform is passed in.
 */

import { platformOf } from './platform.js';

/** True on macOS, judged from a navigator-like object. */
export function isMacPlatform(nav = globalThis.navigator) {
  return platformOf(nav) === 'mac';
}

/** Whether a keydown event is the lock shortcut. */
export function isLockShortcut(event, mac = isMacPlatform()) {
  if (!event || event.altKey || event.shiftKey || event.repeat) return false;
  // The letter as typed decides; the key's position only when the layout has no Latin letters.
  const key = typeof event.key === 'string' ? event.key.toLowerCase() : '';
  const isL = /^[a-z]$/.test(key) ? key === 'l' : event.code === 'KeyL';
  if (!isL) return false;
  if (event.ctrlKey && !event.metaKey) return true;
  return mac && event.metaKey && !event.ctrlKey;
}

/** How the shortcut is written for the user. */
export function lockShortcutLabel(mac = isMacPlatform()) {
  return mac ? '⌘L' : 'Ctrl+L';
}
