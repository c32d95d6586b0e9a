/**
 * Jira's time tracking words, as a Cloud site with the default time tracking settings speaks them: durations such as
 * `1w 2d 3h 4m` (a week is 5 days, a day 8 hours: Settings → Work items → Time tracking), a bare number meaning
 * minutes, decimals allowed (`1.5h`); worklog `started` times in `yyyy-MM-dd'T'HH:mm:ss.SSSZ`
 * (`2021-01-17T12:34:00.000+0000`); and the issue's `timetracking` field (original and remaining estimate).
 * @see https://support.atlassian.com/jira-cloud-administration/docs/configure-time-tracking/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/#api-rest-api-3-issue-issueidorkey-worklog-post
 */
import type { ChangeItem, IssueRec } from './types';

/** The site's working hours per day and days per week (Jira Cloud's defaults). */
export const HOURS_PER_DAY = 8;
export const DAYS_PER_WEEK = 5;

const UNIT_SECONDS: Record<string, number> = { w: DAYS_PER_WEEK * HOURS_PER_DAY * 3600, d: HOURS_PER_DAY * 3600, h: 3600, m: 60, '': 60 };
const TOKEN = /^(\d+(?:[.,]\d+)?)([wdhm]?)$/;

/**
 * Seconds of a Jira duration (`1w 2d 3h 4m`, `90`, `1.5h`), or undefined when it is not one. Units are case-
 * insensitive; each token is a number with an optional unit; whitespace separates tokens.
 */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  let seconds = 0;
  for (const raw of text.trim().toLowerCase().split(/\s+/)) {
    const m = TOKEN.exec(raw);
    if (!m) return undefined;
    seconds += Number(m[1].replace(',', '.')) * UNIT_SECONDS[m[2]];
  }
  return Math.round(seconds);
}

/** Jira's reading of seconds: `1w 2d 3h 4m` (zero parts left out; under a minute is `0m`). */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let left = Math.max(0, Math.floor(seconds / 60)) * 60;
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const n = Math.floor(left / UNIT_SECONDS[unit]);
    if (n) parts.push(`${n}${unit}`);
    left -= n * UNIT_SECONDS[unit];
  }
  return parts.join(' ') || '0m';
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS±hhmm`, the only `started` form Jira takes. */
const STARTED = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})([+-])(\d\d)(\d\d)$/;

/** The started time as Jira stores it (UTC, `…+0000`), or undefined when `text` is not in Jira's format. */
export function parseStarted(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = STARTED.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}${m[8]}${m[9]}:${m[10]}`);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('Z', '+0000') : undefined;
}

/** Jira's message for a `started` it cannot read. */
export const BAD_STARTED = `Cannot parse the worklog start date/time. Use the format "yyyy-MM-dd'T'HH:mm:ss.SSSZ", e.g. "2021-01-17T12:34:00.000+0000".`;
/** Jira's message for a duration it cannot read. */
export const BAD_DURATION = 'Invalid time duration entered.';

/** Seconds logged on an issue (sum of its worklogs). */
export function timeSpentSeconds(issue: IssueRec): number {
  return (issue.worklogs ?? []).reduce((s, w) => s + w.timeSpentSeconds, 0);
}

/**
 * The `timetracking` field (`TimeTrackingDetails`): readable and seconds forms of the original estimate, remaining
 * estimate and time spent; a part that is not set is left out, so an issue without time tracking shows `{}`.
 */
export function renderTimeTracking(issue: IssueRec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (issue.timeOriginalEstimate != null) Object.assign(out, { originalEstimate: formatDuration(issue.timeOriginalEstimate), originalEstimateSeconds: issue.timeOriginalEstimate });
  if (issue.timeEstimate != null) Object.assign(out, { remainingEstimate: formatDuration(issue.timeEstimate), remainingEstimateSeconds: issue.timeEstimate });
  const spent = timeSpentSeconds(issue);
  if (spent) Object.assign(out, { timeSpent: formatDuration(spent), timeSpentSeconds: spent });
  return out;
}

const estimateItem = (fieldId: 'timeoriginalestimate' | 'timeestimate', from: number | null | undefined, to: number | null): ChangeItem => ({
  field: fieldId, fieldtype: 'jira', fieldId, from: from == null ? null : String(from), fromString: from == null ? null : String(from), to: to == null ? null : String(to), toString: to == null ? null : String(to),
});

/**
 * Sets the `timetracking` field from `{originalEstimate?, remainingEstimate?}` (durations; '' or null clears). As in
 * Jira, setting only the original estimate on an issue without a remaining one sets both. Returns the changelog items
 * (`timeoriginalestimate` / `timeestimate`, seconds), or records Jira's error in `errors.timetracking`.
 */
export function setTimeTracking(issue: IssueRec, value: any, errors: Record<string, string>): ChangeItem[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return (errors.timetracking = 'Time tracking must be an object with originalEstimate and/or remainingEstimate.'), [];
  const read = (v: unknown, label: string): number | null | undefined => {
    if (v === undefined) return undefined;
    if (v === null || v === '') return null;
    const s = parseDuration(v);
    if (s === undefined) errors.timetracking = `The ${label} specified is not valid.`;
    return s;
  };
  const original = read(value.originalEstimate, 'original estimate');
  const remaining = read(value.remainingEstimate, 'remaining estimate');
  if (errors.timetracking) return [];
  const items: ChangeItem[] = [];
  if (original !== undefined && original !== (issue.timeOriginalEstimate ?? null)) {
    items.push(estimateItem('timeoriginalestimate', issue.timeOriginalEstimate, original));
    issue.timeOriginalEstimate = original;
  }
  const nextRemaining = remaining !== undefined ? remaining : original !== undefined && issue.timeEstimate == null ? original : undefined;
  if (nextRemaining !== undefined && nextRemaining !== (issue.timeEstimate ?? null)) {
    items.push(estimateItem('timeestimate', issue.timeEstimate, nextRemaining));
    issue.timeEstimate = nextRemaining;
  }
  return items;
}
