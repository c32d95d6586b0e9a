import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { SyncError } from '../../src/model/errors';
import type { ConnectionMapping } from '../../src/model/mapping';
import type { SideValues } from '../../src/model/types';
import { planMerge } from '../../src/sync/merge';
import { differingFields, pairFingerprint, planPairing, startingResolutions } from '../../src/sync/pairing';
import { matchIssues } from '../../src/sync/pairing-match';
import { scopedJql } from '../../src/sync/pairing-bulk';
import { jqlString } from '../../src/sync/pairing-link';
import { buildFieldMapping, issueByKey, localPriorities, localStatuses, normaliseIssue, partnerPriorities, partnerStatuses, v3Fields } from './fixtures';

const mapping: ConnectionMapping = buildFieldMapping({ localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities });

// Two real issues standing for a pair that grew apart: ALOY-1 locally, ALOY-2's values on the partner.
const local: SideValues = { ...normaliseIssue(v3Fields(issueByKey('ALOY-1'))), status: '1', priority: '3', labels: ['alloy'] };
const partner: SideValues = { ...local, summary: 'Partner summary', labels: [], priority: '2', status: '10000' };

describe('which fields of a pair differ', () => {
  test('equal and equivalent values (local Open 1 = partner Open 10000) are not listed; the others are, with both choices', () => {
    const diff = differingFields(local, partner, mapping);
    assert.deepEqual(diff.map((d) => d.row.local).sort(), ['labels', 'priority', 'summary']);
    assert.ok(diff.every((d) => d.choices.join() === 'local,partner'));
  });

  test('a one-way row offers only the side it copies from', () => {
    const oneWay = { ...mapping, fields: mapping.fields.map((f) => (f.local === 'summary' ? { ...f, direction: 'to-partner' as const } : f)) };
    assert.deepEqual(differingFields(local, partner, oneWay).find((d) => d.row.local === 'summary')?.choices, ['local']);
  });

  test('the fingerprint follows the values', () => {
    const a = pairFingerprint(differingFields(local, partner, mapping));
    assert.equal(a, pairFingerprint(differingFields(local, { ...partner }, mapping)));
    assert.notEqual(a, pairFingerprint(differingFields(local, { ...partner, summary: 'Other' }, mapping)));
  });
});

/**
 * The first sync of a pair, by choice. Case table (per differing field):
 *
 * | choice for the field        | written                         |
 * |-----------------------------|---------------------------------|
 * | `fields[f] = local`         | local value → partner           |
 * | `fields[f] = partner`       | partner value → local           |
 * | none, `all = local/partner` | as `all`                        |
 * | none and no `all`           | refused, nothing written        |
 * | a side the row cannot copy  | refused, nothing written        |
 * | (field equal on both)       | nothing, whatever the choice    |
 */
describe('planning the first sync of a pair', () => {
  const plan = (choice: Parameters<typeof planPairing>[0]['choice'], m = mapping) => planPairing({ local, partner, mapping: m, policy: 'manual', choice, by: 'Ana' });

  test('all from partner: every differing partner value goes to local, nothing to the partner', () => {
    const p = plan({ all: 'partner' });
    assert.deepEqual(p.toPartner, {});
    assert.deepEqual(p.toLocal, { summary: 'Partner summary', labels: [], priority: '2' });
    assert.deepEqual(p.conflicts, []);
    assert.equal(p.nextBase.local.summary, 'Partner summary');
    assert.equal(p.nextBase.partner.summary, 'Partner summary');
  });

  test('all from local: every differing local value goes to the partner', () => {
    const p = plan({ all: 'local' });
    assert.deepEqual(p.toLocal, {});
    assert.deepEqual(p.toPartner, { summary: local.summary, labels: ['alloy'], priority: '3' });
  });

  test('per field overrides all: summary from partner, the rest from local', () => {
    const p = plan({ all: 'local', fields: { summary: 'partner' } });
    assert.deepEqual(p.toLocal, { summary: 'Partner summary' });
    assert.deepEqual(Object.keys(p.toPartner).sort(), ['labels', 'priority']);
  });

  test('equal fields are never written, whatever the choice', () => {
    const p = plan({ all: 'partner' });
    assert.ok(!('description' in p.toLocal) && !('status' in p.toLocal));
    assert.deepEqual(p.nextBase.local.description, local.description);
  });

  test('a differing field without a choice is refused, naming it', () => {
    assert.throws(() => plan({ fields: { summary: 'partner' } }), (e: unknown) => e instanceof SyncError && e.code === 'invalid-input' && /starting value of (Labels, Priority|Priority, Labels)\. Nothing was changed/.test(e.message));
  });

  test('a side a one-way row does not copy from is refused; all = partner leaves that row to be chosen', () => {
    const oneWay = { ...mapping, fields: mapping.fields.map((f) => (f.local === 'summary' ? { ...f, direction: 'to-partner' as const } : f)) };
    assert.throws(() => plan({ all: 'local', fields: { summary: 'partner' } }, oneWay), /Summary syncs from local only: choose local/);
    assert.throws(() => plan({ all: 'partner' }, oneWay), /starting value of Summary/);
    assert.equal(plan({ all: 'partner', fields: { summary: 'local' } }, oneWay).toPartner.summary, local.summary);
  });

  test('resolutions carry who chose', () => {
    const r = startingResolutions(differingFields(local, partner, mapping), { all: 'local' }, 'Ana');
    assert.deepEqual(r.summary, { choice: 'local', by: 'Ana' });
  });
});

describe('bulk matching by a key', () => {
  const i = (key: string, fields: Record<string, unknown> = {}) => ({ id: key, key, fields });

  test('a partner field holding the local key pairs one to one; shared values are ambiguous; the rest unmatched', () => {
    const r = matchIssues(
      [i('ALOY-1'), i('ALOY-2'), i('ALOY-3'), i('ALOY-4')],
      [i('P-1', { cf: ' aloy-1' }), i('P-2', { cf: 'ALOY-2' }), i('P-3', { cf: 'ALOY-2' }), i('P-4', {}), i('P-5', { cf: 'ALOY-9' })],
      { kind: 'partner-field', field: 'cf' },
    );
    assert.deepEqual(r.pairs.map((p) => [p.local.key, p.partner.key]), [['ALOY-1', 'P-1']]);
    assert.deepEqual(r.ambiguous, [{ value: 'ALOY-2', localKeys: ['ALOY-2'], partnerKeys: ['P-2', 'P-3'] }]);
    assert.deepEqual(r.unmatchedLocal.sort(), ['ALOY-3', 'ALOY-4']);
    assert.deepEqual(r.unmatchedPartner.sort(), ['P-4', 'P-5']);
  });

  test('a local field holding the partner key', () => {
    const r = matchIssues([i('ALOY-1', { cf: 'P-7' })], [i('P-7')], { kind: 'local-field', field: 'cf' });
    assert.deepEqual(r.pairs.map((p) => p.partner.key), ['P-7']);
  });

  test('equal summaries, ignoring case and spacing; two equal local summaries are ambiguous', () => {
    const r = matchIssues(
      [i('ALOY-1', { summary: 'Fix  the build' }), i('ALOY-2', { summary: 'Dup' }), i('ALOY-3', { summary: 'dup' })],
      [i('P-1', { summary: ' fix the BUILD ' }), i('P-2', { summary: 'Dup' })],
      { kind: 'summary' },
    );
    assert.deepEqual(r.pairs.map((p) => [p.local.key, p.partner.key]), [['ALOY-1', 'P-1']]);
    assert.deepEqual(r.ambiguous.map((a) => a.localKeys), [['ALOY-2', 'ALOY-3']]);
  });
});

describe('JQL the bulk match sends', () => {
  test("the person's JQL stays inside the connection's project, its ORDER BY kept at the end", () => {
    assert.equal(scopedJql('ALOY', ''), 'project = "ALOY" ORDER BY key ASC');
    assert.equal(scopedJql('ALOY', 'labels = x OR project = OTHER'), 'project = "ALOY" AND (labels = x OR project = OTHER) ORDER BY key ASC');
    assert.equal(scopedJql('ALOY', 'labels = x order by created DESC'), 'project = "ALOY" AND (labels = x) ORDER BY created DESC');
  });

  test('search words are a quoted JQL string', () => {
    assert.equal(jqlString('say "hi" \\ there'), '"say \\"hi\\" \\\\ there"');
  });
});

describe('a starting value that cannot be copied', () => {
  test('a partner priority with no local counterpart is skipped and the row stays without a base: the next run sees no conflict', () => {
    const odd = { ...partner, priority: '99' };
    const first = planPairing({ local, partner: odd, mapping, policy: 'newest-wins', choice: { all: 'partner' }, by: 'Ana' });
    assert.equal(first.toLocal.priority, undefined);
    assert.deepEqual(first.skipped.map((s) => s.field), ['priority']);
    assert.ok(!('priority' in first.nextBase.local) && !('priority' in first.nextBase.partner), 'no null base on both sides');
    const next = planMerge({ base: first.nextBase, local: { ...local, ...first.toLocal }, partner: odd, mapping, policy: 'newest-wins', localUpdated: '', partnerUpdated: '' });
    assert.deepEqual(next.conflicts, []);
    assert.deepEqual([next.toLocal, next.toPartner], [{}, {}]);
  });
});
