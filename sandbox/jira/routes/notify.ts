/**
 * Notifications and who they reach (area `notifications`):
 * - `POST /rest/api/3/issue/{issueIdOrKey}/notify` (`notify`): 204, the email recorded as Jira would send it
 *   (`../emails.ts`); 400 for an invalid recipient or body, 404 when the caller cannot see the issue.
 * - `GET`/`POST /rest/api/3/issue/{issueIdOrKey}/watchers` (`getIssueWatchers`, `addWatcher`): the body of the POST
 *   is the accountId as a JSON string, as the spec says; 204.
 * - `GET /rest/api/3/project/{projectIdOrKey}/role` (`getProjectRoles`): role name → URL;
 *   `GET /rest/api/3/project/{projectIdOrKey}/role/{id}` (`getProjectRole`): the role with its user actors.
 * - Sandbox only: `GET /__sandbox/emails?issueKey=` → `{emails: [...]}`, oldest first; `DELETE` forgets them;
 *   `POST /__sandbox/emails/outgoing {enabled}` turns the site's outgoing mail off (notify answers 403) or on.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-notify-post
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-watchers/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-project-roles/
 */
import type { FastifyInstance } from 'fastify';
import { EmailLog, watchersOf, type EmailRecord } from '../emails';
import { JiraError } from '../errors';
import { hasPermission, visibleIssue, visibleProject } from '../permissions';
import type { SiteRuntime } from '../runtime';
import { ROLES } from '../visibility';

type IssueParams = { issueIdOrKey: string };
type RoleParams = { projectIdOrKey: string; id: string };

/** Answer of `GET /__sandbox/emails`. */
export interface SandboxEmails {
  emails: EmailRecord[];
}

/** Registers the notify, watcher and project-role routes (and the sandbox's email log) on a site's app. */
export function notifyRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const base = rt.site.publicUrl;
  const emails = new EmailLog(store);

  app.post<{ Params: IssueParams }>('/rest/api/3/issue/:issueIdOrKey/notify', async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    emails.notify(req.actor, issue, req.body);
    return reply.code(204).send();
  });

  app.get<{ Params: IssueParams }>('/rest/api/3/issue/:issueIdOrKey/watchers', async (req) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    const ids = watchersOf(issue);
    const watchers = ids.map((id) => render.as(req.actor).user(id)).filter(Boolean);
    return { self: `${base}/rest/api/3/issue/${issue.key}/watchers`, isWatching: ids.includes(req.actor.accountId), watchCount: ids.length, watchers };
  });

  app.post<{ Params: IssueParams }>('/rest/api/3/issue/:issueIdOrKey/watchers', async (req, reply) => {
    const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
    const accountId = req.body === undefined ? req.actor.accountId : req.body;
    if (typeof accountId !== 'string') throw JiraError.badRequest('The request body must be the accountId of the user, as a JSON string.');
    const user = store.user(accountId);
    if (!user) throw JiraError.notFound(`The user with account ID ${accountId} does not exist.`);
    // Adding someone else needs Manage watchers (admins hold every permission here).
    if (accountId !== req.actor.accountId && !hasPermission(req.actor, 'MANAGE_WATCHERS')) throw JiraError.forbidden('You do not have permission to manage the watcher list of this issue.');
    if (!hasPermission(user, 'BROWSE_PROJECTS')) throw JiraError.badRequest(`The user ${user.displayName} does not have permission to view this issue.`);
    const list = watchersOf(issue);
    if (!list.includes(accountId)) issue.watchers = [...list, accountId];
    store.touch();
    return reply.code(204).send();
  });

  const roleUrl = (projectId: string, id: string) => `${base}/rest/api/3/project/${projectId}/role/${id}`;

  app.get<{ Params: { projectIdOrKey: string } }>('/rest/api/3/project/:projectIdOrKey/role', async (req) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    return Object.fromEntries(Object.entries(ROLES).map(([name, r]) => [name, roleUrl(p.id, r.id)]));
  });

  app.get<{ Params: RoleParams }>('/rest/api/3/project/:projectIdOrKey/role/:id', async (req) => {
    const p = visibleProject(store, req.actor, req.params.projectIdOrKey);
    const entry = Object.entries(ROLES).find(([, r]) => r.id === req.params.id);
    if (!entry) throw JiraError.notFound(`Role with id: ${req.params.id} does not exist.`);
    const [name, role] = entry;
    const members = Object.values(store.state.users).filter((u) => role.member(u));
    return {
      self: roleUrl(p.id, role.id),
      name,
      id: Number(role.id),
      description: `Project role ${name}`,
      actors: members.map((u, i) => ({ id: 10_000 + i, displayName: u.displayName, type: 'atlassian-user-role-actor', actorUser: { accountId: u.accountId } })),
      scope: { type: 'PROJECT', project: { id: p.id, key: p.key, name: p.name } },
    };
  });

  app.get<{ Querystring: { issueKey?: string } }>('/__sandbox/emails', async (req): Promise<SandboxEmails> => {
    const key = req.query.issueKey;
    return { emails: emails.emails.filter((e) => !key || e.issueKey === key) };
  });
  app.post<{ Body: { enabled?: unknown } }>('/__sandbox/emails/outgoing', async (req, reply) => {
    if (typeof req.body?.enabled !== 'boolean') return reply.code(400).send({ errorMessages: ['Send {"enabled": true|false}.'], errors: {} });
    emails.outgoing = req.body.enabled;
    return { enabled: emails.outgoing };
  });
  app.delete('/__sandbox/emails', async (_req, reply) => {
    emails.clear();
    return reply.code(204).send();
  });
}
