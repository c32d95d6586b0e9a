/**
 * Comment routes (bodies are ADF). A comment restricted to a group or role the caller is not in is left out of the
 * list and is a 404 on its own (see `visibility.ts`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 */
import type { FastifyInstance } from 'fastify';
import { addComment, deleteComment, findComment, updateComment } from '../ops';
import { requireCommentRight, requirePermission, visibleIssue } from '../permissions';
import type { SiteRuntime } from '../runtime';
import { canSeeComment } from '../visibility';

type P = { issueIdOrKey: string; id?: string };

/** Registers the comment routes on a site's app. */
export function commentRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const ctx = { store, notify: rt.notify };
  const base = '/rest/api/3/issue/:issueIdOrKey/comment';

  app.get<{ Params: P; Querystring: { startAt?: string; maxResults?: string; orderBy?: string } }>(base, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    const startAt = Math.max(0, Number(req.query.startAt ?? 0) || 0);
    const maxResults = Math.min(5000, Math.max(0, Number(req.query.maxResults ?? 5000) || 5000));
    const visible = issue.comments.filter((c) => canSeeComment(req.actor, c));
    const all = req.query.orderBy === '-created' ? [...visible].reverse() : visible;
    const comments = all.slice(startAt, startAt + maxResults).map((c) => render.as(req.actor).comment(issue, c));
    return { startAt, maxResults, total: all.length, comments };
  });

  app.post<{ Params: P }>(base, async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requirePermission(req.actor, 'ADD_COMMENTS');
    return reply.code(201).send(render.as(req.actor).comment(issue, addComment(ctx, req.actor, issue, req.body)));
  });

  app.get<{ Params: P }>(`${base}/:id`, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    return render.as(req.actor).comment(issue, findComment(issue, req.params.id!, req.actor));
  });

  app.put<{ Params: P }>(`${base}/:id`, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requireCommentRight(req.actor, findComment(issue, req.params.id!, req.actor).authorId, 'EDIT');
    return render.as(req.actor).comment(issue, updateComment(ctx, req.actor, issue, req.params.id!, req.body));
  });

  app.delete<{ Params: P }>(`${base}/:id`, async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requireCommentRight(req.actor, findComment(issue, req.params.id!, req.actor).authorId, 'DELETE');
    deleteComment(ctx, req.actor, issue, req.params.id!);
    return reply.code(204).send();
  });
}
