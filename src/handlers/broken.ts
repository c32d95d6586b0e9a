/**
 * Marks a link broken after one of its issues was deleted: stops syncing it, says so in the sync log, and leaves the
 * surviving issue untouched.
 */
import * as store from '../store/kvs';
import type { LinkRecord } from '../store/records';

/** @param deletedOn which side lost its issue */
export async function markDeleted(link: LinkRecord, partnerUrl: string, deletedOn: 'local' | 'partner'): Promise<void> {
  const [gone, kept, where] =
    deletedOn === 'local' ? [link.localIssueKey, link.partnerIssueKey, 'on this site'] : [link.partnerIssueKey, link.localIssueKey, 'on the partner'];
  const message = `${gone} was deleted ${where}. Syncing with ${kept} has stopped; ${kept} was left as it is.`;
  await store.saveLink({ ...link, state: 'broken', lastError: message, lastErrorCode: 'not-found' }, partnerUrl);
  await store.appendLog(link.projectKey, {
    trigger: deletedOn === 'local' ? 'event' : 'webhook',
    direction: 'none',
    localIssueKey: link.localIssueKey,
    partnerIssueKey: link.partnerIssueKey,
    fields: [],
    outcome: 'broken',
    message,
  });
}
