/**
 * The local Forge host refuses what Forge refuses: each module kind's time limit whatever the manifest says,
 * `invoke` request and response sizes, web-trigger header names as sent, product events delivered late and out of
 * order and retried on an InvocationError. Runs the fixture app (test/fixtures/forge-app/src/limits.ts) on a manual
 * clock against a small stand-in for the local site, everything checked over HTTP.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sandboxConfig } from '../../sandbox/config';
import { startForgeHost, type ForgeHost } from '../../sandbox/forge';
import { FIXTURE_APP_DIR, hostCaller, startLocalStandIn } from '../support/forge-host';
import { invocationLimitSeconds } from '../../sandbox/forge/limits';
import { loadManifest } from '../../sandbox/forge/manifest';

const APP_DIR = FIXTURE_APP_DIR;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-host-limits-'));
const cfg = sandboxConfig({ basePort: Number(process.env.FORGE_HOST_LIMITS_TEST_PORT ?? 17360), dataDir });
const logs: string[] = [];
let host: ForgeHost;
let local: FastifyInstance;

const call = hostCaller(cfg);
const invoke = (functionKey: string, payload: unknown = {}, moduleKey = 'fixture-limits-panel') =>
  call('POST', '/bridge/invoke', { moduleKey, functionKey, payload, context: { accountId: 'user-alice', projectKey: 'LOC' } });
const result = async (functionKey: string, payload: unknown = {}, moduleKey?: string) => {
  const r = await invoke(functionKey, payload, moduleKey);
  assert.equal(r.status, 200, `resolver ${functionKey} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.result;
};
const kvsGet = async (key: string) => (await result('get', { key })).value;
const productEvent = (eventType: string, payload: object) => call('POST', '/__sandbox/product-event', { eventType, payload });

before(async () => {
  local = await startLocalStandIn(cfg);
  host = await startForgeHost({ cfg, appDir: APP_DIR, fresh: true, clock: 'manual', log: (m) => logs.push(m) });
});

after(async () => {
  await host?.close();
  await local?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('each module kind gets its own time limit, and timeoutSeconds counts only for consumers and scheduled triggers', () => {
  const m = loadManifest(APP_DIR);
  const fn = (key: string) => m.functions.get(key)!;
  assert.equal(invocationLimitSeconds('resolver', fn('limits-resolver')), 25, 'a resolver claiming 900 s still gets 25 s');
  assert.equal(invocationLimitSeconds('resolver', fn('slow-resolver')), 25, 'nor does a resolver get a smaller timeoutSeconds');
  assert.equal(invocationLimitSeconds('trigger', fn('on-event')), 25);
  assert.equal(invocationLimitSeconds('webtrigger', fn('on-webhook')), 55);
  assert.equal(invocationLimitSeconds('consumer', fn('job')), 900);
  assert.equal(invocationLimitSeconds('consumer', fn('short-job')), 1);
  assert.equal(invocationLimitSeconds('scheduled', fn('scheduled')), 55, 'no timeoutSeconds: Forge’s default of 55 s');
  assert.equal(invocationLimitSeconds('consumer', { ...fn('job'), timeoutSeconds: 3600 }), 900, 'capped at 900 s');
  assert.ok(logs.some((l) => /function limits-resolver sets timeoutSeconds: 900, which Forge allows only on consumer and scheduledTrigger/.test(l)), 'the host says what forge lint would');
});

/** POSTs `body` with node:http on a connection of its own (names of `headers` go on the wire as written). */
function rawPost(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts `start()` and waits until the fixture's `limits:<id>` shows it running; `pending` is what `start` returned. */
async function running<T>(id: string, start: () => Promise<T>): Promise<{ pending: Promise<T> }> {
  const pending = start();
  const until = Date.now() + 5_000;
  while (!(await kvsGet(`limits:${id}`)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(await kvsGet(`limits:${id}`), `${id} started`);
  return { pending };
}
const timedOut = (re: RegExp) => logs.some((l) => re.test(l));

test('a resolver that runs past 25 s is cut off even though its manifest says 900 s', async () => {
  const { pending } = await running('spin', () => invoke('runPastLimit', { id: 'spin' }));
  const advanced = call('POST', '/__sandbox/clock', { advanceMs: 24_000 });
  assert.equal((await advanced).status, 200);
  assert.equal(await Promise.race([pending.then(() => 'answered'), new Promise((r) => setTimeout(() => r('running'), 200))]), 'running', 'still running at 24 s');
  assert.equal((await call('POST', '/__sandbox/clock', { advanceMs: 2_000 })).status, 200);
  const r = await pending;
  assert.equal(r.status, 504);
  assert.match(r.body.error.message, /timed out after 25 s \(Forge's time limit for a resolver invocation\)/);
  assert.ok(logs.some((l) => /resolver fixture-limits-panel → limits-resolver timed out/.test(l)));
  const last = await kvsGet('limits:spin');
  await new Promise((res) => setTimeout(res, 150));
  assert.deepEqual(await kvsGet('limits:spin'), last, 'the cut-off invocation can no longer write');
});

test('a web trigger that runs past 55 s is cut off with 504 even though its manifest says 900 s', async () => {
  const { pending: reply } = await running('hook', () => rawPost(new URL(`${host.webTriggerUrl('fixture-slow-webhook')}?id=hook`), {}, '{}'));
  assert.equal((await call('POST', '/__sandbox/clock', { advanceMs: 54_000 })).status, 200);
  assert.ok(!timedOut(/webtrigger fixture-slow-webhook → spin-webhook timed out/), 'still running at 54 s');
  assert.equal((await call('POST', '/__sandbox/clock', { advanceMs: 2_000 })).status, 200);
  assert.equal((await reply).status, 504);
  assert.ok(timedOut(/webtrigger fixture-slow-webhook → spin-webhook timed out/));
});

test('a product-event trigger that runs past 25 s is cut off even though its manifest says 900 s', async () => {
  await running('LOC-25', () => productEvent('avi:jira:assigned:issue', { issue: { id: '25', key: 'LOC-25' }, atlassianId: 'user-alice' }));
  assert.equal((await call('POST', '/__sandbox/clock', { advanceMs: 24_000 })).status, 200);
  assert.ok(!timedOut(/trigger fixture-slow-events → spin-event timed out/), 'still running at 24 s');
  assert.equal((await call('POST', '/__sandbox/clock', { advanceMs: 2_000 })).status, 200);
  assert.ok(timedOut(/trigger fixture-slow-events → spin-event timed out/));
  await host.waitIdle(5_000);
});

test('a consumer whose timeoutSeconds is 1 is cut off after 1 s of real time, and the event is retried', async () => {
  await result('pushShort', { events: [{ body: { id: 'slow', sleepMs: 1_500 } }] });
  const until = Date.now() + 5_000;
  while (!logs.some((l) => /consumer fixture-short-consumer → short-job timed out/.test(l)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.ok(logs.some((l) => /consumer fixture-short-consumer → short-job timed out after/.test(l)), 'cut off at its own 1 s');
  assert.equal(await kvsGet('short:slow:started'), true);
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(await kvsGet('short:slow:done'), null, 'the abandoned invocation could not finish its write');
  assert.ok(logs.some((l) => /retry 1\/4 of event .* \(FUNCTION_TIME_OUT\)/.test(l)), 'Forge retries a timed-out async event');
  await host.waitIdle(5_000);
  await call('POST', '/__sandbox/clock', { advanceMs: 1_000 });
  assert.deepEqual(await kvsGet('short:slow:done'), { retryCount: 1 }, 'the retry, which does not sleep, finished');
});

test('an invoke request over 500 KB is refused before the resolver runs, and a response over 5 MB is refused', async () => {
  const ok = await invoke('payloadSize', { text: 'x'.repeat(400 * 1024) });
  assert.equal(ok.status, 200, 'a 400 KB payload is within the limit');
  const before = logs.filter((l) => /→ limits-resolver ok/.test(l)).length;
  const big = await invoke('payloadSize', { text: 'x'.repeat(501 * 1024) });
  assert.equal(big.status, 413);
  assert.match(big.body.error.message, /over Forge's limit of 500 KB; the resolver was not called/);
  assert.equal(logs.filter((l) => /→ limits-resolver ok/.test(l)).length, before, 'the function was not invoked');

  assert.equal((await invoke('bigResult', { chars: 4 * 1024 * 1024 })).status, 200, 'a 4 MB response is within the limit');
  const huge = await invoke('bigResult', { chars: 5 * 1024 * 1024 + 1 });
  assert.equal(huge.status, 500);
  assert.match(huge.body.error.message, /response of 'bigResult' is .* over Forge's limit of 5,120 KB/);
});

test('a web trigger receives header names as the caller sent them', async () => {
  await result('setSecret', { key: 'webhook-secret', value: 's3cret' }, 'fixture-panel');
  const url = new URL(host.webTriggerUrl('fixture-webhook'));
  const body = '{"webhookEvent":"jira:issue_updated","issue":{"key":"PARTNER-3"}}';
  const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
  // node:http keeps the casing of header names on the wire, as Jira's delivery does.
  const { status } = await rawPost(url, { 'Content-Type': 'application/json', 'X-Hub-Signature': sig, 'x-MiXeD-Case': 'yes' }, body);
  assert.equal(status, 200, 'the fixture, which reads headers case-insensitively, accepts the signature');
  const { request } = (await result('kvsGet', { key: 'webhook:last' }, 'fixture-panel')).value;
  assert.deepEqual(request.headers['X-Hub-Signature'], [sig]);
  assert.deepEqual(request.headers['x-MiXeD-Case'], ['yes']);
  assert.deepEqual(request.headers['Content-Type'], ['application/json']);
  assert.equal(request.headers['x-hub-signature'], undefined, 'not lower-cased by the host');
});

test('product events arrive after a delay, can overtake each other, and idle waits for them', async () => {
  assert.deepEqual((await call('GET', '/__sandbox/product-events')).body.delayMs, [50, 250], 'a small realistic delay by default');
  assert.equal((await call('POST', '/__sandbox/product-events', { delayMs: [400, 400] })).status, 200);
  await productEvent('avi:jira:updated:issue', { issue: { id: '1', key: 'LOC-1' }, atlassianId: 'user-alice' });
  assert.equal((await call('POST', '/__sandbox/product-events', { delayMs: [0, 0] })).status, 200);
  await productEvent('avi:jira:updated:issue', { issue: { id: '2', key: 'LOC-2' }, atlassianId: 'user-alice' });
  assert.equal((await call('GET', '/__sandbox/idle')).body.idle, false, 'an accepted but undelivered event is in flight');
  await host.waitIdle(5_000);
  const delivered = (await call('GET', '/__sandbox/product-events')).body.delivered.filter((d: any) => ['LOC-1', 'LOC-2'].includes(d.issueKey));
  assert.deepEqual(delivered.map((d: any) => d.issueKey), ['LOC-2', 'LOC-1'], 'the later event was delivered first');
  assert.ok(await result('kvsGet', { key: 'event:LOC-1:avi:jira:updated:issue' }, 'fixture-panel'), 'both reached the trigger');

  for (const bad of [[5, 1], [-1, 10], 'soon', [0, 120_000]]) {
    const r = await call('POST', '/__sandbox/product-events', { delayMs: bad });
    assert.equal(r.status, 400, `delayMs ${JSON.stringify(bad)}`);
    assert.match(r.body.error.message, /delayMs must be \[min, max\]/);
  }
  assert.deepEqual((await call('GET', '/__sandbox/product-events')).body.delayMs, [0, 0], 'a refused setting changes nothing');
  await call('POST', '/__sandbox/product-events', { delayMs: [50, 250] });
});

test('a trigger that returns an InvocationError is retried after retryAfter, at most 4 times', async () => {
  await productEvent('avi:jira:deleted:issue', { issue: { id: '3', key: 'LOC-3', fields: { failTimes: 2 } }, atlassianId: 'user-alice' });
  const settled = async () => (await host.waitIdle(5_000), (await call('GET', '/__sandbox/idle')).body);
  assert.deepEqual(await settled(), { idle: true, waitingForClock: 1 }, 'the retry waits for its retryAfter on the clock');
  assert.equal((await kvsGet('flaky:LOC-3')).length, 1);
  await call('POST', '/__sandbox/clock', { advanceMs: 2_000 });
  await call('POST', '/__sandbox/clock', { advanceMs: 2_000 });
  const runs = await kvsGet('flaky:LOC-3');
  assert.deepEqual(runs.map((r: any) => r.retryContext), [null, { retryCount: 1, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { run: 1 } }, { retryCount: 2, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { run: 2 } }]);
  assert.deepEqual(await settled(), { idle: true, waitingForClock: 0 });

  await productEvent('avi:jira:deleted:issue', { issue: { id: '4', key: 'LOC-4', fields: { failTimes: 99 } }, atlassianId: 'user-alice' });
  await settled();
  for (let i = 0; i < 5; i++) await call('POST', '/__sandbox/clock', { advanceMs: 2_000 });
  assert.equal((await kvsGet('flaky:LOC-4')).length, 5, 'the first delivery and 4 retries, no more');
  assert.ok(logs.some((l) => /trigger fixture-flaky-events: avi:jira:deleted:issue dropped after 4 retries/.test(l)));
  assert.deepEqual(await settled(), { idle: true, waitingForClock: 0 });
});
