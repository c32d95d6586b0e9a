/**
 * Transition on create: a bulk run that already knows (from an earlier create of the same issue type, see
 * `CreateCache`) which transition takes a new partner issue from its start status to the mapped status sends it in
 * the create body (`IssueUpdateDetails.transition`), saving the separate `POST …/transitions` of every issue.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 *   ("A transition may be applied, to move the issue or subtask to a workflow step other than the default start
 *   step"; the 201 answer's `transition` is a `NestedResponse`: "The response code and messages related to any
 *   requested transition".)
 *
 * What happens when the partner refuses the transition (decided here; nothing is ever lost or made twice):
 * - **201 with `transition.status` not 2xx**: Jira made the issue in its start status and says why the transition
 *   failed. The issue is kept and linked; the run drops its cached transitions of that type and moves the issue
 *   the ordinary way (its own transitions read, `transitionTo`), which logs "Status not synced…" if none fits.
 * - **400** (the sandbox's answer to a transition not available from the start status; no issue is made): the
 *   creation intent is already recorded, so before creating again (without the transition) the run looks for a
 *   copy this attempt may have made after all (the same look-for-an-earlier-copy as after a timeout: creator,
 *   summary, origin property). Found, it is linked; else one issue is created without the transition and moved
 *   the ordinary way. A second 400 (a field the partner refuses) is the create's own error, as before.
 */
import type { JiraSite } from '../jira/site';
import { toSyncError } from '../model/errors';
import type { ConnectionMapping } from '../model/mapping';
import type { TransitionOption } from '../model/types';
import { chooseTransition, equivalentStatuses } from './transitions';

/** What a create body holds (`JiraSite.createIssue`'s argument without the transition). */
type CreateBody = Parameters<JiraSite['createIssue']>[0];

/** The known transitions and start statuses of one bulk run (the fields of `CreateCache` this needs). */
interface Known {
  initialStatus: Map<string, string | undefined>;
  transitions: Map<string, TransitionOption[]>;
}

/** The cache slot of an issue type's start status: `<issue type id>:<status id>`. */
export function transitionSlot(typeId: string, statusId: string | undefined): string {
  return `${typeId}:${statusId ?? ''}`;
}

/**
 * The transition to send in the create body of a new partner issue of `typeId` that should reach `target` (a
 * partner status id): one the run already knows is available, without a screen, from the type's start status to
 * `target` or an equivalent status (`chooseTransition`). Undefined when nothing is known yet, when no transition is
 * needed (the start status already fits) or when none of the known ones fits (the ordinary path then says why).
 */
export function plannedTransition(cache: Known | undefined, typeId: string, target: string | null | undefined, mapping: Pick<ConnectionMapping, 'status'>): TransitionOption | undefined {
  if (!cache || !target || !cache.initialStatus.has(typeId)) return undefined;
  const start = cache.initialStatus.get(typeId);
  const targets = equivalentStatuses(target, mapping, 'partner');
  if (start && targets.includes(start)) return undefined;
  const known = cache.transitions.get(transitionSlot(typeId, start));
  return known ? chooseTransition(known, targets).transition : undefined;
}

/** What {@link createWithTransition} did. */
export interface CreateOutcome {
  created: { id: string; key: string };
  /** The status the transition in the create body reached; undefined when none was sent or it was refused. */
  reached?: string;
  /** Why the partner refused the transition (the issue then sits in its start status, or was found). */
  refused?: string;
  /** The issue was not made now but found (a copy an attempt made although it answered 400). */
  found?: boolean;
}

/**
 * Creates the partner issue, with `transition` in the body when given, handling a refusal as the module docstring
 * says. `findCopy` is the create path's look-for-an-earlier-copy (creator, summary, origin property).
 * @throws SyncError as `JiraSite.createIssue` does (a second refusal, partner unreachable…)
 */
export async function createWithTransition(
  partner: JiraSite,
  body: CreateBody,
  transition: TransitionOption | undefined,
  findCopy: () => Promise<{ id: string; key: string } | undefined>,
): Promise<CreateOutcome> {
  if (!transition) return { created: await partner.createIssue(body) };
  let answer: Awaited<ReturnType<JiraSite['createIssue']>>;
  try {
    answer = await partner.createIssue({ ...body, transition: { id: transition.id } });
  } catch (err) {
    const e = toSyncError(err);
    if (e.code !== 'jira-rejected') throw err;
    const copy = await findCopy();
    if (copy) return { created: copy, refused: e.message, found: true };
    return { created: await partner.createIssue(body), refused: e.message };
  }
  const status = answer.transition?.status;
  if (status === undefined || (status >= 200 && status < 300)) return { created: { id: answer.id, key: answer.key }, reached: transition.to.id };
  const why = [...(answer.transition?.errorCollection?.errorMessages ?? []), ...Object.values(answer.transition?.errorCollection?.errors ?? {})].join(' ');
  return { created: { id: answer.id, key: answer.key }, refused: why || `the partner answered ${status} to the transition` };
}
