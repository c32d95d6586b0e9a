/**
 * What a site announces when work is logged, edited or removed, in Jira Cloud's shapes:
 * - admin webhooks `worklog_created` / `worklog_updated` / `worklog_deleted`: `{timestamp, webhookEvent, worklog}`,
 *   the worklog in the v2 representation (comment as plain text) with its `issueId` and no `issue` (Jira's worklog
 *   deliveries name the issue only by id), plus the `jira:issue_updated` Jira sends beside them
 *   (`issue_event_type_name` `issue_work_logged` / `issue_worklog_updated` / `issue_worklog_deleted`, with the
 *   changelog items `timespent`, `timeestimate` and `WorklogId` that the write recorded in the issue's history);
 * - Forge product events `avi:jira:created:worklog`, `avi:jira:updated:worklog`, `avi:jira:deleted:worklog`:
 *   `{eventType, atlassianId, worklog: {id, issueId, author, updateAuthor, comment, started, timeSpent,
 *   timeSpentSeconds, created, updated}}` (no `issue`).
 * No real worklog delivery is in `../shared/data/webhooks/`; the shapes follow the spec's `Worklog` schema and the
 * webhook and events references.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-events-for-a-webhook
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-worklog-events
 */
import type { Renderer } from './render';
import type { HistoryRec, IssueRec, WorklogRec } from './types';
import { renderWorklog } from './worklog-render';

/** A worklog write: the issue after it (before, for a delete), the worklog, and the history entry it recorded. */
export interface WorklogChange {
  kind: 'worklog_created' | 'worklog_updated' | 'worklog_deleted';
  issue: IssueRec;
  actorId: string;
  worklog: WorklogRec;
  history: HistoryRec;
}

/** Per change kind: Jira's `issue_event_type_name` of the `jira:issue_updated` beside it, and the Forge event. */
export const WORKLOG_EVENTS: Record<WorklogChange['kind'], { issueEventTypeName: string; forge: string }> = {
  worklog_created: { issueEventTypeName: 'issue_work_logged', forge: 'avi:jira:created:worklog' },
  worklog_updated: { issueEventTypeName: 'issue_worklog_updated', forge: 'avi:jira:updated:worklog' },
  worklog_deleted: { issueEventTypeName: 'issue_worklog_deleted', forge: 'avi:jira:deleted:worklog' },
};

/** Whether a change is a worklog write. */
export function isWorklogChange(c: { kind: string }): c is WorklogChange {
  return c.kind in WORKLOG_EVENTS;
}

/** The admin webhook body of a worklog event (`{timestamp, webhookEvent, worklog}`, v2 representation). */
export function worklogWebhookPayload(render: Renderer, c: WorklogChange): Record<string, unknown> {
  return { timestamp: Date.now(), webhookEvent: c.kind, worklog: renderWorklog(render, c.issue, c.worklog, '2') };
}

/** The Forge product event payload of a worklog event. */
export function worklogProductEventPayload(render: Renderer, c: WorklogChange, eventType: string): Record<string, unknown> {
  return { eventType, atlassianId: c.actorId, worklog: renderWorklog(render, c.issue, c.worklog, '3') };
}
