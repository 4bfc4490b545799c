/**
 * Meeskond (#/team), the team lead's screen (issue 28): the members with their roles and an
 * invitation (the one-time join code is shown once), the devices with "Eemalda seade" (two-step),
 * the substitutions (absent, substitute, from, to; cancel; past ones kept), and the reassignment
 * of cases (pick cases from the list, choose the new coordinator). Every call goes to the team
 * server through the desk, which audits it; the server refuses a non-lead.
 */
import * as api from '../api.js';
import { h, replace, dataTable } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { twoStepGroup } from '../two-step.js';
import { formatDate, todayDisplay } from '../format.js';
import { lastTeam, refreshTeamLine } from '../team-line.js';
import { drawDataWriters } from './team-data-writers.js';

const ROLES = ['coordinator', 'lead', 'manager'];

function errorBox(error) {
  return h('div', { class: 'banner error', role: 'alert' }, errorText(error));
}


/** When a substitution is in force, to come, over or cancelled. */
export function substitutionState(sub, today) {
  if (sub.cancelled) return 'team.subCancelled';
  if (sub.current) return 'team.subCurrent';
  return sub.to < today ? 'team.subPast' : 'team.subComing';
}

export async function render(root, ctx, notice = '') {
  await refreshTeamLine();
  const team = lastTeam();
  const header = h('header', { class: 'view-header' }, h('h1', { text: t('team.title') }));
  if (!team?.joined || team.role !== 'lead') {
    replace(root, header, h('p', { class: 'banner info', text: t('team.leadOnly') }));
    return;
  }
  const members = h('section', { id: 'team-members', class: 'card' });
  const devices = h('section', { id: 'team-devices', class: 'card' });
  const subs = h('section', { id: 'team-substitutions', class: 'card' });
  const reassign = h('section', { id: 'team-reassign', class: 'card' });
  const writers = h('section', { id: 'team-data-writers', class: 'card' });
  replace(root, header, members, subs, reassign, devices, writers);
  drawDataWriters(writers, team);
  let list = [];
  try {
    list = await api.teamMembers();
  } catch (error) {
    replace(members, h('h2', { text: t('team.members') }), errorBox(error));
    return;
  }
  drawMembers(members, list, notice, (next) => render(root, ctx, next));
  await Promise.all([drawDevices(devices, list), drawSubstitutions(subs, list), drawReassign(reassign, list)]);
}

function drawMembers(box, list, notice, again) {
  const login = h('input', { type: 'text', autocomplete: 'off', spellcheck: false });
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const role = h('select', {}, ROLES.map((r) => h('option', { value: r }, t(`team.role.${r}`))));
  const form = h('form', { id: 'team-invite-form', class: 'form inline-form', novalidate: true },
    h('h3', { text: t('team.invite') }),
    h('div', { id: 'team-invite-error', class: 'banner error', role: 'alert', hidden: true }),
    field({ id: 'team-invite-login', label: t('team.login'), control: login, required: true }),
    field({ id: 'team-invite-name', label: t('team.name'), control: name, required: true }),
    field({ id: 'team-invite-role', label: t('team.role'), control: role }),
    h('button', { id: 'team-invite-submit', type: 'submit', class: 'button primary' }, t('team.inviteButton')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const invite = await api.teamInvite(login.value, name.value, role.value);
      // The whole page again: the new member is in the substitution and reassignment choices.
      await again(t('team.invited', { login: login.value.trim(), code: invite.code }));
    } catch (error) {
      showSubmitErrors(form, error, form.querySelector('#team-invite-error'), 'team-invite-');
    }
  });
  replace(box,
    h('h2', { text: t('team.members') }),
    notice ? h('p', { id: 'team-invite-code', class: 'banner success', role: 'status', text: notice }) : null,
    dataTable('team-members-table', [t('team.login'), t('team.name'), t('team.role')],
      list.map((m) => h('tr', {},
        h('td', { text: m.login }), h('td', { text: m.name }), h('td', { text: t(`team.role.${m.role}`) })))),
    form);
}

async function drawDevices(box, members) {
  const heading = h('h2', { text: t('team.devices') });
  let list;
  try {
    list = await api.teamDevices();
  } catch (error) {
    replace(box, heading, errorBox(error));
    return;
  }
  const who = new Map(members.map((m) => [m.id, m.login]));
  const group = twoStepGroup();
  const rows = list.map((d) => {
    let action = null;
    if (!d.revokedAt) {
      action = h('button', { id: `team-revoke-${d.id}`, type: 'button', class: 'button danger small' }, t('team.revoke'));
      group.add(action, () => t('team.revokeConfirm'), async () => {
        try {
          await api.teamRevoke(d.id);
          await drawDevices(box, members);
        } catch (error) {
          box.append(errorBox(error));
        }
      });
    }
    return h('tr', { id: `team-device-${d.id}` },
      h('td', { text: d.name }),
      h('td', { text: who.get(d.memberId) ?? '' }),
      h('td', { text: (d.createdAt ?? '').slice(0, 16) }),
      h('td', { text: (d.lastSeenAt ?? '').slice(0, 16) }),
      h('td', {}, d.revokedAt ? t('team.deviceRevoked', { at: d.revokedAt.slice(0, 16) }) : action));
  });
  replace(box, heading,
    dataTable('team-devices-table', [t('team.device'), t('team.deviceMember'), t('team.deviceCreated'), t('team.deviceSeen'), ''], rows));
}

function loginOptions(members) {
  return [h('option', { value: '' }, t('common.choose')),
    ...members.filter((m) => m.role !== 'manager').map((m) => h('option', { value: m.login }, `${m.name} (${m.login})`))];
}

/** A member by name where the team lists them (a login otherwise): the tables read as people. */
export function memberName(members, login) {
  const m = members.find((x) => x.login === login);
  return m && m.name ? m.name : login;
}

async function drawSubstitutions(box, members) {
  const heading = h('h2', { text: t('team.substitutions') });
  let list;
  try {
    list = await api.teamSubstitutions();
  } catch (error) {
    replace(box, heading, errorBox(error));
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  const group = twoStepGroup();
  const rows = list.map((s) => {
    let cancel = null;
    if (!s.cancelled && s.to >= today) {
      cancel = h('button', { id: `team-sub-cancel-${s.id}`, type: 'button', class: 'button small' }, t('team.cancelSubstitution'));
      group.add(cancel, () => t('team.cancelConfirm'), async () => {
        try {
          await api.teamSubstitutionCancel(s.id);
          await drawSubstitutions(box, members);
        } catch (error) {
          box.append(errorBox(error));
        }
      });
    }
    return h('tr', { id: `team-sub-${s.id}`, class: s.cancelled || s.to < today ? 'muted' : '' },
      h('td', { text: memberName(members, s.absent) }), h('td', { text: memberName(members, s.substitute) }),
      h('td', { text: formatDate(s.from) }), h('td', { text: formatDate(s.to) }),
      h('td', { text: t(substitutionState(s, today)) }),
      h('td', {}, cancel));
  });
  const absent = h('select', {}, loginOptions(members));
  const substitute = h('select', {}, loginOptions(members));
  // Dates as the house writes them (pp.kk.aaaa); the desk reads them.
  const dateInput = (value) => h('input', { type: 'text', value, inputMode: 'numeric', autocomplete: 'off', placeholder: 'pp.kk.aaaa' });
  const from = dateInput(todayDisplay());
  const to = dateInput('');
  const form = h('form', { id: 'team-sub-form', class: 'form inline-form', novalidate: true },
    h('div', { id: 'team-sub-error', class: 'banner error', role: 'alert', hidden: true }),
    field({ id: 'team-sub-absent', label: t('team.absent'), control: absent, required: true }),
    field({ id: 'team-sub-substitute', label: t('team.substitute'), control: substitute, required: true }),
    field({ id: 'team-sub-from', label: t('team.from'), control: from, required: true }),
    field({ id: 'team-sub-to', label: t('team.to'), control: to, required: true }),
    h('button', { id: 'team-sub-submit', type: 'submit', class: 'button primary' }, t('team.addSubstitution')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api.teamSubstitute(absent.value, substitute.value, from.value, to.value);
      await drawSubstitutions(box, members);
    } catch (error) {
      showSubmitErrors(form, error, form.querySelector('#team-sub-error'), 'team-sub-');
    }
  });
  replace(box, heading,
    rows.length
      ? dataTable('team-sub-table', [t('team.absent'), t('team.substitute'), t('team.from'), t('team.to'), t('team.subState'), ''], rows)
      : h('p', { text: t('team.noSubstitutions') }),
    form);
}

async function drawReassign(box, members, notice = '') {
  const heading = h('h2', { text: t('team.reassign') });
  let cases;
  try {
    cases = await api.teamCases();
  } catch (error) {
    replace(box, heading, errorBox(error));
    return;
  }
  const to = h('select', {}, loginOptions(members));
  const rows = cases.map((c, i) => h('tr', {},
    h('td', {}, h('input', { type: 'checkbox', id: `team-reassign-case-${i}`, value: c.caseNo, 'aria-label': c.caseNo })),
    h('td', { text: c.caseNo }), h('td', { text: c.childName }), h('td', { text: c.coordinator })));
  const form = h('form', { id: 'team-reassign-form', class: 'form', novalidate: true },
    notice ? h('p', { id: 'team-reassign-done', class: 'banner success', role: 'status', text: notice }) : null,
    h('div', { id: 'team-reassign-error', class: 'banner error', role: 'alert', hidden: true }),
    dataTable('team-reassign-table', ['', t('team.case'), t('team.child'), t('team.coordinator')], rows),
    field({ id: 'team-reassign-to', label: t('team.reassignTo'), control: to, required: true }),
    h('button', { id: 'team-reassign-submit', type: 'submit', class: 'button primary' }, t('team.reassignButton')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const picked = [...form.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
    try {
      const n = await api.teamReassign(picked, to.value);
      await drawReassign(box, members, t('team.reassigned', { n }));
    } catch (error) {
      showSubmitErrors(form, error, form.querySelector('#team-reassign-error'), 'team-reassign-');
    }
  });
  replace(box, heading, form);
}
