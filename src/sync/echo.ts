/**
 * Echo recognition: whether a partner webhook delivery only reports the app's own write coming back, so it needs
 * no read and no job. Decided from the delivery alone (pure): every change must be made by the app's partner account
 * (`connection.partnerAccountId`: the delivery's `user.accountId`, and the changelog's `author` when present), and
 * every changed value of a mapped field must equal the link's base (what the last sync wrote). The partner account
 * is a real user's API token, so a person using that account is caught by the value check: a value that differs
 * from the base is a real change.
 *
 * Safety first: anything uncertain (no changelog, an unknown event, a value the delivery does not give in a
 * comparable form) is not an echo. A missed real change loses data; an extra sync pass only costs calls.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#example-callback-for-an-issue-related-event
 */
import { isRecord } from '../model/adf';
import { codecOf } from '../model/fields';
import type { LinkRecord } from '../model/link';
import { activeFields, type ConnectionMapping, type FieldMap } from '../model/mapping';

/** What echo recognition needs of a connection. */
export interface EchoConnection {
  partnerAccountId: string;
  mapping: Pick<ConnectionMapping, 'fields'>;
}

/** What echo recognition needs of a link. */
export type EchoLink = Pick<LinkRecord, 'base' | 'comments'>;

/** One changelog item of a `jira:issue_updated` delivery (`from`/`to` raw, `fromString`/`toString` for people). */
interface ChangeItem {
  field?: string;
  fieldId?: string;
  to?: string | null;
  toString?: string | null;
}

const accountOf = (v: unknown): string | undefined => (isRecord(v) && typeof v.accountId === 'string' ? v.accountId : undefined);
/** Wiki-markup-free text (the v2 `description` of a webhook), whose ADF reading is exact. */
const PLAIN_TEXT = /^[\p{L}\p{N} \t\n.,:;'"()/@%&=$]*$/u;
/** The value `uncertain` stands for "the delivery does not say it in a comparable form". */
const UNCERTAIN = Symbol('uncertain');

/**
 * The normalised partner value a changelog item reports for `row`, or `UNCERTAIN`. The delivery's `issue.fields`
 * (v2 representation) is preferred when it carries the field; otherwise the changelog's `to` (ids, accountIds)
 * or `toString` (text, option value) by kind.
 */
function reported(row: FieldMap, item: ChangeItem, fields: Record<string, unknown> | undefined): unknown {
  const codec = codecOf(row);
  if (fields && row.partner in fields) {
    const raw = fields[row.partner];
    // v2 gives rich text as wiki markup: only plain text reads back exactly.
    if (row.kind === 'paragraph' && typeof raw === 'string' && !PLAIN_TEXT.test(raw)) return UNCERTAIN;
    try {
      return codec.read(raw);
    } catch {
      return UNCERTAIN;
    }
  }
  const to = typeof item.to === 'string' ? item.to : null;
  const text = typeof item.toString === 'string' ? item.toString : null;
  switch (row.kind) {
    case 'text':
    case 'url':
      return codec.read(text ?? '');
    case 'number':
    case 'date':
      return codec.read(text === null ? null : to ?? text);
    case 'labels':
      return codec.read(text ? text.split(' ') : []);
    case 'select':
    case 'radio':
      return codec.read(text === null ? null : { value: text });
    case 'user':
      return codec.read(to === null ? null : { accountId: to });
    case 'priority':
    case 'status':
    case 'issuetype':
      return codec.read(to === null ? null : { id: to });
    default:
      return UNCERTAIN;
  }
}

/** Whether every change of a `jira:issue_updated` changelog is the app's and equals the base. */
function changelogIsEcho(body: Record<string, unknown>, link: EchoLink, connection: EchoConnection): boolean {
  const changelog = body.changelog;
  if (!isRecord(changelog) || !Array.isArray(changelog.items) || changelog.items.length === 0) return false;
  const author = accountOf(changelog.author);
  if (author !== undefined && author !== connection.partnerAccountId) return false;
  const issue = isRecord(body.issue) ? body.issue : {};
  const fields = isRecord(issue.fields) ? issue.fields : undefined;
  const rows = activeFields(connection.mapping);
  for (const raw of changelog.items) {
    if (!isRecord(raw)) return false;
    const item = raw as unknown as ChangeItem;
    const id = item.fieldId ?? item.field;
    if (typeof id !== 'string') return false;
    // hierarchy: a parent move is an echo only when it lands where the last sync left the parent
    if (id === 'parent') { if ((item.to ?? null) !== ((link as { parentBase?: { partner: string | null } }).parentBase?.partner ?? null)) return false; continue; }
    // A field no row maps (e.g. `resolution` beside a status change) carries nothing to sync.
    const row = rows.find((r) => r.partner === id);
    if (!row) continue;
    if (!(row.partner in link.base.partner)) return false;
    const value = reported(row, item, fields);
    if (value === UNCERTAIN || !codecOf(row).same(value, link.base.partner[row.partner])) return false;
  }
  return true;
}

/**
 * Whether the creation delivery of a comment reports a comment of the link's comment map, written by the app's
 * partner account. Comment ids are never reused, so a *new* comment whose id the map already holds was created by
 * the app itself (its mirror, recorded by the job that wrote it), or is a replay of a creation already synced; its
 * body need not be compared (a mirror's attribution makes the v2 wiki body unreadable as ADF anyway). A person's new
 * comment has an id the map does not hold yet, and an edit made since comes as its own `comment_updated`, which
 * always syncs.
 */
function commentIsEcho(comment: unknown, link: EchoLink, connection: EchoConnection): boolean {
  if (!isRecord(comment) || (typeof comment.id !== 'string' && typeof comment.id !== 'number')) return false;
  const writer = accountOf(comment.updateAuthor) ?? accountOf(comment.author);
  if (writer !== connection.partnerAccountId) return false;
  return link.comments.some((c) => c.partnerId === String(comment.id));
}

/**
 * Whether the partner webhook `delivery` (parsed JSON) is the echo of the app's own write on `link`.
 * - `jira:issue_updated` with a changelog: by the app's partner account, and each item touching a mapped row's
 *   partner field reports the row's base value (`link.base.partner[fieldId]`, compared with the row's codec).
 * - `comment_created`, and the `jira:issue_updated` Jira sends beside it (`issue_commented`, no changelog): written
 *   by the app's partner account (the comment's `updateAuthor`, and the delivery's `user` when present), for a
 *   comment id already in the link's comment map (see `commentIsEcho`).
 * - Anything else (`jira:issue_deleted`, no `user`, a changelog without items): not an echo.
 * @returns true only when no sync is needed; never throws
 */
export function isPartnerEcho(delivery: unknown, link: EchoLink, connection: EchoConnection): boolean {
  if (!isRecord(delivery)) return false;
  const user = accountOf(delivery.user);
  const event = delivery.webhookEvent;
  // Jira Cloud's comment deliveries carry no `user`: the comment's `updateAuthor` (or `author`) says who wrote it.
  // An edited or deleted comment may be an original a person changed with the app's account (its body, or only its
  // restriction, which the delivery does not tell apart): it always syncs. Only a new comment can be an echo.
  if (event === 'comment_updated' || event === 'comment_deleted') return false;
  if (event === 'comment_created') {
    return (delivery.user === undefined || user === connection.partnerAccountId) && commentIsEcho(delivery.comment, link, connection);
  }
  if (event !== 'jira:issue_updated' || user !== connection.partnerAccountId) return false;
  if (delivery.changelog === undefined && delivery.comment !== undefined) {
    return delivery.issue_event_type_name === 'issue_commented' && commentIsEcho(delivery.comment, link, connection);
  }
  return changelogIsEcho(delivery, link, connection);
}

/** Largest echo candidate kept, in characters of JSON: it travels in a queue event (≤ 200 KB a push of 50). */
export const MAX_ECHO_CANDIDATE_CHARS = 3_000;

const pick = (v: unknown, keys: string[]): Record<string, unknown> | undefined =>
  isRecord(v) ? Object.fromEntries(keys.filter((k) => v[k] !== undefined).map((k) => [k, k.endsWith('uthor') || k === 'user' ? pick(v[k], ['accountId']) : v[k]])) : undefined;

/**
 * The part of a partner delivery that {@link isPartnerEcho} reads, for a later re-check, or `undefined` when the
 * delivery can never be an echo (another account made it, an event echo recognition does not know) or its trimmed
 * form is over {@link MAX_ECHO_CANDIDATE_CHARS}. Why: a job writing several comments holds its link's claim while
 * their deliveries arrive, before it saves the comment map that marks them as its own; re-checked after the save,
 * they cost no read.
 * @returns `{webhookEvent, user?, issue_event_type_name?, comment?, changelog?, issue?: {fields}}` with only the
 *   accountIds of people, the comment's id, and of `issue.fields` only fields the changelog names
 */
export function echoCandidate(delivery: unknown, connection: Pick<EchoConnection, 'partnerAccountId'>): Record<string, unknown> | undefined {
  if (!isRecord(delivery)) return undefined;
  const event = delivery.webhookEvent;
  if (event !== 'comment_created' && event !== 'jira:issue_updated') return undefined;
  const comment = pick(delivery.comment, ['id', 'author', 'updateAuthor']);
  const by = accountOf(delivery.user) ?? accountOf(comment?.updateAuthor) ?? accountOf(comment?.author);
  if (by !== connection.partnerAccountId) return undefined;
  const changelog = isRecord(delivery.changelog) ? delivery.changelog : undefined;
  const items = Array.isArray(changelog?.items) ? changelog.items.map((i) => pick(i, ['field', 'fieldId', 'to', 'toString'])) : undefined;
  const named = new Set((items ?? []).flatMap((i) => [i?.fieldId, i?.field]).filter((f): f is string => typeof f === 'string'));
  const fields = isRecord(delivery.issue) && isRecord(delivery.issue.fields) ? delivery.issue.fields : {};
  const out: Record<string, unknown> = {
    ...pick(delivery, ['webhookEvent', 'user', 'issue_event_type_name']),
    ...(comment ? { comment } : {}),
    ...(changelog ? { changelog: { ...pick(changelog, ['author']), items } } : {}),
    ...(named.size ? { issue: { fields: Object.fromEntries(Object.entries(fields).filter(([k]) => named.has(k))) } } : {}),
  };
  return JSON.stringify(out).length <= MAX_ECHO_CANDIDATE_CHARS ? out : undefined;
}
