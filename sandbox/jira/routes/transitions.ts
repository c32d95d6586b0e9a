/**
 * Transition routes: the transitions available from an issue's status (with `expand=transitions.fields`, each
 * screen's fields as `FieldMetadata`), and performing one, with the fields of its screen.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
 */
import type { FastifyInstance } from 'fastify';
import { fieldMetadata } from '../field-meta';
import { availableTransitions, transitionIssue } from '../ops';
import { hasPermission, requirePermission, visibleIssue } from '../permissions';
import { all, first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';

type P = { issueIdOrKey: string };

/** Registers the transition routes on a site's app. */
export function transitionRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const ctx = { store, notify: rt.notify };
  const base = '/rest/api/3/issue/:issueIdOrKey/transitions';

  app.get<{ Params: P; Querystring: Query }>(base, async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    const withFields = all(req.query.expand, { commas: true }).includes('transitions.fields');
    const only = first(req.query.transitionId);
    // Without Transition Issues Jira lists no transitions rather than refusing.
    const transitions = (hasPermission(req.actor, 'TRANSITION_ISSUES') ? availableTransitions(store, issue) : [])
      .filter((t) => !only || t.id === only)
      .map((t) => ({
        id: t.id,
        name: t.name,
        to: render.status(store.status(t.to)),
        hasScreen: !!t.screen,
        isGlobal: !!t.global,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
        ...(withFields ? { fields: Object.fromEntries((t.screen ?? []).flatMap((f) => { const m = fieldMetadata(rt, { project: store.project(issue.projectId)!, issueKey: issue.key }, f); return m ? [[f, m]] : []; })) } : {}),
      }));
    return { expand: 'transitions', transitions };
  });

  app.post<{ Params: P }>(base, async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    requirePermission(req.actor, 'TRANSITION_ISSUES');
    transitionIssue(ctx, req.actor, issue, req.body);
    return reply.code(204).send();
  });
}
