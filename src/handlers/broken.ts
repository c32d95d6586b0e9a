/**
 * Marks a link broken after one of its issues was deleted (a product event or a partner webhook said so), through
 * the engine's `markBroken`; the surviving issue is left untouched.
 */
import type { LinkRecord } from '../model/link';
import * as store from '../store/kvs';
import { markBroken } from '../sync/job';
import { appLocalSite } from './deps';
import { saveLinkAndStatus } from './link-status';

/** @param deletedOn which side lost its issue */
export async function markDeleted(link: LinkRecord, partnerUrl: string, deletedOn: 'local' | 'partner'): Promise<void> {
  const [gone, kept, where] =
    deletedOn === 'local' ? [link.localIssueKey, link.partnerIssueKey, 'on this site'] : [link.partnerIssueKey, link.localIssueKey, 'on the partner'];
  const message = `${gone} was deleted ${where}. Syncing with ${kept} has stopped; ${kept} was left as it is.`;
  const ports = {
    links: { save: (l: LinkRecord) => saveLinkAndStatus(appLocalSite(), l, partnerUrl) },
    log: async (e: Parameters<typeof store.appendLog>[1]) => void (await store.appendLog(link.projectKey, e)),
  };
  await markBroken(ports, link, deletedOn === 'local' ? 'event' : 'webhook', message);
}
