/**
 * Ettepanekud: the register of improvement proposals to the service manager (guidance
 * materials, work processes, a provider's services, the service system), filterable by status;
 * one proposal's form with the problem, the evidence (linked cases by number, linked providers,
 * figures and feedback typed or pasted), the proposal, to whom and when it went, its status and
 * what became of it; and the memo as an Estonian PDF saved where the coordinator chooses.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { buildHash } from '../router.js';
import { formatDate, parseDisplayDate } from '../format.js';
import { field, clearErrors, showSubmitErrors, showFieldError, showFieldErrors, focusControl } from '../form-ui.js';
import { proposalStateText } from '../work.js';
import { linkPicker } from './work-links.js';
import { pathField } from './settings-backup.js';

const TOPICS = ['guidance', 'process', 'provider', 'system'];
const STATUSES = ['draft', 'sent', 'accepted', 'rejected', 'implemented', 'withdrawn'];
const FILTERS = ['', 'open', ...STATUSES];

export async function renderList(root, ctx) {
  const status = FILTERS.includes(ctx.route.query.status ?? '') ? (ctx.route.query.status ?? '') : '';
  const list = await api.proposalList({ status, providerId: null });
  const select = h('select', { id: 'proposal-status-filter' },
    options(FILTERS.slice(1), (s) => (s === 'open' ? t('proposal.filterOpen') : t(`proposal.status.${s}`)), { selected: status, placeholder: t('proposal.filterAll') }));
  select.addEventListener('change', () => ctx.navigate('proposals', {}, { status: select.value }));
  replace(root,
    h('header', { class: 'view-header' },
      h('h1', { text: t('proposal.title') }),
      h('a', { id: 'proposal-new', class: 'button primary', href: buildHash('proposalNew') }, t('proposal.new'))),
    h('p', { class: 'muted', text: t('proposal.intro') }),
    h('div', { class: 'toolbar' }, h('div', { class: 'field' }, h('label', { for: 'proposal-status-filter', text: t('proposal.statusLabel') }), select)),
    list.length === 0
      ? h('p', { id: 'proposals-none', class: 'muted', text: t('proposal.none') })
      : proposalTable(list, 'proposal-table'));
}

/** The register as a table; also used on the provider page. */
export function proposalTable(list, id) {
  return h('div', { class: 'table-wrap' }, h('table', { id, class: 'data-table' },
    h('thead', {}, h('tr', {}, ['title', 'topic', 'status', 'links'].map((k) => h('th', { scope: 'col', text: t(`proposal.col.${k}`) })))),
    h('tbody', {}, list.map((p) => h('tr', { 'data-proposal-id': String(p.id), 'data-status': p.status },
      h('td', {}, h('a', { class: 'strong', href: buildHash('proposal', { id: p.id }) }, p.title)),
      h('td', { text: t(`proposal.topic.${p.topic}`) }),
      h('td', {}, h('span', { class: 'pill proposal-pill', 'data-proposal-status': p.status, text: t(`proposal.status.${p.status}`) }),
        h('div', { class: 'small muted', text: proposalStateText(p) })),
      h('td', { class: 'small' },
        p.cases.map((c) => h('span', { class: 'code-chip mono', text: c.caseNo })),
        p.providers.map((x) => h('span', { class: 'code-chip', text: x.name }))))))));
}

export async function renderForm(root, ctx) {
  const id = ctx.route.params.id ?? null;
  const [proposal, providers] = await Promise.all([id ? api.proposalGet(id) : Promise.resolve(null), api.providerNames()]);
  const preProvider = !proposal && ctx.route.query.provider ? providers.find((p) => String(p.id) === ctx.route.query.provider) : null;
  const v = proposal ?? {
    topic: preProvider ? 'provider' : 'guidance', title: '', problem: '', evidence: '', proposal: '', sentTo: '', sentOn: null,
    status: 'draft', outcome: '', outcomeOn: null, cases: [], providers: preProvider ? [preProvider] : [], warnings: [],
  };
  const date = (d) => h('input', { type: 'text', value: d ? formatDate(d) : '', inputMode: 'numeric', autocomplete: 'off', placeholder: 'pp.kk.aaaa' });
  const c = {
    topic: h('select', {}, options(TOPICS, (k) => t(`proposal.topic.${k}`), { selected: v.topic })),
    title: h('input', { type: 'text', value: v.title, autocomplete: 'off' }),
    problem: h('textarea', { rows: 4, value: v.problem }),
    evidence: h('textarea', { rows: 5, value: v.evidence }),
    proposal: h('textarea', { rows: 4, value: v.proposal }),
    sentTo: h('input', { type: 'text', value: v.sentTo, autocomplete: 'off' }),
    sentOn: date(v.sentOn),
    status: h('select', {}, options(STATUSES, (s) => t(`proposal.status.${s}`), { selected: v.status })),
    outcome: h('textarea', { rows: 3, value: v.outcome }),
    outcomeOn: date(v.outcomeOn),
  };
  const links = linkPicker({ id: 'proposal', cases: v.cases, providers: v.providers, providerOptions: providers, caseNames: false });
  const f = (k, required = false, hint) => field({ id: `proposal-${k}`, label: t(`proposal.field.${k}`), control: c[k], required, hint });
  const general = h('div', { id: 'proposal-form-error', class: 'field-error', role: 'alert', hidden: true });
  const saved = h('p', { id: 'proposal-saved', class: 'save-message', role: 'status' });
  const submit = h('button', { id: 'proposal-submit', type: 'submit', class: 'primary' }, t('proposal.save'));
  const warnings = h('div', { id: 'proposal-warnings' }, warningList(v.warnings));
  const form = h('form', { id: 'proposal-form', novalidate: true },
    h('div', { class: 'grid-2' }, f('topic', true), f('title', true)),
    f('problem'),
    h('fieldset', { class: 'evidence' },
      h('legend', { text: t('proposal.evidenceTitle') }),
      h('p', { id: 'proposal-privacy', class: 'banner warning small', role: 'note', text: t('proposal.privacy') }),
      links.element,
      f('evidence', false, t('proposal.evidenceHint'))),
    f('proposal'),
    h('fieldset', { class: 'sent' },
      h('legend', { text: t('proposal.sentTitle') }),
      h('div', { class: 'grid-2' }, f('sentTo', false, t('proposal.sentToHint')), f('sentOn'), f('status', true),
        f('outcomeOn')),
      f('outcome', false, t('proposal.outcomeHint'))),
    general, warnings,
    h('div', { class: 'actions left' }, submit), saved);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    saved.textContent = '';
    submit.disabled = true;
    try {
      const input = Object.fromEntries(Object.entries(c).map(([k, el]) => [k, el.value]));
      input.sentOn = parseDisplayDate(input.sentOn);
      input.outcomeOn = parseDisplayDate(input.outcomeOn);
      const out = await api.proposalSave(proposal ? proposal.id : null, { ...input, ...links.value() });
      if (!proposal) {
        ctx.navigate('proposal', { id: out.id }, { saved: '1' });
        return;
      }
      replace(warnings, warningList(out.warnings));
      // The heading and its status pill follow what was saved; a sent proposal is no draft to delete.
      heading.textContent = out.title;
      pill.textContent = t(`proposal.status.${out.status}`);
      pill.dataset.proposalStatus = out.status;
      if (remove && out.status !== 'draft') remove.remove();
      saved.textContent = t('proposal.saved');
      submit.disabled = false;
    } catch (error) {
      // What was typed stays in the form.
      submit.disabled = false;
      showSubmitErrors(form, error, general, 'proposal-');
    }
  });

  const heading = h('h1', { id: 'proposal-heading', text: proposal ? proposal.title : t('proposal.newTitle') });
  const pill = proposal ? h('span', { id: 'proposal-status-pill', class: 'pill proposal-pill', 'data-proposal-status': proposal.status, text: t(`proposal.status.${proposal.status}`) }) : null;
  let remove = null;
  if (proposal && proposal.status === 'draft') {
    remove = h('button', { id: 'proposal-delete', type: 'button', class: 'link danger' }, t('proposal.delete'));
    remove.addEventListener('click', async () => {
      if (!window.confirm(t('proposal.deleteConfirm'))) return;
      try {
        await api.proposalDelete(proposal.id);
        ctx.navigate('proposals');
      } catch (error) {
        general.textContent = errorText(error);
        general.hidden = false;
      }
    });
  }
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('proposals') }, t('proposal.backToList'))),
    h('header', { class: 'view-header' }, heading, pill),
    ctx.route.query.saved ? h('div', { class: 'banner success', role: 'status', text: t('proposal.saved') }) : null,
    h('section', { class: 'card' }, form, remove),
    proposal ? memoCard(proposal, form) : null);
  if (!proposal) c.title.focus();
}

function warningList(list) {
  if (!list || list.length === 0) return null;
  return h('ul', { class: 'banner warning proposal-warnings', role: 'status' }, list.map((w) => h('li', { text: localized(w) })));
}

/** The memo for the service manager, saved where the coordinator chooses and nowhere else. */
function memoCard(proposal, proposalForm) {
  const path = pathField({
    id: 'proposal-memo-path',
    label: t('proposal.memoFile'),
    hint: t('proposal.memoHint'),
    pick: () => api.chooseSavePath(`ettepanek-${proposal.id}.pdf`),
  });
  const submit = h('button', { id: 'proposal-memo-submit', type: 'submit', class: 'secondary' }, t('proposal.memoSave'));
  const done = h('p', { id: 'proposal-memo-done', class: 'save-message', role: 'status' });
  const form = h('form', { id: 'proposal-memo-form', novalidate: true }, path.element, h('div', { class: 'actions left' }, submit), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    done.textContent = '';
    submit.disabled = true;
    try {
      const written = await api.proposalMemoExport(proposal.id, path.input.value);
      done.textContent = t('proposal.memoWritten', { path: written.path });
    } catch (error) {
      // The memo needs the problem and the proposal saved: say so next to those fields.
      const { placed } = showFieldErrors(proposalForm, (error.fields ?? []).filter((x) => x.field !== 'path'), 'proposal-');
      const pathErrors = (error.fields ?? []).filter((x) => x.field === 'path');
      if (pathErrors.length || placed.length === 0) {
        showFieldError(form, 'proposal-memo-path', pathErrors.length ? pathErrors.map((x) => localized(x.message)).join(' ') : errorText(error));
      } else {
        showFieldError(form, 'proposal-memo-path', t('proposal.memoNeedsText'));
        focusControl(proposalForm, placed[0]);
      }
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { id: 'proposal-memo', class: 'card', 'aria-labelledby': 'proposal-memo-heading' },
    h('h2', { id: 'proposal-memo-heading', text: t('proposal.memoTitle') }),
    h('p', { class: 'small muted', text: t('proposal.memoIntro') }),
    form);
}

// --- The provider page's share ---

/** The proposals linked to a provider, with a link to start a new one about it. */
export async function loadProviderProposals(box, providerId) {
  const title = h('h2', { id: 'provider-proposals-heading', text: t('proposal.providerTitle') });
  const add = h('a', { id: 'provider-proposal-new', class: 'button secondary', href: buildHash('proposalNew', {}, { provider: String(providerId) }) }, t('proposal.newAboutProvider'));
  let list;
  try {
    list = await api.proposalList({ status: '', providerId });
  } catch (error) {
    replace(box, title, h('div', { class: 'banner error', role: 'alert' }, errorText(error)));
    return;
  }
  replace(box, title,
    list.length === 0 ? h('p', { class: 'muted', id: 'provider-proposals-none', text: t('proposal.providerNone') }) : proposalTable(list, 'provider-proposal-table'),
    h('div', { class: 'actions left' }, add));
}
