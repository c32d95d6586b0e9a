/**
 * Worklog sync planning (pure): time logged on one issue is mirrored on the other through the link's worklog-id map,
 * the same map comments use (`CommentLink`: ids and each side's content hash). A mirror carries the time spent, the
 * started time and the comment (ADF, through the same side-neutral conversion as comments: mentions re-pointed
 * through the user map, attachments as text), and starts with an attribution paragraph: "Logged by **Ann** on
 * partner.atlassian.net:" — the words "on <host>" link to the original worklog, and the name is a mention of the
 * person's account on the mirror's site when the user map maps them. Mirrors are recognised by state (author is this
 * side's app account AND the comment starts with a worklog attribution), never by timing, so a mirror is never
 * mirrored back, even when its link was lost.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/
 */
import { strong, text } from '@atlaskit/adf-utils/builders';
import { adfHash, canonicalAdf, withLocalIds, writableAdf } from '../model/adf';
import { oneWay, type IdMapPair } from '../model/mapping';
import { portableAdf } from '../model/portable';
import { jiraTimeMs } from '../model/time';
import type { AdfDoc, AdfNode, CommentLink } from '../model/types';
import { siteHost } from './comments';

type Side = 'local' | 'partner';
const other = { local: 'partner', partner: 'local' } as const;
const EMPTY: AdfDoc = { type: 'doc', version: 1, content: [] };

/** A worklog as the planner sees it. */
export interface WorklogValue {
  id: string;
  authorAccountId: string;
  authorName: string;
  comment: AdfDoc | null;
  /** Jira's `2021-01-17T12:34:00.000+0000`. */
  started: string;
  timeSpentSeconds: number;
  /** ISO-8601 with offset: which edit is newer when both sides changed. */
  updated: string;
  /** Restricted to a group or project role (Jira `visibility`): never leaves its site. */
  restricted?: boolean;
}

/** What to write: the worklog's time, start and full comment (attribution included for a mirror). */
export interface WorklogContent {
  timeSpentSeconds: number;
  started: string;
  comment: AdfDoc;
}

/** One write of a plan. */
export type WorklogAction =
  | { kind: 'create'; target: Side; sourceId: string; worklog: WorklogContent }
  | { kind: 'update'; target: Side; targetId: string; sourceId: string; worklog: WorklogContent }
  | { kind: 'delete'; target: Side; targetId: string; sourceId: string };

/** Inputs of {@link planWorklogs}. */
export interface WorklogPlanInput {
  local: WorklogValue[];
  partner: WorklogValue[];
  links: CommentLink[];
  /** accountId the app writes as, per side (local: the app user; partner: the API-token user). */
  appAccountIds: { local: string; partner: string };
  /** Site base URLs (`https://acme.atlassian.net`), for attribution. */
  sites: { local: string; partner: string };
  /** Issue keys of the pair: the attribution links to the original worklog. */
  issueKeys: { local: string; partner: string };
  /** The connection's user map: the author and mentions of mapped users point to their account on the other site. */
  users?: IdMapPair;
}

/** Result of {@link planWorklogs}: the writes, and the links as they will be once they succeed. */
export interface WorklogPlan {
  actions: WorklogAction[];
  /** A link for a `create` has `''` on the target side until the new worklog's id is known (`fillCreatedCommentId`). */
  nextLinks: CommentLink[];
  droppedLinks: CommentLink[];
}

/** Jira's worklog URL: `<site>/browse/<KEY>?focusedWorklogId=<id>`. */
export function worklogUrl(site: string, issueKey: string, worklogId: string): string {
  const base = site.startsWith('http') ? site.replace(/\/+$/, '') : `https://${site}`;
  return `${base}/browse/${encodeURIComponent(issueKey)}?focusedWorklogId=${encodeURIComponent(worklogId)}`;
}

/**
 * The attribution paragraph of a mirror: `Logged by <who> on <host>:`, `<who>` a mention of `mappedAccountId`
 * when given (the person's own account on the mirror's site), else their name in bold; " on <host>" links to the
 * original.
 */
export function worklogAttribution(author: { name: string; mappedAccountId?: string }, site: string, source: { issueKey: string; worklogId: string }): AdfNode {
  const name = author.name || 'Someone';
  const who: AdfNode = author.mappedAccountId ? { type: 'mention', attrs: { id: author.mappedAccountId, text: `@${name}` } } : (strong(name) as AdfNode);
  const tail = text(` on ${siteHost(site)}:`) as AdfNode;
  tail.marks = [{ type: 'link', attrs: { href: worklogUrl(site, source.issueKey, source.worklogId) } }];
  return { type: 'paragraph', content: [text('Logged by ') as AdfNode, who, tail] };
}

/** Whether `doc` starts with a worklog attribution paragraph (see {@link worklogAttribution}). */
export function hasWorklogAttribution(doc: AdfDoc | null | undefined): boolean {
  const first = canonicalAdf(doc)?.content[0];
  if (first?.type !== 'paragraph' || first.content?.length !== 3) return false;
  const [lead, who, tail] = first.content;
  const named = who.type === 'mention' || (who.type === 'text' && who.marks?.length === 1 && who.marks[0].type === 'strong');
  return lead.type === 'text' && lead.text === 'Logged by ' && !lead.marks?.length && named && tail.type === 'text' && /^ on [^\s:]+:$/.test(tail.text ?? '');
}

/** The id of the original worklog a mirror's attribution links to, or undefined. */
export function worklogSourceId(doc: AdfDoc | null | undefined): string | undefined {
  if (!hasWorklogAttribution(doc)) return undefined;
  const href = canonicalAdf(doc)!.content[0].content![2].marks?.find((m) => m.type === 'link')?.attrs?.href;
  return typeof href === 'string' ? /[?&]focusedWorklogId=([^&#]+)/.exec(href)?.[1] : undefined;
}

/**
 * Plans worklog sync:
 * - a worklog not in `links` and not a mirror → `create` on the other side, with attribution; an unlinked mirror
 *   whose original is found (by the id its attribution links to) gets its link back (and an update if it differs);
 * - linked, changed on one side (hash of seconds, started instant and neutral comment differs from the link's) →
 *   `update` the other side; changed on both → the later `updated` wins (tie → local);
 * - linked, missing on one side → `delete` on the other; missing on both → the link is dropped.
 * Hashes leave the attribution out, so the app's own write read back is not a change (echo-safe by state).
 * A worklog restricted to a group or role (Jira `visibility`) is never copied; one restricted after it was copied
 * has its copy deleted.
 */
export function planWorklogs(input: WorklogPlanInput): WorklogPlan {
  const byId = { local: new Map(input.local.map((w) => [w.id, w])), partner: new Map(input.partner.map((w) => [w.id, w])) };
  const isMirror = (w: WorklogValue, side: Side) => w.authorAccountId === input.appAccountIds[side] && hasWorklogAttribution(w.comment);
  const original = (w: WorklogValue, side: Side): AdfDoc => {
    const doc = (isMirror(w, side) ? writableAdf(w.comment) : w.comment && writableAdf(w.comment)) ?? EMPTY;
    return isMirror(w, side) ? { type: 'doc', version: 1, content: doc.content.slice(1) } : doc;
  };
  const hash = (w: WorklogValue, side: Side) =>
    `${w.timeSpentSeconds}|${jiraTimeMs(w.started)}|${adfHash(canonicalAdf(portableAdf(original(w, side))) ?? EMPTY)}`;
  const content = (w: WorklogValue, side: Side): AdfDoc => withLocalIds(writableAdf(portableAdf(original(w, side), { users: oneWay(input.users, side) }))) ?? EMPTY;
  const write = (w: WorklogValue, comment: AdfDoc): WorklogContent => ({ timeSpentSeconds: w.timeSpentSeconds, started: w.started, comment });
  /** A mirror keeps its attribution paragraph when its content is rewritten. */
  const over = (source: WorklogValue, from: Side, target: WorklogValue, to: Side): WorklogContent => {
    const body = content(source, from);
    return write(source, isMirror(target, to) ? { ...body, content: [writableAdf(target.comment)!.content[0], ...body.content] } : body);
  };

  const actions: WorklogAction[] = [];
  const nextLinks: CommentLink[] = [];
  const droppedLinks: CommentLink[] = [];
  const linked = { local: new Set<string>(), partner: new Set<string>() };
  for (const link of input.links) {
    if (link.localId === '' || link.partnerId === '') continue;
    linked.local.add(link.localId);
    linked.partner.add(link.partnerId);
    const l = byId.local.get(link.localId);
    const pw = byId.partner.get(link.partnerId);
    if (!l || !pw) {
      if (l || pw) {
        const still: Side = l ? 'local' : 'partner';
        const id = (s: Side) => (s === 'local' ? link.localId : link.partnerId);
        actions.push({ kind: 'delete', target: still, targetId: id(still), sourceId: id(other[still]) });
      }
      droppedLinks.push(link);
      continue;
    }
    // Restricted after it was copied: the other company loses sight of it, as people outside the role did.
    const closed = l.restricted && !isMirror(l, 'local') ? 'local' : pw.restricted && !isMirror(pw, 'partner') ? 'partner' : undefined;
    if (closed) {
      const copy = other[closed];
      actions.push({ kind: 'delete', target: copy, targetId: copy === 'local' ? l.id : pw.id, sourceId: closed === 'local' ? l.id : pw.id });
      droppedLinks.push(link);
      continue;
    }
    const lh = hash(l, 'local');
    const ph = hash(pw, 'partner');
    const localChanged = lh !== link.localHash;
    const partnerChanged = ph !== link.partnerHash;
    if (lh === ph || (!localChanged && !partnerChanged)) {
      nextLinks.push({ ...link, localHash: lh, partnerHash: ph });
      continue;
    }
    const winner: Side = localChanged && partnerChanged ? (jiraTimeMs(pw.updated) > jiraTimeMs(l.updated) ? 'partner' : 'local') : localChanged ? 'local' : 'partner';
    const [source, target] = winner === 'local' ? [l, pw] : [pw, l];
    actions.push({ kind: 'update', target: other[winner], targetId: target.id, sourceId: source.id, worklog: over(source, winner, target, other[winner]) });
    const h = winner === 'local' ? lh : ph;
    nextLinks.push({ ...link, localHash: h, partnerHash: h });
  }

  const unlinked = (side: Side) => [...byId[side].values()].filter((w) => !linked[side].has(w.id));
  // A mirror whose link was lost (the job stopped between writing it and saving the link) is re-linked to its original.
  for (const side of ['local', 'partner'] as const) {
    const to = other[side];
    for (const w of unlinked(side)) {
      const sourceId = isMirror(w, side) ? worklogSourceId(w.comment) : undefined;
      const orig = sourceId ? byId[to].get(sourceId) : undefined;
      if (!orig || linked[to].has(orig.id) || isMirror(orig, to)) continue;
      linked[side].add(w.id);
      linked[to].add(orig.id);
      const oh = hash(orig, to);
      if (oh !== hash(w, side)) actions.push({ kind: 'update', target: side, targetId: w.id, sourceId: orig.id, worklog: over(orig, to, w, side) });
      nextLinks.push({ ...(side === 'local' ? { localId: w.id, partnerId: orig.id } : { localId: orig.id, partnerId: w.id }), localHash: oh, partnerHash: oh });
    }
  }
  for (const side of ['local', 'partner'] as const) {
    const to = other[side];
    for (const w of unlinked(side)) {
      if (linked[side].has(w.id) || isMirror(w, side) || w.restricted) continue; // restricted worklogs stay on their site
      const mapped = oneWay(input.users, side)[w.authorAccountId];
      const attribution = worklogAttribution({ name: w.authorName, mappedAccountId: mapped }, input.sites[side], { issueKey: input.issueKeys[side], worklogId: w.id });
      const body = content(w, side);
      actions.push({ kind: 'create', target: to, sourceId: w.id, worklog: write(w, { ...body, content: [attribution, ...body.content] }) });
      const h = hash(w, side);
      nextLinks.push({ ...(side === 'local' ? { localId: w.id, partnerId: '' } : { localId: '', partnerId: w.id }), localHash: h, partnerHash: h });
    }
  }
  return { actions, nextLinks, droppedLinks };
}
