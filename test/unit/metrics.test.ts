/** Health metrics arithmetic (`src/sync/metrics.ts`): hour buckets, latency histogram, percentiles, series. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { addRun, bucketOf, emptyHour, HourMetrics, hourOf, hourlySeries, LATENCY_BOUNDS_MS, mergeHours, percentileMs, totalOf } from '../../src/sync/metrics';

const T = Date.parse('2026-12-02T17:42:10.500Z');

describe('hours', () => {
  test('a time falls in the UTC hour that starts at or before it', () => {
    assert.equal(hourOf(T), '2026-12-02T17:00:00.000Z');
    assert.equal(hourOf(Date.parse('2026-12-02T17:00:00.000Z')), '2026-12-02T17:00:00.000Z');
    assert.equal(hourOf(Date.parse('2026-12-02T16:59:59.999Z')), '2026-12-02T16:00:00.000Z');
  });
});

describe('counting runs', () => {
  test('each outcome counts where an admin expects: synced, conflict, failures by outcome; every run is a run', () => {
    let h = emptyHour(hourOf(T));
    for (const outcome of ['created', 'synced', 'no-change', 'conflict', 'resolved', 'failed', 'failed', 'broken', 'rejected']) h = addRun(h, { outcome });
    assert.equal(h.runs, 9);
    assert.equal(h.synced, 3);
    assert.equal(h.conflicts, 1);
    assert.deepEqual(h.failures, { failed: 2, broken: 1, rejected: 1 });
  });

  test('people’s actions (pause, resume, unlink) are not runs, but carry the 429s seen before them', () => {
    const h = addRun(addRun(emptyHour('x'), { outcome: 'paused', rateLimitHits: 3 }), { outcome: 'rate-limited', rateLimitHits: 2 });
    assert.equal(h.runs, 0);
    assert.equal(h.rateLimitHits, 5);
  });

  test('adding never changes the record it was given', () => {
    const h = emptyHour('x');
    addRun(h, { outcome: 'failed', latencyMs: 10, rateLimitHits: 1 });
    assert.deepEqual(h, emptyHour('x'));
  });

  test('a record stored before a field existed parses with it at zero', () => {
    const h = HourMetrics.parse({ hour: '2026-12-02T17:00:00.000Z', runs: 2 });
    assert.equal(h.rateLimitHits, 0);
    const next = addRun(h, { outcome: 'synced', latencyMs: 120 });
    assert.equal(next.latency.length, LATENCY_BOUNDS_MS.length + 1);
    assert.equal(next.latency[bucketOf(120)], 1);
  });
});

describe('latency buckets and percentiles', () => {
  test('a sample falls in the first bucket whose upper bound it does not pass; slower than 15 min in the open one', () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(50), 0);
    assert.equal(bucketOf(51), 1);
    assert.equal(bucketOf(999), 4);
    assert.equal(bucketOf(900_000), LATENCY_BOUNDS_MS.length - 1);
    assert.equal(bucketOf(900_001), LATENCY_BOUNDS_MS.length);
  });

  test('p50 and p95 are the upper bounds of the buckets the ranks fall in', () => {
    let h = emptyHour('x');
    // 90 fast runs (≤ 50 ms), 6 of 2 s, 4 of 40 s
    for (let i = 0; i < 90; i++) h = addRun(h, { outcome: 'synced', latencyMs: 20 });
    for (let i = 0; i < 6; i++) h = addRun(h, { outcome: 'synced', latencyMs: 2_000 });
    for (let i = 0; i < 4; i++) h = addRun(h, { outcome: 'synced', latencyMs: 40_000 });
    assert.equal(percentileMs(h.latency, 0.5), 50);
    assert.equal(percentileMs(h.latency, 0.9), 50);
    assert.equal(percentileMs(h.latency, 0.95), 2_500);
    assert.equal(percentileMs(h.latency, 0.97), 60_000);
    assert.equal(percentileMs(h.latency, 1), 60_000);
  });

  test('no samples: no percentile; an out-of-range percentile is an error', () => {
    assert.equal(percentileMs(emptyHour('x').latency, 0.5), null);
    assert.throws(() => percentileMs([1], 0), RangeError);
    assert.throws(() => percentileMs([1], 1.5), /percentile must be in/);
  });

  test('percentiles over several hours come from their merged buckets, not an average of percentiles', () => {
    let a = emptyHour('a');
    let b = emptyHour('b');
    for (let i = 0; i < 10; i++) a = addRun(a, { outcome: 'synced', latencyMs: 30 });
    for (let i = 0; i < 10; i++) b = addRun(b, { outcome: 'synced', latencyMs: 8_000 });
    const both = mergeHours(a, b);
    assert.equal(percentileMs(both.latency, 0.5), 50);
    assert.equal(percentileMs(both.latency, 0.95), 10_000);
    assert.equal(both.runs, 20);
  });
});

describe('series', () => {
  test('the last 24 hours, oldest first, hours without records at zero, two connections of one hour added up', () => {
    const now = T;
    const thisHour = addRun(emptyHour(hourOf(now)), { outcome: 'failed', latencyMs: 300 });
    const other = addRun(emptyHour(hourOf(now)), { outcome: 'synced', latencyMs: 30, rateLimitHits: 4 });
    const old = addRun(emptyHour(hourOf(now - 23 * 3_600_000)), { outcome: 'synced' });
    const tooOld = addRun(emptyHour(hourOf(now - 24 * 3_600_000)), { outcome: 'synced' });
    const points = hourlySeries([old, thisHour, other, tooOld], 24, now);
    assert.equal(points.length, 24);
    assert.equal(points[0].hour, '2026-12-01T18:00:00.000Z');
    assert.equal(points[23].hour, '2026-12-02T17:00:00.000Z');
    assert.deepEqual([points[0].runs, points[0].synced, points[0].samples, points[0].p50Ms], [1, 1, 0, null]);
    assert.deepEqual([points[23].runs, points[23].failures, points[23].rateLimitHits, points[23].p50Ms, points[23].p95Ms], [2, 1, 4, 50, 500]);
    assert.equal(points.slice(1, 23).reduce((s, p) => s + p.runs, 0), 0);
    const total = totalOf([old, thisHour, other], points[0].hour);
    assert.deepEqual([total.runs, total.synced, total.failures, total.rateLimitHits, total.samples], [3, 2, 1, 4, 2]);
  });
});

describe('links and last sync (kept with the hours since the admin page stopped scanning links)', () => {
  test('an hour stored before these fields parses with no link change and no last sync', () => {
    const old = HourMetrics.parse({ hour: '2026-12-01T10:00:00.000Z', runs: 3, synced: 2, conflicts: 0, failures: {}, rateLimitHits: 0, latency: [1, 2] });
    assert.deepEqual([old.links, old.lastSyncAt], [0, null]);
    assert.equal(mergeHours(old, addRun(emptyHour(old.hour), { outcome: 'linked', linksDelta: 1 })).links, 1);
  });

  test('link changes add up (removals subtract) and are not runs; last sync is the newest successful run’s end', () => {
    let h = emptyHour(hourOf(T));
    h = addRun(h, { outcome: 'linked', linksDelta: 1 });
    h = addRun(h, { outcome: 'linked', linksDelta: 1 });
    h = addRun(h, { outcome: 'link-removed', linksDelta: -1 });
    h = addRun(h, { outcome: 'synced', endedAt: '2026-12-02T17:40:00.000Z' });
    h = addRun(h, { outcome: 'failed', endedAt: '2026-12-02T17:50:00.000Z' });
    h = addRun(h, { outcome: 'no-change', endedAt: '2026-12-02T17:30:00.000Z' });
    assert.deepEqual([h.links, h.runs, h.lastSyncAt], [1, 3, '2026-12-02T17:40:00.000Z']);
    const later = addRun(emptyHour(h.hour), { outcome: 'conflict', endedAt: '2026-12-02T17:45:00.000Z' });
    assert.equal(mergeHours(h, later).lastSyncAt, '2026-12-02T17:45:00.000Z');
    assert.equal(mergeHours(later, h).lastSyncAt, '2026-12-02T17:45:00.000Z');
  });
});
