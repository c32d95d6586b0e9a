/**
 * The `bulk-runs` Forge queue (manifest `consumer` → `bulk-job`): one event per chunk of a bulk run, body
 * `{projectKey, runId}` (tens of bytes, far below the 200 KB push limit).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 */
import { Queue } from '@forge/events';
import { z } from 'zod';
import * as bulkStore from '../store/bulk';
import type { BulkPorts } from '../sync/bulk';

/** Body of a chunk event. */
export const BulkChunkEvent = z.object({ projectKey: z.string(), runId: z.string() });
export type BulkChunkEvent = z.infer<typeof BulkChunkEvent>;

const queue = new Queue({ key: 'bulk-runs' });

/** Pushes the next chunk of a run, after `delayInSeconds` (0–900). */
export async function pushChunk(event: BulkChunkEvent, delayInSeconds = 0): Promise<void> {
  await queue.push([{ body: event, ...(delayInSeconds ? { delayInSeconds } : {}) }]);
}

/** The engine's {@link BulkPorts} over KVS and this queue, for one project. */
export function bulkPorts(projectKey: string): BulkPorts {
  return {
    get: (runId) => bulkStore.getBulkRun(projectKey, runId),
    save: bulkStore.saveBulkRun,
    push: (runId, delay) => pushChunk({ projectKey, runId }, delay),
    cancelRequested: bulkStore.cancelRequested,
  };
}
