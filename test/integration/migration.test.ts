/**
 * An installation upgraded from the one-partner version keeps working: its records are written into KVS exactly as
 * that version stored them (`settings:ALOY`, a link without a connection id, secrets under the project key, the
 * webhook registered with only `?project=ALOY`), and the new version migrates them on first use.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19750);
const LEGACY_SECRET = 'legacy-webhook-secret';
let hookUrl = '';
let link: { localIssueId: string; partnerIssueId: string; partnerIssueKey: string };

const kvsDump = async (): Promise<Record<string, any>> => (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).json();
const kvsWrite = async (ops: Record<string, unknown>) => {
  const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ops) });
  assert.equal(res.status, 200);
};

before(async () => {
  await sb.start();
  const view = await sb.enableSync('ALOY-7');
  await sb.idle();
  link = { localIssueId: '', ...view.link };
  const kvs = await kvsDump();
  const [connectionKey, connection] = Object.entries(kvs).find(([k]) => k.startsWith('connection:ALOY:'))!;
  const [linkKey, stored] = Object.entries(kvs).find(([k, v]) => k.startsWith('link:') && v.partnerIssueKey === view.link.partnerIssueKey)!;
  link.localIssueId = stored.localIssueId;
  const hooks = await sb.rest('partner', 'GET', '/rest/webhooks/1.0/webhook');
  hookUrl = String(hooks.body[0].url).replace(/&connection=[^&]+/, '');

  // What the one-partner version stored: settings with a status/priority map, a five-field base, no connection id.
  const { schemaVersion, id, credentialsRef, mapping, ...rest } = connection;
  const five = ['summary', 'description', 'priority', 'labels', 'status'];
  const pick = (side: Record<string, unknown>) => Object.fromEntries(five.map((f) => [f, side[f]]));
  const { connectionId, ...legacyLink } = stored;
  await kvsWrite({
    set: {
      'settings:ALOY': { ...rest, mapping: { toPartner: { status: mapping.status.toPartner, priority: mapping.priority.toPartner }, toLocal: { status: mapping.status.toLocal, priority: mapping.priority.toLocal } } },
      [linkKey]: { ...legacyLink, base: { local: pick(stored.base.local), partner: pick(stored.base.partner) } },
    },
    secrets: { 'token:ALOY': sb.cfg.partner.admin.apiToken, 'webhook-secret:ALOY': LEGACY_SECRET },
    delete: [connectionKey, `token:${credentialsRef}`, `webhook-secret:${credentialsRef}`],
  });
  void schemaVersion, void id, void connectionId;
});
after(async () => {
  await sb.stop();
});

describe('an installation of the one-partner version, after upgrade', () => {
  test('its settings read as the project\'s one connection, syncing the same five fields, and the old key is gone', async () => {
    const res = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.deepEqual(res.data.connections.map((c: any) => [c.id, c.partnerProjectKey, c.apiTokenSet]), [['legacy-ALOY', 'PARTNER', true]]);
    assert.deepEqual(res.data.connections[0].mapping.fields.map((f: any) => f.local), ['summary', 'description', 'priority', 'labels', 'status']);
    const kvs = await kvsDump();
    assert.equal(kvs['settings:ALOY'], undefined, 'migrated once, in one transaction');
    assert.ok(kvs['connection:ALOY:legacy-ALOY']);
  });

  test('an edit syncs through the old link, which now names the migrated connection', async () => {
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-7', { fields: { summary: 'Edited after the upgrade' } });
    await sb.idle();
    assert.equal((await sb.issue('partner', link.partnerIssueKey)).fields.summary, 'Edited after the upgrade');
    const kvs = await kvsDump();
    assert.equal(kvs[`link:${link.localIssueId}`].connectionId, 'legacy-ALOY');
  });

  test('a delivery of the webhook registered by the old version (only ?project=ALOY, old secret) is accepted', async () => {
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${link.partnerIssueKey}`, { fields: { summary: 'Partner words after the upgrade' } }, { email: 'editor@partner.example', apiToken: 'editor-token' });
    await sb.idle();
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: link.partnerIssueId, key: link.partnerIssueKey } });
    const sig = `sha256=${createHmac('sha256', LEGACY_SECRET).update(body).digest('hex')}`;
    const res = await fetch(hookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': sig, 'X-Atlassian-Webhook-Identifier': randomUUID() }, body });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { accepted: true });
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-7')).fields.summary, 'Partner words after the upgrade');
  });

  test('a link conflicted before the waiting list existed is listed after the next scheduled reconcile', async () => {
    assert.equal((await sb.saveSettings({ conflictPolicy: 'manual' })).ok, true);
    const view = await sb.enableSync('ALOY-8');
    await sb.idle();
    await sb.editSummaryOnBothSides('ALOY-8', view.link.partnerIssueKey, { partner: 'Partner words of 8', local: 'Local words of 8' });
    const kvs = await kvsDump();
    const [linkKey, stored] = Object.entries(kvs).find(([k, v]) => k.startsWith('link:') && v.partnerIssueKey === view.link.partnerIssueKey)!;
    assert.equal(stored.state, 'conflicted');
    // As the version before the resolver stored a waiting conflict: no `since`, no `conflicted:` index entry.
    const conflicts = stored.conflicts.map(({ since, ...old }: any) => (void since, old));
    await kvsWrite({ set: { [linkKey]: { ...stored, conflicts } }, delete: [`conflicted:${stored.localIssueId}`, 'migration:conflicted-index'] });
    const waiting = async () => (await sb.invoke('task-sync-settings', 'getWaitingConflicts', {}, { projectKey: 'ALOY' })).data.conflicts.map((c: any) => c.localIssueKey);
    assert.deepEqual(await waiting(), []);
    await sb.reconcile();
    await sb.idle();
    assert.deepEqual(await waiting(), ['ALOY-8']);
    assert.equal((await kvsDump())['migration:conflicted-index'].added, 1, 'added by the one-time backfill');
  });
});

// runner: echo candidates moved beside the pending mark
describe('an echo candidate left by the version that kept them under `pending-echo:`', () => {
  test('the next reconcile moves it beside the link\'s pending mark and queues the link; its job takes both', async () => {
    await sb.idle();
    const id = link.localIssueId;
    const summary = (await sb.issue('partner', link.partnerIssueKey)).fields.summary;
    // What the earlier version stored while this link's claim was held: a trimmed delivery of the app's account.
    const candidate = { webhookEvent: 'jira:issue_updated', user: { accountId: 'partner-app-account' }, changelog: { items: [{ field: 'summary', fieldId: 'summary', toString: summary }] } };
    // The claim is held, so the job the reconcile queues leaves the moved work for the holder, where it can be seen.
    await kvsWrite({ set: { [`pending-echo:${id}:0a1b2c3d4e5f`]: candidate, [`claim:job:${id}`]: { at: new Date().toISOString() } } });
    await sb.reconcile();
    await sb.idle();
    let kvs = await kvsDump();
    assert.equal(kvs[`pending-echo:${id}:0a1b2c3d4e5f`], undefined, 'the old key is gone');
    assert.deepEqual(kvs[`pending:${id}:echo:0a1b2c3d4e5f`], candidate, 'kept under the new key, unchanged');
    assert.equal(kvs[`pending:${id}`], true, 'the link owes a run, so the reconcile queues it');
    // The holder lets go (its claim expires): the next reconcile's job takes the mark and the candidate.
    await kvsWrite({ delete: [`claim:job:${id}`] });
    await sb.reconcile();
    await sb.idle();
    kvs = await kvsDump();
    assert.deepEqual(Object.keys(kvs).filter((k) => k.startsWith(`pending:${id}`) || k.startsWith('pending-echo:')), [], 'nothing of the link is left pending');
    assert.equal((await sb.issue('local', 'ALOY-7')).fields.summary, summary, 'the link is still in sync');
  });
});
