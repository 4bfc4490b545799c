/**
 * Seaded: the interface language (saved by the backend), the dated deadline rules, and
 * read-only facts about the database.
 */
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { t, errorText, LANGUAGES, getLanguage } from '../i18n/index.js';
import { rulesSection } from './settings-rules.js';

export async function render(root, ctx, notice = null) {
  const [status, rules] = await Promise.all([api.deskStatus(), rulesSection()]);
  const language = h('select', { id: 'settings-language' },
    LANGUAGES.map((lang) => h('option', { value: lang, selected: lang === getLanguage(), lang }, t(`lang.${lang}`))));
  const message = h('p', { class: 'save-message', role: 'status', text: notice ?? '' });
  const coordinator = h('input', { id: 'settings-coordinator', type: 'text', autocomplete: 'name', value: status.coordinatorName ?? '', 'aria-describedby': 'settings-coordinator-hint settings-coordinator-error' });
  const coordinatorError = h('p', { id: 'settings-coordinator-error', class: 'field-error', hidden: true });
  coordinator.addEventListener('change', async () => {
    coordinatorError.hidden = true;
    try {
      const next = await api.setCoordinatorName(coordinator.value);
      ctx.setStatus(next);
      coordinator.value = next.coordinatorName ?? '';
      message.className = 'save-message';
      message.textContent = t('settings.saved');
    } catch (error) {
      coordinatorError.hidden = false;
      coordinatorError.textContent = errorText(error);
    }
  });

  language.addEventListener('change', async () => {
    language.disabled = true;
    try {
      const next = await api.setLanguageSetting(language.value);
      ctx.setStatus(next);
      await render(root, ctx, t('settings.saved'));
      root.querySelector('#settings-language').focus();
      document.title = `${t('settings.title')} – ${t('app.title')}`;
    } catch (error) {
      language.disabled = false;
      message.className = 'save-message error-text';
      message.textContent = errorText(error);
    }
  });

  const keySource = status.keySource ? t(`settings.keySource.${status.keySource}`) : t('common.none');
  replace(root,
    h('header', { class: 'view-header' }, h('h1', { text: t('settings.title') })),
    h('section', { class: 'card narrow' },
      h('div', { class: 'field' },
        h('label', { for: 'settings-language', text: t('settings.language') }),
        language),
      h('div', { class: 'field' },
        h('label', { for: 'settings-coordinator', text: t('settings.coordinator') }),
        h('p', { id: 'settings-coordinator-hint', class: 'field-hint', text: t('settings.coordinatorHint') }),
        coordinator,
        coordinatorError),
      message),
    rules,
    h('section', { class: 'card narrow' },
      h('h2', { text: t('settings.about') }),
      h('dl', { class: 'facts' },
        h('dt', { text: t('settings.dbPath') }),
        h('dd', { id: 'settings-db-path', class: 'mono', text: status.dbPath || t('common.none') }),
        h('dt', { text: t('settings.keySource') }),
        h('dd', { id: 'settings-key-source', text: keySource }),
        h('dt', { text: t('settings.caseCount') }),
        h('dd', { text: status.caseCount == null ? t('common.none') : String(status.caseCount) }))));
}
