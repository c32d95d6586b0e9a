/**
 * Issue links made or unmade (issue 12): the local product events `avi:jira:created:issuelink` /
 * `avi:jira:deleted:issuelink` and the partner's `issuelink_created` / `issuelink_deleted` admin webhooks carry
 * no `issue`, only the link's two ends (`sourceIssueId`, `destinationIssueId`). Each end that is synced gets a
 * sync job, which mirrors (or unmirrors) the link by state (`src/sync/issue-link-sync.ts`). Thin: parse, find
 * the links, enqueue.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-link-events
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#issue-link
 */
import { z } from 'zod';
import * as store from '../store/kvs';
import { enqueueSync } from './queue';

const Ends = z.object({ sourceIssueId: z.coerce.string(), destinationIssueId: z.coerce.string() });
/** Forge puts the link's fields at the top of the event; the webhook nests them in `issueLink`. */
const LinkEvent = z.union([z.object({ issueLink: Ends }).transform((e) => e.issueLink), Ends]);

/** Is this a product event or webhook body about an issue link? */
export function isIssueLinkEvent(name: unknown): boolean {
  return typeof name === 'string' && (/^avi:jira:(created|deleted):issuelink$/.test(name) || /^issuelink_(created|deleted)$/.test(name));
}

async function enqueueLinked(localIssueIds: Array<string | undefined>, connectionId?: string): Promise<number> {
  const jobs = [];
  for (const id of new Set(localIssueIds.filter((x): x is string => !!x))) {
    const link = await store.getLink(id);
    if (!link || link.state === 'broken' || (connectionId && link.connectionId !== connectionId)) continue;
    jobs.push({ projectKey: link.projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'event' as const });
  }
  if (jobs.length) await enqueueSync(jobs);
  return jobs.length;
}

/** A local product event: a job for each synced end. A body without both ends is ignored. */
export async function onLocalIssueLinkEvent(event: unknown): Promise<void> {
  const parsed = LinkEvent.safeParse(event);
  if (!parsed.success) return void console.warn('Ignored an issue link event without its two issues', parsed.error.issues);
  await enqueueLinked([parsed.data.sourceIssueId, parsed.data.destinationIssueId]);
}

/**
 * A partner webhook delivery (signature already checked): a job for each end synced through `connection`.
 * @returns how many jobs were queued (0 = neither end is synced)
 */
export async function onPartnerIssueLinkWebhook(body: unknown, connection: { id: string; partnerUrl: string }): Promise<number> {
  const parsed = LinkEvent.safeParse(body);
  if (!parsed.success) return 0;
  const ends = [parsed.data.sourceIssueId, parsed.data.destinationIssueId];
  const local = await Promise.all(ends.map((id) => store.findLocalIssueId(connection.partnerUrl, id)));
  return enqueueLinked(local, connection.id);
}
