/**
 * The sync log through its resolvers, from real runs: entries name each field's before → after, who edited on
 * which site and the run's timings; `querySyncLog` filters and pages, refusing bad filters in words; a retryable
 * failure is logged as `retrying` with what to do; an issue's panel history; and `log:` keys of an earlier version
 * move to the custom entity once (marker `migration:log-entities`).
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20500);
const admin = { projectKey: 'ALOY' };
let link: { localIssueKey: string; partnerIssueKey: string };
let localAdminId = '';

const query = (payload: unknown, ctx: Record<string, string> = admin) => sb.invoke('task-sync-settings', 'querySyncLog', payload, ctx);
const newest = async (filter: Record<string, unknown>) => {
  const res = await query({ filter: { includeNoChange: true, ...filter }, limit: 5 });
  assert.equal(res.ok, true, JSON.stringify(res));
  return res.data.entries as any[];
};

before(async () => {
  await sb.start();
  const view = await sb.enableSync('ALOY-5');
  await sb.idle();
  link = { localIssueKey: 'ALOY-5', partnerIssueKey: view.link.partnerIssueKey };
  localAdminId = (await sb.rest('local', 'GET', '/rest/api/3/myself')).body.accountId;
});
after(async () => {
  await sb.stop();
});

describe('a run tells what changed, who changed it and when', () => {
  test('a local edit: each field before → after by name, the local editor, received ≤ started ≤ ended', async () => {
    const before = await sb.issue('partner', link.partnerIssueKey);
    await sb.rest('local', 'PUT', `/rest/api/3/issue/${link.localIssueKey}`, { fields: { summary: 'Log reader wants values' } });
    await sb.idle();
    const [entry] = await newest({ issueKey: link.localIssueKey, outcome: 'synced' });
    assert.equal(entry.trigger, 'event');
    const change = entry.changes.find((c: any) => c.field === 'summary');
    assert.deepEqual(change, { field: 'summary', name: 'Summary', to: 'partner', before: before.fields.summary, after: 'Log reader wants values' });
    assert.deepEqual(entry.actor, { accountId: localAdminId, site: 'local' });
    const { receivedAt, startedAt, endedAt } = entry.timings;
    assert.ok(receivedAt <= startedAt && startedAt <= endedAt, JSON.stringify(entry.timings));
  });

  test('a partner edit names the partner user and what the local issue held before', async () => {
    const local = await sb.issue('local', link.localIssueKey);
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${link.partnerIssueKey}`, { fields: { summary: 'Partner says hello' } });
    await sb.idle();
    const [entry] = await newest({ issueKey: link.partnerIssueKey, trigger: 'webhook', outcome: 'synced' });
    const change = entry.changes.find((c: any) => c.field === 'summary');
    assert.deepEqual([change.to, change.before, change.after], ['local', local.fields.summary, 'Partner says hello']);
    assert.equal(entry.actor.site, 'partner');
    assert.ok(entry.actor.displayName, 'the webhook names the person');
  });
});

describe('filters', () => {
  test('bad filters are refused in words and read nothing', async () => {
    const key = await query({ filter: { issueKey: 'not a key' } });
    assert.deepEqual([key.ok, key.error.code], [false, 'invalid-input']);
    assert.match(key.error.message, /issue key such as ALOY-12/);
    const range = await query({ filter: { from: '2026-12-02T10:00:00Z', to: '2026-12-01T10:00:00Z' } });
    assert.match(range.error.message, /ends before it starts/);
    const limit = await query({ limit: 500 });
    assert.equal(limit.error.code, 'invalid-input');
  });

  test('a cursor of other filters is refused with what to do', async () => {
    const first = await query({ filter: { includeNoChange: true }, limit: 1 });
    assert.ok(first.data.cursor, 'more than one entry');
    const other = await query({ filter: { outcome: 'synced' }, cursor: first.data.cursor });
    assert.deepEqual([other.ok, other.error.code], [false, 'invalid-input']);
    assert.match(other.error.message, /first page/);
  });

  test('the time range and connection narrow the log; an outsider is refused', async () => {
    const all = await newest({});
    const conn = all[0].connectionId;
    assert.ok(conn);
    const none = await newest({ connectionId: conn, to: '2000-01-01T00:00:00Z' });
    assert.deepEqual(none, []);
    const recent = await newest({ connectionId: conn, from: all[1].at });
    assert.deepEqual(recent.map((e) => e.id), all.slice(0, 2).map((e) => e.id));
  });
});

describe('the issue panel', () => {
  test("shows the issue's last ten sync events, newest first", async () => {
    for (let i = 0; i < 6; i++) {
      await sb.rest('local', 'PUT', `/rest/api/3/issue/${link.localIssueKey}`, { fields: { summary: `History ${i}` } });
      await sb.idle();
    }
    const res = await sb.invoke('task-sync-panel', 'getIssueSyncHistory', {}, { issueKey: link.localIssueKey });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.data.entries.length, 10);
    assert.ok(res.data.entries.every((e: any) => e.localIssueKey === link.localIssueKey));
    const ats = res.data.entries.map((e: any) => e.at);
    assert.deepEqual(ats, [...ats].sort().reverse());
  });
});

describe('an installation upgraded from the KVS sync log', () => {
  test('its log: entries move to the entity once, keeping id and time; expired and unreadable ones are dropped', async () => {
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const old = { id: '9999998765432:abcd1234', at, connectionId: null, trigger: 'webhook', direction: 'partner-to-local', localIssueKey: 'ALOY-9', partnerIssueKey: 'PARTNER-99', fields: ['summary'], outcome: 'synced', message: 'Synced summary.' };
    const expired = { ...old, id: 'x', at: new Date(Date.now() - 40 * 86_400_000).toISOString() };
    const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ set: { 'log:ALOY:9999998765432:abcd1234': old, 'log:ALOY:9999990000000:ffff0000': expired, 'log:ALOY:9999990000001:eeee0000': { nonsense: true } } }),
    });
    assert.equal(res.status, 200);
    await sb.reconcile();
    await sb.idle();
    const dump = (await (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).json()) as Record<string, any>;
    assert.deepEqual(Object.keys(dump).filter((k) => k.startsWith('log:')), [], 'no log: key left');
    assert.equal(dump['migration:log-entities'].moved, 1);
    const found = await newest({ issueKey: 'ALOY-9' });
    assert.deepEqual(found.map((e) => [e.id, e.at, e.message]), [[old.id, at, 'Synced summary.']]);
    assert.equal((await newest({ issueKey: 'PARTNER-99' })).length, 1, 'found by the partner key too');
  });
});

describe('a refusal reads as words', () => {
  test('a 403 names the method and resource, not the 40 field ids of its query', async () => {
    await sb.faults('partner', { errorRate: 1, errorStatus: [403] });
    try {
      const res = await sb.rest('local', 'PUT', `/rest/api/3/issue/${link.localIssueKey}`, { fields: { summary: 'Refused by the partner' } });
      assert.equal(res.status, 204);
      await sb.idle();
    } finally {
      await sb.faults('partner', null);
    }
    const [failed] = await newest({ issueKey: link.localIssueKey, outcome: 'failed' });
    assert.ok(failed, 'a failed entry');
    assert.match(failed.message, /The partner site https:\/\/\S+ refused GET \/rest\/api\/3\/issue\/\d+ \(403 Forbidden: /);
    assert.doesNotMatch(failed.message, /\?fields=/, 'the query string stays out of the words');
    // Put the link back in order for the tests after this one.
    assert.equal((await sb.invoke('task-sync-panel', 'syncNow', {}, { issueKey: link.localIssueKey })).ok, true);
    await sb.idle();
  });
});

// Last: its retry is still waiting when the file ends.
describe('failures', () => {
  test('a retryable failure is logged as retrying with the cause and what to do, ', async () => {
    await sb.rest('local', 'PUT', `/rest/api/3/issue/${link.localIssueKey}`, { fields: { summary: 'While the partner is down' } });
    await sb.faults('partner', { down: true });
    const deadline = Date.now() + 15_000;
    let retrying: any;
    while (!retrying && Date.now() < deadline) {
      [retrying] = await newest({ outcome: 'retrying' });
      if (!retrying) await new Promise((r) => setTimeout(r, 100));
    }
    await sb.faults('partner', null);
    assert.ok(retrying, 'a retrying entry');
    assert.equal(retrying.localIssueKey, link.localIssueKey);
    assert.match(retrying.message, /Trying again in about \d+ s/);
    assert.ok(retrying.cause && retrying.advice, JSON.stringify(retrying));
  });
});
