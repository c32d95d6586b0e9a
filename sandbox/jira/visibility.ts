/**
 * Comment visibility (restricted to a group or a project role), as Jira Cloud applies it: only members of the
 * group, or users in the role in the project, see the comment (GET comments, the issue's `comment` field,
 * search results); to everyone else it does not exist. Jira has no administrator bypass: a site admin outside the
 * group or role does not see it either. The app's user (Forge `asApp`) is an ordinary member too: Jira puts it in
 * the `atlassian-addons-admin` and `jira-software-users` groups and the `atlassian-addons-project-access` role, so it
 * sees comments restricted to those (and to `Developers`, whose default members include `jira-software-users`),
 * never ones restricted to `Administrators`.
 *
 * Setting a visibility the author may not use is refused with 400 `{errors: {commentLevel}}`: unknown group
 * "Group: <name> does not exist.", not a member "You are currently not a member of the group: <name>." / "…of the
 * project role: <name>.", unknown role id "Role with id: <id> does not exist." (Jira's `DefaultVisibilityValidator`).
 * An unknown role *name* is answered with Jira REST's invalid-role-level error; its exact wording is not in the
 * spec, so the emulator says "Invalid role level specified." under the same key.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/ (`Visibility`)
 * @see https://support.atlassian.com/jira/kb/the-atlassian-addons-project-access-project-role-in-jira-cloud/
 */
import crypto from 'node:crypto';
import { JiraError } from './errors';
import { hasPermission } from './permissions';
import type { CommentRec, UserRec } from './types';

/** A stored comment restriction, as Jira returns it (`identifier`: group id, or the role's name). */
export interface VisibilityRec {
  type: 'group' | 'role';
  value: string;
  identifier: string;
}

const people = (u: UserRec) => u.accountType === 'atlassian' && u.active;
const app = (u: UserRec) => u.accountType === 'app';

/** Groups of a site and who is in them (derived from the users, like Jira's default groups). */
export const GROUPS: Record<string, (u: UserRec) => boolean> = {
  'jira-administrators': (u) => people(u) && u.admin,
  'jira-software-users': (u) => app(u) || (people(u) && hasPermission(u, 'BROWSE_PROJECTS')),
  'atlassian-addons-admin': app,
};

/** Project roles (the same in every project here), their ids and members. */
export const ROLES: Record<string, { id: string; member: (u: UserRec) => boolean }> = {
  Administrators: { id: '10002', member: (u) => people(u) && u.admin },
  Developers: { id: '10001', member: (u) => GROUPS['jira-software-users'](u) },
  'atlassian-addons-project-access': { id: '10003', member: app },
};

/** A group's id: stable per name, UUID-shaped like Jira Cloud's. */
export function groupId(name: string): string {
  const h = crypto.createHash('sha256').update(`group:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Whether `user` may see comment `c` (a comment without visibility is visible to everyone who sees the issue). */
export function canSeeComment(user: UserRec | undefined, c: CommentRec): boolean {
  const v = c.visibility;
  if (!v || !user) return true;
  if (v.type === 'group') return !!GROUPS[v.value]?.(user);
  return !!ROLES[v.value]?.member(user);
}

const level = (message: string) => JiraError.fields({ commentLevel: message });

/**
 * Parses the `visibility` of a comment write. `undefined` (absent) keeps the comment's current restriction;
 * `null` removes it (as Jira does).
 * @throws JiraError 400 (`errors.commentLevel`) for an unknown group or role, or one `actor` is not in
 */
export function parseVisibility(actor: UserRec, raw: unknown): VisibilityRec | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  const v = raw as { type?: unknown; value?: unknown; identifier?: unknown };
  if (typeof raw !== 'object' || (v.type !== 'group' && v.type !== 'role')) throw JiraError.badRequest('Visibility type must be group or role.');
  if (v.type === 'group') {
    const byId = typeof v.identifier === 'string' ? Object.keys(GROUPS).find((g) => groupId(g) === v.identifier) : undefined;
    const name = byId ?? (typeof v.value === 'string' ? v.value : '');
    if (!name) throw level('Group name or id is required for group visibility.');
    if (!GROUPS[name]) throw level(`Group: ${typeof v.identifier === 'string' && !v.value ? v.identifier : name} does not exist.`);
    if (!GROUPS[name](actor)) throw level(`You are currently not a member of the group: ${name}.`);
    return { type: 'group', value: name, identifier: groupId(name) };
  }
  const given = typeof v.value === 'string' && v.value ? v.value : typeof v.identifier === 'string' ? v.identifier : '';
  if (!given) throw level('Role name is required for role visibility.');
  const name = ROLES[given] ? given : Object.keys(ROLES).find((r) => ROLES[r].id === given);
  if (!name) throw level(/^\d+$/.test(given) ? `Role with id: ${given} does not exist.` : 'Invalid role level specified.');
  if (!ROLES[name].member(actor)) throw level(`You are currently not a member of the project role: ${name}.`);
  return { type: 'role', value: name, identifier: name };
}
