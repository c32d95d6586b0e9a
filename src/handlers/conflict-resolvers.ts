/**
 * Resolvers of conflicts: the issue panel's list of fields waiting for a decision (`getConflicts`), a person's
 * decision (`resolveConflict`, run at once through the sync job), and the project's waiting list in the sync log
 * (`getWaitingConflicts`, project admins). Permissions are checked server-side as the calling user: seeing the
 * list needs Browse projects; resolving needs Edit issues ("Only users who may edit the issue can resolve it").
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
import { ResolverSchemas, type IssueConflicts, type WaitingConflicts } from '../contract';
import { userPermissions } from '../jira/local';
import type { Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import { listConnections } from '../store/connections';
import * as store from '../store/kvs';
import { waitingConflictViews } from '../sync/conflict-view';
import { fieldResolution, settleConflict } from '../sync/resolve';
import { issueOf, projectKeyOf, requireIssueAccess, requireProjectAdmin, type CallerContext } from './auth';
import { loadConnection, portsFor } from './deps';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** The issue's link and connection, or undefined when the issue is not synced. */
async function linkOf(issueId: string) {
  const link = await store.getLink(issueId);
  if (!link) return undefined;
  return { link, connection: await loadConnection(link.projectKey, link.connectionId) };
}

/** The panel's view of an issue's waiting conflicts. */
async function issueConflicts(issue: { id: string; key: string }, canResolve: boolean): Promise<IssueConflicts> {
  const found = await linkOf(issue.id);
  if (!found) return { issueKey: issue.key, partnerIssueKey: null, canResolve, conflicts: [] };
  const { link, connection } = found;
  const ports = link.conflicts.length ? await portsFor(connection) : undefined;
  const conflicts = ports ? await waitingConflictViews(ports, link) : [];
  return { issueKey: issue.key, partnerIssueKey: link.partnerIssueKey, canResolve, conflicts };
}

/** Browser URL of an issue on a site. */
const browse = (siteUrl: string, key: string) => `${siteUrl.replace(/\/+$/, '')}/browse/${key}`;

/** Resolver definitions keyed by function key. */
export const conflictResolvers = {
  getConflicts: ({ payload, context }: Req) =>
    respond(async () => {
      parsePayload(ResolverSchemas.getConflicts.payload, payload);
      const issue = issueOf(context);
      const held = await userPermissions({ issueKey: issue.key }, ['BROWSE_PROJECTS', 'EDIT_ISSUES']);
      if (!held.has('BROWSE_PROJECTS')) throw new SyncError('forbidden', `You cannot see ${issue.key}.`);
      return issueConflicts(issue, held.has('EDIT_ISSUES'));
    }),

  resolveConflict: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.resolveConflict.payload, payload);
      const issue = issueOf(context);
      await requireIssueAccess(issue.key, true, 'resolve its sync conflicts');
      const found = await linkOf(issue.id);
      if (!found) throw new SyncError('not-found', `${issue.key} is not synced with a partner issue, so it has no conflicts to resolve.`);
      const { link, connection } = found;
      if (link.paused) throw new SyncError('invalid-input', `Sync of ${issue.key} is paused. Resume sync in the panel first, then choose; nothing was changed.`);
      const row = connection.mapping.fields.find((f) => f.local === input.field && f.direction !== 'off');
      if (!row || !link.conflicts.some((c) => c.field === input.field)) {
        throw new SyncError('invalid-input', `${row?.name.local ?? input.field} of ${issue.key} is not waiting for a decision (it may have been settled already). Reload the panel.`);
      }
      const ports = await portsFor(connection);
      const by = (context.accountId && (await ports.local.getUserName(context.accountId).catch(() => undefined))) || context.accountId || 'someone';
      const result = await settleConflict(ports, link, row.local, fieldResolution(input, row, by));
      // Another field failing in the same run (a status no transition reaches) does not undo this decision.
      if (result.notWritten?.includes(row.local)) throw new SyncError('jira-rejected', `Your choice for ${row.name.local} could not be written to both issues: ${result.message}`);
      return issueConflicts(issue, true);
    }),

  getWaitingConflicts: ({ payload, context }: Req) =>
    respond(async (): Promise<WaitingConflicts> => {
      parsePayload(ResolverSchemas.getWaitingConflicts.payload, payload);
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const [entries, all] = await Promise.all([store.listConflicted(projectKey), listConnections(projectKey)]);
      const byId = new Map<string, Connection>(all.map((c) => [c.id, c]));
      return {
        conflicts: entries.flatMap((e) => {
          const c = byId.get(e.connectionId);
          if (!c) return [];
          const localSite = c.localSiteUrl || context.siteUrl || '';
          return [{
            connectionId: e.connectionId,
            localIssueKey: e.localIssueKey,
            localIssueUrl: browse(localSite, e.localIssueKey),
            partnerIssueKey: e.partnerIssueKey,
            partnerIssueUrl: browse(c.partnerUrl, e.partnerIssueKey),
            fields: e.fields,
            since: e.since,
          }];
        }),
      };
    }),
};
