/**
 * Read-only metadata routes: fields, priorities, statuses, projects, the current user, server info, permissions.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { customFieldList } from '../custom-fields';
import { DATA_DIR } from '../defs';
import { JiraError } from '../errors';
import { ISSUE_FIELDS } from '../render';
import { hasPermission, PERMISSIONS } from '../permissions';
import type { SiteRuntime } from '../runtime';
import { jiraDate } from '../store';
import type { ProjectDef, UserRec } from '../types';

let systemFields: unknown[] | null = null;

/** System field definitions (first occurrence per id across the sites in `jira-field-information.json`). */
function fieldList(): unknown[] {
  if (systemFields) return systemFields;
  const bySite: Record<string, Array<{ id: string }>> = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'jira-field-information.json'), 'utf8'));
  const wanted = new Set<string>([...ISSUE_FIELDS, 'issuekey']);
  const found = new Map<string, any>();
  for (const fields of Object.values(bySite)) for (const f of fields) if (wanted.has(f.id) && !found.has(f.id)) found.set(f.id, f);
  systemFields = [...found.values()].map((f) => ({ ...f, key: f.id }));
  return systemFields;
}

/** Registers the metadata routes on a site's app. */
export function metaRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const base = rt.site.publicUrl;
  const project = (idOrKey: string, actor?: UserRec): ProjectDef => {
    const p = store.project(idOrKey);
    if (!p || (actor && !hasPermission(actor, 'BROWSE_PROJECTS'))) throw JiraError.notFound(`No project could be found with key '${idOrKey}'.`);
    return p;
  };

  app.get('/rest/api/3/field', async () => [...fieldList(), ...customFieldList()]);
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

  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey', async (req) => {
    const p = project(req.params.projectIdOrKey, req.actor);
    const lead = render.user(rt.site.admin.accountId);
    return {
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      ...render.projectRef(p.id),
      description: p.description,
      lead,
      components: p.components.map((c) => ({ self: `${base}/rest/api/3/component/${c.id}`, ...c, isAssigneeTypeValid: false })),
      issueTypes: p.issueTypeIds.map((id) => render.issueType(id)),
      assigneeType: 'UNASSIGNED',
      versions: p.versions.map((v) => ({ self: `${base}/rest/api/3/version/${v.id}`, ...v, projectId: Number(p.id) })),
      roles: {},
      style: 'classic',
      isPrivate: false,
      properties: {},
    };
  });

  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey/statuses', async (req) => {
    const p = project(req.params.projectIdOrKey, req.actor);
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

  app.get('/rest/api/3/myself', async (req) => ({
    ...render.user(req.actor),
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

  app.get<{ Querystring: { permissions?: string; projectKey?: string; projectId?: string } }>('/rest/api/3/mypermissions', async (req) => {
    if (!req.query.permissions) throw JiraError.badRequest('The permissions query parameter is required.');
    const keys = req.query.permissions.split(',').map((k) => k.trim()).filter(Boolean);
    const projectRef = req.query.projectKey ?? req.query.projectId;
    if (projectRef) project(projectRef);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const def = PERMISSIONS[key];
      if (!def) throw JiraError.badRequest(`Invalid permission key: ${key}`);
      out[key] = { id: String(Object.keys(PERMISSIONS).indexOf(key) + 1), key, name: def.name, type: def.type, description: def.name, havePermission: hasPermission(req.actor, key) };
    }
    return { permissions: out };
  });
}
