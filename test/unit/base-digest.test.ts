/**
 * Large base descriptions are kept as digests, so a link record stays under Forge KVS's 240 KiB value limit, and the
 * three-way merge decides exactly as it does with the full text.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { compactBase, compactConflict, INLINE_DESCRIPTION_MAX_BYTES } from '../../src/model/base-digest';
import { planMerge } from '../../src/sync/merge';
import { canonicalAdf, digestOf, isDigest } from '../../src/model/adf';
import type { AdfDoc, BaseSnapshot, SideValues } from '../../src/model/types';
import { buildFieldMapping, normaliseIssue, sameValue, issueByKey, localPriorities, localStatuses, partnerPriorities, partnerStatuses, v3Fields } from './fixtures';

const mapping = buildFieldMapping({ localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities });
/**
 * MOD-2367: the largest real description of the dump that Jira Cloud takes (31,334 characters of text; ALOY-615's
 * 50,978 are over Jira's 32,767 limit, so it never syncs).
 */
const big = canonicalAdf(v3Fields(issueByKey('MOD-2367')).description as AdfDoc)!;
const small = canonicalAdf(v3Fields(issueByKey('ALOY-1')).description as AdfDoc);
const side: SideValues = { ...normaliseIssue(v3Fields(issueByKey('MOD-2367'))), status: '1', priority: '3' };
const partnerSide: SideValues = { ...side, status: '10000' };
const withText = (doc: AdfDoc, text: string): AdfDoc => ({ ...doc, content: [...doc.content, { type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('a large description in the base snapshot', () => {
  test('is stored as a digest; a small one stays inline', () => {
    assert.ok(JSON.stringify(big).length > INLINE_DESCRIPTION_MAX_BYTES);
    const base = compactBase({ local: side, partner: { ...partnerSide, description: small } });
    assert.ok(isDigest(base.local.description), 'large → digest');
    assert.ok(JSON.stringify(base.local).length < 2_000, `compact base side is ${JSON.stringify(base.local).length} bytes`);
    assert.deepEqual(base.partner.description, small, 'small stays as it is');
  });

  test('equals the same text in canonical form, and differs from an edited one', () => {
    const digest = digestOf(big);
    assert.equal(sameValue('description', big, digest), true);
    assert.equal(sameValue('description', structuredClone(big), digest), true);
    assert.equal(sameValue('description', withText(big, 'one more line'), digest), false);
    assert.equal(sameValue('description', null, digest), false);
  });

  test('lets the merge tell an unchanged description from an edited one, copying the current text', () => {
    const base: BaseSnapshot = compactBase({ local: side, partner: partnerSide });
    const quiet = planMerge({ base, local: side, partner: partnerSide, mapping, policy: 'newest-wins', localUpdated: '', partnerUpdated: '' });
    assert.deepEqual([quiet.toLocal, quiet.toPartner, quiet.conflicts], [{}, {}, []]);

    const edited = withText(big, 'Edited locally');
    const plan = planMerge({ base, local: { ...side, description: edited }, partner: partnerSide, mapping, policy: 'newest-wins', localUpdated: '', partnerUpdated: '' });
    assert.deepEqual(plan.toPartner.description, canonicalAdf(edited), 'the full current text is written');
    assert.deepEqual(Object.keys(plan.toLocal), []);
  });

  test('a manual conflict on a large description keeps a digest base and digested values', () => {
    const base = compactBase({ local: side, partner: partnerSide });
    const plan = planMerge({ base, local: { ...side, description: withText(big, 'L') }, partner: { ...partnerSide, description: withText(big, 'P') }, mapping, policy: 'manual', localUpdated: '', partnerUpdated: '' });
    assert.equal(plan.conflicts.length, 1);
    assert.ok(isDigest(plan.nextBase.local.description));
    const stored = compactConflict(plan.conflicts[0]);
    assert.ok(isDigest(stored.local) && isDigest(stored.partner) && isDigest(stored.base.local));
  });

  test('a link stored by the previous version with the full text inline still merges the same way', () => {
    const old: BaseSnapshot = { local: side, partner: partnerSide };
    const plan = planMerge({ base: old, local: { ...side, description: withText(big, 'x') }, partner: partnerSide, mapping, policy: 'newest-wins', localUpdated: '', partnerUpdated: '' });
    assert.ok(plan.toPartner.description);
    assert.ok(isDigest(compactBase(plan.nextBase).local.description), 'its next save stores digests');
  });
});
