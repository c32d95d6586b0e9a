/**
 * Bulk link / import by JQL: the use case behind Project settings → Task sync → Bulk.
 *
 * Forge rules this is built within (checked in Forge's docs):
 * - a resolver runs at most 25 s, so a resolver never runs the bulk: `startBulk` only counts, stores the run and
 *   pushes one event; @see https://developer.atlassian.com/platform/forge/limits-invocation/
 * - the queue's consumer runs up to 900 s (`timeoutSeconds`), one event per chunk; a chunk works on one search
 *   page (≤ 100 issues) for at most {@link CHUNK_MS}, saves its progress and pushes the next event, so no
 *   invocation comes near the limit; @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 * - a push carries ≤ 50 events and ≤ 200 KB (≤ 100 KB per event for functions with a timeout over 55 s): the
 *   chunk event is `{projectKey, runId}` (tens of bytes) and the follow-up sync jobs go in pushes of 50
 *   (`enqueueSync`); an installation may push ≤ 500 events a minute, so a chunk (≤ 100 follow-up jobs) starts at
 *   most every {@link MIN_CHUNK_MS} (≤ 200 a minute, leaving room for the webhooks' and triggers' jobs);
 * - a chain of pushes from one invocation is cut after 1,000 push requests (about 3 per chunk, so ≈ 30,000
 *   issues); a run whose chain was cut stops with a lapsed lease, and `getBulkRun` starts a new chain;
 *   @see https://developer.atlassian.com/platform/forge/limits-async-events/
 * - events are delivered at least once and may arrive late: a chunk takes the run's claim (one chunk at a time),
 *   skips issues its page already handled (`pageDone`), and each create is guarded against duplicates
 *   (`linkIssue` for links, `importIssue` for imports: intent + look for an earlier copy before creating again).
 * Progress lives in KVS (`src/store/bulk.ts`), so a host restart or a lost event only delays the run: `getBulkRun`
 * pushes a running run again once its lease has run out.
 */
import type { BulkRunRecord } from '../store/bulk';
import { MAX_FAILURES } from '../store/bulk';
import { toSyncError } from '../model/errors';
import type { JiraIssue } from '../jira/site';
import { createCache, linkIssue, type CreateCache } from './create';
import { importIssue, importContext, type ImportContext } from './bulk-import';
import type { ConnectionPorts } from './ports';
import { readFieldIds } from './values';
import { hierarchyLevels } from './hierarchy'; // hierarchy

/** How long a chunk works before handing over to the next event, ms. */
export const CHUNK_MS = 40_000;
/** Lease of a chunk on its run (its claim's TTL), s; a running run whose lease ran out is pushed again. */
export const LEASE_S = 60;
/** Shortest time from one chunk's start to the next one's, ms (see the events-per-minute limit above). */
export const MIN_CHUNK_MS = 30_000;
/** Issues of one page worked on at once (the partner client waits out 429s itself). */
export const PARALLEL = 4;
/**
 * A retryable failure (partner unreachable, another attempt's create claim still held after a restart) is tried
 * again by a later chunk, {@link DEFER_S} s on, up to {@link MAX_DEFERS} times, before it counts as failed. Together
 * they outlast the create claim's TTL (`CREATE_CLAIM_TTL_S`, 120 s) of an attempt that died with its host.
 */
export const DEFER_S = 30;
export const MAX_DEFERS = 5;

/** Where the engine keeps and drives runs (KVS and the `bulk-runs` queue in `src/handlers/bulk-job.ts`). */
export interface BulkPorts {
  get(runId: string): Promise<BulkRunRecord | undefined>;
  save(run: BulkRunRecord): Promise<void>;
  /** Pushes the next chunk event of the run, after `delaySeconds` (≤ 900, Forge's maximum delay). */
  push(runId: string, delaySeconds?: number): Promise<void>;
  /** Whether a person asked to cancel the run (a flag apart from the record, so no write races the chunk's). */
  cancelRequested(runId: string): Promise<boolean>;
}

/**
 * The JQL a run searches: the typed query restricted to `projectKey`, its ORDER BY kept (default `key ASC`, so pages
 * stay stable while the run works).
 */
export function scopedQuery(jql: string, projectKey: string): string {
  const m = /^([\s\S]*?)(\border\s+by\b[\s\S]*)?$/i.exec(jql.trim())!;
  const where = m[1].trim();
  const order = m[2]?.trim() || 'ORDER BY key ASC';
  return `project = "${projectKey}"${where ? ` AND (${where})` : ''} ${order}`;
}

/** The site a run searches and the fields its pages need. */
function searchSide(ports: ConnectionPorts, run: Pick<BulkRunRecord, 'direction'>) {
  return run.direction === 'link'
    ? { site: ports.local, fields: ['summary', 'parent'] } // hierarchy: parents before children
    : { site: ports.partner, fields: readFieldIds(ports.connection.mapping, 'partner') };
}

/**
 * Counts a query's matches and returns the first `sample` issues (one search page each, ≤ 50 pages).
 * @throws SyncError when the site refuses the JQL (its 400 message is the reason)
 */
export async function countMatches(ports: ConnectionPorts, run: Pick<BulkRunRecord, 'direction' | 'query'>, sample = 10): Promise<{ total: number; first: JiraIssue[] }> {
  const { site } = searchSide(ports, run);
  let total = 0;
  const first: JiraIssue[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await site.searchJql(run.query, page === 0 ? ['summary'] : ['id'], token);
    if (page === 0) first.push(...res.issues.slice(0, sample));
    total += res.issues.length;
    token = res.nextPageToken;
    if (!token) break;
  }
  return { total, first };
}

/** Whether an issue of a run's search side is linked already. */
export async function isLinked(ports: ConnectionPorts, direction: BulkRunRecord['direction'], issueId: string): Promise<boolean> {
  return direction === 'link' ? !!(await ports.links.get(issueId)) : !!(await ports.links.findByPartner(issueId));
}

/** Adds one issue's outcome to the run (in memory). */
function record(run: BulkRunRecord, issue: JiraIssue, outcome: IssueResult['outcome'], reason?: string): void {
  if (outcome === 'deferred') {
    run.deferred[issue.id] = (run.deferred[issue.id] ?? 0) + 1;
    return;
  }
  delete run.deferred[issue.id];
  run.pageDone[issue.id] = outcome;
  run.counts[outcome]++;
  if (outcome === 'failed' && run.failures.length < MAX_FAILURES) run.failures.push({ key: issue.key, reason: (reason ?? 'Unknown error').slice(0, 300) });
}

type IssueResult = { outcome: 'created' | 'skipped' | 'failed' | 'deferred'; reason?: string; localIssueId?: string };

/** Links or imports one issue; never throws (a failure is an outcome with its reason). */
async function handleIssue(ports: ConnectionPorts, run: BulkRunRecord, issue: JiraIssue, ctx: () => Promise<ImportContext>, cache: CreateCache): Promise<IssueResult> {
  try {
    if (await isLinked(ports, run.direction, issue.id)) return { outcome: 'skipped' };
    const link = run.direction === 'link' ? await linkIssue(ports, issue.id, cache) : await importIssue(ports, issue, await ctx());
    return { outcome: 'created', localIssueId: link.localIssueId };
  } catch (err) {
    const e = toSyncError(err);
    if (e.retryable && (run.deferred[issue.id] ?? 0) < MAX_DEFERS) return { outcome: 'deferred', reason: e.message };
    return { outcome: 'failed', reason: e.message };
  }
}

/**
 * Runs one chunk of a bulk run: takes the run's claim, works through the rest of the current search page (until
 * {@link CHUNK_MS} has passed), saves the progress after every issue and pushes the next chunk unless the run is
 * done or cancelled. A run that is not `running`, or whose claim another chunk holds, is left alone.
 * @returns the run as saved, or undefined when this chunk did nothing
 * @throws SyncError when the search itself fails (the queue retries the event; progress so far is kept)
 */
export async function runBulkChunk(ports: ConnectionPorts, bulk: BulkPorts, runId: string): Promise<BulkRunRecord | undefined> {
  const claim = `bulk:${runId}`;
  if (!(await ports.claims.claim(claim, LEASE_S))) return undefined;
  let next = false;
  let delay = 0;
  try {
    const run = await bulk.get(runId);
    if (!run || run.state !== 'running') return undefined;
    const began = ports.clock.now().getTime();
    const touch = () => {
      run.updatedAt = ports.clock.now().toISOString();
      run.leaseUntil = new Date(ports.clock.now().getTime() + LEASE_S * 1000).toISOString();
    };
    touch();
    await bulk.save(run);
    const { site, fields } = searchSide(ports, run);
    const page = await site.searchJql(run.query, fields, run.cursor ?? undefined);
    const waiting = page.issues.filter((i) => !(i.id in run.pageDone));
    let todo: JiraIssue[] = [];
    let ctx: Promise<ImportContext> | undefined;
    const cache = createCache();
    const context = () => (ctx ??= importContext(ports));
    let saving = Promise.resolve();
    let stop = false;
    const created: string[] = [];
    let at = 0;
    let deferred = false;
    const worker = async () => {
      while (!stop && at < todo.length) {
        if (ports.clock.now().getTime() - began > CHUNK_MS || ports.clock.timeLeftMs() < 30_000) { stop = true; break; }
        const issue = todo[at++];
        if (await bulk.cancelRequested(runId)) { stop = true; run.state = 'cancelled'; break; }
        const r = await handleIssue(ports, run, issue, context, cache);
        record(run, issue, r.outcome, r.reason);
        if (r.outcome === 'deferred') deferred = true;
        if (r.localIssueId) created.push(r.localIssueId);
        touch();
        saving = saving.then(() => bulk.save(run));
        await saving;
      }
    };
    // hierarchy: a page's parents are linked before their children, so each child goes under its parent's new copy
    for (const level of hierarchyLevels(waiting)) ((todo = level), (at = 0), await Promise.all(Array.from({ length: PARALLEL }, worker)));
    if (created.length) await ports.enqueue(created.map((localIssueId) => ({ projectKey: run.projectKey, connectionId: run.connectionId, localIssueId, trigger: 'create' as const, created: run.direction === 'import' ? ('local' as const) : ('partner' as const) })));
    const pageFinished = page.issues.every((i) => i.id in run.pageDone);
    if (run.state === 'running' && pageFinished) {
      run.pageDone = {};
      run.cursor = page.nextPageToken ?? null;
      if (!page.nextPageToken) run.state = 'done';
    }
    touch();
    if (run.state !== 'running') run.leaseUntil = null;
    await bulk.save(run);
    next = run.state === 'running';
    const elapsed = ports.clock.now().getTime() - began;
    delay = deferred ? DEFER_S : Math.ceil(Math.max(0, MIN_CHUNK_MS - elapsed) / 1000);
    return run;
  } finally {
    await ports.claims.release(claim);
    if (next) await bulk.push(runId, delay);
  }
}
