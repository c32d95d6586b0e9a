/**
 * Enqueues sync jobs on the `sync-jobs` Forge queue (manifest `consumer` → `sync-job`). Handlers only enqueue;
 * the consumer does the work. Pushes at most 50 events per call (Forge's limit).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 */
import { Queue } from '@forge/events';
import type { SyncJobEvent } from '../store/records';

const queue = new Queue({ key: 'sync-jobs' });

/**
 * Pushes jobs in batches of 50. A job without `receivedAt` gets the time it is queued (handlers queue as soon as
 * they accept an event), so the job's log entry can tell the propagation latency.
 */
export async function enqueueSync(jobs: SyncJobEvent[]): Promise<void> {
  const receivedAt = new Date().toISOString(); // health
  for (let i = 0; i < jobs.length; i += 50) {
    await queue.push(jobs.slice(i, i + 50).map((body) => ({ body: { ...body, receivedAt: body.receivedAt ?? receivedAt } })));
  }
}
