/**
 * The Forge host on a manual clock: queue delays, retry waits and scheduled triggers run on virtual time that a test
 * moves with `POST /__sandbox/clock`, so "the partner is down for an hour" takes milliseconds. Runs the fixture app
 * (test/fixtures/forge-app) against a small stand-in for the local site, everything checked over HTTP.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sandboxConfig } from '../../sandbox/config';
import { startForgeHost, type ForgeHost } from '../../sandbox/forge';
import { FIXTURE_APP_DIR, hostCaller, startLocalStandIn } from '../support/forge-host';

const APP_DIR = FIXTURE_APP_DIR;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-host-clock-'));
const cfg = sandboxConfig({ basePort: Number(process.env.FORGE_HOST_CLOCK_TEST_PORT ?? 17340), dataDir });
const logs: string[] = [];
let host: ForgeHost;
let local: FastifyInstance;

const http = hostCaller(cfg);

/** Calls a fixture resolver through the bridge, as the Custom UI does. */
async function result(functionKey: string, payload: unknown = {}) {
  const r = await http('POST', '/bridge/invoke', { moduleKey: 'fixture-settings', functionKey, payload, context: { accountId: 'user-alice', projectKey: 'LOC' } });
  assert.equal(r.status, 200, `resolver ${functionKey} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.result;
}
const runsOf = async (id: string): Promise<any[]> => (await result('kvsGet', { key: `job:${id}` })).value ?? [];
const advance = async (ms: number): Promise<number> => {
  const r = await http('POST', '/__sandbox/clock', { advanceMs: ms });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.now;
};
/** Waits for idle (virtual timers do not count) and returns the idle endpoint's answer. */
const settled = async () => {
  await host.waitIdle(5_000);
  return (await http('GET', '/__sandbox/idle')).body as { idle: boolean; waitingForClock: number };
};

before(async () => {
  local = await startLocalStandIn(cfg);
  host = await startForgeHost({ cfg, appDir: APP_DIR, fresh: true, clock: 'manual', log: (m) => logs.push(m) });
});

after(async () => {
  await host?.close();
  await local?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a retry after retryAfter=300 s runs only once the clock is advanced past it', async () => {
  const start = (await http('GET', '/__sandbox/clock')).body;
  assert.equal(start.mode, 'manual');
  await result('push', { events: [{ body: { id: 'partner-down', failTimes: 1, retryAfter: 300 } }] });
  assert.deepEqual(await settled(), { idle: true, waitingForClock: 1 }, 'only the retry, in the virtual future, is left');
  assert.equal((await runsOf('partner-down')).length, 1);

  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await runsOf('partner-down')).length, 1, 'real time passing does not fire a virtual timer');
  assert.equal(await advance(299_000), start.now + 299_000);
  assert.equal((await runsOf('partner-down')).length, 1, 'not yet due at 299 s');
  assert.equal((await settled()).waitingForClock, 1);

  assert.equal(await advance(1_000), start.now + 300_000);
  const runs = await runsOf('partner-down');
  assert.equal(runs.length, 2, 'the retry ran at 300 s, before the advance answered');
  assert.deepEqual(runs[1].retryContext, { retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { attempt: 1 } });
  assert.deepEqual(await settled(), { idle: true, waitingForClock: 0 });
  assert.equal(host.clock().now, start.now + 300_000, 'ForgeHost reports the same virtual time');
});

test('one advance runs a chain of retries and events that handlers schedule while it runs, in order', async () => {
  await result('push', {
    events: [
      { body: { id: 'chain', failTimes: 3, retryAfter: 100 } },
      { body: { id: 'parent', then: { body: { id: 'child' }, delayInSeconds: 120 } }, delayInSeconds: 30 },
    ],
  });
  await settled();
  assert.equal((await runsOf('chain')).length, 1);
  assert.equal((await runsOf('parent')).length, 0, 'delayInSeconds waits for the clock too');
  assert.equal((await settled()).waitingForClock, 2);

  const before = host.clock().now;
  assert.equal(await host.advanceClock(400_000), before + 400_000);
  const chain = await runsOf('chain');
  assert.equal(chain.length, 4, 'retries at 100, 200 and 300 s all ran within the one advance');
  assert.deepEqual(chain.map((r) => r.retryContext?.retryCount ?? 0), [0, 1, 2, 3]);
  assert.equal((await runsOf('parent')).length, 1);
  assert.equal((await runsOf('child')).length, 1, 'pushed at 30 s with a 120 s delay, so due at 150 s');
  assert.deepEqual(await settled(), { idle: true, waitingForClock: 0 });
});

test('the scheduled trigger fires every 300 virtual seconds and not on real time', async () => {
  const count = async () => (await result('kvsGet', { key: 'scheduled:count' })).value ?? 0;
  // The interval started with the host; earlier tests advanced 700 s, so it fired at 300 and 600 s.
  assert.equal(await count(), 2);
  await advance(199_000); // virtual 899 s
  assert.equal(await count(), 2);
  await advance(1_000); // 900 s
  assert.equal(await count(), 3);
  await advance(900_000); // 1800 s: fires at 1200, 1500, 1800
  assert.equal(await count(), 6);
  assert.ok(logs.some((l) => /clock advanced 900000 ms/.test(l)));
});

test('function time limits still hold on real time under the manual clock', async () => {
  const pushed = await http('POST', '/bridge/invoke', {
    moduleKey: 'fixture-limits-panel',
    functionKey: 'pushShort',
    payload: { events: [{ body: { id: 'real-limit', sleepMs: 1500 } }] },
    context: { accountId: 'user-alice', projectKey: 'LOC' },
  });
  assert.equal(pushed.status, 200);
  const started = Date.now();
  while (!logs.some((l) => /short-job timed out/.test(l)) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
  assert.ok(Date.now() - started < 1400, `a consumer with timeoutSeconds: 1 was cut off after ${Date.now() - started} ms without any clock advance`);
  await settled();
  await advance(1_000); // its retry (which does not sleep) runs
  assert.deepEqual((await result('kvsGet', { key: 'short:real-limit:done' })).value, { retryCount: 1 });
});

test('bad clock requests get 400, and a host on the real clock refuses to advance with 409', async () => {
  assert.equal((await http('POST', '/__sandbox/clock', { advanceMs: -1 })).status, 400);
  assert.equal((await http('POST', '/__sandbox/clock', { advanceMs: 'soon' })).status, 400);
  await host.close();
  host = await startForgeHost({ cfg, appDir: APP_DIR, fresh: true, log: (m) => logs.push(m) });
  const r = await http('POST', '/__sandbox/clock', { advanceMs: 1000 });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /real clock/);
  const clock = (await http('GET', '/__sandbox/clock')).body;
  assert.equal(clock.mode, 'real');
  assert.ok(Math.abs(clock.now - Date.now()) < 1000);
  await result('push', { events: [{ body: { id: 'real-delay' }, delayInSeconds: 1 }] });
  assert.deepEqual((await http('GET', '/__sandbox/idle')).body, { idle: false, waitingForClock: 0 }, 'on the real clock a delayed event keeps the host busy');
  await host.waitIdle(5_000);
  assert.equal((await runsOf('real-delay')).length, 1);
});
