/**
 * Resolvers of the health views (contract: `src/contract/health.ts`):
 * - `getHealth` (settings page, project admins): the project's hourly metrics for the charts;
 * - `getSiteHealth`, `retryConnectionFailures` (the `jira:adminPage`, Jira admins only: `ADMINISTER`, checked
 *   server-side with `asUser()` + mypermissions): every connection of the site, and Retry of all failed syncs of
 *   one connection through the same queue path as the settings page's Retry.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-admin-page
 */
import { getAppContext } from '@forge/api';
import { HealthResolverSchemas, type HealthRange, type HealthView, type SiteConnection, type SiteHealth } from '../contract';
import { connectionLabel, legacyConnectionId, type Connection } from '../model/connection';
import { SyncError, toSyncError } from '../model/errors';
import * as connections from '../store/connections';
import * as store from '../store/kvs';
import { linkStatsByConnection } from '../store/link-stats';
import { readHealth, readHours } from '../store/metrics';
import { hourlySeries, totalOf, type HourMetrics } from '../sync/metrics';
import { projectKeyOf, requireJiraAdmin, requireProjectAdmin, type CallerContext } from './auth';
import { tokenPartnerSite } from './deps';
import { enqueueSync } from './queue';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

const HOUR = 3_600_000;

/** Hourly points and totals of the last `hours` hours. */
function range(records: HourMetrics[], hours: number, now: number): HealthRange {
  const points = hourlySeries(records, hours, now);
  const from = points[0].hour;
  return { points, total: totalOf(records.filter((r) => r.hour >= from), from) };
}

/** The charts' figures of some connections (added up). */
async function healthOf(list: Connection[], now: number): Promise<HealthView> {
  const records = (await Promise.all(list.map((c) => readHours(c.id, now - 7 * 24 * HOUR + HOUR)))).flat();
  return { at: new Date(now).toISOString(), connections: list.map((c) => ({ id: c.id, label: connectionLabel(c) })), day: range(records, 24, now), week: range(records, 168, now) };
}

/** The page URL Jira builds for the app's project settings page (Forge manifest reference). */
function settingsPath(projectKey: string): string {
  const app = getAppContext();
  return `/jira/software/projects/${encodeURIComponent(projectKey)}/settings/apps/${app.appAri.appId}/${app.environmentAri.environmentId}`;
}

/** Checks the connection's token and webhook with two cheap partner reads made now. */
async function partnerChecks(c: Connection): Promise<Pick<SiteConnection, 'token' | 'webhook'>> {
  const apiToken = await store.getApiToken(c.credentialsRef);
  if (!apiToken) {
    return {
      token: { state: 'missing', message: 'No API token is stored. A project admin can enter one in the project’s Task sync settings.' },
      webhook: { state: 'unknown', message: 'Not checked without a token.' },
    };
  }
  const partner = tokenPartnerSite({ siteUrl: c.partnerUrl, email: c.email, apiToken });
  const [me, hooks] = await Promise.allSettled([partner.myself(), c.webhookId ? partner.listWebhooks() : Promise.resolve([])]);
  const token: SiteConnection['token'] =
    me.status === 'fulfilled'
      ? { state: 'valid', message: `Checked now: signed in to the partner as ${me.value.displayName}.` }
      : toSyncError(me.reason).code === 'partner-auth'
        ? { state: 'invalid', message: `Checked now: ${toSyncError(me.reason).message}` }
        : { state: 'unknown', message: `Could not check now: ${toSyncError(me.reason).message}` };
  let webhook: SiteConnection['webhook'];
  if (!c.webhookId) webhook = { state: 'not-registered', message: 'Registering the webhook failed when the settings were saved: partner edits arrive only through the reconcile (every 5 minutes). Save the settings again with a partner account that is a Jira admin.' };
  else if (hooks.status === 'rejected') webhook = { state: 'unknown', message: `Saved as webhook ${c.webhookId}; the partner could not be asked now: ${toSyncError(hooks.reason).message}` };
  else if (hooks.value.some((h) => h.id === c.webhookId)) webhook = { state: 'registered', message: `Checked now: the partner lists webhook ${c.webhookId}.` };
  else webhook = { state: 'missing', message: `Checked now: the partner no longer lists webhook ${c.webhookId}. Save the settings again to register it.` };
  return { token, webhook };
}

/** Every connection of the site with its figures, by project then partner. */
async function siteHealth(now: number): Promise<SiteHealth> {
  const all = (await connections.listAllConnections()).sort((a, b) => a.projectKey.localeCompare(b.projectKey) || a.savedAt.localeCompare(b.savedAt));
  const checking = all.map((c) => partnerChecks(c)); // the partner calls run while KVS is read
  for (const p of checking) p.catch(() => undefined); // awaited below; a failure there fails the load
  const health = await Promise.all(all.map((c) => readHealth(c.id, now - 7 * 24 * HOUR + HOUR)));
  const stats = await linkStatsByConnection(new Map(all.map((c, i) => [c.id, health[i].totals])));
  const rows = await Promise.all(
    all.map(async (c, i): Promise<SiteConnection> => {
      const [{ hours }, checks] = [health[i], await checking[i]];
      const dayFrom = new Date(now - 23 * HOUR - (now % HOUR)).toISOString();
      const sum = (list: HourMetrics[]) => list.reduce((s, h) => s + h.rateLimitHits, 0);
      const links = stats.get(c.id)!;
      // The hours hold every sync of the last 7 days; the totals an hour's first one (older than that).
      const lastSyncAt = hours.reduce<string | null>((last, h) => (h.lastSyncAt && (!last || h.lastSyncAt > last) ? h.lastSyncAt : last), links.lastSyncAt);
      return {
        connectionId: c.id,
        projectKey: c.projectKey,
        label: connectionLabel(c),
        partnerUrl: c.partnerUrl,
        partnerProjectKey: c.partnerProjectKey,
        ...links,
        lastSyncAt,
        ...checks,
        rateLimitHits: { day: sum(hours.filter((h) => h.hour >= dayFrom)), week: sum(hours) },
        settingsPath: settingsPath(c.projectKey),
      };
    }),
  );
  return { at: new Date(now).toISOString(), connections: rows };
}

/** Resolver definitions keyed by function key. */
export const healthResolvers = {
  getHealth: ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const { connectionId } = parsePayload(HealthResolverSchemas.getHealth.payload, payload);
      const list = (await connections.listConnections(projectKey)).filter((c) => !connectionId || c.id === connectionId);
      if (connectionId && !list.length) throw new SyncError('not-found', `Project ${projectKey} has no connection ${connectionId}. Reload the page.`);
      return healthOf(list, Date.now());
    }),

  getSiteHealth: () =>
    respond(async () => {
      await requireJiraAdmin();
      return siteHealth(Date.now());
    }),

  retryConnectionFailures: ({ payload }: Req) =>
    respond(async () => {
      await requireJiraAdmin();
      const input = parsePayload(HealthResolverSchemas.retryConnectionFailures.payload, payload);
      const connection = await connections.getConnection(input.projectKey, input.connectionId);
      if (!connection) throw new SyncError('not-found', `Project ${input.projectKey} has no connection ${input.connectionId}. Reload the page.`);
      const failed = (await store.listFailed(input.projectKey)).filter((f) => (f.connectionId ?? legacyConnectionId(f.projectKey)) === connection.id);
      await enqueueSync(failed.map((f) => ({ projectKey: input.projectKey, connectionId: connection.id, localIssueId: f.localIssueId, trigger: 'manual' as const })));
      return { queued: failed.length };
    }),
};
