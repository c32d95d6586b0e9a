/**
 * A connection: one local project ↔ one partner site and project, with the credentials reference, the conflict
 * policy and the field mapping. A local project may have several (two partner companies, or two partner
 * projects); an issue syncs through at most one. Stored as `connection:<projectKey>:<id>`.
 */
import { z } from 'zod';
import { ConnectionMapping } from './mapping';
import { ConflictPolicy } from './types';
import { NotificationSettings } from './notifications'; // notifications

// worklogs
/** A connection's worklog settings (see `Connection.worklogs`). */
export const WorklogSettings = z.object({ enabled: z.boolean().default(true), adjustEstimate: z.enum(['leave', 'auto']).default('leave') });
export type WorklogSettings = z.infer<typeof WorklogSettings>;
/** What a connection saved without a choice gets: worklogs sync, estimates left to each site. */
export const DEFAULT_WORKLOG_SETTINGS: WorklogSettings = { enabled: true, adjustEstimate: 'leave' };

/** Version of the stored connection shape; older records are migrated on first read (`src/store/migrate.ts`). */
export const CONNECTION_SCHEMA_VERSION = 2;

export const Connection = z.object({
  schemaVersion: z.literal(CONNECTION_SCHEMA_VERSION),
  /** Stable id, e.g. `c-3f9a1b2c`; a connection migrated from the one-partner settings is `legacy-<projectKey>`. */
  id: z.string().regex(/^[a-zA-Z0-9_-]{1,60}$/),
  projectKey: z.string(),
  projectId: z.string(),
  /** Public base URL of the local site (`https://<site>.atlassian.net`), for attribution and links. */
  localSiteUrl: z.string(),
  partnerUrl: z.string(),
  email: z.string(),
  partnerProjectKey: z.string(),
  partnerProjectId: z.string(),
  /**
   * Suffix of the Forge secrets holding this connection's API token (`token:<ref>`) and webhook secret
   * (`webhook-secret:<ref>`). A migrated connection keeps the project key its secrets were stored under.
   */
  credentialsRef: z.string(),
  /** Partner issue types that can be created (no sub-tasks), default first. */
  partnerIssueTypes: z.array(z.object({ id: z.string(), name: z.string() })),
  conflictPolicy: ConflictPolicy,
  /** Mirror comments restricted to a project role, with the same role on the other side. */
  mirrorRoleRestrictedComments: z.boolean().default(false),
  mapping: ConnectionMapping,
  /**
   * field area (issue 10 §5): "offer sync" rule, a JQL over the local project. New local issues that match it get
   * the question pre-asked in the panel and the "Partner sync" field; nothing syncs without a person's Yes.
   * Empty = no offer. Records written before this field existed parse with ''.
   */
  offerJql: z.string().max(2000).default(''),
  /**
   * worklogs: worklog sync of this connection. `enabled` (default on) copies time logged both ways; off, nothing
   * about worklogs is read or written (some companies do not share hours). `adjustEstimate` is what a mirrored
   * worklog does to the remaining estimate of the issue it lands on: `leave` (default: each site keeps its own
   * estimate, by its own rules) or `auto` (Jira reduces it by the time logged). Records written before this block
   * existed parse with the defaults.
   */
  worklogs: WorklogSettings.default(DEFAULT_WORKLOG_SETTINGS),
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
  // notifications (issue 11): channels of this connection (`src/model/notifications.ts`); absent (records written
  // before this field existed, connections made by other flows) = every channel off: read it with `notificationsOf`.
  notifications: NotificationSettings.optional(),
});
export type Connection = z.infer<typeof Connection>;

/** The id of the connection a project's one-partner settings (stored before connections existed) become. */
export function legacyConnectionId(projectKey: string): string {
  return `legacy-${projectKey}`;
}

/** How a connection is named to people: `partner.atlassian.net · PARTNER`. */
export function connectionLabel(c: Pick<Connection, 'partnerUrl' | 'partnerProjectKey'>): string {
  return `${c.partnerUrl.replace(/^https?:\/\//, '')} · ${c.partnerProjectKey}`;
}
