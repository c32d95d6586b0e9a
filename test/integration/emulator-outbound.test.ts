/**
 * What the Jira emulator sends out and keeps: signed admin webhook deliveries with retries, Forge product events
 * naming the acting account, request statistics, and state that survives a restart.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { LOCAL_USER } from '../../sandbox/jira/users';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 17120, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-emu-out-')) });
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const partner = jiraClient(cfg.partner.url, basic(cfg.partner.admin.email, cfg.partner.admin.apiToken));
const asApp = jiraClient(cfg.local.url, `Bearer ${cfg.appToken}`);
const asLocalUser = jiraClient(cfg.local.url, `Bearer forge-user:${LOCAL_USER.accountId}`);
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const SECRET = 'webhook-s3cret';

let jira: JiraEmulator;
let host: Awaited<ReturnType<typeof startReceiver>>;
let hooks: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  host = await startReceiver(cfg.basePort); // the Forge host's /__sandbox/product-event
  hooks = await startReceiver(cfg.basePort + 10, (n) => (n === 0 ? 500 : 200)); // first delivery fails once
  jira = await startJiraEmulator({ cfg, fresh: true });
});
after(async () => {
  await jira?.close();
  await host?.close();
  await hooks?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

const settle = () => Promise.all([jira.sites.local.idle(), jira.sites.partner.idle()]);
const newPartnerIssue = async (summary: string) =>
  (await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Bug' }, summary, description: doc(`${summary} details`) } })).body.key as string;

test('an admin webhook is registered without ever returning its secret; a plain user may not manage webhooks', async () => {
  const body = { name: 'task sync', url: `${hooks.url}/hook`, events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted'], filters: { 'issue-related-events-section': 'project = PARTNER' }, excludeBody: false, secret: SECRET };
  const r = await partner('POST', '/rest/webhooks/1.0/webhook', body);
  assert.equal(r.status, 201);
  assert.equal(r.body.secret, undefined);
  assert.match(r.body.self, /\/rest\/webhooks\/1\.0\/webhook\/\d+$/);
  const other = await partner('POST', '/rest/webhooks/1.0/webhook', { ...body, name: 'labelled only', filters: { 'issue-related-events-section': 'labels = never-used' } });
  assert.equal(other.status, 201);
  const list = await partner('GET', '/rest/webhooks/1.0/webhook');
  assert.equal(list.body.length, 2);
  assert.ok(list.body.every((w: any) => !('secret' in w)));
  assert.equal((await partner('POST', '/rest/webhooks/1.0/webhook', { ...body, filters: { 'issue-related-events-section': 'project = ' } })).status, 400);
  const plain = jiraClient(cfg.local.url, basic(LOCAL_USER.email, LOCAL_USER.apiToken));
  assert.equal((await plain('GET', '/rest/webhooks/1.0/webhook')).status, 403);
});

test('webhook deliveries carry the Jira Cloud payload, a valid HMAC signature, and are retried after a failure', async () => {
  const key = await newPartnerIssue('Crash on save');
  await partner('PUT', `/rest/api/3/issue/${key}`, { fields: { priority: { name: 'Highest' } } });
  await partner('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
  await partner('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('On it') });
  await settle();
  const got = hooks.received.filter((r) => r.json?.issue?.key === key);
  const events = [...new Set(got.map((r) => `${r.json.webhookEvent}/${r.json.issue_event_type_name ?? ''}`))];
  assert.deepEqual(events, ['jira:issue_created/issue_created', 'jira:issue_updated/issue_updated', 'jira:issue_updated/issue_generic', 'comment_created/', 'jira:issue_updated/issue_commented']);
  assert.equal(got.length, 6, 'five deliveries plus one retry; the webhook filtered on labels got none');
  for (const r of got) {
    const expected = `sha256=${crypto.createHmac('sha256', SECRET).update(r.raw).digest('hex')}`;
    assert.equal(r.headers['x-hub-signature'], expected);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(r.headers['x-atlassian-webhook-identifier']);
  }
  const created = got[0].json;
  assert.equal(created.issue.fields.description, 'Crash on save details', 'admin webhooks carry the v2 (plain text) description');
  assert.equal(created.user.accountId, cfg.partner.admin.accountId);
  const prio = got.find((r) => r.json.issue_event_type_name === 'issue_updated')!.json;
  assert.deepEqual(prio.changelog.items[0], { field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '1', toString: 'Highest' });
  const comment = got.find((r) => r.json.webhookEvent === 'comment_created')!.json;
  assert.equal(comment.comment.body, 'On it');
  // The first delivery got a 500 and was retried with the same identifier.
  const firstId = hooks.received[0].headers['x-atlassian-webhook-identifier'];
  const again = hooks.received.filter((r) => r.headers['x-atlassian-webhook-identifier'] === firstId);
  assert.equal(again.length, 2);
  assert.equal(again[1].headers['x-atlassian-webhook-retry'], '1');
  assert.equal(again[1].raw, again[0].raw);
  const stats = jira.sites.partner.stats().webhooks;
  assert.equal(stats.retried, 1);
  assert.equal(stats.failed, 0);
  assert.equal(stats.delivered, got.length - 1);
});

test('local writes post Forge product events naming the acting account', async () => {
  host.received.length = 0;
  await asApp('PUT', '/rest/api/3/issue/ALOY-2', { fields: { summary: 'Synced summary' } });
  await asLocalUser('POST', '/rest/api/3/issue/ALOY-2/comment', { body: doc('Looks good') });
  const created = await local('POST', '/rest/api/3/issue', { fields: { project: { key: 'DAEMON' }, issuetype: { name: 'Bug' }, summary: 'Daemon crash' } });
  await local('DELETE', `/rest/api/3/issue/${created.body.key}`);
  await settle();
  const events = host.received.map((r) => r.json);
  assert.ok(host.received.every((r) => r.path === '/__sandbox/product-event'));
  assert.deepEqual(events.map((e) => e.eventType), ['avi:jira:updated:issue', 'avi:jira:commented:issue', 'avi:jira:created:issue', 'avi:jira:deleted:issue']);
  const [updated, commented, made] = events.map((e) => e.payload);
  assert.equal(updated.eventType, 'avi:jira:updated:issue');
  assert.equal(updated.atlassianId, cfg.appAccountId);
  assert.equal(updated.issue.key, 'ALOY-2');
  assert.equal(updated.issue.fields.summary, 'Synced summary');
  assert.deepEqual(updated.changelog.items.map((i: any) => i.fieldId), ['summary']);
  assert.equal(commented.atlassianId, LOCAL_USER.accountId);
  assert.equal(commented.comment.author.accountId, LOCAL_USER.accountId);
  assert.equal(commented.comment.body.type, 'doc');
  assert.equal(made.atlassianId, cfg.local.admin.accountId);
  assert.deepEqual(jira.sites.local.stats().events, { delivered: 4, failed: 0 });
  assert.deepEqual(await (await fetch(`${cfg.local.url}/__sandbox/idle`)).json(), { idle: true, pending: 0 });
});

test('the changelog records the acting user for app writes', async () => {
  const r = await local('GET', '/rest/api/3/issue/ALOY-2?expand=changelog&fields=updated');
  const last = r.body.changelog.histories.at(-1);
  assert.equal(last.author.accountId, cfg.appAccountId);
  assert.equal(last.author.accountType, 'app');
  assert.equal(last.author.displayName, 'Jira Task Sync');
});

test('stats count one PUT for one edit, by route template and by user', async () => {
  assert.equal((await fetch(`${cfg.local.url}/__sandbox/stats/reset`, { method: 'POST' })).status, 204);
  await asApp('PUT', '/rest/api/3/issue/ALOY-3', { fields: { labels: ['synced'] } });
  await asApp('GET', '/rest/api/3/issue/ALOY-3');
  const stats = await (await fetch(`${cfg.local.url}/__sandbox/stats`)).json();
  assert.deepEqual(stats.requests, { 'PUT /rest/api/3/issue/{issueIdOrKey}': 1, 'GET /rest/api/3/issue/{issueIdOrKey}': 1 });
  assert.deepEqual(stats.writes.byRoute, { 'PUT /rest/api/3/issue/{issueIdOrKey}': 1 });
  assert.deepEqual(stats.byUser, { [cfg.appAccountId]: 2 });
});

test('issues, edits and webhooks survive a restart', async () => {
  const key = await newPartnerIssue('Persist me');
  await asApp('PUT', '/rest/api/3/issue/ALOY-4', { fields: { summary: 'Edited before restart' } });
  await jira.close();
  jira = await startJiraEmulator({ cfg });
  assert.equal((await partner('GET', `/rest/api/3/issue/${key}`)).body.fields.summary, 'Persist me');
  assert.equal((await local('GET', '/rest/api/3/issue/ALOY-4?fields=summary')).body.fields.summary, 'Edited before restart');
  assert.equal((await partner('GET', '/rest/webhooks/1.0/webhook')).body.length, 2);
  const next = await newPartnerIssue('After restart');
  assert.equal(Number(next.split('-')[1]), Number(key.split('-')[1]) + 1, 'issue numbers continue after a restart');
});
