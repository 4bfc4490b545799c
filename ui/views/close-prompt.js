/**
 * The question asked when the window is closed with text not saved: which fields, and whether
 * to stay (the default) or close anyway. Asked only when saving what can be saved left something.
 */
import * as api from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n/index.js';
import { closeAsked } from '../unsaved.js';

let open = null;

function ask(fields) {
  if (open) {
    open.querySelector('#close-stay')?.focus();
    return;
  }
  const stay = h('button', { id: 'close-stay', type: 'button', class: 'primary' }, t('close.stay'));
  const anyway = h('button', { id: 'close-anyway', type: 'button', class: 'secondary danger' }, t('close.anyway'));
  const dialog = h('dialog', { id: 'close-prompt', class: 'close-prompt', 'aria-labelledby': 'close-prompt-title' },
    h('h2', { id: 'close-prompt-title', text: t('close.title') }),
    h('p', { id: 'close-prompt-fields', text: fields.length ? t('close.fields', { fields: fields.join('; ') }) : t('close.pending') }),
    h('p', { class: 'field-hint', text: t('close.hint') }),
    h('div', { class: 'actions' }, stay, anyway));
  const done = () => {
    dialog.close();
    dialog.remove();
    open = null;
  };
  stay.addEventListener('click', done);
  dialog.addEventListener('cancel', () => { open = null; dialog.remove(); });
  anyway.addEventListener('click', () => {
    done();
    api.windowClose().catch(() => {});
  });
  document.body.append(dialog);
  open = dialog;
  dialog.showModal();
  stay.focus();
}

/** Listens for a close that waits for the window's answer. */
export function watchClose() {
  api.onCloseAsked(async () => {
    const answer = await closeAsked();
    if (answer === 'close') api.windowClose().catch(() => {});
    else ask(answer);
  });
}
