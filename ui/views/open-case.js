/**
 * "Ava kolleegi juhtum" (issue 28): a coordinator on a team desk opens a colleague's case for
 * the day when the colleague asks for help, with a stated reason that goes to the audit log
 * (docs/team-protocol.md, "Opening a colleague's case"). Offered beside the case list's search,
 * when a search there or on the dashboard finds nothing on this desk, and on nothing else: the
 * lead sees every case, the service manager none, a desk not in a team has no colleagues (the
 * desk says who may: `team_state.canOpenCases`).
 *
 * The dialog keeps what was typed whatever the answer: a reason too short or a number the team
 * does not have is said on its field, the server not answering above the buttons. On success
 * the case is opened (it has arrived with the sync the command ran).
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n/index.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { lastTeam } from '../team-line.js';

/** The desk's team state as last seen (the sync line polls it), else asked now. */
export async function teamNow() {
  return lastTeam() ?? api.teamState().catch(() => null);
}

/** Whether this desk offers "Ava kolleegi juhtum" (the desk decides: a team coordinator's). */
export function offersOpening(team) {
  return Boolean(team && team.joined && team.canOpenCases);
}

/** The words a typed search may be taken as a case number by: one word with a digit in it. */
export function caseNoOf(text) {
  const word = String(text ?? '').trim();
  return /^\S*\d\S*$/.test(word) ? word : '';
}

/** The button beside a search box: opens the dialog (with the box's number, when it is one). */
export function openCaseButton(ctx, team, typed = () => '') {
  return h('button', {
    id: 'open-case-button', type: 'button', class: 'secondary',
    onClick: () => openCaseDialog(ctx, team, { caseNo: caseNoOf(typed()) }),
  }, t('openCase.button'));
}

/** A search found nothing on this desk: the offer to open the team's case of that number. */
export function openCaseOffer(ctx, team, text, id = 'open-case-offer') {
  const caseNo = caseNoOf(text);
  if (!offersOpening(team) || !caseNo) return null;
  return h('p', { id, class: 'open-case-offer' },
    h('span', { text: t('openCase.offer', { caseNo }) }), ' ',
    h('button', {
      type: 'button', class: 'link', id: `${id}-button`,
      onClick: () => openCaseDialog(ctx, team, { caseNo }),
    }, t('openCase.offerButton')));
}

let open = null;

/** The dialog: the case number, the reason, what the opening means; "Ava juhtum" or "Loobu". */
export function openCaseDialog(ctx, team, { caseNo = '' } = {}) {
  if (open) {
    open.querySelector('#open-case-no')?.focus();
    return open;
  }
  const min = team?.openReasonMin ?? 10;
  const number = h('input', { type: 'text', value: caseNo, autocomplete: 'off', spellcheck: false, required: true });
  const reason = h('textarea', { rows: 3, required: true });
  const general = h('div', { id: 'open-case-error', class: 'banner error', role: 'alert', tabindex: -1, hidden: true });
  const busy = h('p', { id: 'open-case-busy', class: 'muted', role: 'status', hidden: true, text: t('openCase.busy') });
  const submit = h('button', { id: 'open-case-submit', type: 'submit', class: 'primary' }, t('openCase.submit'));
  const cancel = h('button', { id: 'open-case-cancel', type: 'button', class: 'secondary' }, t('common.cancel'));
  const form = h('form', { id: 'open-case-form', novalidate: true },
    h('h2', { id: 'open-case-title', text: t('openCase.title') }),
    h('p', { id: 'open-case-intro', class: 'field-hint', text: t('openCase.intro') }),
    field({ id: 'open-case-no', label: t('openCase.caseNo'), control: number, required: true, hint: t('openCase.caseNoHint') }),
    field({ id: 'open-case-reason', label: t('openCase.reason'), control: reason, required: true, hint: t('openCase.reasonHint', { n: min }) }),
    general,
    busy,
    h('div', { class: 'actions' }, submit, cancel));
  const dialog = h('dialog', { id: 'open-case-dialog', class: 'open-case-dialog', 'aria-labelledby': 'open-case-title' }, form);
  const close = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    open = null;
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', (event) => {
    if (submit.disabled) event.preventDefault(); // the server is being asked: wait for it
    else close();
  });
  const fieldId = (path) => (path === 'reason' ? 'open-case-reason' : 'open-case-no');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    general.hidden = true;
    replace(general);
    submit.disabled = true;
    cancel.disabled = true;
    busy.hidden = false;
    try {
      const opened = await api.teamOpenCase(number.value, reason.value);
      close();
      ctx.navigate('case', { id: opened.caseId });
    } catch (error) {
      if (error?.code === api.LOCKED) return; // the lock screen takes over
      showSubmitErrors(form, error, general, fieldId);
      if (!general.hidden) general.focus();
    } finally {
      submit.disabled = false;
      cancel.disabled = false;
      busy.hidden = true;
    }
  });
  document.body.append(dialog);
  open = dialog;
  dialog.showModal();
  (caseNo ? reason : number).focus();
  return dialog;
}
