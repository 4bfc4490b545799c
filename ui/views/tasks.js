/**
 * Minu tööd: the coordinator's own tasks that belong to no case (from the team lead, the service
 * manager or someone else), filtered open / overdue / done / all; a form to add or change one
 * with its links to cases and providers; done today (or undo) and delete.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, errorText } from '../i18n/index.js';
import { buildHash } from '../router.js';
import { formatDate, todayDisplay, parseDisplayDate } from '../format.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { daysLeftText } from '../deadline-text.js';
import { taskFromText, taskDueText } from '../work.js';
import { linkPicker } from './work-links.js';
import { keptFormKeys } from '../typed-drafts.js';

const FILTERS = ['open', 'overdue', 'done', 'all'];
const FROM_KINDS = ['team_lead', 'service_manager', 'other'];

export async function render(root, ctx) {
  const filter = FILTERS.includes(ctx.route.query.filter) ? ctx.route.query.filter : 'open';
  const [list, providers, assignees] = await Promise.all([api.taskList(filter), api.providerNames(), api.taskAssignees()]);
  // On the team lead's desk: the members a new task can be given to ([login, name] pairs).
  const memberName = new Map(assignees);
  const editBox = h('section', { id: 'task-edit', class: 'card', 'aria-labelledby': 'task-edit-heading' });
  const message = h('p', { id: 'task-message', class: 'save-message', role: 'status' });

  const filterBar = h('nav', { class: 'filter-tabs', 'aria-label': t('task.filterLabel') },
    FILTERS.map((f) => h('a', {
      id: `task-filter-${f}`, class: `filter-tab${f === filter ? ' active' : ''}`, href: buildHash('tasks', {}, { filter: f }),
      'aria-current': f === filter ? 'page' : null,
    }, t(`task.filter.${f}`))));

  const rows = list.length === 0
    ? h('p', { id: 'tasks-none', class: 'muted', text: t(`task.none.${filter}`) })
    : h('ul', { id: 'task-list', class: 'task-list' }, list.map((task) => taskRow(task, { edit, ctx, message })));

  function edit(task) {
    const v = task ?? { title: '', fromKind: 'team_lead', fromName: '', dueOn: null, notes: '', cases: [], providers: [] };
    const c = {
      title: h('input', { type: 'text', value: v.title, autocomplete: 'off' }),
      fromKind: h('select', {}, options(FROM_KINDS, (k) => t(`task.from.${k}`), { selected: v.fromKind })),
      fromName: h('input', { type: 'text', value: v.fromName, autocomplete: 'off' }),
      dueOn: h('input', { type: 'text', value: v.dueOn ? formatDate(v.dueOn) : '', inputMode: 'numeric', autocomplete: 'off', placeholder: 'pp.kk.aaaa' }),
      notes: h('textarea', { rows: 3, value: v.notes }),
      assignee: !task && assignees.length
        ? h('select', {}, options(assignees.map(([login]) => login), (login) => `${memberName.get(login)} (${login})`, { placeholder: t('task.assigneeSelf') }))
        : null,
    };
    const links = linkPicker({ id: 'task', cases: v.cases, providers: v.providers, providerOptions: providers });
    const general = h('div', { id: 'task-form-error', class: 'field-error', role: 'alert', hidden: true });
    const submit = h('button', { id: 'task-submit', type: 'submit', class: 'primary' }, t('task.save'));
    const cancel = task ? h('button', { id: 'task-cancel', type: 'button', class: 'secondary' }, t('task.cancel')) : null;
    if (cancel) cancel.addEventListener('click', () => edit(null));
    const f = (k, required = false, hint) => field({ id: `task-${k}`, label: t(`task.field.${k}`), control: c[k], required, hint });
    // Kept over a lock by its subject: a new task's typing is not put into another task's form.
    const form = h('form', { id: 'task-form', novalidate: true, dataset: { draftKey: task ? `task-${task.id}` : 'task-new' } },
      f('title', true),
      h('div', { class: 'grid-3' }, f('fromKind', true), f('fromName', false, t('task.fromNameHint')), f('dueOn', false, t('task.dueHint'))),
      c.assignee ? f('assignee', false, t('task.assigneeHint')) : null,
      f('notes'),
      links.element,
      general,
      h('div', { class: 'actions left' }, submit, cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors(form);
      submit.disabled = true;
      try {
        const input = {
          title: c.title.value,
          fromKind: c.fromKind.value,
          fromName: c.fromName.value,
          dueOn: parseDisplayDate(c.dueOn.value),
          notes: c.notes.value,
          assignee: c.assignee ? c.assignee.value : '',
          ...links.value(),
        };
        await api.taskSave(task ? task.id : null, input);
        await ctx.reload();
      } catch (error) {
        // What was typed stays in the form.
        submit.disabled = false;
        showSubmitErrors(form, error, general, 'task-');
      }
    });
    replace(editBox, h('h2', { id: 'task-edit-heading', text: task ? t('task.editTitle') : t('task.newTitle') }), form);
    if (task) {
      editBox.scrollIntoView({ block: 'start' });
      c.title.focus();
    }
  }

  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('task.title') })),
    h('p', { class: 'muted', text: t('task.intro') }),
    filterBar,
    message,
    h('section', { class: 'card', 'aria-label': t(`task.filter.${filter}`) }, rows),
    editBox);
  // A task being changed when the desk locked is opened again, so its typing can be put back.
  const kept = keptFormKeys(window.location.hash);
  edit(list.find((task) => kept.has(`task-${task.id}`)) ?? null);
}

function taskRow(task, { edit, ctx, message }) {
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const act = async (button, fn) => {
    if (button.disabled) return;
    button.disabled = true;
    error.hidden = true;
    try {
      await fn();
      await ctx.reload();
    } catch (e) {
      button.disabled = false;
      error.textContent = errorText(e);
      error.hidden = false;
    }
  };
  const done = task.doneOn
    ? h('button', { type: 'button', class: 'small-button task-reopen', 'data-task-id': String(task.id) }, t('task.reopen'))
    : h('button', { type: 'button', class: 'small-button task-done', 'data-task-id': String(task.id) }, t('task.done'));
  done.addEventListener('click', () => act(done, () => (task.doneOn ? api.taskReopen(task.id) : api.taskDone(task.id, parseDisplayDate(todayDisplay())))));
  const change = h('button', { type: 'button', class: 'small-button secondary task-edit', 'data-task-id': String(task.id) }, t('task.edit'));
  change.addEventListener('click', () => edit(task));
  const remove = h('button', { type: 'button', class: 'link danger task-delete', 'data-task-id': String(task.id) }, t('task.delete'));
  remove.addEventListener('click', () => {
    if (!window.confirm(t('task.deleteConfirm', { title: task.title }))) return;
    act(remove, async () => {
      await api.taskDelete(task.id);
      message.textContent = t('task.deleted');
    });
  });
  const when = task.doneOn
    ? t('task.doneOn', { date: formatDate(task.doneOn) })
    : [task.daysLeft != null ? daysLeftText(task.daysLeft) : null, taskDueText(task)].filter(Boolean).join(' · ');
  return h('li', { class: `task-item urgency-${task.urgency}`, 'data-task-id': String(task.id), 'data-urgency': task.urgency },
    h('div', { class: 'task-main' },
      h('span', { class: 'task-title strong', text: task.title }),
      h('span', { class: 'task-when', text: when }),
      h('span', { class: 'task-from small muted', text: taskFromText(task) }),
      task.assignee ? h('span', { class: 'task-assignee small', text: t('task.assignedTo', { name: task.assigneeName || task.assignee }) }) : null,
      task.notes ? h('p', { class: 'task-notes small notes', text: task.notes }) : null,
      linksLine(task)),
    h('div', { class: 'task-actions' }, done, change, remove),
    error);
}

function linksLine(task) {
  if (!task.cases.length && !task.providers.length) return null;
  return h('div', { class: 'task-links small' },
    task.cases.map((c) => h('a', { class: 'code-chip', href: buildHash('case', { id: c.id }), 'data-case-id': String(c.id) }, `${c.caseNo} · ${c.childName}`)),
    task.providers.map((p) => h('a', { class: 'code-chip', href: buildHash('provider', { id: p.id }), 'data-provider-id': String(p.id) }, p.name)));
}
