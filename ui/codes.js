/**
 * The code lists of the backend contract, in the order the UI presents them.
 * Labels live in i18n under `<list>.<code>`; these are only the codes.
 */
export const STATUSES = ['received', 'incomplete', 'in_assessment', 'decided',
  'provider_chosen', 'in_service', 'closed'];
export const SEVERITIES = ['moderate', 'severe', 'profound'];
export const ROUTE_KINDS = ['disability', 'kov'];
export const CHANNELS = ['email', 'post', 'in_person', 'eesti_ee', 'kov'];
export const DELIVERIES = ['email', 'post', 'in_person', 'eesti_ee'];
export const CONTACT_LANGUAGES = ['et', 'ru', 'en'];
export const RELATIONS = ['parent', 'guardian', 'other'];
export const SEXES = ['female', 'male'];
