/**
 * Jira's notify API as the emulator answers it, and what Jira would email: `POST /rest/api/3/issue/{issueIdOrKey}/
 * notify` queues an email about an issue to recipients chosen by role (reporter, assignee, watchers, voters), by
 * account and by group, narrowed by `restrict` (group membership, permissions). The emulator resolves them to
 * people the way Jira's mail queue does: active people (not apps) who may browse the issue, never the caller, each
 * once; and records the email (subject, text and HTML body) for `GET /__sandbox/emails`.
 *
 * Validation follows the operation's documented answers: 400 for a body that does not fit the spec's `Notification`
 * schema (wrong types, an unknown key in `restrict`), the caller named as a recipient ("the recipient is the same as
 * the calling user"), an unassigned issue asked to mail its assignee, an unknown account or group; 403 when the
 * site's outgoing mail is off (`POST /__sandbox/emails/outgoing {enabled}`, Jira's "outgoing emails are disabled").
 * People reached through a role (watchers, reporter, a group) are filtered instead: the caller, apps, deactivated
 * users and anyone without Browse projects get nothing. `to` fields left out take Jira's defaults (watchers and
 * voters yes, reporter and assignee no). A missing subject is the issue key and summary, as the spec says.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-notify-post
 */
import { JiraError } from './errors';
import { requestBodyErrors } from './openapi';
import { hasPermission } from './permissions';
import type { SiteStore } from './store';
import type { IssueRec, UserRec } from './types';
import { GROUPS, groupId } from './visibility';

/** One email Jira would send. */
export interface EmailRecord {
  seq: number;
  issueKey: string;
  /** accountId of the caller (the app, for the app's notifications). */
  by: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** The people it reaches, resolved from `to` and `restrict`. */
  to: Array<{ accountId: string; displayName: string; emailAddress: string | null }>;
  /** ISO-8601 */
  at: string;
}

/** Who watches an issue: its stored list, else Jira's default (reporter and creator watch their own issues). */
export function watchersOf(issue: IssueRec): string[] {
  return issue.watchers ?? [...new Set([issue.reporterId, issue.creatorId].filter((id): id is string => !!id))];
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const stripTags = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Group names named by `{name}` / `{groupId}` objects and bare group ids. @throws JiraError 400 for an unknown group */
function groupNames(groups: unknown, ids: unknown): string[] {
  const byId = (id: string) => Object.keys(GROUPS).find((g) => groupId(g) === id);
  const out: string[] = [];
  for (const g of list(groups)) {
    const o = obj(g);
    const name = typeof o.name === 'string' ? o.name : typeof o.groupId === 'string' ? byId(o.groupId) : undefined;
    if (!name || !GROUPS[name]) throw JiraError.badRequest(`Group ${String(o.name ?? o.groupId ?? '')} does not exist.`);
    out.push(name);
  }
  for (const id of list(ids)) {
    const name = typeof id === 'string' ? byId(id) : undefined;
    if (!name) throw JiraError.badRequest(`Group with id ${String(id)} does not exist.`);
    out.push(name);
  }
  return out;
}

/** The emails a site would have sent through the notify API (`GET /__sandbox/emails`). */
export class EmailLog {
  readonly emails: EmailRecord[] = [];
  /** Whether the site sends mail (Jira admin → System → Outgoing mail); off answers 403 like Jira. */
  outgoing = true;
  private seq = 0;

  constructor(private readonly store: SiteStore) {}

  /**
   * Validates a notify request body and records the email it queues.
   * @throws JiraError 400 for an invalid body or recipient (nothing recorded)
   */
  notify(actor: UserRec, issue: IssueRec, raw: unknown): EmailRecord {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw JiraError.badRequest('The request body must be a notification object.');
    const body = raw as Record<string, unknown>;
    for (const k of ['subject', 'textBody', 'htmlBody'] as const) {
      if (body[k] !== undefined && typeof body[k] !== 'string') throw JiraError.fields({ [k]: `${k} must be a string.` });
    }
    const invalid = requestBodyErrors('Notification', body);
    if (invalid.length) throw JiraError.badRequest(`The notification is invalid: ${invalid.slice(0, 5).join('; ')}.`);
    if (!this.outgoing) throw JiraError.forbidden('Outgoing emails are disabled on this site: no notification can be sent.');
    const to = obj(body.to);
    const flag = (k: string, dflt: boolean) => (typeof to[k] === 'boolean' ? (to[k] as boolean) : dflt);
    const ids = new Set<string>();
    if (flag('reporter', false) && issue.reporterId) ids.add(issue.reporterId);
    if (flag('assignee', false)) {
      if (!issue.assigneeId) throw JiraError.badRequest(`Issue ${issue.key} is unassigned: the notification cannot be sent to its assignee.`);
      ids.add(issue.assigneeId);
    }
    if (flag('watchers', true)) for (const id of watchersOf(issue)) ids.add(id);
    // Voting is not emulated: no issue has voters.
    for (const u of list(to.users)) {
      const accountId = obj(u).accountId;
      if (typeof accountId !== 'string' || !this.store.user(accountId)) throw JiraError.badRequest(`User with accountId ${String(accountId)} does not exist.`);
      if (accountId === actor.accountId) throw JiraError.badRequest('The recipient is the same as the calling user: nobody is emailed about their own notification.');
      ids.add(accountId);
    }
    const people = Object.values(this.store.state.users);
    for (const g of groupNames(to.groups, to.groupIds)) for (const u of people) if (GROUPS[g](u)) ids.add(u.accountId);

    const restrict = obj(body.restrict);
    const needGroups = groupNames(restrict.groups, restrict.groupIds);
    const needPermissions = list(restrict.permissions).map((p) => {
      const o = obj(p);
      const key = typeof o.key === 'string' ? o.key : undefined;
      if (!key) throw JiraError.badRequest('A restriction permission needs its key, e.g. BROWSE_PROJECTS.');
      return key === 'BROWSE' ? 'BROWSE_PROJECTS' : key;
    });
    const reaches = (u: UserRec) =>
      u.active &&
      u.accountType === 'atlassian' &&
      u.accountId !== actor.accountId &&
      hasPermission(u, 'BROWSE_PROJECTS') &&
      (!needGroups.length || needGroups.some((g) => GROUPS[g](u))) &&
      needPermissions.every((k) => hasPermission(u, k));
    const recipients = [...ids].map((id) => this.store.user(id)).filter((u): u is UserRec => !!u && reaches(u));

    const textBody = typeof body.textBody === 'string' ? body.textBody : typeof body.htmlBody === 'string' ? stripTags(body.htmlBody) : '';
    const htmlBody = typeof body.htmlBody === 'string' ? body.htmlBody : escapeHtml(textBody);
    const rec: EmailRecord = {
      seq: ++this.seq,
      issueKey: issue.key,
      by: actor.accountId,
      subject: typeof body.subject === 'string' && body.subject ? body.subject : `(${issue.key}) ${issue.summary}`,
      textBody,
      htmlBody,
      to: recipients.map((u) => ({ accountId: u.accountId, displayName: u.displayName, emailAddress: u.emailAddress ?? null })),
      at: new Date().toISOString(),
    };
    this.emails.push(rec);
    return rec;
  }

  clear(): void {
    this.emails.length = 0;
  }
}
