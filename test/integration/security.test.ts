/**
 * No one is let in: forged, unsigned, replayed, oversized and malformed webhooks; non-admins calling every admin
 * resolver; users without edit rights changing an issue's sync; and no response or log entry ever holding the
 * API token or the webhook secret.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { Resolvers, ResolverSchemas } from '../../src/contract';
import { OUTSIDER_USER } from '../../sandbox/jira/users';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19000);
const admin = { projectKey: 'ALOY' };
let hookUrl = '';
let linked: { localIssueKey: string; partnerIssueId: string; partnerIssueKey: string };

before(async () => {
  await sb.start();
  const hooks = await sb.rest('partner', 'GET', '/rest/webhooks/1.0/webhook');
  hookUrl = hooks.body[0].url;
  const view = await sb.enableSync('ALOY-312');
  linked = { localIssueKey: 'ALOY-312', ...view.link };
  await sb.idle();
});
after(async () => {
  await sb.stop();
});

/** The webhook secret as the app stored it (read from the sandbox's KVS file, as only a test can). */
async function webhookSecret(): Promise<string> {
  await new Promise((r) => setTimeout(r, 150)); // the host writes KVS to disk 50 ms after a change
  const kvs = JSON.parse(readFileSync(path.join(sb.cfg.dataDir, 'kvs.json'), 'utf8'));
  const [rec] = Object.entries(kvs.secret ?? {}).filter(([k]) => k.startsWith('webhook-secret:')).map(([, v]) => v as { value: string });
  assert.ok(rec, 'webhook secret stored');
  return rec.value as string;
}

function signed(body: string, secret: string, id = randomUUID()): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`, 'X-Atlassian-Webhook-Identifier': id },
    body,
  };
}

describe('web trigger', () => {
  test('a replayed delivery (same webhook identifier) is ignored', async () => {
    const secret = await webhookSecret();
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: linked.partnerIssueId, key: linked.partnerIssueKey } });
    const id = randomUUID();
    const first = await fetch(hookUrl, signed(body, secret, id));
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { accepted: true });
    await sb.idle();
    const again = await fetch(hookUrl, signed(body, secret, id));
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { ignored: 'replay' });
  });

  test('a body signed with the right secret but not JSON is rejected and logged', async () => {
    const res = await fetch(hookUrl, signed('{not json', await webhookSecret()));
    assert.equal(res.status, 400);
    assert.ok((await sb.log()).some((e) => e.outcome === 'rejected' && /not JSON/.test(e.message)));
  });

  test('an oversized body is rejected before anything else, and logged', async () => {
    const huge = JSON.stringify({ webhookEvent: 'jira:issue_updated', pad: 'x'.repeat(1_100_000) });
    const res = await fetch(hookUrl, signed(huge, 'whatever'));
    assert.equal(res.status, 413);
    assert.ok((await sb.log()).some((e) => e.outcome === 'rejected' && /bytes/.test(e.message)));
  });

  test('a signature made with another secret is rejected even with a valid-looking header', async () => {
    const body = JSON.stringify({ webhookEvent: 'jira:issue_deleted', issue: { id: linked.partnerIssueId, key: linked.partnerIssueKey } });
    const res = await fetch(hookUrl, signed(body, 'guessed-secret'));
    assert.equal(res.status, 401);
    await sb.idle();
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: linked.localIssueKey });
    assert.equal(panel.data.link.state, 'ok', 'a forged delete did not break the link');
  });

  test('a web trigger call for an unknown project is refused', async () => {
    const url = hookUrl.replace(/project=ALOY/, 'project=NOPE');
    const res = await fetch(url, signed('{}', 'x'));
    assert.equal(res.status, 404);
  });
});

describe('resolver permissions', () => {
  let nonAdmin = '';
  before(async () => {
    const me = await sb.rest('local', 'GET', '/rest/api/3/myself', undefined, { email: 'user@local.example', apiToken: 'user-token' });
    nonAdmin = me.body.accountId;
  });

  test('a user who does not administer the project is refused by every settings-page resolver', async () => {
    const adminOnly = ['listConnections', 'saveConnection', 'deleteConnection', 'testConnection', 'getMappingCatalog', 'checkMapping', 'previewMapping', 'getSyncLog', 'getFailedLinks', 'retryFailed', 'getWaitingConflicts', 'previewMatch', 'applyMatch',
      'previewBulk', 'startBulk', 'getBulkRun', 'listBulkRuns', 'cancelBulk', 'resumeBulk', 'retryBulkFailures',
      'getHealth', // health
      // notifications
      'getNotifications', 'saveNotifications', 'sendTestNotification',
      // log: the filtered sync log
      'querySyncLog',
      // link types: the mapping editor's Link types tab
      'getLinkTypes'] as const;
    const payloads: Record<string, unknown> = {
      saveConnection: { partnerUrl: 'https://partner.atlassian.net', email: 'a@b.example', apiToken: 'x', partnerProjectKey: 'PARTNER' },
      testConnection: { partnerUrl: 'https://partner.atlassian.net', email: 'a@b.example', apiToken: 'x', partnerProjectKey: 'PARTNER' },
      retryFailed: { scope: 'all' },
      deleteConnection: { connectionId: 'legacy-ALOY', confirmed: true },
      previewMatch: { connectionId: 'legacy-ALOY', key: { kind: 'summary' } },
      applyMatch: { connectionId: 'legacy-ALOY', pairs: [{ localIssueId: '10001', localKey: 'ALOY-1', partnerKey: 'PARTNER-1' }], all: 'local', confirmed: true },
      previewBulk: { direction: 'link', jql: 'project = ALOY' },
      startBulk: { direction: 'link', jql: 'project = ALOY', confirmed: true },
      ...Object.fromEntries(['getBulkRun', 'cancelBulk', 'resumeBulk', 'retryBulkFailures'].map((fn) => [fn, { runId: 'run-1' }])),
      // notifications
      ...Object.fromEntries(['getNotifications', 'sendTestNotification'].map((fn) => [fn, { connectionId: 'legacy-ALOY' }])),
      saveNotifications: { connectionId: 'legacy-ALOY', settings: { slack: { enabled: false } } },
      getLinkTypes: { connectionId: 'legacy-ALOY' }, // link types
    };
    for (const fn of adminOnly) {
      const res = await sb.invoke('task-sync-settings', fn, payloads[fn] ?? {}, { projectKey: 'ALOY', accountId: nonAdmin });
      assert.equal(res.ok, false, `${fn} must refuse a non-admin`);
      assert.equal(res.error.code, 'forbidden', `${fn}: ${res.error.message}`);
    }
    const settings = await sb.invoke('task-sync-settings', 'listConnections', {}, admin);
    assert.equal(settings.data.connections[0].partnerUrl, 'https://partner.atlassian.net', 'the refused save changed nothing');
  });

  test('someone who cannot see the issue is refused by the Partner sync field, which reveals nothing', async () => {
    const res = await sb.invoke('task-sync-field', 'getFieldSync', {}, { issueKey: linked.localIssueKey, accountId: OUTSIDER_USER.accountId });
    assert.deepEqual([res.ok, res.error?.code], [false, 'forbidden'], JSON.stringify(res));
    assert.equal(JSON.stringify(res).includes(linked.partnerIssueKey), false);
  });

  // log: an issue's sync history is for those who can see the issue
  test('someone who cannot see the issue is refused its sync history, which reveals nothing', async () => {
    const res = await sb.invoke('task-sync-panel', 'getIssueSyncHistory', {}, { issueKey: linked.localIssueKey, accountId: OUTSIDER_USER.accountId });
    assert.deepEqual([res.ok, res.error?.code], [false, 'forbidden'], JSON.stringify(res));
    assert.equal(JSON.stringify(res).includes(linked.partnerIssueKey), false);
    const seen = await sb.invoke('task-sync-panel', 'getIssueSyncHistory', {}, { issueKey: linked.localIssueKey });
    assert.equal(seen.ok, true, JSON.stringify(seen));
    assert.ok(seen.data.entries.some((e: any) => e.partnerIssueKey === linked.partnerIssueKey), 'one who can see it gets its history');
  });

  test('every resolver of the contract is covered by a permission rule', () => {
    const covered = new Set(['listConnections', 'saveConnection', 'deleteConnection', 'testConnection', 'getMappingCatalog', 'checkMapping', 'previewMapping', 'getSyncLog', 'getFailedLinks', 'retryFailed', 'getIssueSync', 'enableSync', 'syncNow', 'setSyncPaused', 'unlinkIssue',
      // Browse to list an issue's conflicts, Edit issues to resolve one (test/integration/conflicts.test.ts); the waiting list is admin-only (above).
      'getConflicts', 'resolveConflict', 'getWaitingConflicts',
      // existing: Edit issues for the panel's three (test/integration/link-existing.test.ts); bulk matching is admin-only (above).
      'searchPartnerIssues', 'previewExistingLink', 'linkExistingIssue', 'previewMatch', 'applyMatch',
      // field: Browse the issue (below); turning sync on from the field goes through enableSync (Edit issues).
      'getFieldSync',
      // bulk link / import by JQL: admin-only (above).
      'previewBulk', 'startBulk', 'getBulkRun', 'listBulkRuns', 'cancelBulk', 'resumeBulk', 'retryBulkFailures',
      // health: charts admin-only (above); the admin page's two need Jira's ADMINISTER (below).
      'getHealth', 'getSiteHealth', 'retryConnectionFailures',
      // notifications: admin-only (above).
      'getNotifications', 'saveNotifications', 'sendTestNotification',
      // hierarchy: Browse the issue (test/integration/issue-links.test.ts).
      'getIssueLinks',
      // log: the filtered log is admin-only (above); an issue's history needs Browse (below).
      'querySyncLog', 'getIssueSyncHistory',
      // link types: admin-only (above).
      'getLinkTypes']);
    assert.deepEqual(Object.keys(ResolverSchemas).sort(), [...covered].sort());
    assert.deepEqual(Object.values(Resolvers).sort(), [...covered].sort());
  });
});

// health: the Jira admin page's resolvers answer Jira admins only (ADMINISTER), whatever project a caller administers.
describe('admin page permissions', () => {
  test('someone without Jira’s Administer permission is refused by every admin page resolver, and nothing is queued', async () => {
    const outsider = (await sb.rest('local', 'GET', '/rest/api/3/myself', undefined, { email: 'user@local.example', apiToken: 'user-token' })).body.accountId;
    for (const [fn, payload] of [['getSiteHealth', {}], ['retryConnectionFailures', { projectKey: 'ALOY', connectionId: 'legacy-ALOY' }]] as const) {
      const res = await sb.invoke('task-sync-admin', fn, payload, { accountId: outsider });
      assert.equal(res.ok, false, `${fn} must refuse a non-admin`);
      assert.equal(res.error.code, 'forbidden', `${fn}: ${res.error.message}`);
    }
    const asAdmin = await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {});
    assert.equal(asAdmin.ok, true, 'a Jira admin is let in');
    for (const s of [sb.cfg.partner.admin.apiToken]) assert.equal(JSON.stringify(asAdmin).includes(s), false, 'the admin page never gets the API token');
  });
});

describe('secrets never leave', () => {
  test('no resolver response and no log entry contains the API token or the webhook secret', async () => {
    const secret = await webhookSecret();
    const token = sb.cfg.partner.admin.apiToken;
    const responses = [
      await sb.invoke('task-sync-settings', 'listConnections', {}, admin),
      await sb.invoke('task-sync-settings', 'saveConnection', { partnerUrl: 'https://partner.atlassian.net', email: sb.cfg.partner.admin.email, partnerProjectKey: 'PARTNER' }, admin),
      await sb.invoke('task-sync-settings', 'testConnection', { partnerUrl: 'https://partner.atlassian.net', email: sb.cfg.partner.admin.email, partnerProjectKey: 'PARTNER' }, admin),
      await sb.invoke('task-sync-settings', 'getSyncLog', { limit: 200 }, admin),
      await sb.invoke('task-sync-settings', 'getFailedLinks', {}, admin),
      await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: linked.localIssueKey }),
      await sb.invoke('task-sync-glance', 'getIssueSync', {}, { issueKey: linked.localIssueKey }),
    ];
    const newSecret = await webhookSecret(); // saving rotated it
    for (const r of responses) {
      const text = JSON.stringify(r);
      for (const s of [token, secret, newSecret]) assert.equal(text.includes(s), false, `a response leaked a secret: ${text.slice(0, 200)}`);
    }
    const kvs = JSON.parse(readFileSync(path.join(sb.cfg.dataDir, 'kvs.json'), 'utf8'));
    const spaces = Object.keys(kvs).filter((space) => space !== 'secret');
    assert.ok(spaces.length > 0, 'settings, links and log are stored outside the secret space');
    const plain = JSON.stringify(spaces.map((space) => kvs[space]));
    assert.ok(spaces.includes('entity:sync-log'), 'the sync log (a custom entity, log area) is among what was scanned');
    for (const s of [token, newSecret]) assert.equal(plain.includes(s), false, 'a non-secret KVS value (settings, links, log) holds a secret');
  });
});
