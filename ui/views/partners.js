/**
 * Partnerid: the coordinator's network (municipalities' child-protection workers, schools,
 * health care, the unemployment insurance fund, others) with tags, filterable by tag and kind;
 * a form to add or change one; each partner's contact log with follow-ups.
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t } from '../i18n/index.js';
import { field, clearErrors, showSubmitErrors } from '../form-ui.js';
import { loadContactLog } from './contact-log.js';

const KINDS = ['kov', 'school', 'health', 'unemployment_fund', 'other'];

export async function render(root, ctx) {
  const [list, places] = await Promise.all([api.partnerList(), api.placesList()]);
  const state = { tag: '', kind: '' };
  const kind = h('select', { id: 'partner-kind-filter' }, options(KINDS, (k) => t(`partner.kind.${k}`), { placeholder: t('partner.allKinds') }));
  const allTags = [...new Set(list.flatMap((p) => p.tags))].sort();
  const tag = h('select', { id: 'partner-tag-filter' }, options(allTags, (x) => x, { placeholder: t('partner.allTags') }));
  const results = h('div', {});
  const editBox = h('section', { id: 'partner-edit', class: 'card' });
  const draw = () => {
    const shown = list.filter((p) => (!state.kind || p.kind === state.kind) && (!state.tag || p.tags.includes(state.tag)));
    replace(results, shown.length === 0
      ? h('p', { class: 'muted', id: 'partners-none', text: t('partner.none') })
      : h('div', { class: 'table-wrap' }, h('table', { id: 'partner-table', class: 'data-table' },
        h('thead', {}, h('tr', {}, ['name', 'kind', 'contact', 'tags'].map((k) => h('th', { scope: 'col', text: t(`partner.col.${k}`) })))),
        h('tbody', {}, shown.map((p) => {
          const open = h('button', { type: 'button', class: 'link strong', 'data-partner-id': String(p.id) }, p.name);
          open.addEventListener('click', () => edit(p));
          return h('tr', {},
            h('td', {}, open, p.municipalityName ? h('div', { class: 'small muted', text: p.municipalityName }) : null),
            h('td', { text: t(`partner.kind.${p.kind}`) }),
            h('td', { class: 'small' }, p.contactName, h('div', { class: 'muted', text: [p.phone, p.email].filter(Boolean).join(' · ') })),
            h('td', {}, p.tags.map((x) => h('span', { class: 'code-chip', text: x }))));
        })))));
  };
  kind.addEventListener('change', () => { state.kind = kind.value; draw(); });
  tag.addEventListener('change', () => { state.tag = tag.value; draw(); });

  function edit(p) {
    const v = p ?? { name: '', kind: 'kov', municipalityCode: '', contactName: '', phone: '', email: '', tags: [], notes: '' };
    const c = {
      name: h('input', { type: 'text', value: v.name, autocomplete: 'off' }),
      kind: h('select', {}, options(KINDS, (k) => t(`partner.kind.${k}`), { selected: v.kind })),
      municipalityCode: h('select', {}, options(places.municipalities.map((m) => m.code),
        (code) => places.municipalities.find((m) => m.code === code).name, { selected: v.municipalityCode ?? '', placeholder: t('common.choose') })),
      contactName: h('input', { type: 'text', value: v.contactName, autocomplete: 'off' }),
      phone: h('input', { type: 'tel', value: v.phone, autocomplete: 'off' }),
      email: h('input', { type: 'email', value: v.email, autocomplete: 'off' }),
      tags: h('input', { type: 'text', value: v.tags.join(', '), autocomplete: 'off' }),
      notes: h('textarea', { rows: 2, value: v.notes }),
    };
    const general = h('div', { class: 'field-error', role: 'alert', hidden: true });
    const submit = h('button', { id: 'partner-submit', type: 'submit', class: 'primary' }, t('partner.save'));
    const f = (k, required = false, hint) => field({ id: `partner-${k}`, label: t(`partner.${k}`), control: c[k], required, hint });
    const form = h('form', { id: 'partner-form', novalidate: true },
      h('div', { class: 'grid-2' }, f('name', true), f('kind', true), f('municipalityCode'), f('contactName'), f('phone'), f('email'),
        f('tags', false, t('partner.tagsHint'))),
      f('notes'), general, h('div', { class: 'actions left' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors(form);
      submit.disabled = true;
      try {
        await api.partnerSave(p ? p.id : null, Object.fromEntries(Object.entries(c).map(([k, el]) => [k, el.value])));
        ctx.reload();
      } catch (error) {
        submit.disabled = false;
        showSubmitErrors(form, error, general, 'partner-');
      }
    });
    const logBox = h('div', { id: 'partner-log' });
    replace(editBox, h('h2', { text: p ? p.name : t('partner.new') }), form, p ? logBox : null);
    if (p) loadContactLog(logBox, { partnerId: p.id }, { heading: 'h3' });
    editBox.scrollIntoView({ block: 'start' });
  }

  const add = h('button', { id: 'partner-new', type: 'button', class: 'primary' }, t('partner.new'));
  add.addEventListener('click', () => edit(null));
  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('partner.title') }), add),
    h('div', { class: 'toolbar' },
      h('div', { class: 'field' }, h('label', { for: 'partner-kind-filter', text: t('partner.kindLabel') }), kind),
      h('div', { class: 'field' }, h('label', { for: 'partner-tag-filter', text: t('partner.tagLabel') }), tag)),
    results, editBox);
  draw();
  // Opened from a reminder on the dashboard (#/partners?partner=ID): that partner and its log.
  edit(list.find((p) => String(p.id) === String(ctx.route.query.partner ?? '')) ?? null);
}
