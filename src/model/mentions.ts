/**
 * Mentions across two sites. A mention node (`{type:'mention', attrs:{id: accountId, text: '@Name'}}`) names an
 * account of its own site. Through the connection's user map (local accountId ↔ partner accountId) a mention of a
 * mapped user is re-pointed to that user's account on the other site, keeping its `text` (or taking the other
 * site's display name when the caller knows it). A mention of a user the map does not know cannot point anywhere
 * on the other site: it becomes plain `@Name` text (see `./portable.ts`). Pure.
 *
 * Notifications: Jira notifies the accounts a write *adds* mentions of (a new issue or comment: every mention; an
 * edit: only mentions the previous text of that field or comment did not have; never the writer), see
 * `sandbox/jira/mentions.ts`. Re-pointing keeps an unchanged mention pointing at the same account on every write,
 * so a sync write notifies a person's account on the other site once, when the mention first reaches it, and an
 * echo or a later edit elsewhere in the text notifies nobody again.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/mention/
 */
import type { AdfDoc, AdfNode } from './adf';

/** accountId on the source site → accountId on the target site (`oneWay(mapping.users, from)`). */
export type UserMap = Readonly<Record<string, string>>;

/** How a mention is carried over: the target's accountIds, and optionally their display names there. */
export interface MentionTarget {
  users: UserMap;
  /** Target accountId → display name on the target site, when known. */
  names?: Readonly<Record<string, string>>;
}

/** `@Name` as a mention shows: the node's `text`, else `@someone`. */
export function mentionText(node: AdfNode): string {
  const name = String(node.attrs?.text ?? '').replace(/^@/, '').trim();
  return `@${name || 'someone'}`;
}

/**
 * The mention as it is written on the other site: re-pointed (`attrs.id` the mapped accountId, `text` the target
 * display name when known, else as it was; other attrs such as `accessLevel`/`localId` kept) when the user is
 * mapped, else `null` (the caller turns it into text).
 */
export function repointMention(node: AdfNode, target: MentionTarget | undefined): AdfNode | null {
  const id = typeof node.attrs?.id === 'string' ? node.attrs.id : undefined;
  const to = id !== undefined ? target?.users[id] : undefined;
  if (to === undefined) return null;
  const name = target?.names?.[to];
  return { ...node, attrs: { ...node.attrs, id: to, ...(name ? { text: `@${name}` } : {}) } };
}

/** The accountIds a document mentions, each once, in document order. */
export function mentionedIds(doc: AdfDoc | AdfNode | null | undefined): string[] {
  const out = new Set<string>();
  const walk = (n: AdfNode): void => {
    if (n.type === 'mention' && typeof n.attrs?.id === 'string' && n.attrs.id) out.add(n.attrs.id);
    n.content?.forEach(walk);
  };
  if (doc) walk(doc as AdfNode);
  return [...out];
}
