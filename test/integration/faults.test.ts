/**
 * Breaking the Jira emulator on purpose: `/__sandbox/faults` (errors, timeouts that commit, latency, outage, rate
 * limit, webhook drops/duplicates/delays with a seeded RNG), `/__sandbox/stats` counters, and the spec self-check
 * (`validate: true`, `/__sandbox/spec-mismatches`).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, afterEach, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 17300, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-faults-')) });
const partner = jiraClient(cfg.partner.url, basic(cfg.partner.admin.email, cfg.partner.admin.apiToken));
const sandbox = (method: string, p: string, body?: unknown) =>
  fetch(`${cfg.partner.url}${p}`, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const newIssue = (summary: string) => ({ fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary } });
const countWith = async (summary: string) =>
  (await partner('POST', '/rest/api/3/search/jql', { jql: `text ~ "${summary}"`, fields: ['summary'] })).body.issues.filter((i: any) => i.fields.summary === summary).length;

let jira: JiraEmulator;
let hooks: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  hooks = await startReceiver(cfg.basePort + 10);
  jira = await startJiraEmulator({ cfg, fresh: true, seed: false, validate: true });
  const reg = await partner('POST', '/rest/webhooks/1.0/webhook', { name: 'sync', url: `${hooks.url}/hook`, events: ['jira:issue_created'], secret: 's3cret' });
  assert.equal(reg.status, 201);
});
afterEach(async () => {
  await sandbox('DELETE', '/__sandbox/faults');
  await jira.sites.partner.idle();
});
after(async () => {
  await jira?.close();
  await hooks?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

describe('fault settings', () => {
  test('a bad faults body gets 400 naming the field and changes nothing', async () => {
    const r = await sandbox('POST', '/__sandbox/faults', { errorRate: 2, latencyMs: [300, 10] });
    assert.equal(r.status, 400);
    const body = await r.json();
    assert.deepEqual(Object.keys(body.errors).sort(), ['errorRate', 'latencyMs']);
    const unknown = await (await sandbox('POST', '/__sandbox/faults', { explode: true })).json();
    assert.match(unknown.errors.explode, /Unknown fault/);
    assert.deepEqual((await (await sandbox('GET', '/__sandbox/faults')).json()).faults, {});
  });

  test('faults merge, and DELETE clears them', async () => {
    await sandbox('POST', '/__sandbox/faults', { latencyMs: [0, 5] });
    const r = await (await sandbox('POST', '/__sandbox/faults', { errorRate: 0 })).json();
    assert.deepEqual(r.faults, { latencyMs: [0, 5], errorRate: 0 });
    assert.equal((await sandbox('DELETE', '/__sandbox/faults')).status, 204);
    assert.deepEqual((await (await sandbox('GET', '/__sandbox/faults')).json()).faults, {});
  });
});

describe('request faults', () => {
  test('an injected error answers a status from errorStatus with Jira’s error body and commits nothing', async () => {
    await sandbox('POST', '/__sandbox/faults', { errorRate: 1, errorStatus: [503] });
    const r = await partner('POST', '/rest/api/3/issue', newIssue('Never created'));
    assert.equal(r.status, 503);
    assert.ok(r.body.errorMessages.length === 1);
    await sandbox('DELETE', '/__sandbox/faults');
    assert.equal(await countWith('Never created'), 0);
    assert.ok(jira.sites.partner.stats().faults.error >= 1);
  });

  test('a timeout commits the write and never answers, so a retry would duplicate it', async () => {
    await sandbox('POST', '/__sandbox/faults', { timeoutRate: 1 });
    await assert.rejects(
      fetch(`${cfg.partner.url}/rest/api/3/issue`, {
        method: 'POST',
        headers: { Authorization: basic(cfg.partner.admin.email, cfg.partner.admin.apiToken), 'Content-Type': 'application/json' },
        body: JSON.stringify(newIssue('Created in the dark')),
        signal: AbortSignal.timeout(300),
      }),
      /TimeoutError|aborted/,
    );
    // A client that never gives up keeps its request hanging; close() must still finish (see after()).
    void fetch(`${cfg.partner.url}/rest/api/3/myself`, { headers: { Authorization: basic(cfg.partner.admin.email, cfg.partner.admin.apiToken) } }).catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    await sandbox('DELETE', '/__sandbox/faults');
    assert.equal(await countWith('Created in the dark'), 1);
    assert.equal(jira.sites.partner.stats().faults.timeout, 2);
  });

  test('latency delays answers within the range', async () => {
    await sandbox('POST', '/__sandbox/faults', { latencyMs: [120, 150] });
    const t0 = Date.now();
    assert.equal((await partner('GET', '/rest/api/3/myself')).status, 200);
    assert.ok(Date.now() - t0 >= 115, `took ${Date.now() - t0} ms`);
  });

  test('an outage answers 503 to every REST call until it is lifted; sandbox routes still work', async () => {
    assert.equal((await sandbox('POST', '/__sandbox/outage', { down: true })).status, 200);
    assert.equal((await partner('GET', '/rest/api/3/myself')).status, 503);
    assert.equal((await partner('GET', '/rest/api/3/issue/PARTNER-1')).status, 503);
    assert.equal((await sandbox('GET', '/__sandbox/stats')).status, 200);
    assert.equal((await sandbox('POST', '/__sandbox/outage', { down: 'yes' })).status, 400);
    await sandbox('POST', '/__sandbox/outage', { down: false });
    assert.equal((await partner('GET', '/rest/api/3/myself')).status, 200);
  });

  test('the per-user burst limit answers 429 with Retry-After and X-RateLimit-* headers, and refills', async () => {
    await sandbox('POST', '/__sandbox/faults', { rateLimit: { perSecond: 5, burst: 3 } });
    const codes: number[] = [];
    let limited: Headers | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await partner('GET', '/rest/api/3/myself');
      codes.push(r.status);
      if (r.status === 429) limited = r.headers;
    }
    assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    assert.ok(Number(limited!.get('retry-after')) >= 1);
    assert.equal(limited!.get('x-ratelimit-limit'), '3');
    assert.equal(limited!.get('x-ratelimit-remaining'), '0');
    assert.ok(!Number.isNaN(Date.parse(limited!.get('x-ratelimit-reset')!)));
    assert.equal(limited!.get('ratelimit-reason'), 'jira-burst-based');
    const other = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
    assert.equal((await other('GET', '/rest/api/3/myself')).status, 200, 'the other site has its own limits');
    await new Promise((r) => setTimeout(r, 450));
    assert.equal((await partner('GET', '/rest/api/3/myself')).status, 200);
    assert.equal(jira.sites.partner.stats().rateLimited, 2);
  });
});

describe('webhook faults', () => {
  async function createMany(n: number, tag: string) {
    for (let i = 0; i < n; i++) assert.equal((await partner('POST', '/rest/api/3/issue', newIssue(`${tag} ${i}`))).status, 201);
    await jira.sites.partner.idle();
    return hooks.received.filter((r) => r.json?.issue?.fields?.summary?.startsWith(tag));
  }

  test('dropped deliveries never arrive and are counted', async () => {
    jira.sites.partner.resetStats();
    await sandbox('POST', '/__sandbox/faults', { webhookDrop: 1 });
    assert.equal((await createMany(3, 'Dropped')).length, 0);
    assert.equal(jira.sites.partner.stats().webhooks.dropped, 3);
  });

  test('duplicated deliveries arrive twice with the same identifier and signature', async () => {
    jira.sites.partner.resetStats();
    await sandbox('POST', '/__sandbox/faults', { webhookDuplicate: 1 });
    const got = await createMany(2, 'Twice');
    assert.equal(got.length, 4);
    const ids = got.map((r) => r.headers['x-atlassian-webhook-identifier']);
    assert.equal(new Set(ids).size, 2);
    assert.ok(got.every((r) => String(r.headers['x-hub-signature']).startsWith('sha256=')));
    const s = jira.sites.partner.stats().webhooks;
    assert.deepEqual([s.duplicated, s.delivered], [2, 4]);
  });

  test('delays reorder deliveries, and the same seed reproduces the same run', async () => {
    const run = async (tag: string) => {
      await sandbox('POST', '/__sandbox/faults', { webhookDelayMs: [0, 400], webhookDrop: 0.3, seed: 42 });
      const got = await createMany(8, tag);
      await sandbox('DELETE', '/__sandbox/faults');
      return got.map((r) => Number(r.json.issue.fields.summary.split(' ')[1]));
    };
    const a = await run('SeedA');
    const b = await run('SeedB');
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    assert.deepEqual(sorted(a), sorted(b), 'same seed, same drops');
    assert.ok(a.length < 8, 'some were dropped');
    assert.notDeepEqual(a, [...a].sort((x, y) => x - y), `order should be shuffled: ${a}`);
  });
});

describe('spec self-check', () => {
  test('every REST response so far matched the spec, and the count is served over HTTP', async () => {
    const r = await (await sandbox('GET', '/__sandbox/spec-mismatches')).json();
    assert.equal(r.validating, true);
    assert.ok(r.checked > 20);
    assert.deepEqual(jira.specMismatches(), []);
    assert.equal(r.count, 0);
  });

  test('text ~ finds words in the description as well as the summary', async () => {
    const r = await partner('POST', '/rest/api/3/issue', { fields: { ...newIssue('Plain title').fields, description: doc('mentions zebrafish somewhere') } });
    const found = await partner('POST', '/rest/api/3/search/jql', { jql: 'text ~ "zebrafish"', fields: ['key'] });
    assert.deepEqual(found.body.issues.map((i: any) => i.key), [r.body.key]);
  });

  test('a response the spec does not allow is recorded with method, route, status and errors', async () => {
    // An unknown REST path has no operation in the spec: the 404 is recorded, then cleared.
    await fetch(`${cfg.partner.url}/rest/api/3/nosuchthing`, { headers: { Authorization: basic(cfg.partner.admin.email, cfg.partner.admin.apiToken) } });
    const [m] = jira.sites.partner.specMismatches();
    assert.deepEqual([m.method, m.route, m.status], ['GET', '/rest/api/3/nosuchthing', 404]);
    assert.match(m.errors[0], /no operation in the spec/);
    assert.equal((await sandbox('DELETE', '/__sandbox/spec-mismatches')).status, 204);
    assert.deepEqual(jira.specMismatches(), []);
  });
});
