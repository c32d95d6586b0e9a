/**
 * The resolver contract: function keys, payload and result schemas shared by the resolvers (`src/handlers`) and the
 * Custom UI (`static/`). Both sides parse with these zod schemas, so a drift fails loudly at the boundary.
 *
 * Every resolver returns a {@link ResolverResult}: `{ok: true, data}` or `{ok: false, error: {code, message}}`,
 * where `message` is written for the person looking at the page (what happened, what to do).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { z } from 'zod';
import { ConnectionMapping } from '../model/mapping';
import { CheckMappingInput, MappingCatalog, MappingCatalogInput, MappingCheck, Preview, PreviewInput } from './mapping';
import { ConflictPolicy } from '../model/types';
import { IssueConflicts, ResolveConflictInput, WaitingConflicts } from './conflicts';
import { ApplyMatchInput, ApplyMatchResult, ExistingPreview, ExistingPreviewInput, LinkExistingInput, MatchPreviewInput, MatchPreviewView, PartnerSearchInput, PartnerSearchResult } from './existing';
import { FieldResolvers, FieldResolverSchemas } from './field';
import { BulkPreview, BulkPreviewInput, BulkRunList, BulkRunRef, BulkRunView, StartBulkInput } from './bulk';
import { DEFAULT_WORKLOG_SETTINGS, WorklogSettings } from '../model/connection'; // worklogs
import { HealthResolvers, HealthResolverSchemas } from './health'; // health
import { NotifyResolvers, NotifyResolverSchemas } from './notify'; // notifications
import { HierarchyResolvers, HierarchyResolverSchemas } from './hierarchy'; // hierarchy
import { LogEntryDetail } from './log-entry'; // log: richer entries
import { LogResolvers, LogResolverSchemas } from './log'; // log: filters, paging, issue history
import { LinkTypeResolvers, LinkTypeResolverSchemas } from './link-types'; // link types

/** Resolver function keys (`invoke(name, payload)` in `@forge/bridge`). */
export const Resolvers = {
  listConnections: 'listConnections',
  saveConnection: 'saveConnection',
  deleteConnection: 'deleteConnection',
  testConnection: 'testConnection',
  getMappingCatalog: 'getMappingCatalog',
  checkMapping: 'checkMapping',
  previewMapping: 'previewMapping',
  getSyncLog: 'getSyncLog',
  getIssueSync: 'getIssueSync',
  enableSync: 'enableSync',
  syncNow: 'syncNow',
  setSyncPaused: 'setSyncPaused',
  unlinkIssue: 'unlinkIssue',
  getFailedLinks: 'getFailedLinks',
  retryFailed: 'retryFailed',
  getConflicts: 'getConflicts',
  resolveConflict: 'resolveConflict',
  getWaitingConflicts: 'getWaitingConflicts',
  // existing: link issues that already exist (src/contract/existing.ts)
  searchPartnerIssues: 'searchPartnerIssues',
  previewExistingLink: 'previewExistingLink',
  linkExistingIssue: 'linkExistingIssue',
  previewMatch: 'previewMatch',
  applyMatch: 'applyMatch',
  // field area
  ...FieldResolvers,
  // bulk (link / import by JQL)
  previewBulk: 'previewBulk',
  startBulk: 'startBulk',
  getBulkRun: 'getBulkRun',
  listBulkRuns: 'listBulkRuns',
  cancelBulk: 'cancelBulk',
  resumeBulk: 'resumeBulk',
  retryBulkFailures: 'retryBulkFailures',
  // health: charts and the Jira admin page (src/contract/health.ts)
  ...HealthResolvers,
  // notifications (src/contract/notify.ts)
  ...NotifyResolvers,
  // hierarchy (src/contract/hierarchy.ts)
  ...HierarchyResolvers,
  // log: filters, paging, issue history (src/contract/log.ts)
  ...LogResolvers,
  // link types: the mapping editor's Link types tab (src/contract/link-types.ts)
  ...LinkTypeResolvers,
} as const;
export type ResolverName = (typeof Resolvers)[keyof typeof Resolvers];

export { ConflictPolicy, ConnectionMapping };
export * from './mapping';
export * from './conflicts';
export * from './existing';
export * from './field';
export * from './bulk';
export * from './health'; // health
export * from './notify'; // notifications
export * from './log'; // log
export * from './log-entry'; // log
export * from './link-types'; // link types

/**
 * Partner site base URL: `https://<name>.atlassian.net`, no path (the manifest's only egress). Normalised as typed
 * or pasted: trimmed, lower-cased (scheme and host are case-insensitive) and without trailing slashes, so
 * `HTTPS://Partner.Atlassian.NET/` is stored, compared and linked as `https://partner.atlassian.net`.
 */
export const PartnerUrl = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase().replace(/\/+$/, ''))
  .pipe(z.string().regex(/^https:\/\/[a-z0-9][a-z0-9-]*\.atlassian\.net$/, 'Partner URL must look like https://your-partner.atlassian.net'));

/** A Jira project key, e.g. `PARTNER`. */
export const ProjectKey = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'Project key must be 2–10 capital letters or digits, starting with a letter, e.g. PARTNER');

/**
 * Payload of `saveConnection` and `testConnection`. Without `connectionId` a new connection is made; with it, that
 * connection is changed. An empty or missing `apiToken` keeps the stored token. Without `mapping` a new
 * connection gets the default mapping and an existing one keeps its own.
 */
export const SettingsInput = z.object({
  connectionId: z.string().regex(/^[a-zA-Z0-9_-]{1,60}$/).optional(),
  partnerUrl: PartnerUrl,
  email: z.string().trim().email('Email must be the partner account email, e.g. you@partner.example'),
  apiToken: z.string().trim().max(500).optional(),
  partnerProjectKey: ProjectKey,
  conflictPolicy: ConflictPolicy.default('newest-wins'),
  /**
   * Mirror comments restricted to a project role, keeping the restriction (the role must exist on both sites, same
   * name). Off: restricted comments never leave their site. Group-restricted comments are never mirrored.
   */
  mirrorRoleRestrictedComments: z.boolean().default(false),
  mapping: ConnectionMapping.optional(),
  /** field area: the "offer sync" JQL (see `Connection.offerJql`); missing keeps the stored rule, '' removes it. */
  offerJql: z.string().trim().max(2000, 'The offer rule is at most 2,000 characters of JQL').optional(),
  /** worklogs: sync worklogs, and what a mirrored worklog does to the remaining estimate; missing keeps the stored choice. */
  worklogs: WorklogSettings.optional(),
});
export type SettingsInput = z.input<typeof SettingsInput>;

/** One connection as the settings page shows it. The API token and webhook secret are never included, only whether they are set. */
export const SettingsView = z.object({
  /** The connection's id. */
  id: z.string(),
  /** How people call it: `partner.atlassian.net · PARTNER`. */
  label: z.string(),
  projectKey: z.string(),
  configured: z.boolean(),
  partnerUrl: z.string().nullable(),
  email: z.string().nullable(),
  apiTokenSet: z.boolean(),
  partnerProjectKey: z.string().nullable(),
  conflictPolicy: ConflictPolicy,
  /** See `SettingsInput.mirrorRoleRestrictedComments`. */
  mirrorRoleRestrictedComments: z.boolean(),
  webhookRegistered: z.boolean(),
  /** Local status id → partner status id, as saved (filled automatically by name when settings are saved). */
  statusMap: z.record(z.string(), z.string()),
  /** The whole field mapping (what the mapping editor edits). */
  mapping: ConnectionMapping,
  /** field area: the "offer sync" JQL, '' when none. */
  offerJql: z.string().default(''),
  /** worklogs: see `Connection.worklogs`. */
  worklogs: WorklogSettings.default(DEFAULT_WORKLOG_SETTINGS),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** Result of `listConnections` and `deleteConnection`: the project's connections, oldest first. */
export const ConnectionList = z.object({ projectKey: z.string(), connections: z.array(SettingsView) });
export type ConnectionList = z.infer<typeof ConnectionList>;
/** Payload of `deleteConnection`: its links stop syncing; both sites' issues stay as they are. */
export const DeleteConnectionInput = z.object({ connectionId: z.string(), confirmed: z.literal(true) });

/** One step of Test connection, e.g. "Sign in to partner" → ok / the exact failure. */
export const ConnectionStep = z.object({ name: z.string(), ok: z.boolean(), message: z.string() });
export const ConnectionReport = z.object({ ok: z.boolean(), steps: z.array(ConnectionStep) });
export type ConnectionReport = z.infer<typeof ConnectionReport>;

/** Where a sync job was started from. */
export const SyncTrigger = z.enum(['create', 'event', 'webhook', 'reconcile', 'manual']);
/** Which way data moved in one job. */
export const SyncDirection = z.enum(['local-to-partner', 'partner-to-local', 'both', 'none']);
/** The outcome of one job, or a rejected input (bad webhook signature, malformed payload). */
export const SyncOutcome = z.enum(['created', 'synced', 'no-change', 'conflict', 'resolved', 'failed', 'rejected', 'broken', 'paused', 'resumed', 'unlinked', /* log: a retryable failure, tried again */ 'retrying']);

/** One sync-log entry: written by every job and every rejected input. */
export const SyncLogEntry = z.object({
  id: z.string(),
  /** ISO-8601 time the entry was written. */
  at: z.string(),
  /** The connection the entry is about; null for entries not about one (and for entries written before connections). */
  connectionId: z.string().nullable().default(null),
  trigger: SyncTrigger,
  direction: SyncDirection,
  localIssueKey: z.string().nullable(),
  partnerIssueKey: z.string().nullable(),
  /** Field ids that changed, e.g. `summary`, `status`, `comment`. */
  fields: z.array(z.string()),
  outcome: SyncOutcome,
  /** Plain words for an admin: what happened and, on failure, what to do. */
  message: z.string(),
  /** health: ISO-8601 time the app received the event that started the job (absent for runs not started by one). */
  // log: before → after, who, timings, cause (src/contract/log-entry.ts)
  ...LogEntryDetail,
});
export type SyncLogEntry = z.infer<typeof SyncLogEntry>;

export const SyncLogQuery = z.object({ limit: z.number().int().min(1).max(200).default(50) });
export const SyncLogPage = z.object({ entries: z.array(SyncLogEntry) });
export type SyncLogPage = z.infer<typeof SyncLogPage>;

/** Link state as the panel and glance show it. */
export const LinkView = z.object({
  partnerIssueId: z.string(),
  partnerIssueKey: z.string(),
  /** Browser URL of the partner issue, e.g. `https://partner.atlassian.net/browse/PARTNER-1`. */
  partnerIssueUrl: z.string(),
  state: z.enum(['ok', 'failed', 'conflicted', 'broken']),
  /** True while a user has paused syncing of this issue. */
  paused: z.boolean(),
  /** ISO-8601 time of the last successful sync, or null. */
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type LinkView = z.infer<typeof LinkView>;

/** A partner the issue can sync with: one connection of its project. */
export const PartnerChoice = z.object({ connectionId: z.string(), siteUrl: z.string(), projectKey: z.string(), label: z.string() });
export type PartnerChoice = z.infer<typeof PartnerChoice>;

/**
 * Result of `getIssueSync` and `enableSync`. `partners` lists the project's connections (empty when the project is
 * not set up); `partner` is the linked one, else the only one, else null (the user picks one of `partners`).
 */
export const IssueSyncView = z.object({
  issueKey: z.string(),
  partner: PartnerChoice.nullable(),
  partners: z.array(PartnerChoice),
  link: LinkView.nullable(),
});
export type IssueSyncView = z.infer<typeof IssueSyncView>;

/** Payload of `enableSync`: the user must have confirmed the dialog naming the partner site and project. */
export const EnableSyncInput = z.object({
  confirmed: z.literal(true),
  /** Which partner, when the project has more than one connection. */
  connectionId: z.string().optional(),
});
/** Payload of `setSyncPaused`. Resuming syncs whatever changed while paused. */
export const PauseInput = z.object({ paused: z.boolean() });
/** Payload of `unlinkIssue`: both issues stay as they are; only the link (and its sync) ends. */
export const UnlinkInput = z.object({ confirmed: z.literal(true) });

/** A link whose last job failed, as the sync log's Failed list shows it. */
export const FailedLink = z.object({
  localIssueKey: z.string(),
  partnerIssueKey: z.string(),
  /** Error code, e.g. `partner-auth`, `no-transition`, `jira-unavailable`: "retry all of one kind" uses it. */
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** ISO-8601 time of the failure. */
  at: z.string(),
});
export type FailedLink = z.infer<typeof FailedLink>;
export const FailedLinks = z.object({ failed: z.array(FailedLink) });
/** Payload of `retryFailed`: one issue, every failed link, or every failed link with one error code. */
export const RetryInput = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('one'), localIssueKey: z.string() }),
  z.object({ scope: z.literal('all') }),
  z.object({ scope: z.literal('code'), code: z.string() }),
]);
export const RetryResult = z.object({ queued: z.number().int() });
export const EmptyInput = z.object({}).passthrough();

/** Error codes a resolver can return; `message` carries the words. */
export const ErrorCode = z.enum([
  'invalid-input',
  'forbidden',
  'not-configured',
  'partner-auth',
  'partner-unreachable',
  'partner-project',
  'not-found',
  'internal',
]);
export const ResolverError = z.object({ code: ErrorCode, message: z.string() });
export type ResolverError = z.infer<typeof ResolverError>;

/** Every resolver's return shape. */
export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: ResolverError };

/** Schema of a {@link ResolverResult} around `data`, for the UI to parse what `invoke` returned. */
export function resolverResult<T extends z.ZodTypeAny>(data: T) {
  return z.union([
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ResolverError }),
  ]);
}

/** Payload and result schemas per resolver, so both sides use the same pair. */
export const ResolverSchemas = {
  listConnections: { payload: EmptyInput, result: ConnectionList },
  saveConnection: { payload: SettingsInput, result: SettingsView },
  deleteConnection: { payload: DeleteConnectionInput, result: ConnectionList },
  testConnection: { payload: SettingsInput, result: ConnectionReport },
  getMappingCatalog: { payload: MappingCatalogInput, result: MappingCatalog },
  checkMapping: { payload: CheckMappingInput, result: MappingCheck },
  previewMapping: { payload: PreviewInput, result: Preview },
  getSyncLog: { payload: SyncLogQuery, result: SyncLogPage },
  getIssueSync: { payload: EmptyInput, result: IssueSyncView },
  enableSync: { payload: EnableSyncInput, result: IssueSyncView },
  syncNow: { payload: EmptyInput, result: IssueSyncView },
  setSyncPaused: { payload: PauseInput, result: IssueSyncView },
  unlinkIssue: { payload: UnlinkInput, result: IssueSyncView },
  getFailedLinks: { payload: EmptyInput, result: FailedLinks },
  retryFailed: { payload: RetryInput, result: RetryResult },
  getConflicts: { payload: EmptyInput, result: IssueConflicts },
  resolveConflict: { payload: ResolveConflictInput, result: IssueConflicts },
  getWaitingConflicts: { payload: EmptyInput, result: WaitingConflicts },
  // existing: link issues that already exist (src/contract/existing.ts)
  searchPartnerIssues: { payload: PartnerSearchInput, result: PartnerSearchResult },
  previewExistingLink: { payload: ExistingPreviewInput, result: ExistingPreview },
  linkExistingIssue: { payload: LinkExistingInput, result: IssueSyncView },
  previewMatch: { payload: MatchPreviewInput, result: MatchPreviewView },
  applyMatch: { payload: ApplyMatchInput, result: ApplyMatchResult },
  // field area
  ...FieldResolverSchemas,
  // bulk (link / import by JQL)
  previewBulk: { payload: BulkPreviewInput, result: BulkPreview },
  startBulk: { payload: StartBulkInput, result: BulkRunView },
  getBulkRun: { payload: BulkRunRef, result: BulkRunView },
  listBulkRuns: { payload: EmptyInput, result: BulkRunList },
  cancelBulk: { payload: BulkRunRef, result: BulkRunView },
  resumeBulk: { payload: BulkRunRef, result: BulkRunView },
  retryBulkFailures: { payload: BulkRunRef, result: BulkRunView },
  // health
  ...HealthResolverSchemas,
  // notifications (src/contract/notify.ts)
  ...NotifyResolverSchemas,
  // hierarchy
  ...HierarchyResolverSchemas,
  // log: filters, paging, issue history (src/contract/log.ts)
  ...LogResolverSchemas,
  // link types
  ...LinkTypeResolverSchemas,
} as const;
