/**
 * Moves an issue to a status through its workflow: reads the available transitions, picks one that reaches the
 * target or an equivalent status (same mapped status on the other side), and runs it.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
 */
import type { JiraSite } from '../jira/site';
import { chooseTransition, equivalentStatuses } from './transitions';
import type { ConnectionMapping } from '../model/mapping';

/** The status reached (target side id), or why none could be. */
export type TransitionOutcome = { ok: true; statusId: string } | { ok: false; reason: string };

/**
 * @param currentStatusId the issue's status now, when known: if it is already equivalent, nothing is called
 * @param side the side `site` is (its ids are what `targetStatusId` uses)
 * @param statusNames that side's status names by id, for the message when no transition fits
 */
export async function transitionTo(
  site: JiraSite,
  issueId: string,
  targetStatusId: string,
  mapping: Pick<ConnectionMapping, 'status'>,
  side: 'local' | 'partner',
  currentStatusId?: string | null,
  statusNames: Record<string, string> = {},
): Promise<TransitionOutcome> {
  const targets = equivalentStatuses(targetStatusId, mapping, side);
  if (currentStatusId && targets.includes(currentStatusId)) return { ok: true, statusId: currentStatusId };
  const choice = chooseTransition(await site.getTransitions(issueId), targets, statusNames[targetStatusId]);
  if (!choice.transition) {
    return { ok: false, reason: `Status not synced on the ${site.label}: ${choice.reason}. Add that transition to the workflow or change the status map; the sync will try again.` };
  }
  await site.doTransition(issueId, choice.transition.id);
  return { ok: true, statusId: choice.transition.to.id };
}
