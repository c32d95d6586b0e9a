/**
 * Resolvers of the issue panel and glance: read the issue's sync state, turn sync on (creating the partner copy),
 * sync now, pause/resume, unlink. The caller must see the issue; changing it needs edit rights.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type IssueSyncView } from '../contract';
import { localSite } from '../jira/local';
import * as store from '../store/kvs';
import type { LinkRecord } from '../store/records';
import { linkIssue } from '../sync/create';
import { SyncError } from '../sync/errors';
import { issueOf, projectKeyOf, requireIssueAccess, type CallerContext } from './auth';
import { NOT_SYNCED } from '../sync/lozenge';
import { createPorts, loadProject } from './deps';
import { saveLinkAndStatus, showStatus } from './link-status';
import { enqueueSync } from './queue';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

function linkView(link: LinkRecord | undefined, partnerUrl: string): IssueSyncView['link'] {
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

async function issueSyncView(issue: { id: string; key: string }, projectKey: string | undefined): Promise<IssueSyncView> {
  const settings = projectKey ? await store.getSettings(projectKey) : undefined;
  if (!settings) return { issueKey: issue.key, partner: null, link: null };
  return {
    issueKey: issue.key,
    partner: { siteUrl: settings.partnerUrl, projectKey: settings.partnerProjectKey },
    link: linkView(await store.getLink(issue.id), settings.partnerUrl),
  };
}

/** The caller's issue and its link; checks edit rights. @throws SyncError `not-found` when the issue is not synced */
async function editableLink(context: CallerContext) {
  const issue = issueOf(context);
  await requireIssueAccess(issue.key, true);
  const projectKey = projectKeyOf(context);
  const [settings, link] = await Promise.all([store.getSettings(projectKey), store.getLink(issue.id)]);
  if (!settings || !link) throw new SyncError('not-found', `${issue.key} is not synced with a partner issue.`);
  return { issue, projectKey, settings, link };
}

/** Logs an action a person took on one link. */
async function logAction(link: LinkRecord, outcome: 'paused' | 'resumed' | 'unlinked', message: string) {
  await store.appendLog(link.projectKey, { trigger: 'manual', direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome, message });
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
      parsePayload(ResolverSchemas.enableSync.payload, payload);
      await requireIssueAccess(issue.key, true);
      const project = await loadProject(projectKeyOf(context));
      const link = await linkIssue(createPorts(project), issue.id);
      await enqueueSync([{ projectKey: project.settings.projectKey, localIssueId: link.localIssueId, trigger: 'create' }]);
      return issueSyncView(issue, project.settings.projectKey);
    }),

  syncNow: ({ context }: Req) =>
    respond(async () => {
      const { issue, projectKey, link } = await editableLink(context);
      await enqueueSync([{ projectKey, localIssueId: link.localIssueId, trigger: 'manual' }]);
      return issueSyncView(issue, projectKey);
    }),

  setSyncPaused: ({ payload, context }: Req) =>
    respond(async () => {
      const { paused } = parsePayload(ResolverSchemas.setSyncPaused.payload, payload);
      const { issue, projectKey, settings, link } = await editableLink(context);
      if (link.paused !== paused) {
        await saveLinkAndStatus(localSite(), { ...link, paused }, settings.partnerUrl);
        await logAction(link, paused ? 'paused' : 'resumed', paused ? `Sync of ${link.localIssueKey} ↔ ${link.partnerIssueKey} paused; edits on either side wait until it is resumed.` : `Sync of ${link.localIssueKey} ↔ ${link.partnerIssueKey} resumed; changes made while paused are being synced.`);
        if (!paused) await enqueueSync([{ projectKey, localIssueId: link.localIssueId, trigger: 'manual' }]);
      }
      return issueSyncView(issue, projectKey);
    }),

  unlinkIssue: ({ payload, context }: Req) =>
    respond(async () => {
      parsePayload(ResolverSchemas.unlinkIssue.payload, payload);
      const { issue, projectKey, settings, link } = await editableLink(context);
      await store.deleteLink(link, settings.partnerUrl);
      await showStatus(localSite(), link.localIssueId, NOT_SYNCED);
      await logAction(link, 'unlinked', `${link.localIssueKey} and ${link.partnerIssueKey} are no longer synced. Both issues were left as they are.`);
      return issueSyncView(issue, projectKey);
    }),
};
