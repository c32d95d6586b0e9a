/**
 * User routes a mapping editor reads: one user by accountId, the user search, the assignable-user search and the
 * list of all users. Emails follow each person's profile visibility (the renderer leaves hidden ones out).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/
 * @see https://developer.atlassian.com/cloud/jira/platform/profile-visibility/
 */
import type { FastifyInstance } from 'fastify';
import { JiraError } from '../errors';
import { pageOf, pageParams } from '../paging';
import { visibleIssue, visibleProject } from '../permissions';
import { first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';
import type { UserRec } from '../types';

/**
 * Does `query` match `u` as Jira's user search does: a prefix of a word of the display name, or of the email
 * address (ignoring case)? A hidden email is not matched, so a search cannot reveal it.
 */
export function userMatches(u: UserRec, query: string): boolean {
  const q = query.toLowerCase();
  if (u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || u.displayName.toLowerCase().startsWith(q)) return true;
  return !!u.emailAddress && !u.hideEmail && u.emailAddress.toLowerCase().startsWith(q);
}

/** Jira's 400 when neither `query` nor `accountId` is given. */
export const QUERY_OR_ACCOUNT = 'The query or accountId parameter is required.';

/** Registers the user routes on a site's app. */
export function userRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const users = () => Object.values(store.state.users);

  /** Users matching `query` or exactly `accountId` (400 when both or neither are given), in display-name order. */
  const search = (q: Query): UserRec[] => {
    const query = first(q.query);
    const accountId = first(q.accountId);
    if ((query === undefined) === (accountId === undefined)) throw JiraError.badRequest(QUERY_OR_ACCOUNT);
    return users()
      .filter((u) => (accountId !== undefined ? u.accountId === accountId : userMatches(u, query!)))
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.accountId.localeCompare(b.accountId));
  };

  /**
   * `GET /rest/api/3/user?accountId=`: one user, active or not (`active:false` tells a deactivated account).
   * @throws JiraError 400 without accountId, 404 for an unknown one
   */
  app.get<{ Querystring: Query }>('/rest/api/3/user', async (req) => {
    const id = first(req.query.accountId);
    if (!id) throw JiraError.badRequest('The accountId query parameter needs to be provided.');
    const u = store.user(id);
    if (!u) throw JiraError.notFound(`User with accountId '${id}' does not exist.`);
    return render.as(req.actor).user(u);
  });

  /** `GET /rest/api/3/user/search` (`findUsers`): "a list of active users that match the search string". */
  app.get<{ Querystring: Query }>('/rest/api/3/user/search', async (req) => {
    const found = search(req.query).filter((u) => u.active);
    return pageOf(found, pageParams(req.query, 50, 1000)).map((u) => render.as(req.actor).user(u));
  });

  /**
   * `GET /rest/api/3/user/assignable/search` (`findAssignableUsers`) for a `project` (id or key), `issueKey` or
   * `issueId`: active people (deactivated accounts and apps cannot be assigned issues).
   * @throws JiraError 400 without a project or issue, 404 for an unknown one
   */
  app.get<{ Querystring: Query }>('/rest/api/3/user/assignable/search', async (req) => {
    const q = req.query;
    const issueRef = first(q.issueKey) ?? first(q.issueId);
    const projectRef = first(q.project);
    if (issueRef !== undefined) visibleIssue(store, req.actor, issueRef);
    else if (projectRef !== undefined) visibleProject(store, req.actor, projectRef);
    else throw JiraError.badRequest('At least one of the issueKey, issueId or project parameters is required.');
    const found = search(q).filter((u) => u.active && u.accountType === 'atlassian');
    return pageOf(found, pageParams(q, 50, 1000)).map((u) => render.as(req.actor).user(u));
  });

  /** `GET /rest/api/3/users/search` (`getAllUsers`): every user, active or not, apps too. */
  app.get<{ Querystring: Query }>('/rest/api/3/users/search', async (req) => {
    return pageOf(users(), pageParams(req.query, 50, 1000)).map((u) => render.as(req.actor).user(u));
  });
}
