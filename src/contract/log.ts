/**
 * Resolver contract of the sync log's filters and paging (`querySyncLog`, admins only) and of an issue's sync
 * history in its panel (`getIssueSyncHistory`, anyone who may browse the issue). Filters map onto the sync-log
 * entity's indexes (`src/store/log.ts`); a page is read newest first and carries an opaque `cursor` for the next.
 */
import { z } from 'zod';
// Lazy: './index' imports this module (the Resolvers table), so its schemas are read on first use.
import { SyncDirection, SyncLogEntry, SyncOutcome, SyncTrigger } from './index';

/** Outcomes the log's Outcome filter offers (the issue's list, plus the others the app writes). */
export const LogOutcomeFilter = z.lazy(() => SyncOutcome);

/** Largest page `querySyncLog` returns. */
export const LOG_PAGE_MAX = 100;

/** An issue key as Jira writes it, e.g. `ALOY-12` (case-insensitive on input, upper-cased). */
const IssueKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]*-\d+$/, 'Enter an issue key such as ALOY-12 (project key, dash, number).')
  .transform((k) => k.toUpperCase());

/** ISO-8601 instant, e.g. `2026-12-02T10:00:00.000Z`. */
const Instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'Enter a date and time such as 2026-12-02T10:00.');

/**
 * Payload of `querySyncLog`. Every filter is optional; together they all apply (AND). `from`/`to` are inclusive.
 * `includeNoChange` (default false) shows runs that changed nothing when no outcome is chosen.
 */
export const SyncLogFilter = z
  .object({
    outcome: LogOutcomeFilter.optional(),
    connectionId: z.string().min(1).optional(),
    direction: z.lazy(() => SyncDirection).optional(),
    trigger: z.lazy(() => SyncTrigger).optional(),
    /** A local or partner issue key. */
    issueKey: IssueKey.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    includeNoChange: z.boolean().default(false),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), { message: 'The time range ends before it starts: pick a "from" time before the "to" time.', path: ['to'] });
export type SyncLogFilter = z.input<typeof SyncLogFilter>;

export const SyncLogQueryInput = z.object({
  filter: SyncLogFilter.default({ includeNoChange: false }),
  /** Entries per page (1–100, default 50). */
  limit: z.number().int().min(1).max(LOG_PAGE_MAX).default(50),
  /** `cursor` of the previous page, to read the next one. */
  cursor: z.string().min(1).max(2000).optional(),
});
export type SyncLogQueryInput = z.input<typeof SyncLogQueryInput>;

/** One page of the log, newest first; `cursor` is null on the last page. */
export const SyncLogResultPage = z.object({ entries: z.array(z.lazy(() => SyncLogEntry)), cursor: z.string().nullable() });
export type SyncLogResultPage = z.infer<typeof SyncLogResultPage>;

/** How many entries the issue panel's history shows. */
export const ISSUE_HISTORY_SIZE = 10;
/** Result of `getIssueSyncHistory`: the issue's last {@link ISSUE_HISTORY_SIZE} sync events, newest first. */
export const IssueSyncHistory = z.object({ issueKey: z.string(), entries: z.array(z.lazy(() => SyncLogEntry)) });
export type IssueSyncHistory = z.infer<typeof IssueSyncHistory>;

/** Resolver keys of this area. */
export const LogResolvers = { querySyncLog: 'querySyncLog', getIssueSyncHistory: 'getIssueSyncHistory' } as const;
/** Payload/result schemas of this area. */
export const LogResolverSchemas = {
  querySyncLog: { payload: SyncLogQueryInput, result: SyncLogResultPage },
  getIssueSyncHistory: { payload: z.object({}).passthrough(), result: IssueSyncHistory },
} as const;
