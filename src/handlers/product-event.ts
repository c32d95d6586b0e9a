/**
 * Trigger for local product events (`avi:jira:updated:issue`, `commented`, `deleted:comment`, `deleted:issue`,
 * with `ignoreSelf: true` so the app's own writes do not come back). Parses, finds the link, enqueues a job.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/
 */
import { z } from 'zod';
import * as store from '../store/kvs';
import { markDeleted } from './broken';
import { enqueueSync } from './queue';

const ProductEvent = z.object({
  eventType: z.string(),
  issue: z.object({ id: z.coerce.string(), key: z.string().optional() }),
});

/** Handler of the `local-issue-events` trigger. Never throws: a bad event is logged to the console and dropped. */
export async function handler(event: unknown): Promise<void> {
  const parsed = ProductEvent.safeParse(event);
  if (!parsed.success) {
    console.warn('Ignored a product event that is not an issue event', parsed.error.issues);
    return;
  }
  const { eventType, issue } = parsed.data;
  const link = await store.getLink(issue.id);
  if (!link || link.state === 'broken') return;
  if (eventType === 'avi:jira:deleted:issue') {
    const settings = await store.getSettings(link.projectKey);
    if (settings) await markDeleted(link, settings.partnerUrl, 'local');
    return;
  }
  await enqueueSync([{ projectKey: link.projectKey, localIssueId: link.localIssueId, trigger: 'event' }]);
}
