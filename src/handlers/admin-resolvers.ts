/**
 * Resolvers of the project settings page (project admins only, checked server-side with `asUser()`): settings,
 * Test connection, the sync log, failed links and Retry.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { webTrigger } from '@forge/api';
import { randomBytes } from 'node:crypto';
import { ResolverSchemas, type ConnectionList, type SettingsView } from '../contract';
import { connectionLabel, type Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import * as connections from '../store/connections';
import * as store from '../store/kvs';
import { prepareConnection, testConnection } from '../sync/setup';
import { projectKeyOf, requireProjectAdmin, type CallerContext } from './auth';
import { appLocalSite, tokenPartnerSite } from './deps';
import { checkOfferJql } from './field-value';
import { enqueueSync } from './queue';
import { parsePayload, respond } from './respond';
import { deleteNotifyRecords } from '../store/notify'; // notifications
import { deleteMetrics, setLinkBase } from '../store/metrics'; // health

type Req = { payload: unknown; context: CallerContext };

function connectionView(c: Connection, apiTokenSet: boolean): SettingsView {
  return {
    id: c.id,
    label: connectionLabel(c),
    projectKey: c.projectKey,
    configured: apiTokenSet,
    partnerUrl: c.partnerUrl,
    email: c.email,
    apiTokenSet,
    partnerProjectKey: c.partnerProjectKey,
    conflictPolicy: c.conflictPolicy,
    mirrorRoleRestrictedComments: c.mirrorRoleRestrictedComments,
    webhookRegistered: Boolean(c.webhookId),
    statusMap: c.mapping.status.toPartner,
    mapping: c.mapping,
    offerJql: c.offerJql, // field area
    worklogs: c.worklogs, // worklogs
  };
}

async function connectionList(projectKey: string): Promise<ConnectionList> {
  const list = await connections.listConnections(projectKey);
  return { projectKey, connections: await Promise.all(list.map(async (c) => connectionView(c, Boolean(await store.getApiToken(c.credentialsRef))))) };
}

/** The partner token to use: the one typed in, else the stored one of the connection being edited. */
async function tokenFor(existing: Connection | undefined, typed: string | undefined): Promise<string> {
  const token = typed || (existing && (await store.getApiToken(existing.credentialsRef)));
  if (!token) throw new SyncError('invalid-input', 'Enter the partner API token (create one at id.atlassian.com → Security → API tokens).');
  return token;
}

/** The connection a payload names, or undefined for a new one. @throws SyncError `not-found` for an unknown id */
async function existingConnection(projectKey: string, connectionId: string | undefined): Promise<Connection | undefined> {
  if (!connectionId) return undefined;
  const found = await connections.getConnection(projectKey, connectionId);
  if (!found) throw new SyncError('not-found', `Project ${projectKey} has no connection ${connectionId}. Reload the page.`);
  return found;
}

/** A new connection id: `c-` and 8 hex digits. */
const newConnectionId = () => `c-${randomBytes(4).toString('hex')}`;

/** Runs `body` for a project admin of the page's project. */
function asAdmin<T>(context: CallerContext, body: (projectKey: string) => Promise<T>) {
  return respond(async () => {
    const projectKey = projectKeyOf(context);
    await requireProjectAdmin(projectKey);
    return body(projectKey);
  });
}

/** Resolver definitions keyed by function key. */
export const adminResolvers = {
  listConnections: ({ context }: Req) => asAdmin(context, connectionList),

  testConnection: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const input = parsePayload(ResolverSchemas.testConnection.payload, payload);
      const apiToken = await tokenFor(await existingConnection(projectKey, input.connectionId), input.apiToken);
      return testConnection(tokenPartnerSite({ siteUrl: input.partnerUrl, email: input.email, apiToken }), input.partnerProjectKey);
    }),

  saveConnection: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const input = parsePayload(ResolverSchemas.saveConnection.payload, payload);
      const named = await existingConnection(projectKey, input.connectionId);
      const others = (await connections.listConnections(projectKey)).filter((c) => c.id !== named?.id);
      const twin = others.find((c) => c.partnerUrl === input.partnerUrl && c.partnerProjectKey === input.partnerProjectKey);
      if (named && twin) throw new SyncError('invalid-input', `Project ${projectKey} already has a connection to ${connectionLabel(twin)}. Edit that one instead.`);
      // Saving a new connection to a partner project already connected edits that connection (one per partner project).
      const previous = named ?? twin;
      const apiToken = await tokenFor(previous, input.apiToken);
      const id = previous?.id ?? newConnectionId();
      const credentialsRef = previous?.credentialsRef ?? id;
      const hookBase = await webTrigger.getUrl('partner-webhook');
      const query = `project=${encodeURIComponent(projectKey)}&connection=${encodeURIComponent(id)}`;
      // A partner project change makes the old mapping meaningless: start again from the defaults.
      const keep = previous && previous.partnerUrl === input.partnerUrl && previous.partnerProjectKey === input.partnerProjectKey ? previous.mapping : undefined;
      const { connection, webhookSecret } = await prepareConnection(
        {
          local: appLocalSite(),
          partner: tokenPartnerSite({ siteUrl: input.partnerUrl, email: input.email, apiToken }),
          webhookUrl: `${hookBase}${hookBase.includes('?') ? '&' : '?'}${query}`,
          newSecret: () => randomBytes(32).toString('hex'),
          now: () => new Date(),
        },
        {
          connectionId: id,
          credentialsRef,
          projectKey,
          localSiteUrl: (context.siteUrl ?? previous?.localSiteUrl ?? '').replace(/\/+$/, ''),
          partnerUrl: input.partnerUrl,
          email: input.email,
          partnerProjectKey: input.partnerProjectKey,
          conflictPolicy: input.conflictPolicy,
          mirrorRoleRestrictedComments: input.mirrorRoleRestrictedComments,
          mapping: input.mapping ?? keep,
          offerJql: await checkedOfferJql(projectKey, input.offerJql ?? previous?.offerJql ?? ''), // field area
          previousWebhookId: previous?.webhookId ?? null,
          worklogs: input.worklogs ?? previous?.worklogs, // worklogs
        },
      );
      await store.setApiToken(credentialsRef, apiToken);
      await store.setWebhookSecret(credentialsRef, webhookSecret);
      // notifications: a re-saved connection keeps its notification channels.
      await connections.saveConnection(previous?.notifications ? { ...connection, notifications: previous.notifications } : connection);
      if (!previous) await setLinkBase(id, 0, null); // health: a new connection has no links, so its count starts at 0
      return connectionView(connection, true);
    }),

  deleteConnection: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const input = parsePayload(ResolverSchemas.deleteConnection.payload, payload);
      const connection = await existingConnection(projectKey, input.connectionId);
      if (!connection) throw new SyncError('not-found', `Project ${projectKey} has no connection ${input.connectionId}.`);
      if (connection.webhookId) {
        const apiToken = await store.getApiToken(connection.credentialsRef);
        // The partner webhook goes with the connection; if the partner cannot be reached, it points nowhere and is refused.
        if (apiToken) await tokenPartnerSite({ siteUrl: connection.partnerUrl, email: connection.email, apiToken }).deleteWebhook(connection.webhookId).catch(() => undefined);
      }
      await connections.deleteConnection(connection);
      await store.deleteSecrets(connection.credentialsRef);
      await deleteNotifyRecords(connection.id); // notifications: the Slack webhook secret, token episode and digest go too
      await deleteMetrics(connection.id); // health: its hourly metrics and totals
      await store.appendLog(projectKey, { connectionId: connection.id, trigger: 'manual', direction: 'none', localIssueKey: null, partnerIssueKey: null, fields: [], outcome: 'unlinked', message: `Connection to ${connectionLabel(connection)} removed. Its linked issues no longer sync; every issue was left as it is.` });
      return connectionList(projectKey);
    }),

  getSyncLog: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const { limit } = parsePayload(ResolverSchemas.getSyncLog.payload, payload);
      return { entries: await store.readLog(projectKey, limit) };
    }),

  getFailedLinks: ({ context }: Req) =>
    asAdmin(context, async (projectKey) => ({
      failed: (await store.listFailed(projectKey)).map(({ localIssueKey, partnerIssueKey, code, message, at }) => ({ localIssueKey, partnerIssueKey, code, message, at })),
    })),

  retryFailed: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const input = parsePayload(ResolverSchemas.retryFailed.payload, payload);
      const failed = (await store.listFailed(projectKey)).filter((f) =>
        input.scope === 'all' ? true : input.scope === 'one' ? f.localIssueKey === input.localIssueKey : f.code === input.code,
      );
      if (input.scope === 'one' && !failed.length) throw new SyncError('not-found', `${input.localIssueKey} has no failed sync to retry.`);
      await enqueueSync(failed.map((f) => ({ projectKey, connectionId: f.connectionId, localIssueId: f.localIssueId, trigger: 'manual' as const })));
      return { queued: failed.length };
    }),
};

/** field area: the offer rule checked by Jira (see `checkOfferJql`). */
function checkedOfferJql(projectKey: string, jql: string): Promise<string> {
  return checkOfferJql(appLocalSite(), projectKey, jql);
}
