/**
 * Queue consumer of `sync-jobs`: runs the sync job of one link. Jobs of one link never overlap: the first takes a
 * KVS claim; one that finds it taken leaves a "pending" mark, and the holder runs once more before letting go, so
 * a burst of events (a comment fires `comment_created` and `jira:issue_updated`) coalesces into one or two runs.
 * A retryable failure asks Forge to retry (an `InvocationError` with `retryAfter`, honouring the partner's
 * `Retry-After`); after the last retry the failure goes to the sync log and the link, where an admin sees it.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import * as store from '../store/kvs';
import { SyncJobEvent } from '../store/records';
import { SyncError, toSyncError } from '../sync/errors';
import { recordFailure, runSyncJob } from '../sync/job';
import { jobPorts, loadProject } from './deps';

/** Retries Forge makes after the first attempt (the platform allows 4). */
export const MAX_RETRIES = 4;
/**
 * How long a job's claim on its link lasts, in seconds: longer than a consumer may run (900 s in manifest.yml), so
 * a slow job never loses it to a second one. If the holder dies, reconcile picks the link up once it expires.
 */
const LINK_CLAIM_TTL_S = 960;

/**
 * Seconds before Forge retries a failed job: exponential (5, 10, 20, 40 s) with jitter of up to half a step, and
 * never sooner than the partner's `Retry-After`.
 */
export function retryAfterSeconds(retryCount: number, retryAfterMs = 0, random: () => number = Math.random): number {
  const step = 5 * 2 ** retryCount;
  return Math.max(1, Math.ceil(retryAfterMs / 1000), Math.round(step + random() * (step / 2)));
}

interface AsyncEvent {
  body?: unknown;
  retryContext?: { retryCount?: number };
}

/**
 * Handler of the `sync-job` function. Every retryable failure comes back as an `InvocationError` (Forge's documented
 * way to ask for a retry, with our `retryAfter`), including a KVS error while taking or letting go of the claim or
 * the pending mark: the retry reads current state, so running again is safe. A failure that retrying cannot fix
 * (a `SyncError` that is not retryable) is logged and the event dropped.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
export async function handler(event: AsyncEvent): Promise<InvocationError | void> {
  const parsed = SyncJobEvent.safeParse(event.body);
  if (!parsed.success) {
    console.warn('Dropped a malformed sync job', parsed.error.issues);
    return;
  }
  const retryCount = event.retryContext?.retryCount ?? 0;
  try {
    return await runClaimed(parsed.data, retryCount);
  } catch (err) {
    const e = toSyncError(err);
    if (err instanceof SyncError && !e.retryable) {
      console.error(`Sync job for issue ${parsed.data.localIssueId} failed and will not be retried: ${e.message}`);
      return;
    }
    // A KVS or other unexpected failure outside the sync itself: nothing was recorded, so try again. After the
    // last retry the claim and pending mark expire and reconcile owes the link another run.
    console.warn(`Sync job for issue ${parsed.data.localIssueId} will be retried (attempt ${retryCount + 1}): ${e.message}`);
    if (retryCount >= MAX_RETRIES) return;
    return new InvocationError({ retryAfter: retryAfterSeconds(retryCount, e.retryAfterMs), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}

async function runClaimed(job: SyncJobEvent, retryCount: number): Promise<InvocationError | void> {
  const claimName = `job:${job.localIssueId}`;
  for (;;) {
    if (!(await store.claim(claimName, LINK_CLAIM_TTL_S))) {
      await store.setPending(job.localIssueId);
      // The holder may have let go between our two steps: try once more, else the holder sees the mark.
      if (!(await store.claim(claimName, LINK_CLAIM_TTL_S))) return;
    }
    try {
      do {
        await store.takePending(job.localIssueId);
        const failure = await runOnce(job, retryCount);
        if (failure) return failure;
      } while (await store.takePending(job.localIssueId));
    } finally {
      await store.release(claimName);
    }
    // A mark set after our last look but before the release would otherwise wait for the next reconcile.
    if (!(await store.hasPending(job.localIssueId))) return;
  }
}

async function runOnce(job: SyncJobEvent, retryCount: number): Promise<InvocationError | void> {
  const link = await store.getLink(job.localIssueId);
  if (!link) return;
  const ports = jobPorts(await loadProject(job.projectKey));
  // Reconcile retrying an already failed link is itself the retry (with its growing cool-down): one attempt.
  const retries = job.trigger === 'reconcile' && link.state === 'failed' ? 0 : MAX_RETRIES;
  try {
    await runSyncJob(ports, link, job.trigger);
  } catch (err) {
    const e = toSyncError(err);
    if (e.retryable && retryCount < retries) {
      return new InvocationError({ retryAfter: retryAfterSeconds(retryCount, e.retryAfterMs), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
    await recordFailure(ports, link, job.trigger, e);
  }
}
