/**
 * The pure rules of sub-tasks, epics and issue links (`src/sync/hierarchy.ts`, `src/sync/issue-link-plan.ts`):
 * where a copy goes, when it waits, how a parent move is followed, bulk levels, and link mirroring plans.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { copyIssueType, hierarchyLevels, planCreatePlacement, planParentMove, waitingText } from '../../src/sync/hierarchy';
import { linkTypeMap, planIssueLinks, seenLinks } from '../../src/sync/issue-link-plan';

describe('placing a copy in the hierarchy', () => {
  const parent = { id: '100', key: 'ALOY-12' };
  test('an issue whose parent is synced through the same connection goes under the parent copy', () => {
    assert.deepEqual(planCreatePlacement(parent, { connectionId: 'c1', partnerIssueId: '900', state: 'ok' }, 'c1'), { kind: 'under', partnerParentId: '900' });
  });
  test('a parent not synced, synced elsewhere, or broken makes the issue wait, in words', () => {
    for (const link of [undefined, { connectionId: 'c2', partnerIssueId: '9', state: 'ok' }, { connectionId: 'c1', partnerIssueId: '9', state: 'broken' }]) {
      assert.deepEqual(planCreatePlacement(parent, link, 'c1'), { kind: 'wait', parentKey: 'ALOY-12' });
    }
    assert.match(waitingText('ALOY-13', 'ALOY-12'), /^ALOY-13 waits until ALOY-12 is synced/);
  });
  test('no parent: the top of the hierarchy', () => {
    assert.deepEqual(planCreatePlacement(null, undefined, 'c1'), { kind: 'top' });
  });
  test("a sub-task gets the partner's sub-task type, same name first; others keep the usual type", () => {
    const types = [{ id: '1', name: 'Task', subtask: false }, { id: '5', name: 'Subtask', subtask: true }, { id: '6', name: 'Sub-task', subtask: true }];
    assert.equal(copyIssueType({ name: 'Sub-task', subtask: true }, types, types[0])?.id, '6');
    assert.equal(copyIssueType({ name: 'Technical task', subtask: true }, types, types[0])?.id, '5');
    assert.equal(copyIssueType({ name: 'Story', subtask: false }, types, types[0])?.id, '1');
    assert.equal(copyIssueType({ subtask: true }, [types[0]], types[0]), undefined);
  });
});

describe('following a parent move', () => {
  const names = { issue: 'ALOY-13', localParent: 'ALOY-20', partnerParent: 'PARTNER-2' };
  const base = { local: 'L1', partner: 'P1' };
  test('a local move to a synced parent moves the partner copy', () => {
    assert.deepEqual(planParentMove({ base, local: 'L2', partner: 'P1', localAsPartner: 'P2', partnerAsLocal: 'L1', names }), { toPartner: 'P2', nextBase: { local: 'L2', partner: 'P2' }, notes: [] });
  });
  test('a partner move to a synced parent moves the local issue', () => {
    assert.deepEqual(planParentMove({ base, local: 'L1', partner: 'P2', localAsPartner: 'P1', partnerAsLocal: 'L2', names }), { toLocal: 'L2', nextBase: { local: 'L2', partner: 'P2' }, notes: [] });
  });
  test('a move to a parent that is not synced is not followed, and says so', () => {
    const m = planParentMove({ base, local: 'L9', partner: 'P1', localAsPartner: undefined, partnerAsLocal: 'L1', names });
    assert.equal(m.toPartner, undefined);
    assert.match(m.notes[0], /not copied: issue ALOY-20 is not synced/);
  });
  test('no base yet, or nothing moved: nothing is written', () => {
    assert.deepEqual(planParentMove({ base: undefined, local: 'L1', partner: 'P1', localAsPartner: 'P1', partnerAsLocal: 'L1', names }), { nextBase: base, notes: [] });
    assert.deepEqual(planParentMove({ base, local: 'L1', partner: 'P1', localAsPartner: 'P1', partnerAsLocal: 'L1', names }), { nextBase: base, notes: [] });
  });
  test('moved on both sides: the local move wins', () => {
    assert.equal(planParentMove({ base, local: 'L2', partner: 'P3', localAsPartner: 'P2', partnerAsLocal: 'L3', names }).toPartner, 'P2');
  });
});

test('bulk levels put parents before children, whatever the page order', () => {
  const page = [
    { id: 'g', fields: { parent: { id: 'c', key: 'A-3' } } },
    { id: 'c', fields: { parent: { id: 'p', key: 'A-1' } } },
    { id: 'x', fields: { parent: { id: 'elsewhere', key: 'A-9' } } },
    { id: 'p', fields: {} },
  ];
  assert.deepEqual(hierarchyLevels(page).map((l) => l.map((i) => i.id)), [['x', 'p'], ['c'], ['g']]);
});

describe('planning issue links', () => {
  const link = (id: string, typeId: string, direction: 'outward' | 'inward', otherId: string) => ({ id, type: { id: typeId, name: typeId === '10000' || typeId === '10101' ? 'Blocks' : 'Relates' }, [`${direction}Issue`]: { id: otherId, key: `K-${otherId}` } });
  const types = linkTypeMap(undefined, [{ id: '10000', name: 'Blocks' }, { id: '10003', name: 'Relates' }], [{ id: '10101', name: 'blocks' }, { id: '10100', name: 'Relates' }]);
  const ids = { local: 'A', partner: 'PA' };
  const partnerOf = (id: string) => ({ B: 'PB' } as Record<string, string>)[id];
  const localOf = (id: string) => ({ PB: 'B' } as Record<string, string>)[id];

  test('link types are matched by name, ignoring case', () => {
    assert.deepEqual(types, { toPartner: { '10000': '10101', '10003': '10100' }, toLocal: { '10101': '10000', '10100': '10003' } });
  });
  test('a local link to a synced issue is created on the partner, same direction, mapped type', () => {
    const plan = planIssueLinks({ local: seenLinks({ issuelinks: [link('1', '10000', 'outward', 'B')] }), partner: [], ids, pairs: [], partnerOf, localOf, types });
    assert.deepEqual(plan.createOnPartner, [{ typeId: '10101', sourceId: 'PA', destinationId: 'PB' }]);
    assert.deepEqual(plan.createOnLocal, []);
  });
  test('a partner link already there is paired, not made again', () => {
    const plan = planIssueLinks({ local: seenLinks({ issuelinks: [link('1', '10000', 'inward', 'B')] }), partner: seenLinks({ issuelinks: [link('9', '10101', 'inward', 'PB')] }), ids, pairs: [], partnerOf, localOf, types });
    assert.deepEqual([plan.createOnPartner, plan.createOnLocal, plan.pairs], [[], [], [{ localId: '1', partnerId: '9' }]]);
  });
  test('a deleted side deletes its mirror; both gone forgets the pair', () => {
    const plan = planIssueLinks({ local: [], partner: seenLinks({ issuelinks: [link('9', '10101', 'inward', 'PB')] }), ids, pairs: [{ localId: '1', partnerId: '9' }, { localId: '2', partnerId: '8' }], partnerOf, localOf, types });
    assert.deepEqual([plan.deleteOnPartner, plan.deleteOnLocal, plan.pairs, plan.createOnLocal], [['9'], [], [], []]);
  });
  test('a link whose other end is not synced is not mirrored, in words', () => {
    const plan = planIssueLinks({ local: seenLinks({ issuelinks: [link('1', '10000', 'outward', 'C')] }), partner: [], ids, pairs: [], partnerOf, localOf, types });
    assert.deepEqual(plan.createOnPartner, []);
    assert.deepEqual(plan.notMirrored, [{ localId: '1', text: 'Blocks K-C: not mirrored, K-C is not synced' }]);
  });
});
