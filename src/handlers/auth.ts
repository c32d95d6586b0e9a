/**
 * Server-side permission checks for resolvers, asking Jira as the calling user (`asUser()` + mypermissions).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
import { userPermissions } from '../jira/local';
import { SyncError } from '../model/errors';

/** The parts of Forge's resolver context we read. */
export interface CallerContext {
  accountId?: string;
  siteUrl?: string;
  extension?: { project?: { id?: string; key?: string }; issue?: { id?: string; key?: string } };
}

/**
 * The project key of the page the resolver was called from.
 * @throws SyncError `invalid-input` when the context names no project
 */
export function projectKeyOf(ctx: CallerContext): string {
  const key = ctx.extension?.project?.key;
  if (!key) throw new SyncError('invalid-input', 'This page was opened without a project. Open it from a Jira project.');
  return key;
}

/** The issue of the page, `{id, key}`. @throws SyncError `invalid-input` outside an issue view */
export function issueOf(ctx: CallerContext): { id: string; key: string } {
  const issue = ctx.extension?.issue;
  if (!issue?.id || !issue.key) throw new SyncError('invalid-input', 'This panel was opened without an issue. Open it from an issue.');
  return { id: String(issue.id), key: issue.key };
}

/** @throws SyncError `forbidden` unless the caller administers the project */
export async function requireProjectAdmin(projectKey: string): Promise<void> {
  const held = await userPermissions({ projectKey }, ['ADMINISTER_PROJECTS']);
  if (!held.has('ADMINISTER_PROJECTS')) {
    throw new SyncError('forbidden', `Only administrators of project ${projectKey} can see or change Task sync settings and the sync log.`);
  }
}

/**
 * @param action what editing is needed for, in the refusal's words (default `turn sync on`)
 * @throws SyncError `forbidden` unless the caller can browse (and, with `edit`, edit) the issue
 */
export async function requireIssueAccess(issueKey: string, edit: boolean, action = 'turn sync on'): Promise<void> {
  const wanted = edit ? ['BROWSE_PROJECTS', 'EDIT_ISSUES'] : ['BROWSE_PROJECTS'];
  const held = await userPermissions({ issueKey }, wanted);
  const missing = wanted.filter((p) => !held.has(p));
  if (missing.length) {
    throw new SyncError('forbidden', edit ? `You need permission to edit ${issueKey} to ${action}.` : `You cannot see ${issueKey}.`);
  }
}

/**
 * health: the Jira admin page's check. `ADMINISTER` is Jira's global "Administer Jira" permission, asked without a
 * project or issue (mypermissions answers global permissions then).
 * @throws SyncError `forbidden` unless the caller is a Jira administrator
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
export async function requireJiraAdmin(): Promise<void> {
  const held = await userPermissions({}, ['ADMINISTER']);
  if (!held.has('ADMINISTER')) throw new SyncError('forbidden', 'Only Jira administrators can see Task sync health for the whole site. Ask a Jira admin, or open Project settings → Task sync of a project you administer.');
}
