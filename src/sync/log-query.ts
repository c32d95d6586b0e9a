/**
 * Which sync-log index answers a filter, and which conditions are left for Forge's `filters`: pure, so the choice
 * is tested without storage. The most selective index wins (issue key, then outcome, then connection, else the
 * project's); the time range is always the index's range condition on `at` (ISO-8601, so text order is time
 * order); every other filter becomes an `and` filter of equalities.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query-complex/
 */
import type { SyncLogEntry } from '../contract';

/** The sync-log entity and its indexes, as `manifest.yml` declares them (`app.storage.entities`). */
export const LOG_ENTITY = 'sync-log';
export const LOG_INDEX = {
  project: 'by-project',
  outcome: 'by-outcome',
  connection: 'by-connection',
  localKey: 'by-local-issue-key',
  partnerKey: 'by-partner-issue-key',
} as const;

/** A filter after parsing (see `SyncLogFilter` in `src/contract/log.ts`). */
export interface LogFilter {
  outcome?: SyncLogEntry['outcome'];
  connectionId?: string;
  direction?: SyncLogEntry['direction'];
  trigger?: SyncLogEntry['trigger'];
  issueKey?: string;
  from?: string;
  to?: string;
  includeNoChange?: boolean;
}

/** A Forge condition as `WhereConditions` / `FilterConditions` build it. */
export interface Condition {
  condition: string;
  values: unknown[];
}

/** What to ask the entity store: `index` with `partition`, optional `range` on `at`, `and` filters, newest first. */
export interface LogQueryPlan {
  index: (typeof LOG_INDEX)[keyof typeof LOG_INDEX];
  partition: string[];
  range?: Condition;
  filters: ({ property: string } & Condition)[];
}

/**
 * The plan for `filter` over project `projectKey`'s log. An issue key of the project (`ALOY-12` in ALOY) is looked
 * up as the local issue, any other as the partner issue.
 */
export function planLogQuery(projectKey: string, filter: LogFilter): LogQueryPlan {
  const filters: LogQueryPlan['filters'] = [];
  const eq = (property: string, value: string) => filters.push({ property, condition: 'EQUAL_TO', values: [value] });
  let index: LogQueryPlan['index'] = LOG_INDEX.project;
  const partition = [projectKey];
  if (filter.issueKey) {
    const local = filter.issueKey.startsWith(`${projectKey}-`);
    index = local ? LOG_INDEX.localKey : LOG_INDEX.partnerKey;
    partition.push(filter.issueKey);
    if (filter.outcome) eq('outcome', filter.outcome);
    if (filter.connectionId) eq('connectionId', filter.connectionId);
  } else if (filter.outcome) {
    index = LOG_INDEX.outcome;
    partition.push(filter.outcome);
    if (filter.connectionId) eq('connectionId', filter.connectionId);
  } else if (filter.connectionId) {
    index = LOG_INDEX.connection;
    partition.push(filter.connectionId);
  }
  if (filter.direction) eq('direction', filter.direction);
  if (filter.trigger) eq('trigger', filter.trigger);
  if (!filter.outcome && !filter.includeNoChange) filters.push({ property: 'outcome', condition: 'NOT_EQUAL_TO', values: ['no-change'] });
  const from = filter.from ? new Date(filter.from).toISOString() : undefined;
  const to = filter.to ? new Date(filter.to).toISOString() : undefined;
  const range: Condition | undefined =
    from && to ? { condition: 'BETWEEN', values: [from, to] }
    : from ? { condition: 'GREATER_THAN_EQUAL_TO', values: [from] }
    : to ? { condition: 'LESS_THAN_EQUAL_TO', values: [to] }
    : undefined;
  return { index, partition, ...(range ? { range } : {}), filters };
}

/**
 * The plans of an issue-key filter that may name either side: a key of the project (`ALOY-12` in ALOY) is the local
 * issue, and is also looked up as a partner issue, since a partner project may share the local project's key
 * (mirror projects often do). Any other key, or no key, has the one plan of {@link planLogQuery}.
 */
export function planLogQueries(projectKey: string, filter: LogFilter): LogQueryPlan[] {
  const plan = planLogQuery(projectKey, filter);
  if (plan.index !== LOG_INDEX.localKey) return [plan];
  return [plan, { ...plan, index: LOG_INDEX.partnerKey }];
}

/** Where a merged read stands: the newest-first position (`at`, then entity key, both descending) of the last entry. */
export interface LogPosition {
  at: string;
  key: string;
}

/** Whether `a` comes before `b` newest first (`at` descending, then key descending, as the index orders them). */
export function newerThan(a: LogPosition, b: LogPosition): boolean {
  return a.at !== b.at ? a.at > b.at : a.key > b.key;
}

/**
 * The range condition that reads `plan.range` from `after.at` down (inclusive, so entries sharing its time are read
 * and the caller drops those not strictly older than `after`), or `null` when nothing can be left.
 */
export function rangeFrom(range: Condition | undefined, after: LogPosition | undefined): Condition | undefined | null {
  if (!after) return range;
  const upper = after.at;
  if (!range) return { condition: 'LESS_THAN_EQUAL_TO', values: [upper] };
  const [a, b] = range.values as string[];
  const from = range.condition === 'BETWEEN' || range.condition === 'GREATER_THAN_EQUAL_TO' ? a : undefined;
  const to = range.condition === 'BETWEEN' ? b : range.condition === 'LESS_THAN_EQUAL_TO' ? a : undefined;
  const top = to !== undefined && to < upper ? to : upper;
  if (from !== undefined && from > top) return null;
  return from !== undefined ? { condition: 'BETWEEN', values: [from, top] } : { condition: 'LESS_THAN_EQUAL_TO', values: [top] };
}

/** Whether an entity value passes the plan's `and` filters (`EQUAL_TO` / `NOT_EQUAL_TO`, the ones plans use). */
export function passes(value: Record<string, unknown>, filters: LogQueryPlan['filters']): boolean {
  return filters.every((f) => (f.condition === 'EQUAL_TO' ? value[f.property] === f.values[0] : f.condition === 'NOT_EQUAL_TO' ? value[f.property] !== f.values[0] : false));
}
