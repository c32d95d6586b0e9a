/**
 * Queue consumer of `bulk-runs`: parse → load the run's connection → run one chunk (`src/sync/bulk.ts`), which
 * pushes the next. A chunk that fails before finishing (search refused, KVS down) asks Forge for a retry; its
 * progress so far is in KVS.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { toSyncError } from '../model/errors';
import { getBulkRun, saveBulkRun } from '../store/bulk';
import { runBulkChunk } from '../sync/bulk';
import { jobRetryAfterSeconds, MAX_JOB_RETRIES } from '../sync/retry';
import { bulkPorts, BulkChunkEvent } from './bulk-queue';
import { loadConnection, portsFor } from './deps';

interface AsyncEvent {
  body?: unknown;
  retryContext?: { retryCount?: number };
}

/**
 * Handler of the `bulk-job` function. A malformed event is dropped with a warning. After the last retry the run
 * is marked cancelled with the reason as a failure, so the settings page shows it and Resume continues it.
 */
export async function handler(event: AsyncEvent): Promise<InvocationError | void> {
  const parsed = BulkChunkEvent.safeParse(event.body);
  if (!parsed.success) {
    console.warn('Dropped a malformed bulk chunk event', parsed.error.issues);
    return;
  }
  const { projectKey, runId } = parsed.data;
  const retryCount = event.retryContext?.retryCount ?? 0;
  try {
    const run = await getBulkRun(projectKey, runId);
    if (!run || run.state !== 'running') return;
    const ports = await portsFor(await loadConnection(projectKey, run.connectionId));
    await runBulkChunk(ports, bulkPorts(projectKey), runId);
  } catch (err) {
    const e = toSyncError(err);
    console.warn(`Bulk run ${runId} chunk failed (attempt ${retryCount + 1}): ${e.message}`);
    if (retryCount < MAX_JOB_RETRIES && (e.retryable || e.code === 'internal')) {
      return new InvocationError({ retryAfter: jobRetryAfterSeconds(retryCount, e.retryAfterMs), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
    const run = await getBulkRun(projectKey, runId).catch(() => undefined);
    if (run && run.state === 'running') {
      await saveBulkRun({ ...run, state: 'cancelled', leaseUntil: null, failures: [...run.failures, { key: '(run)', reason: `Stopped: ${e.message} Fix the cause, then Resume.` }], updatedAt: new Date().toISOString() });
    }
  }
}
