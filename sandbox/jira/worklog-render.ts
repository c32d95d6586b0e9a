/**
 * A worklog as Jira Cloud returns it (`Worklog`): `{self, author, updateAuthor, comment?, created, updated, started,
 * timeSpent, timeSpentSeconds, id, issueId}`; the comment is ADF in v3 and plain text in v2 (webhooks), and is left
 * out when there is none.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/#api-rest-api-3-issue-issueidorkey-worklog-id-get
 */
import { adfToText } from './adf';
import type { ApiVersion, Renderer } from './render';
import { formatDuration } from './time-tracking';
import type { IssueRec, WorklogRec } from './types';

/** Renders one worklog of `issue` for REST version `v`. */
export function renderWorklog(render: Renderer, issue: IssueRec, w: WorklogRec, v: ApiVersion = '3'): Record<string, unknown> {
  return {
    self: `${render.siteUrl}/rest/api/${v}/issue/${issue.id}/worklog/${w.id}`,
    author: render.user(w.authorId, v),
    updateAuthor: render.user(w.updateAuthorId, v),
    ...(w.comment ? { comment: v === '3' ? w.comment : adfToText(w.comment) } : {}),
    created: w.created,
    updated: w.updated,
    started: w.started,
    timeSpent: formatDuration(w.timeSpentSeconds),
    timeSpentSeconds: w.timeSpentSeconds,
    id: w.id,
    issueId: issue.id,
    ...(w.visibility ? { visibility: { ...w.visibility } } : {}),
  };
}

/** The issue's `worklog` field: the first 20 worklogs (oldest first) and the total, as Jira embeds them. */
export function renderWorklogField(render: Renderer, issue: IssueRec, v: ApiVersion): Record<string, unknown> {
  const all = issue.worklogs ?? [];
  return { startAt: 0, maxResults: 20, total: all.length, worklogs: all.slice(0, 20).map((w) => renderWorklog(render, issue, w, v)) };
}
