/**
 * Project routes: one project, its statuses per issue type, and the paged project search.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/
 */
import type { FastifyInstance } from 'fastify';
import { projectIssueTypeIds } from '../defs';
import { JiraError } from '../errors';
import { hasPermission, visibleProject } from '../permissions';
import { all, first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';
import type { ProjectDef, UserRec } from '../types';

/** `orderBy` values of `searchProjects` (spec enum, each also with `-`/`+`); the emulator sorts by key or name. */
const ORDER_FIELDS = ['category', 'key', 'name', 'owner', 'issueCount', 'lastIssueUpdatedDate', 'archivedDate', 'deletedDate'];

/** Registers the project routes on a site's app. */
export function projectRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const base = rt.site.publicUrl;

  /** The short `Project` of a search page, plus the parts `expand` names (`description`, `lead`, `issueTypes`). */
  const summary = (p: ProjectDef, expand: string[], viewer: UserRec) => ({
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...render.projectRef(p.id),
    ...(expand.includes('description') ? { description: p.description } : {}),
    ...(expand.includes('lead') ? { lead: render.as(viewer).user(rt.site.admin.accountId) } : {}),
    ...(expand.includes('issueTypes') ? { issueTypes: projectIssueTypeIds(p).map((id) => render.issueType(id)) } : {}),
    style: 'classic',
    isPrivate: false,
    properties: {},
  });

  /**
   * `GET /rest/api/3/project/search` (`PageBeanProject`): projects the caller may browse, filtered by `keys`/`id`
   * (repeated parameters, exact keys), `query` (key or name contains, ignoring case), paged by `startAt` and
   * `maxResults` (default 50, above 100 means 100), ordered by `orderBy` (key by default).
   * @throws JiraError 400 for an `orderBy` outside the spec's list
   */
  app.get<{ Querystring: Query }>('/rest/api/3/project/search', async (req) => {
    const q = req.query;
    const orderBy = first(q.orderBy) ?? 'key';
    const field = orderBy.replace(/^[+-]/, '');
    if (!ORDER_FIELDS.includes(field)) throw JiraError.badRequest(`Invalid orderBy value '${orderBy}'.`);
    const keys = all(q.keys);
    const ids = all(q.id);
    const text = first(q.query)?.toLowerCase();
    const expand = all(q.expand, { commas: true });
    const startAt = Math.max(0, Number(first(q.startAt) ?? 0) || 0);
    const wanted = Number(first(q.maxResults) ?? 50);
    const maxResults = Number.isInteger(wanted) && wanted >= 0 ? Math.min(100, wanted) : 50;
    const by = field === 'name' ? (p: ProjectDef) => p.name.toLowerCase() : (p: ProjectDef) => p.key;
    const found = (hasPermission(req.actor, 'BROWSE_PROJECTS') ? store.defs.projects : [])
      .filter((p) => (!keys.length || keys.includes(p.key)) && (!ids.length || ids.includes(p.id)))
      .filter((p) => !text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text))
      .sort((a, b) => (by(a) < by(b) ? -1 : by(a) > by(b) ? 1 : 0) * (orderBy.startsWith('-') ? -1 : 1));
    const values = found.slice(startAt, startAt + maxResults).map((p) => summary(p, expand, req.actor));
    const isLast = startAt + values.length >= found.length;
    const page = (at: number) => `${base}/rest/api/3/project/search?maxResults=${maxResults}&startAt=${at}`;
    return { self: page(startAt), ...(isLast ? {} : { nextPage: page(startAt + values.length) }), maxResults, startAt, total: found.length, isLast, values };
  });

  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey', async (req) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    return {
      ...summary(p, ['description', 'lead', 'issueTypes'], req.actor),
      components: p.components.map((c) => render.component(p, c)),
      assigneeType: 'UNASSIGNED',
      versions: p.versions.map((v) => render.version(p, v)),
      roles: {},
    };
  });

  /** `GET /rest/api/3/project/{projectIdOrKey}/components` (`getProjectComponents`): every component, unpaged. */
  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey/components', async (req) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    return p.components.map((c) => render.component(p, c));
  });

  /** `GET /rest/api/3/project/{projectIdOrKey}/versions` (`getProjectVersions`): every version, archived too, unpaged. */
  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey/versions', async (req) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    return p.versions.map((v) => render.version(p, v));
  });

  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey/statuses', async (req) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    return p.issueTypeIds.map((id) => {
      const t = store.defs.issueTypes.find((x) => x.id === id)!;
      return {
        self: `${base}/rest/api/3/issuetype/${t.id}`,
        id: t.id,
        name: t.name,
        subtask: t.subtask,
        statuses: store.defs.statuses.map((s) => ({ ...render.status(s), untranslatedName: s.name })),
      };
    });
  });
}
