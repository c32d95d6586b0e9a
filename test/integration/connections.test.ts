/**
 * Two connections on one local project (ALOY ↔ PARTNER and ALOY ↔ OPS on the partner site): each linked issue
 * syncs with its own partner project, the panel offers both, the sync log says which connection ran, and removing
 * one connection leaves the other syncing.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19000);
let partnerId = '';
let opsId = '';
let partnerIssue = '';
let opsIssue = '';

beforeAll(async () => {
  await sb.start();
  const ops = await sb.saveSettings({ partnerProjectKey: 'OPS', apiToken: sb.cfg.partner.admin.apiToken });
  assert.equal(ops.ok, true, JSON.stringify(ops.error));
  opsId = ops.data.id;
  const list = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  partnerId = list.data.connections.find((c: any) => c.partnerProjectKey === 'PARTNER').id;
});
afterAll(async () => {
  await sb.stop();
});

async function enable(issueKey: string, connectionId?: string): Promise<any> {
  return sb.invoke('task-sync-panel', 'enableSync', { confirmed: true, ...(connectionId ? { connectionId } : {}) }, { issueKey });
}

describe('two connections on one project', () => {
  test('the project lists both connections, each with its own partner project', async () => {
    const list = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.deepEqual(list.data.connections.map((c: any) => c.partnerProjectKey).sort(), ['OPS', 'PARTNER']);
    assert.notEqual(partnerId, opsId);
  });

  test('turning sync on without choosing a connection is refused with a message naming both partners', async () => {
    const res = await enable('ALOY-80');
    assert.equal(res.ok, false);
    assert.match(res.error.message, /PARTNER/);
    assert.match(res.error.message, /OPS/);
  });

  test('the panel lists both partners to choose from', async () => {
    const res = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-80' });
    assert.equal(res.ok, true);
    assert.deepEqual(res.data.partners.map((p: any) => p.projectKey).sort(), ['OPS', 'PARTNER']);
    assert.deepEqual(res.data.partners.map((p: any) => p.connectionId).sort(), [opsId, partnerId].sort());
  });

  test('an issue linked through each connection is created in that partner project', async () => {
    const a = await enable('ALOY-80', partnerId);
    const b = await enable('ALOY-81', opsId);
    assert.equal(a.ok, true, JSON.stringify(a.error));
    assert.equal(b.ok, true, JSON.stringify(b.error));
    await sb.idle();
    partnerIssue = a.data.link.partnerIssueKey;
    opsIssue = b.data.link.partnerIssueKey;
    assert.match(partnerIssue, /^PARTNER-\d+$/);
    assert.match(opsIssue, /^OPS-\d+$/);
  });

  test('each link syncs with its own partner, both ways, and the log carries the right connection', async () => {
    const since = new Date().toISOString();
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-80', { fields: { summary: 'Via PARTNER' } });
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-81', { fields: { summary: 'Via OPS' } });
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerIssue)).fields.summary, 'Via PARTNER');
    assert.equal((await sb.issue('partner', opsIssue)).fields.summary, 'Via OPS');
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${opsIssue}`, { fields: { summary: 'OPS answers' } });
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-81')).fields.summary, 'OPS answers');
    assert.equal((await sb.issue('local', 'ALOY-80')).fields.summary, 'Via PARTNER', 'the other link is untouched');
    const entries = (await sb.log()).filter((e) => e.at >= since && e.outcome === 'synced');
    const byIssue = (key: string) => [...new Set(entries.filter((e) => e.localIssueKey === key).map((e) => e.connectionId))];
    assert.deepEqual(byIssue('ALOY-80'), [partnerId]);
    assert.deepEqual(byIssue('ALOY-81'), [opsId]);
  });

  test('removing one connection leaves the other syncing', async () => {
    const res = await sb.invoke('task-sync-settings', 'deleteConnection', { connectionId: partnerId, confirmed: true }, { projectKey: 'ALOY' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.deepEqual(res.data.connections.map((c: any) => c.id), [opsId]);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-81', { fields: { summary: 'OPS still syncs' } });
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-80', { fields: { summary: 'PARTNER no longer syncs' } });
    await sb.idle();
    assert.equal((await sb.issue('partner', opsIssue)).fields.summary, 'OPS still syncs');
    assert.equal((await sb.issue('partner', partnerIssue)).fields.summary, 'Via PARTNER', 'the removed connection wrote nothing');
    const res2 = await enable('ALOY-82');
    assert.equal(res2.ok, true, 'with one connection left, no choice is needed');
    await sb.idle();
    assert.match(res2.data.link.partnerIssueKey, /^OPS-\d+$/);
  });
});
