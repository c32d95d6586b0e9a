/**
 * Resolvers of the sync log: `querySyncLog` (the Sync log tab's filters and paging; project admins only, like the
 * rest of the settings page) and `getIssueSyncHistory` (the issue panel's last ten sync events; anyone who may
 * browse the issue, checked as the caller like the panel's other reads).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ForgeKvsAPIError } from '@forge/kvs';
import { ISSUE_HISTORY_SIZE, LogResolverSchemas, type IssueSyncHistory, type SyncLogResultPage } from '../contract';
import { SyncError } from '../model/errors';
import { issueHistory, queryLog } from '../store/log';
import { issueOf, projectKeyOf, requireIssueAccess, requireProjectAdmin, type CallerContext } from './auth';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/**
 * Forge storage's refusals and outages in words (`ForgeKvsAPIError`, thrown by `@forge/kvs` for a non-2xx answer):
 * a cursor of another query is the reader's to fix; anything else (a 5xx, a rate limit) is Forge's, and reading
 * again later is what helps. Other errors pass unchanged.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-customentities/
 */
function storageError(what: string) {
  return (err: unknown): never => {
    if (!(err instanceof ForgeKvsAPIError)) throw err;
    if (err.code === 'INVALID_CURSOR') throw new SyncError('invalid-input', 'The page you asked for belongs to other filters. Nothing was read: go back to the first page and page on from there.');
    const status = err.responseDetails?.status;
    throw new SyncError('internal', `Forge storage did not answer while reading ${what} (${err.code}${status ? `, HTTP ${status}` : ''}). Nothing was changed: try again in a minute.`, { cause: err });
  };
}

export const logResolvers = {
  querySyncLog: ({ payload, context }: Req) =>
    respond(async (): Promise<SyncLogResultPage> => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const { filter, limit, cursor } = parsePayload(LogResolverSchemas.querySyncLog.payload, payload);
      return queryLog(projectKey, filter, limit, cursor).catch(storageError('the sync log'));
    }),

  getIssueSyncHistory: ({ context }: Req) =>
    respond(async (): Promise<IssueSyncHistory> => {
      const issue = issueOf(context);
      await requireIssueAccess(issue.key, false);
      const entries = await issueHistory(projectKeyOf(context), issue.key, ISSUE_HISTORY_SIZE).catch(storageError("this issue's sync history"));
      return { issueKey: issue.key, entries };
    }),
};
