/**
 * The manifest requests exactly the OAuth scopes the app's Jira calls need. The set is not typed out here: the app
 * runs a sync session through its real handlers (settings, opt-in, edits, status and comments both ways, pause,
 * sync now, reconcile, sync log, unlink), the sandbox's Forge host records every REST operation it called on the
 * local site as the app or as the user (sandbox/forge/scopes.ts), and the scopes each operation needs are read
 * from the OpenAPI spec's `x-atlassian-oauth2-scopes` (state `Current`, the classic scopes the manifest uses).
 * Partner calls go through `fetch` with an API token and need no Forge scope; KVS needs `storage:app`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import { parse } from 'yaml';
import { defaultSettings } from '../../sandbox/start';
import { adfParagraph, TestSandbox } from '../support/sandbox';

const ROOT = path.resolve(__dirname, '../..');
const spec = JSON.parse(fs.readFileSync(path.resolve(ROOT, '../shared/data/jira-platform-openapi-v3.json'), 'utf8'));
const manifestScopes: string[] = parse(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')).permissions.scopes;

const sb = new TestSandbox(19600);
const panel = async (fn: string, payload: unknown, issueKey: string) => {
  const res = await sb.invoke('task-sync-panel', fn, payload, { issueKey });
  assert.equal(res.ok, true, `${fn}: ${JSON.stringify(res.error)}`);
  return res.data;
};
const settings = async (fn: string, payload: unknown) => {
  const res = await sb.invoke('task-sync-settings', fn, payload, { projectKey: 'ALOY' });
  assert.equal(res.ok, true, `${fn}: ${JSON.stringify(res.error)}`);
  return res.data;
};
const ok = async (p: Promise<{ status: number; body: any }>) => {
  const r = await p;
  assert.ok(r.status < 300, `${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
};

/** The `Current` scopes of one spec operation. */
function currentScopes(method: string, template: string): string[] {
  const op = spec.paths[template]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${template} is in the spec`);
  return (op['x-atlassian-oauth2-scopes'] ?? []).filter((g: any) => g.state === 'Current').flatMap((g: any) => g.scopes);
}

before(async () => {
  await sb.start(); // links ALOY ↔ PARTNER through the app's own saveSettings
});
after(async () => {
  await sb.stop();
});

test('a whole sync session needs exactly the scopes the manifest requests, and none of its calls is refused', async () => {
  await settings('listConnections', {});
  await sb.invoke('task-sync-settings', 'testConnection', defaultSettings(sb.cfg), { projectKey: 'ALOY' });

  const partnerKey = (await panel('enableSync', { confirmed: true }, 'ALOY-41')).link.partnerIssueKey;
  await sb.idle();
  await ok(sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-41', { fields: { summary: 'Local edit for the scope inventory' } }));
  await sb.idle();
  await ok(sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Partner edit for the scope inventory', labels: ['scopes'] } }));
  await sb.idle();
  await sb.transition('partner', partnerKey, 'Open'); // ALOY-41 is Closed, so its partner copy is too
  await sb.idle();
  const remote = await ok(sb.rest('partner', 'POST', `/rest/api/3/issue/${partnerKey}/comment`, { body: adfParagraph('Partner comment') }));
  await sb.idle();
  await ok(sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}/comment/${remote.id}`, { body: adfParagraph('Partner comment, edited') }));
  await sb.idle();
  await ok(sb.rest('partner', 'DELETE', `/rest/api/3/issue/${partnerKey}/comment/${remote.id}`));
  await sb.idle();
  const mine = await ok(sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-41/comment', { body: adfParagraph('Local comment') }));
  await sb.idle();
  await ok(sb.rest('local', 'DELETE', `/rest/api/3/issue/ALOY-41/comment/${mine.id}`));
  await panel('syncNow', {}, 'ALOY-41');
  await panel('setSyncPaused', { paused: true }, 'ALOY-41');
  await panel('setSyncPaused', { paused: false }, 'ALOY-41');
  await sb.idle();
  await sb.reconcile();
  await sb.idle();
  await settings('getSyncLog', { limit: 50 });
  await settings('getFailedLinks', {});
  await sb.invoke('task-sync-glance', 'getIssueSync', {}, { issueKey: 'ALOY-41' });
  await panel('unlinkIssue', { confirmed: true }, 'ALOY-41');
  await sb.idle();

  const { calls, grantedScopes } = await sb.productCalls();
  const table = calls.map((c) => `${c.as} ${c.method} ${c.path} ×${c.count} → ${currentScopes(c.method, c.path).join(' ')}`).join('\n');
  assert.deepEqual(calls.filter((c) => !c.allowed), [], `refused calls:\n${table}`);
  assert.ok(calls.some((c) => c.as === 'user'), `permission checks run as the user:\n${table}`);
  const needed = new Set(calls.flatMap((c) => currentScopes(c.method, c.path)));
  const requested = new Set(manifestScopes.filter((s) => s !== 'storage:app'));
  assert.deepEqual([...requested].sort(), [...needed].sort(), `the manifest's REST scopes must be exactly what the calls need:\n${table}`);
  assert.ok(manifestScopes.includes('storage:app'), 'KVS (settings, links, sync log) needs storage:app');
  assert.deepEqual([...grantedScopes].sort(), [...manifestScopes].sort(), "the host grants the manifest's scopes");
  console.log(`Jira REST operations the app called (caller, method, path, count → Current scopes):\n${table}`);
});
