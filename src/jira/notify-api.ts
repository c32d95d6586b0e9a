/**
 * The calls notifications make (area `notifications`): Jira's notify API and project roles on the local site as
 * the app, and a Slack incoming webhook over Forge's egress `fetch`.
 *
 * Rules relied on:
 * - `POST /rest/api/3/issue/{issueIdOrKey}/notify` needs `write:jira-work` (the spec's `x-atlassian-oauth2-scopes`,
 *   state Current) and answers 204 once the email is queued; 400 when a recipient is invalid, e.g. `to.assignee`
 *   on an unassigned issue, which is why the caller checks for an assignee first.
 *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-notify-post
 * - `GET /rest/api/3/project/{projectIdOrKey}/role` (name → URL) and `…/role/{id}` (actors) need `read:jira-work`.
 *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-project-roles/
 * - Forge's `fetch` reaches only hosts in `permissions.external.fetch.backend`; the manifest declares
 *   `https://hooks.slack.com`, and a URL elsewhere throws before any request is made.
 *   https://developer.atlassian.com/platform/forge/manifest-reference/permissions/#external-permissions
 * - A Slack incoming webhook answers 200 `ok`; failures are 4xx/5xx with a short text such as `no_service` (404,
 *   the webhook was removed) or `invalid_payload` (400). https://api.slack.com/messaging/webhooks#handling_errors
 */
import { fetch } from '@forge/api';
import { SyncError } from '../model/errors';
import type { AdfDoc } from '../model/types';
import { localTransport } from './local';

const enc = encodeURIComponent;

/** How a Slack webhook URL is shown in words: its secret path left out. */
const SLACK_URL_SHOWN = 'https://hooks.slack.com/services/…';

/** How long a Slack post may take, in ms: a slow Slack must not hold a sync job. */
export const SLACK_TIMEOUT_MS = 5_000;

async function callLocal<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await localTransport().send(method, path, body);
  const text = res.status === 204 ? '' : await res.text();
  if (res.status >= 300) throw new SyncError('jira-rejected', `The local Jira site answered ${res.status} to ${method} ${path}: ${jiraWords(text)}`);
  return (text ? JSON.parse(text) : null) as T;
}

function jiraWords(text: string): string {
  try {
    const b = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    const parts = [...(b.errorMessages ?? []), ...Object.values(b.errors ?? {})];
    if (parts.length) return parts.join('; ');
  } catch {
    /* not JSON */
  }
  return text.slice(0, 200);
}

/**
 * Queues Jira's email about an issue. @throws SyncError `jira-rejected` with Jira's words on a 4xx/5xx
 * @param to notify-API recipients: `assignee`/`watchers` flags and accountIds
 */
export async function notifyIssue(issueIdOrKey: string, mail: { subject: string; textBody: string; htmlBody: string }, to: { assignee: boolean; watchers: boolean; accountIds: string[] }): Promise<void> {
  await callLocal('POST', `/rest/api/3/issue/${enc(issueIdOrKey)}/notify`, {
    ...mail,
    to: { reporter: false, assignee: to.assignee, watchers: to.watchers, voters: false, users: to.accountIds.map((accountId) => ({ accountId })) },
  });
}

/** Whether the issue has an assignee (`GET /rest/api/3/issue/{id}?fields=assignee`). */
export async function issueHasAssignee(issueIdOrKey: string): Promise<boolean> {
  const issue = await callLocal<{ fields?: { assignee?: unknown } }>('GET', `/rest/api/3/issue/${enc(issueIdOrKey)}?fields=assignee`);
  return !!issue?.fields?.assignee;
}

/**
 * The actors of the project's role `roleName`: accountIds of its user actors, and how many group actors it has
 * (whose members the app cannot list). `GET /rest/api/3/project/{key}/role` (name → URL), then `…/role/{id}`.
 * @returns null when the project has no such role
 */
export async function roleActors(projectKey: string, roleName: string): Promise<{ accountIds: string[]; groupActors: number } | null> {
  const roles = await callLocal<Record<string, string>>('GET', `/rest/api/3/project/${enc(projectKey)}/role`);
  const url = roles[roleName];
  const id = url ? /\/role\/(\d+)$/.exec(url)?.[1] : undefined;
  if (!id) return null;
  const role = await callLocal<{ actors?: Array<{ actorUser?: { accountId?: string }; actorGroup?: unknown }> }>('GET', `/rest/api/3/project/${enc(projectKey)}/role/${id}`);
  const actors = role.actors ?? [];
  return { accountIds: actors.map((a) => a.actorUser?.accountId).filter((x): x is string => !!x), groupActors: actors.filter((a) => a.actorGroup).length };
}

/**
 * accountIds of the user actors in the project's role `roleName` (group actors are left out).
 * @throws SyncError `not-found` when the project has no such role
 */
export async function roleMembers(projectKey: string, roleName: string): Promise<string[]> {
  const actors = await roleActors(projectKey, roleName);
  if (!actors) throw new SyncError('not-found', `Project ${projectKey} has no role ${roleName}.`);
  return actors.accountIds;
}

/** Names of the project's roles (for checking the internal comment's role when it is saved). */
export async function projectRoleNames(projectKey: string): Promise<string[]> {
  return Object.keys(await callLocal<Record<string, string>>('GET', `/rest/api/3/project/${enc(projectKey)}/role`));
}

/** Adds a comment visible only to project role `role` (Jira checks the app is in the role: 400 otherwise). */
export async function addRoleComment(issueIdOrKey: string, body: AdfDoc, role: string): Promise<void> {
  await callLocal('POST', `/rest/api/3/issue/${enc(issueIdOrKey)}/comment`, { body, visibility: { type: 'role', value: role } });
}

/**
 * Posts a message to a Slack incoming webhook.
 * @throws SyncError `partner-unreachable` when Slack cannot be reached in {@link SLACK_TIMEOUT_MS}; `not-configured`
 *   when Forge refuses the host (not in the manifest's egress); `jira-rejected` (the app's code for "the other side
 *   refused") with Slack's status and words otherwise. No message ever contains the webhook URL.
 */
export async function postSlack(webhookUrl: string, payload: { text: string }): Promise<void> {
  let res: Response;
  try {
    res = await fetch(webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(SLACK_TIMEOUT_MS) }) as unknown as Response;
  } catch (err) {
    // Errors may quote the URL (Forge's egress error does), and the URL is the secret: never pass it on.
    const words = (err instanceof Error ? err.message : String(err)).split(webhookUrl).join(SLACK_URL_SHOWN);
    if ((err as { name?: string })?.name === 'REQUEST_EGRESS_ALLOWLIST_ERR') {
      throw new SyncError('not-configured', `Forge refused the Slack request: https://hooks.slack.com is not in this app version's egress (manifest permissions.external.fetch.backend). Upgrade the app to a version that declares it.`, { cause: words });
    }
    throw new SyncError('partner-unreachable', `Slack could not be reached (${words}).`, { cause: words });
  }
  const text = (await res.text()).slice(0, 200);
  if (res.status >= 300) {
    const hint = res.status === 404 || res.status === 410 ? ' The webhook was removed or its channel archived: create a new one in Slack and save it in Task sync settings.' : '';
    throw new SyncError('jira-rejected', `Slack answered ${res.status} (${text || 'no text'}).${hint}`);
  }
}
