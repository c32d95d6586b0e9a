/**
 * The writes of a site: create, edit, transition, delete issues; add, edit, delete comments. Each validates like
 * Jira, records a changelog entry (author = the acting user), bumps `fields.updated` and emits a `Change`.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/
 */
import { isAdfDoc } from './adf';
import { initialStatusId } from './defs';
import { JiraError } from './errors';
import { byIdOrName, type FieldErrors, notSettable, resolveUpdate, settable, setField } from './fields';
import type { Notifier } from './notify';
import { jiraDate, type SiteStore } from './store';
import type { ChangeItem, CommentRec, HistoryRec, IssueRec, ResolutionDef, TransitionDef, UserRec } from './types';
import { canSeeComment, parseVisibility } from './visibility';
import { checkParentOnCreate } from './hierarchy'; // hierarchy
import { dropLinksOf } from './issue-links'; // hierarchy
import { createTransition } from './create-transition'; // bulkrate: a transition in the create body

/** What the operations need: the store and where to announce changes. */
export interface OpsContext {
  store: SiteStore;
  notify: Notifier;
}

function record(ctx: OpsContext, issue: IssueRec, actor: UserRec, items: ChangeItem[], now: string): HistoryRec {
  const h: HistoryRec = { id: ctx.store.nextId('historyId'), authorId: actor.accountId, created: now, items };
  issue.changelog.push(h);
  issue.updated = now;
  ctx.store.touch();
  return h;
}

function throwIf(errors: FieldErrors): void {
  if (Object.keys(errors).length) throw JiraError.fields(errors);
}

/**
 * Creates an issue from `{fields:{project, issuetype, summary, description?, priority?, labels?, …}, properties?}`.
 * @returns the new issue
 * @throws JiraError 400 with per-field errors (missing summary, unknown project or issue type, unsettable field)
 */
export function createIssue(ctx: OpsContext, actor: UserRec, body: any): IssueRec {
  const fields = body?.fields;
  if (!fields || typeof fields !== 'object') throw JiraError.badRequest('Issue must contain fields.');
  const { store } = ctx;
  const errors: FieldErrors = {};
  const project = fields.project ? store.project(String(fields.project.id ?? fields.project.key ?? '')) : undefined;
  if (!project) errors.project = 'Specify a valid project ID or key';
  const types = store.defs.issueTypes.filter((t) => project?.issueTypeIds.includes(t.id));
  const type = types.find((t) => t.id === String(fields.issuetype?.id) || t.name === fields.issuetype?.name);
  if (!type) errors.issuetype = fields.issuetype ? 'The issue type selected is invalid.' : 'Specify an issue type';
  if (typeof fields.summary !== 'string' || !fields.summary.trim()) errors.summary = 'You must specify a summary of the issue.';
  checkParentOnCreate(type, fields, errors); // hierarchy: a sub-task needs its parent
  throwIf(errors);
  const now = jiraDate();
  const draft: IssueRec = {
    id: '', key: '', projectId: project!.id, issueTypeId: type!.id, summary: '', description: null,
    statusId: initialStatusId(store.defs), priorityId: null, resolution: null, resolutiondate: null, labels: [],
    components: [], fixVersions: [], versions: [], duedate: null, environment: null, reporterId: actor.accountId, assigneeId: null, creatorId: actor.accountId,
    created: now, updated: now, comments: [], changelog: [], properties: {}, custom: {},
  };
  if (fields.priority === undefined) {
    draft.priorityId = store.defs.priorities.find((p) => p.name === 'Medium')?.id ?? null;
  }
  const items: ChangeItem[] = [];
  for (const [f, v] of Object.entries(fields)) {
    if (f === 'project' || f === 'issuetype') continue;
    const it = setField(store, draft, f, v, errors);
    for (const one of [it ?? []].flat()) items.push({ ...one, from: null, fromString: null }); // worklogs: timetracking gives two
  }
  throwIf(errors);
  const transition = createTransition(store, actor, body, draft); // bulkrate: checked before anything is made
  const status = store.status(draft.statusId);
  items.push({ field: 'Status', fieldtype: 'jira', fieldId: 'status', from: null, fromString: null, to: status.id, toString: status.name });
  const { id: _i, key: _k, ...rest } = draft;
  const issue = store.addIssue(rest, project!);
  for (const p of Array.isArray(body.properties) ? body.properties : []) issue.properties[p.key] = p.value;
  const history = record(ctx, issue, actor, items, now);
  ctx.notify.emit({ kind: 'issue_created', issue, actorId: actor.accountId, history });
  if (transition) transitionIssue(ctx, actor, issue, { transition: { id: transition.id } }); // bulkrate: as POST …/transitions
  return issue;
}

/**
 * Edits an issue from `{fields?, update?}`. Nothing changes unless every field is valid.
 * @throws JiraError 400 (`Field 'x' cannot be set…` for unknown fields, validation messages per field)
 */
export function editIssue(ctx: OpsContext, actor: UserRec, issue: IssueRec, body: any): void {
  const errors: FieldErrors = {};
  const values: Record<string, unknown> = { ...resolveUpdate(ctx.store, issue, body?.update ?? {}, errors) };
  for (const [f, v] of Object.entries(body?.fields ?? {})) {
    if (!settable(ctx.store, issue, f)) errors[f] = notSettable(f);
    else values[f] = v;
  }
  throwIf(errors);
  const draft: IssueRec = structuredClone(issue);
  const items = Object.entries(values).flatMap(([f, v]) => setField(ctx.store, draft, f, v, errors) ?? []);
  throwIf(errors);
  if (!items.length) return;
  const before = { description: issue.description, environment: issue.environment, custom: { ...issue.custom } };
  Object.assign(issue, draft, { comments: issue.comments, changelog: issue.changelog, properties: issue.properties });
  const history = record(ctx, issue, actor, items, jiraDate());
  ctx.notify.emit({ kind: 'issue_updated', issue, actorId: actor.accountId, history, before });
}

/** Transitions available from the issue's current status (global ones from every status but their target). */
export function availableTransitions(store: SiteStore, issue: IssueRec): TransitionDef[] {
  return store.defs.transitions.filter((t) => (t.global ? t.to !== issue.statusId : t.from.includes(issue.statusId)));
}

/** Jira's message for a resolution value that names none of the site's resolutions (as for Priority). */
export const BAD_RESOLUTION = "Specify a valid 'id' or 'name' for Resolution";

/**
 * Performs transition `{transition:{id}, fields?, update?}`: moves the status, applies `fields`/`update` that are on
 * the transition's screen, sets the resolution chosen there (`fields.resolution` or `update.resolution[{set}]`,
 * `{id}` or `{name}`), else the site's default resolution when entering a `done` status, and clears it when leaving
 * one. Nothing changes unless all is valid.
 * @throws JiraError 400 `Transition id 'x' is not valid for this issue.`; 400 per field not on the screen or invalid
 */
export function transitionIssue(ctx: OpsContext, actor: UserRec, issue: IssueRec, body: any): void {
  const id = String(body?.transition?.id ?? '');
  const t = availableTransitions(ctx.store, issue).find((x) => x.id === id);
  if (!t) throw JiraError.badRequest(`Transition id '${id}' is not valid for this issue.`);
  const { store } = ctx;
  // Fields go through the transition's screen: none on a screenless one.
  const errors: FieldErrors = {};
  const { resolution: resolutionOps, ...update } = body?.update ?? {};
  const values: Record<string, unknown> = { ...resolveUpdate(store, issue, update, errors), ...(body?.fields ?? {}) };
  for (const op of Array.isArray(resolutionOps) ? resolutionOps : []) if (op && 'set' in op && !('resolution' in values)) values.resolution = op.set;
  for (const f of Object.keys(values)) if (!t.screen?.includes(f)) errors[f] = notSettable(f);
  let chosen: ResolutionDef | undefined;
  if ('resolution' in values && !errors.resolution) {
    chosen = byIdOrName(store.defs.resolutions, values.resolution);
    if (!chosen) errors.resolution = BAD_RESOLUTION;
  }
  delete values.resolution;
  const draft: IssueRec = structuredClone(issue);
  const fieldItems = Object.entries(values).flatMap(([f, v]) => setField(store, draft, f, v, errors) ?? []);
  throwIf(errors);
  Object.assign(issue, draft, { comments: issue.comments, changelog: issue.changelog, properties: issue.properties });
  const from = store.status(issue.statusId);
  const to = store.status(t.to);
  const items: ChangeItem[] = [];
  const now = jiraDate();
  const res = chosen ?? (to.category === 'done' && !issue.resolution ? store.defs.doneResolution : undefined);
  if (res && res.id !== issue.resolution?.id) {
    const old = issue.resolution;
    items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: old?.id ?? null, fromString: old?.name ?? null, to: res.id, toString: res.name });
    issue.resolution = { ...res };
    issue.resolutiondate = now;
  } else if (!res && to.category !== 'done' && issue.resolution) {
    items.push({ field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: issue.resolution.id, fromString: issue.resolution.name, to: null, toString: null });
    issue.resolution = null;
    issue.resolutiondate = null;
  }
  items.push({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name });
  issue.statusId = to.id;
  items.push(...fieldItems);
  const history = record(ctx, issue, actor, items, now);
  ctx.notify.emit({ kind: 'issue_updated', issue, actorId: actor.accountId, history });
}

/** Deletes an issue (its comments and properties go with it). */
export function deleteIssue(ctx: OpsContext, actor: UserRec, issue: IssueRec): void {
  dropLinksOf(ctx.store, issue); // hierarchy: its issue links go with it
  ctx.store.removeIssue(issue);
  ctx.notify.emit({ kind: 'issue_deleted', issue, actorId: actor.accountId });
}

export function commentBody(body: any): CommentRec['body'] {
  if (!isAdfDoc(body?.body)) throw JiraError.badRequest('Comment body is not valid!');
  if (!body.body.content.length) throw JiraError.fields({ comment: 'Comment body can not be empty!' });
  return body.body;
}

/** Finds a comment of an issue (one `viewer` may see, when given) or throws Jira's 404. */
export function findComment(issue: IssueRec, id: string, viewer?: UserRec): CommentRec {
  const c = issue.comments.find((x) => x.id === id && canSeeComment(viewer, x));
  if (!c) throw JiraError.notFound(`Can not find a comment for the id: ${id}.`);
  return c;
}

/**
 * Adds a comment `{body: ADF doc}`; bumps the issue's `updated` (no changelog entry, as in Jira).
 * @throws JiraError 400 when the body is not a non-empty ADF doc
 */
export function addComment(ctx: OpsContext, actor: UserRec, issue: IssueRec, body: any): CommentRec {
  const now = jiraDate();
  const visibility = parseVisibility(actor, body?.visibility);
  const c: CommentRec = { id: ctx.store.nextId('commentId'), authorId: actor.accountId, updateAuthorId: actor.accountId, body: commentBody(body), created: now, updated: now };
  if (visibility) c.visibility = visibility;
  issue.comments.push(c);
  issue.updated = now;
  ctx.store.touch();
  ctx.notify.emit({ kind: 'comment_created', issue, actorId: actor.accountId, comment: c });
  return c;
}

/**
 * Replaces a comment's body; `visibility` in the request sets the restriction, `null` removes it, absent keeps it.
 * @throws JiraError 404/400
 */
export function updateComment(ctx: OpsContext, actor: UserRec, issue: IssueRec, id: string, body: any): CommentRec {
  const c = findComment(issue, id);
  const visibility = parseVisibility(actor, body?.visibility);
  const previousBody = c.body;
  c.body = commentBody(body);
  if (visibility) c.visibility = visibility;
  else if (visibility === null) delete c.visibility;
  c.updated = issue.updated = jiraDate();
  c.updateAuthorId = actor.accountId;
  ctx.store.touch();
  ctx.notify.emit({ kind: 'comment_updated', issue, actorId: actor.accountId, comment: c, previousBody });
  return c;
}

/** Deletes a comment. @throws JiraError 404 */
export function deleteComment(ctx: OpsContext, actor: UserRec, issue: IssueRec, id: string): void {
  const c = findComment(issue, id);
  issue.comments = issue.comments.filter((x) => x !== c);
  issue.updated = jiraDate();
  ctx.store.touch();
  ctx.notify.emit({ kind: 'comment_deleted', issue, actorId: actor.accountId, comment: c });
}
