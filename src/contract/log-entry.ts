/**
 * The richer parts of a sync-log entry (issue 11): each field's before → after, who made the change on which site,
 * the timings of the run, and for failures the cause and what to do. Every field is optional so entries written by
 * earlier versions still parse. Spread into `SyncLogEntry` (`src/contract/index.ts`); imports nothing of ours so
 * that file can use it without a cycle.
 */
import { z } from 'zod';

/** Which site a value or a person belongs to. */
export const LogSite = z.enum(['local', 'partner']);

/** One field copied by a run, as a reader sees it (names, not ids; rich text as plain text, shortened). */
export const LogFieldChange = z.object({
  /** Local field id, e.g. `summary`, `status`, `customfield_10010`, or `comment`. */
  field: z.string(),
  /** Display name, e.g. `Status`. */
  name: z.string(),
  /** The site that was written. */
  to: LogSite,
  /** Value on the written site before the run, e.g. `To Do`; `(empty)` when it had none. */
  before: z.string(),
  /** Value written, e.g. `In Progress`. */
  after: z.string(),
});
export type LogFieldChange = z.infer<typeof LogFieldChange>;

/**
 * The person whose edit started the run: the product event's `atlassianId` (local) or the webhook's `user`
 * (partner). Only the event that started a job is known; edits coalesced into the same run are not named.
 */
export const LogActor = z.object({ accountId: z.string(), displayName: z.string().optional(), site: LogSite });
export type LogActor = z.infer<typeof LogActor>;

/** ISO-8601 times of one run: when its event reached the app, when the job started, when it ended. */
export const LogTimings = z.object({
  receivedAt: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
});
export type LogTimings = z.infer<typeof LogTimings>;

/** Optional fields of `SyncLogEntry` (all absent on entries written before issue 11). */
export const LogEntryDetail = {
  /** Local issue id, so an issue's history survives a key change (move). */
  localIssueId: z.string().nullable().optional(),
  changes: z.array(LogFieldChange).optional(),
  actor: LogActor.nullable().optional(),
  timings: LogTimings.optional(),
  /** For failures: the error code, e.g. `partner-auth`, `no-transition`. */
  errorCode: z.string().nullable().optional(),
  /** For failures: the cause in words. */
  cause: z.string().optional(),
  /** For failures: what an admin should do. */
  advice: z.string().optional(),
};
