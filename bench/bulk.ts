/**
 * Bulk opt-in: turns sync on for many real ALOY issues through the panel's `enableSync` resolver (a few users
 * clicking at once), optionally with the partner's per-user rate limit on (`POST /__sandbox/faults {rateLimit}` →
 * 429 + Retry-After), waits for every follow-up job, then checks that nothing was lost: every issue has a link and
 * exactly one partner copy, found by the origin issue property `jira-task-sync-origin` on partner issues.
 */
import { performance } from 'node:perf_hooks';
import type { SandboxClient } from '../sandbox/client';
import type { Sandbox } from '../sandbox/start';
import { routeOf } from './calls';
import type { Probe } from './probe';
import { waitingText } from '../src/sync/hierarchy';

/** Options of {@link measureBulk}. */
export interface BulkOptions {
  count: number;
  /** Resolver calls in flight at once (users clicking). */
  concurrency: number;
  /** Partner rate limit to switch on, if the emulator supports it. */
  rateLimit: { perSecond: number; burst: number };
  /** Wall-time budget for clicks plus the follow-up jobs, ms. */
  budgetMs: number;
  /** The rate limit is lifted after this long (ms) so the rest can drain within the budget; nothing else changes. */
  limitWindowMs: number;
  /** Keys not to use (already linked). */
  exclude: Set<string>;
}

/** What the bulk opt-in measured. */
export interface BulkResult {
  issues: number;
  rateLimitApplied: boolean;
  rateLimit: { perSecond: number; burst: number } | null;
  seconds: number;
  clicksSeconds: number;
  /** Issues per minute over the whole run (clicks → idle). */
  issuesPerMinute: number;
  /** Set when the limit was lifted before the run finished: what had happened under the limit by then. */
  limitLifted: { atSeconds: number; issuesLinked: number; partnerCallsOk: number; partner429s: number } | null;
  /** 60 · perSecond / successful app partner calls per issue: the steady-state rate the limit allows. */
  limitBoundIssuesPerMinute: number | null;
  /** Successful app calls to the partner by route, per issue. */
  partnerRoutesPerIssue: Record<string, number>;
  /** enableSync calls answered with an error (the bench clicked again, up to 6 times). */
  clickErrors: number;
  /** Issues whose every click (6) was answered with an error, each with the messages the panel showed. */
  gaveUp: { key: string; messages: string[] }[];
  /** Every error message an enableSync click got (numbers, ids and times blanked) → how often. */
  clickErrorMessages: Record<string, number>;
  partner429s: number;
  partnerRequests: number;
  appPartnerCallsPerIssue: number;
  /** Sync jobs run (create follow-ups and echoes), queue retries scheduled, events dropped after the last retry. */
  syncJobs: number;
  queueRetries: number;
  queueDropped: number;
  /**
   * Issues without a link, without a partner copy, or with more than one. Must be 0. A sub-task whose parent is not
   * synced is not lost when the panel refused every click with the hierarchy rule's words (`waitingText`) and no copy
   * exists: that is the rule (README "Sub-tasks and epics"), counted in `waitingForParent`.
   */
  lost: number;
  /** Sub-tasks refused as the hierarchy rule says (their parent is not among the issues opted in), nothing created. */
  waitingForParent: string[];
  missingLink: string[];
  missingCopy: string[];
  duplicates: string[];
  partnerIssueCount: number;
  finishedInBudget: boolean;
  dominant: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The first `n` ALOY issue keys (in key order) not in `exclude`. */
export async function aloyKeys(client: SandboxClient, n: number, exclude: Set<string>): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50 && keys.length < n; page++) {
    const r = await client.rest('local', 'POST', '/rest/api/3/search/jql', { jql: 'project = ALOY ORDER BY created ASC', fields: ['key'], maxResults: 1000, nextPageToken: token });
    if (r.status !== 200) throw new Error(`search answered ${r.status}: ${JSON.stringify(r.body)}`);
    for (const i of r.body.issues) if (!exclude.has(i.key) && keys.length < n) keys.push(i.key);
    token = r.body.nextPageToken;
    if (!token) break;
  }
  return keys;
}

async function faults(client: SandboxClient, method: 'POST' | 'DELETE', body?: unknown): Promise<boolean> {
  const res = await fetch(`${client.cfg.partner.url}/__sandbox/faults`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.ok;
}

/**
 * Turns sync on for `key`, clicking again after an error like a user would (≤ 6 tries).
 * @returns the error messages seen, in order (empty when the first click worked)
 */
async function optIn(client: SandboxClient, key: string, until: number): Promise<string[]> {
  const errors: string[] = [];
  for (let attempt = 1; attempt <= 6 && performance.now() < until; attempt++) {
    const res = await client.invoke('task-sync-panel', 'enableSync', { confirmed: true }, { issueKey: key }).catch((e) => ({ ok: false, error: { message: String(e) } }));
    if (res.ok && res.data?.link) return errors;
    errors.push(String(res.error?.message ?? JSON.stringify(res)));
    await sleep(1000 * attempt);
  }
  return errors;
}

/** Lists every partner issue of PARTNER with the local issue id in its origin property. */
async function partnerOrigins(client: SandboxClient): Promise<{ key: string; origin?: string }[]> {
  const out: { key: string; origin?: string }[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const r = await client.rest('partner', 'POST', '/rest/api/3/search/jql', { jql: 'project = PARTNER ORDER BY key ASC', fields: ['key'], maxResults: 1000, nextPageToken: token });
    if (r.status !== 200) throw new Error(`partner search answered ${r.status}`);
    for (const i of r.body.issues) {
      const p = await client.rest('partner', 'GET', `/rest/api/3/issue/${i.key}/properties/jira-task-sync-origin`);
      out.push({ key: i.key, origin: p.status === 200 ? String(p.body.value?.issueId) : undefined });
    }
    token = r.body.nextPageToken;
    if (!token) break;
  }
  return out;
}

/**
 * Runs the bulk opt-in and its checks. Faults are cleared again before checking.
 * @throws Error when issues cannot be listed
 */
export async function measureBulk(sandbox: Sandbox, client: SandboxClient, probe: Probe, opts: BulkOptions): Promise<BulkResult> {
  const keys = await aloyKeys(client, opts.count, opts.exclude);
  await sandbox.host.waitIdle(60_000);
  const applied = await faults(client, 'POST', { rateLimit: opts.rateLimit });
  await Promise.all([client.resetStats('local'), client.resetStats('partner')]);
  probe.clear();
  const t0 = performance.now();
  const until = t0 + opts.budgetMs;
  let next = 0;
  let linked = 0;
  let clickErrors = 0;
  const gaveUp: BulkResult['gaveUp'] = [];
  const clickErrorMessages: Record<string, number> = {};
  let limitLifted: BulkResult['limitLifted'] = null;
  const okCalls = () => probe.calls.filter((c) => c.site === 'partner' && c.status !== undefined && c.status < 400).length;
  const lift = applied
    ? setTimeout(async () => {
        const stats = await client.stats('partner');
        limitLifted = { atSeconds: Math.round((performance.now() - t0) / 1000), issuesLinked: linked, partnerCallsOk: okCalls(), partner429s: Number(stats.rateLimited ?? 0) };
        await faults(client, 'DELETE');
      }, opts.limitWindowMs)
    : undefined;
  const worker = async () => {
    while (next < keys.length && performance.now() < until) {
      const key = keys[next++];
      const errors = await optIn(client, key, until);
      clickErrors += errors.length;
      for (const m of errors) {
        const shape = m.replace(/\d+(\.\d+)?/g, 'N');
        clickErrorMessages[shape] = (clickErrorMessages[shape] ?? 0) + 1;
      }
      if (errors.length < 6) linked++;
      else gaveUp.push({ key, messages: errors });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const clicksSeconds = (performance.now() - t0) / 1000;
  let finishedInBudget = true;
  await sandbox.host.waitIdle(Math.max(1000, until - performance.now())).catch(() => (finishedInBudget = false));
  const seconds = (performance.now() - t0) / 1000;
  clearTimeout(lift);
  const stats = await client.stats('partner');
  const partnerOk = probe.calls.filter((c) => c.site === 'partner' && c.status !== undefined && c.status < 400);
  const routes: Record<string, number> = {};
  for (const c of partnerOk) routes[routeOf(c)] = (routes[routeOf(c)] ?? 0) + 1;
  const syncJobs = probe.invocations.filter((i) => i.kind === 'consumer').length;
  const { retries, dropped } = probe.queue;
  if (applied) await faults(client, 'DELETE');
  await sandbox.host.waitIdle(120_000).catch(() => undefined);

  const missingLink: string[] = [];
  const localIds = new Map<string, string>();
  for (const key of keys) {
    const view = await client.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key });
    if (!view.ok || !view.data?.link) missingLink.push(key);
    const issue = await client.issue('local', key, 'summary');
    localIds.set(String(issue.id), key);
  }
  const origins = await partnerOrigins(client);
  const copies = new Map<string, number>();
  for (const o of origins) if (o.origin) copies.set(o.origin, (copies.get(o.origin) ?? 0) + 1);
  const missingCopy = [...localIds].filter(([id]) => !copies.get(id)).map(([, k]) => k);
  const duplicates = [...localIds].filter(([id]) => (copies.get(id) ?? 0) > 1).map(([, k]) => k);
  // The panel's exact words for a sub-task whose parent is not synced (src/sync/hierarchy.ts), for this issue.
  const waits = (g: BulkResult['gaveUp'][number]) =>
    g.messages.every((m) => {
      const parent = /^\S+ waits until (\S+) is synced:/.exec(m)?.[1];
      return parent !== undefined && m === waitingText(g.key, parent);
    });
  const waitingForParent = gaveUp.filter((g) => waits(g) && !copies.get([...localIds].find(([, k]) => k === g.key)?.[0] ?? '')).map((g) => g.key);
  const lost = new Set([...missingLink, ...missingCopy, ...duplicates].filter((k) => !waitingForParent.includes(k))).size;
  const partner429s = Number(stats.rateLimited ?? stats.faults?.rateLimited ?? 0);
  const partnerRequests = Object.values(stats.requests as Record<string, number>).reduce((a, b) => a + b, 0);
  const perIssue = partnerOk.length / Math.max(1, keys.length);
  const bound = applied ? Math.round(((60 * opts.rateLimit.perSecond) / perIssue) * 10) / 10 : null;
  const top = Object.entries(routes).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k.replace(/^partner /, '')} ×${(v / keys.length).toFixed(1)}`).join(', ');
  const dominant = applied
    ? `the partner rate limit: ${perIssue.toFixed(1)} successful partner calls per issue at ${opts.rateLimit.perSecond}/s allow ≤ ${bound} issues/min (top: ${top})`
    : `job work (no rate limit: the faults endpoint is missing); ${perIssue.toFixed(1)} partner calls per issue (top: ${top})`;
  return {
    issues: keys.length,
    rateLimitApplied: applied,
    rateLimit: applied ? opts.rateLimit : null,
    seconds: Math.round(seconds * 10) / 10,
    clicksSeconds: Math.round(clicksSeconds * 10) / 10,
    issuesPerMinute: Math.round((keys.length / seconds) * 60 * 10) / 10,
    limitLifted,
    limitBoundIssuesPerMinute: bound,
    partnerRoutesPerIssue: Object.fromEntries(Object.entries(routes).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / keys.length) * 100) / 100])),
    clickErrors,
    gaveUp,
    clickErrorMessages,
    partner429s,
    partnerRequests,
    appPartnerCallsPerIssue: Math.round((probe.calls.filter((c) => c.site === 'partner').length / Math.max(1, keys.length)) * 100) / 100,
    syncJobs,
    queueRetries: retries,
    queueDropped: dropped,
    lost,
    waitingForParent,
    missingLink,
    missingCopy,
    duplicates,
    partnerIssueCount: origins.length,
    finishedInBudget,
    dominant,
  };
}
