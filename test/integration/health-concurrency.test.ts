/**
 * Health metrics when jobs finish together: no count is lost when many jobs of one connection end in the same
 * hour (the sandbox runs queued jobs concurrently, as Forge does), when the hour's claim stays busy (a writer that
 * crashed holding it), or when storage fails for the claim; and metrics never fail a sync.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20800);
const KEYS = ['ALOY-321', 'ALOY-328', 'ALOY-334', 'ALOY-311', 'ALOY-312', 'ALOY-314', 'ALOY-316', 'ALOY-305'];
const RUN_OUTCOMES = new Set(['created', 'synced', 'no-change', 'conflict', 'resolved', 'failed', 'rejected', 'broken']);
let connectionId = '';
let round = 0;

/** The sandbox's KVS: a dump, or set/delete of raw keys (`/__sandbox/kvs`). */
async function kvs(ops?: { set?: Record<string, unknown>; delete?: string[] }): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`, ops ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ops) } : undefined);
  assert.equal(res.ok, true, `/__sandbox/kvs answered ${res.status}`);
  return res.json();
}
const keysOf = async (prefix: string) => Object.keys(await kvs()).filter((k) => k.startsWith(prefix));

/** Runs counted for the project (charts' resolver) against the run entries in its sync log. */
async function counted() {
  const res = await sb.invoke('task-sync-settings', 'getHealth', {}, { projectKey: 'ALOY' });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const log = (await sb.log(200)).filter((e) => RUN_OUTCOMES.has(e.outcome));
  return { runs: res.data.week.total.runs, synced: res.data.week.total.synced, logged: log.length, loggedSynced: log.filter((e) => ['created', 'synced', 'resolved'].includes(e.outcome)).length };
}

/** Edits every linked issue at once, so their jobs run and finish together, and waits for the sandbox. */
async function editAll(): Promise<void> {
  round++;
  await Promise.all(KEYS.map((key) => sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `${key} concurrent edit ${round}` } })));
  await sb.idle(60_000);
}

before(async () => {
  await sb.start();
  await Promise.all(KEYS.map((key) => sb.enableSync(key)));
  await sb.idle(60_000);
  connectionId = (await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' })).data.connections[0].id;
});
after(async () => {
  await sb.stop();
});

describe('no count is lost', () => {
  test('eight jobs of one connection finishing together are all counted', async () => {
    await editAll();
    const c = await counted();
    assert.ok(c.logged >= 2 * KEYS.length, `run entries logged: ${c.logged}`);
    assert.deepEqual([c.runs, c.synced], [c.logged, c.loggedSynced], `counted ${c.runs} runs (${c.synced} synced), the log has ${c.logged} (${c.loggedSynced})`);
  });

  test('while the hour’s claim stays busy, runs are kept as pending records, read exactly, and folded in by the next writer', async () => {
    await kvs({ set: { [`claim:metrics:${connectionId}`]: { at: new Date().toISOString() } } }); // a writer that crashed holding it
    await editAll();
    const pending = await keysOf(`health-pending:${connectionId}:`);
    assert.equal(pending.length, KEYS.length, `pending records while the claim is held: ${pending.length}`);
    let c = await counted();
    assert.equal(c.runs, c.logged, 'pending records are counted when read');

    await kvs({ delete: [`claim:metrics:${connectionId}`] });
    await sb.rest('local', 'PUT', `/rest/api/3/issue/${KEYS[0]}`, { fields: { summary: 'the next writer folds the pending runs' } });
    await sb.idle();
    assert.deepEqual(await keysOf(`health-pending:${connectionId}:`), [], 'the next writer folded every pending record into its hour');
    c = await counted();
    assert.deepEqual([c.runs, c.synced], [c.logged, c.loggedSynced]);
  });

  test('a storage failure of the claim neither fails the sync nor loses the count', async () => {
    await sb.kvsFaults({ errorRate: 1, operations: ['set'], keyPrefix: `claim:metrics:${connectionId}` });
    try {
      await editAll();
    } finally {
      await sb.kvsFaults(null);
    }
    const log = (await sb.log(200)).filter((e) => e.fields?.length && String(e.message).length && e.outcome !== 'no-change');
    const partnerSummaries = await Promise.all(KEYS.map(async (key) => {
      const partnerKey = (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key })).data.link.partnerIssueKey;
      return (await sb.issue('partner', partnerKey)).fields.summary;
    }));
    assert.deepEqual(partnerSummaries, KEYS.map((k) => `${k} concurrent edit ${round}`), 'every edit reached the partner');
    assert.ok(log.length > 0);
    const c = await counted();
    assert.deepEqual([c.runs, c.synced], [c.logged, c.loggedSynced]);
  });
});

describe('metrics never fail a sync', () => {
  test('with the claim busy and pending records refused by storage, the edit still syncs and only the count is lost', async () => {
    const before = await counted();
    await kvs({ set: { [`claim:metrics:${connectionId}`]: { at: new Date().toISOString() } } });
    await sb.kvsFaults({ errorRate: 1, operations: ['set'], keyPrefix: `health-pending:${connectionId}:` });
    try {
      await sb.rest('local', 'PUT', `/rest/api/3/issue/${KEYS[1]}`, { fields: { summary: 'synced although metrics cannot be written' } });
      await sb.idle();
    } finally {
      await sb.kvsFaults(null);
      await kvs({ delete: [`claim:metrics:${connectionId}`] });
    }
    const partnerKey = (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: KEYS[1] })).data.link.partnerIssueKey;
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'synced although metrics cannot be written');
    const entry = (await sb.log(5)).find((e) => e.localIssueKey === KEYS[1]);
    assert.equal(entry?.outcome, 'synced', JSON.stringify(entry));
    const afterwards = await counted();
    assert.equal(afterwards.logged - before.logged, 1);
    assert.equal(afterwards.runs - before.runs, 0, 'the run could not be counted anywhere');
  });
});
