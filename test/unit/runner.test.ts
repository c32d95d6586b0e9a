/**
 * The claim/pending loop around a sync job (`src/sync/runner.ts`) over memory ports: jobs of one link never
 * overlap, a burst coalesces, failures retry on the one policy's timing and the last one is recorded for admins.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { JiraIssue, JiraSite } from '../../src/jira/site';
import { SyncError } from '../../src/model/errors';
import type { SyncJobEvent } from '../../src/store/records';
import { MAX_JOB_RETRIES } from '../../src/sync/retry';
import { runJob } from '../../src/sync/runner';
import { memoryPorts, testLink } from './support/memory-ports';

/** An issue whose mapped fields equal the link's base (so a run finds nothing to write). */
const issue = (id: string): JiraIssue => ({ id, key: id, fields: { summary: 'Same', labels: [], comment: { comments: [], total: 0 }, updated: '2026-11-22T09:00:00.000+0000' } as any });
const base = { local: { summary: 'Same', labels: [] }, partner: { summary: 'Same', labels: [] } };

/** Ports with link l1 ↔ p1; `partnerRead` replaces the partner's issue read (to fail or to observe it). */
function setup(opts: { partnerRead?: () => Promise<JiraIssue>; state?: 'ok' | 'failed' } = {}) {
  const reads: string[] = [];
  const site = (side: string, read?: () => Promise<JiraIssue>): Partial<JiraSite> => ({
    getIssue: async (id: string) => {
      reads.push(`${side}:${id}`);
      return read ? read() : issue(id);
    },
  });
  const { ports, state } = memoryPorts({ local: site('local'), partner: site('partner', opts.partnerRead) });
  state.links.set('l1', testLink('l1', 'p1', { base: structuredClone(base), state: opts.state ?? 'ok', failCount: opts.state === 'failed' ? 1 : 0 }));
  return { ports, state, reads };
}
const job = (trigger: SyncJobEvent['trigger'] = 'event'): SyncJobEvent => ({ projectKey: 'ALOY', connectionId: 'c-test', localIssueId: 'l1', trigger });
const unavailable = (retryAfterMs?: number) => new SyncError('jira-unavailable', 'The partner Jira answered 503.', { retryable: true, retryAfterMs });

describe('claims and pending marks', () => {
  test('a job that finds the link claimed leaves a pending mark and returns without reading', async () => {
    const { ports, state, reads } = setup();
    state.claims.add('job:l1');
    assert.deepEqual(await runJob(ports, job(), 0), { retry: false });
    assert.deepEqual(reads, []);
    assert.ok(state.pending.has('l1'), 'the holder will see the mark');
    assert.ok(state.claims.has('job:l1'), 'the holder keeps its claim');
  });

  test('a pending mark set during a run makes the holder run once more, then it lets go', async () => {
    const { ports, state, reads } = setup();
    let first = true;
    ports.partner.getIssue = async (id) => {
      reads.push(`partner:${id}`);
      if (first) state.pending.add('l1'), (first = false);
      return issue(id);
    };
    assert.deepEqual(await runJob(ports, job(), 0), { retry: false });
    assert.equal(reads.filter((r) => r.startsWith('partner')).length, 2, `two runs, saw ${reads.join(', ')}`);
    assert.equal(state.pending.size, 0);
    assert.equal(state.claims.size, 0, 'claim released');
    assert.equal(state.log.length, 2, 'each run is logged');
  });

  test('a run with no mark reads each side once and releases its claim', async () => {
    const { ports, state, reads } = setup();
    await runJob(ports, job(), 0);
    assert.deepEqual(reads.sort(), ['local:l1', 'partner:p1']);
    assert.equal(state.claims.size, 0);
  });
});

describe('failures', () => {
  test('a retryable failure asks for a retry after the jittered backoff, never sooner than Retry-After', async () => {
    for (const random of [0, 0.5, 0.999]) {
      const { ports } = setup({ partnerRead: () => Promise.reject(unavailable(30_000)) });
      ports.clock.random = () => random;
      const out = await runJob(ports, job(), 0);
      assert.equal(out.retry, true);
      assert.ok(out.retry && out.retryAfterSeconds >= 30, `waited ${out.retry && out.retryAfterSeconds} s with random ${random}`);
    }
    const { ports, state } = setup({ partnerRead: () => Promise.reject(unavailable()) });
    ports.clock.random = () => 0.999;
    const out = await runJob(ports, job(), 1);
    assert.ok(out.retry && out.retryAfterSeconds >= 10 && out.retryAfterSeconds <= 15, `second retry waits 10–15 s, got ${JSON.stringify(out)}`);
    assert.equal(state.links.get('l1')!.state, 'ok', 'nothing recorded while retries are left');
    assert.equal(state.claims.size, 0, 'claim released for the retry');
  });

  test('after the last retry the failure is recorded on the link and in the sync log', async () => {
    const { ports, state } = setup({ partnerRead: () => Promise.reject(unavailable()) });
    assert.deepEqual(await runJob(ports, job(), MAX_JOB_RETRIES), { retry: false });
    const link = state.links.get('l1')!;
    assert.deepEqual({ state: link.state, code: link.lastErrorCode, failCount: link.failCount }, { state: 'failed', code: 'jira-unavailable', failCount: 1 });
    assert.equal(state.log.length, 1);
    assert.equal(state.log[0].outcome, 'failed');
    assert.match(state.log[0].message, /503.*reconcile/);
  });

  test('reconcile retrying a failed link gets one attempt: the failure is recorded at once', async () => {
    const { ports, state } = setup({ state: 'failed', partnerRead: () => Promise.reject(unavailable()) });
    assert.deepEqual(await runJob(ports, job('reconcile'), 0), { retry: false });
    assert.equal(state.links.get('l1')!.failCount, 2, 'the failed run counts, so the cool-down grows');
    assert.equal(state.log[0].outcome, 'failed');
  });

  test('a product event on a failed link still gets its retries', async () => {
    const { ports } = setup({ state: 'failed', partnerRead: () => Promise.reject(unavailable()) });
    assert.equal((await runJob(ports, job('event'), 0)).retry, true);
  });

  test('a KVS failure while claiming is retried, and given up after the last retry (reconcile owes the run)', async () => {
    const { ports, state, reads } = setup();
    ports.claims.claim = async () => {
      throw new Error('KVS unavailable');
    };
    const out = await runJob(ports, job(), 0);
    assert.ok(out.retry && out.retryAfterSeconds >= 5, JSON.stringify(out));
    assert.deepEqual(await runJob(ports, job(), MAX_JOB_RETRIES), { retry: false });
    assert.deepEqual(reads, []);
    assert.equal(state.log.length, 0, 'nothing to show an admin: the link was never touched');
  });

  test('a non-retryable failure outside the sync is not retried', async () => {
    const { ports } = setup();
    ports.claims.claim = async () => {
      throw new SyncError('forbidden', 'No access.');
    };
    assert.deepEqual(await runJob(ports, job(), 0), { retry: false });
  });
});

/** A partner delivery by the app's own account reporting summary `to` (an echo when `to` is the base's). */
const summaryDelivery = (to: string) => ({ webhookEvent: 'jira:issue_updated', user: { accountId: 'partner-app' }, changelog: { items: [{ fieldId: 'summary', toString: to }] } });

describe('echo candidates: deliveries that arrive while the link is claimed', () => {
  test('a candidate left during a run that the saved link shows to be an echo costs no second run', async () => {
    const { ports, state, reads } = setup();
    ports.partner.getIssue = async (id) => {
      reads.push(`partner:${id}`);
      state.echoes.push({ id: 'l1', candidate: summaryDelivery('Same') });
      return issue(id);
    };
    assert.deepEqual(await runJob(ports, job(), 0), { retry: false });
    assert.deepEqual(reads.filter((r) => r.startsWith('partner')), ['partner:p1'], 'one run only');
    assert.equal(state.echoes.length, 0, 'the candidate was taken');
    assert.equal(state.claims.size, 0, 'claim released');
  });

  test('a candidate that the saved link does not explain (a new value) makes the holder run once more', async () => {
    const { ports, state, reads } = setup();
    let first = true;
    ports.partner.getIssue = async (id) => {
      reads.push(`partner:${id}`);
      if (first) state.echoes.push({ id: 'l1', candidate: summaryDelivery('Typed by a person with the app account') }), (first = false);
      return issue(id);
    };
    await runJob(ports, job(), 0);
    assert.equal(reads.filter((r) => r.startsWith('partner')).length, 2, `two runs, saw ${reads.join(', ')}`);
  });

  test('a job whose own delivery is already an echo of the saved link reads nothing; one that is not runs', async () => {
    const { ports, reads } = setup();
    await runJob(ports, { ...job('webhook'), echo: summaryDelivery('Same') }, 0);
    assert.deepEqual(reads, []);
    await runJob(ports, { ...job('webhook'), echo: summaryDelivery('Changed') }, 0);
    assert.deepEqual(reads, ['local:l1', 'partner:p1']);
  });

  test('a job that finds the link claimed leaves its candidate, not a pending mark', async () => {
    const { ports, state } = setup();
    state.claims.add('job:l1');
    await runJob(ports, { ...job('webhook'), echo: summaryDelivery('Same') }, 0);
    assert.equal(state.pending.size, 0);
    assert.deepEqual(state.echoes.map((e) => e.id), ['l1']);
  });
});

describe('the follow-up of a create', () => {
  test('its first attempt does not read the copy the create just made; a retry, or a link with comments, reads it', async () => {
    const { ports, state, reads } = setup();
    await runJob(ports, { ...job('create'), created: 'partner' }, 0);
    assert.deepEqual(reads, ['local:l1'], 'only the local original is read');
    reads.length = 0;
    await runJob(ports, { ...job('create'), created: 'partner' }, 1);
    assert.deepEqual(reads.sort(), ['local:l1', 'partner:p1'], 'a retry may follow a run that wrote part: it reads both');
    reads.length = 0;
    state.links.set('l1', { ...state.links.get('l1')!, comments: [{ localId: 'c1', partnerId: 'c2', localHash: 'x', partnerHash: 'y' }] });
    await runJob(ports, { ...job('create'), created: 'partner' }, 0);
    assert.ok(reads.includes('partner:p1'), `a link that maps comments was synced since: ${reads.join(', ')}`);
  });
});
