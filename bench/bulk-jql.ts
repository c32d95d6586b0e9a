/**
 * Bulk link and import by JQL (Project settings → Task sync → Bulk) under the partner's rate limit
 * (`POST /__sandbox/faults {rateLimit}` → 429 + Retry-After): starts a run through the real `startBulk` resolver,
 * polls `getBulkRun` as the progress bar does, waits for every follow-up job, then checks that nothing was lost
 * and nothing duplicated (origin property `jira-task-sync-origin` on every copy, read in one search with
 * `properties`). Partner calls per issue are the app's successful partner calls over the whole run (search
 * pages, creates, follow-up jobs, echoes) against the floor: for a link the create plus one call per copied
 * comment; for an import one call per copied comment (the comment read; the create is on the local site).
 */
import { performance } from 'node:perf_hooks';
import type { SandboxClient } from '../sandbox/client';
import type { Sandbox } from '../sandbox/start';
import { routeOf } from './calls';
import type { Probe } from './probe';

/** What one direction measured. */
export interface BulkJqlFigure {
  direction: 'link' | 'import';
  jql: string;
  issues: number;
  seconds: number;
  issuesPerMinute: number;
  created: number;
  skipped: number;
  failed: number;
  lost: number;
  duplicates: number;
  partnerCallsPerIssue: number;
  floorPerIssue: number;
  commentsPerIssue: number;
  partner429s: number;
  routesPerIssue: Record<string, number>;
  /** The same calls by the Forge function that made them (`sync-job GET …`), per issue: where the calls go. */
  byFunctionPerIssue: Record<string, number>;
  finishedInBudget: boolean;
}

const ORIGIN = 'jira-task-sync-origin';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function faults(client: SandboxClient, body: unknown | null): Promise<boolean> {
  const res = await fetch(`${client.cfg.partner.url}/__sandbox/faults`, {
    method: body ? 'POST' : 'DELETE',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.arrayBuffer();
  return res.ok;
}

/** Every issue of a search with `fields` and the origin property. */
async function searchAll(client: SandboxClient, site: 'local' | 'partner', jql: string, fields: string[]): Promise<any[]> {
  const out: any[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const r = await client.rest(site, 'POST', '/rest/api/3/search/jql', { jql, fields, properties: [ORIGIN], maxResults: 100, nextPageToken: token });
    if (r.status !== 200) throw new Error(`${site} search answered ${r.status}: ${JSON.stringify(r.body)}`);
    out.push(...r.body.issues);
    token = r.body.nextPageToken;
    if (!token) break;
  }
  return out;
}

async function invoke(client: SandboxClient, fn: string, payload: unknown): Promise<any> {
  const res = await client.invoke('task-sync-settings', fn, payload, { projectKey: 'ALOY' });
  if (!res.ok) throw new Error(`${fn}: ${res.error.message}`);
  return res.data;
}

/**
 * Runs one bulk run of `direction` over `jql` under `rateLimit` and checks it.
 * @throws Error when a resolver refuses or a search fails
 */
async function measureOne(sandbox: Sandbox, client: SandboxClient, probe: Probe, direction: 'link' | 'import', jql: string, rateLimit: { perSecond: number; burst: number }, budgetMs: number): Promise<BulkJqlFigure> {
  await sandbox.host.waitIdle(120_000);
  const sourceSite = direction === 'link' ? 'local' : 'partner';
  const sourceProject = direction === 'link' ? 'ALOY' : 'PARTNER';
  const sources = await searchAll(client, sourceSite, `project = ${sourceProject} AND ${jql}`, ['comment']);
  const comments = sources.reduce((n, i) => n + (i.fields.comment?.total ?? i.fields.comment?.comments?.length ?? 0), 0);
  await faults(client, { rateLimit });
  await Promise.all([client.resetStats('local'), client.resetStats('partner')]);
  probe.clear();
  const t0 = performance.now();
  let run = await invoke(client, 'startBulk', { direction, jql, confirmed: true });
  while (run.state === 'running' && performance.now() - t0 < budgetMs) {
    await sleep(500);
    run = await invoke(client, 'getBulkRun', { runId: run.runId });
  }
  let finishedInBudget = run.state === 'done';
  await sandbox.host.waitIdle(Math.max(1000, budgetMs - (performance.now() - t0))).catch(() => (finishedInBudget = false));
  const seconds = (performance.now() - t0) / 1000;
  const stats = await client.stats('partner');
  await faults(client, null);
  const ok = probe.calls.filter((c) => c.site === 'partner' && c.status !== undefined && c.status < 400);
  const routes: Record<string, number> = {};
  for (const c of ok) routes[routeOf(c)] = (routes[routeOf(c)] ?? 0) + 1;
  const byFunction: Record<string, number> = {};
  for (const c of ok) {
    const k = `${c.invocation?.functionKey ?? '?'} ${routeOf(c).replace(/^partner /, '')}`;
    byFunction[k] = (byFunction[k] ?? 0) + 1;
  }
  const n = Math.max(1, sources.length);
  const targets = await searchAll(client, direction === 'link' ? 'partner' : 'local', `project = ${direction === 'link' ? 'PARTNER' : 'ALOY'} AND created >= -1d`, ['key']);
  const copies = new Map<string, number>();
  for (const t of targets) {
    const origin = t.properties?.[ORIGIN]?.issueId;
    if (origin) copies.set(String(origin), (copies.get(String(origin)) ?? 0) + 1);
  }
  const lost = sources.filter((s) => !copies.get(String(s.id))).length;
  const duplicates = sources.filter((s) => (copies.get(String(s.id)) ?? 0) > 1).length;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    direction,
    jql,
    issues: sources.length,
    seconds: Math.round(seconds * 10) / 10,
    issuesPerMinute: Math.round((sources.length / seconds) * 60 * 10) / 10,
    created: run.created,
    skipped: run.skipped,
    failed: run.failed,
    lost,
    duplicates,
    partnerCallsPerIssue: round(ok.length / n),
    floorPerIssue: round((direction === 'link' ? 1 : 0) + comments / n),
    commentsPerIssue: round(comments / n),
    partner429s: Number(stats.rateLimited ?? stats.faults?.rateLimited ?? 0),
    routesPerIssue: Object.fromEntries(Object.entries(routes).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, round(v / n)])),
    byFunctionPerIssue: Object.fromEntries(Object.entries(byFunction).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => [k, round(v / n)])),
    finishedInBudget,
  };
}

/** Options of {@link measureBulkJql}. */
export interface BulkJqlOptions {
  /** Local issues to link (the last ones of ALOY by key, away from the other sections' issues). */
  link: number;
  /** Partner issues to create (one comment each) and import. */
  import: number;
  rateLimit: { perSecond: number; burst: number };
  budgetMs: number;
}

/**
 * Bulk link of the last `opts.link` ALOY issues by a key range, then import of `opts.import` partner-born issues
 * (created before the limit is switched on, one comment each) by a label.
 */
export async function measureBulkJql(sandbox: Sandbox, client: SandboxClient, probe: Probe, opts: BulkJqlOptions): Promise<BulkJqlFigure[]> {
  const aloy = (await searchAll(client, 'local', 'project = ALOY ORDER BY key DESC', ['key'])).slice(0, opts.link).map((i) => i.key);
  const num = (k: string) => Number(k.split('-')[1]);
  const low = Math.min(...aloy.map(num));
  const high = Math.max(...aloy.map(num));
  const link = await measureOne(sandbox, client, probe, 'link', `key >= ALOY-${low} AND key <= ALOY-${high}`, opts.rateLimit, opts.budgetMs);
  for (let i = 0; i < opts.import; i++) {
    const r = await client.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: `Partner work item ${i + 1}`, labels: ['bench-import'] } });
    if (r.status !== 201) throw new Error(`creating partner issue answered ${r.status}`);
    await client.rest('partner', 'POST', `/rest/api/3/issue/${r.body.key}/comment`, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `Note ${i + 1} from the partner team` }] }] } });
  }
  const imported = await measureOne(sandbox, client, probe, 'import', 'labels = bench-import', opts.rateLimit, opts.budgetMs);
  return [link, imported];
}
