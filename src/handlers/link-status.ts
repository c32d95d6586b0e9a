/**
 * Saving a link together with the status lozenge Jira shows for it. Every change of a link's state (job outcome,
 * pause/resume, broken, failure after the last retry, retry) is saved through {@link saveLinkAndStatus}, so the
 * glance and the issue context panel follow the link; unlinking shows {@link NOT_SYNCED} through {@link showStatus}.
 *
 * Forge reads a status per module, from the issue property `com.atlassian.jira.issue:<app id>:<module key>:status`,
 * so the property is written once per key in {@link STATUS_MODULE_KEYS}. It is written only when the lozenge
 * differs from the one the link last showed (`link.shown`): an unchanged sync costs no extra Jira call (the app's
 * `asApp` calls spend the site's hourly points quota).
 * @see https://developer.atlassian.com/cloud/jira/platform/modules/issue-glance/ (Setting the status for a Glance)
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-issue-context/
 */
import { getAppContext } from '@forge/api';
import type { JiraSite } from '../jira/site';
import * as store from '../store/kvs';
import type { LinkRecord } from '../model/link';
import { linkLozenge, NOT_SYNCED, sameLozenge, type Lozenge } from '../sync/lozenge';
import { publishLinkState } from './field-value';

/** Manifest keys of the modules that show the link's status lozenge: the issue glance and the issue context. */
export const STATUS_MODULE_KEYS = ['task-sync-glance', 'task-sync-context'] as const;

/** The status issue property key of one module: `com.atlassian.jira.issue:<app id>:<module key>:status`. */
export function statusPropertyKey(moduleKey: (typeof STATUS_MODULE_KEYS)[number]): string {
  return `com.atlassian.jira.issue:${getAppContext().appAri.appId}:${moduleKey}:status`;
}

/** Writes `lozenge` as the status of every module in {@link STATUS_MODULE_KEYS} on a local issue. */
export async function showStatus(local: JiraSite, localIssueId: string, lozenge: Lozenge): Promise<void> {
  const value = { type: 'lozenge', value: lozenge };
  for (const moduleKey of STATUS_MODULE_KEYS) await local.setIssueProperty(localIssueId, statusPropertyKey(moduleKey), value);
  // field area: unlinked → the "Partner sync" field and the link property are emptied too (a view, never fatal).
  if (lozenge === NOT_SYNCED) await publishLinkState(local, localIssueId, null, { field: true }).catch(() => undefined);
}

/**
 * Saves `link` (see `store.saveLink`) and, when its lozenge changed, writes the new lozenge first. A lozenge write
 * that fails does not fail the save (the sync itself succeeded; the glance is a view of it): `shown` then keeps
 * the old value, so the next save of the link tries again.
 */
export async function saveLinkAndStatus(local: JiraSite, link: LinkRecord, partnerUrl: string): Promise<void> {
  const lozenge = linkLozenge(link);
  let shown = link.shown ?? null;
  const firstShown = !shown || sameLozenge(shown, NOT_SYNCED);
  if (!sameLozenge(shown, lozenge)) {
    try {
      await showStatus(local, link.localIssueId, lozenge);
      shown = lozenge;
      // field area: the Partner sync field's text and the indexed link property; like the lozenge a view of the
      // link, and a failure (e.g. Jira unreachable) must not make every later save write again.
      await publishLinkState(local, link.localIssueId, link, { field: firstShown }).catch((err) => console.warn(`Partner sync field of ${link.localIssueKey} not updated: ${(err as Error)?.message ?? err}`));
    } catch {
      // Left for the next save (see above); the link's own state is what matters and is saved below.
    }
  }
  await store.saveLink({ ...link, shown }, partnerUrl);
}
