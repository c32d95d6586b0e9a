/**
 * What the issue panel shows of a waiting conflict: values readable (names instead of ids, rich text as a document
 * and as plain words), a large base kept only as a digest said to be too large.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { canonicalAdf } from '../../src/model/adf';
import { compactDescription } from '../../src/model/base-digest';
import type { FieldMap } from '../../src/model/mapping';
import { conflictView, valueView, type Namer } from '../../src/sync/conflict-view';

const names: Namer = {
  user: async (side, id) => (({ 'local:u1': 'Ann Local', 'partner:p1': 'Pat Partner' }) as Record<string, string>)[`${side}:${id}`] ?? id,
  priority: async (side, id) => (side === 'local' ? { '2': 'High' } : { '1': 'Highest' })[id as '1' | '2'] ?? id,
  status: async (side, id) => (side === 'local' ? 'In Progress' : 'Working') + ` (${id})`,
  issueType: async (_side, id) => `Type ${id}`,
};
const doc = (text: string) => canonicalAdf({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('conflict values as a reader sees them', () => {
  test('ids become names on their own side; sets are joined; empty says so', async () => {
    assert.equal((await valueView('user', 'u1', 'local', names)).text, 'Ann Local');
    assert.equal((await valueView('multiuser', ['p1', 'p2'], 'partner', names)).text, 'Pat Partner, p2', 'an unknown account stays its id');
    assert.equal((await valueView('priority', '1', 'partner', names)).text, 'Highest');
    assert.equal((await valueView('status', '3', 'local', names)).text, 'In Progress (3)');
    assert.equal((await valueView('labels', ['a', 'b'], 'local', names)).text, 'a, b');
    assert.equal((await valueView('select', null, 'local', names)).text, '(empty)');
    assert.equal((await valueView('labels', [], 'local', names)).text, '(empty)');
  });

  test('rich text comes as the document to render and its plain words', async () => {
    const v = await valueView('paragraph', doc('Hello there'), 'local', names);
    assert.deepEqual([v.text, v.adf?.type, v.tooLarge], ['Hello there', 'doc', false]);
  });

  test('a base kept as a digest is too large to show', async () => {
    const v = await valueView('paragraph', compactDescription(doc('x'.repeat(20_000))), 'local', names);
    assert.equal(v.tooLarge, true);
    assert.equal(v.adf, null);
    assert.match(v.text, /too large/);
  });

  test('a conflict view names the row, says whether it can be merged, and falls back for an old record without since', async () => {
    const row: FieldMap = { local: 'priority', partner: 'priority', kind: 'priority', direction: 'both', name: { local: 'Priority', partner: 'Priority' } };
    const view = await conflictView({ field: 'priority', base: { local: '2', partner: '1' }, local: '2', partner: '1', resolution: 'manual', since: null }, row, names, '2026-12-01T00:00:00.000Z');
    assert.deepEqual([view.name, view.mergeable, view.since, view.base.text, view.local.text, view.partner.text], ['Priority', false, '2026-12-01T00:00:00.000Z', 'High', 'High', 'Highest']);
  });
});
