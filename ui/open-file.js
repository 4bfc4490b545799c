/**
 * "Ava": opens a file the app has just saved (a PDF or XLSX) in the computer's own viewer,
 * where it can be read and printed. The backend opens only files this run of the app wrote.
 */
import * as api from './api.js';
import { h } from './dom.js';
import { t, errorText } from './i18n/index.js';

/** A button that opens `path`; a failure is written into `message` (a status line). */
export function openFileButton(path, message, id) {
  const button = h('button', { id, type: 'button', class: 'secondary', title: t('open.fileTitle') }, t('open.file'));
  button.addEventListener('click', async () => {
    try {
      await api.savedFileOpen(path);
    } catch (error) {
      if (message) message.textContent = errorText(error);
    }
  });
  return button;
}
