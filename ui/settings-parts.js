/**
 * The sections of Settings, in the page's order: each has its address (#/settings/varukoopiad),
 * the label of its entry in the table of contents, and `load(env)` that builds it (env: status,
 * ctx, counts, notice, rerender). A new section is one entry here. The modules are imported when
 * a section is built, so the router can read the addresses without them.
 */
export const SETTINGS_PARTS = [
  { slug: 'keel', label: 'settings.part.language', load: async (env) => (await import('./views/settings.js')).languageSection(env) },
  { slug: 'koordinaator', label: 'settings.part.coordinator', load: async (env) => (await import('./views/settings.js')).coordinatorSection(env.status, env.ctx) },
  { slug: 'turvalisus', label: 'settings.part.security', load: async (env) => (await import('./views/settings.js')).idleLockSection(env.status, env.ctx) },
  { slug: 'naidistoolaud', label: 'settings.part.demo', load: async (env) => (await import('./views/settings.js')).demoDeskSection(env.status) },
  { slug: 'varukoopiad', label: 'settings.part.backup', load: async (env) => (await import('./views/settings-backup.js')).backupSection(env.status, env.ctx) },
  { slug: 'privaatsus', label: 'settings.part.privacy', load: async () => (await import('./views/settings-privacy.js')).privacySection() },
  { slug: 'tahtajad', label: 'settings.part.rules', load: async () => (await import('./views/settings-rules.js')).rulesSection() },
  { slug: 'otsused', label: 'settings.part.decisions', load: async () => (await import('./views/settings-decisions.js')).decisionSettingsSection() },
  { slug: 'allkirjastamine', label: 'settings.part.signing', load: async () => (await import('./views/settings-signing.js')).signingSection() },
  { slug: 'otsusemallid', label: 'settings.part.decisionTemplates', load: async () => (await import('./views/settings-decisions.js')).templatesSection() },
  { slug: 'kohtumised', label: 'settings.part.meetingTemplates', load: async () => (await import('./views/settings-templates.js')).templatesSection() },
  { slug: 'hinnad', label: 'settings.part.prices', load: async () => (await import('./views/settings-prices.js')).pricesSection() },
  { slug: 'tagasiside', label: 'settings.part.feedback', load: async () => (await import('./views/settings-feedback.js')).feedbackSection() },
  { slug: 'meeskond', label: 'settings.part.team', load: async () => (await import('./views/settings-team.js')).teamSection() },
  { slug: 'logi', label: 'settings.part.audit', load: async () => (await import('./views/settings-audit.js')).auditSection() },
  { slug: 'andmebaas', label: 'settings.part.about', load: async (env) => (await import('./views/settings.js')).aboutSection(env) },
];

/** The section with this address slug, or null. */
export function settingsPartBySlug(slug) {
  return SETTINGS_PARTS.find((part) => part.slug === slug) ?? null;
}
