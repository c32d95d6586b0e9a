/**
 * Wires the engine's ports to Forge: one {@link portsFor} per connection (KVS store, the local site as the app,
 * the partner site with the connection's stored token, the queue, the invocation clock).
 */
import { getAppContext } from '@forge/api';
import { localSite } from '../jira/local';
import { partnerSite } from '../jira/partner';
import type { JiraSite } from '../jira/site';
import type { Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import type { LinkRecord } from '../model/link';
import * as connections from '../store/connections';
import * as store from '../store/kvs';
import { legacyConnectionId } from '../model/connection';
import type { ConnectionPorts } from '../sync/ports';
import { HTTP_RETRY } from '../sync/retry';
import { saveLinkAndStatus } from './link-status';
import { createJiraSite } from '../jira/client'; // health
import { localTransport } from '../jira/local'; // health
import { partnerTransport } from '../jira/partner'; // health
import { logLinkChange, logRun, tallyRateLimits } from './metrics-tap'; // health
import { enqueueSync } from './queue';
import { noticeOnSave } from '../sync/notify'; // notifications
import { notifyPortsFor } from './notify-deps'; // notifications
import { hierarchyStore } from '../store/hierarchy'; // hierarchy

/** The local site as the app (`asApp()`), with the app's retry policy. */
export function appLocalSite(): JiraSite {
  return localSite(HTTP_RETRY);
}

/** A partner site reached with an API token, with the app's retry policy. */
export function tokenPartnerSite(creds: { siteUrl: string; email: string; apiToken: string }): JiraSite {
  return partnerSite(creds, HTTP_RETRY);
}

/**
 * Ports for one connection (see `src/sync/ports.ts`).
 * @throws SyncError `not-configured` when the connection's API token is missing
 */
export async function portsFor(connection: Connection): Promise<ConnectionPorts> {
  const apiToken = await store.getApiToken(connection.credentialsRef);
  if (!apiToken) {
    throw new SyncError('not-configured', `The partner API token of ${connection.partnerUrl} (project ${connection.projectKey}) is missing. A project admin can enter it again in Project settings → Task sync.`);
  }
  const id = connection.id;
  // health: both adapters of the connection count the 429s they see, for its hourly metrics (./metrics-tap.ts)
  const local = createJiraSite(tallyRateLimits(localTransport(), id), HTTP_RETRY);
  const partner = createJiraSite(tallyRateLimits(partnerTransport({ siteUrl: connection.partnerUrl, email: connection.email, apiToken }), id), HTTP_RETRY);
  const ownFailed = (f: { connectionId?: string; projectKey: string }) => (f.connectionId ?? legacyConnectionId(f.projectKey)) === id;
  return {
    connection,
    local,
    partner, // health
    links: {
      get: store.getLink,
      // notifications: the link's episode is worked out on every save; what it tells is sent once the link is saved.
      save: async (link) => {
        const { link: next, afterSave } = await noticeOnSave(notifyPortsFor(connection), connection, link);
        await saveLinkAndStatus(local, next, connection.partnerUrl);
        await afterSave();
      },
      noteCreated: () => logLinkChange(id, 1), // health: the admin page's link count
      findByPartner: (partnerIssueId) => store.findLocalIssueId(connection.partnerUrl, partnerIssueId),
      listFailed: async () => (await store.listFailed(connection.projectKey)).filter(ownFailed),
    },
    claims: {
      claim: store.claim,
      release: store.release,
      setPending: store.setPending,
      hasPending: store.hasPending,
      listPending: store.listPending,
      setPendingEcho: store.setPendingEcho,
      takeOwed: store.takeOwed,
    },
    intents: { set: store.setCreateIntent, has: store.hasCreateIntent, clear: store.clearCreateIntent },
    reconcile: {
      getProgress: () => store.getReconcileProgress(id),
      setProgress: (progress) => store.setReconcileProgress(id, progress),
      getWatermark: () => store.getWatermark(id),
      setWatermark: (mark) => store.setWatermark(id, mark),
    },
    log: async (entry) => {
      await store.appendLog(connection.projectKey, { ...entry, connectionId: entry.connectionId ?? id });
      await logRun(id, entry); // health: the run counts in the connection's hourly metrics
    },
    enqueue: enqueueSync,
    hierarchy: hierarchyStore, // hierarchy
    clock: {
      now: () => new Date(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      timeLeftMs: () => getAppContext().invocationRemainingTimeInMillis(),
      random: Math.random,
    },
  };
}

/**
 * A connection of a project by id.
 * @throws SyncError `not-configured` when there is no such connection
 */
export async function loadConnection(projectKey: string, connectionId: string): Promise<Connection> {
  const connection = await connections.getConnection(projectKey, connectionId);
  if (!connection) {
    throw new SyncError('not-configured', `Task sync is not set up for project ${projectKey} (connection ${connectionId} not found). A project admin can set it up in Project settings → Task sync.`);
  }
  return connection;
}

/** The ports of the connection a link syncs through. @throws SyncError `not-configured` */
export async function portsForLink(link: LinkRecord): Promise<ConnectionPorts> {
  return portsFor(await loadConnection(link.projectKey, link.connectionId));
}
