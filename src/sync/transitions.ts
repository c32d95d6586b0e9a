/**
 * Status changes go through workflow transitions, not field edits. These pick the transition to run and list the
 * statuses that count as "the same" when the map is not one-to-one.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
 */
import type { ConnectionMapping } from '../model/mapping';
import type { TransitionOption } from '../model/types';

/** The result of {@link chooseTransition}: a transition to run, or why there is none (for the sync log). */
export interface TransitionChoice {
  transition?: TransitionOption;
  reason?: string;
}

/** A transition the app can run unattended: available (`isAvailable` not false) and without a screen. */
function usable(t: TransitionOption): boolean {
  return t.isAvailable !== false && t.hasScreen !== true;
}

/**
 * Picks the transition that moves the issue into one of `targetStatusIds`, trying the ids in the given order
 * (preferred first), among transitions that are available and have no screen (a screen would need a person).
 * `targetName` names the target in the reason (else it is looked up in `transitions`, else the id is used).
 * Input: `transitions` of `GET /rest/api/3/issue/{id}/transitions`.
 * With none: `reason` reads e.g. `No transition to "Open" is available from here. Available: Reopen Issue →
 * Reopened, Close Issue → Closed` (transitions that need a screen are named as such). Never throws.
 */
export function chooseTransition(transitions: TransitionOption[], targetStatusIds: string[], targetName?: string): TransitionChoice {
  for (const id of targetStatusIds) {
    const transition = transitions.find((t) => t.to.id === id && usable(t));
    if (transition) return { transition };
  }
  const first = targetStatusIds[0];
  const name = targetName ?? transitions.find((t) => t.to.id === first)?.to.name ?? first ?? '(none)';
  const blocked = transitions.filter((t) => targetStatusIds.includes(t.to.id) && t.isAvailable !== false && t.hasScreen === true);
  const available = transitions.filter((t) => t.isAvailable !== false).map((t) => `${t.name} → ${t.to.name}`);
  const screens = blocked.length ? ` (${blocked.map((t) => `${t.name} → ${t.to.name}`).join(', ')} asks for a screen)` : '';
  return {
    reason:
      `No transition to "${name}" is available from here${screens}. ` +
      `Available: ${available.length ? available.join(', ') : 'none'}`,
  };
}

/**
 * Every status id on `side` that maps to the same status on the other side as `statusId` (a `side` id) does,
 * `statusId` itself first, then the id the other side maps back to, then the rest in map order.
 * E.g. local Open 1 → [1, 4] when local Open and Reopened both map to partner Open. An unmapped id → `[statusId]`.
 * Used as the preference list for {@link chooseTransition} when the exact status cannot be reached.
 */
export function equivalentStatuses(statusId: string, mapping: Pick<ConnectionMapping, 'status'>, side: 'local' | 'partner'): string[] {
  const there = side === 'local' ? mapping.status.toPartner : mapping.status.toLocal;
  const back = side === 'local' ? mapping.status.toLocal : mapping.status.toPartner;
  const other = there[statusId];
  if (other === undefined) return [statusId];
  const ids = [statusId];
  if (back[other] !== undefined) ids.push(back[other]);
  for (const [id, to] of Object.entries(there)) if (to === other) ids.push(id);
  return [...new Set(ids)];
}
