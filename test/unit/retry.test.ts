/** The one retry policy (`src/sync/retry.ts`): HTTP waits, job retries and reconcile's cool-down. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { failedCooldownMs, jobRetryAfterSeconds, retryDelayMs } from '../../src/sync/retry';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });
const NOW = Date.parse('2026-11-22T10:00:00.000Z');

describe('HTTP retry waits', () => {
  test('Retry-After in seconds is honoured (fractions rounded up to the ms)', () => {
    assert.equal(retryDelayMs(1, headers({ 'retry-after': '7' })), 7000);
    assert.equal(retryDelayMs(3, headers({ 'retry-after': '1.5' })), 1500);
  });
  test('X-RateLimit-Reset (ISO-8601) waits until the reset; one in the past falls back to backoff', () => {
    assert.equal(retryDelayMs(1, headers({ 'x-ratelimit-reset': '2026-11-22T10:00:03.000Z' }), 250, NOW), 3000);
    const past = retryDelayMs(1, headers({ 'x-ratelimit-reset': '2026-11-22T09:59:00.000Z' }), 250, NOW, () => 1);
    assert.equal(past, 250);
  });
  test('without headers: exponential backoff with jitter between half and the whole step', () => {
    assert.equal(retryDelayMs(1, undefined, 250, NOW, () => 0), 125);
    assert.equal(retryDelayMs(1, undefined, 250, NOW, () => 1), 250);
    assert.equal(retryDelayMs(3, undefined, 250, NOW, () => 0), 500);
    assert.equal(retryDelayMs(3, undefined, 250, NOW, () => 1), 1000);
  });
  test('an HTTP-date Retry-After (not seconds) falls back to backoff', () => {
    assert.equal(retryDelayMs(2, headers({ 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }), 250, NOW, () => 0), 250);
  });
});

describe('job retries', () => {
  test('5, 10, 20, 40 s with up to half a step of jitter', () => {
    assert.deepEqual([0, 1, 2, 3].map((n) => jobRetryAfterSeconds(n, 0, () => 0)), [5, 10, 20, 40]);
    assert.deepEqual([0, 1, 2, 3].map((n) => jobRetryAfterSeconds(n, 0, () => 1)), [8, 15, 30, 60]);
  });
  test('never sooner than Retry-After, whatever the jitter', () => {
    for (const r of [0, 0.3, 0.99]) assert.ok(jobRetryAfterSeconds(0, 61_500, () => r) >= 62);
    assert.equal(jobRetryAfterSeconds(3, 1000, () => 0), 40, 'a short Retry-After does not shorten the backoff');
  });
  test('two jobs failing together do not retry in lockstep', () => {
    assert.notEqual(jobRetryAfterSeconds(2, 0, () => 0.1), jobRetryAfterSeconds(2, 0, () => 0.9));
  });
});

describe('reconcile cool-down of a failed link', () => {
  test('5 minutes, doubling, at most an hour', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map((n) => failedCooldownMs(n) / 60_000), [5, 5, 10, 20, 40, 60, 60]);
  });
});
