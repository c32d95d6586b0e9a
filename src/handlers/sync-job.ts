/**
 * Queue consumer of `sync-jobs`: runs one sync job. A retryable failure asks Forge to retry (returning an
 * `InvocationError` with `retryAfter`, honouring the partner's `Retry-After`); after the last retry the failure is
 * written to the sync log and the link, where an admin sees it.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import * as store from '../store/kvs';
import { SyncJobEvent } from '../store/records';
import { toSyncError } from '../sync/errors';
import { recordFailure, runSyncJob } from '../sync/job';
import { jobPorts, loadProject } from './deps';

/** Retries Forge makes after the first attempt (the platform allows 4). */
export const MAX_RETRIES = 4;

interface AsyncEvent {
  body?: unknown;
  retryContext?: { retryCount?: number };
}

/** Handler of the `sync-job` function. */
export async function handler(event: AsyncEvent): Promise<InvocationError | void> {
  const parsed = SyncJobEvent.safeParse(event.body);
  if (!parsed.success) {
    console.warn('Dropped a malformed sync job', parsed.error.issues);
    return;
  }
  const job = parsed.data;
  const link = await store.getLink(job.localIssueId);
  if (!link) return;
  const project = await loadProject(job.projectKey);
  const ports = jobPorts(project);
  try {
    await runSyncJob(ports, link, job.trigger);
  } catch (err) {
    const e = toSyncError(err);
    const retryCount = event.retryContext?.retryCount ?? 0;
    if (e.retryable && retryCount < MAX_RETRIES) {
      const backoff = 2 ** retryCount * 5;
      const retryAfter = Math.max(1, Math.ceil((e.retryAfterMs ?? 0) / 1000), backoff);
      return new InvocationError({ retryAfter, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
    await recordFailure(ports, link, job.trigger, e);
  }
}
