/**
 * The status lozenge the issue glance (and the issue context panel) shows for a link, derived from the link's
 * state alone, so every place that saves a link can tell whether what Jira shows must change.
 *
 * Jira reads it from the issue property `com.atlassian.jira.issue:<app key>:<module key>:status` with the value
 * `{type: 'lozenge', value: {label, type}}`; `type` is one of Atlassian's lozenge appearances.
 * @see https://developer.atlassian.com/cloud/jira/platform/modules/issue-glance/ (Setting the status for a Glance)
 */
import type { LinkRecord } from '../model/link';

/** Lozenge appearances Jira accepts in a glance status (`@atlaskit/lozenge` appearances). */
export type LozengeType = 'default' | 'success' | 'removed' | 'inprogress' | 'new' | 'moved';

/** A glance status lozenge: a short label and its appearance. */
export interface Lozenge {
  label: string;
  type: LozengeType;
}

/** Shown once a link is gone (unlinked): the issue is no longer synced. */
export const NOT_SYNCED: Lozenge = { label: 'Not synced', type: 'default' };

/**
 * The lozenge for a link, most urgent first: broken (an issue is gone, nothing syncs) → paused (a person stopped
 * it) → conflict (waiting for someone to choose) → failing (the last job failed; reconcile retries) → synced (the
 * partner key, green).
 */
export function linkLozenge(link: Pick<LinkRecord, 'state' | 'paused' | 'partnerIssueKey'>): Lozenge {
  if (link.state === 'broken') return { label: 'Broken', type: 'removed' };
  if (link.paused) return { label: 'Paused', type: 'default' };
  if (link.state === 'conflicted') return { label: 'Conflict', type: 'moved' };
  if (link.state === 'failed') return { label: 'Failing', type: 'removed' };
  return { label: link.partnerIssueKey, type: 'success' };
}

/** True when two lozenges look the same (so no property write is needed). */
export function sameLozenge(a: Lozenge | null | undefined, b: Lozenge | null | undefined): boolean {
  return !!a && !!b && a.label === b.label && a.type === b.type;
}
