/**
 * The sync log in Forge's Custom Entity Store (entity `sync-log`, declared with its indexes in `manifest.yml`), so
 * the Sync log tab filters and pages any number of entries without scanning. Each entry is one entity: the
 * indexed attributes (project, time, outcome, trigger, direction, connection, both issue keys) beside the whole
 * entry under `entry`. Kept {@link LOG_RETENTION_DAYS} days: each entity is written with a TTL (`set(key, value,
 * {ttl: {value, unit: 'DAYS'}})`, `SetOptions` of `@forge/kvs` 1.6, the Custom Entity Store's `POST /v1/entity/set`
 * `options.ttl`), so Forge removes it with no sweep of ours; and a read stops at the retention edge, so an entry
 * kept longer (not yet removed, or written with a longer TTL) never shows.
 * @see https://developer.atlassian.com/platform/forge/rest/v1/api-group-custom-entity-store/
 *
 * Forge reads at most 20 entities per query and applies `filters` to what a page read, so a filtered page can be
 * short or empty with a cursor: {@link queryLog} reads on until it has `limit` entries or the index ends, never
 * overshooting (each read asks for what is still missing), so the cursor it returns continues exactly.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-custom-entities/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query-complex/
 */
import { Filter, kvs, Sort, type AndFilter } from '@forge/kvs';
import type { EntityQueryBuilder } from '@forge/kvs/out/interfaces/entity-query';
import { randomUUID } from 'node:crypto';
import { SyncLogEntry } from '../contract';
import { LOG_ENTITY, LOG_INDEX, planLogQueries, planLogQuery, type LogFilter } from '../sync/log-query';
import { queryEitherSide } from './log-either';
import type { NewLogEntry } from './records';

/** How long a sync-log entry is kept, in days (Forge expires it). */
export const LOG_RETENTION_DAYS = 30;
/** One day in ms. */
export const DAY_MS = 86_400_000;
/** Forge's largest query page. */
const FORGE_PAGE_MAX = 20;
/** Most Forge reads one page of the log may take (a resolver has 25 s). */
const MAX_READS_PER_PAGE = 60;

/** One stored `sync-log` entity. Absent attributes keep the entity out of that index. */
export interface LogEntity {
  projectKey: string;
  at: string;
  outcome: string;
  trigger: string;
  direction: string;
  connectionId?: string;
  localIssueKey?: string;
  partnerIssueKey?: string;
  entry: SyncLogEntry;
}

/** The entity of an entry of `projectKey`. */
export function toEntity(projectKey: string, entry: SyncLogEntry): LogEntity {
  return {
    projectKey,
    at: entry.at,
    outcome: entry.outcome,
    trigger: entry.trigger,
    direction: entry.direction,
    ...(entry.connectionId ? { connectionId: entry.connectionId } : {}),
    ...(entry.localIssueKey ? { localIssueKey: entry.localIssueKey } : {}),
    ...(entry.partnerIssueKey ? { partnerIssueKey: entry.partnerIssueKey } : {}),
    entry,
  };
}

/**
 * Stores an entry as written (`id` is its entity key), expiring {@link LOG_RETENTION_DAYS} days after `at`.
 * @param ttlDays days to keep it, default the full retention (the migration passes what is left of it)
 */
export async function putLogEntity(projectKey: string, entry: SyncLogEntry, ttlDays = LOG_RETENTION_DAYS): Promise<void> {
  await kvs.entity<LogEntity>(LOG_ENTITY).set(entry.id, toEntity(projectKey, entry), { ttl: { value: Math.max(1, ttlDays), unit: 'DAYS' } });
}

/** Appends one sync-log entry and returns it with its id and time. */
export async function appendLog(projectKey: string, entry: NewLogEntry, now = Date.now()): Promise<SyncLogEntry> {
  const at = new Date(now).toISOString();
  const full = SyncLogEntry.parse({ id: `${projectKey}:${now}:${randomUUID().slice(0, 8)}`, at, ...entry, connectionId: entry.connectionId ?? null });
  await putLogEntity(projectKey, full);
  return full;
}

/** One page of a filtered log, newest first; `cursor` null on the last page. */
export interface LogPage {
  entries: SyncLogEntry[];
  cursor: string | null;
}

/**
 * Up to `limit` entries of project `projectKey` matching `filter`, newest first, continuing after `cursor`.
 * Entries that no longer parse are left out (never thrown), so one bad record cannot hide the log; reading stops at
 * the first entry older than {@link LOG_RETENTION_DAYS} days before `now` (ms), with no cursor (newest first, so
 * all after it are older). An issue key of the project is looked up on both sides (./log-either.ts) unless `side`
 * is `local` (an issue's own history).
 * @throws ForgeKvsAPIError `INVALID_CURSOR` when `cursor` came from a different filter (SyncError `invalid-input`
 *   for an issue key of the project, whose cursor is the app's own)
 */
export async function queryLog(projectKey: string, filter: LogFilter, limit: number, cursor?: string, now = Date.now(), side: 'either' | 'local' = 'either'): Promise<LogPage> {
  const edge = new Date(now - LOG_RETENTION_DAYS * DAY_MS).toISOString();
  const plans = side === 'either' ? planLogQueries(projectKey, filter) : [planLogQuery(projectKey, filter)];
  if (plans.length > 1) return queryEitherSide(plans, limit, cursor, edge, MAX_READS_PER_PAGE);
  const [plan] = plans;
  const entries: SyncLogEntry[] = [];
  let next: string | undefined = cursor;
  for (let reads = 0; reads < MAX_READS_PER_PAGE && entries.length < limit; reads++) {
    let q: EntityQueryBuilder<LogEntity> = kvs
      .entity<LogEntity>(LOG_ENTITY)
      .query()
      .index(plan.index, { partition: plan.partition })
      .sort(Sort.DESC)
      .limit(Math.min(FORGE_PAGE_MAX, limit - entries.length));
    if (plan.range) q = q.where(plan.range as never);
    const filters = andFilter(plan.filters);
    if (filters) q = q.filters(filters);
    if (next) q = q.cursor(next);
    const page = await q.getMany();
    const past = page.results.findIndex((r) => typeof r.value?.at === 'string' && r.value.at < edge);
    for (const r of past < 0 ? page.results : page.results.slice(0, past)) {
      const parsed = SyncLogEntry.safeParse(r.value?.entry);
      if (parsed.success) entries.push(parsed.data);
    }
    next = past < 0 ? page.nextCursor : undefined;
    if (!next) break;
  }
  return { entries, cursor: next ?? null };
}

/** The plan's `and` filters as `@forge/kvs` builds them, or undefined when there are none. */
function andFilter(items: ReturnType<typeof planLogQuery>['filters']): AndFilter<LogEntity> | undefined {
  let f: AndFilter<LogEntity> | undefined;
  for (const { property, ...cond } of items) {
    const field = property as keyof LogEntity;
    f = f ? f.and(field, cond as never) : new Filter<LogEntity>().and(field, cond as never);
  }
  return f;
}

/** The newest `limit` entries of a project (every outcome), newest first. */
export async function readLog(projectKey: string, limit: number): Promise<SyncLogEntry[]> {
  return (await queryLog(projectKey, { includeNoChange: true }, limit)).entries;
}

/** The last `limit` sync events of one local issue (by its current key), newest first. */
export async function issueHistory(projectKey: string, issueKey: string, limit: number): Promise<SyncLogEntry[]> {
  const page = await queryLog(projectKey, { issueKey, includeNoChange: true }, limit, undefined, Date.now(), 'local');
  return page.entries;
}

export { LOG_INDEX };
