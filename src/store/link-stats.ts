/**
 * Per-connection link figures for the Jira admin page: how many links, how many failing, how many with conflicts
 * waiting, and the newest successful sync. One pass over the `link:` records (KVS pages of 20, so a site with
 * 2,000 links costs 100 reads when the admin page opens); no counter is kept on every sync for a page opened rarely.
 */
import { LinkRecord } from './records';
import { migrateLink } from './migrate';
import { key, scan } from './kvs';

/** Figures of one connection's links. `lastSyncAt` is ISO-8601 or null. */
export interface LinkStats {
  links: number;
  failing: number;
  conflictsWaiting: number;
  lastSyncAt: string | null;
}

const empty = (): LinkStats => ({ links: 0, failing: 0, conflictsWaiting: 0, lastSyncAt: null });

/**
 * Figures per connection id over every link of the site. Unreadable link records are skipped (the sync job reports
 * them when it meets them).
 */
export async function linkStatsByConnection(): Promise<Map<string, LinkStats>> {
  const out = new Map<string, LinkStats>();
  for await (const item of scan<unknown>(key.linkPrefix)) {
    const parsed = LinkRecord.safeParse(migrateLink(item.value));
    if (!parsed.success) continue;
    const link = parsed.data;
    const s = out.get(link.connectionId) ?? empty();
    s.links++;
    if (link.state === 'failed') s.failing++;
    if (link.state !== 'broken' && link.conflicts.length) s.conflictsWaiting++;
    if (link.lastSyncAt && (!s.lastSyncAt || link.lastSyncAt > s.lastSyncAt)) s.lastSyncAt = link.lastSyncAt;
    out.set(link.connectionId, s);
  }
  return out;
}

/** The figures of a connection without links. */
export function noLinks(): LinkStats {
  return empty();
}
