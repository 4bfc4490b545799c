/**
 * Seaded: the interface language (saved by the backend), the idle time after which the desk
 * locks, the dated deadline rules, and read-only facts about the database.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText, LANGUAGES, getLanguage } from '../i18n/index.js';
import { field, showFieldError, showFieldErrors, clearFieldError } from '../form-ui.js';
import { lockShortcutLabel } from '../lock-shortcut.js';
import { openDemoDesk } from '../demo-desk.js';
import { buildHash } from '../router.js';
import { SETTINGS_PARTS, settingsPartBySlug } from '../settings-parts.js';

const IDLE_ID = 'settings-idle-lock';

/**
 * The page: a table of contents (a link per section, each section's own address) beside the
 * sections, built side by side from SETTINGS_PARTS; one failing does not hide the others.
 */
export async function render(root, ctx, notice = null) {
  const [status, counts] = await Promise.all([api.deskStatus(), api.caseCounts().catch(() => null)]);
  const env = { status, ctx, counts, notice, rerender: (text) => render(root, ctx, text) };
  const built = await Promise.all(SETTINGS_PARTS.map((part) => part.load(env).catch((error) => h('section', { class: 'card narrow' },
    h('h2', { text: t(part.label) }), h('p', { class: 'error-text', role: 'alert', text: errorText(error) })))));
  const toc = h('nav', { id: 'settings-toc', class: 'settings-toc', 'aria-label': t('settings.toc') },
    h('ul', {}, SETTINGS_PARTS.map((part) => h('li', {},
      h('a', { href: buildHash('settings', { part: part.slug }), 'data-part': part.slug }, t(part.label))))));
  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('settings.title') })),
    h('div', { class: 'settings-layout' },
      toc,
      h('div', { class: 'settings-sections' }, SETTINGS_PARTS.map((part, i) => h('div', {
        id: `settings-part-${part.slug}`, class: 'settings-part', 'data-part': part.slug,
      }, built[i])))));
  const part = ctx.route?.params?.part
    ?? (ctx.route?.query?.section === 'coordinator' ? 'koordinaator' : null);
  if (part) goToSection(root, part);
  if (part === 'koordinaator') {
    // Arrived from a refused signature or the decision check: the name is what to fill in.
    root.querySelector('#settings-coordinator')?.focus();
  }
  // Another section (the contents, Back, a link) scrolls there; the page is not drawn again.
  ctx.stayOn?.((next) => {
    if (next.name !== 'settings' || !root.isConnected) return false;
    goToSection(root, next.params.part);
    return true;
  });
}

/** Scrolls to the section with this slug and marks its entry in the contents; none: the top. */
function goToSection(root, slug) {
  const part = settingsPartBySlug(slug);
  for (const link of root.querySelectorAll('#settings-toc a')) {
    if (part && link.dataset.part === part.slug) link.setAttribute('aria-current', 'location');
    else link.removeAttribute('aria-current');
  }
  const target = part ? root.querySelector(`#settings-part-${part.slug}`) : null;
  if (!target) {
    window.scrollTo(0, 0);
    return;
  }
  target.scrollIntoView({ block: 'start' });
  const heading = target.querySelector('h2');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

/** The interface language, saved by the backend; the page is drawn again in it. */
export function languageSection({ ctx, notice, rerender }) {
  const language = h('select', { id: 'settings-language' },
    LANGUAGES.map((lang) => h('option', { value: lang, selected: lang === getLanguage(), lang }, t(`lang.${lang}`))));
  const message = h('p', { class: 'save-message', role: 'status', text: notice ?? '' });
  language.addEventListener('change', async () => {
    language.disabled = true;
    try {
      const next = await api.setLanguageSetting(language.value);
      ctx.setStatus(next);
      await rerender(t('settings.saved'));
      document.querySelector('#settings-language')?.focus();
      document.title = `${t('settings.title')} – ${t('app.title')}`;
    } catch (error) {
      language.disabled = false;
      message.className = 'save-message error-text';
      message.textContent = errorText(error);
    }
  });
  return h('section', { class: 'card narrow', 'aria-label': t('settings.language') },
    h('div', { class: 'field' },
      h('label', { for: 'settings-language', text: t('settings.language') }),
      language),
    message);
}

/** Read-only facts about the database. */
export function aboutSection({ status, counts }) {
  const keySource = status.keySource ? t(`settings.keySource.${status.keySource}`) : t('common.none');
  return h('section', { class: 'card narrow' },
    h('h2', { text: t('settings.about') }),
    h('dl', { class: 'facts' },
      h('dt', { text: t('settings.dbPath') }),
      h('dd', { id: 'settings-db-path', class: 'mono', text: status.dbPath || t('common.none') }),
      h('dt', { text: t('settings.keySource') }),
      h('dd', { id: 'settings-key-source', text: keySource }),
      h('dt', { text: t('settings.caseCount') }),
      h('dd', { id: 'settings-case-count', text: counts == null ? t('common.none') : String(counts.total) })));
}

/**
 * The coordinator who signs assessments, letters and minutes, and how families reach them. The
 * name is required (the backend refuses an empty one; the computer's user name never signs);
 * phone and e-mail left empty are the Board's from the decision settings. Links from a refused
 * signature or the decision check land here (#/settings/koordinaator).
 */
export function coordinatorSection(status, ctx) {
  const input = (id, value, attrs = {}) => h('input', { type: 'text', value: value ?? '', ...attrs });
  const name = input('name', status.coordinatorName, { autocomplete: 'name' });
  const phone = input('phone', status.coordinatorPhone, { autocomplete: 'tel', inputMode: 'tel' });
  const email = input('email', status.coordinatorEmail, { autocomplete: 'email', inputMode: 'email' });
  const message = h('p', { id: 'settings-coordinator-saved', class: 'save-message', role: 'status' });
  const submit = h('button', { id: 'settings-coordinator-save', type: 'submit', class: 'primary' }, t('settings.coordinatorSave'));
  const form = h('form', { id: 'settings-coordinator-form', novalidate: true },
    field({ id: 'settings-coordinator', label: t('settings.coordinator'), control: name, hint: t('settings.coordinatorHint'), required: true }),
    field({ id: 'settings-coordinatorPhone', label: t('settings.coordinatorPhone'), control: phone, hint: t('settings.coordinatorContactHint') }),
    field({ id: 'settings-coordinatorEmail', label: t('settings.coordinatorEmail'), control: email }),
    h('div', { class: 'actions left' }, submit),
    message);
  const ids = { coordinatorName: 'settings-coordinator', coordinatorPhone: 'settings-coordinatorPhone', coordinatorEmail: 'settings-coordinatorEmail' };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    for (const id of Object.values(ids)) clearFieldError(form, id);
    message.textContent = '';
    submit.disabled = true;
    try {
      const next = await api.setCoordinator(name.value, phone.value, email.value);
      ctx.setStatus(next);
      name.value = next.coordinatorName ?? '';
      phone.value = next.coordinatorPhone ?? '';
      email.value = next.coordinatorEmail ?? '';
      message.className = 'save-message';
      message.textContent = t('settings.saved');
    } catch (error) {
      const { placed } = showFieldErrors(form, error.fields, (path) => ids[path] ?? `settings-${path}`);
      if (placed.length === 0) showFieldError(form, 'settings-coordinator', errorText(error));
      const first = form.querySelector('[aria-invalid="true"]');
      if (first) first.focus();
    } finally {
      submit.disabled = false;
    }
  });
  const section = h('section', { id: 'settings-coordinator-section', class: 'card narrow', 'aria-labelledby': 'settings-coordinator-heading' },
    h('h2', { id: 'settings-coordinator-heading', text: t('settings.coordinatorTitle') }),
    h('p', { class: 'field-hint', text: t('settings.coordinatorIntro') }),
    form);
  return section;
}

/** Minutes without activity before the desk locks; saved as soon as the field changes. */
export function idleLockSection(status, ctx) {
  const input = h('input', {
    type: 'number', inputMode: 'numeric', step: 1, autocomplete: 'off',
    value: status.idleLockMinutes == null ? '' : String(status.idleLockMinutes),
  });
  const message = h('p', { id: 'settings-idle-lock-saved', class: 'save-message', role: 'status' });
  const section = h('section', { id: 'settings-security', class: 'card narrow', 'aria-labelledby': 'settings-security-heading' },
    h('h2', { id: 'settings-security-heading', text: t('settings.security') }),
    field({
      id: IDLE_ID,
      label: t('settings.idleLock'),
      hint: t('settings.idleLockHint', { shortcut: lockShortcutLabel() }),
      control: input,
      className: 'field-short',
    }),
    message);
  let seq = 0; // only the answer to the latest change is shown
  input.addEventListener('change', async () => {
    const mine = ++seq;
    clearFieldError(section, IDLE_ID);
    message.textContent = '';
    const text = input.value.trim();
    // An emptied field saves nothing (the saved time stays) unless what was typed is no number.
    if (text === '' && !(input.validity && input.validity.badInput)) return;
    // Only the form is checked here; which numbers are allowed is the backend's rule.
    if (!/^-?\d+$/.test(text)) {
      showFieldError(section, IDLE_ID, t('settings.idleLockNumber'));
      return;
    }
    try {
      const next = await api.setIdleLockMinutes(Number(text));
      if (mine !== seq) return;
      ctx.setStatus(next);
      input.value = String(next.idleLockMinutes);
      message.textContent = t('settings.saved');
    } catch (error) {
      if (mine !== seq) return;
      const { placed, unplaced } = showFieldErrors(section, error.fields, (path) => (path === 'minutes' ? IDLE_ID : `settings-${path}`));
      if (placed.length === 0) {
        showFieldError(section, IDLE_ID, [errorText(error), ...unplaced.map((u) => u.text)].filter(Boolean).join(' '));
      }
    }
  });
  return section;
}

/** The demo desk: a separate file for trying the app on made-up data, and the way back. */
export function demoDeskSection(status) {
  const message = h('p', { id: 'settings-demo-message', class: 'save-message', role: 'status' });
  const onDemo = Boolean(status.canReturnToReal);
  const button = h('button', {
    id: onDemo ? 'settings-demo-back' : 'settings-demo-open',
    type: 'button',
    class: 'secondary',
  }, t(onDemo ? 'demo.back' : 'settings.demoOpen'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.className = 'save-message';
    message.textContent = onDemo ? '' : t('empty.demoLoading');
    try {
      if (onDemo) {
        await api.deskOpenReal();
        window.location.hash = '#/';
        window.location.reload();
      } else {
        await openDemoDesk();
      }
    } catch (error) {
      button.disabled = false;
      message.className = 'save-message error-text';
      message.textContent = errorText(error);
    }
  });
  return h('section', { id: 'settings-demo', class: 'card narrow', 'aria-labelledby': 'settings-demo-heading' },
    h('h2', { id: 'settings-demo-heading', text: t('settings.demoTitle') }),
    h('p', { class: 'field-hint', text: t(status.demoDesk ? 'settings.demoOnText' : 'settings.demoText') }),
    h('div', { class: 'actions' }, button),
    message);
}
