/**
 * Delivering an approved decision other than by e-mail, and signing it in DigiDoc4:
 * - the way it was handed over (post, in person, eesti.ee) for the dated "Üle antud" form, and
 *   the printable cover page (saved, then opened in the system's viewer to print);
 * - "Allkirjasta DigiDoc4-ga": the approved PDF saved and opened with the system's program
 *   (DigiDoc4 on a desk that has it); "Lisa allkirjastatud konteiner": the signed .asice picked
 *   back, which the backend verifies (the PDF inside must be the approved one) before filing.
 * The backend decides everything; this module only shows its answers.
 */
import * as api from '../api.js';
import { h } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { openFileButton } from '../open-file.js';

const WAYS = ['post', 'in_person', 'eesti_ee'];

/** The select of how the decision was handed over, the way the family chose first (its id is
 * set by the form's field()). */
export function handoverWaySelect(chosen) {
  return h('select', {}, WAYS.map((w) => h('option', { value: w, selected: w === chosen }, t(`signingDesk.way.${w}`))));
}

/** Record the hand-over: the backend dates it, files it and starts the challenge period. */
export function recordHandover(id, way, on) {
  return api.decisionHandover(id, way, on);
}

/** Save a file the backend writes (`save(path)`) where the user chooses; then an "Ava" button. */
async function saveThenOffer(defaultName, save, status, openId) {
  const path = await api.chooseSavePath(defaultName);
  if (!path) return false;
  await save(path);
  status.replaceChildren(t('signingDesk.savedAt', { path }), ' ', openFileButton(path, status, openId));
  return path;
}

/** The cover page button, with its own status line. */
export function coverPageButton(d) {
  const status = h('p', { id: 'decision-cover-status', class: 'save-message', role: 'status' });
  const button = h('button', { id: 'decision-cover-page', type: 'button', class: 'secondary' }, t('signingDesk.coverPage'));
  button.addEventListener('click', async () => {
    status.textContent = '';
    try {
      await saveThenOffer(`otsus-${d.number}-umbrik.pdf`, (path) => api.decisionCoverPageSave(d.id, path), status, 'decision-cover-open');
    } catch (error) {
      status.textContent = errorText(error);
    }
  });
  return h('div', { class: 'cover-page' }, h('div', { class: 'actions left' }, button), status);
}

/**
 * The DigiDoc4 hand-off. `onFiled(text)` re-reads the case with a notice when a container is
 * filed.
 */
export function digidocPart(d, onFiled) {
  const status = h('p', { id: 'decision-digidoc-status', class: 'save-message', role: 'status' });
  const problem = h('div', { id: 'decision-digidoc-error', class: 'field-error', role: 'alert', hidden: true });
  const save = h('button', { id: 'decision-digidoc-save', type: 'button', class: 'secondary' }, t('signingDesk.digidocSign'));
  const add = h('button', { id: 'decision-container-add', type: 'button', class: 'secondary' }, t('signingDesk.containerAdd'));
  save.addEventListener('click', async () => {
    problem.hidden = true;
    status.textContent = '';
    try {
      const path = await saveThenOffer(`otsus-${d.number}.pdf`, (p) => api.decisionDigidocSave(d.id, p), status, 'decision-digidoc-open');
      // Opened at once with the system's program for PDFs or containers (DigiDoc4 when set so).
      if (path) await api.savedFileOpen(path).catch((error) => { status.append(' ', errorText(error)); });
    } catch (error) {
      problem.textContent = errorText(error);
      problem.hidden = false;
    }
  });
  add.addEventListener('click', async () => {
    problem.hidden = true;
    status.textContent = '';
    try {
      const path = await api.chooseFile(t('signingDesk.containerFilter'), ['asice', 'bdoc', 'sce']);
      if (!path) return;
      const filed = await api.decisionContainerFile(d.id, path);
      await onFiled(t('signingDesk.containerFiled', { number: d.number, signer: filed.report.signer ?? '' }));
    } catch (error) {
      problem.textContent = errorText(error);
      problem.hidden = false;
    }
  });
  return h('div', { id: 'decision-digidoc', class: 'inline-form' },
    h('h4', { text: t('signingDesk.digidocTitle') }),
    h('p', { class: 'field-hint', text: t('signingDesk.digidocHint') }),
    h('div', { class: 'actions left' }, save, add),
    problem,
    status);
}

/**
 * "Kinnita allkiri": shown while the signature waits for confirmation; the backend extends the
 * stored signature to LT (time-stamp and OCSP) or says why it cannot yet. Returns the part and
 * `show(signatureState)`, which the signing part calls whenever it learns the state.
 */
export function confirmPart(d, onConfirmed) {
  const problem = h('div', { id: 'decision-confirm-error', class: 'field-error', role: 'alert', hidden: true });
  const button = h('button', { id: 'decision-signature-confirm', type: 'button', class: 'secondary' }, t('signingDesk.confirm'));
  const box = h('div', { id: 'decision-confirm', class: 'actions left', hidden: true }, button, problem);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    problem.hidden = true;
    try {
      const done = await api.decisionSignatureConfirm(d.id);
      await onConfirmed(t('signingDesk.confirmed', { number: d.number, level: done.state.level }));
    } catch (error) {
      button.disabled = false;
      problem.textContent = errorText(error);
      problem.hidden = false;
    }
  });
  return { box, show: (sig) => { box.hidden = sig?.state !== 'needs_confirmation'; } };
}
