/**
 * Per-connection link figures for the Jira admin page: how many links, how many failing, how many with conflicts
 * waiting, and the newest successful sync, without a scan of every link per load:
 * - failing and conflicts waiting: the `failed:` and `conflicted:` index entries, written with each link
 *   (`saveLink`), so a load reads one KVS page per 20 failing or conflicted links, not per 20 links;
 * - links and last sync: the connection's running totals (`health-total:<connectionId>`, see
 *   `src/store/metrics.ts`), kept by every logged run and by each link created or removed.
 * Migration: a connection whose totals were never counted (installations from before the totals), or a site whose
 * `conflicted:` index is not built yet, is counted once by a scan of the links (one KVS page per 20 links), which
 * also sets the totals' base, so later loads do not scan.
 */
import { kvs } from '@forge/kvs';
import { legacyConnectionId } from '../model/connection';
import { ConflictedEntry, FailedEntry, LinkRecord } from './records';
import { migrateLink } from './migrate';
import { key, scan } from './kvs';
import { setLinkBase, type LinkTotals } from './metrics';

/** Figures of one connection's links. `lastSyncAt` is ISO-8601 or null. */
export interface LinkStats {
  links: number;
  failing: number;
  conflictsWaiting: number;
  lastSyncAt: string | null;
}

const empty = (): LinkStats => ({ links: 0, failing: 0, conflictsWaiting: 0, lastSyncAt: null });

/**
 * Figures of each connection of `totals` (its running totals, by connection id, from `readHealth`; connections
 * without links answer zeros). Unreadable index entries and link records are skipped (the sync job reports them
 * when it meets them).
 */
export async function linkStatsByConnection(totals: ReadonlyMap<string, LinkTotals>): Promise<Map<string, LinkStats>> {
  const out = new Map([...totals.keys()].map((id) => [id, empty()]));
  const indexBuilt = (await kvs.get(key.conflictedIndexBuilt)) !== undefined;
  if (!indexBuilt || [...totals.values()].some((t) => !t.countedAt)) return scanLinks(out, totals);
  for (const [id, t] of totals) Object.assign(out.get(id)!, { links: Math.max(0, t.links), lastSyncAt: t.lastSyncAt });
  for await (const item of scan<unknown>(key.failedPrefix)) {
    const f = FailedEntry.safeParse(item.value);
    const s = f.success ? out.get(f.data.connectionId ?? legacyConnectionId(f.data.projectKey)) : undefined;
    if (s) s.failing++;
  }
  for await (const item of scan<unknown>(key.conflictedPrefix)) {
    const c = ConflictedEntry.safeParse(item.value);
    const s = c.success ? out.get(c.data.connectionId) : undefined;
    if (s) s.conflictsWaiting++;
  }
  return out;
}

/** The figures by one pass over every `link:` record; sets the base of totals never counted. */
async function scanLinks(out: Map<string, LinkStats>, totals: ReadonlyMap<string, LinkTotals>): Promise<Map<string, LinkStats>> {
  for await (const item of scan<unknown>(key.linkPrefix)) {
    const parsed = LinkRecord.safeParse(migrateLink(item.value));
    if (!parsed.success) continue;
    const link = parsed.data;
    const s = out.get(link.connectionId);
    if (!s) continue;
    s.links++;
    if (link.state === 'failed') s.failing++;
    if (link.state !== 'broken' && link.conflicts.length) s.conflictsWaiting++;
    if (link.lastSyncAt && (!s.lastSyncAt || link.lastSyncAt > s.lastSyncAt)) s.lastSyncAt = link.lastSyncAt;
  }
  for (const [id, t] of totals) {
    const s = out.get(id)!;
    if (t.lastSyncAt && (!s.lastSyncAt || t.lastSyncAt > s.lastSyncAt)) s.lastSyncAt = t.lastSyncAt;
    if (!t.countedAt) await setLinkBase(id, s.links, s.lastSyncAt);
  }
  return out;
}
