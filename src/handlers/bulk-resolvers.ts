/**
 * Resolvers of the settings page's Bulk tab (project admins only, checked server-side): preview a JQL, start a
 * run, read, cancel, resume, retry its failures. Each stays far inside the 25 s resolver limit: the work is done
 * by the `bulk-runs` queue (`src/sync/bulk.ts`).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type BulkPreview, type BulkRunView } from '../contract';
import { connectionLabel, type Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import { listConnections } from '../store/connections';
import * as bulkStore from '../store/bulk';
import type { BulkRunRecord } from '../store/bulk';
import { countMatches, isLinked, scopedQuery } from '../sync/bulk';
import { deletedReason, planRetry, type RetryPlan } from '../sync/bulk-retry'; // bulkrate
import { projectKeyOf, requireProjectAdmin, type CallerContext } from './auth';
import { pushChunk } from './bulk-queue';
import { loadConnection, portsFor } from './deps';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

function view(r: BulkRunRecord): BulkRunView {
  return { runId: r.runId, direction: r.direction, query: r.query, state: r.state, total: r.total, ...r.counts, failures: r.failures, startedAt: r.startedAt, updatedAt: r.updatedAt };
}

/** The connection a run uses: the one named, or the project's only one. @throws SyncError `not-configured` / `invalid-input` */
async function connectionFor(projectKey: string, connectionId: string | undefined): Promise<Connection> {
  const all = await listConnections(projectKey);
  if (!all.length) throw new SyncError('not-configured', `Task sync is not set up for project ${projectKey}. Set up a connection first.`);
  const found = connectionId ? all.find((c) => c.id === connectionId) : all.length === 1 ? all[0] : undefined;
  if (!found) throw new SyncError('invalid-input', connectionId ? 'That connection no longer exists. Reload the page and choose again.' : `Project ${projectKey} has ${all.length} connections (${all.map(connectionLabel).join(', ')}). Choose one.`);
  return found;
}

/** The caller's project after the admin check. */
async function adminProject(context: CallerContext): Promise<string> {
  const projectKey = projectKeyOf(context);
  await requireProjectAdmin(projectKey);
  return projectKey;
}

/** The run of the caller's project. @throws SyncError `not-found` */
async function runOf(projectKey: string, payload: unknown): Promise<BulkRunRecord> {
  const { runId } = parsePayload(ResolverSchemas.getBulkRun.payload, payload);
  const run = await bulkStore.getBulkRun(projectKey, runId);
  if (!run) throw new SyncError('not-found', 'That bulk run does not exist (any more). Start a new one.');
  return run;
}

/** Where a run searches: local project for links, partner project for imports. */
function queryFor(c: Connection, direction: 'link' | 'import', jql: string): string {
  return scopedQuery(jql, direction === 'link' ? c.projectKey : c.partnerProjectKey);
}

/** A search the site refused is the person's JQL to fix: say so. */
function jqlError(err: unknown, site: string): never {
  const e = err as SyncError;
  if (e instanceof SyncError && (e.code === 'jira-rejected' || e.code === 'invalid-input')) throw new SyncError('invalid-input', `The ${site} site refused the JQL: ${e.message}`);
  throw err;
}

/**
 * Starts a new run (state running, counted) and pushes its first chunk. `retry` (bulkrate): a retry's plan, already
 * counted, whose deleted issues start the report as failed with their reason.
 */
async function startRun(projectKey: string, c: Connection, direction: 'link' | 'import', query: string, retry?: RetryPlan): Promise<BulkRunRecord> {
  const ports = await portsFor(c);
  const { total } = retry ?? (await countMatches(ports, { direction, query }).catch((e) => jqlError(e, direction === 'link' ? 'local' : 'partner')));
  const gone = (retry?.deleted ?? []).map((key) => ({ key, reason: deletedReason(direction, key) }));
  const now = new Date();
  const run: BulkRunRecord = bulkStore.BulkRunRecord.parse({ runId: bulkStore.newRunId(now), projectKey, connectionId: c.id, direction, query, state: total ? 'running' : 'done', total: total + gone.length, counts: { created: 0, skipped: 0, failed: gone.length }, failures: gone, startedAt: now.toISOString(), updatedAt: now.toISOString() });
  await bulkStore.saveBulkRun(run);
  if (total) await pushChunk({ projectKey, runId: run.runId });
  return run;
}

/** Resolver definitions keyed by function key. */
export const bulkResolvers = {
  previewBulk: ({ payload, context }: Req) =>
    respond(async (): Promise<BulkPreview> => {
      const input = parsePayload(ResolverSchemas.previewBulk.payload, payload);
      const projectKey = await adminProject(context);
      const c = await connectionFor(projectKey, input.connectionId);
      const ports = await portsFor(c);
      const query = queryFor(c, input.direction, input.jql);
      const { total, first } = await countMatches(ports, { direction: input.direction, query }).catch((e) => jqlError(e, input.direction === 'link' ? 'local' : 'partner'));
      const sample = await Promise.all(first.map(async (i) => ({ key: i.key, summary: String(i.fields.summary ?? ''), linked: await isLinked(ports, input.direction, i.id) })));
      return { direction: input.direction, query, total, sample };
    }),

  startBulk: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.startBulk.payload, payload);
      const projectKey = await adminProject(context);
      const c = await connectionFor(projectKey, input.connectionId);
      return view(await startRun(projectKey, c, input.direction, queryFor(c, input.direction, input.jql)));
    }),

  getBulkRun: ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = await adminProject(context);
      const run = await runOf(projectKey, payload);
      // A running run whose lease ran out lost its chunk event (a host restart, say): push it again.
      if (run.state === 'running' && (!run.leaseUntil || Date.parse(run.leaseUntil) < Date.now())) {
        await bulkStore.saveBulkRun({ ...run, leaseUntil: new Date(Date.now() + 30_000).toISOString() });
        await pushChunk({ projectKey, runId: run.runId });
      }
      return view(run);
    }),

  listBulkRuns: ({ context }: Req) =>
    respond(async () => ({ runs: (await bulkStore.listBulkRuns(await adminProject(context))).map(view) })),

  cancelBulk: ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = await adminProject(context);
      const run = await runOf(projectKey, payload);
      if (run.state !== 'running') return view(run);
      await bulkStore.requestCancel(run.runId);
      // The chunk at work stops at its next issue and saves `cancelled`; shown as cancelled from now on.
      const cancelled = { ...run, state: 'cancelled' as const, leaseUntil: null };
      return view(cancelled);
    }),

  resumeBulk: ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = await adminProject(context);
      const run = await runOf(projectKey, payload);
      if (run.state !== 'cancelled') return view(run);
      await bulkStore.clearCancel(run.runId);
      const resumed = { ...run, state: 'running' as const, leaseUntil: new Date(Date.now() + 30_000).toISOString(), updatedAt: new Date().toISOString() };
      await bulkStore.saveBulkRun(resumed);
      await pushChunk({ projectKey, runId: run.runId });
      return view(resumed);
    }),

  retryBulkFailures: ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = await adminProject(context);
      const run = await runOf(projectKey, payload);
      const keys = [...new Set(run.failures.map((f) => f.key).filter((k) => /^[A-Z][A-Z0-9_]*-\d+$/.test(k)))];
      if (!keys.length) throw new SyncError('invalid-input', 'This run has no failed issues to retry.');
      const c = await loadConnection(projectKey, run.connectionId);
      // bulkrate: an issue deleted since the run is reported as such; the others are retried
      const plan = await planRetry(await portsFor(c), run, keys).catch((e) => jqlError(e, run.direction === 'link' ? 'local' : 'partner'));
      return view(await startRun(projectKey, c, run.direction, plan.query, plan));
    }),
};
