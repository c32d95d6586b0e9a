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
import { productEventContext } from './log-actor'; // log

const ProductEvent = z.object({
  eventType: z.string(),
  issue: z.object({ id: z.coerce.string(), key: z.string().optional(), fields: z.object({ project: z.object({ key: z.string() }).partial() }).partial().optional() }),
  retryContext: z.object({ retryCount: z.number().int().min(0) }).partial().optional(),
});

/**
 * Handler of the `local-issue-events` trigger. A bad event is logged to the console and dropped. When the work
 * fails (KVS or the queue unavailable), it returns an `InvocationError`: Forge retries a product event only when
 * its trigger asks so (at most 4 times), a thrown error would lose it until the next reconcile.
 * @see https://developer.atlassian.com/platform/forge/events-reference/product_events/
 */
export async function handler(event: unknown): Promise<InvocationError | void> {
  const parsed = ProductEvent.safeParse(event);
  if (!parsed.success) {
    console.warn('Ignored a product event that is not an issue event', parsed.error.issues);
    return;
  }
  const { eventType, issue, retryContext } = parsed.data;
  try {
    if (eventType === 'avi:jira:created:issue') return await onIssueCreated(issue); // field area
    const link = await store.getLink(issue.id);
    if (!link || link.state === 'broken') return;
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
