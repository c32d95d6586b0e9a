/**
 * Bulk runs in Forge KVS, one record per run under `bulk:<projectKey>:<runId>` (the run id counts down in time, so
 * a prefix query lists the newest first). The record is the run's whole progress, so a restart of the Forge host
 * (or a lost queue event) loses nothing: the next chunk continues from `cursor` and skips what `pageDone` lists.
 *
 * Record shape (zod, every later field defaulted so older records still parse):
 * - `direction`, `query` (the JQL searched, on the local site for `link`, on the partner for `import`),
 *   `connectionId`, `projectKey`, `state` (`running` | `cancelled` | `done`), `total` (matches at start);
 * - `cursor`: the search's `nextPageToken` of the page being worked on (null: the first page);
 * - `pageDone`: issue id → outcome for the issues of that page already handled (cleared when the page is done), so a
 *   page re-run after a restart counts each issue once;
 * - `counts` {created, skipped, failed}, `failures` (the first 200, key + reason), `deferred` (issue id → times a
 *   retryable failure put it off);
 * - `leaseUntil`: ISO-8601 time until which a chunk is working on the run; a `running` run past it has lost its
 *   queue event and is pushed again (`getBulkRun` does that, see `src/handlers/bulk-resolvers.ts`).
 * Size: ≤ 200 failures of ≤ 300 characters and ≤ 100 `pageDone` entries stay far below KVS's 240 KiB per value.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { parse } from './kvs';

export const BulkOutcome = z.enum(['created', 'skipped', 'failed']);
export type BulkOutcome = z.infer<typeof BulkOutcome>;

/** Failures kept per run (the rest are counted). */
export const MAX_FAILURES = 200;

export const BulkRunRecord = z.object({
  runId: z.string(),
  projectKey: z.string(),
  connectionId: z.string(),
  direction: z.enum(['link', 'import']),
  query: z.string(),
  state: z.enum(['running', 'cancelled', 'done']),
  total: z.number().int(),
  cursor: z.string().nullable().default(null),
  pageDone: z.record(z.string(), BulkOutcome).default({}),
  counts: z.object({ created: z.number().int(), skipped: z.number().int(), failed: z.number().int() }).default({ created: 0, skipped: 0, failed: 0 }),
  failures: z.array(z.object({ key: z.string(), reason: z.string() })).default([]),
  /** Issue id → times a retryable failure put it off to a later chunk (see `DEFER_S` in `src/sync/bulk.ts`). */
  deferred: z.record(z.string(), z.number().int()).default({}),
  startedAt: z.string(),
  updatedAt: z.string(),
  leaseUntil: z.string().nullable().default(null),
});
export type BulkRunRecord = z.infer<typeof BulkRunRecord>;

const PREFIX = (projectKey: string) => `bulk:${projectKey}:`;
const keyOf = (projectKey: string, runId: string) => `${PREFIX(projectKey)}${runId}`;

/** A new run id: newest sorts first (13-digit countdown of ms) plus a random tail. */
export function newRunId(now: Date): string {
  return `${String(9_999_999_999_999 - now.getTime()).padStart(13, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The run, or undefined. @throws SyncError `internal` when the stored record is unreadable */
export async function getBulkRun(projectKey: string, runId: string): Promise<BulkRunRecord | undefined> {
  const v = await kvs.get(keyOf(projectKey, runId));
  return v === undefined ? undefined : parse(BulkRunRecord, v, 'bulk run');
}

/** Saves the whole record (one KVS set). */
export async function saveBulkRun(run: BulkRunRecord): Promise<void> {
  await kvs.set(keyOf(run.projectKey, run.runId), run);
}

/** The project's newest runs (one KVS page). */
export async function listBulkRuns(projectKey: string, limit = 10): Promise<BulkRunRecord[]> {
  const page = await kvs.query().where('key', WhereConditions.beginsWith(PREFIX(projectKey))).limit(Math.min(limit, 20)).getMany();
  return page.results.map((r) => parse(BulkRunRecord, r.value, 'bulk run'));
}

const cancelKey = (runId: string) => `bulk-cancel:${runId}`;
/** Asks the run's chunks to stop (kept apart from the record so the chunk's own saves never undo it). */
export async function requestCancel(runId: string): Promise<void> {
  await kvs.set(cancelKey(runId), true, { ttl: { value: 30, unit: 'DAYS' } });
}
/** Lifts a cancel request (resume). */
export async function clearCancel(runId: string): Promise<void> {
  await kvs.delete(cancelKey(runId));
}
export async function cancelRequested(runId: string): Promise<boolean> {
  return (await kvs.get(cancelKey(runId))) === true;
}
