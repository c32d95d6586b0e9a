/**
 * Resolver contract of the health views: the charts on the settings page's Sync log tab (`getHealth`, project
 * admins) and the Jira admin page listing every connection of the site (`getSiteHealth`, `retryConnectionFailures`,
 * Jira admins: the `ADMINISTER` global permission). Metrics come from the hourly aggregates of
 * `src/store/metrics.ts`, never from a scan of the sync log.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-admin-page
 */
import { z } from 'zod';

/** Resolver function keys of the health views. */
export const HealthResolvers = {
  getHealth: 'getHealth',
  getSiteHealth: 'getSiteHealth',
  retryConnectionFailures: 'retryConnectionFailures',
} as const;

/** One hour of a chart (see `HealthPoint` in `src/sync/metrics.ts`). Latencies in ms, null without samples. */
export const HealthPoint = z.object({
  /** ISO-8601 start of the UTC hour. */
  hour: z.string(),
  runs: z.number().int(),
  synced: z.number().int(),
  failures: z.number().int(),
  conflicts: z.number().int(),
  rateLimitHits: z.number().int(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  samples: z.number().int(),
});
export type HealthPoint = z.infer<typeof HealthPoint>;

/** Payload of `getHealth`: one connection of the page's project, or (absent) all of them added up. */
export const HealthInput = z.object({ connectionId: z.string().max(60).optional() });

/** One range of the charts: its hourly points (oldest first) and totals over the range. */
export const HealthRange = z.object({ points: z.array(HealthPoint), total: HealthPoint });
export type HealthRange = z.infer<typeof HealthRange>;

/** Result of `getHealth`: the last 24 hours and the last 7 days (168 hours), per hour, in UTC hours. */
export const HealthView = z.object({
  /** ISO-8601 time the figures were read. */
  at: z.string(),
  connections: z.array(z.object({ id: z.string(), label: z.string() })),
  day: HealthRange,
  week: HealthRange,
});
export type HealthView = z.infer<typeof HealthView>;

/**
 * Whether the partner API token works, and how that is known: `checked` is a `GET /rest/api/3/myself` on the
 * partner made while the page loaded; `missing` means no token is stored.
 */
export const TokenState = z.object({
  state: z.enum(['valid', 'invalid', 'missing', 'unknown']),
  /** Words for the admin, e.g. the partner's answer when it refused the token. */
  message: z.string(),
});

/**
 * The partner admin webhook: `registered` (the partner lists it), `missing` (saved but the partner no longer has
 * it), `not-registered` (registration failed on Save), `unknown` (the partner could not be asked).
 */
export const WebhookState = z.object({
  state: z.enum(['registered', 'missing', 'not-registered', 'unknown']),
  message: z.string(),
});

/** One connection as the admin page lists it. */
export const SiteConnection = z.object({
  connectionId: z.string(),
  projectKey: z.string(),
  /** `partner.atlassian.net · PARTNER`. */
  label: z.string(),
  partnerUrl: z.string(),
  partnerProjectKey: z.string(),
  /** Linked issues of the connection (every state). */
  links: z.number().int(),
  /** Links whose last sync failed. */
  failing: z.number().int(),
  /** Links with conflicts waiting for a person (policy `manual`). */
  conflictsWaiting: z.number().int(),
  /** ISO-8601 time of the newest successful sync of any of its links, or null. */
  lastSyncAt: z.string().nullable(),
  webhook: WebhookState,
  token: TokenState,
  /** 429 answers seen by the connection's calls: last 24 hours, last 7 days. */
  rateLimitHits: z.object({ day: z.number().int(), week: z.number().int() }),
  /**
   * Path of the project's Task sync settings page on the site:
   * `/jira/software/projects/{projectKey}/settings/apps/{appId}/{envId}` (the page URL Jira builds for a
   * `jira:projectSettingsPage`).
   */
  settingsPath: z.string(),
});
export type SiteConnection = z.infer<typeof SiteConnection>;

export const SiteHealth = z.object({ at: z.string(), connections: z.array(SiteConnection) });
export type SiteHealth = z.infer<typeof SiteHealth>;

/** Payload of `retryConnectionFailures`: every failed link of one connection is queued again. */
export const RetryConnectionInput = z.object({
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'Project key must be 2–10 capital letters or digits'),
  connectionId: z.string().regex(/^[a-zA-Z0-9_-]{1,60}$/, 'Connection id is letters, digits, - and _'),
});
export const RetryConnectionResult = z.object({ queued: z.number().int() });

/** Payload and result schemas of the health resolvers. */
export const HealthResolverSchemas = {
  getHealth: { payload: HealthInput, result: HealthView },
  getSiteHealth: { payload: z.object({}).passthrough(), result: SiteHealth },
  retryConnectionFailures: { payload: RetryConnectionInput, result: RetryConnectionResult },
} as const;
