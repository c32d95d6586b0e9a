/**
 * A transition in the create body (`POST /rest/api/3/issue` with `IssueUpdateDetails.transition`): "A transition
 * may be applied, to move the issue or subtask to a workflow step other than the default start step".
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 *
 * How the emulator applies it (the rule the app is built against, `src/sync/create-transition.ts`):
 * - the transition must be one the new issue's workflow offers from its start status (a global one counts), and
 *   the caller needs *Transition issues* as for `POST …/transitions`; otherwise the whole request answers 400 in
 *   Jira's words for an unknown transition (`Transition id '99' is not valid for this issue.`) and NO issue is made;
 * - it runs exactly as `POST /rest/api/3/issue/{id}/transitions` with no fields of its own (`IssueTransition` has
 *   none): its screen's rules apply (e.g. entering a done status sets the default resolution), its changelog
 *   entry and `issue_updated` event follow the creation's;
 * - the 201 answer carries the outcome as the spec's example does: `transition: {status: 200, errorCollection:
 *   {errorMessages: [], errors: {}}}` (`CreatedIssue.transition`, a `NestedResponse`).
 * Jira reports the transition's outcome inside a 201 (that is what `CreatedIssue.transition` is for), so a real
 * site may also create the issue and report a refused transition there; the app handles both answers.
 */
import { JiraError } from './errors';
import { availableTransitions } from './ops';
import { requirePermission } from './permissions';
import type { SiteStore } from './store';
import type { IssueRec, TransitionDef, UserRec } from './types';

/** The `NestedResponse` of a transition applied on create, as the spec's example shows it. */
export const APPLIED = { status: 200, errorCollection: { errorMessages: [] as string[], errors: {} as Record<string, string> } };

/**
 * The transition a create body asks for, checked against the start status `startStatusId` before anything is made.
 * @returns undefined when the body asks for none
 * @throws JiraError 400 `Transition id 'x' is not valid for this issue.` (also for a body without an id), 403
 *   without *Transition issues*
 */
export function createTransition(store: SiteStore, actor: UserRec, body: any, draft: Pick<IssueRec, 'statusId'>): TransitionDef | undefined {
  if (body?.transition === undefined || body.transition === null) return undefined;
  requirePermission(actor, 'TRANSITION_ISSUES');
  const id = String(body.transition?.id ?? '');
  const t = availableTransitions(store, draft as IssueRec).find((x) => x.id === id);
  if (!t) throw JiraError.badRequest(`Transition id '${id}' is not valid for this issue.`);
  return t;
}
