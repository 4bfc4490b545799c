/**
 * Seaded → Meeskond (issue 28): on a desk not in a team, the join form (the server's address, the
 * one-time join code from the team lead, the server's CA certificate file picked in the dialog);
 * on a joined desk, the server, login, role and device. The backend checks everything and says
 * what is wrong in the user's language.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { field, clearErrors, showSubmitErrors, showFieldError } from '../form-ui.js';
import { refreshTeamLine } from '../team-line.js';

export async function teamSection() {
  const box = h('section', { id: 'team-settings', class: 'card', 'aria-labelledby': 'team-settings-heading' });
  await draw(box, '');
  return box;
}

async function draw(box, notice) {
  const heading = h('h2', { id: 'team-settings-heading', text: t('team.settings.title') });
  let state;
  try {
    state = await api.teamState();
  } catch (error) {
    replace(box, heading, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  if (state.joined) {
    replace(box, heading,
      notice ? h('p', { id: 'team-settings-notice', class: 'banner success', role: 'status', text: notice }) : null,
      h('dl', { class: 'facts', id: 'team-settings-facts' },
        h('dt', { text: t('team.settings.server') }), h('dd', { text: state.server }),
        h('dt', { text: t('team.login') }), h('dd', { text: state.login }),
        h('dt', { text: t('team.role') }), h('dd', { text: t(`team.role.${state.role}`) }),
        h('dt', { text: t('team.settings.device') }), h('dd', { text: `#${state.deviceId}` })));
    return;
  }
  const server = h('input', { type: 'text', inputMode: 'url', autocomplete: 'off', spellcheck: false, placeholder: 'https://' });
  const code = h('input', { type: 'text', autocomplete: 'off', spellcheck: false });
  // The file is picked in the system's dialog; its path may also be pasted (IT's instructions).
  const caPath = h('input', { id: 'team-join-ca', type: 'text', autocomplete: 'off', spellcheck: false });
  const pick = h('button', {
    id: 'team-join-ca-pick',
    type: 'button',
    class: 'button',
    onClick: async () => {
      try {
        const path = await api.chooseFile(t('team.settings.ca'), ['pem', 'crt', 'cer']);
        if (path) caPath.value = path;
      } catch (error) {
        showFieldError(form, 'team-join-ca', errorText(error));
      }
    },
  }, t('team.settings.pickCa'));
  const form = h('form', { id: 'team-join-form', class: 'form', novalidate: true },
    h('p', { text: t('team.settings.notJoined') }),
    h('div', { id: 'team-join-form-error', class: 'banner error', role: 'alert', hidden: true }),
    field({ id: 'team-join-server', label: t('team.settings.server'), control: server, required: true }),
    field({ id: 'team-join-code', label: t('team.settings.code'), control: code, required: true }),
    field({ id: 'team-join-ca', label: t('team.settings.ca'), control: caPath, required: true, extra: pick }),
    h('button', { id: 'team-join-submit', type: 'submit', class: 'button primary' }, t('team.settings.join')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const path = caPath.value.trim();
    if (!path) {
      showFieldError(form, 'team-join-ca', t('team.settings.caRequired'));
      return;
    }
    const submit = form.querySelector('#team-join-submit');
    submit.disabled = true;
    try {
      const member = await api.teamJoin(server.value, code.value, path);
      await refreshTeamLine();
      await draw(box, t('team.settings.joined', { login: member.login }));
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, form.querySelector('#team-join-form-error'), 'team-join-');
    }
  });
  replace(box, heading, form);
}
