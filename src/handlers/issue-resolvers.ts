/**
 * Resolvers of the issue panel and glance: read the issue's sync state, turn sync on (creating the partner copy),
 * sync now, pause/resume, unlink. The caller must see the issue; changing it needs edit rights.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type IssueSyncView, type PartnerChoice } from '../contract';
import { connectionLabel, type Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import type { LinkRecord } from '../model/link';
import { listConnections } from '../store/connections';
import * as store from '../store/kvs';
import { linkIssue } from '../sync/create';
import { NOT_SYNCED } from '../sync/lozenge';
import { issueOf, projectKeyOf, requireIssueAccess, type CallerContext } from './auth';
import { appLocalSite, portsFor } from './deps';
import { saveLinkAndStatus, showStatus } from './link-status';
import { enqueueSync } from './queue';
import { logLinkChange } from './metrics-tap'; // health
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

export function linkView(link: LinkRecord | undefined, partnerUrl: string): IssueSyncView['link'] {
  if (!link) return null;
  return {
    partnerIssueId: link.partnerIssueId,
    partnerIssueKey: link.partnerIssueKey,
    partnerIssueUrl: `${partnerUrl}/browse/${link.partnerIssueKey}`,
    state: link.state,
    paused: link.paused,
    lastSyncAt: link.lastSyncAt,
    lastError: link.lastError,
  };
}

export const choice = (c: Connection): PartnerChoice => ({ connectionId: c.id, siteUrl: c.partnerUrl, projectKey: c.partnerProjectKey, label: connectionLabel(c) });

export async function issueSyncView(issue: { id: string; key: string }, projectKey: string | undefined): Promise<IssueSyncView> {
  const all = projectKey ? await listConnections(projectKey) : [];
  if (!all.length) return { issueKey: issue.key, partner: null, partners: [], link: null };
  const link = await store.getLink(issue.id);
  const linked = link && all.find((c) => c.id === link.connectionId);
  const partner = linked ?? (all.length === 1 ? all[0] : undefined);
  return {
    issueKey: issue.key,
    partner: partner ? choice(partner) : null,
    partners: all.map(choice),
    link: linked ? linkView(link, linked.partnerUrl) : null,
  };
}

/** The caller's issue, its link and the link's connection; checks edit rights. @throws SyncError `not-found` when the issue is not synced */
async function editableLink(context: CallerContext) {
  const issue = issueOf(context);
  await requireIssueAccess(issue.key, true);
  const projectKey = projectKeyOf(context);
  const [all, link] = await Promise.all([listConnections(projectKey), store.getLink(issue.id)]);
  const connection = link && all.find((c) => c.id === link.connectionId);
  if (!link || !connection) throw new SyncError('not-found', `${issue.key} is not synced with a partner issue.`);
  return { issue, projectKey, connection, link };
}

/**
 * The connection a user chose to sync an issue with: the one named, or the project's only one.
 * @throws SyncError `not-configured` without connections, `invalid-input` when several exist and none was chosen
 */
export async function chosenConnection(projectKey: string, connectionId: string | undefined): Promise<Connection> {
  const all = await listConnections(projectKey);
  if (!all.length) throw new SyncError('not-configured', `Task sync is not set up for project ${projectKey}. A project admin can set it up in Project settings → Task sync.`);
  if (connectionId) {
    const found = all.find((c) => c.id === connectionId);
    if (!found) throw new SyncError('invalid-input', `That partner is no longer connected to ${projectKey}. Reload the issue and choose again.`);
    return found;
  }
  if (all.length > 1) throw new SyncError('invalid-input', `Project ${projectKey} syncs with ${all.length} partners (${all.map(connectionLabel).join(', ')}). Choose which one this issue syncs with.`);
  return all[0];
}

/** Logs an action a person took on one link. */
async function logAction(link: LinkRecord, outcome: 'paused' | 'resumed' | 'unlinked', message: string) {
  await store.appendLog(link.projectKey, { connectionId: link.connectionId, trigger: 'manual', direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome, message });
}

/** Resolver definitions keyed by function key. */
export const issueResolvers = {
  getIssueSync: ({ context }: Req) =>
    respond(async () => {
      const issue = issueOf(context);
      await requireIssueAccess(issue.key, false);
      return issueSyncView(issue, context.extension?.project?.key);
    }),

  enableSync: ({ payload, context }: Req) =>
    respond(async () => {
      const issue = issueOf(context);
      const input = parsePayload(ResolverSchemas.enableSync.payload, payload);
      await requireIssueAccess(issue.key, true);
      const projectKey = projectKeyOf(context);
      const existing = await store.getLink(issue.id);
      if (existing) return issueSyncView(issue, projectKey);
      const connection = await chosenConnection(projectKey, input.connectionId);
      const link = await linkIssue(await portsFor(connection), issue.id);
      await enqueueSync([{ projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'create', created: 'partner' }]);
      return issueSyncView(issue, projectKey);
    }),

  syncNow: ({ context }: Req) =>
    respond(async () => {
      const { issue, projectKey, link } = await editableLink(context);
      await enqueueSync([{ projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'manual' }]);
      return issueSyncView(issue, projectKey);
    }),

  setSyncPaused: ({ payload, context }: Req) =>
    respond(async () => {
      const { paused } = parsePayload(ResolverSchemas.setSyncPaused.payload, payload);
      const { issue, projectKey, connection, link } = await editableLink(context);
      if (link.paused !== paused) {
        await saveLinkAndStatus(appLocalSite(), { ...link, paused }, connection.partnerUrl);
        await logAction(link, paused ? 'paused' : 'resumed', paused ? `Sync of ${link.localIssueKey} ↔ ${link.partnerIssueKey} paused; edits on either side wait until it is resumed.` : `Sync of ${link.localIssueKey} ↔ ${link.partnerIssueKey} resumed; changes made while paused are being synced.`);
        if (!paused) await enqueueSync([{ projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'manual' }]);
      }
      return issueSyncView(issue, projectKey);
    }),

  unlinkIssue: ({ payload, context }: Req) =>
    respond(async () => {
      parsePayload(ResolverSchemas.unlinkIssue.payload, payload);
      const { issue, projectKey, connection, link } = await editableLink(context);
      await store.deleteLink(link, connection.partnerUrl);
      await logLinkChange(link.connectionId, -1); // health: the admin page's link count
      await showStatus(appLocalSite(), link.localIssueId, NOT_SYNCED);
      await logAction(link, 'unlinked', `${link.localIssueKey} and ${link.partnerIssueKey} are no longer synced. Both issues were left as they are.`);
      return issueSyncView(issue, projectKey);
    }),
};
