import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { buildIdMap } from '../../src/sync/mapping';
import { convertAll } from '../../src/sync/values';
import { canonicalAdf } from '../../src/model/adf';
import { buildFieldMapping, mapValue, toEditFields, localPriorities, localStatuses, partnerPriorities, partnerStatuses } from './fixtures';

describe('status map', () => {
  test('the real local workflow maps onto the partner workflow by name, then by status category', () => {
    assert.deepStrictEqual(localStatuses().map((s) => `${s.name} ${s.id} ${s.category}`), [
      'Open 1 new',
      'In Progress 3 indeterminate',
      'Reopened 4 new',
      'Resolved 5 done',
      'Closed 6 done',
      'In Review 10003 indeterminate',
      'In QE Test 10005 indeterminate',
    ]);
    const map = buildIdMap(localStatuses(), partnerStatuses, 'status');
    assert.deepStrictEqual(map.toPartner, {
      '1': '10000', // Open → Open (name)
      '3': '10001', // In Progress → Working (category)
      '4': '10000', // Reopened → Open (category)
      '5': '10002', // Resolved → Closed (category)
      '6': '10002', // Closed → Closed (name)
      '10003': '10001',
      '10005': '10001',
    });
    assert.deepStrictEqual(map.toLocal, { '10000': '1', '10001': '3', '10002': '6' });
  });

  test('names match whatever their case', () => {
    const map = buildIdMap([{ id: 'a', name: 'IN PROGRESS', category: 'indeterminate' }], [{ id: 'x', name: 'Working', category: 'indeterminate' }, { id: 'y', name: 'in progress', category: 'indeterminate' }], 'status');
    assert.equal(map.toPartner.a, 'y');
  });

  test('a status with no name match and no category match stays unmapped', () => {
    const map = buildIdMap([{ id: 'a', name: 'Parked' }], partnerStatuses, 'status');
    assert.deepStrictEqual(map.toPartner, {});
  });
});

describe('priority map', () => {
  test('the real local priorities map by name, then by rank: Critical → Highest, Trivial and None → Lowest', () => {
    const map = buildIdMap(localPriorities(), partnerPriorities, 'priority');
    assert.deepStrictEqual(map.toPartner, { '1': '1', '2': '2', '3': '3', '4': '4', '5': '5', '6': '5' });
    // back: Highest → Critical, Lowest → Trivial (the rank next to Low), not None
    assert.deepStrictEqual(map.toLocal, { '1': '1', '2': '2', '3': '3', '4': '4', '5': '5' });
  });

  test('lists with no names in common map by relative rank', () => {
    const a = ['P1', 'P2', 'P3'].map((name, i) => ({ id: `a${i}`, name }));
    const b = ['Urgent', 'Normal'].map((name, i) => ({ id: `b${i}`, name }));
    assert.deepStrictEqual(buildIdMap(a, b, 'priority').toPartner, { a0: 'b0', a1: 'b1', a2: 'b1' });
  });
});

const lists = { localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities };

describe('field mapping', () => {
  test('without overrides it is the automatic map both ways', () => {
    const m = buildFieldMapping(lists);
    assert.equal(m.status.toPartner['4'], '10000');
    assert.equal(m.status.toLocal['10000'], '1');
    assert.equal(m.priority.toPartner['1'], '1');
  });

  test("an admin's status choice wins, and the way back follows it", () => {
    const m = buildFieldMapping({ ...lists, statusMap: { '3': '10000' } });
    assert.equal(m.status.toPartner['3'], '10000');
    // Working came back to In Progress; In Progress now goes to Open, so Working comes back to In Review.
    assert.equal(m.status.toLocal['10001'], '10003');
    assert.equal(m.status.toLocal['10000'], '1');
  });
});

describe('edit bodies', () => {
  test('values become a REST v3 edit body; status is left to a transition', () => {
    const description = canonicalAdf('Hello');
    assert.deepStrictEqual(toEditFields({ summary: 'S', description, priority: '2', labels: ['a'], status: '10001' }), {
      summary: 'S',
      description,
      priority: { id: '2' },
      labels: ['a'],
    });
    assert.deepStrictEqual(toEditFields({ description: null, priority: null }), { description: null, priority: null });
    assert.deepStrictEqual(toEditFields({ status: '6' }), {});
  });

  test('mapping all values to the partner leaves out a status with no mapping', () => {
    const m = buildFieldMapping({ ...lists, localStatuses: lists.localStatuses.filter((s) => s.id !== '10005') });
    const out = convertAll({ summary: 'S', description: null, priority: '5', labels: ['x'], status: '10005' }, m, 'local');
    assert.deepStrictEqual(out.values, { summary: 'S', priority: '5', labels: ['x'] }, 'an empty description is left to Jira');
    assert.deepStrictEqual(out.skipped.map((k) => k.field), ['status']);
    assert.equal(convertAll({ summary: 'S', description: null, priority: '6', labels: [], status: '4' }, m, 'local').values.status, '10000');
  });
});
