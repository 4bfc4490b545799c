/**
 * Hash routes: #/dashboard, #/cases?status=..&q=..&page=.., #/cases/new, #/cases/12, #/settings,
 * #/providers, #/providers/new, #/providers/3, #/partners, #/waiting, #/tasks, #/proposals,
 * #/proposals/new, #/proposals/4, #/invoices, #/invoices/new, #/invoices/7, #/statistics.
 * Pure functions so they can be tested without a browser.
 * A case's parts have addresses of their own: #/cases/12/otsused (case-parts.js).
 */
import { partBySlug } from './case-parts.js';
import { settingsPartBySlug } from './settings-parts.js';

/** Parses a location hash into {name, params, query}. Unknown paths give name "notFound". */
export function parseHash(hash) {
  const raw = String(hash ?? '').replace(/^#/, '');
  const [pathPart, queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = Object.fromEntries(new URLSearchParams(queryPart));

  if (segments.length === 0) return { name: 'dashboard', params: {}, query };
  const [first, second, ...rest] = segments;
  if (rest.length === 0) {
    if (first === 'dashboard' && second === undefined) return { name: 'dashboard', params: {}, query };
    if (first === 'settings' && second === undefined) return { name: 'settings', params: {}, query };
    if (first === 'cases') {
      if (second === undefined) return { name: 'cases', params: {}, query };
      if (second === 'new') return { name: 'caseNew', params: {}, query };
      if (/^\d+$/.test(second)) return { name: 'case', params: { id: Number(second) }, query };
    }
    // --- Providers ---
    if (first === 'providers') {
      if (second === undefined) return { name: 'providers', params: {}, query };
      if (second === 'new') return { name: 'providerNew', params: {}, query };
      if (/^\d+$/.test(second)) return { name: 'provider', params: { id: Number(second) }, query };
    }
    if (first === 'partners' && second === undefined) return { name: 'partners', params: {}, query };
    if (first === 'waiting' && second === undefined) return { name: 'waiting', params: {}, query };
    // --- Tasks and proposals ---
    if (first === 'tasks' && second === undefined) return { name: 'tasks', params: {}, query };
    if (first === 'proposals') {
      if (second === undefined) return { name: 'proposals', params: {}, query };
      if (second === 'new') return { name: 'proposalNew', params: {}, query };
      if (/^\d+$/.test(second)) return { name: 'proposal', params: { id: Number(second) }, query };
    }
    // --- Billing ---
    if (first === 'invoices') {
      if (second === undefined) return { name: 'invoices', params: {}, query };
      if (second === 'new') return { name: 'invoiceNew', params: {}, query };
      if (/^\d+$/.test(second)) return { name: 'invoice', params: { id: Number(second) }, query };
    }
    // --- Statistics ---
    if (first === 'statistics' && second === undefined) return { name: 'statistics', params: {}, query };
    // --- Install ---
    if (first === 'help' && second === undefined) return { name: 'help', params: {}, query };
    // --- Team desk ---
    if (first === 'team' && second === undefined) return { name: 'team', params: {}, query };
  }
  // A section of Settings: #/settings/varukoopiad
  if (segments.length === 2 && first === 'settings' && settingsPartBySlug(second)) {
    return { name: 'settings', params: { part: second }, query };
  }
  // A part of a case: #/cases/12/otsused
  if (segments.length === 3 && first === 'cases' && /^\d+$/.test(second) && partBySlug(rest[0])) {
    return { name: 'case', params: { id: Number(second), part: rest[0] }, query };
  }
  // --- Meetings ---: #/cases/12/meetings/5
  if (segments.length === 4 && first === 'cases' && /^\d+$/.test(second) && rest[0] === 'meetings' && /^\d+$/.test(rest[1])) {
    return { name: 'meeting', params: { id: Number(second), meetingId: Number(rest[1]) }, query };
  }
  return { name: 'notFound', params: {}, query };
}

/** Builds a hash for a route; empty query values are left out. */
export function buildHash(name, params = {}, query = {}) {
  const paths = {
    dashboard: '/dashboard',
    cases: '/cases',
    caseNew: '/cases/new',
    case: `/cases/${encodeURIComponent(params.id)}${params.part ? `/${encodeURIComponent(params.part)}` : ''}`,
    settings: `/settings${params.part ? `/${encodeURIComponent(params.part)}` : ''}`,
    // --- Meetings ---
    meeting: `/cases/${encodeURIComponent(params.id)}/meetings/${encodeURIComponent(params.meetingId)}`,
    // --- Providers ---
    providers: '/providers',
    providerNew: '/providers/new',
    provider: `/providers/${encodeURIComponent(params.id)}`,
    partners: '/partners',
    waiting: '/waiting',
    // --- Tasks and proposals ---
    tasks: '/tasks',
    proposals: '/proposals',
    proposalNew: '/proposals/new',
    proposal: `/proposals/${encodeURIComponent(params.id)}`,
    // --- Billing ---
    invoices: '/invoices',
    invoiceNew: '/invoices/new',
    invoice: `/invoices/${encodeURIComponent(params.id)}`,
    // --- Statistics ---
    statistics: '/statistics',
    // --- Install ---
    help: '/help',
    // --- Team desk ---
    team: '/team',
  };
  const path = paths[name];
  if (!path) throw new Error(`unknown route ${name}`);
  const entries = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '');
  const qs = new URLSearchParams(entries).toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

/** The navigation section a route belongs to (for highlighting the sidebar). */
export function sectionOf(name) {
  if (name === 'cases' || name === 'case' || name === 'meeting') return 'cases';
  if (name === 'caseNew') return 'new-application';
  // --- Providers ---
  if (name === 'providerNew' || name === 'provider') return 'providers';
  // --- Tasks and proposals ---
  if (name === 'proposalNew' || name === 'proposal') return 'proposals';
  // --- Billing ---
  if (name === 'invoiceNew' || name === 'invoice') return 'invoices';
  return name;
}
