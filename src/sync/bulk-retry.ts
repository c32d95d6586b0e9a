/**
 * Retry failed of a bulk run: the failed issues are searched again by key (`key in (…)`). Jira refuses the whole
 * search with 400 when one of the keys names no issue ("An issue with key 'ALOY-7' does not exist for field
 * 'key'.", one message per key it names), which is what an issue deleted since the run looks like. Each key the
 * site names is taken out (and reported as deleted) and the search is tried again with the rest, so one deleted
 * issue never blocks the retry of the others.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 * @see https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Issue-key
 */
import { SyncError } from '../model/errors';
import type { BulkRunRecord } from '../store/bulk';
import { countMatches, scopedQuery } from './bulk';
import type { ConnectionPorts } from './ports';

/** What a retry will search: the query over the keys still there, how many match, and the keys that are gone. */
export interface RetryPlan {
  query: string;
  total: number;
  /** Keys the site says no longer exist, in the order they were failed. */
  deleted: string[];
}

const MISSING = /An issue with key '([A-Z][A-Z0-9_]*-\d+)' does not exist for field '(?:key|issuekey)'/gi;

/** The keys of `keys` a refused search's message names as not existing (upper-cased). */
export function missingKeys(message: string, keys: readonly string[]): string[] {
  const named = new Set([...message.matchAll(MISSING)].map((m) => m[1].toUpperCase()));
  return keys.filter((k) => named.has(k.toUpperCase()));
}

/**
 * Plans the retry of `keys` (issue keys of the run's search side: local for a link run, partner for an import).
 * One search per round; each round drops at least one key, so at most `keys.length + 1` searches.
 * @throws SyncError `invalid-input` when the site refuses the search for another reason (its words included)
 */
export async function planRetry(ports: ConnectionPorts, run: Pick<BulkRunRecord, 'direction'>, keys: readonly string[]): Promise<RetryPlan> {
  const projectKey = run.direction === 'link' ? ports.connection.projectKey : ports.connection.partnerProjectKey;
  let left = [...keys];
  const deleted: string[] = [];
  while (left.length) {
    const query = scopedQuery(`key in (${left.join(', ')})`, projectKey);
    try {
      const { total } = await countMatches(ports, { direction: run.direction, query });
      return { query, total, deleted };
    } catch (err) {
      const gone = err instanceof SyncError && err.code === 'jira-rejected' ? missingKeys(err.message, left) : [];
      if (!gone.length) throw err;
      deleted.push(...gone);
      left = left.filter((k) => !gone.includes(k));
    }
  }
  return { query: scopedQuery(`key in (${keys.join(', ')})`, projectKey), total: 0, deleted };
}

/** The failure a deleted issue gets in the retry's report. */
export function deletedReason(direction: BulkRunRecord['direction'], key: string): string {
  const site = direction === 'link' ? 'local' : 'partner';
  return `${key} no longer exists on the ${site} site (it was deleted after the run), so there is nothing to retry. The other failed issues were retried.`;
}
