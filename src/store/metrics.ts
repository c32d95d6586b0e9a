/**
 * Health metrics in Forge KVS: one record per connection per UTC hour, `health:<connectionId>:<hour ISO-8601>`,
 * kept {@link METRICS_RETENTION_DAYS} days (KVS TTL). Written by the sync log port (every logged run adds to its
 * hour), read by the charts (`getHealth`) and the admin page.
 *
 * Why plain KVS keys and not a custom entity: every read is "this connection's last 24 or 168 hours", which is one
 * `beginsWith` prefix query over keys that sort by hour, so no index is needed (and no manifest entity to migrate);
 * at most 192 small records per connection exist at any time.
 *
 * KVS has no atomic increment, and jobs of different links of one connection run in parallel, so the
 * read–add–write of an hour runs under a short claim (`claim:metrics:<connectionId>`, `FAIL_IF_EXISTS`, 10 s TTL
 * so a crashed writer cannot block it). A run that cannot get the claim within ~3 s is not counted (and says so
 * on the console) rather than risk overwriting another writer's counts. Metrics never fail a sync: errors are
 * logged to the console and swallowed.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query/
 */
import { kvs } from '@forge/kvs';
import { addRun, emptyHour, HourMetrics, hourOf, METRICS_RETENTION_DAYS, type RunSample } from '../sync/metrics';
import { claim, parse, release, scan } from './kvs';

const prefix = (connectionId: string) => `health:${connectionId}:`;
/** The KVS key of one connection's hour. */
export const metricsKey = (connectionId: string, hour: string) => `${prefix(connectionId)}${hour}`;

/** Claim attempts and the wait between them (ms) before a run is left uncounted. */
const LOCK = { attempts: 60, waitMs: 50, ttlSeconds: 10 };

/**
 * Adds one logged run to the hour of `at` (ms since the epoch) of `connectionId`.
 * @returns true when counted, false when the hour was busy for too long or KVS failed (never throws)
 */
export async function recordRun(connectionId: string, sample: RunSample, at = Date.now()): Promise<boolean> {
  const lock = `metrics:${connectionId}`;
  try {
    let held = false;
    for (let i = 0; i < LOCK.attempts && !held; i++) {
      held = await claim(lock, LOCK.ttlSeconds);
      if (!held) await new Promise((r) => setTimeout(r, LOCK.waitMs));
    }
    if (!held) {
      console.warn(`Health metrics of connection ${connectionId}: the hour's record stayed busy, one run (${sample.outcome}) was not counted.`);
      return false;
    }
    try {
      const hour = hourOf(at);
      const k = metricsKey(connectionId, hour);
      const stored = await kvs.get(k);
      const current = stored === undefined ? emptyHour(hour) : parse(HourMetrics, stored, `health metrics ${k}`);
      await kvs.set(k, addRun(current, sample), { ttl: { value: METRICS_RETENTION_DAYS, unit: 'DAYS' } });
      return true;
    } finally {
      await release(lock);
    }
  } catch (err) {
    console.warn(`Health metrics of connection ${connectionId} not updated: ${(err as Error).message}`);
    return false;
  }
}

/**
 * The stored hours of a connection from the hour of `sinceMs` on, oldest first (hours without runs have no
 * record). Reads KVS pages of 20: at most 9 pages for 7 days.
 * @throws SyncError `internal` when a stored record is unreadable
 */
export async function readHours(connectionId: string, sinceMs: number): Promise<HourMetrics[]> {
  const from = hourOf(sinceMs);
  const out: HourMetrics[] = [];
  for await (const item of scan<unknown>(prefix(connectionId))) {
    const rec = parse(HourMetrics, item.value, `health metrics ${item.key}`);
    if (rec.hour >= from) out.push(rec);
  }
  return out.sort((a, b) => a.hour.localeCompare(b.hour));
}
