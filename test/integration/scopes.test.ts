/**
 * Jira Cloud refuses a Forge app's product call when the manifest's `permissions.scopes` do not cover the operation
 * (the OpenAPI spec's `x-atlassian-oauth2-scopes`), and the sandbox's Forge host refuses it the same way
 * (sandbox/forge/scopes.ts). First a fixture app calling endpoints with and without their scopes, then the real app
 * started from a manifest that lacks `read:jira-user`: Save in project settings must fail as it would on a site.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { defaultSettings } from '../../sandbox/start';
import { FIXTURE_APP, HostBench } from '../support/host-bench';

const bench = new HostBench(19500);

const fixture = async (functionKey: string, payload: unknown = {}) => {
  const r = await bench.invoke('fixture-scopes-panel', functionKey, payload, { issueKey: 'ALOY-1' });
  assert.equal(r.status, 200, `${functionKey} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.result;
};
const summaryOf = async (key: string) => (await bench.localRest('GET', `/rest/api/3/issue/${key}?fields=summary`)).fields.summary as string;

const SCOPE_MISMATCH = { status: 401, failureCategory: 'FAILURE_CLIENT_SCOPE_CHECK', body: { code: 401, message: 'Unauthorized; scope does not match' } };

before(async () => {
  await bench.start();
});

after(async () => {
  await bench.close();
});

describe('a fixture app with read:jira-work but not write:jira-work', () => {
  before(async () => {
    await bench.use(FIXTURE_APP);
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
      bench.logs.some((l) => l.includes('scope check refused asApp PUT /rest/api/3/issue/{issueIdOrKey}') && l.includes('write:jira-work')),
      `host log names the operation and the missing scope:\n${bench.logs.join('\n')}`,
    );
  });

  test('an edit as the user is refused the same way: consent grants the manifest scopes, no more', async () => {
    assert.deepEqual(await fixture('editIssueAsUser', { key: 'ALOY-1', summary: 'Edited as the user without the scope' }), SCOPE_MISMATCH);
  });

  test('a call to an operation the Jira REST API does not have is refused, with a host log line saying so', async () => {
    assert.deepEqual(await fixture('unknownOperation', { key: 'ALOY-1' }), SCOPE_MISMATCH);
    assert.ok(
      bench.logs.some((l) => /scope check refused asApp GET \/rest\/api\/3\/issue\/ALOY-1\/no-such-resource: .*not an operation of the Jira Cloud REST API/.test(l)),
      bench.logs.join('\n'),
    );
  });

  test('the host lists every operation called, with the scopes each accepts and whether it was allowed', async () => {
    const calls = bench.host.productCalls().calls;
    const edit = calls.find((c) => c.as === 'app' && c.method === 'PUT' && c.path === '/rest/api/3/issue/{issueIdOrKey}');
    assert.ok(edit, JSON.stringify(calls));
    assert.equal(edit.allowed, false);
    assert.deepEqual(edit.acceptedScopes[0], ['write:jira-work'], 'the classic scope is the Current group');
    const read = calls.find((c) => c.as === 'app' && c.method === 'GET' && c.path === '/rest/api/3/issue/{issueIdOrKey}');
    assert.equal(read?.allowed, true, JSON.stringify(calls));
  });
});

describe('a fixture app granted the granular scopes of an operation instead of its classic one', () => {
  // GET /rest/api/3/issue/{issueIdOrKey}: Current group [read:jira-work], Beta group of granular scopes.
  const GRANULAR = ['read:issue-meta:jira', 'read:issue-security-level:jira', 'read:issue.vote:jira', 'read:issue.changelog:jira', 'read:avatar:jira', 'read:issue:jira', 'read:status:jira', 'read:user:jira', 'read:field-configuration:jira'];
  const granted = (scopes: string[]) => (m: string) => m.replace(/^\s*- read:jira-work\n/m, scopes.map((s) => `    - ${s}\n`).join(''));

  test('the whole granular group is accepted, as Forge accepts either group', async () => {
    await bench.use(bench.appWithManifest(granted(GRANULAR), FIXTURE_APP));
    const read = await fixture('readIssueAsApp', { key: 'ALOY-1' });
    assert.equal(read.status, 200, JSON.stringify(read));
  });

  test('part of the granular group is not enough', async () => {
    await bench.use(bench.appWithManifest(granted(GRANULAR.filter((s) => s !== 'read:issue:jira')), FIXTURE_APP));
    assert.deepEqual(await fixture('readIssueAsApp', { key: 'ALOY-1' }), SCOPE_MISMATCH);
  });
});

describe('the real app, deployed with a manifest that lacks read:jira-user', () => {
  before(async () => {
    await bench.use(bench.appWithManifest((m) => m.replace(/^\s*- read:jira-user\n/m, '')));
  });

  test('Save in project settings fails with the scope error and saves nothing', async () => {
    const saved = await bench.invoke('task-sync-settings', 'saveConnection', defaultSettings(bench.cfg), { projectKey: 'ALOY' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.result.ok, false, `Save must fail without read:jira-user: ${JSON.stringify(saved.body.result)}`);
    assert.match(saved.body.result.error.message, /scope does not match/);
    assert.match(saved.body.result.error.message, /manifest lacks the scope .*forge deploy/, 'the admin is told to deploy, not to change the partner token');
    assert.doesNotMatch(saved.body.result.error.message, /API token/);
    assert.ok(bench.logs.some((l) => l.includes('scope check refused asApp GET /rest/api/3/myself') && l.includes('read:jira-user')), bench.logs.join('\n'));
    const now = await bench.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.deepEqual(now.body.result.data.connections, [], 'nothing was saved');
  });
});
