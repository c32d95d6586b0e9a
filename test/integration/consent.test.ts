/**
 * A user who has not yet allowed a Forge app to act for them: the app's `asUser()` calls fail with `@forge/api`'s
 * `NeedsAuthenticationError`, and a resolver that lets it reach Forge gets the user the consent prompt ("Allow
 * access") instead of an answer. Swallowing it (answering `internal`) is a dead end. Both the fixture app (a
 * resolver calling `asUser()` with no try/catch) and the real app (every resolver checks the caller's permissions
 * with `asUser()` mypermissions) are driven through `/bridge/invoke` (sandbox/forge/consent.ts, routes.ts).
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { FIXTURE_APP, HostBench, ROOT } from '../support/host-bench';

const bench = new HostBench(19700);
const admin = bench.cfg.local.admin.accountId;

/** What the bridge receives when Forge asks the user for consent instead of answering. */
const CONSENT_REQUIRED = { code: 'NEEDS_AUTHENTICATION_ERR', consentRequired: true };

const setConsent = async (accountId: unknown, consented: unknown) =>
  fetch(`${bench.cfg.hostUrl}/__sandbox/consent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId, consented }) });

before(async () => {
  await bench.start();
});

after(async () => {
  await bench.close();
});

describe('the fixture app', () => {
  before(async () => {
    await bench.use(FIXTURE_APP);
  });

  test('asUser() works for a user who has allowed access', async () => {
    const r = await bench.invoke('fixture-scopes-panel', 'myselfAsUser', {}, { issueKey: 'ALOY-1' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.result.accountId, admin);
  });

  test('a user who has not consented gets the consent prompt, not an app error, and access works once allowed', async () => {
    assert.equal((await setConsent(admin, false)).status, 204);
    const refused = await bench.invoke('fixture-scopes-panel', 'myselfAsUser', {}, { issueKey: 'ALOY-1' });
    assert.equal(refused.status, 401, JSON.stringify(refused.body));
    assert.deepEqual({ code: refused.body.error.code, consentRequired: refused.body.error.consentRequired }, CONSENT_REQUIRED);
    assert.ok(bench.logs.some((l) => l.includes(`asUser() for ${admin}, who has not allowed the app access`)), bench.logs.join('\n'));
    assert.ok(bench.logs.some((l) => /resolver fixture-scopes-panel → scopes-resolver error .*Authentication Required/.test(l)), 'the resolver threw NeedsAuthenticationError');

    assert.equal((await setConsent(admin, true)).status, 204);
    const allowed = await bench.invoke('fixture-scopes-panel', 'myselfAsUser', {}, { issueKey: 'ALOY-1' });
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
  });

  test('a malformed consent request is refused and changes nothing', async () => {
    assert.equal((await setConsent('', false)).status, 400);
    assert.equal((await setConsent(admin, 'no')).status, 400);
    const still = await bench.invoke('fixture-scopes-panel', 'myselfAsUser', {}, { issueKey: 'ALOY-1' });
    assert.equal(still.status, 200, JSON.stringify(still.body));
  });
});

describe('the real app', () => {
  before(async () => {
    await bench.use(ROOT);
  });

  test('project settings ask an admin who has not consented to allow access, instead of failing with "internal"', async () => {
    await bench.host.setConsent(admin, false);
    const refused = await bench.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.equal(refused.status, 401, `expected the consent outcome, got ${refused.status}: ${JSON.stringify(refused.body)}`);
    assert.deepEqual({ code: refused.body.error.code, consentRequired: refused.body.error.consentRequired }, CONSENT_REQUIRED);

    await bench.host.setConsent(admin, true);
    const allowed = await bench.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.equal(allowed.body.result.ok, true, JSON.stringify(allowed.body.result));
  });

  test('the issue panel asks for consent too, and other users are not affected', async () => {
    const user = 'user-without-consent';
    await bench.host.setConsent(user, false);
    const refused = await bench.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-1', accountId: user });
    assert.equal(refused.status, 401, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'NEEDS_AUTHENTICATION_ERR');
    const other = await bench.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-1' });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    assert.equal(other.body.result.ok, true, JSON.stringify(other.body.result));
  });
});
