import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CASE_PARTS, partBySlug, partById } from '../case-parts.js';
import et from '../i18n/et.js';
import en from '../i18n/en.js';

test('the case page index names the parts the brief asks for, each once, with labels in both languages', () => {
  const slugs = CASE_PARTS.map((p) => p.slug);
  for (const wanted of ['ylevaade', 'hindamine', 'otsused', 'teenuseosutaja', 'vorgustik', 'dokumendid', 'raha', 'ajalugu']) {
    assert.ok(slugs.includes(wanted), `no part ${wanted}`);
  }
  assert.equal(new Set(slugs).size, slugs.length, 'a slug twice');
  assert.equal(new Set(CASE_PARTS.map((p) => p.id)).size, slugs.length, 'an element id twice');
  for (const part of CASE_PARTS) {
    assert.ok(et[part.label] && en[part.label], `no label for ${part.slug}`);
    assert.match(part.slug, /^[a-z]+$/, 'slugs are plain ASCII words (addresses)');
  }
  assert.equal(partBySlug('otsused').id, 'decisions');
  assert.equal(partById('assessment').slug, 'hindamine');
  assert.equal(partBySlug('x'), null);
});

test('a dashboard item opens the part of the case where it is dealt with; an unknown kind the top', async () => {
  const { partForKind } = await import('../case-parts.js');
  assert.equal(partForKind('decision_due'), 'otsused');
  assert.equal(partForKind('missing_documents'), 'dokumendid');
  assert.equal(partForKind('provider_registration'), 'teenuseosutaja');
  assert.equal(partForKind('signature_unconfirmed'), null);
  for (const kind of ['decision_due', 'challenge_period', 'missing_documents', 'document_due', 'provider_registration', 'referral_end']) {
    assert.ok(partBySlug(partForKind(kind)), `${kind}: no such part`);
  }
});
