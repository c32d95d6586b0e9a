/**
 * Project permissions of site users, and the checks routes make with Jira's answers: an issue the caller may not
 * browse is a 404 (Jira does not reveal it exists), a write without the right is a 403.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
import { JiraError } from './errors';
import type { SiteStore } from './store';
import type { IssueRec, ProjectDef, UserRec } from './types';

/** Permission keys `mypermissions` knows, and whether a non-admin person has them by default. */
export const PERMISSIONS: Record<string, { name: string; type: 'PROJECT' | 'GLOBAL'; nonAdmin: boolean }> = {
  ADMINISTER_PROJECTS: { name: 'Administer Projects', type: 'PROJECT', nonAdmin: false },
  ADMINISTER: { name: 'Administer Jira', type: 'GLOBAL', nonAdmin: false },
  BROWSE_PROJECTS: { name: 'Browse Projects', type: 'PROJECT', nonAdmin: true },
  EDIT_ISSUES: { name: 'Edit Issues', type: 'PROJECT', nonAdmin: true },
  CREATE_ISSUES: { name: 'Create Issues', type: 'PROJECT', nonAdmin: true },
  TRANSITION_ISSUES: { name: 'Transition Issues', type: 'PROJECT', nonAdmin: true },
  ADD_COMMENTS: { name: 'Add Comments', type: 'PROJECT', nonAdmin: true },
  EDIT_OWN_COMMENTS: { name: 'Edit Own Comments', type: 'PROJECT', nonAdmin: true },
  EDIT_ALL_COMMENTS: { name: 'Edit All Comments', type: 'PROJECT', nonAdmin: false },
  DELETE_OWN_COMMENTS: { name: 'Delete Own Comments', type: 'PROJECT', nonAdmin: true },
  DELETE_ALL_COMMENTS: { name: 'Delete All Comments', type: 'PROJECT', nonAdmin: false },
  DELETE_ISSUES: { name: 'Delete Issues', type: 'PROJECT', nonAdmin: false },
  // worklogs
  WORK_ON_ISSUES: { name: 'Work On Issues', type: 'PROJECT', nonAdmin: true },
  EDIT_OWN_WORKLOGS: { name: 'Edit Own Worklogs', type: 'PROJECT', nonAdmin: true },
  EDIT_ALL_WORKLOGS: { name: 'Edit All Worklogs', type: 'PROJECT', nonAdmin: false },
  DELETE_OWN_WORKLOGS: { name: 'Delete Own Worklogs', type: 'PROJECT', nonAdmin: true },
  DELETE_ALL_WORKLOGS: { name: 'Delete All Worklogs', type: 'PROJECT', nonAdmin: false },
};

/** Permission key → the 403 message Jira gives when it is missing. */
const DENIED: Record<string, string> = {
  EDIT_ISSUES: 'You do not have permission to edit issues in this project.',
  CREATE_ISSUES: 'You do not have permission to create issues in this project.',
  TRANSITION_ISSUES: 'You do not have permission to transition this issue.',
  ADD_COMMENTS: 'You do not have the permission to comment on this issue.',
  EDIT_ALL_COMMENTS: 'You do not have the permission to edit this comment.',
  DELETE_ALL_COMMENTS: 'You do not have the permission to delete this comment.',
  DELETE_ISSUES: 'You do not have permission to delete issues in this project.',
  // worklogs
  WORK_ON_ISSUES: 'You do not have the permission to log work on this issue.',
  EDIT_ALL_WORKLOGS: 'You do not have the permission to edit this worklog.',
  DELETE_ALL_WORKLOGS: 'You do not have the permission to delete this worklog.',
};

/** Does `user` hold `key`? Explicit `user.permissions` win; else site admins hold all, others the non-admin set. */
export function hasPermission(user: UserRec, key: string): boolean {
  if (user.permissions) return user.permissions.includes(key);
  return user.admin || !!PERMISSIONS[key]?.nonAdmin;
}

/** @throws JiraError 403 with Jira's message when `user` lacks `key` */
export function requirePermission(user: UserRec, key: keyof typeof DENIED): void {
  if (!hasPermission(user, key)) throw JiraError.forbidden(DENIED[key]);
}

/**
 * The issue `idOrKey` if `user` may browse it.
 * @throws JiraError 404 "Issue does not exist or you do not have permission to see it." (unknown or not browsable)
 */
export function visibleIssue(store: SiteStore, user: UserRec, idOrKey: string): IssueRec {
  const issue = store.issue(idOrKey);
  if (!hasPermission(user, 'BROWSE_PROJECTS')) throw JiraError.notFound('Issue does not exist or you do not have permission to see it.');
  return issue;
}

/**
 * The project `idOrKey` (id, or its key in the exact case) if `user` may browse it.
 * @throws JiraError 404 "No project could be found with key 'x'." (unknown or not browsable)
 */
export function visibleProject(store: SiteStore, user: UserRec, idOrKey: string): ProjectDef {
  const p = store.project(idOrKey);
  if (!p || !hasPermission(user, 'BROWSE_PROJECTS')) throw JiraError.notFound(`No project could be found with key '${idOrKey}'.`);
  return p;
}

/** A comment edit or delete: own comments need the `…_OWN_…` right, others' the `…_ALL_…` one. @throws JiraError 403 */
export function requireCommentRight(user: UserRec, authorId: string | null, verb: 'EDIT' | 'DELETE'): void {
  const own = authorId === user.accountId && hasPermission(user, `${verb}_OWN_COMMENTS`);
  if (!own) requirePermission(user, `${verb}_ALL_COMMENTS`);
}

/** worklogs: a worklog edit or delete: own worklogs need the `…_OWN_…` right, others' the `…_ALL_…` one. @throws JiraError 403 */
export function requireWorklogRight(user: UserRec, authorId: string, verb: 'EDIT' | 'DELETE'): void {
  const own = authorId === user.accountId && hasPermission(user, `${verb}_OWN_WORKLOGS`);
  if (!own) requirePermission(user, `${verb}_ALL_WORKLOGS`);
}
