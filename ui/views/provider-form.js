/**
 * One provider: the form with every field of the directory (licence, contract, locations,
 * contact persons, activities, ages, languages, waiting time and free places with the day they
 * were confirmed, accessibility, notes, active), its flags, the quality figures for the service
 * manager and the contact log. The same form adds a new provider (#/providers/new).
 */
import * as api from '../api.js';
import { h, replace, options } from '../dom.js';
import { t, localized, errorText } from '../i18n/index.js';
import { formatDate, parseDisplayDate, todayDisplay } from '../format.js';
import { buildHash } from '../router.js';
import { field, clearErrors, showSubmitErrors, showFieldError } from '../form-ui.js';
import { pathField } from './providers.js';
// --- Tasks and proposals ---
import { loadProviderProposals } from './proposals.js';
import { loadContactLog } from './contact-log.js';
import { openFileButton } from '../open-file.js';

const LANGS = ['et', 'ru', 'en'];

const isoToDisplay = (iso) => (iso ? formatDate(iso) : '');

export async function render(root, ctx) {
  const id = ctx.route.name === 'provider' ? ctx.route.params.id : null;
  const [detail, activities, places] = await Promise.all([
    id ? api.providerGet(id) : Promise.resolve(null), api.providerActivityOptions(), api.placesList(),
  ]);
  show(root, ctx, id, detail, activities, places, null);
}

function textInput(value = '', extra = {}) {
  return h('input', { type: 'text', value: value ?? '', autocomplete: 'off', ...extra });
}

function show(root, ctx, id, detail, activities, places, notice) {
  const input = detail ? detail.input : {
    name: '', registryCode: '', licenceNo: '', licenceValidTo: '', contractNo: '', contractValidTo: '',
    locations: [{ address: '', municipality: '' }], contacts: [{ name: '', role: '', phone: '', email: '' }],
    activities: [], ageMin: '0', ageMax: '18', languages: ['et'], waitingDays: '', freePlaces: '',
    capacityConfirmedOn: '', accessibility: '', notes: '', qualityNotes: '', active: true,
  };
  const c = {
    name: textInput(input.name),
    registryCode: textInput(input.registryCode, { class: 'mono', inputMode: 'numeric', maxLength: 8 }),
    licenceNo: textInput(input.licenceNo),
    licenceValidTo: textInput(isoToDisplay(input.licenceValidTo)),
    contractNo: textInput(input.contractNo),
    contractValidTo: textInput(isoToDisplay(input.contractValidTo)),
    ageMin: textInput(input.ageMin, { inputMode: 'numeric' }),
    ageMax: textInput(input.ageMax, { inputMode: 'numeric' }),
    waitingDays: textInput(input.waitingDays, { inputMode: 'numeric' }),
    freePlaces: textInput(input.freePlaces, { inputMode: 'numeric' }),
    capacityConfirmedOn: textInput(isoToDisplay(input.capacityConfirmedOn)),
    accessibility: h('textarea', { rows: 2, value: input.accessibility }),
    notes: h('textarea', { rows: 3, value: input.notes }),
    qualityNotes: h('textarea', { rows: 3, value: input.qualityNotes }),
    active: h('input', { type: 'checkbox', id: 'provider-active', checked: input.active }),
  };
  const confirmToday = h('button', { type: 'button', class: 'link', id: 'provider-confirm-today' }, t('provider.confirmToday'));
  confirmToday.addEventListener('click', () => { c.capacityConfirmedOn.value = todayDisplay(); });

  const municipalityOptions = (selected) => options(places.municipalities.map((m) => m.code),
    (code) => places.municipalities.find((m) => m.code === code).name, { selected, placeholder: t('common.choose') });
  const locationsBox = h('div', { class: 'repeat-rows', id: 'provider-locations' });
  const addLocation = (l = { address: '', municipality: '' }) => {
    const i = locationsBox.children.length;
    const address = textInput(l.address);
    const municipality = h('select', {}, municipalityOptions(l.municipality));
    const remove = h('button', { type: 'button', class: 'link danger' }, t('provider.remove'));
    const row = h('div', { class: 'grid-2 repeat-row', 'data-row': 'location' },
      field({ id: `provider-locations-${i}-address`, label: t('provider.address'), control: address }),
      field({ id: `provider-locations-${i}-municipality`, label: t('provider.municipality'), control: municipality, required: true, extra: remove }));
    remove.addEventListener('click', () => {
      // Rows are drawn again so that their ids follow their order (errors name rows by position).
      const rest = [...locationsBox.children].filter((r) => r !== row).map((r) => r.read());
      locationsBox.replaceChildren();
      rest.forEach(addLocation);
    });
    row.read = () => ({ address: address.value, municipality: municipality.value });
    locationsBox.append(row);
  };
  (input.locations.length ? input.locations : [{ address: '', municipality: '' }]).forEach(addLocation);
  const addLocationButton = h('button', { type: 'button', class: 'secondary', id: 'provider-add-location' }, t('provider.addLocation'));
  addLocationButton.addEventListener('click', () => addLocation());

  const contactsBox = h('div', { class: 'repeat-rows', id: 'provider-contacts' });
  const addContact = (p = { name: '', role: '', phone: '', email: '' }) => {
    const i = contactsBox.children.length;
    const f = { name: textInput(p.name), role: textInput(p.role), phone: textInput(p.phone, { type: 'tel' }), email: textInput(p.email, { type: 'email' }) };
    const remove = h('button', { type: 'button', class: 'link danger' }, t('provider.remove'));
    const row = h('div', { class: 'grid-4 repeat-row', 'data-row': 'contact' },
      ['name', 'role', 'phone', 'email'].map((k) => field({ id: `provider-contacts-${i}-${k}`, label: t(`provider.contact.${k}`), control: f[k], extra: k === 'email' ? remove : null })));
    remove.addEventListener('click', () => {
      const rest = [...contactsBox.children].filter((r) => r !== row).map((r) => r.read());
      contactsBox.replaceChildren();
      rest.forEach(addContact);
    });
    row.read = () => ({ name: f.name.value, role: f.role.value, phone: f.phone.value, email: f.email.value });
    contactsBox.append(row);
  };
  (input.contacts.length ? input.contacts : [{ name: '', role: '', phone: '', email: '' }]).forEach(addContact);
  const addContactButton = h('button', { type: 'button', class: 'secondary', id: 'provider-add-contact' }, t('provider.addContact'));
  addContactButton.addEventListener('click', () => addContact());

  const activityBoxes = activities.map((a) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: a.code, checked: input.activities.includes(a.code) }),
    h('span', { class: 'mono', text: a.code }), ' ', localized(a.name)));
  const activityGroup = h('div', { id: 'provider-activities', class: 'check-grid', role: 'group', tabindex: -1 }, activityBoxes);
  const languageBoxes = LANGS.map((l) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: l, checked: input.languages.includes(l) }), t(`language.${l}`)));
  const languageGroup = h('div', { id: 'provider-languages', class: 'radio-row', role: 'group', tabindex: -1 }, languageBoxes);
  const groupField = (id, label, control, required = true) => {
    const errorEl = h('div', { id: `${id}-error`, class: 'field-error', hidden: true });
    return h('div', { class: 'field' }, h('span', { class: 'label', text: label }, required ? h('span', { class: 'req', text: ' *' }) : null), control, errorEl);
  };

  const general = h('div', { id: 'provider-form-error', class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { id: 'provider-submit', type: 'submit', class: 'primary' }, t('provider.save'));
  const f = (key, label, extra = {}) => field({ id: `provider-${key}`, label, control: c[key], ...extra });
  const form = h('form', { id: 'provider-form', novalidate: true },
    h('fieldset', { class: 'form-section' }, h('legend', { text: t('provider.section.identity') }),
      h('div', { class: 'grid-2' },
        f('name', t('provider.name'), { required: true, className: 'span-2' }),
        f('registryCode', t('provider.registryCode'), { required: true, hint: t('provider.registryCodeHint') }),
        h('label', { class: 'check active-check' }, c.active, t('provider.active')),
        f('licenceNo', t('provider.licenceNo')),
        f('licenceValidTo', t('provider.licenceValidTo'), { hint: t('provider.dateHint') }),
        f('contractNo', t('provider.contractNo')),
        f('contractValidTo', t('provider.contractValidTo'), { hint: t('provider.dateHint') }))),
    h('fieldset', { class: 'form-section' }, h('legend', { text: t('provider.section.locations') }),
      locationsBox, h('div', { class: 'actions left' }, addLocationButton)),
    h('fieldset', { class: 'form-section' }, h('legend', { text: t('provider.section.contacts') }),
      contactsBox, h('div', { class: 'actions left' }, addContactButton)),
    h('fieldset', { class: 'form-section' }, h('legend', { text: t('provider.section.service') }),
      groupField('provider-activities', t('provider.activities'), activityGroup),
      h('div', { class: 'grid-2' },
        f('ageMin', t('provider.ageMin')),
        f('ageMax', t('provider.ageMax'))),
      groupField('provider-languages', t('provider.languages'), languageGroup),
      h('div', { class: 'grid-2' },
        f('waitingDays', t('provider.waitingDaysLabel')),
        f('freePlaces', t('provider.freePlacesLabel')),
        f('capacityConfirmedOn', t('provider.capacityConfirmedOn'), { hint: t('provider.capacityHint'), extra: confirmToday })),
      f('accessibility', t('provider.accessibility'))),
    h('fieldset', { class: 'form-section' }, h('legend', { text: t('provider.section.notes') }),
      f('notes', t('provider.notes')),
      f('qualityNotes', t('provider.qualityNotes'))),
    general,
    h('div', { class: 'actions form-actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form);
    submit.disabled = true;
    const payload = {
      name: c.name.value,
      registryCode: c.registryCode.value,
      licenceNo: c.licenceNo.value,
      licenceValidTo: parseDisplayDate(c.licenceValidTo.value),
      contractNo: c.contractNo.value,
      contractValidTo: parseDisplayDate(c.contractValidTo.value),
      locations: [...locationsBox.children].map((r) => r.read()),
      contacts: [...contactsBox.children].map((r) => r.read()),
      activities: activityBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      ageMin: c.ageMin.value,
      ageMax: c.ageMax.value,
      languages: languageBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      waitingDays: c.waitingDays.value,
      freePlaces: c.freePlaces.value,
      capacityConfirmedOn: parseDisplayDate(c.capacityConfirmedOn.value),
      accessibility: c.accessibility.value,
      notes: c.notes.value,
      qualityNotes: c.qualityNotes.value,
      active: c.active.checked,
    };
    try {
      const saved = await api.providerSave(id, payload);
      if (!id) {
        ctx.navigate('provider', { id: saved.provider.id });
        return;
      }
      show(root, ctx, id, saved, activities, places, t('provider.saved'));
      root.querySelector('#provider-notice')?.focus();
    } catch (error) {
      submit.disabled = false;
      showSubmitErrors(form, error, general, (path) => `provider-${path.split('.').join('-')}`);
    }
  });

  // --- Tasks and proposals ---
  const proposalsBox = h('section', { id: 'provider-proposals', class: 'card', 'aria-labelledby': 'provider-proposals-heading' });
  const logBox = h('section', { id: 'provider-log', class: 'card', 'aria-labelledby': 'provider-log-heading' },
    h('h2', { text: t('contact.title') }));
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: buildHash('providers') }, t('provider.backToList'))),
    h('header', { class: 'view-header' }, h('h1', { id: 'provider-title', text: detail ? detail.provider.name : t('provider.newTitle') })),
    notice ? h('div', { id: 'provider-notice', class: 'banner success', role: 'status', tabindex: -1, text: notice }) : null,
    detail && detail.provider.flags.length
      ? h('ul', { id: 'provider-flags', class: 'provider-flags card' }, detail.provider.flags.map((fl) => h('li', {
        class: `provider-flag severity-${fl.severity}`, 'data-flag': fl.code, text: localized(fl.text) })))
      : null,
    detail ? qualityCard(detail.quality) : null,
    detail ? reportCard(detail.provider) : null,
    h('section', { class: 'card' }, form),
    detail ? logBox : null,
    // --- Tasks and proposals ---
    detail ? proposalsBox : null);
  if (detail) loadContactLog(logBox, { providerId: detail.provider.id });
  if (detail) loadProviderProposals(proposalsBox, detail.provider.id);
}

function qualityCard(q) {
  const cell = (key, value) => h('div', { class: 'figure', 'data-figure': key },
    h('div', { class: 'figure-value', text: value }), h('div', { class: 'figure-label small muted', text: t(`provider.quality.${key}`) }));
  return h('section', { id: 'provider-quality', class: 'card', 'aria-labelledby': 'provider-quality-heading' },
    h('h2', { id: 'provider-quality-heading', text: t('provider.quality.title') }),
    h('div', { class: 'figures' },
      cell('referred', String(q.referred)),
      cell('registered', String(q.registered)),
      cell('started', String(q.started)),
      cell('ended', String(q.ended)),
      cell('averageWait', q.averageWaitDays == null ? t('common.none') : t('provider.days', { n: q.averageWaitDays }))),
    h('p', { class: 'small muted', text: t('provider.quality.later') }));
}

/** The one-page provider report for the service manager, saved as a PDF where the user says. */
function reportCard(provider) {
  const path = pathField({
    id: 'provider-report-path',
    label: t('provider.reportFile'),
    pick: () => api.chooseSavePath(`teenuseosutaja-${provider.registryCode}.pdf`),
  });
  const submit = h('button', { id: 'provider-report-submit', type: 'submit', class: 'secondary' }, t('provider.report'));
  const done = h('p', { id: 'provider-report-done', class: 'save-message', role: 'status' });
  const form = h('form', { id: 'provider-report-form', novalidate: true }, path.element, h('div', { class: 'actions left' }, submit), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    done.textContent = '';
    submit.disabled = true;
    try {
      const written = await api.providerReportPdf(provider.id, path.input.value);
      done.textContent = t('provider.exported', { path: written });
      // --- Install ---
      done.append(' ', openFileButton(written, done, 'provider-report-open'));
    } catch (error) {
      showFieldError(form, 'provider-report-path',
        error.fields?.length ? error.fields.map((f) => localized(f.message)).join(' ') : errorText(error));
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { id: 'provider-report', class: 'card', 'aria-labelledby': 'provider-report-heading' },
    h('h2', { id: 'provider-report-heading', text: t('provider.reportTitle') }), form);
}
