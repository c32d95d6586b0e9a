/**
 * Worklog writes of a site, validated as Jira Cloud validates them: `timeSpent` (a duration, see `time-tracking.ts`)
 * or `timeSpentSeconds` (a positive integer), not both; `started` in `yyyy-MM-dd'T'HH:mm:ss.SSSZ`; an optional ADF
 * `comment`. Each write moves the remaining estimate as `adjustEstimate` says (`auto`, the default: by the time
 * logged; `leave`; `new` with `newEstimate`; `manual` with `reduceBy` on create or `increaseBy` on delete), records
 * the history entry Jira records (`timespent`, `timeestimate`, `WorklogId`), bumps the issue's `updated` and emits
 * a `WorklogChange`. Nothing changes unless the whole request is valid.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/
 */
import { isAdfDoc } from './adf';
import { JiraError } from './errors';
import type { OpsContext } from './ops';
import { jiraDate } from './store';
import { BAD_DURATION, BAD_STARTED, parseDuration, parseStarted, timeSpentSeconds } from './time-tracking';
import type { ChangeItem, IssueRec, UserRec, WorklogRec } from './types';
import { parseVisibility } from './visibility';

/** Query parameters of the estimate (`adjustEstimate`, `newEstimate`, `reduceBy`, `increaseBy`). */
export interface EstimateQuery {
  adjustEstimate?: string;
  newEstimate?: string;
  reduceBy?: string;
  increaseBy?: string;
}

type Write = 'create' | 'update' | 'delete';
const ALLOWED: Record<Write, string[]> = { create: ['new', 'leave', 'manual', 'auto'], update: ['new', 'leave', 'auto'], delete: ['new', 'leave', 'manual', 'auto'] };

/** Finds a worklog of an issue or throws Jira's 404. */
export function findWorklog(issue: IssueRec, id: string): WorklogRec {
  const w = (issue.worklogs ?? []).find((x) => x.id === id);
  if (!w) throw JiraError.notFound(`Cannot find worklog with id: ${id}.`);
  return w;
}

/**
 * The remaining estimate (seconds) after a write that changes time spent by `delta` seconds.
 * @throws JiraError 400 for an `adjustEstimate` the operation does not take, or a missing/invalid amount
 */
function nextEstimate(write: Write, current: number | null | undefined, delta: number, q: EstimateQuery): number | null | undefined {
  const mode = q.adjustEstimate ?? 'auto';
  if (!ALLOWED[write].includes(mode)) {
    throw JiraError.badRequest(`Invalid value for adjustEstimate: '${mode}'. Valid values are ${ALLOWED[write].map((m) => `'${m}'`).join(', ')}.`);
  }
  const amount = (v: string | undefined, name: string, words: string) => {
    const s = parseDuration(v);
    if (s === undefined) throw JiraError.fields({ [name]: `You must supply a valid ${words}.` });
    return s;
  };
  switch (mode) {
    case 'leave': return current;
    case 'new': return amount(q.newEstimate, 'newEstimate', 'new estimate');
    case 'manual': {
      const by = write === 'delete' ? amount(q.increaseBy, 'increaseBy', 'amount to increase the estimate by') : -amount(q.reduceBy, 'reduceBy', 'amount to reduce the estimate by');
      return Math.max(0, (current ?? 0) + by);
    }
    default:
      // `auto` moves an estimate that exists; an issue never estimated keeps none.
      return current == null ? current : Math.max(0, current - delta);
  }
}

/** `timeSpent` / `timeSpentSeconds` of a body in seconds, or undefined when neither is given. @throws JiraError 400 */
function spentOf(body: any): number | undefined {
  const hasText = body?.timeSpent !== undefined;
  const hasSeconds = body?.timeSpentSeconds !== undefined;
  if (hasText && hasSeconds) throw JiraError.fields({ timeLogged: 'Provide either timeSpent or timeSpentSeconds, not both.' });
  if (hasSeconds) {
    const s = body.timeSpentSeconds;
    if (!Number.isInteger(s) || s <= 0) throw JiraError.fields({ timeLogged: 'Time spent must be greater than 0.' });
    return s;
  }
  if (!hasText) return undefined;
  const s = parseDuration(body.timeSpent);
  if (s === undefined) throw JiraError.fields({ timeLogged: BAD_DURATION });
  if (s <= 0) throw JiraError.fields({ timeLogged: 'Time spent must be greater than 0.' });
  return s;
}

function commentOf(body: any): WorklogRec['comment'] | undefined {
  if (body?.comment === undefined) return undefined;
  if (body.comment === null) return null;
  if (!isAdfDoc(body.comment)) throw JiraError.fields({ comment: 'Comment must be a document in Atlassian Document Format.' });
  return body.comment.content.length ? body.comment : null;
}

function startedOf(body: any): string | undefined {
  if (body?.started === undefined) return undefined;
  const s = parseStarted(body.started);
  if (!s) throw JiraError.fields({ started: BAD_STARTED });
  return s;
}

/** Applies the estimate and records Jira's history entry; returns it. */
function recordTime(ctx: OpsContext, issue: IssueRec, actor: UserRec, worklogId: string, spentBefore: number, estimate: number | null | undefined, now: string) {
  const items: ChangeItem[] = [];
  const spent = timeSpentSeconds(issue);
  const str = (n: number | null | undefined) => (n == null ? null : String(n));
  if (spent !== spentBefore) items.push({ field: 'timespent', fieldtype: 'jira', fieldId: 'timespent', from: str(spentBefore || null), fromString: str(spentBefore || null), to: str(spent || null), toString: str(spent || null) });
  if ((estimate ?? null) !== (issue.timeEstimate ?? null)) {
    items.push({ field: 'timeestimate', fieldtype: 'jira', fieldId: 'timeestimate', from: str(issue.timeEstimate), fromString: str(issue.timeEstimate), to: str(estimate), toString: str(estimate) });
    issue.timeEstimate = estimate ?? null;
  }
  items.push({ field: 'WorklogId', fieldtype: 'jira', fieldId: 'WorklogId', from: null, fromString: null, to: worklogId, toString: worklogId });
  const history = { id: ctx.store.nextId('historyId'), authorId: actor.accountId, created: now, items };
  issue.changelog.push(history);
  issue.updated = now;
  ctx.store.touch();
  return history;
}

/**
 * Adds a worklog `{timeSpent | timeSpentSeconds, started, comment?}`.
 * @throws JiraError 400 with Jira's words (missing or invalid time, bad `started`, bad estimate parameters)
 */
export function addWorklog(ctx: OpsContext, actor: UserRec, issue: IssueRec, body: any, q: EstimateQuery): WorklogRec {
  const spent = spentOf(body);
  if (spent === undefined) throw JiraError.fields({ timeLogged: 'You must indicate the time spent working.' });
  const started = startedOf(body);
  if (!started) throw JiraError.fields({ started: 'You must specify when the work was started.' });
  const comment = commentOf(body) ?? null;
  const estimate = nextEstimate('create', issue.timeEstimate, spent, q);
  const counters = ctx.store.state.counters;
  const maxId = Math.max(10000, ...ctx.store.state.issues.flatMap((i) => (i.worklogs ?? []).map((w) => Number(w.id) + 1)));
  counters.worklogId = Math.max(counters.worklogId ?? 10000, maxId);
  const now = jiraDate();
  const visibility = parseVisibility(actor, body?.visibility);
  const w: WorklogRec = { id: String(counters.worklogId++), authorId: actor.accountId, updateAuthorId: actor.accountId, comment, started, timeSpentSeconds: spent, created: now, updated: now, ...(visibility ? { visibility } : {}) };
  const before = timeSpentSeconds(issue);
  (issue.worklogs ??= []).push(w);
  const history = recordTime(ctx, issue, actor, w.id, before, estimate, now);
  ctx.notify.emit({ kind: 'worklog_created', issue, actorId: actor.accountId, worklog: w, history });
  return w;
}

/** Updates a worklog; fields left out keep their value. @throws JiraError 404/400 */
export function updateWorklog(ctx: OpsContext, actor: UserRec, issue: IssueRec, id: string, body: any, q: EstimateQuery): WorklogRec {
  const w = findWorklog(issue, id);
  const spent = spentOf(body) ?? w.timeSpentSeconds;
  const started = startedOf(body) ?? w.started;
  const comment = commentOf(body);
  const visibility = parseVisibility(actor, body?.visibility);
  const estimate = nextEstimate('update', issue.timeEstimate, spent - w.timeSpentSeconds, q);
  if (visibility) w.visibility = visibility;
  else if (visibility === null) delete w.visibility;
  const before = timeSpentSeconds(issue);
  const now = jiraDate();
  Object.assign(w, { timeSpentSeconds: spent, started, updated: now, updateAuthorId: actor.accountId }, comment === undefined ? {} : { comment });
  const history = recordTime(ctx, issue, actor, w.id, before, estimate, now);
  ctx.notify.emit({ kind: 'worklog_updated', issue, actorId: actor.accountId, worklog: w, history });
  return w;
}

/** Deletes a worklog. @throws JiraError 404/400 */
export function deleteWorklog(ctx: OpsContext, actor: UserRec, issue: IssueRec, id: string, q: EstimateQuery): void {
  const w = findWorklog(issue, id);
  const estimate = nextEstimate('delete', issue.timeEstimate, -w.timeSpentSeconds, q);
  const before = timeSpentSeconds(issue);
  issue.worklogs = (issue.worklogs ?? []).filter((x) => x !== w);
  const history = recordTime(ctx, issue, actor, w.id, before, estimate, jiraDate());
  ctx.notify.emit({ kind: 'worklog_deleted', issue, actorId: actor.accountId, worklog: w, history });
}
