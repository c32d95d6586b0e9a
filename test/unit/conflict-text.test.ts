import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { CONFLICT_VALUE_MAX, describeConflict } from '../../src/sync/conflict-text';
import { canonicalAdf } from '../../src/model/adf';
import { wikiTexts } from './fixtures';

const names = { local: { status: 'In Progress', priority: 'High' }, partner: { status: 'Working', priority: 'Highest' } };

describe('conflict entries in the sync log', () => {
  test('say which summary was kept and which was discarded', () => {
    const text = describeConflict({ field: 'summary', base: { local: 'a', partner: 'a' }, local: 'Local words', partner: 'Partner words', resolution: 'partner' }, names);
    assert.equal(text, "summary changed on both sides; kept partner 'Partner words', discarded local 'Local words'.");
  });

  test('show a real description as short plain text, cut with an ellipsis', () => {
    const [a, b] = wikiTexts(2).map((t) => canonicalAdf(t));
    const text = describeConflict({ field: 'description', base: { local: null, partner: null }, local: a, partner: b, resolution: 'local' }, names);
    assert.match(text, /^description changed on both sides; kept local '[^']*', discarded partner '.*'\.$/s);
    assert.ok(!text.includes('"type"'), `no ADF JSON in the message: ${text}`);
    const quoted = [...text.matchAll(/'(.*?)'(?=,|\.$)/gs)].map((m) => m[1]);
    for (const q of quoted) assert.ok(q.length <= CONFLICT_VALUE_MAX, `quoted value longer than ${CONFLICT_VALUE_MAX}: ${q.length}`);
  });

  test('name statuses and priorities instead of their ids, and an empty value as (empty)', () => {
    assert.equal(
      describeConflict({ field: 'status', base: { local: '1', partner: '10000' }, local: '3', partner: '10001', resolution: 'manual' }, names),
      "status changed on both sides; left for you to choose between local 'In Progress' and partner 'Working'.",
    );
    assert.equal(
      describeConflict({ field: 'labels', base: { local: [], partner: [] }, local: [], partner: ['cli', 'ui'], resolution: 'local' }, names),
      "labels changed on both sides; kept local (empty), discarded partner 'cli, ui'.",
    );
  });
});
