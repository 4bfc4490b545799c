/**
 * The parts of the case page, in the page's order: each has its address (#/cases/12/otsused),
 * the id of its element on the page and the label of its entry in the page's index. The router
 * accepts only these addresses; the case page draws its index from this list.
 */
export const CASE_PARTS = [
  { slug: 'ylevaade', id: 'case-overview', label: 'case.part.overview' },
  { slug: 'hindamine', id: 'assessment', label: 'case.part.assessment' },
  { slug: 'otsused', id: 'decisions', label: 'case.part.decisions' },
  { slug: 'teenuseosutaja', id: 'case-providers', label: 'case.part.provider' },
  { slug: 'vorgustik', id: 'meetings', label: 'case.part.meetings' },
  { slug: 'dokumendid', id: 'documents', label: 'case.part.documents' },
  { slug: 'raha', id: 'case-billing', label: 'case.part.money' },
  { slug: 'tagasiside', id: 'case-feedback', label: 'case.part.feedback' },
  { slug: 'ajalugu', id: 'case-history', label: 'case.part.history' },
  { slug: 'pere', id: 'case-data', label: 'case.part.family' },
];

/** The part with this address slug, or null. */
export function partBySlug(slug) {
  return CASE_PARTS.find((part) => part.slug === slug) ?? null;
}

/** The part whose element has this id, or null. */
export function partById(id) {
  return CASE_PARTS.find((part) => part.id === id) ?? null;
}

/** Where on the case page a dashboard item of this kind is dealt with (null: the top). Kinds
 * not listed, e.g. ones added later, open the case at its top. */
const PART_OF_KIND = {
  decision_due: 'otsused',
  challenge_period: 'otsused',
  missing_documents: 'dokumendid',
  document_due: 'dokumendid',
  provider_registration: 'teenuseosutaja',
  referral_end: 'teenuseosutaja',
};

export function partForKind(kind) {
  return PART_OF_KIND[kind] ?? null;
}
