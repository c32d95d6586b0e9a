/**
 * log: who started a job and when its event arrived, from what the handler already has (no Jira call): a product
 * event's `atlassianId` (the local user who made the change) or a partner webhook's `user` (`accountId`,
 * `displayName`). Carried on the queue event (`SyncJobEvent.receivedAt` / `actor`) to the sync-log entry.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-events
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#example-callback-for-an-issue-related-event
 */
import type { LogActor } from '../contract/log-entry';

/** `{receivedAt, actor?}` of a local product event. */
export function productEventContext(event: unknown, now = new Date()): { receivedAt: string; actor?: LogActor } {
  const id = (event as { atlassianId?: unknown })?.atlassianId;
  return { receivedAt: now.toISOString(), ...(typeof id === 'string' && id ? { actor: { accountId: id, site: 'local' as const } } : {}) };
}

/** `{receivedAt, actor?}` of a partner webhook body. */
export function webhookContext(body: unknown, now = new Date()): { receivedAt: string; actor?: LogActor } {
  const user = (body as { user?: { accountId?: unknown; displayName?: unknown } })?.user;
  const accountId = typeof user?.accountId === 'string' ? user.accountId : '';
  const displayName = typeof user?.displayName === 'string' ? user.displayName : undefined;
  return { receivedAt: now.toISOString(), ...(accountId ? { actor: { accountId, ...(displayName ? { displayName } : {}), site: 'partner' as const } } : {}) };
}
