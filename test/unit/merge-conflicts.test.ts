/**
 * The conflict table of `planMerge` (see its docstring): people's resolutions as an input, the per-field policy
 * over the connection's, newest-wins by each field's own change time; and the changelog reading behind those times.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { canonicalAdf } from '../../src/model/adf';
import { compactDescription } from '../../src/model/base-digest';
import type { ConnectionMapping } from '../../src/model/mapping';
import type { BaseSnapshot, ConflictPolicy, FieldResolution, MergeInput, SideValues } from '../../src/model/types';
import { fieldChangeTimes, newestChanges } from '../../src/sync/changelog';
import { planMerge, resolutionStillApplies } from '../../src/sync/merge';
import { fieldResolution } from '../../src/sync/resolve';
import type { JiraChangelogPage, JiraHistory } from '../../src/jira/site';
import { buildFieldMapping, localPriorities, localStatuses, partnerPriorities, partnerStatuses } from './fixtures';

const mapping: ConnectionMapping = buildFieldMapping({ localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities });
const withPolicy = (field: string, policy: ConflictPolicy): ConnectionMapping => ({ ...mapping, fields: mapping.fields.map((f) => (f.local === field ? { ...f, policy } : f)) });

const doc = (text: string) => canonicalAdf({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const baseLocal: SideValues = { summary: 'Base', description: doc('Base text'), labels: ['a'], priority: '3', status: '1' };
const basePartner: SideValues = { ...baseLocal, status: '10000' };
const base: BaseSnapshot = { local: baseLocal, partner: basePartner };
/** Both sides changed summary, description and status differently; labels changed on the partner only. */
const local: SideValues = { ...baseLocal, summary: 'Local', description: doc('Local text'), status: '3' };
const partner: SideValues = { ...basePartner, summary: 'Partner', description: doc('Partner text'), status: '10002', labels: ['a', 'p'] };

const EARLY = '2026-12-02T06:00:00.000+0000';
const LATE = '2026-12-02T06:10:00.000+0000';
const input = (over: Partial<MergeInput> = {}): MergeInput => ({ base, local, partner, mapping, policy: 'manual', localUpdated: EARLY, partnerUpdated: EARLY, ...over });
const by = 'Ann Admin';
type Choice = { choice: 'local' } | { choice: 'partner' } | { choice: 'merged'; value: unknown };
const resolved = (field: string, r: Choice): Record<string, FieldResolution> => ({ [field]: { ...r, by } });
const conflictOf = (plan: ReturnType<typeof planMerge>, field: string) => plan.conflicts.find((c) => c.field === field);

describe('a person settles a conflict', () => {
  test('keep local: copied to the partner, both become the base; the other conflicts still wait', () => {
    const plan = planMerge(input({ resolutions: resolved('summary', { choice: 'local' }) }));
    assert.equal(plan.toPartner.summary, 'Local');
    assert.equal('summary' in plan.toLocal, false);
    assert.deepEqual([plan.nextBase.local.summary, plan.nextBase.partner.summary], ['Local', 'Local']);
    assert.deepEqual(conflictOf(plan, 'summary')?.resolution, 'local');
    assert.equal(conflictOf(plan, 'summary')?.settledBy, by);
    assert.equal(conflictOf(plan, 'description')?.resolution, 'manual', 'a field nobody decided keeps waiting');
    assert.deepEqual(plan.nextBase.local.description, baseLocal.description, 'and keeps its old base');
    assert.deepEqual(plan.toLocal.labels, ['a', 'p'], 'a one-sided change still syncs meanwhile');
  });

  test('keep partner: copied to the local issue in local terms (status through the status map)', () => {
    const plan = planMerge(input({ resolutions: resolved('status', { choice: 'partner' }) }));
    assert.equal(plan.toLocal.status, '6', 'partner Closed 10002 is local Closed 6');
    assert.deepEqual([plan.nextBase.local.status, plan.nextBase.partner.status], ['6', '10002']);
  });

  test('merged: the value goes to both sides and becomes the base; text is trimmed, ADF made canonical', () => {
    const text = planMerge(input({ resolutions: resolved('summary', { choice: 'merged', value: '  Local and partner ' }) }));
    assert.deepEqual([text.toLocal.summary, text.toPartner.summary], ['Local and partner', 'Local and partner']);
    assert.equal(conflictOf(text, 'summary')?.merged, '  Local and partner ');
    const merged = doc('Both texts');
    const rich = planMerge(input({ resolutions: resolved('description', { choice: 'merged', value: merged }) }));
    assert.deepEqual([rich.toLocal.description, rich.toPartner.description], [merged, merged]);
    assert.deepEqual([rich.nextBase.local.description, rich.nextBase.partner.description], [merged, merged]);
  });

  test('merged equal to one side writes only the other side', () => {
    const plan = planMerge(input({ resolutions: resolved('summary', { choice: 'merged', value: 'Partner' }) }));
    assert.equal(plan.toLocal.summary, 'Partner');
    assert.equal('summary' in plan.toPartner, false);
  });

  test('a decision outranks the policy, whichever it is', () => {
    for (const policy of ['local-wins', 'partner-wins', 'newest-wins', 'manual'] as const) {
      const plan = planMerge(input({ policy, resolutions: resolved('summary', { choice: 'partner' }) }));
      assert.equal(plan.toLocal.summary, 'Partner', policy);
      assert.equal(conflictOf(plan, 'summary')?.policy, policy);
    }
  });

  test('a decision for a field that is not in conflict changes nothing', () => {
    const plan = planMerge(input({ resolutions: resolved('labels', { choice: 'local' }) }));
    assert.deepEqual(plan.toLocal.labels, ['a', 'p'], 'the partner-only change is copied as usual');
    assert.equal('labels' in plan.toPartner, false);
  });
});

describe('the policy per field', () => {
  test("a field's own policy overrides the connection's: status partner-wins, description manual", () => {
    const m = withPolicy('description', 'manual');
    const plan = planMerge(input({ policy: 'local-wins', mapping: { ...m, fields: m.fields.map((f) => (f.local === 'status' ? { ...f, policy: 'partner-wins' as const } : f)) } }));
    assert.deepEqual(plan.conflicts.map((c) => [c.field, c.policy, c.resolution]).sort(), [
      ['description', 'manual', 'manual'],
      ['status', 'partner-wins', 'partner'],
      ['summary', 'local-wins', 'local'],
    ]);
    assert.equal(plan.toLocal.status, '6');
    assert.equal(plan.toPartner.summary, 'Local');
    assert.equal('description' in plan.toPartner || 'description' in plan.toLocal, false);
  });
});

describe('newest-wins by the field’s own change time', () => {
  test("the field's change times decide, not the issues' updated", () => {
    // The local issue was updated last (another field), but the partner changed the summary later.
    const plan = planMerge(input({ policy: 'newest-wins', localUpdated: LATE, partnerUpdated: EARLY, changeTimes: { local: { summary: EARLY }, partner: { summary: '2026-12-02T06:05:00.000+0000' } } }));
    const c = conflictOf(plan, 'summary');
    assert.equal(c?.resolution, 'partner');
    assert.deepEqual(c?.times, { local: EARLY, partner: '2026-12-02T06:05:00.000+0000', source: { local: 'changelog', partner: 'changelog' } });
    assert.equal(plan.toLocal.summary, 'Partner');
  });

  test("a side without a changelog entry for the field falls back to its issue's updated, and says so", () => {
    const plan = planMerge(input({ policy: 'newest-wins', localUpdated: LATE, partnerUpdated: EARLY, changeTimes: { local: {}, partner: { summary: '2026-12-02T06:05:00.000+0000' } } }));
    const c = conflictOf(plan, 'summary');
    assert.equal(c?.resolution, 'local');
    assert.deepEqual(c?.times?.source, { local: 'updated', partner: 'changelog' });
  });
});

describe('a decision still applies only to the values it was made on', () => {
  const row = mapping.fields.find((f) => f.local === 'summary')!;
  const desc = mapping.fields.find((f) => f.local === 'description')!;
  test('same values: applies; either side changed since: does not', () => {
    assert.equal(resolutionStillApplies(row, { local: 'L', partner: 'P' }, { local: 'L', partner: 'P' }), true);
    assert.equal(resolutionStillApplies(row, { local: 'L', partner: 'P' }, { local: 'L', partner: 'P2' }), false);
    assert.equal(resolutionStillApplies(row, { local: 'L', partner: 'P' }, { local: 'L2', partner: 'P' }), false);
  });
  test('a large text recorded as a digest is compared by digest', () => {
    const big = doc('x'.repeat(20_000));
    const recorded = { local: compactDescription(big), partner: doc('P') };
    assert.equal(typeof (recorded.local as { digest?: string }).digest, 'string');
    assert.equal(resolutionStillApplies(desc, recorded, { local: big, partner: doc('P') }), true);
    assert.equal(resolutionStillApplies(desc, recorded, { local: doc('x'), partner: doc('P') }), false);
  });
});

describe('change times from the changelog', () => {
  const h = (id: number, created: string, fields: string[], author = 'person'): JiraHistory => ({ id: String(id), created, author: { accountId: author }, items: fields.map((f) => (f.startsWith('customfield_') ? { field: 'Team', fieldtype: 'custom', fieldId: f } : { field: f, fieldtype: 'jira', fieldId: f })) });

  test('the newest entry per field, custom fields by fieldId, the app’s own entries ignored', () => {
    const histories = [h(1, EARLY, ['summary', 'customfield_10011']), h(2, LATE, ['summary'], 'app'), h(3, '2026-12-02T06:05:00.000+0000', ['customfield_10011', 'labels'])];
    assert.deepEqual(newestChanges(histories, ['summary', 'customfield_10011', 'priority'], ['app']), { summary: EARLY, customfield_10011: '2026-12-02T06:05:00.000+0000' });
    assert.deepEqual(newestChanges([{ id: '9', created: LATE, items: [{ field: 'Summary', fieldtype: 'jira' }] }], ['summary']), { summary: LATE }, 'an item without fieldId matches by name');
  });

  test('one page for a short history; a long one is read from its last page back', async () => {
    const all = Array.from({ length: 250 }, (_, i) => h(i, new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString(), [i === 10 ? 'summary' : 'labels']));
    const calls: number[] = [];
    const site = {
      async getChangelogPage(_id: string, startAt: number, maxResults: number): Promise<JiraChangelogPage> {
        calls.push(startAt);
        const values = all.slice(startAt, startAt + maxResults);
        return { startAt, maxResults, total: all.length, isLast: startAt + values.length >= all.length, values };
      },
    };
    const times = await fieldChangeTimes(site, '1', ['summary', 'labels']);
    assert.deepEqual(times, { summary: all[10].created, labels: all[249].created });
    assert.deepEqual(calls, [0, 150, 100], 'first page, then back from the last page until summary is found (or the first page is reached)');
    calls.length = 0;
    assert.deepEqual(await fieldChangeTimes(site, '1', ['labels']), { labels: all[249].created });
    assert.deepEqual(calls, [0, 150], 'a field seen on the last page needs no page between');
    calls.length = 0;
    const short = { getChangelogPage: async (_: string, startAt: number, maxResults: number) => ({ startAt, maxResults, total: 3, isLast: true, values: all.slice(0, 3) }) };
    await fieldChangeTimes({ getChangelogPage: (...a) => (calls.push(a[1]), short.getChangelogPage(...a)) }, '1', ['summary']);
    assert.deepEqual(calls, [0]);
  });
});

describe('a person’s payload becomes a resolution', () => {
  const rowOf = (id: string) => mapping.fields.find((f) => f.local === id)!;
  test('keep a side as it is; merged text trimmed, merged ADF made canonical', () => {
    assert.deepEqual(fieldResolution({ field: 'labels', choice: 'partner' }, rowOf('labels'), by), { choice: 'partner', by });
    assert.deepEqual(fieldResolution({ field: 'summary', choice: 'merged', text: ' both ' }, rowOf('summary'), by), { choice: 'merged', value: 'both', by });
    const adf = { type: 'doc' as const, version: 1 as const, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'both' }] }] };
    assert.deepEqual(fieldResolution({ field: 'description', choice: 'merged', adf }, rowOf('description'), by), { choice: 'merged', value: canonicalAdf(adf), by });
  });
  test('a merged value for another kind, or without the value its kind needs, is refused in words', () => {
    assert.throws(() => fieldResolution({ field: 'priority', choice: 'merged', text: 'High' }, rowOf('priority'), by), /Priority is a priority field: a merged value can only be written for text and rich-text fields/);
    assert.throws(() => fieldResolution({ field: 'summary', choice: 'merged' }, rowOf('summary'), by), /Send the merged Summary as text/);
    assert.throws(() => fieldResolution({ field: 'description', choice: 'merged', text: 'plain' }, rowOf('description'), by), /Send the merged Description as a document \(adf\)/);
  });
});
