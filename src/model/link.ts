/**
 * A link: local issue ↔ partner issue through one connection, with the base snapshot (the normalised value of
 * every mapped field as both sides agreed after the last successful sync, keyed by each side's field ids) and
 * the comment-id map. Stored as `link:<localIssueId>`: an issue syncs with at most one partner issue.
 */
import { z } from 'zod';
import { Notice } from './notifications'; // notifications
import { REGISTRY } from './fields';
import { FIELD_KINDS } from './mapping';

/**
 * A normalised field value as a base snapshot holds it: whatever one of the registry's codecs produces (the union
 * of their schemas), so a corrupt base is refused when read instead of syncing garbage.
 */
export const BaseValue = z.union(FIELD_KINDS.map((k) => REGISTRY[k].schema) as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]]);
/** One side of a base snapshot: field id → normalised value. */
export const BaseSide = z.record(z.string(), BaseValue);
export const BaseSnapshotRecord = z.object({ local: BaseSide, partner: BaseSide });

/**
 * A conflict waiting for a person: field ids, the base, local and partner values as the job last saw them (each in
 * its own side's terms; large rich text as a digest), and since when it waits. Records written before `since`
 * existed read with `since: null` (shown as the link's last sync time).
 */
export const StoredConflict = z.object({
  field: z.string(),
  partnerField: z.string().optional(),
  name: z.string().optional(),
  base: z.any(),
  local: z.any(),
  partner: z.any(),
  resolution: z.string(),
  /** ISO-8601 time the conflict was first found; kept while the same field stays in conflict. */
  since: z.string().nullable().default(null),
});
export type StoredConflict = z.infer<typeof StoredConflict>;

// attachments
/** One mirrored attachment: local ↔ partner attachment ids, and their media file UUIDs when known. */
export const AttachmentLink = z.object({ localId: z.string(), partnerId: z.string(), localMediaId: z.string().optional(), partnerMediaId: z.string().optional() });
export type AttachmentLink = z.infer<typeof AttachmentLink>;

export const LinkState = z.enum(['ok', 'failed', 'conflicted', 'broken']);

export const LinkRecord = z.object({
  /** The connection the link syncs through. */
  connectionId: z.string(),
  projectKey: z.string(),
  localIssueId: z.string(),
  localIssueKey: z.string(),
  partnerIssueId: z.string(),
  partnerIssueKey: z.string(),
  base: BaseSnapshotRecord,
  comments: z.array(z.object({ localId: z.string(), partnerId: z.string(), localHash: z.string(), partnerHash: z.string() })),
  state: LinkState,
  /** A paused link ignores events and reconcile until resumed; nothing is lost (resume syncs the difference). */
  paused: z.boolean().default(false),
  /** ISO-8601 of the last successful sync. */
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** `SyncError` code of the last failure (e.g. `partner-auth`), so an admin can retry all of one kind. */
  lastErrorCode: z.string().nullable().default(null),
  /** Consecutive failed runs; 0 after a success. Reconcile waits longer between retries as it grows. */
  failCount: z.number().int().min(0).default(0),
  /** Unsettled conflicts under the `manual` policy (connection-wide or the field's own): see {@link StoredConflict}. */
  conflicts: z.array(StoredConflict),
  /**
   * Restricted comments not mirrored, as `<side>:<comment id>:<type>:<group or role>` (see `skipKey` in
   * `src/sync/comments.ts`), so each is logged once and a refused restriction is not retried every run.
   */
  skippedComments: z.array(z.string()).default([]),
  /** The glance/context status lozenge last written to the local issue (see `src/sync/lozenge.ts`). */
  shown: z.object({ label: z.string(), type: z.enum(['default', 'success', 'removed', 'inprogress', 'new', 'moved']) }).nullable().default(null),
  /**
   * worklogs: the worklog-id map, as the comment map (local id ↔ partner id with each side's content hash, see
   * `src/sync/worklogs.ts`). Links stored before worklogs synced parse with `[]`.
   */
  worklogs: z.array(z.object({ localId: z.string(), partnerId: z.string(), localHash: z.string(), partnerHash: z.string() })).default([]),
  // notifications (issue 11): the failure episode the link is in, told once (`src/sync/notify-episodes.ts`); absent
  // (links stored before notifications existed) = none.
  notice: Notice.nullable().optional(),
  // attachments (see `src/sync/attachment-sync.ts`); absent (links stored before attachments synced, or new) = none.
  /** Mirrored attachments: each side's attachment id and, when Jira told it, its media file id (what ADF names). */
  attachments: z.array(AttachmentLink).optional(),
  /** Attachments not mirrored (too large), as `<side>:<attachment id>`, so each is logged once and never retried. */
  skippedAttachments: z.array(z.string()).optional(),
  // hierarchy (issue 12): parents and issue links; both absent in records written before them
  /** The parent issue ids both sides agreed on after the last sync (null = no parent); absent = not yet known. */
  parentBase: z.object({ local: z.string().nullable(), partner: z.string().nullable() }).optional(),
  /** Mirrored issue links of this issue: local link id ↔ partner link id (see `src/sync/issue-link-sync.ts`). */
  issueLinks: z.array(z.object({ localId: z.string(), partnerId: z.string() })).optional(),
});
export type LinkRecord = z.infer<typeof LinkRecord>;
