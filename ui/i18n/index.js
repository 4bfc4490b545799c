/**
 * The one place UI text comes from. `t(key, params)` looks a key up in the current
 * language, falls back to Estonian, then to the key itself (so a missing string is
 * visible, not blank). Backend errors already carry {et, en}: `localized()` picks one.
 */
import et from './et.js';
import en from './en.js';

export const tables = { et, en };
export const LANGUAGES = ['et', 'en'];
export const DEFAULT_LANGUAGE = 'et';

let current = DEFAULT_LANGUAGE;

/** Switches the UI language; unknown languages are ignored. Returns the language in force. */
export function setLanguage(lang) {
  if (LANGUAGES.includes(lang)) current = lang;
  return current;
}

export function getLanguage() {
  return current;
}

/** Replaces `{name}` placeholders with params.name; unknown placeholders stay as they are. */
export function interpolate(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

export function t(key, params) {
  const text = tables[current][key] ?? tables[DEFAULT_LANGUAGE][key] ?? key;
  return interpolate(text, params);
}

/** Picks the current language from a backend {et, en} message; falls back to the other one. */
export function localized(message) {
  if (message == null) return '';
  if (typeof message === 'string') return message;
  return message[current] || message[DEFAULT_LANGUAGE] || message.en || '';
}

/** The text to show for a backend error object (see api.js normaliseError). */
export function errorText(error) {
  const text = error ? localized(error.message) : '';
  if (text) return text;
  const detail = error && error.raw ? ` ${t('error.unexpectedDetail', { detail: error.raw })}` : '';
  return t('error.unexpected') + detail;
}
