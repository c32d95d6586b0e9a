/**
 * Jira Cloud refuses a Forge app's product call when the manifest's `permissions.scopes` do not cover the operation
 * (the OpenAPI spec's `x-atlassian-oauth2-scopes`), and the sandbox's Forge host refuses it the same way
 * (sandbox/forge/scopes.ts). First a fixture app calling endpoints with and without their scopes, then the real app
 * started from a manifest that lacks `read:jira-user`: Save in project settings must fail as it would on a site.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { startForgeHost, type ForgeHost } from '../../sandbox/forge';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { defaultSettings } from '../../sandbox/start';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE_APP = path.join(ROOT, 'test/fixtures/forge-app');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scopes-'));
const cfg = sandboxConfig({ basePort: 19500, dataDir });
const admin = cfg.local.admin.accountId;
const logs: string[] = [];
let jira: JiraEmulator;
let host: ForgeHost | undefined;

const startHost = async (appDir: string) => {
  await host?.close();
  logs.length = 0;
  host = await startForgeHost({ cfg, appDir, fresh: true, log: (m) => logs.push(m) });
};

/** Calls a resolver through the bridge endpoint, as the Custom UI does; answers the HTTP status and body. */
async function invoke(moduleKey: string, functionKey: string, payload: unknown, context: Record<string, string>) {
  const res = await fetch(`${cfg.hostUrl}/bridge/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ moduleKey, functionKey, payload, context: { accountId: admin, ...context } }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const fixture = async (functionKey: string, payload: unknown = {}) => {
  const r = await invoke('fixture-scopes-panel', functionKey, payload, { issueKey: 'ALOY-1' });
  assert.equal(r.status, 200, `${functionKey} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.result;
};
const summaryOf = async (key: string) => {
  const auth = `Basic ${Buffer.from(`${cfg.local.admin.email}:${cfg.local.admin.apiToken}`).toString('base64')}`;
  const res = await fetch(`${cfg.local.url}/rest/api/3/issue/${key}?fields=summary`, { headers: { authorization: auth } });
  return ((await res.json()) as any).fields.summary as string;
};

const SCOPE_MISMATCH = { status: 401, failureCategory: 'FAILURE_CLIENT_SCOPE_CHECK', body: { code: 401, message: 'Unauthorized; scope does not match' } };

before(async () => {
  jira = await startJiraEmulator({ cfg, fresh: true, seed: true });
});

after(async () => {
  await host?.close();
  await jira?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a fixture app with read:jira-work but not write:jira-work', () => {
  before(async () => {
    await startHost(FIXTURE_APP);
  });

  test('a read its scopes cover reaches Jira', async () => {
    const read = await fixture('readIssueAsApp', { key: 'ALOY-1' });
    assert.equal(read.status, 200, JSON.stringify(read));
    assert.equal(read.body.key, 'ALOY-1');
  });

  test('an edit as the app is refused with the 401 Jira gives a token without write:jira-work, and changes nothing', async () => {
    const before = await summaryOf('ALOY-1');
    assert.deepEqual(await fixture('editIssueAsApp', { key: 'ALOY-1', summary: 'Edited without the scope' }), SCOPE_MISMATCH);
    assert.equal(await summaryOf('ALOY-1'), before);
    assert.ok(
      logs.some((l) => l.includes('scope check refused asApp PUT /rest/api/3/issue/{issueIdOrKey}') && l.includes('write:jira-work')),
      `host log names the operation and the missing scope:\n${logs.join('\n')}`,
    );
  });

  test('an edit as the user is refused the same way: consent grants the manifest scopes, no more', async () => {
    assert.deepEqual(await fixture('editIssueAsUser', { key: 'ALOY-1', summary: 'Edited as the user without the scope' }), SCOPE_MISMATCH);
  });

  test('a call to an operation the Jira REST API does not have is refused, with a host log line saying so', async () => {
    assert.deepEqual(await fixture('unknownOperation', { key: 'ALOY-1' }), SCOPE_MISMATCH);
    assert.ok(
      logs.some((l) => /scope check refused asApp GET \/rest\/api\/3\/issue\/ALOY-1\/no-such-resource: .*not an operation of the Jira Cloud REST API/.test(l)),
      logs.join('\n'),
    );
  });

  test('the host lists every operation called, with the scopes each accepts and whether it was allowed', async () => {
    const calls = host!.productCalls().calls;
    const edit = calls.find((c) => c.as === 'app' && c.method === 'PUT' && c.path === '/rest/api/3/issue/{issueIdOrKey}');
    assert.ok(edit, JSON.stringify(calls));
    assert.equal(edit.allowed, false);
    assert.deepEqual(edit.acceptedScopes[0], ['write:jira-work'], 'the classic scope is the Current group');
    const read = calls.find((c) => c.as === 'app' && c.method === 'GET' && c.path === '/rest/api/3/issue/{issueIdOrKey}');
    assert.equal(read?.allowed, true, JSON.stringify(calls));
  });
});

describe('the real app, deployed with a manifest that lacks read:jira-user', () => {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-without-read-jira-user-'));

  before(async () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8');
    const without = manifest.replace(/^\s*- read:jira-user\n/m, '');
    assert.notEqual(without, manifest, 'the real manifest requests read:jira-user');
    fs.writeFileSync(path.join(appDir, 'manifest.yml'), without);
    fs.symlinkSync(path.join(ROOT, 'src'), path.join(appDir, 'src'), 'dir');
    await startHost(appDir);
  });

  after(() => {
    fs.rmSync(appDir, { recursive: true, force: true });
  });

  test('Save in project settings fails with the scope error and saves nothing', async () => {
    const saved = await invoke('task-sync-settings', 'saveSettings', defaultSettings(cfg), { projectKey: 'ALOY' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.result.ok, false, `Save must fail without read:jira-user: ${JSON.stringify(saved.body.result)}`);
    assert.match(saved.body.result.error.message, /scope does not match/);
    assert.ok(logs.some((l) => l.includes('scope check refused asApp GET /rest/api/3/myself') && l.includes('read:jira-user')), logs.join('\n'));
    const now = await invoke('task-sync-settings', 'getSettings', {}, { projectKey: 'ALOY' });
    assert.equal(now.body.result.data.configured, false, 'nothing was saved');
  });
});
