/**
 * Meeskond → who changes the team-wide data (providers, partners, prices, deadlines, templates,
 * feedback questions): the lead only, or every member. The lead's choice goes to the server; the
 * members' desks follow at their next sync and refuse a change themselves when it is the lead's.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { field } from '../form-ui.js';
import { refreshTeamLine } from '../team-line.js';

export function drawDataWriters(box, team, notice = '') {
  const select = h('select', { id: 'team-writers' },
    ['lead', 'all'].map((w) => h('option', { value: w, selected: team.teamDataWriters === w }, t(`team.writers.${w}`))));
  const error = h('div', { id: 'team-writers-error', class: 'banner error', role: 'alert', hidden: true });
  const form = h('form', { id: 'team-writers-form', class: 'form inline-form', novalidate: true },
    error,
    field({ id: 'team-writers', label: t('team.writers.label'), control: select }),
    h('button', { id: 'team-writers-submit', type: 'submit', class: 'button' }, t('team.writers.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await api.teamSetDataWriters(select.value);
      await refreshTeamLine();
      drawDataWriters(box, { ...team, teamDataWriters: select.value }, t('team.writers.saved'));
    } catch (e) {
      error.textContent = errorText(e);
      error.hidden = false;
    }
  });
  replace(box,
    h('h2', { text: t('team.writers.title') }),
    h('p', { class: 'hint', text: t('team.writers.intro') }),
    notice ? h('p', { id: 'team-writers-done', class: 'banner success', role: 'status', text: notice }) : null,
    form);
}
