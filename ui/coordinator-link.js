/**
 * The way to Settings' "Coordinator" section, shown where the backend refuses a letter, minutes
 * or a signature because the coordinator's name and contacts are not set
 * (`coordinator.profile_missing`): the decision check, signing an assessment, making minutes.
 */
import { h } from './dom.js';
import { t } from './i18n/index.js';
import { buildHash } from './router.js';

export const PROFILE_MISSING = 'coordinator.profile_missing';

/** A link to the coordinator's section of Settings. */
export function profileLink(id) {
  return h('a', { id, class: 'profile-link', href: buildHash('settings', { part: 'koordinaator' }), text: t('coordinator.profileLink') });
}

/** When `error` is the missing profile, the link to show beside its message; else null. */
export function profileLinkFor(error, id) {
  return error && error.code === PROFILE_MISSING ? profileLink(id) : null;
}
