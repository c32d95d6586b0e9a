/**
 * Worklog deliveries of the partner's admin webhook (`worklog_created`, `worklog_updated`, `worklog_deleted`): they
 * name the issue only by `worklog.issueId` (no `issue`), and most of them, on a synced issue, are the app's own
 * mirror writes coming back. Decided from the delivery and the link alone (pure), like `./echo.ts`; anything
 * uncertain is not an echo (an extra job costs calls, a missed change loses time logged).
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-events-for-a-webhook
 */
import { isRecord } from '../model/adf';
import type { LinkRecord } from '../model/link';
import { jiraTimeMs } from '../model/time';

const WORKLOG_EVENTS = new Set(['worklog_created', 'worklog_updated', 'worklog_deleted']);

/** The worklog of a worklog delivery, or undefined for any other delivery. */
function worklogOf(delivery: unknown): Record<string, unknown> | undefined {
  if (!isRecord(delivery) || !WORKLOG_EVENTS.has(String(delivery.webhookEvent)) || !isRecord(delivery.worklog)) return undefined;
  return delivery.worklog;
}

/**
 * The delivery with `issue: {id: worklog.issueId, key: ''}` when it is a worklog delivery without `issue`, so the
 * handler finds the link as for any issue event; any other body is returned as it is.
 */
export function withWorklogIssue(delivery: unknown): unknown {
  const w = worklogOf(delivery);
  if (!w || (typeof w.issueId !== 'string' && typeof w.issueId !== 'number') || (delivery as Record<string, unknown>).issue) return delivery;
  return { ...(delivery as Record<string, unknown>), issue: { id: String(w.issueId), key: '' } };
}

/** `issue_event_type_name` of the `jira:issue_updated` Jira sends beside each worklog delivery. */
const COMPANION_TYPES = new Set(['issue_work_logged', 'issue_worklog_updated', 'issue_worklog_deleted']);
/** Changelog fields a worklog write records that no mapping row can hold (the remaining estimate can, so it is not here). */
const WORKLOG_ONLY_ITEMS = new Set(['timespent', 'WorklogId']);

/**
 * Whether a `jira:issue_updated` delivery only repeats a worklog write (`issue_work_logged` …, its changelog only
 * `timespent` and `WorklogId`): the worklog delivery beside it carries the same news, so it needs no job of its own.
 * One that also moved the remaining estimate (`timeestimate`) goes through the ordinary path (the estimate may be
 * a mapped field).
 */
function isWorklogCompanion(delivery: unknown): boolean {
  if (!isRecord(delivery) || delivery.webhookEvent !== 'jira:issue_updated' || !COMPANION_TYPES.has(String(delivery.issue_event_type_name))) return false;
  const items = isRecord(delivery.changelog) && Array.isArray(delivery.changelog.items) ? delivery.changelog.items : [];
  return items.length > 0 && items.every((i) => isRecord(i) && WORKLOG_ONLY_ITEMS.has(String(i.fieldId ?? i.field)));
}

const accountOf = (v: unknown): string | undefined => (isRecord(v) && typeof v.accountId === 'string' ? v.accountId : undefined);

/**
 * Whether a worklog delivery needs no job for `link`:
 * - the `jira:issue_updated` beside a worklog delivery that changed nothing but time spent (`isWorklogCompanion`);
 * - worklog sync is off for the connection: nothing about worklogs is synced;
 * - `worklog_created` by the app's partner account for an id the link's worklog map holds (ids are never reused,
 *   so it is the app's mirror, recorded by the job that wrote it, or a replay);
 * - `worklog_updated` by the app's partner account, mapped, with the time spent and started time the map holds
 *   (the v2 comment is plain text, so a comment-only edit made with the app's account waits for the reconcile);
 * - `worklog_deleted` of an id the map does not hold (a mirror the app deleted, or a worklog that never synced).
 * @returns false for every other delivery; never throws
 */
export function isWorklogEcho(delivery: unknown, link: Pick<LinkRecord, 'worklogs'>, connection: { partnerAccountId: string; worklogs: { enabled: boolean } }): boolean {
  if (isWorklogCompanion(delivery)) return true;
  const w = worklogOf(delivery);
  if (!w || (typeof w.id !== 'string' && typeof w.id !== 'number')) return false;
  if (!connection.worklogs.enabled) return true;
  const mapped = link.worklogs.find((l) => l.partnerId === String(w.id));
  const event = (delivery as Record<string, unknown>).webhookEvent;
  if (event === 'worklog_deleted') return !mapped;
  const writer = accountOf(w.updateAuthor) ?? accountOf(w.author);
  if (!mapped || writer !== connection.partnerAccountId) return false;
  if (event === 'worklog_created') return true;
  const started = typeof w.started === 'string' ? jiraTimeMs(w.started) : NaN;
  return mapped.partnerHash.startsWith(`${Number(w.timeSpentSeconds)}|${started}|`);
}
