/**
 * Konfliktid on the dashboard (issue 28): each open conflict is a row at the top ("Konflikt: …"
 * with the case and the field); it opens both versions side by side (long texts wrap and scroll),
 * and "Jäta minu" / "Jäta teise" / an edited merge. The choice goes through the desk
 * (`team_resolve`), which tells the server and audits it.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { refreshTeamLine } from '../team-line.js';

/** A value as the coordinator reads it. */
export function shown(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A column's value as the coordinator reads it: a case's status in words (the same words as
 * its pill), anything else as it is.
 */
export function shownFor(table, column, value) {
  if (table === 'cases' && column === 'status' && typeof value === 'string' && value !== '') {
    const words = t(`status.${value}`);
    if (words !== `status.${value}`) return words;
  }
  return shown(value);
}

/** A column's name in words where the window has one (the case list's heads), else as stored. */
export function fieldLabel(table, column) {
  if (table === 'cases' && column === 'status') return t('cases.col.status');
  return column;
}

/** Whether a column holds one of a few choices (a case's status): it is kept, not merged. */
export function isChoice(table, column) {
  return table === 'cases' && column === 'status';
}

/** Who made the other version, by name where this desk knows the member (`people`: login → name). */
export function authorName(login, people) {
  if (!login) return '';
  return people?.get(login) || login;
}

/** The merged text back as a value of the column's kind (text stays text). */
export function mergedValue(text, like) {
  if (typeof like === 'string' || like === null || like === undefined) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The conflicts section, or null when there is none (a desk not in a team has none). */
export function conflictSection(list, ctx, people = new Map()) {
  if (!list.length) return null;
  const box = h('section', { id: 'conflicts', class: 'card conflicts', 'aria-labelledby': 'conflicts-heading' });
  const panel = h('div', { id: 'conflict-panel' });
  replace(box,
    h('h2', { id: 'conflicts-heading', text: t('team.conflicts') }),
    h('ul', { class: 'conflict-list' }, list.map((c) => {
      const fields = Object.keys(c.columns).map((name) => fieldLabel(c.table, name)).join(', ');
      const label = c.caseNo
        ? t('team.conflict.row', { case: c.caseNo, field: fields })
        : t('team.conflict.rowNoCase', { table: c.table, field: fields });
      return h('li', {}, h('button', {
        id: `conflict-${c.id}`,
        type: 'button',
        class: 'link-button conflict-row',
        onClick: () => openConflict(panel, c, ctx, people),
      }, label));
    })),
    panel);
  return box;
}

function openConflict(panel, c, ctx, people) {
  const names = Object.keys(c.columns);
  // A status is one of its choices: mine or theirs, no text to merge.
  const mergeable = names.some((name) => !isChoice(c.table, name));
  const merged = new Map();
  const columns = names.map((name) => {
    const col = c.columns[name];
    const area = h('textarea', { id: `conflict-merge-${name}`, rows: 6, value: shown(col.mine) });
    merged.set(name, area);
    return h('div', { class: 'conflict-field' },
      h('h4', { text: fieldLabel(c.table, name) }),
      h('div', { class: 'conflict-sides' },
        h('div', { class: 'conflict-side' },
          h('h5', { text: t('team.conflict.mine') }),
          h('div', { id: `conflict-mine-${name}`, class: 'conflict-text', text: shownFor(c.table, name, col.mine) })),
        h('div', { class: 'conflict-side' },
          h('h5', { text: t('team.conflict.theirs', { who: authorName(c.serverAuthor, people) }) }),
          h('div', { id: `conflict-theirs-${name}`, class: 'conflict-text', text: shownFor(c.table, name, col.server) }))),
      h('details', {}, h('summary', { text: t('team.conflict.base') }),
        h('div', { class: 'conflict-text', text: shownFor(c.table, name, col.base) })),
      isChoice(c.table, name) ? null : h('label', { for: `conflict-merge-${name}`, text: t('team.conflict.merged') }),
      isChoice(c.table, name) ? null : area);
  });
  const error = h('div', { id: 'conflict-error', class: 'banner error', role: 'alert', hidden: true });
  async function resolve(choice) {
    error.hidden = true;
    let values = null;
    if (choice === 'merged') {
      values = {};
      for (const name of names) values[name] = mergedValue(merged.get(name).value, c.columns[name].mine);
    }
    try {
      await api.teamResolve(c.id, choice, values);
      await refreshTeamLine();
      ctx.reload();
    } catch (e) {
      error.textContent = errorText(e);
      error.hidden = false;
    }
  }
  replace(panel,
    h('div', { class: 'conflict-view', role: 'region', 'aria-labelledby': 'conflict-view-heading' },
      h('h3', { id: 'conflict-view-heading', tabIndex: -1, text: c.caseNo ? t('team.conflict.row', { case: c.caseNo, field: names.map((name) => fieldLabel(c.table, name)).join(', ') }) : t('team.conflict.title') }),
      h('p', { text: t(mergeable ? 'team.conflict.intro' : 'team.conflict.introChoice') }),
      error,
      columns,
      h('div', { class: 'actions' },
        h('button', { id: 'conflict-keep-mine', type: 'button', class: 'button primary', onClick: () => resolve('mine') }, t('team.conflict.keepMine')),
        h('button', { id: 'conflict-keep-theirs', type: 'button', class: 'button', onClick: () => resolve('server') }, t('team.conflict.keepTheirs')),
        mergeable ? h('button', { id: 'conflict-merge', type: 'button', class: 'button', onClick: () => resolve('merged') }, t('team.conflict.merge')) : null,
        h('button', { id: 'conflict-close', type: 'button', class: 'button', onClick: () => replace(panel) }, t('team.conflict.close')))));
  panel.querySelector('#conflict-view-heading').focus();
}
