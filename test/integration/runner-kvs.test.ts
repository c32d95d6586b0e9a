/**
 * What a sync job costs in KVS calls around its run: the claim loop (`src/sync/runner.ts`) looks for work left
 * while it held the link (the pending mark and echo candidates, `pending:<id>` and `pending:<id>:echo:<uuid>`) with
 * one prefix query per look, and never takes another link's marks whose id starts with the same digits.
 * Counted by the Forge host (`GET /__sandbox/kvs-calls`).
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(21500);
let localIssueId = '';

interface KvsCallCounts {
  total: number;
  byOperation: Record<string, number>;
  byNamespace: Record<string, number>;
}
const kvsCalls = async (method: 'GET' | 'DELETE' = 'GET'): Promise<KvsCallCounts> => (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs-calls`, { method })).json();
const kvsDump = async (): Promise<Record<string, unknown>> => (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).json();
const kvsWrite = async (ops: Record<string, unknown>) => {
  const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ops) });
  assert.equal(res.status, 200);
};
/** Calls whose namespace is `pending` or `pending-echo`, by "operation namespace". */
const pendingCalls = (c: KvsCallCounts) => Object.fromEntries(Object.entries(c.byNamespace).filter(([k]) => / pending(-echo)?$/.test(k)));
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

before(async () => {
  await sb.start();
  await sb.enableSync('ALOY-106');
  await sb.idle();
  const kvs = await kvsDump();
  const [linkKey] = Object.entries(kvs).find(([k, v]) => k.startsWith('link:') && (v as { localIssueKey?: string }).localIssueKey === 'ALOY-106')!;
  localIssueId = linkKey.slice('link:'.length);
});
after(async () => {
  await sb.stop();
});

describe('KVS calls of the claim loop', () => {
  test('a local edit\'s job looks for work left pending with one query per look: two looks in the run, one after letting go', async () => {
    await sb.idle();
    await kvsCalls('DELETE');
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-106', { fields: { summary: 'Counted in KVS calls' } });
    await sb.idle();
    const calls = await kvsCalls();
    assert.equal((await sb.issue('partner', (await sb.linked('ALOY-106')))).fields.summary, 'Counted in KVS calls');
    const jobs = calls.byNamespace['set claim:job'] ?? 0;
    assert.equal(jobs, 1, `one job ran (claims taken): ${JSON.stringify(calls.byNamespace)}`);
    const pending = pendingCalls(calls);
    console.log(`[kvs-calls] one local edit: ${calls.total} KVS calls in all, ${sum(pending)} for pending work ${JSON.stringify(pending)}; by namespace ${JSON.stringify(calls.byNamespace)}`);
    assert.deepEqual(pending, { 'query pending': 3 }, `KVS calls for pending work: ${JSON.stringify(calls.byNamespace)}`);
  });

  test('a job takes its own pending mark and echo candidates in one look, and leaves those of a link whose id starts with its id', async () => {
    await sb.idle();
    const other = `${localIssueId}9`;
    const candidate = { webhookEvent: 'jira:issue_updated', user: { accountId: 'partner-app-account' }, changelog: { items: [{ field: 'summary', fieldId: 'summary', toString: 'Left for the holder' }] } };
    await kvsWrite({
      set: {
        [`pending:${localIssueId}`]: true,
        [`pending:${localIssueId}:echo:aaaaaaaaaaaa`]: candidate,
        [`pending:${other}`]: true,
        [`pending:${other}:echo:bbbbbbbbbbbb`]: candidate,
      },
    });
    await kvsCalls('DELETE');
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-106', { fields: { summary: 'Edited with work left pending' } });
    await sb.idle();
    const kvs = await kvsDump();
    const left = Object.keys(kvs).filter((k) => k.startsWith('pending:')).sort();
    assert.deepEqual(left, [`pending:${other}`, `pending:${other}:echo:bbbbbbbbbbbb`], 'only the other link\'s work is left');
    // One look took the mark and the candidate (then two deletes); the look after the run and the one after letting go found nothing.
    const calls = await kvsCalls();
    assert.deepEqual(pendingCalls(calls), { 'query pending': 3, 'delete pending': 2 }, JSON.stringify(calls.byNamespace));
    assert.equal((await sb.issue('partner', await sb.linked('ALOY-106'))).fields.summary, 'Edited with work left pending');
  });
});
