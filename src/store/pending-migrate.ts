/**
 * Moves echo candidates that versions before 2026-12 stored as `pending-echo:<localIssueId>:<uuid>` to
 * `pending:<localIssueId>:echo:<uuid>`, where a claim's holder now reads them together with the pending mark in one
 * query (`takeOwed` in ./kvs.ts). Each moved candidate also leaves the link's pending mark, so the scheduled
 * reconcile queues a job for it: a candidate whose holder has already let go would otherwise wait for nobody.
 * Safe to repeat: each candidate is written under its new key before the old key is deleted (a crash repeats the
 * write, never loses one). Run by the scheduled reconcile before its passes, every time (one KVS query when
 * nothing is left): an invocation of the previous version still running during an upgrade may write one late.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs } from '@forge/kvs';
import { pendingEchoKeyFromLegacy } from './migrate';
import { key, scan, setPending } from './kvs';

/**
 * Moves up to `budget` legacy echo candidates (the next run goes on). Unreadable keys are deleted.
 * @returns how many candidates were moved
 */
export async function migrateLegacyPendingEchoes(budget = 200): Promise<{ moved: number }> {
  const batch: { key: string; value: unknown }[] = [];
  for await (const item of scan<unknown>(key.legacyPendingEchoPrefix)) {
    batch.push(item);
    if (batch.length >= budget) break;
  }
  let moved = 0;
  for (const item of batch) {
    const next = pendingEchoKeyFromLegacy(item.key);
    if (next && item.value && typeof item.value === 'object') {
      await kvs.set(next.key, item.value, { ttl: { value: 1, unit: 'DAYS' } });
      await setPending(next.localIssueId);
      moved++;
    }
    await kvs.delete(item.key);
  }
  return { moved };
}
