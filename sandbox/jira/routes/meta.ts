/**
 * Read-only metadata routes: fields, priorities, statuses, the current user, server info, permissions (projects are
 * in `./projects`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
import type { FastifyInstance } from 'fastify';
import { customFieldList } from '../custom-fields';
import { JiraError } from '../errors';
import { hasPermission, PERMISSIONS, visibleIssue, visibleProject } from '../permissions';
import { first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';
import { jiraDate } from '../store';
import { systemFieldDefs } from '../system-fields';

/** Registers the metadata routes on a site's app. */
export function metaRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const base = rt.site.publicUrl;

  app.get('/rest/api/3/field', async () => [...systemFieldDefs(), ...customFieldList(store)]);
  const priorities = () => store.defs.priorities.map((p) => ({ ...render.priority(p.id), statusColor: p.statusColor, description: p.description, isDefault: p.name === 'Medium' }));
  app.get('/rest/api/3/priority', async () => priorities());
  app.get<{ Querystring: { startAt?: string; maxResults?: string } }>('/rest/api/3/priority/search', async (req) => {
    const all = priorities();
    const startAt = Math.max(0, Number(req.query.startAt ?? 0) || 0);
    const maxResults = Math.min(50, Math.max(1, Number(req.query.maxResults ?? 50) || 50));
    const values = all.slice(startAt, startAt + maxResults);
    return { self: `${base}/rest/api/3/priority/search?maxResults=${maxResults}&startAt=${startAt}`, maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values };
  });
  app.get('/rest/api/3/status', async () => store.defs.statuses.map((s) => render.status(s)));
  app.get('/rest/api/3/issuetype', async () => store.defs.issueTypes.map((t) => render.issueType(t.id)));

  app.get('/rest/api/3/myself', async (req) => ({
    ...render.as(req.actor).user(req.actor),
    locale: 'en_US',
    groups: { size: req.actor.admin ? 2 : 1, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  }));

  app.get('/rest/api/3/serverInfo', async () => ({
    baseUrl: base,
    displayUrl: base,
    version: '1001.0.0-SNAPSHOT',
    versionNumbers: [1001, 0, 0],
    deploymentType: 'Cloud',
    buildNumber: 100294,
    buildDate: '2025-10-01T00:00:00.000+0000',
    serverTime: jiraDate(),
    scmInfo: 'sandbox',
    serverTitle: 'Jira',
    serverTimeZone: 'Etc/UTC',
  }));

  /**
   * `permissions` is one comma-separated string in the spec (not an array), so a repeated `?permissions=A&permissions=B`
   * counts its first value only, as Jira's JAX-RS resource reads it. The context is the issue (`issueId` wins over
   * `issueKey`), else the project (`projectId` over `projectKey`); one the caller cannot see is a 404.
   */
  app.get<{ Querystring: Query }>('/rest/api/3/mypermissions', async (req) => {
    const permissions = first(req.query.permissions);
    if (!permissions) throw JiraError.badRequest('The permissions query parameter is required.');
    const keys = permissions.split(',').map((k) => k.trim()).filter(Boolean);
    const issueRef = first(req.query.issueId) ?? first(req.query.issueKey);
    const projectRef = first(req.query.projectId) ?? first(req.query.projectKey);
    if (issueRef !== undefined) visibleIssue(store, req.actor, issueRef);
    else if (projectRef !== undefined) visibleProject(store, req.actor, projectRef);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const def = PERMISSIONS[key];
      if (!def) throw JiraError.badRequest(`Invalid permission key: ${key}`);
      out[key] = { id: String(Object.keys(PERMISSIONS).indexOf(key) + 1), key, name: def.name, type: def.type, description: def.name, havePermission: hasPermission(req.actor, key) };
    }
    return { permissions: out };
  });
}
