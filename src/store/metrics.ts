/**
 * Health metrics in Forge KVS: one record per connection per UTC hour, `health:<connectionId>:<hour ISO-8601>`,
 * kept {@link METRICS_RETENTION_DAYS} days (KVS TTL). Written by the sync log port (every logged run adds to its
 * hour), read by the charts (`getHealth`) and the admin page.
 *
 * Why plain KVS keys and not a custom entity: every read is "this connection's last 24 or 168 hours", which is one
 * `beginsWith` prefix query over keys that sort by hour, so no index is needed (and no manifest entity to migrate);
 * at most 192 small records per connection exist at any time.
 *
 * No count is lost when jobs finish together. KVS has no atomic increment and its transactions take conditions
 * only on custom entities, and jobs of different links of one connection run in parallel, so the read–add–write of
 * an hour runs under a short claim (`claim:metrics:<connectionId>`, `FAIL_IF_EXISTS`, 10 s TTL so a crashed writer
 * cannot block it). A run that cannot get the claim within about a second does not wait longer: it writes its
 * counts as a small *pending* record of their own (`health-pending:<connectionId>:<hour>:<id>`, a new key, so no
 * writer can overwrite it). The next writer that holds the claim folds up to 20 pending records into their hours,
 * each hour's set and the deletes of its pending records in one KVS transaction (≤ 25 operations), and readers add
 * the pending records still there (records first, then pending: a read that overlaps a fold may count the
 * folded runs twice, for that read only; the stored counts are exact). Metrics never fail a sync: errors are
 * logged to the console and swallowed.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 * @see https://developer.atlassian.com/platform/forge/storage-reference/transactions/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query/
 */
import { randomUUID } from 'node:crypto';
import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { addRun, emptyHour, HourMetrics, hourOf, mergeHours, METRICS_RETENTION_DAYS, type RunSample } from '../sync/metrics';
import { acquireClaim, parse, release, scan, type ClaimAsk } from './kvs';

const prefix = (connectionId: string) => `health:${connectionId}:`;
/** The connection's running totals (no TTL): links and the newest successful sync, see {@link LinkTotals}. */
const totalsKey = (connectionId: string) => `health-total:${connectionId}`;
const pendingPrefix = (connectionId: string) => `health-pending:${connectionId}:`;
/** The KVS key of one connection's hour. */
export const metricsKey = (connectionId: string, hour: string) => `${prefix(connectionId)}${hour}`;
/** A new pending record's key: sorts by hour, unique per run. */
const pendingKey = (connectionId: string, hour: string) => `${pendingPrefix(connectionId)}${hour}:${randomUUID().slice(0, 12)}`;

/** Claim attempts, the wait between them (ms, plus up to as much again of jitter) and the claim's TTL (s). */
const LOCK: ClaimAsk = { attempts: 20, waitMs: 25, ttlSeconds: 10, jitter: true };
/** Pending records folded per claimed write: one KVS query page (a transaction holds them and the hour's set). */
const FOLD_PAGE = 20; // + the hour's set + the totals' set = 22 operations
const TTL = { ttl: { value: METRICS_RETENTION_DAYS, unit: 'DAYS' as const } };

/**
 * A connection's running totals, kept with the hours (a fold that creates or removes links, or brings an hour's
 * first successful sync, adds them in the same transaction): the admin page's links and, with the newest hour's
 * `lastSyncAt`, its last sync, without a scan of the links. After 8 days without a run the last sync is known to
 * the hour (the hour's first successful sync). `countedAt` is when a
 * scan of the connection's links set `links` (once per installation, see {@link setLinkBase}); until then the
 * totals only know the links created and removed since, and the admin page counts by a scan.
 */
export const LinkTotals = z.object({
  links: z.number().int().default(0),
  lastSyncAt: z.string().nullable().default(null),
  countedAt: z.string().nullable().default(null),
});
export type LinkTotals = z.infer<typeof LinkTotals>;

/** How a run was counted: into its hour's record, or as a pending record folded in later. */
export type Counted = 'hour' | 'pending';

/**
 * Adds one logged run to the hour of `at` (ms since the epoch) of `connectionId`.
 * @returns `'hour'` when added to the hour's record, `'pending'` when written as a pending record (the claim was
 *   busy or failed), false when KVS failed for both (never throws)
 */
export async function recordRun(connectionId: string, sample: RunSample, at = Date.now()): Promise<Counted | false> {
  const delta = addRun(emptyHour(hourOf(at)), sample);
  const lock = `metrics:${connectionId}`;
  let counted = false;
  try {
    if (await acquire(lock)) {
      try {
        await foldInto(connectionId, delta, () => (counted = true));
      } finally {
        await release(lock);
      }
      return 'hour';
    }
  } catch (err) {
    if (counted) return 'hour';
    console.warn(`Health metrics of connection ${connectionId}: the hour could not be updated (${(err as Error).message}); the run is kept as a pending record.`);
  }
  if (counted) return 'hour';
  try {
    await kvs.set(pendingKey(connectionId, delta.hour), delta, TTL);
    return 'pending';
  } catch (err) {
    console.warn(`Health metrics of connection ${connectionId} not updated, one run (${sample.outcome}) is not counted: ${(err as Error).message}`);
    return false;
  }
}

/** Tries the claim a few times with jitter. */
const acquire = (lock: string) => acquireClaim(lock, LOCK);

/**
 * Under the claim: adds `delta` and the oldest pending records to their hours, one transaction per hour (the
 * hour's set plus the deletes of the pending records folded into it). `onCounted` runs once `delta`'s hour is
 * written, so a failure after that does not count the run again.
 */
async function foldInto(connectionId: string, delta: HourMetrics, onCounted: () => void): Promise<void> {
  const page = await kvs.query().where('key', WhereConditions.beginsWith(pendingPrefix(connectionId))).limit(FOLD_PAGE).getMany<unknown>();
  const byHour = new Map<string, { add: HourMetrics[]; keys: string[] }>([[delta.hour, { add: [delta], keys: [] }]]);
  for (const item of page.results) {
    const rec = HourMetrics.safeParse(item.value);
    if (!rec.success) {
      await kvs.delete(item.key); // unreadable: nothing to count, and it would stay first in the page for ever
      continue;
    }
    const group = byHour.get(rec.data.hour) ?? { add: [], keys: [] };
    group.add.push(rec.data);
    group.keys.push(item.key);
    byHour.set(rec.data.hour, group);
  }
  let totals: LinkTotals | undefined;
  for (const [hour, { add, keys }] of byHour) {
    const k = metricsKey(connectionId, hour);
    const stored = await kvs.get(k);
    const current = stored === undefined ? emptyHour(hour) : parse(HourMetrics, stored, `health metrics ${k}`);
    const next = add.reduce(mergeHours, current);
    let tx = kvs.transact().set(k, next, undefined, TTL);
    // The totals change with a link created or removed, and take an hour's first successful sync; later syncs of
    // the hour are in the hour itself (kept 8 days), so most runs cost no read or write of the totals.
    if (next.links !== current.links || (next.lastSyncAt && !current.lastSyncAt)) {
      totals = add.reduce(addToTotals, totals ?? (await readStoredTotals(connectionId)));
      tx = tx.set(totalsKey(connectionId), totals);
    }
    for (const p of keys) tx = tx.delete(p);
    await tx.execute();
    if (hour === delta.hour) onCounted();
  }
}

/**
 * The counts of a connection from the hour of `sinceMs` on, oldest first, one record per hour with any run (hours
 * without runs have no record), pending records added to their hours. Reads KVS pages of 20: at most 9 pages for
 * 7 days, plus one per 20 pending records (normally none).
 * @throws SyncError `internal` when a stored record is unreadable
 */
export async function readHours(connectionId: string, sinceMs: number): Promise<HourMetrics[]> {
  return (await readHealth(connectionId, sinceMs)).hours;
}

/**
 * {@link readHours} and the connection's {@link LinkTotals} (pending records added to both), reading the pending
 * records once.
 * @throws SyncError `internal` when a stored record is unreadable
 */
export async function readHealth(connectionId: string, sinceMs: number): Promise<{ hours: HourMetrics[]; totals: LinkTotals }> {
  const from = hourOf(sinceMs);
  const byHour = new Map<string, HourMetrics>();
  const add = (rec: HourMetrics) => {
    if (rec.hour < from) return;
    const seen = byHour.get(rec.hour);
    byHour.set(rec.hour, seen ? mergeHours(seen, rec) : rec);
  };
  let totals = await readStoredTotals(connectionId);
  for await (const item of scan<unknown>(prefix(connectionId))) add(parse(HourMetrics, item.value, `health metrics ${item.key}`));
  for await (const item of scan<unknown>(pendingPrefix(connectionId))) {
    const rec = HourMetrics.safeParse(item.value);
    if (!rec.success) continue;
    add(rec.data);
    totals = addToTotals(totals, rec.data);
  }
  return { hours: [...byHour.values()].sort((a, b) => a.hour.localeCompare(b.hour)), totals };
}

/** The stored totals of a connection (zeros when none). */
async function readStoredTotals(connectionId: string): Promise<LinkTotals> {
  const stored = await kvs.get(totalsKey(connectionId));
  return stored === undefined ? LinkTotals.parse({}) : parse(LinkTotals, stored, `health totals of connection ${connectionId}`);
}

/** `totals` with an hour's (or a pending record's) link changes and newest sync added. */
function addToTotals(totals: LinkTotals, h: HourMetrics): LinkTotals {
  const last = !totals.lastSyncAt ? h.lastSyncAt : h.lastSyncAt && h.lastSyncAt > totals.lastSyncAt ? h.lastSyncAt : totals.lastSyncAt;
  return { ...totals, links: totals.links + h.links, lastSyncAt: last };
}

/**
 * Migration (once per connection, by the first admin page load that finds `countedAt` unset): sets the totals'
 * links to `links`, counted by a scan of the connection's links, and its newest sync to the later of the two,
 * under the connection's claim. Links created or removed while that scan ran may be off by those few.
 * @returns false when the claim stayed busy or KVS failed (the next load tries again; never throws)
 */
export async function setLinkBase(connectionId: string, links: number, lastSyncAt: string | null, now = new Date()): Promise<boolean> {
  const lock = `metrics:${connectionId}`;
  try {
    if (!(await acquire(lock))) return false;
    try {
      const totals = await readStoredTotals(connectionId);
      if (totals.countedAt) return true;
      const last = !lastSyncAt ? totals.lastSyncAt : !totals.lastSyncAt || lastSyncAt > totals.lastSyncAt ? lastSyncAt : totals.lastSyncAt;
      await kvs.set(totalsKey(connectionId), { links, lastSyncAt: last, countedAt: now.toISOString() } satisfies LinkTotals);
      return true;
    } finally {
      await release(lock);
    }
  } catch (err) {
    console.warn(`Link count of connection ${connectionId} not set: ${(err as Error).message}`);
    return false;
  }
}

/** Removes a connection's hours, pending records and totals (when the connection is removed). */
export async function deleteMetrics(connectionId: string): Promise<void> {
  for (const p of [prefix(connectionId), pendingPrefix(connectionId)]) for await (const item of scan<unknown>(p)) await kvs.delete(item.key);
  await kvs.delete(totalsKey(connectionId));
}
