/**
 * Queue consumer of `sync-jobs`: parse → find the link's connection → run the job under its claim
 * (`src/sync/runner.ts`, which owns the claim/pending loop and the retry timing) → answer Forge. A retry is asked
 * with an `InvocationError` carrying the engine's `retryAfter`.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { toSyncError } from '../model/errors';
import * as store from '../store/kvs';
import { SyncJobEvent } from '../store/records';
import { runJob, type JobOutcome } from '../sync/runner';
import { jobRetryAfterSeconds, MAX_JOB_RETRIES } from '../sync/retry';
import { portsForLink } from './deps';
import { flushRateLimitHits } from './metrics-tap'; // health

interface AsyncEvent {
  body?: unknown;
  retryContext?: { retryCount?: number };
}

/** Forge's answer for an engine outcome. */
function answer(outcome: JobOutcome): InvocationError | void {
  if (!outcome.retry) return;
  return new InvocationError({ retryAfter: outcome.retryAfterSeconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
}

/**
 * Handler of the `sync-job` function. A malformed event is dropped with a console warning. Loading the link or
 * its connection failing (KVS down) asks for a retry like any failure around the sync.
 */
export async function handler(event: AsyncEvent): Promise<InvocationError | void> {
  const parsed = SyncJobEvent.safeParse(event.body);
  if (!parsed.success) {
    console.warn('Dropped a malformed sync job', parsed.error.issues);
    return;
  }
  const job = parsed.data;
  const retryCount = event.retryContext?.retryCount ?? 0;
  let ports;
  try {
    const link = await store.getLink(job.localIssueId);
    if (!link) return;
    ports = await portsForLink(link);
  } catch (err) {
    const e = toSyncError(err);
    console.warn(`Sync job for issue ${job.localIssueId} could not start (attempt ${retryCount + 1}): ${e.message}`);
    if (!e.retryable && e.code !== 'internal') return;
    if (retryCount >= MAX_JOB_RETRIES) return;
    return answer({ retry: true, retryAfterSeconds: jobRetryAfterSeconds(retryCount, e.retryAfterMs), reason: e.message });
  }
  // health: the job's log entries carry when its event was received (`timings.receivedAt`, for the latency
  // figures); 429s no entry carried are written after the job
  const outcome = await runJob(ports, job, retryCount);
  await flushRateLimitHits();
  if (outcome.retry) console.warn(`Sync job for issue ${job.localIssueId} will be retried (attempt ${retryCount + 1}): ${outcome.reason}`);
  return answer(outcome);
}
