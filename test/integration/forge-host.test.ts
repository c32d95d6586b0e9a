/**
 * The local Forge host runs a real Forge app (test/fixtures/forge-app, on the real @forge packages) against small
 * stand-ins for the two Jira sites, and everything is checked over HTTP as the sandbox and the UI use it.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import fastify, { type FastifyInstance } from 'fastify';
import { sandboxConfig } from '../../sandbox/config';
import { startForgeHost, type ForgeHost } from '../../sandbox/forge';
import { FIXTURE_APP_DIR } from '../support/forge-host';

const APP_DIR = FIXTURE_APP_DIR;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-host-'));
const cfg = sandboxConfig({ basePort: Number(process.env.FORGE_HOST_TEST_PORT ?? 17300), dataDir });
const logs: string[] = [];
const seenAuth: string[] = [];
let siteBusy = false;
let host: ForgeHost;
let local: FastifyInstance;
let partner: FastifyInstance;

const start = (fresh: boolean) => startForgeHost({ cfg, appDir: APP_DIR, fresh, log: (m) => logs.push(m) });

/** Calls a fixture resolver through the bridge endpoint, as the Custom UI does. */
async function invoke(functionKey: string, payload: unknown = {}, opts: { moduleKey?: string; context?: object } = {}) {
  const res = await fetch(`${cfg.hostUrl}/bridge/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      moduleKey: opts.moduleKey ?? 'fixture-panel',
      functionKey,
      payload,
      context: opts.context ?? { accountId: 'user-alice', issueKey: 'LOC-7' },
    }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const result = async (functionKey: string, payload: unknown = {}) => {
  const r = await invoke(functionKey, payload);
  assert.equal(r.status, 200, `resolver ${functionKey} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.result;
};
const productEvent = (eventType: string, payload: object) =>
  fetch(`${cfg.hostUrl}/__sandbox/product-event`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ eventType, payload }) });

before(async () => {
  local = fastify();
  local.addHook('onRequest', async (req) => void seenAuth.push(String(req.headers.authorization)));
  local.get('/rest/api/3/issue/:key', async (req, reply) => {
    const key = (req.params as { key: string }).key;
    if (key === 'NOPE-1') return reply.code(404).send({ errorMessages: ['Issue does not exist'] });
    return { id: '10071', key, fields: { project: { id: '10000', key: 'LOC', projectTypeKey: 'software' }, issuetype: { id: '10002', name: 'Task' } } };
  });
  local.get('/rest/api/3/project/:key', async (req) => ({ id: '10000', key: (req.params as { key: string }).key, projectTypeKey: 'software' }));
  local.get('/rest/api/3/myself', async (req) => ({ authorization: req.headers.authorization }));
  local.get('/__sandbox/idle', async () => ({ idle: !siteBusy }));
  await local.listen({ host: '127.0.0.1', port: cfg.local.port });
  partner = fastify();
  partner.get('/rest/api/3/serverInfo', async (req) => ({ baseUrl: `https://${req.headers['x-forwarded-host']}`, authorization: req.headers.authorization }));
  await partner.listen({ host: '127.0.0.1', port: cfg.partner.port });
  host = await start(true);
});

after(async () => {
  await host?.close();
  await local?.close();
  await partner?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a resolver called through /bridge/invoke gets the context Forge gives a Custom UI resolver', async () => {
  const { context, appContextModuleKey } = await result('whoami');
  assert.equal(context.accountId, 'user-alice');
  assert.equal(context.cloudId, cfg.local.cloudId);
  assert.equal(context.moduleKey, 'fixture-panel');
  assert.equal(context.siteUrl, 'https://local.atlassian.net');
  assert.equal(context.installContext, `ari:cloud:jira::site/${cfg.local.cloudId}`);
  assert.match(context.localId, /^ari:cloud:ecosystem::extension\/0f1e2d3c-4b5a-4697-8877-665544332211\//);
  assert.deepEqual(context.extension, {
    type: 'jira:issuePanel',
    issue: { id: '10071', key: 'LOC-7', type: 'Task', typeId: '10002' },
    project: { id: '10000', key: 'LOC', type: 'software' },
  });
  assert.equal(appContextModuleKey, 'fixture-panel', 'getAppContext() sees the invoking module');

  const settings = await invoke('whoami', {}, { moduleKey: 'fixture-settings', context: { accountId: 'user-alice', projectKey: 'LOC' } });
  assert.deepEqual(settings.body.result.context.extension, { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'LOC', type: 'software' } });
});

test('a resolver error comes back as {error:{message}} with 500, unknown modules and functions with 400', async () => {
  assert.deepEqual(await invoke('boom'), { status: 500, body: { error: { message: 'boom from the fixture' } } });
  assert.equal((await invoke('noSuchFunction')).status, 400);
  assert.equal((await invoke('whoami', {}, { moduleKey: 'no-such-module' })).status, 400);
  assert.equal((await invoke('whoami', {}, { context: { accountId: 'user-alice', issueKey: 'NOPE-1' } })).status, 404);
});

test('asApp() calls reach the local site with the app token, asUser() with the invoking user', async () => {
  seenAuth.length = 0;
  const issue = await result('readIssue', { key: 'LOC-7' });
  assert.equal(issue.status, 200);
  assert.equal(issue.body.key, 'LOC-7');
  assert.ok(seenAuth.includes(`Bearer ${cfg.appToken}`), `local site saw ${seenAuth.join(', ')}`);
  assert.deepEqual(await result('myself'), { authorization: 'Bearer forge-user:user-alice' });
});

test('egress to https://partner.atlassian.net reaches the partner site while https://example.com is refused', async () => {
  assert.deepEqual(await result('fetchPartner'), {
    status: 200,
    body: { baseUrl: 'https://partner.atlassian.net', authorization: 'Basic cGFydG5lcg==' },
  });
  const refused = await result('fetchGlobal', { url: 'https://example.com/' });
  assert.equal(refused.error?.name, 'REQUEST_EGRESS_ALLOWLIST_ERR', JSON.stringify(refused));
  const loopback = await fetch(`${cfg.local.url}/rest/api/3/project/LOC`);
  assert.equal(loopback.status, 200, 'the host and tests still reach loopback');
  await loopback.body?.cancel();
});

test('KVS set, get, FAIL_IF_EXISTS, limits and TTL behave like Forge', async () => {
  assert.deepEqual(await result('kvsSet', { key: 'settings:LOC', value: { partner: 'https://partner.atlassian.net' } }), { ok: true });
  assert.deepEqual(await result('kvsGet', { key: 'settings:LOC' }), { value: { partner: 'https://partner.atlassian.net' } });
  assert.deepEqual(await result('kvsGet', { key: 'settings:none' }), { value: null });
  assert.deepEqual(await result('claim', { key: 'lock:LOC-7', by: 1 }), { claimed: true });
  const second = await result('claim', { key: 'lock:LOC-7', by: 2 });
  assert.equal(second.claimed, false);
  assert.equal(second.error.code, 'KEY_CONFLICT');
  assert.equal(second.error.status, 409);
  assert.deepEqual(await result('kvsGet', { key: 'lock:LOC-7' }), { value: { by: 1 } }, 'the first claim is kept');

  const long = await result('kvsSet', { key: 'k'.repeat(501), value: 1 });
  assert.equal(long.error.code, 'KEY_TOO_LONG');
  const big = await result('kvsSet', { key: 'big', value: 'x'.repeat(240 * 1024) });
  assert.equal(big.error.code, 'MAX_SIZE');
  assert.equal((await result('kvsSet', { key: 'bad/key', value: 1 })).error.code, 'INVALID_KEY');

  await result('kvsSet', { key: 'lease:1', value: 'mine', options: { ttl: { value: 1, unit: 'SECONDS' } } });
  assert.deepEqual(await result('kvsGet', { key: 'lease:1' }), { value: 'mine' });
  await new Promise((r) => setTimeout(r, 1100));
  assert.deepEqual(await result('kvsGet', { key: 'lease:1' }), { value: null }, 'expired after its ttl');
});

test('KVS query pages through a key prefix in key order with a cursor', async () => {
  for (let i = 25; i >= 1; i--) await result('kvsSet', { key: `link:${String(i).padStart(2, '0')}`, value: i });
  await result('kvsSet', { key: 'linkage', value: 'not in the prefix' });
  const keys: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await result('kvsQuery', { prefix: 'link:', limit: 10, cursor });
    keys.push(...page.results.map((r: { key: string }) => r.key));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(keys, Array.from({ length: 25 }, (_, i) => `link:${String(i + 1).padStart(2, '0')}`));
  const tooMany = await result('kvsQuery', { prefix: 'link:', limit: 21 });
  assert.equal(tooMany.error?.status, 400, 'a page holds at most 20');
});

test('a pushed event runs the consumer, and an InvocationError retry comes after its retryAfter', async () => {
  const { jobId } = await result('push', { events: [{ body: { id: 'retry-once', failTimes: 1 } }] });
  assert.ok(jobId);
  await host.waitIdle(10_000);
  const runs = (await result('kvsGet', { key: 'job:retry-once' })).value;
  assert.equal(runs.length, 2, `ran ${runs.length} times`);
  assert.equal(runs[0].retryContext, null);
  assert.equal(runs[0].queueName, 'fixture-jobs');
  assert.equal(runs[0].jobId, jobId);
  assert.deepEqual(runs[1].retryContext, { retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { attempt: 1 } });
  assert.ok(runs[1].at - runs[0].at >= 950, `retried after ${runs[1].at - runs[0].at} ms, want ≥ 1 s`);
  assert.deepEqual(await result('jobStats', { jobId }), { success: 1, inProgress: 0, failed: 0 });
});

test('a push over 50 events is refused like Forge', async () => {
  const events = Array.from({ length: 51 }, (_, i) => ({ body: { id: `many-${i}` } }));
  const r = await result('push', { events });
  assert.match(r.error?.message ?? '', /more than the 50 events/);
  const publish = await (globalThis as any).__forge_fetch__({ type: 'fpp', provider: 'app', remote: 'stargate' }, '/webhook/queue/publish/x/y/z/1', {
    method: 'POST',
    body: JSON.stringify({ queueName: 'fixture-jobs', jobId: 'big', payload: [{ body: { blob: 'x'.repeat(201 * 1024) } }] }),
  });
  assert.equal(publish.status, 413, 'the platform side enforces 200 KB too');
});

test('a product event reaches the trigger, but an event made by the app itself is skipped (ignoreSelf)', async () => {
  const res = await productEvent('avi:jira:updated:issue', { issue: { id: '10071', key: 'LOC-7' }, atlassianId: 'user-alice', changelog: { items: [] } });
  assert.equal(res.status, 202);
  await host.waitIdle(5_000);
  const got = (await result('kvsGet', { key: 'event:LOC-7:avi:jira:updated:issue' })).value;
  assert.ok(got, 'the trigger ran');
  assert.equal(got.event.eventType, 'avi:jira:updated:issue');
  assert.equal(got.event.atlassianId, 'user-alice');
  assert.equal(got.event.context.moduleKey, 'fixture-events');
  assert.equal(got.context.installContext, `ari:cloud:jira::site/${cfg.local.cloudId}`);

  await productEvent('avi:jira:updated:issue', { issue: { id: '10072', key: 'LOC-8' }, atlassianId: cfg.appAccountId });
  await productEvent('avi:jira:created:issue', { issue: { id: '10073', key: 'LOC-9' }, atlassianId: 'user-alice' });
  await host.waitIdle(5_000);
  assert.deepEqual(await result('kvsGet', { key: 'event:LOC-8:avi:jira:updated:issue' }), { value: null }, 'own event skipped');
  assert.deepEqual(await result('kvsGet', { key: 'event:LOC-9:avi:jira:created:issue' }), { value: null }, 'unsubscribed event ignored');
  assert.ok(logs.some((l) => /skipped avi:jira:updated:issue \(ignoreSelf/.test(l)));
});

test('a web trigger receives the raw body, headers and query, and its response goes back to the caller', async () => {
  await result('setSecret', { key: 'webhook-secret', value: 's3cret' });
  const url = (await result('webTriggerUrl')).url;
  assert.equal(url, host.webTriggerUrl('fixture-webhook'));
  assert.match(url, new RegExp(`^${cfg.hostUrl}/x/[0-9a-f-]{36}$`));
  const body = '{"webhookEvent": "jira:issue_updated",  "issue" : {"key":"PARTNER-3"}}\n';
  const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
  const res = await fetch(`${url}?via=test&via=twice`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature': sig }, body });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-fixture'), 'yes');
  assert.deepEqual(await res.json(), { ok: true });
  const { request, context } = (await result('kvsGet', { key: 'webhook:last' })).value;
  assert.equal(request.body, body, 'body byte-for-byte');
  assert.equal(request.method, 'POST');
  assert.deepEqual(request.headers['X-Hub-Signature'], [sig], 'header names as sent');
  assert.deepEqual(request.queryParameters, { via: ['test', 'twice'] });
  assert.equal(request.context.moduleKey, 'fixture-webhook');
  assert.equal(context.installContext, `ari:cloud:jira::site/${cfg.local.cloudId}`);

  const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature': sig }, body: body.trim() });
  assert.equal(forged.status, 401, 'a changed body fails the signature');
  await forged.body?.cancel();
  const unknown = await fetch(`${cfg.hostUrl}/x/not-a-trigger`, { method: 'POST' });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

test('a consumer running over its timeoutSeconds is cut off', async () => {
  const started = Date.now();
  await invoke('pushShort', { events: [{ body: { id: 'cut', sleepMs: 2500 } }] }, { moduleKey: 'fixture-limits-panel' });
  while (!logs.some((l) => /fixture-short-consumer → short-job timed out/.test(l)) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
  assert.ok(logs.some((l) => /fixture-short-consumer → short-job timed out/.test(l)), 'cut off');
  assert.ok(Date.now() - started < 2000, 'at its 1 s limit, not when the handler finished');
  await new Promise((r) => setTimeout(r, 1800));
  await host.waitIdle(10_000);
  // The retry (which does not sleep) wrote retryCount 1; the abandoned first attempt's later write was refused.
  assert.deepEqual(await result('kvsGet', { key: 'short:cut:done' }), { value: { retryCount: 1 } }, 'the abandoned invocation can no longer write');
});

test('idle reports false while a consumer runs or a site has pending deliveries', async () => {
  await result('push', { events: [{ body: { id: 'slow-job', sleepMs: 600 } }] });
  const busy = (await (await fetch(`${cfg.hostUrl}/__sandbox/idle`)).json()) as { idle: boolean };
  assert.equal(busy.idle, false);
  await host.waitIdle(5_000);
  assert.equal(await host.idle(), true);
  siteBusy = true;
  assert.equal(await host.idle(), false, 'the local site still has undelivered events');
  siteBusy = false;
  assert.equal(await host.idle(), true);
});

test('scheduled triggers run on /__sandbox/reconcile with Forge’s request shape', async () => {
  const res = await fetch(`${cfg.hostUrl}/__sandbox/reconcile`, { method: 'POST' });
  assert.deepEqual(await res.json(), { ran: ['fixture-schedule'] });
  const { request, context } = (await result('kvsGet', { key: 'scheduled:last' })).value;
  assert.deepEqual(request.context, { cloudId: cfg.local.cloudId, moduleKey: 'fixture-schedule' });
  assert.equal(typeof request.contextToken, 'string');
  assert.equal(context.installContext, `ari:cloud:jira::site/${cfg.local.cloudId}`);
});

test('KVS values and secrets persist across a host restart; fresh wipes them', async () => {
  await result('setSecret', { key: 'api-token', value: 'tok-123' });
  await host.close();
  host = await start(false);
  assert.deepEqual(await result('kvsGet', { key: 'settings:LOC' }), { value: { partner: 'https://partner.atlassian.net' } });
  assert.deepEqual(await result('getSecret', { key: 'api-token' }), { value: 'tok-123' });
  const page = await result('kvsQuery', { prefix: 'api', limit: 5 });
  assert.deepEqual(page.results, [], 'secrets are not visible to query');
  await host.close();
  host = await start(true);
  assert.deepEqual(await result('kvsGet', { key: 'settings:LOC' }), { value: null });
});

test('scheduled triggers also run on their own at reconcileIntervalMs', async () => {
  await host.close();
  host = await startForgeHost({ cfg, appDir: APP_DIR, fresh: true, reconcileIntervalMs: 150, log: (m) => logs.push(m) });
  const until = Date.now() + 3000;
  let got = null;
  while (!got && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    got = (await result('kvsGet', { key: 'scheduled:last' })).value;
  }
  assert.ok(got, 'the scheduled trigger ran within 3 s at a 150 ms interval');
});
