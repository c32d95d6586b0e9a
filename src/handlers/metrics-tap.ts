/**
 * Where the health metrics are fed from (see `src/store/metrics.ts`): the sync log port counts every logged run,
 * and both Jira adapters of a connection count the HTTP 429 answers they see.
 *
 * 429s are tallied in memory per connection and written with the connection's next logged run, so a storm of 429s
 * costs no KVS write of its own; a job that ends without logging (its attempt is retried by the queue) writes its
 * tally at the end of the invocation ({@link flushRateLimitHits}, called by the sync-job consumer). The tally is
 * per process: on Forge one invocation at a time, in the sandbox shared by concurrent ones, which only changes which
 * run carries the count into the same connection's hour.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
import type { Transport } from '../jira/site';
import type { NewLogEntry } from '../store/records';
import { recordRun } from '../store/metrics';

const tally = new Map<string, number>();

/** `transport` with every 429 response counted for `connectionId` (responses are passed on unchanged). */
export function tallyRateLimits(transport: Transport, connectionId: string): Transport {
  const count = <R extends { status: number }>(res: R): R => {
    if (res.status === 429) tally.set(connectionId, (tally.get(connectionId) ?? 0) + 1);
    return res;
  };
  return {
    label: transport.label,
    side: transport.side,
    async send(method, path, body) {
      return count(await transport.send(method, path, body));
    },
    // attachments: file transfers are counted too
    async sendRaw(method, path, req) {
      return count(await transport.sendRaw(method, path, req));
    },
  };
}

/** The 429s counted for a connection since the last take (and resets them). */
function takeRateLimitHits(connectionId: string): number {
  const n = tally.get(connectionId) ?? 0;
  tally.delete(connectionId);
  return n;
}

/**
 * Adds a logged entry to its connection's hour: the run's outcome, the 429s counted since the last one, and its
 * propagation latency (ms from the entry's `timings.receivedAt`, when its event reached the app, to now, the job's end) when the entry carries one.
 */
export async function logRun(connectionId: string, entry: NewLogEntry, now = Date.now()): Promise<void> {
  const receivedAt = entry.timings?.receivedAt;
  const received = receivedAt ? Date.parse(receivedAt) : NaN;
  await recordRun(connectionId, {
    outcome: entry.outcome,
    rateLimitHits: takeRateLimitHits(connectionId),
    latencyMs: Number.isNaN(received) ? undefined : Math.max(0, now - received),
    endedAt: new Date(now).toISOString(),
  }, now);
}

/**
 * Counts a link created (`+1`, after its first save) or removed (`-1`, after its delete) in the connection's
 * totals, so the admin page knows each connection's links without scanning them.
 */
export async function logLinkChange(connectionId: string, delta: 1 | -1): Promise<void> {
  await recordRun(connectionId, { outcome: delta > 0 ? 'linked' : 'link-removed', linksDelta: delta });
}

/** Writes the 429s no logged run has carried yet (each connection's into its current hour). */
export async function flushRateLimitHits(): Promise<void> {
  for (const connectionId of [...tally.keys()]) {
    const hits = takeRateLimitHits(connectionId);
    if (hits) await recordRun(connectionId, { outcome: 'rate-limited', rateLimitHits: hits });
  }
}
