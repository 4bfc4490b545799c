/**
 * "Teenuseosutaja" on a case: providers matching the case (the backend ranks them: those with
 * no shortfall first, then fewest shortfalls, nearest, shortest wait, each with the reasons it
 * fits or falls short; the badge, "sobib" or "osaliselt", is the reasons' verdict), and the
 * family's choice: provider, the day the referral decision was sent (the 60 days to register
 * count from it; shown, not asked, once the decision is marked delivered), chosen, registered,
 * start of service. A change of provider is refused with a warning that it needs a new
 * application, until the coordinator confirms.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate, parseDisplayDate } from '../format.js';
import { buildHash } from '../router.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { deadlineStateText, deadlineTone } from '../deadline-text.js';
import { loadContactLog } from './contact-log.js';

const display = (iso) => (iso ? formatDate(iso) : '');

export async function loadProviders(box, caseId, { onChanged } = {}) {
  let choice;
  let providers;
  try {
    [choice, providers] = await Promise.all([api.caseChoiceGet(caseId), api.providerNames()]);
  } catch (error) {
    replace(box, h('h2', { text: t('choice.title') }), h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  const matchBox = h('div', { id: 'provider-match', 'aria-live': 'polite' });
  const logBox = h('div', { id: 'case-contact-log', class: 'case-contact-log' });
  const form = choiceForm(caseId, choice, providers, async (notice) => {
    // The case's status and deadlines may have moved on: the whole case is shown again.
    if (onChanged) {
      await onChanged(notice);
      return;
    }
    await loadProviders(box, caseId);
    const n = box.querySelector('#choice-notice');
    if (n) {
      n.textContent = notice;
      n.hidden = false;
      n.focus();
    }
  });
  const matchButton = h('button', { id: 'provider-match-run', type: 'button', class: 'secondary' }, t('match.run'));
  matchButton.addEventListener('click', async () => {
    matchButton.disabled = true;
    try {
      const result = await api.caseMatchProviders(caseId);
      replace(matchBox, matchList(result, form));
    } catch (error) {
      replace(matchBox, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    } finally {
      matchButton.disabled = false;
    }
  });
  replace(box,
    h('h2', { id: 'case-providers-heading', text: t('choice.title') }),
    h('div', { id: 'choice-notice', class: 'banner success', role: 'status', tabindex: -1, hidden: true }),
    registrationLine(choice.registrationDeadline),
    h('div', { class: 'choice-layout' },
      h('div', {}, h('h3', { text: t('match.title') }), h('p', { class: 'small muted', text: t('match.intro') }),
        h('div', { class: 'actions left' }, matchButton), matchBox),
      h('div', {}, h('h3', { text: t('choice.formTitle') }), form,
        choice.earlier.length ? earlierList(choice.earlier) : null)),
    logBox);
  loadContactLog(logBox, { caseId }, { heading: 'h3' });
}

function registrationLine(d) {
  if (!d) return h('p', { id: 'choice-deadline', class: 'muted small', text: t('choice.noDeadline') });
  return h('p', { id: 'choice-deadline', class: `choice-deadline tone-${deadlineTone(d)}`, 'data-due': d.due, 'data-state': d.state },
    h('strong', { text: localized(d.title) }), ': ', formatDate(d.due), ' — ', deadlineStateText(d));
}

function matchList(result, form) {
  const needs = result.needs;
  const needLine = h('p', { id: 'match-needs', class: 'small' },
    t('match.needs', {
      activities: needs.activities.length ? needs.activities.join(', ') : t('match.noActivities'),
      age: needs.age,
      language: needs.language ? t(`language.${needs.language}`) : t('common.none'),
      place: needs.municipalityName ?? t('common.none'),
    }));
  if (!result.candidates.length) return h('div', {}, needLine, h('p', { id: 'match-none', class: 'muted', text: t('match.none') }));
  return h('div', {}, needLine, h('ol', { id: 'match-list', class: 'match-list' }, result.candidates.map((c) => {
    const pick = h('button', { type: 'button', class: 'secondary small-button', 'data-pick': String(c.providerId) }, t('match.pick'));
    pick.addEventListener('click', () => {
      const select = form.querySelector('#choice-providerId');
      select.value = String(c.providerId);
      select.focus();
    });
    return h('li', { class: `match ${c.fullMatch ? 'full' : 'partial'}`, 'data-provider-id': String(c.providerId), 'data-nearness': c.nearness },
      h('div', { class: 'match-head' },
        h('a', { class: 'strong', href: buildHash('provider', { id: c.providerId }), text: c.name }),
        // The badge is the reasons' verdict (the backend's): "sobib" only with no ✗ below.
        h('span', { class: `pill ${c.fullMatch ? 'match-full' : 'match-partial'}`, 'data-shortfalls': String(c.shortfalls ?? 0),
          title: c.fullMatch ? t('match.fullTitle') : t('match.partialTitle', { n: c.shortfalls ?? 0 }),
          text: t(c.fullMatch ? 'match.full' : 'match.partial') }),
        pick),
      h('ul', { class: 'reasons' }, c.reasons.map((r) => {
        const kind = r.warning ? 'warn' : r.ok ? 'ok' : 'short';
        return h('li', { class: kind, 'data-reason': r.code },
          h('span', { class: 'reason-mark', 'aria-hidden': 'true', text: { warn: '!', ok: '✓', short: '✗' }[kind] }), ' ',
          h('span', { class: 'visually-hidden', text: t(`match.${kind}`) }), localized(r.text));
      })));
  })));
}

function choiceForm(caseId, choice, providers, onSaved) {
  const cur = choice.current ?? {};
  const delivered = choice.decisionDeliveredOn ?? null;
  const provider = h('select', {},
    h('option', { value: '' }, t('common.choose')),
    providers.filter((p) => p.active || p.id === cur.providerId).map((p) => h('option', { value: String(p.id), selected: p.id === cur.providerId }, p.name)));
  const sent = h('input', { type: 'text', value: display(cur.decisionSentOn), autocomplete: 'off' });
  const chosen = h('input', { type: 'text', value: display(cur.chosenOn), autocomplete: 'off' });
  const registered = h('input', { type: 'text', value: display(cur.registeredOn), autocomplete: 'off' });
  const start = h('input', { type: 'text', value: display(cur.serviceStart), autocomplete: 'off' });
  const notes = h('textarea', { rows: 2, value: cur.notes ?? '' });
  const warning = h('div', { id: 'choice-change-warning', class: 'banner warning', role: 'alert', hidden: true });
  const confirm = h('button', { id: 'choice-confirm-change', type: 'button', class: 'primary', hidden: true }, t('choice.confirmChange'));
  const general = h('div', { id: 'choice-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'choice-submit', type: 'submit', class: 'primary' }, t('choice.save'));
  const form = h('form', { id: 'choice-form', novalidate: true },
    field({ id: 'choice-providerId', label: t('choice.provider'), control: provider }),
    // A referral decision marked delivered gives the day: it is shown, not asked again.
    delivered
      ? h('div', { class: 'field' },
        h('span', { class: 'label', text: t('choice.decisionDelivered') }),
        h('p', { id: 'choice-decisionDelivered', 'data-date': delivered, class: 'strong', text: display(delivered) }),
        h('p', { class: 'field-hint', text: t('choice.decisionDeliveredHint') }))
      : field({ id: 'choice-decisionSentOn', label: t('choice.decisionSentOn'), control: sent, required: true, hint: t('choice.decisionSentHint') }),
    h('div', { class: 'grid-2' },
      field({ id: 'choice-chosenOn', label: t('choice.chosenOn'), control: chosen }),
      field({ id: 'choice-registeredOn', label: t('choice.registeredOn'), control: registered }),
      field({ id: 'choice-serviceStart', label: t('choice.serviceStart'), control: start })),
    field({ id: 'choice-notes', label: t('choice.notes'), control: notes }),
    warning, general,
    h('div', { class: 'actions left' }, submit, confirm));
  const save = async (confirmChange) => {
    clearErrors(form);
    general.hidden = true;
    submit.disabled = true;
    confirm.disabled = true;
    try {
      await api.caseChoiceSave(caseId, {
        providerId: provider.value ? Number(provider.value) : null,
        decisionSentOn: delivered ? '' : parseDisplayDate(sent.value),
        chosenOn: parseDisplayDate(chosen.value),
        registeredOn: parseDisplayDate(registered.value),
        serviceStart: parseDisplayDate(start.value),
        notes: notes.value,
        confirmChange,
      });
      await onSaved(t(confirmChange ? 'choice.changed' : 'choice.saved'));
    } catch (error) {
      submit.disabled = false;
      confirm.disabled = false;
      if (error.code === 'provider.change_needs_application') {
        warning.textContent = errorText(error);
        warning.hidden = false;
        confirm.hidden = false;
        confirm.focus();
        return;
      }
      showSubmitErrors(form, error, general, 'choice-');
    }
  };
  provider.addEventListener('change', () => { warning.hidden = true; confirm.hidden = true; });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!submit.disabled) save(false);
  });
  confirm.addEventListener('click', () => save(true));
  return form;
}

function earlierList(earlier) {
  return h('div', { id: 'choice-earlier', class: 'small' },
    h('h4', { text: t('choice.earlier') }),
    h('ul', {}, earlier.map((c) => h('li', {},
      `${c.providerName ?? t('common.none')} — ${t('choice.sentShort')} ${display(c.decisionSentOn) || t('common.none')}`))));
}
