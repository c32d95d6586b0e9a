/**
 * The detail of a sync-log entry, from what the job already read (no extra Jira call): each copied field's value
 * before and after as a reader sees it (status, user and option names from the issues' own JSON, rich text as
 * plain text, all cut to {@link CONFLICT_VALUE_MAX} characters), and for a failure its cause in words and what to
 * do, by error code. Pure functions.
 */
import type { LogFieldChange } from '../contract/log-entry';
import type { SyncErrorCode } from '../model/errors';
import type { ConnectionMapping } from '../model/mapping';
import type { AdfNode, SideValues } from '../model/types';
import { adfPlain, CONFLICT_VALUE_MAX } from './conflict-text';

/** A raw Jira field value (`fields.<id>` of `GET /rest/api/3/issue/{id}`) as text: names, not ids; `(empty)` if none. */
export function displayValue(v: unknown): string {
  const text = (x: unknown): string => {
    if (x === null || x === undefined) return '';
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (Array.isArray(x)) return x.map(text).filter(Boolean).join(', ');
    const o = x as Record<string, unknown>;
    if (o.type === 'doc') return adfPlain(o as unknown as AdfNode);
    for (const k of ['displayName', 'name', 'value', 'key']) if (typeof o[k] === 'string') return o[k] as string;
    return '';
  };
  const t = text(v).replace(/\s+/g, ' ').trim();
  if (!t) return '(empty)';
  return t.length > CONFLICT_VALUE_MAX ? `${t.slice(0, CONFLICT_VALUE_MAX - 1).trimEnd()}…` : t;
}

/**
 * The fields a run copied, before → after on the written site.
 * @param plan the values written: `toPartner` keyed by partner field ids, `toLocal` by local ids
 * @param raw both issues' `fields` as read at the start of the run (before any write)
 * @param comments how many comments were copied each way
 */
export function describeChanges(
  plan: { toPartner: Partial<SideValues>; toLocal: Partial<SideValues> },
  mapping: ConnectionMapping,
  raw: { local: Record<string, unknown>; partner: Record<string, unknown> },
  comments: { toPartner: number; toLocal: number } = { toPartner: 0, toLocal: 0 },
): LogFieldChange[] {
  const out: LogFieldChange[] = [];
  for (const [to, values] of [['partner', plan.toPartner], ['local', plan.toLocal]] as const) {
    const from = to === 'partner' ? 'local' : 'partner';
    for (const id of Object.keys(values)) {
      const row = mapping.fields.find((f) => f[to] === id);
      const sourceId = row ? row[from] : id;
      out.push({ field: row?.local ?? id, name: row?.name?.local ?? id, to, before: displayValue(raw[to][id]), after: displayValue(raw[from][sourceId]) });
    }
    const n = comments[to === 'partner' ? 'toPartner' : 'toLocal'];
    if (n) out.push({ field: 'comment', name: 'Comments', to, before: '—', after: `${n} comment${n === 1 ? '' : 's'} copied` });
  }
  return out;
}

/** What an admin should do about a failure, by error code (the message says what happened). */
const ADVICE: Partial<Record<SyncErrorCode, string>> = {
  'partner-auth': 'Create a new API token for the partner account at id.atlassian.com, enter it in Task sync settings and save; then Retry.',
  'partner-unreachable': 'Check that the partner site is up and its URL in Task sync settings is right; then Retry (reconcile also retries on its own).',
  'partner-project': 'Check the partner project key in Task sync settings and that the partner account can see that project.',
  'not-found': 'One of the issues was deleted or moved: unlink the issue, or turn sync on again for a new copy.',
  'rate-limited': 'Nothing to fix: Jira asked us to slow down. It is retried after the time Jira asked for.',
  'jira-rejected': 'Open the issue on the site named and check the field the message names (a required value, a screen, a deactivated user); then Retry.',
  'jira-unavailable': 'Nothing to fix on your side: Jira was unavailable. Retry later (reconcile also retries on its own).',
  'no-transition': "Add a transition to the target status in that project's workflow, or change the status map in Task sync settings; then Retry.",
  forbidden: 'Give the app (or the partner account) the permission the message names on that project; then Retry.',
  'not-configured': 'Set up the connection again in Project settings → Task sync.',
  internal: 'Retry; if it fails again, save the Task sync settings again or unlink and link the issue.',
};

/** `{errorCode, cause, advice}` of a failure entry. */
export function failureDetail(code: SyncErrorCode | string | null | undefined, cause: string): { errorCode: string | null; cause: string; advice: string } {
  const advice = (code && ADVICE[code as SyncErrorCode]) || 'Read the cause, fix it, then Retry in the Failed list.';
  return { errorCode: code ?? null, cause, advice };
}
