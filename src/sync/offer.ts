/**
 * The "Partner sync" field's value and the indexed link property, as pure functions (no Forge, no Jira).
 *
 * Field value (a Forge `string` custom field, see manifest.yml `task-sync-field`):
 * - written by the edit view when a person answers Yes and confirms: `sync:<connectionId>` (or `sync` when the
 *   project has one connection), read by the `avi:jira:created:issue` trigger;
 * - then written by the app when the link is made (`⇄ PARTNER-12`) and emptied when it is removed. Only then: a
 *   field write changes the issue (`updated`, history, watchers' notifications), so the link's passing states
 *   (failing, paused, conflict, broken) live in the property, which JQL searches and which changes nothing else.
 * Link property `taskSyncLink` (indexed by the manifest's `jira:entityProperty`): `{partnerKey, state, connectionId}`
 * with state `synced | failing | paused | conflict | broken | offered | none`, so JQL can ask
 * `issue.property[taskSyncLink].state = "failing"`.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 */
import type { LinkRecord } from '../model/link';

/** Key of the issue property the manifest indexes for JQL. */
export const LINK_PROPERTY_KEY = 'taskSyncLink';

/** Link states as JQL sees them (values of `issue.property[taskSyncLink].state`). */
export type SearchableState = 'synced' | 'failing' | 'paused' | 'conflict' | 'broken' | 'offered' | 'none';

/** Value of the `taskSyncLink` property. */
export interface LinkPropertyValue {
  state: SearchableState;
  partnerKey: string | null;
  connectionId: string | null;
}

/** What a field value written by the edit view asks for. */
export type FieldRequest = { sync: true; connectionId?: string } | { sync: false };

const REQUEST = /^sync(?::([a-zA-Z0-9_-]{1,60}))?$/;

/**
 * Reads the field's value. `sync` / `sync:<id>` is a confirmed Yes; anything else (empty, No, or a value the app
 * wrote) asks for nothing.
 */
export function parseFieldRequest(value: unknown): FieldRequest {
  if (typeof value !== 'string') return { sync: false };
  const m = REQUEST.exec(value.trim());
  if (!m) return { sync: false };
  return m[1] ? { sync: true, connectionId: m[1] } : { sync: true };
}

/** The field value a confirmed Yes writes: `sync:<connectionId>`. */
export function requestValue(connectionId: string): string {
  return `sync:${connectionId}`;
}

/** Searchable state of a link, most urgent first (as the lozenge: broken → paused → conflict → failing → synced). */
export function searchableState(link: Pick<LinkRecord, 'state' | 'paused'>): SearchableState {
  if (link.state === 'broken') return 'broken';
  if (link.paused) return 'paused';
  if (link.state === 'conflicted') return 'conflict';
  if (link.state === 'failed') return 'failing';
  return 'synced';
}

/** The field's text for a link: `⇄ PARTNER-12`; `null` (empty field) without a link. */
export function fieldText(link: Pick<LinkRecord, 'partnerIssueKey'> | null): string | null {
  return link ? `⇄ ${link.partnerIssueKey}` : null;
}

/** The `taskSyncLink` property value for a link, an offer (a connection's offer JQL matched), or nothing. */
export function linkProperty(link: Pick<LinkRecord, 'state' | 'paused' | 'partnerIssueKey' | 'connectionId'> | null, offeredBy?: string): LinkPropertyValue {
  if (link) return { state: searchableState(link), partnerKey: link.partnerIssueKey, connectionId: link.connectionId };
  if (offeredBy) return { state: 'offered', partnerKey: null, connectionId: offeredBy };
  return { state: 'none', partnerKey: null, connectionId: null };
}

/**
 * The JQL asking whether one new issue matches a connection's offer rule: the rule in parentheses, narrowed to the
 * issue (`id = 10001 AND (<rule>)`), so Jira's own JQL decides.
 */
export function offerQuery(issueId: string, offerJql: string): string {
  return `id = ${issueId} AND (${offerJql})`;
}
