/**
 * `npm run bench:reconcile`: reconcile at scale. Creates N local issues (default 10,000) and links each through
 * the panel's real `enableSync` resolver, then makes the partner lose every webhook (`webhookDrop: 1`), edits every
 * partner issue, and runs ONE scheduled reconcile. Measures the pass (time, JQL pages, jobs queued), the time until
 * every job has run, and checks that every edit arrived locally (nothing lost) with one partner issue per link.
 * Own sandbox on ports 17600–17602 and a temp dir; every loop bounded; loopback only. `-- --count 2000` for fewer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SandboxClient } from '../sandbox/client';
import { sandboxConfig } from '../sandbox/config';
import { startSandbox, type Sandbox } from '../sandbox/start';

const arg = process.argv.indexOf('--count');
const COUNT = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const CONCURRENCY = 8;
const BUDGET_MS = 25 * 60_000;

/** Runs `work` over `items` with `CONCURRENCY` in flight; stops when the budget is spent. */
async function pool<T>(items: T[], deadline: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (performance.now() > deadline) throw new Error('bench budget spent');
      await work(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function settle(sandbox: Sandbox, deadline: number): Promise<void> {
  await sandbox.host.waitIdle(Math.max(1_000, deadline - performance.now()));
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const deadline = t0 + BUDGET_MS;
  const step = (m: string) => console.log(`[reconcile bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-reconcile-'));
  const cfg = sandboxConfig({ basePort: 17600, dataDir });
  const client = new SandboxClient(cfg);
  const sandbox = await startSandbox({ cfg, fresh: true, reconcileIntervalMs: 24 * 3_600_000 });
  try {
    step(`creating ${COUNT} local issues in ALOY…`);
    const keys: string[] = [];
    await pool(
      Array.from({ length: COUNT }, (_, i) => i),
      deadline,
      async (i) => {
        const res = await client.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { name: 'Bug' }, summary: `Scale issue ${i}` } });
        if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
        keys.push(res.body.key);
      },
    );

    step(`linking ${keys.length} issues through enableSync (${CONCURRENCY} at once)…`);
    const tLink = performance.now();
    const partnerOf = new Map<string, string>();
    await pool(keys, deadline, async (key) => {
      const res = await client.invoke('task-sync-panel', 'enableSync', { confirmed: true }, { issueKey: key });
      if (!res.ok) throw new Error(`${key}: ${res.error.message}`);
      partnerOf.set(key, res.data.link.partnerIssueKey);
    });
    await settle(sandbox, deadline);
    const linkSeconds = (performance.now() - tLink) / 1000;

    step('partner loses every webhook; editing every partner issue…');
    await client.faults('partner', { webhookDrop: 1 });
    await pool(keys, deadline, async (key) => {
      const res = await client.rest('partner', 'PUT', `/rest/api/3/issue/${partnerOf.get(key)}`, { fields: { summary: `Edited on partner: ${key}` } });
      if (res.status !== 204) throw new Error(`edit answered ${res.status}`);
    });
    await settle(sandbox, deadline);
    await client.faults('partner', null);
    const dropped = (await client.stats('partner')).webhooks.dropped;

    step('one reconcile pass…');
    await Promise.all([client.resetStats('local'), client.resetStats('partner')]);
    const tPass = performance.now();
    await client.reconcile();
    const passSeconds = (performance.now() - tPass) / 1000;
    const partnerSearches = (await client.stats('partner')).requests['POST /rest/api/3/search/jql'] ?? 0;
    await settle(sandbox, deadline);
    const convergeSeconds = (performance.now() - tPass) / 1000;

    step('checking every edit arrived…');
    let missing = 0;
    await pool(keys, deadline, async (key) => {
      const issue = await client.rest('local', 'GET', `/rest/api/3/issue/${key}?fields=summary`);
      if (issue.body.fields.summary !== `Edited on partner: ${key}`) missing++;
    });
    const partnerIssues = new Set(partnerOf.values()).size;
    const result = {
      links: keys.length,
      linkSeconds: +linkSeconds.toFixed(1),
      webhooksDropped: dropped,
      reconcilePassSeconds: +passSeconds.toFixed(1),
      partnerSearchPages: partnerSearches,
      convergeSeconds: +convergeSeconds.toFixed(1),
      editsLost: missing,
      partnerIssuesPerLink: +(partnerIssues / keys.length).toFixed(3),
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
    console.table(result);
    fs.writeFileSync(path.join(__dirname, 'reconcile-results.json'), `${JSON.stringify({ ...result, cpus: os.cpus().length, node: process.version }, null, 2)}\n`);
    if (missing) process.exitCode = 1;
  } finally {
    await sandbox.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
