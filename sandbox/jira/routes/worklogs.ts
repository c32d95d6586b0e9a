/**
 * Worklog routes: `GET`/`POST /rest/api/3/issue/{issueIdOrKey}/worklog` (the list is paged with `startAt` /
 * `maxResults`, default and largest page 5000, and filtered by `startedAfter` / `startedBefore` in ms since the
 * epoch, oldest first; a worklog restricted to a group or role the caller is not in is left out, and is a 404 on its
 * own) and `GET`/`PUT`/`DELETE …/worklog/{id}`. Logging work needs *Work on issues*; editing or
 * deleting someone else's worklog needs *Edit/Delete all worklogs*, one's own the *…own…* right.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/
 */
import type { FastifyInstance } from 'fastify';
import { requirePermission, requireWorklogRight, visibleIssue } from '../permissions';
import type { SiteRuntime } from '../runtime';
import { jiraTime } from '../store';
import { addWorklog, deleteWorklog, findWorklog, updateWorklog, type EstimateQuery } from '../worklog-ops';
import { renderWorklog } from '../worklog-render';
import { JiraError } from '../errors';
import { canSeeComment } from '../visibility';
import type { CommentRec, UserRec, WorklogRec } from '../types';

/** A restricted worklog shows only to members of its group or role, as a restricted comment does. */
function canSeeWorklog(viewer: UserRec, w: WorklogRec): boolean {
  return canSeeComment(viewer, { visibility: w.visibility } as CommentRec);
}

type P = { issueIdOrKey: string; id?: string };
type ListQuery = { startAt?: string; maxResults?: string; startedAfter?: string; startedBefore?: string };

/** Registers the worklog routes on a site's app. */
export function worklogRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const ctx = { store, notify: rt.notify };
  const base = '/rest/api/3/issue/:issueIdOrKey/worklog';

  app.get<{ Params: P; Querystring: ListQuery }>(base, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    const startAt = Math.max(0, Number(req.query.startAt ?? 0) || 0);
    const maxResults = Math.min(5000, Math.max(1, Number(req.query.maxResults ?? 5000) || 5000));
    const after = req.query.startedAfter === undefined ? -Infinity : Number(req.query.startedAfter);
    const before = req.query.startedBefore === undefined ? Infinity : Number(req.query.startedBefore);
    const all = (issue.worklogs ?? []).filter((w) => canSeeWorklog(req.actor, w) && jiraTime(w.started) >= after && jiraTime(w.started) <= before);
    const worklogs = all.slice(startAt, startAt + maxResults).map((w) => renderWorklog(render.as(req.actor), issue, w));
    return { startAt, maxResults, total: all.length, worklogs };
  });

  app.post<{ Params: P; Querystring: EstimateQuery }>(base, async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requirePermission(req.actor, 'WORK_ON_ISSUES');
    const w = addWorklog(ctx, req.actor, issue, req.body, req.query);
    return reply.code(201).send(renderWorklog(render.as(req.actor), issue, w));
  });

  app.get<{ Params: P }>(`${base}/:id`, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    const w = findWorklog(issue, req.params.id!);
    if (!canSeeWorklog(req.actor, w)) throw JiraError.notFound(`Cannot find worklog with id: ${w.id}.`);
    return renderWorklog(render.as(req.actor), issue, w);
  });

  app.put<{ Params: P; Querystring: EstimateQuery }>(`${base}/:id`, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requireWorklogRight(req.actor, findWorklog(issue, req.params.id!).authorId, 'EDIT');
    return renderWorklog(render.as(req.actor), issue, updateWorklog(ctx, req.actor, issue, req.params.id!, req.body, req.query));
  });

  app.delete<{ Params: P; Querystring: EstimateQuery }>(`${base}/:id`, async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requireWorklogRight(req.actor, findWorklog(issue, req.params.id!).authorId, 'DELETE');
    deleteWorklog(ctx, req.actor, issue, req.params.id!, req.query);
    return reply.code(204).send();
  });
}
