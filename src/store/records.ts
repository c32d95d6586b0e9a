/**
 * Stored records (Forge KVS values), each with its zod schema: every record read back is parsed, so a corrupt or
 * outdated value fails with a clear error instead of syncing garbage. No Forge imports here (the engine uses the
 * types; `kvs.ts` does the storage).
 */
import { z } from 'zod';
import { ConflictPolicy, SyncLogEntry } from '../contract';

const IdMap = z.record(z.string(), z.string());
const IdMaps = z.object({ status: IdMap, priority: IdMap });
/** Mirrors `FieldMapping` in `src/sync/types.ts`. */
export const FieldMappingRecord = z.object({ toPartner: IdMaps, toLocal: IdMaps });

/** A project's sync settings (`settings:<projectKey>`). The API token and webhook secret are stored as secrets. */
export const ProjectSettings = z.object({
  projectKey: z.string(),
  projectId: z.string(),
  /** Public base URL of the local site (`https://<site>.atlassian.net`), for attribution and links. */
  localSiteUrl: z.string(),
  partnerUrl: z.string(),
  email: z.string(),
  partnerProjectKey: z.string(),
  partnerProjectId: z.string(),
  /** Issue type id on the partner used for new partner issues when no type of the same name exists. */
  partnerIssueTypes: z.array(z.object({ id: z.string(), name: z.string() })),
  conflictPolicy: ConflictPolicy,
  /**
   * Mirror comments restricted to a project role, with the same role on the other side (off: restricted comments
   * never leave their site). Settings saved before it existed read as `false`.
   */
  mirrorRoleRestrictedComments: z.boolean().default(false),
  mapping: FieldMappingRecord,
  /** Status names by id on each side, for messages an admin can act on. */
  statusNames: z.object({ local: z.record(z.string(), z.string()), partner: z.record(z.string(), z.string()) }),
  /** accountId of the partner API user: the author of every comment we mirror onto the partner. */
  partnerAccountId: z.string(),
  /** accountId of this app on the local site (`asApp` myself): the author of every comment we mirror locally. */
  localAppAccountId: z.string(),
  /** Admin webhook registered on the partner, or null if registration failed. */
  webhookId: z.string().nullable(),
  /** ISO-8601. */
  savedAt: z.string(),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

const AnyJson = z.any();
const SideValuesRecord = z.object({
  summary: z.string(),
  description: AnyJson.nullable(),
  priority: z.string().nullable(),
  labels: z.array(z.string()),
  status: z.string().nullable(),
});

/** A linked pair of issues and what both sides agreed after the last successful sync (`link:<localIssueId>`). */
export const LinkRecord = z.object({
  projectKey: z.string(),
  localIssueId: z.string(),
  localIssueKey: z.string(),
  partnerIssueId: z.string(),
  partnerIssueKey: z.string(),
  /** Base snapshot: see `BaseSnapshot` in `src/sync/types.ts`. */
  base: z.object({ local: SideValuesRecord, partner: SideValuesRecord }),
  comments: z.array(z.object({ localId: z.string(), partnerId: z.string(), localHash: z.string(), partnerHash: z.string() })),
  state: z.enum(['ok', 'failed', 'conflicted', 'broken']),
  /** A paused link ignores events and reconcile until resumed; nothing is lost (resume syncs the difference). */
  paused: z.boolean().default(false),
  /** ISO-8601 of the last successful sync. */
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** `SyncError` code of the last failure (e.g. `partner-auth`), so an admin can retry all of one kind. */
  lastErrorCode: z.string().nullable().default(null),
  /** Consecutive failed runs; 0 after a success. Reconcile waits longer between retries as it grows. */
  failCount: z.number().int().min(0).default(0),
  /** Unsettled conflicts under the `manual` policy: field, base, local and partner values. */
  conflicts: z.array(z.object({ field: z.string(), base: AnyJson, local: AnyJson, partner: AnyJson, resolution: z.string() })),
  /**
   * Restricted comments not mirrored, as `<side>:<comment id>:<type>:<group or role>` (see `skipKey` in
   * `src/sync/comments.ts`), so each is logged once and a refused restriction is not retried every run. Links
   * stored before it existed read as `[]`.
   */
  skippedComments: z.array(z.string()).default([]),
  /**
   * The glance/context status lozenge last written to the local issue (see `src/sync/lozenge.ts`), so a save
   * writes the issue property only when the lozenge changes. Links stored before it existed read as `null`: their
   * next save writes the lozenge once.
   */
  shown: z.object({ label: z.string(), type: z.enum(['default', 'success', 'removed', 'inprogress', 'new', 'moved']) }).nullable().default(null),
});
export type LinkRecord = z.infer<typeof LinkRecord>;

/** Index entry of a failed link (`failed:<localIssueId>`), so reconcile and Retry do not scan every link. */
export const FailedEntry = z.object({
  projectKey: z.string(),
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

/** The body of one sync-job queue event. */
export const SyncJobEvent = z.object({
  projectKey: z.string(),
  localIssueId: z.string(),
  trigger: z.enum(['create', 'event', 'webhook', 'reconcile', 'manual']),
});
export type SyncJobEvent = z.infer<typeof SyncJobEvent>;

/** A log entry before the store gives it an id and time. */
export type NewLogEntry = Omit<SyncLogEntry, 'id' | 'at'>;

/** Reconcile watermarks per project (`watermark:<projectKey>`): ISO-8601 times of the last completed run. */
export const Watermark = z.object({ local: z.string(), partner: z.string() });
export type Watermark = z.infer<typeof Watermark>;
