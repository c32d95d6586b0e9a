/**
 * Resolvers of the sync log: `querySyncLog` (the Sync log tab's filters and paging; project admins only, like the
 * rest of the settings page) and `getIssueSyncHistory` (the issue panel's last ten sync events; anyone who may
 * browse the issue, checked as the caller like the panel's other reads).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ISSUE_HISTORY_SIZE, LogResolverSchemas, type IssueSyncHistory, type SyncLogResultPage } from '../contract';
import { SyncError } from '../model/errors';
import { issueHistory, queryLog } from '../store/log';
import { issueOf, projectKeyOf, requireIssueAccess, requireProjectAdmin, type CallerContext } from './auth';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** Forge's answer to a cursor of another query, in words. */
function staleCursor(err: unknown): never {
  const code = (err as { code?: string })?.code;
  if (code === 'INVALID_CURSOR') throw new SyncError('invalid-input', 'The page you asked for belongs to other filters. Nothing was read: go back to the first page and page on from there.');
  throw err;
}

export const logResolvers = {
  querySyncLog: ({ payload, context }: Req) =>
    respond(async (): Promise<SyncLogResultPage> => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const { filter, limit, cursor } = parsePayload(LogResolverSchemas.querySyncLog.payload, payload);
      return queryLog(projectKey, filter, limit, cursor).catch(staleCursor);
    }),

  getIssueSyncHistory: ({ context }: Req) =>
    respond(async (): Promise<IssueSyncHistory> => {
      const issue = issueOf(context);
      await requireIssueAccess(issue.key, false);
      return { issueKey: issue.key, entries: await issueHistory(projectKeyOf(context), issue.key, ISSUE_HISTORY_SIZE) };
    }),
};
