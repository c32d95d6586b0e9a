/**
 * Transition routes: the transitions available from an issue's status (with `expand=transitions.fields`, each
 * screen's fields as `FieldMetadata`), and performing one, with the fields of its screen.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
 */
import type { FastifyInstance } from 'fastify';
import { customFieldDefs } from '../custom-fields';
import { availableTransitions, transitionIssue } from '../ops';
import { hasPermission, requirePermission, visibleIssue } from '../permissions';
import { all, first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';
import { systemFieldDefs } from '../system-fields';
import type { IssueRec } from '../types';

type P = { issueIdOrKey: string };

/**
 * `FieldMetadata` of one screen field, in the shape Jira Cloud gives it (name and schema from the real field
 * definitions; `allowedValues` for resolutions, versions, components, priorities and options; `autoCompleteUrl` for
 * user and label fields). None is `required`: a screen's Resolution left out takes the site's default resolution.
 */
export function screenFieldMetadata(rt: SiteRuntime, issue: IssueRec, id: string): Record<string, unknown> | null {
  const base = rt.site.publicUrl;
  const { store } = rt;
  const sys = systemFieldDefs().find((f) => f.id === id);
  const custom = customFieldDefs().find((f) => f.id === id);
  if (!sys && !custom) return null;
  const project = store.project(issue.projectId)!;
  const refs = (xs: Array<{ id: string }>, kind: string) => xs.map((x) => ({ self: `${base}/rest/api/3/${kind}/${x.id}`, ...x }));
  let operations = ['set'];
  let extra: Record<string, unknown> = {};
  switch (id) {
    case 'resolution':
      extra = { allowedValues: store.defs.resolutions.map((r) => ({ self: `${base}/rest/api/3/resolution/${r.id}`, name: r.name, id: r.id })) };
      break;
    case 'priority':
      extra = { allowedValues: store.defs.priorities.map((p) => rt.render.priority(p.id)) };
      break;
    case 'fixVersions':
      operations = ['set', 'add', 'remove'];
      extra = { allowedValues: refs(project.versions, 'version').map((v) => ({ ...v, projectId: Number(project.id) })) };
      break;
    case 'components':
      operations = ['add', 'set', 'remove'];
      extra = { allowedValues: refs(project.components, 'component') };
      break;
    case 'labels':
      operations = ['add', 'set', 'remove'];
      extra = { autoCompleteUrl: `${base}/rest/api/1.0/labels/suggest?query=` };
      break;
    case 'assignee':
    case 'reporter':
      extra = { autoCompleteUrl: `${base}/rest/api/3/user/assignable/search?issueKey=${issue.key}&query=` };
      break;
    default:
      if (custom?.options.length) extra = { allowedValues: custom.options.map((o) => ({ self: `${base}/rest/api/3/customFieldOption/${o.id}`, value: o.value, id: o.id })) };
  }
  return { required: false, schema: sys?.schema ?? custom!.schema, name: sys?.name ?? custom!.name, key: id, operations, ...extra };
}

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
        ...(withFields ? { fields: Object.fromEntries((t.screen ?? []).flatMap((f) => { const m = screenFieldMetadata(rt, issue, f); return m ? [[f, m]] : []; })) } : {}),
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
