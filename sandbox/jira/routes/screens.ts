/**
 * Screen metadata routes a mapping editor and a create form read: createmeta per project (its issue types, then
 * the fields of one issue type, both paged) and editmeta per issue. Fields follow the project's screens: the
 * default system fields, then the site's custom fields except those the project leaves off (`offScreenFields`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-issuetypeid-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-editmeta-get
 */
import type { FastifyInstance } from 'fastify';
import { projectIssueTypeIds } from '../defs';
import { JiraError } from '../errors';
import { fieldMetadata, screenFieldIds } from '../field-meta';
import { pageOf, pageParams } from '../paging';
import { hasPermission, visibleIssue, visibleProject } from '../permissions';
import type { Query } from '../query';
import type { SiteRuntime } from '../runtime';

type P = { projectIdOrKey: string; issueTypeId?: string; issueIdOrKey?: string };

/** Registers the createmeta and editmeta routes on a site's app. */
export function screenRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const base = '/rest/api/3/issue/createmeta/:projectIdOrKey/issuetypes';

  /** The project, if the caller may create issues in it (Jira answers 400 for a create it cannot make). */
  const creatable = (req: { actor: any; params: P }) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    if (!hasPermission(req.actor, 'CREATE_ISSUES')) throw JiraError.badRequest('You do not have permission to create issues in this project.');
    return p;
  };

  /**
   * `PageOfCreateMetaIssueTypes`: `{issueTypes, maxResults, startAt, total}`, the default issue type first
   * (default 50 a page, at most 200).
   */
  app.get<{ Params: P; Querystring: Query }>(base, async (req) => {
    const p = creatable(req);
    const page = pageParams(req.query, 50, 200);
    const types = projectIssueTypeIds(p);
    return { issueTypes: pageOf(types, page).map((id) => render.issueType(id)), maxResults: page.maxResults, startAt: page.startAt, total: types.length };
  });

  /**
   * `PageOfCreateMetaIssueTypeWithField`: `{fields: FieldCreateMetadata[], maxResults, startAt, total}` of one issue
   * type's create screen (default 50 a page, at most 200).
   * @throws JiraError 400 for an issue type the project does not have
   */
  app.get<{ Params: P; Querystring: Query }>(`${base}/:issueTypeId`, async (req) => {
    const p = creatable(req);
    if (!p.issueTypeIds.includes(req.params.issueTypeId!)) throw JiraError.badRequest(`The issue type with id '${req.params.issueTypeId}' does not exist or is not valid for the project.`);
    const page = pageParams(req.query, 50, 200);
    const ids = screenFieldIds(rt, p, 'create');
    const fields = pageOf(ids, page).flatMap((id) => {
      const m = fieldMetadata(rt, { project: p }, id, true);
      return m ? [{ ...m, fieldId: id }] : [];
    });
    return { fields, maxResults: page.maxResults, startAt: page.startAt, total: ids.length };
  });

  /**
   * `IssueUpdateMetadata` `{fields: {id: FieldMetadata}}`: the issue's edit screen, or no fields for a caller
   * without Edit Issues ("the edit screen fields … that are visible to and editable by the user").
   */
  app.get<{ Params: P }>('/rest/api/3/issue/:issueIdOrKey/editmeta', async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey!);
    if (!hasPermission(req.actor, 'EDIT_ISSUES')) return { fields: {} };
    const project = store.project(issue.projectId)!;
    const fields = Object.fromEntries(screenFieldIds(rt, project, 'edit').flatMap((id) => {
      const m = fieldMetadata(rt, { project, issueKey: issue.key }, id);
      return m ? [[id, m]] : [];
    }));
    return { fields };
  });
}
