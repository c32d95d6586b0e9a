/**
 * Trigger for local product events (`avi:jira:updated:issue`, `commented`, `deleted:comment`, `deleted:issue`,
 * `created:issue` for the Partner sync field, see `./field-created.ts`;
 * with `ignoreSelf: true` so the app's own writes do not come back). Parses, finds the link, enqueues a job.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { getConnection } from '../store/connections';
import * as store from '../store/kvs';
import { jobRetryAfterSeconds } from '../sync/retry';
import { markDeleted } from './broken';
import { onIssueCreated } from './field-created';
import { enqueueSync } from './queue';
import { WORKLOG_EVENT_TYPES, withWorklogIssueEvent } from './worklog-event'; // worklogs
import { isIssueLinkEvent, onLocalIssueLinkEvent } from './issue-link-events'; // hierarchy

// hierarchy: like the issue events, a failure asks Forge to retry
async function onLinkEvent(event: unknown): Promise<InvocationError | void> {
  try {
    await onLocalIssueLinkEvent(event);
  } catch (err) {
    const retryCount = (event as { retryContext?: { retryCount?: number } })?.retryContext?.retryCount ?? 0;
    console.warn(`Issue link event failed (attempt ${retryCount + 1}), asking Forge to retry: ${(err as Error)?.message ?? err}`);
    return new InvocationError({ retryAfter: jobRetryAfterSeconds(retryCount), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
import { productEventContext } from './log-actor'; // log

const ProductEvent = z.object({
  eventType: z.string(),
  issue: z.object({ id: z.coerce.string(), key: z.string().optional(), fields: z.object({ project: z.object({ key: z.string() }).partial() }).partial().optional() }),
  retryContext: z.object({ retryCount: z.number().int().min(0) }).partial().optional(),
});

// attachments: the attachment events' payload (`{eventType, atlassianId, attachment: {id, issueId, fileName, …}}`).
// @see https://developer.atlassian.com/platform/forge/events-reference/jira/ (Attachment events)
const AttachmentEvent = z.object({ eventType: z.enum(['avi:jira:created:attachment', 'avi:jira:deleted:attachment']), attachment: z.object({ issueId: z.coerce.string() }).passthrough() }).passthrough();

/**
 * Handler of the `local-issue-events` trigger. A bad event is logged to the console and dropped. When the work
 * fails (KVS or the queue unavailable), it returns an `InvocationError`: Forge retries a product event only when
 * its trigger asks so (at most 4 times), a thrown error would lose it until the next reconcile.
 * @see https://developer.atlassian.com/platform/forge/events-reference/product_events/
 */
export async function handler(event: unknown): Promise<InvocationError | void> {
  // attachments: `avi:jira:created:attachment` / `deleted` name the issue as `attachment.issueId`, not `issue`.
  const file = AttachmentEvent.safeParse(event);
  if (file.success) event = { ...file.data, issue: { id: file.data.attachment.issueId } };
  // hierarchy: issue link events carry the link's two issues, not `issue`
  if (isIssueLinkEvent((event as { eventType?: unknown } | null)?.eventType)) return onLinkEvent(event);
  const parsed = ProductEvent.safeParse(withWorklogIssueEvent(event)); // worklogs
  if (!parsed.success) {
    console.warn('Ignored a product event that is not an issue event', parsed.error.issues);
    return;
  }
  const { eventType, issue, retryContext } = parsed.data;
  try {
    if (eventType === 'avi:jira:created:issue') return await onIssueCreated(issue); // field area
    const link = await store.getLink(issue.id);
    if (!link || link.state === 'broken') return;
    if (WORKLOG_EVENT_TYPES.has(eventType) && !(await getConnection(link.projectKey, link.connectionId))?.worklogs.enabled) return; // worklogs: sync off
    if (eventType === 'avi:jira:deleted:issue') {
      const connection = await getConnection(link.projectKey, link.connectionId);
      if (connection) await markDeleted(link, connection.partnerUrl, 'local');
      return;
    }
    await enqueueSync([{ projectKey: link.projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'event', ...productEventContext(event) /* log */ }]);
  } catch (err) {
    const retryCount = retryContext?.retryCount ?? 0;
    console.warn(`Product event ${eventType} for issue ${issue.key ?? issue.id} failed (attempt ${retryCount + 1}), asking Forge to retry: ${(err as Error)?.message ?? err}`);
    return new InvocationError({ retryAfter: jobRetryAfterSeconds(retryCount), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
