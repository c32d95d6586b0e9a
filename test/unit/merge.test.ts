import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { ConflictPolicy } from '../../src/contract';
import { planMerge } from '../../src/sync/merge';
import { canonicalAdf } from '../../src/model/adf';
import type { ConnectionMapping as FieldMapping } from '../../src/model/mapping';
import type { BaseSnapshot, MergePlan, SideValues } from '../../src/model/types';
import { buildFieldMapping, normaliseIssue, type SyncedField, issueByKey, loadWebhook, localPriorities, localStatuses, partnerPriorities, partnerStatuses, v3Fields, wikiTexts } from './fixtures';

const mapping: FieldMapping = buildFieldMapping({
  localStatuses: localStatuses(),
  partnerStatuses,
  localPriorities: localPriorities(),
  partnerPriorities,
});

// Base: a real issue (ALOY-1), agreed on both sides: local Open 1 / partner Open 10000, Medium 3 / Medium 3.
const real = normaliseIssue(v3Fields(issueByKey('ALOY-1')));
const baseLocal: SideValues = { ...real, status: '1', priority: '3', labels: ['alloy'] };
const basePartner: SideValues = { ...baseLocal, status: '10000', priority: '3' };
const base: BaseSnapshot = { local: baseLocal, partner: basePartner };

const texts = wikiTexts(4).map((t) => canonicalAdf(t));

/** Per field: a local edit, a partner edit (each in its own ids), what each looks like on the other side, and an edit both sides agree on. */
const cases: Record<SyncedField, { local: unknown; partner: unknown; localAsPartner: unknown; partnerAsLocal: unknown; same: [unknown, unknown] }> = {
  summary: { local: 'Logger fails on device', partner: 'Logger breaks Titanium', localAsPartner: 'Logger fails on device', partnerAsLocal: 'Logger breaks Titanium', same: ['Agreed', 'Agreed'] },
  description: { local: texts[1], partner: texts[2], localAsPartner: texts[1], partnerAsLocal: texts[2], same: [texts[3], texts[3]] },
  labels: { local: ['alloy', 'cli'], partner: ['alloy', 'runtime'], localAsPartner: ['alloy', 'cli'], partnerAsLocal: ['alloy', 'runtime'], same: [['x'], ['x']] },
  // local High 2 → partner High 2; partner Highest 1 → local Critical 1; both Low.
  priority: { local: '2', partner: '1', localAsPartner: '2', partnerAsLocal: '1', same: ['4', '4'] },
  // local In Progress 3 → partner Working 10001; partner Closed 10002 → local Closed 6; local Closed = partner Closed.
  status: { local: '3', partner: '10002', localAsPartner: '10001', partnerAsLocal: '6', same: ['6', '10002'] },
};

const EARLY = '2021-03-01T10:00:00.000+0000';
const LATE = '2021-03-01T11:30:00.000+0100'; // 10:30Z: later than EARLY

function run(local: SideValues, partner: SideValues, policy: ConflictPolicy = 'newest-wins', times: [string, string] = [EARLY, EARLY], b = base): MergePlan {
  return planMerge({ base: b, local, partner, mapping, policy, localUpdated: times[0], partnerUpdated: times[1] });
}
const withField = (v: SideValues, field: SyncedField, value: unknown): SideValues => ({ ...v, [field]: value });

/** The echo check: once the plan's writes are applied, the events they cause come back and change nothing. */
function assertEchoIsQuiet(local: SideValues, partner: SideValues, plan: MergePlan) {
  const after = run({ ...local, ...plan.toLocal }, { ...partner, ...plan.toPartner }, 'local-wins', [EARLY, EARLY], plan.nextBase);
  assert.deepStrictEqual({ toLocal: after.toLocal, toPartner: after.toPartner, conflicts: after.conflicts }, { toLocal: {}, toPartner: {}, conflicts: [] });
}

for (const field of Object.keys(cases) as SyncedField[]) {
  const c = cases[field];
  describe(`merge of ${field}`, () => {
    test(`an unchanged ${field} writes nothing`, () => {
      const plan = run(baseLocal, basePartner);
      assert.deepStrictEqual([plan.toLocal, plan.toPartner, plan.conflicts], [{}, {}, []]);
      assert.deepStrictEqual(plan.nextBase, base);
    });

    test(`a local edit to ${field} reaches the partner issue`, () => {
      const local = withField(baseLocal, field, c.local);
      const plan = run(local, basePartner);
      assert.deepStrictEqual(plan.toPartner, { [field]: c.localAsPartner });
      assert.deepStrictEqual(plan.toLocal, {});
      assert.deepStrictEqual(plan.nextBase, { local, partner: withField(basePartner, field, c.localAsPartner) });
      assertEchoIsQuiet(local, basePartner, plan);
    });

    test(`a partner edit to ${field} reaches the local issue`, () => {
      const partner = withField(basePartner, field, c.partner);
      const plan = run(baseLocal, partner);
      assert.deepStrictEqual(plan.toLocal, { [field]: c.partnerAsLocal });
      assert.deepStrictEqual(plan.toPartner, {});
      assert.deepStrictEqual(plan.nextBase, { local: withField(baseLocal, field, c.partnerAsLocal), partner });
      assertEchoIsQuiet(baseLocal, partner, plan);
    });

    test(`the same ${field} edit on both sides writes nothing and moves the base on`, () => {
      const local = withField(baseLocal, field, c.same[0]);
      const partner = withField(basePartner, field, c.same[1]);
      const plan = run(local, partner, 'manual');
      assert.deepStrictEqual([plan.toLocal, plan.toPartner, plan.conflicts], [{}, {}, []]);
      assert.deepStrictEqual(plan.nextBase, { local, partner });
    });

    const local = withField(baseLocal, field, c.local);
    const partner = withField(basePartner, field, c.partner);
    const names: Record<string, string> = { summary: 'Summary', description: 'Description', labels: 'Labels', priority: 'Priority', status: 'Status' };
    /** The expected conflict; under newest-wins with the issue times compared (no field change times given). */
    const conflict = (resolution: string, policy: ConflictPolicy, times?: [string, string]) => [
      {
        field, partnerField: field, name: names[field], base: { local: baseLocal[field], partner: basePartner[field] }, local: c.local, partner: c.partner, resolution, policy,
        ...(times ? { times: { local: times[0], partner: times[1], source: { local: 'updated', partner: 'updated' } } } : {}),
      },
    ];
    const localWins = (plan: MergePlan) => {
      assert.deepStrictEqual(plan.toPartner, { [field]: c.localAsPartner });
      assert.deepStrictEqual(plan.toLocal, {});
      assertEchoIsQuiet(local, partner, plan);
    };
    const partnerWins = (plan: MergePlan) => {
      assert.deepStrictEqual(plan.toLocal, { [field]: c.partnerAsLocal });
      assert.deepStrictEqual(plan.toPartner, {});
      assertEchoIsQuiet(local, partner, plan);
    };

    test(`a ${field} conflict under local-wins keeps the local value and is reported`, () => {
      const plan = run(local, partner, 'local-wins', [EARLY, LATE]);
      assert.deepStrictEqual(plan.conflicts, conflict('local', 'local-wins'));
      localWins(plan);
    });

    test(`a ${field} conflict under partner-wins keeps the partner value and is reported`, () => {
      const plan = run(local, partner, 'partner-wins', [LATE, EARLY]);
      assert.deepStrictEqual(plan.conflicts, conflict('partner', 'partner-wins'));
      partnerWins(plan);
    });

    test(`a ${field} conflict under newest-wins keeps the later edit`, () => {
      const partnerLater = run(local, partner, 'newest-wins', [EARLY, LATE]);
      assert.deepStrictEqual(partnerLater.conflicts, conflict('partner', 'newest-wins', [EARLY, LATE]));
      partnerWins(partnerLater);
      const localLater = run(local, partner, 'newest-wins', [LATE, EARLY]);
      assert.deepStrictEqual(localLater.conflicts, conflict('local', 'newest-wins', [LATE, EARLY]));
      localWins(localLater);
    });

    test(`a ${field} conflict under newest-wins with equal times keeps the local value`, () => {
      const plan = run(local, partner, 'newest-wins', ['2021-03-01T10:00:00.000+0000', '2021-03-01T11:00:00.000+0100']);
      assert.deepStrictEqual(plan.conflicts, conflict('local', 'newest-wins', ['2021-03-01T10:00:00.000+0000', '2021-03-01T11:00:00.000+0100']));
      localWins(plan);
    });

    test(`a ${field} conflict under manual writes nothing and keeps that field's old base`, () => {
      const plan = run(local, partner, 'manual', [EARLY, LATE]);
      assert.deepStrictEqual(plan.conflicts, conflict('manual', 'manual'));
      assert.deepStrictEqual([plan.toLocal, plan.toPartner], [{}, {}]);
      assert.deepStrictEqual(plan.nextBase, base);
      // Still a conflict on the next run, until a person chooses.
      assert.equal(run(local, partner, 'manual', [EARLY, LATE], plan.nextBase).conflicts.length, 1);
    });
  });
}

describe('echo suppression by state', () => {
  test('our own write coming back (both sides equal to the new base) writes nothing, however often it arrives', () => {
    const local = withField(baseLocal, 'summary', 'Edited locally');
    const plan = run(local, basePartner);
    const partnerAfter = { ...basePartner, ...plan.toPartner };
    for (let i = 0; i < 3; i++) {
      const echo = run(local, partnerAfter, 'manual', [EARLY, LATE], plan.nextBase);
      assert.deepStrictEqual([echo.toLocal, echo.toPartner, echo.conflicts], [{}, {}, []]);
      assert.deepStrictEqual(echo.nextBase, plan.nextBase);
    }
  });

  test('a side equal to its base is not a change even if the other side differs', () => {
    const partner = withField(basePartner, 'labels', ['alloy', 'runtime']);
    const plan = run(baseLocal, partner, 'local-wins');
    assert.deepStrictEqual(plan.toPartner, {});
    assert.deepStrictEqual(plan.toLocal, { labels: ['alloy', 'runtime'] });
  });
});

describe('statuses that are not one-to-one', () => {
  const at = (local: string, partner: string): BaseSnapshot => ({ local: { ...baseLocal, status: local }, partner: { ...basePartner, status: partner } });

  test('local Resolved and local Closed both reach the partner as Closed', () => {
    for (const s of ['5', '6']) assert.deepStrictEqual(run({ ...baseLocal, status: s }, basePartner).toPartner, { status: '10002' });
  });

  test('partner Closed reaches the local issue as Closed', () => {
    assert.deepStrictEqual(run(baseLocal, { ...basePartner, status: '10002' }).toLocal, { status: '6' });
  });

  test('local Resolved against partner Closed is the same status: nothing to write', () => {
    const plan = run({ ...baseLocal, status: '5' }, { ...basePartner, status: '10002' }, 'manual');
    assert.deepStrictEqual([plan.toLocal, plan.toPartner, plan.conflicts], [{}, {}, []]);
    assert.deepStrictEqual([plan.nextBase.local.status, plan.nextBase.partner.status], ['5', '10002']);
  });

  test('moving local Closed to Resolved leaves the partner alone (it already says Closed)', () => {
    const plan = run({ ...baseLocal, status: '5' }, { ...basePartner, status: '10002' }, 'newest-wins', [EARLY, EARLY], at('6', '10002'));
    assert.deepStrictEqual([plan.toLocal, plan.toPartner], [{}, {}]);
    assert.equal(plan.nextBase.local.status, '5');
  });

  test('a partner move to Open leaves a local Reopened issue alone (Reopened already means Open)', () => {
    const plan = run({ ...baseLocal, status: '4' }, { ...basePartner, status: '10000' }, 'newest-wins', [EARLY, EARLY], at('4', '10002'));
    assert.deepStrictEqual([plan.toLocal, plan.toPartner], [{}, {}]);
    assert.equal(plan.nextBase.partner.status, '10000');
  });
});

describe('ids with no mapping', () => {
  const partial: FieldMapping = { ...mapping, status: { toPartner: { '1': '10000' }, toLocal: mapping.status.toLocal }, priority: { toPartner: mapping.priority.toPartner, toLocal: {} } };

  test('a local status with no partner status is skipped and reported, and stays pending', () => {
    const local = { ...baseLocal, status: '10005', summary: 'Also edited' };
    const plan = planMerge({ base, local, partner: basePartner, mapping: partial, policy: 'newest-wins', localUpdated: EARLY, partnerUpdated: EARLY });
    assert.deepStrictEqual(plan.toPartner, { summary: 'Also edited' });
    assert.deepStrictEqual(plan.skipped.map((s) => s.field), ['status']);
    assert.match(plan.skipped[0].reason, /local status "10005" has no partner status mapped, so Status was left unchanged/);
    assert.equal(plan.nextBase.local.status, '1');
  });

  test('a partner priority with no local priority is skipped and reported', () => {
    const plan = planMerge({ base, local: baseLocal, partner: { ...basePartner, priority: '5' }, mapping: partial, policy: 'newest-wins', localUpdated: EARLY, partnerUpdated: EARLY });
    assert.deepStrictEqual(plan.toLocal, {});
    assert.match(plan.skipped[0].reason, /partner priority "5" has no local priority mapped, so Priority was left unchanged/);
  });
});

describe('real partner webhook deliveries', () => {
  /** The partner side before and after one delivery's changelog, from its `issue.fields`. */
  function beforeAfter(name: string) {
    const hook = loadWebhook(name);
    const after = normaliseIssue(hook.issue.fields);
    const before = { ...after };
    for (const item of hook.changelog.items) {
      if (item.field === 'priority') before.priority = item.from;
      if (item.field === 'labels') before.labels = String(item.fromString).split(' ').sort();
    }
    return { before, after };
  }

  test('a partner raising the priority from Low to High raises it locally', () => {
    const { before, after } = beforeAfter('webhook-issue-updated-raised-priority');
    const local = { ...before, status: '3', priority: mapping.priority.toLocal[before.priority!] };
    assert.equal(local.priority, '4');
    const plan = run(local, after, 'newest-wins', [EARLY, EARLY], { local, partner: before });
    assert.deepStrictEqual(plan.toLocal, { priority: '2' });
  });

  test('a partner label edit replaces the labels locally', () => {
    const { before, after } = beforeAfter('webhook-issue-updated-labels');
    const local = { ...before, status: '3' };
    const plan = run(local, after, 'newest-wins', [EARLY, EARLY], { local, partner: before });
    assert.deepStrictEqual(plan.toLocal, { labels: ['sad', 'test-label'] });
    assert.deepStrictEqual(plan.toPartner, {});
  });
});
