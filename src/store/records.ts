/**
 * Stored records (Forge KVS values) that belong to the store, each with its zod schema: every record read back is
 * parsed, so a corrupt or outdated value fails with a clear error instead of syncing garbage. The domain records
 * (connections, links) are in `src/model`; older shapes and their migrations are in `./migrate.ts`.
 */
import { z } from 'zod';
import { LogActor } from '../contract/log-entry'; // log
import type { SyncLogEntry } from '../contract';

export { Connection } from '../model/connection';
export { LinkRecord } from '../model/link';

/** Index entry of a failed link (`failed:<localIssueId>`), so reconcile and Retry do not scan every link. */
export const FailedEntry = z.object({
  projectKey: z.string(),
  /** The link's connection; entries written before connections existed read as the project's legacy one. */
  connectionId: z.string().optional(),
  localIssueId: z.string(),
  localIssueKey: z.string(),
  partnerIssueKey: z.string(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** ISO-8601 time of the failure. */
  at: z.string(),
  /** Consecutive failed runs of this link. */
  attempts: z.number().int().min(1).default(1),
});
export type FailedEntry = z.infer<typeof FailedEntry>;

/** Index entry of a link with conflicts waiting for a person (`conflicted:<localIssueId>`), for the waiting list. */
export const ConflictedEntry = z.object({
  projectKey: z.string(),
  connectionId: z.string(),
  localIssueId: z.string(),
  localIssueKey: z.string(),
  partnerIssueKey: z.string(),
  /** Names of the conflicting fields. */
  fields: z.array(z.string()),
  /** ISO-8601 time the oldest of them was found. */
  since: z.string(),
});
export type ConflictedEntry = z.infer<typeof ConflictedEntry>;

/**
 * The body of one sync-job queue event. `connectionId` is absent in events queued by the version before
 * connections; the job then takes the link's own connection.
 */
export const SyncJobEvent = z.object({
  projectKey: z.string(),
  connectionId: z.string().optional(),
  localIssueId: z.string(),
  trigger: z.enum(['create', 'event', 'webhook', 'reconcile', 'manual']),
  /**
   * A partner delivery by the app's own account that was not an echo when it arrived, trimmed to what echo
   * recognition reads (`echoCandidate` in `src/sync/echo.ts`): it may still be the echo of a write whose link the
   * running job has not saved yet, so the job re-checks it against the saved link before reading anything.
   */
  echo: z.record(z.string(), z.unknown()).optional(),
  /** On a create's follow-up: the side the create just made (the first attempt need not read it; see `JobOptions.created`). */
  created: z.enum(['local', 'partner']).optional(),
  // health/log: for the sync log's timings and "who" (optional: events queued by earlier versions have neither)
  /** ISO-8601 time the product event or webhook reached the app. */
  receivedAt: z.string().optional(),
  /** Who made the edit that started the job, on which site. */
  actor: LogActor.optional(),
});
export type SyncJobEvent = z.infer<typeof SyncJobEvent>;

/** A log entry before the store gives it an id and time. */
export type NewLogEntry = Omit<z.input<typeof SyncLogEntry>, 'id' | 'at'>;

/** Reconcile watermarks per connection (`watermark:<connectionId>`): ISO-8601 times of the last completed run. */
export const Watermark = z.object({ local: z.string(), partner: z.string() });
export type Watermark = z.infer<typeof Watermark>;
