/**
 * Value checks shared by system and custom fields, each with the 400 message Jira gives for it (in `errors[field]`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import { isAdfDoc, textLength } from './adf';
import { JiraError } from './errors';
import type { SiteStore } from './store';
import type { Adf, NamedRef } from './types';

/** A checked value (`ok`, null clears) or Jira's message for it. */
export type Checked<T> = { ok: T } | { error: string };

/** Jira's message for a rich-text value that is not ADF (v3). */
export const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';

const DATE = /^\d{4}-\d\d-\d\d$/;

/** A `YYYY-MM-DD` date (due date, date pickers): "Error parsing date string: <value>" otherwise. */
export function checkDate(v: unknown): Checked<string> {
  return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v)) ? { ok: v } : { error: `Error parsing date string: ${v}` };
}

/** Jira Cloud's limit on a rich-text value (description, environment, paragraph custom fields), in characters. */
export const CONTENT_LIMIT = 32767;

/**
 * An ADF doc (description, environment, paragraph fields); an empty doc clears like null. A doc over the content
 * limit fails the whole request as Jira Cloud's v3 create/edit does: 400 `{"errorMessages":["CONTENT_LIMIT_EXCEEDED"],
 * "errors":{}}`, no field named (characters counted as `textLength` does; Jira does not say how it counts).
 * @throws JiraError 400 CONTENT_LIMIT_EXCEEDED
 * @see https://jira.atlassian.com/browse/JRACLOUD-78553
 */
export function checkAdf(v: unknown): Checked<Adf | null> {
  if (!isAdfDoc(v)) return { error: NOT_ADF };
  if (textLength(v) > CONTENT_LIMIT) throw JiraError.badRequest('CONTENT_LIMIT_EXCEEDED');
  return { ok: (v as Adf).content.length ? (v as Adf) : null };
}

/**
 * A list of `{id}` or `{name}` references into `pool` (components, versions): "data was not an array" for a
 * non-array, "Component name 'x' is not valid" / "Version id '9' is not valid" for one not in the project, as
 * Jira words them (id wins when both are given). Archived versions are not offered and refused the same way.
 */
export function checkRefs(pool: NamedRef[], v: unknown, kind: 'Component' | 'Version'): Checked<NamedRef[]> {
  if (!Array.isArray(v)) return { error: 'data was not an array' };
  const refs: NamedRef[] = [];
  for (const x of v) {
    const byId = x?.id !== undefined;
    const r = pool.find((p) => (byId ? p.id === String(x.id) : x?.name !== undefined && p.name === x.name));
    if (!r) return { error: byId ? `${kind} id '${x.id}' is not valid` : `${kind} name '${x?.name ?? ''}' is not valid` };
    if (!refs.some((y) => y.id === r.id)) refs.push(r);
  }
  return { ok: refs };
}

/** Jira's message for a user value naming nobody on the site. */
export const NO_USER = 'Specified user does not exist or you do not have required permissions';

/**
 * A user `{accountId}` of the site. With `assignable`, a deactivated user is refused with Jira Cloud's
 * "User '<accountId>' cannot be assigned issues." (the message for anyone lacking Assignable User; deactivated
 * accounts lose product access, hence that permission).
 * @see https://confluence.atlassian.com/jirakb/user-cannot-be-assigned-issues-1141972083.html
 */
export function checkUser(store: SiteStore, v: any, opts: { assignable?: boolean } = {}): Checked<string> {
  const id = v?.accountId;
  const u = typeof id === 'string' ? store.user(id) : null;
  if (!u) return { error: NO_USER };
  if (opts.assignable && !u.active) return { error: `User '${id}' cannot be assigned issues.` };
  return { ok: u.accountId };
}

/** A list of users `[{accountId}]` (multi-user pickers): each must exist on the site. */
export function checkUsers(store: SiteStore, v: unknown): Checked<string[]> {
  if (!Array.isArray(v)) return { error: 'Operation value must be an array' };
  const ids: string[] = [];
  for (const x of v) {
    const r = checkUser(store, x);
    if ('error' in r) return r;
    if (!ids.includes(r.ok)) ids.push(r.ok);
  }
  return { ok: ids };
}
