import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { CONFLICT_VALUE_MAX, describeConflict } from '../../src/sync/conflict-text';
import { canonicalAdf } from '../../src/model/adf';
import { wikiTexts } from './fixtures';

const names = { local: { status: 'In Progress', priority: 'High' }, partner: { status: 'Working', priority: 'Highest' } };

describe('conflict entries in the sync log', () => {
  test('say which summary was kept and which was discarded', () => {
    const text = describeConflict({ field: 'summary', base: { local: 'a', partner: 'a' }, local: 'Local words', partner: 'Partner words', resolution: 'partner', policy: 'partner-wins' }, names);
    assert.equal(text, "summary changed on both sides; kept partner 'Partner words', discarded local 'Local words'. Settled by the partner-wins policy.");
  });

  test('show a real description as short plain text, cut with an ellipsis', () => {
    const [a, b] = wikiTexts(2).map((t) => canonicalAdf(t));
    const text = describeConflict({ field: 'description', base: { local: null, partner: null }, local: a, partner: b, resolution: 'local', policy: 'local-wins' }, names);
    assert.match(text, /^description changed on both sides; kept local '[^']*', discarded partner '.*'\. Settled by the local-wins policy\.$/s);
    assert.ok(!text.includes('"type"'), `no ADF JSON in the message: ${text}`);
    const quoted = [...text.matchAll(/'(.*?)'(?=,|\. )/gs)].map((m) => m[1]);
    for (const q of quoted) assert.ok(q.length <= CONFLICT_VALUE_MAX, `quoted value longer than ${CONFLICT_VALUE_MAX}: ${q.length}`);
  });

  test('name statuses and priorities instead of their ids, and an empty value as (empty)', () => {
    assert.equal(
      describeConflict({ field: 'status', base: { local: '1', partner: '10000' }, local: '3', partner: '10001', resolution: 'manual', policy: 'manual' }, names),
      "status changed on both sides; left for you to choose between local 'In Progress' and partner 'Working'. Policy: manual; waiting for someone who may edit the issue to choose in its Task sync panel.",
    );
    assert.equal(
      describeConflict({ field: 'labels', base: { local: [], partner: [] }, local: [], partner: ['cli', 'ui'], resolution: 'local', policy: 'local-wins' }, names),
      "labels changed on both sides; kept local (empty), discarded partner 'cli, ui'. Settled by the local-wins policy.",
    );
  });

  test('name the times newest-wins compared and where each came from', () => {
    const times = { local: '2026-12-02T06:00:00.000+0000', partner: '2026-12-02T06:05:30.000+0000', source: { local: 'changelog', partner: 'updated' } } as const;
    assert.equal(
      describeConflict({ field: 'summary', name: 'Summary', base: { local: 'a', partner: 'a' }, local: 'L', partner: 'P', resolution: 'partner', policy: 'newest-wins', times }, names),
      "Summary changed on both sides; kept partner 'P', discarded local 'L'. Settled by the newest-wins policy: compared local 2026-12-02 06:00:00 UTC (its own change in the changelog) with partner 2026-12-02 06:05:30 UTC (the issue's last update, no changelog entry found).",
    );
  });

  test('say who settled it, and the merged value written to both sides', () => {
    const base = { field: 'summary', name: 'Summary', base: { local: 'a', partner: 'a' }, local: 'L', partner: 'P', policy: 'manual' } as const;
    assert.equal(describeConflict({ ...base, resolution: 'local', settledBy: 'Ann Admin' }, names), "Summary changed on both sides; kept local 'L', discarded partner 'P'. Settled by Ann Admin in the issue panel.");
    assert.equal(
      describeConflict({ ...base, resolution: 'merged', merged: 'L and P', settledBy: 'Ann Admin' }, names),
      "Summary changed on both sides; Ann Admin wrote a merged value 'L and P' to both sides (local was 'L', partner 'P'). Settled by Ann Admin in the issue panel.",
    );
  });
});
