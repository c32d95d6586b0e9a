/**
 * Forge's worklog product events (`avi:jira:created:worklog`, `avi:jira:updated:worklog`, `avi:jira:deleted:worklog`)
 * carry `{eventType, atlassianId, worklog}` with the issue named only by `worklog.issueId` (no `issue`). The
 * product-event trigger handles them like any issue event once the issue id is lifted out: find the link, enqueue
 * a sync job (which reads both issues' worklogs). The manifest's trigger lists them; `ignoreSelf` drops the app's
 * own mirror writes before any invocation.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-worklog-events
 */

/** The worklog event types the `local-issue-events` trigger subscribes to. */
export const WORKLOG_EVENT_TYPES: ReadonlySet<string> = new Set(['avi:jira:created:worklog', 'avi:jira:updated:worklog', 'avi:jira:deleted:worklog']);

/** The event with `issue: {id: worklog.issueId}` for a worklog event without `issue`; any other event as it is. */
export function withWorklogIssueEvent(event: unknown): unknown {
  if (!event || typeof event !== 'object') return event;
  const e = event as Record<string, unknown>;
  const w = e.worklog as Record<string, unknown> | undefined;
  if (e.issue || !WORKLOG_EVENT_TYPES.has(String(e.eventType)) || !w || (typeof w.issueId !== 'string' && typeof w.issueId !== 'number')) return event;
  return { ...e, issue: { id: String(w.issueId) } };
}
