/**
 * The Jira admin page at scale: 24 connections and thousands of links. What one load costs in KVS calls and
 * time, and that its cost does not grow with the number of links (printed as `[figure]` lines).
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';
import { bulkHelpers } from '../support/bulk';

const sb = new TestSandbox(20900);
const CONNECTIONS = 24;
const { bulk, waitRun } = bulkHelpers(sb);

async function kvs(ops?: { set?: Record<string, unknown>; delete?: string[] }): Promise<Record<string, any>> {
  const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`, ops ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ops) } : undefined);
  assert.equal(res.ok, true);
  return res.json();
}
async function kvsCalls(reset = false): Promise<{ total: number; byNamespace: Record<string, number> }> {
  return (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs-calls`, reset ? { method: 'DELETE' } : undefined)).json();
}

/** Copies of the one real connection (same partner and token) and `perConnection` copies of its real link each. */
async function grow(perConnection: number, from: number): Promise<void> {
  const dump = await kvs();
  const [connKey, conn] = Object.entries(dump).find(([k]) => k.startsWith('connection:'))!;
  const [, link] = Object.entries(dump).find(([k]) => k.startsWith('link:'))!;
  const set: Record<string, unknown> = {};
  for (let c = 1; c < CONNECTIONS; c++) {
    const id = `c-scale${String(c).padStart(3, '0')}`;
    set[`${connKey.split(':').slice(0, 2).join(':')}:${id}`] = { ...conn, id, partnerProjectKey: `P${c}` };
    for (let i = from; i < from + perConnection; i++) set[`link:${900_000 + c * 10_000 + i}`] = { ...link, connectionId: id, localIssueId: String(900_000 + c * 10_000 + i) };
  }
  const entries = Object.entries(set);
  for (let i = 0; i < entries.length; i += 100) await kvs({ set: Object.fromEntries(entries.slice(i, i + 100)) });
}

async function load(): Promise<{ ms: number; calls: number; rows: number; links: number; byNamespace: Record<string, number> }> {
  await kvsCalls(true);
  const t0 = performance.now();
  const res = await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {});
  const ms = performance.now() - t0;
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const calls = await kvsCalls();
  return { ms, calls: calls.total, byNamespace: calls.byNamespace, rows: res.data.connections.length, links: res.data.connections.reduce((s: number, r: any) => s + r.links, 0) };
}

before(async () => {
  await sb.start();
  await sb.enableSync('ALOY-321');
  await sb.idle();
});
after(async () => {
  await sb.stop();
});

describe('link totals', () => {
  test('the links an admin sees follow links created, linked to an existing issue, unlinked, imported and linked in bulk, without a scan', async () => {
    await sb.reconcile(); // builds the conflicted index's marker, as the scheduled reconcile does once per site
    await load(); // counts the sandbox's first link once (it was stored before any load)
    for (const key of ['ALOY-328', 'ALOY-334']) await sb.enableSync(key);
    const partner = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Linked to an existing issue' } });
    assert.equal(partner.status, 201, JSON.stringify(partner.body));
    const panel = (fn: string, payload: unknown) => sb.invoke('task-sync-panel', fn, payload, { issueKey: 'ALOY-20' });
    const preview = await panel('previewExistingLink', { partnerIssueKey: partner.body.key });
    assert.equal(preview.ok, true, JSON.stringify(preview.error));
    const linked = await panel('linkExistingIssue', { partnerIssueKey: partner.body.key, fingerprint: preview.data.fingerprint, all: 'local', confirmed: true });
    assert.equal(linked.ok, true, JSON.stringify(linked.error));
    const unlinked = await sb.invoke('task-sync-panel', 'unlinkIssue', { confirmed: true }, { issueKey: 'ALOY-328' });
    assert.equal(unlinked.ok, true, JSON.stringify(unlinked.error));
    // Two partner issues imported by JQL (bulk import) and two local ones linked by JQL (bulk link).
    for (const n of [1, 2]) {
      const r = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: `Imported for the totals ${n}`, labels: ['totals-import'] } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    for (const [direction, jql] of [['import', 'labels = totals-import'], ['link', 'key in (ALOY-311, ALOY-312)']] as const) {
      const started = await bulk('startBulk', { direction, jql, confirmed: true });
      const run = await waitRun(started.runId, (r) => r.state === 'done');
      assert.deepEqual([run.created, run.failed], [2, 0], `${direction}: ${JSON.stringify(run.failures)}`);
    }
    await sb.idle(60_000);
    const stored = Object.entries(await kvs()).filter(([k]) => k.startsWith('link:')).length;
    const f = await load();
    assert.equal(stored, 7, 'ALOY-321, ALOY-334, ALOY-20, two imported and two bulk-linked issues');
    assert.equal(f.links, stored, `the page shows ${f.links} links, KVS holds ${stored}`);
    assert.equal(f.byNamespace['query link'] ?? 0, 0, 'counted without reading the links');
  });
});

describe('admin page at scale', () => {
  test('24 connections: after the one counting scan, a load costs the same KVS calls for 240 links as for 4,600', async () => {
    // Connections and links stored by a version before the link totals (written straight into KVS).
    await grow(10, 0);
    const migrating = await load();
    const small = await load();
    await grow(190, 10);
    await kvs({ delete: Object.keys(await kvs()).filter((k) => k.startsWith('health-total:')) }); // uncounted again
    const counting = await load();
    const large = await load();
    for (const [name, f] of Object.entries({ migrating, small, counting, large })) console.log(`[figure] admin page (${name}), ${f.rows} connections, ${f.links} links: ${f.calls} KVS calls, ${f.ms.toFixed(0)} ms ${JSON.stringify(f.byNamespace)}`);
    assert.equal(small.links, 7 + (CONNECTIONS - 1) * 10);
    assert.deepEqual([counting.rows, counting.links, large.rows, large.links], [CONNECTIONS, 7 + (CONNECTIONS - 1) * 200, CONNECTIONS, 7 + (CONNECTIONS - 1) * 200], 'the counting scan and the totals agree');
    assert.ok(counting.byNamespace['query link'] >= large.links / 20, 'the counting load scans the links once');
    assert.equal(large.byNamespace['query link'] ?? 0, 0, 'a load after the count reads no link');
    assert.equal(large.calls, small.calls, `KVS calls of a load: ${small.calls} with ${small.links} links, ${large.calls} with ${large.links}`);
  });
});
