/**
 * Comment sync: creates, edits and deletes follow both ways through a comment-id map (`CommentLink`). A mirrored
 * comment starts with an attribution paragraph naming who wrote it and where. Mirrors are recognised by state
 * (author is this side's app account AND the body starts with an attribution), never by timing, so a mirror is never
 * mirrored back even when its link was not saved.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 */
import { p, strong, text } from '@atlaskit/adf-utils/builders';
import { adfHash, canonicalAdf, sameAdf, withLocalIds, writableAdf } from '../model/adf';
import { oneWay, type IdMapPair } from '../model/mapping';
import { jiraTimeMs } from '../model/time';
import { portableAdf } from '../model/portable';
import { startsWithNoticeMarker } from './notify-text'; // notifications
import { keepImagesOf, shownPart, unshownMirrors, withMediaIdsAs, type MediaMap } from '../model/media'; // images
import type { AdfDoc, AdfNode, CommentAction, CommentLink, CommentValue, CommentVisibility, MergeInput, SkippedComment } from '../model/types';

type Side = 'local' | 'partner';
const other = { local: 'partner', partner: 'local' } as const;

/** The text after the author's name in an attribution paragraph: ` wrote on <host>:`. */
const ATTRIBUTION_TAIL = /^ wrote on [^\s:]+:$/;

/** `https://acme.atlassian.net/…` → `acme.atlassian.net`; a bare host is returned as is. */
export function siteHost(site: string): string {
  try {
    return new URL(site).host || site;
  } catch {
    return site;
  }
}

/**
 * The attribution paragraph: `**<authorName>** wrote on <site host>:`. With `source`, the words " wrote on …" link
 * to the original comment (`<site>/browse/<KEY>?focusedCommentId=<id>`, Jira's comment URL): readers can jump to
 * it, and a mirror whose link record was lost is matched to its original by that id.
 */
export function attributionParagraph(authorName: string, site: string, source?: { issueKey: string; commentId: string }): AdfNode {
  const paragraph = p(strong(authorName || 'Someone'), text(` wrote on ${siteHost(site)}:`)) as AdfNode;
  if (source) {
    const base = site.startsWith('http') ? site.replace(/\/+$/, '') : `https://${site}`;
    const href = `${base}/browse/${encodeURIComponent(source.issueKey)}?focusedCommentId=${encodeURIComponent(source.commentId)}`;
    paragraph.content![1].marks = [{ type: 'link', attrs: { href } }];
  }
  return paragraph;
}

/** The id of the original comment a mirror's attribution links to, or undefined (older mirrors have no link). */
export function attributionSourceId(doc: AdfDoc): string | undefined {
  if (!hasAttribution(doc)) return undefined;
  const href = canonicalAdf(doc)!.content[0].content![1].marks?.[0]?.attrs?.href;
  return typeof href === 'string' ? /[?&]focusedCommentId=([^&#]+)/.exec(href)?.[1] : undefined;
}

/** Whether `doc` starts with an attribution paragraph (author name in strong, then ` wrote on <host>:`). */
export function hasAttribution(doc: AdfDoc | null | undefined): boolean {
  const first = canonicalAdf(doc)?.content[0];
  if (first?.type !== 'paragraph' || first.content?.length !== 2) return false;
  const [name, tail] = first.content;
  return (
    name.type === 'text' &&
    name.marks?.length === 1 &&
    name.marks[0].type === 'strong' &&
    tail.type === 'text' &&
    (!tail.marks || (tail.marks.length === 1 && tail.marks[0].type === 'link')) &&
    ATTRIBUTION_TAIL.test(tail.text ?? '')
  );
}

/**
 * The original content of a mirrored comment (attribution paragraph removed); other docs come back normalised:
 * canonical (for comparing), or with `mode: 'write'` in the writable form that keeps `localId`s (`writableAdf`).
 */
export function stripAttribution(doc: AdfDoc, mode: 'compare' | 'write' = 'compare'): AdfDoc {
  const tidy = (mode === 'write' ? writableAdf(doc) : canonicalAdf(doc)) ?? { type: 'doc', version: 1, content: [] };
  if (!hasAttribution(tidy)) return tidy;
  return { type: 'doc', version: 1, content: tidy.content.slice(1) };
}

/** The body to write for a mirror: `attribution` paragraph followed by `content`'s nodes. */
export function withAttribution(attribution: AdfNode, content: AdfDoc): AdfDoc {
  return { type: 'doc', version: 1, content: [structuredClone(attribution), ...structuredClone(content.content)] };
}

/** Inputs of {@link planComments}: current comments on both sides, the stored links, and who/where the app is. */
export interface CommentPlanInput {
  local: CommentValue[];
  partner: CommentValue[];
  links: CommentLink[];
  /** accountId the app writes comments as, per side (local: the app user; partner: the API-token user). */
  appAccountIds: { local: string; partner: string };
  /** Site base URLs or hosts, used in attribution (`wrote on acme.atlassian.net:`). */
  sites: { local: string; partner: string };
  /** Issue keys of the pair; when given, a mirror's attribution links to its original comment. */
  issueKeys?: { local: string; partner: string };
  /**
   * Mirror comments restricted to a project role, keeping the restriction on the other side (the project setting
   * "mirror role-restricted comments"; off by default). Group-restricted comments are never mirrored.
   */
  mirrorRoleRestricted?: boolean;
  /** {@link skipKey}s of comments already found unmirrorable (e.g. the other side refused the role): not retried. */
  knownSkipped?: ReadonlySet<string>;
  /** The connection's user map: mentions of mapped users are re-pointed in what is written; others become text. */
  users?: IdMapPair;
  /**
   * images: the run's media maps per source side (source media file id → its mirror's, from the link's attachment
   * pairs, see `mediaMaps`): an embedded image of a mirrored file is written pointing at the mirror, others as text.
   */
  media?: MergeInput['media'];
}

/** Stable key of a skipped comment: side, id and restriction (a changed restriction is looked at again). */
export function skipKey(side: Side, id: string, v: CommentVisibility): string {
  return `${side}:${id}:${v.type}:${v.value}`;
}

/** `role Developers` / `group jira-administrators`: how the sync log names a restriction. */
export function describeVisibility(v: CommentVisibility): string {
  return `${v.type} ${v.value}`;
}

/** Result of {@link planComments}. */
export interface CommentPlan {
  actions: CommentAction[];
  /**
   * Links as they will be after the actions succeed. A link for a `create` has `''` as the id on the target side:
   * fill it with {@link fillCreatedCommentId} once Jira returns the new comment's id.
   */
  nextLinks: CommentLink[];
  /** Links dropped because the comment is gone on both sides, or deleted on one side (the other is deleted too). */
  droppedLinks: CommentLink[];
  /** Restricted originals left unmirrored (a mirror made before the restriction is deleted). */
  skipped: SkippedComment[];
}

/**
 * Plans comment sync:
 * - a comment not in `links` and not a mirror → `create` on the other side, with attribution (linking to the
 *   original when `issueKeys` is given); an unlinked mirror whose original is found (by the id its attribution links
 *   to, else unlinked with the same content) gets its link back instead, and an update if the original changed;
 * - linked, changed on one side (content hash differs from the link's) → `update` the other side; changed on both
 *   → the later `updated` wins (tie → local); equal content on both → nothing;
 * - linked, missing on one side → `delete` on the other; missing on both → the link is dropped.
 * Restricted comments (Jira `visibility`) never leave their site: an original restricted to a group, or to a role
 * without `mirrorRoleRestricted`, is `skipped` (listed, never created); an original that became restricted after it
 * was mirrored has its mirror deleted (an admin who restricts a comment expects the other company to lose sight of
 * it, as its own users did), and is listed as skipped. A mirror that someone restricted on its own site is left
 * alone (nothing leaks; edits of the original no longer reach it). With `mirrorRoleRestricted`, a role-restricted
 * comment is mirrored with the same role, and a change of its restriction follows like an edit.
 * Hashes are of content without attribution (plus the restriction, when there is one), so our own update coming back
 * is not a change.
 * Images (`media`): an embedded image whose file is mirrored is written pointing at the mirror, else as
 * `[attachment: name]`; a mirror written as text before its file was mirrored is rewritten once it is (an `update`
 * with the same hashes), unless someone edited the mirror since.
 */
export function planComments(input: CommentPlanInput): CommentPlan {
  // notifications: the app's own internal notices (its account as author, the notice marker first) stay on their
  // site: never mirrored, never listed as skipped.
  const notice = (c: CommentValue, side: Side) => c.authorAccountId === input.appAccountIds[side] && startsWithNoticeMarker(c.body);
  input = { ...input, local: input.local.filter((c) => !notice(c, 'local')), partner: input.partner.filter((c) => !notice(c, 'partner')) };
  const byId = {
    local: new Map(input.local.map((c) => [c.id, c])),
    partner: new Map(input.partner.map((c) => [c.id, c])),
  };
  const isMirror = (c: CommentValue, side: Side) => c.authorAccountId === input.appAccountIds[side] && hasAttribution(c.body);
  const original = (c: CommentValue, side: Side) => (isMirror(c, side) ? stripAttribution(c.body, 'write') : c.body);
  // Hashes are of a side-neutral form (every mention as `@Name` text, attachments as text), so they match across
  // the pair (a re-pointed mention names another account) and stay what links stored before mentions were mapped.
  // images: a partner file's media id is read as its local mirror's, so an image named by id alone (no `alt`) hashes
  // alike on both sides.
  const neutral = (c: CommentValue, side: Side) => canonicalBody(portableAdf(side === 'partner' ? withMediaIdsAs(original(c, side), input.media?.partner) : original(c, side)));
  // What is written on the other side: mentions re-pointed through the user map, images of mirrored files pointing
  // at the mirrors (images), task/decision `localId`s kept.
  const content = (c: CommentValue, side: Side, media: MediaMap | undefined = input.media?.[side]) =>
    withLocalIds(writableAdf(portableAdf(original(c, side), { users: oneWay(input.users, side), media }))) ?? { type: 'doc', version: 1, content: [] };
  const hash = (c: CommentValue, side: Side) => adfHash(neutral(c, side)) + (c.visibility ? `|${c.visibility.type}:${c.visibility.value}` : '');
  const mirrorable = (c: CommentValue) => !c.visibility || (!!input.mirrorRoleRestricted && c.visibility.type === 'role');
  const skipped: SkippedComment[] = [];
  const skip = (c: CommentValue, side: Side, reason: string) => skipped.push({ side, id: c.id, visibility: c.visibility!, reason });
  const restrictedReason = (v: CommentVisibility) =>
    v.type === 'group' || !input.mirrorRoleRestricted
      ? `it is visible only to ${describeVisibility(v)}; restricted comments stay on their site`
      : `it is visible only to ${describeVisibility(v)}`;
  const idOf = (l: CommentLink, side: Side) => (side === 'local' ? l.localId : l.partnerId);

  const actions: CommentAction[] = [];
  const nextLinks: CommentLink[] = [];
  const droppedLinks: CommentLink[] = [];
  const linked = { local: new Set<string>(), partner: new Set<string>() };

  /** Body for writing `source`'s content over `target` (a mirror keeps its attribution; an original gets none). */
  const bodyFor = (source: CommentValue, from: Side, target: CommentValue, to: Side): AdfDoc => {
    const body = content(source, from);
    // images: an edit of a mirror that shows the original's images as text keeps the original's images.
    if (!isMirror(target, to)) return keepImagesOf(body, writableAdf(target.body));
    const attribution = writableAdf(target.body)!.content[0];
    return withAttribution(attribution, body);
  };

  // images: a mirror written while files its original embeds were not mirrored yet reads `[attachment: name]`; once
  // they are, it is rewritten once to show them. Only a mirror that is exactly what was written then (a person's edit
  // of it is left alone); its hash does not change (files are named side-neutrally), so this is no edit to follow.
  const repointMirror = (l: CommentValue, pc: CommentValue): CommentAction | undefined => {
    const mirrorSide: Side | undefined = isMirror(pc, 'partner') ? 'partner' : isMirror(l, 'local') ? 'local' : undefined;
    if (!mirrorSide) return undefined;
    const from = other[mirrorSide];
    const [source, mirror] = from === 'local' ? [l, pc] : [pc, l];
    const map = input.media?.[from];
    const shown = stripAttribution(mirror.body, 'write');
    if (!map || !unshownMirrors(original(source, from), shown, map).length) return undefined;
    if (!sameAdf(content(source, from, shownPart(map, shown)), shown)) return undefined;
    return { kind: 'update', target: mirrorSide, targetId: mirror.id, sourceId: source.id, body: bodyFor(source, from, mirror, mirrorSide) };
  };

  for (const link of input.links) {
    // A link still waiting for its created comment's id says nothing yet; the mirror re-link below covers it.
    if (link.localId === '' || link.partnerId === '') continue;
    linked.local.add(link.localId);
    linked.partner.add(link.partnerId);
    const l = byId.local.get(link.localId);
    const pc = byId.partner.get(link.partnerId);
    if (!l && !pc) {
      droppedLinks.push(link);
      continue;
    }
    if (!l || !pc) {
      const gone: Side = l ? 'partner' : 'local';
      const still = other[gone];
      actions.push({ kind: 'delete', target: still, targetId: idOf(link, still), sourceId: idOf(link, gone) });
      droppedLinks.push(link);
      continue;
    }
    const blocked = !mirrorable(l) ? { c: l, side: 'local' as Side } : !mirrorable(pc) ? { c: pc, side: 'partner' as Side } : undefined;
    if (blocked) {
      if (isMirror(blocked.c, blocked.side)) {
        // Restricted on its own site by someone there: nothing leaks, so leave it (and the link) as it is.
        nextLinks.push(link);
        continue;
      }
      const mirrorSide = other[blocked.side];
      const mirror = mirrorSide === 'local' ? l : pc;
      if (isMirror(mirror, mirrorSide)) actions.push({ kind: 'delete', target: mirrorSide, targetId: mirror.id, sourceId: blocked.c.id });
      droppedLinks.push(link);
      skip(blocked.c, blocked.side, `${restrictedReason(blocked.c.visibility!)}; its copy on the other site was deleted`);
      continue;
    }
    const lh = hash(l, 'local');
    const ph = hash(pc, 'partner');
    const localChanged = lh !== link.localHash;
    const partnerChanged = ph !== link.partnerHash;
    if (lh === ph || (!localChanged && !partnerChanged)) {
      const repoint = repointMirror(l, pc); // images
      if (repoint) actions.push(repoint);
      nextLinks.push({ ...link, localHash: lh, partnerHash: ph });
      continue;
    }
    const winner: Side =
      localChanged && partnerChanged
        ? jiraTimeMs(pc.updated) > jiraTimeMs(l.updated)
          ? 'partner'
          : 'local'
        : localChanged
          ? 'local'
          : 'partner';
    const [source, target] = winner === 'local' ? [l, pc] : [pc, l];
    const to = other[winner];
    const visibility = source.visibility ?? (target.visibility ? null : undefined);
    actions.push({ kind: 'update', target: to, targetId: target.id, sourceId: source.id, body: bodyFor(source, winner, target, to), ...(visibility === undefined ? {} : { visibility }) });
    const h = winner === 'local' ? lh : ph;
    nextLinks.push({ ...link, localHash: h, partnerHash: h });
  }

  const unlinked = (side: Side) =>
    [...byId[side].values()]
      .filter((c) => !linked[side].has(c.id))
      .sort((a, b) => jiraTimeMs(a.created) - jiraTimeMs(b.created));

  // Mirrors first: one whose link was lost (the app stopped between writing it and saving the link) is re-linked to
  // its original — by the comment id its attribution links to, else by equal content — so the original is not
  // mirrored a second time. If the original changed since, the mirror is updated now. Never mirrored back.
  for (const side of ['local', 'partner'] as const) {
    const to = other[side];
    for (const c of unlinked(side)) {
      if (!isMirror(c, side)) continue;
      const h = hash(c, side);
      const sourceId = attributionSourceId(c.body);
      const original = unlinked(to).find((o) => !isMirror(o, to) && (sourceId ? o.id === sourceId : hash(o, to) === h));
      if (!original) continue;
      linked[side].add(c.id);
      linked[to].add(original.id);
      if (!mirrorable(original)) {
        actions.push({ kind: 'delete', target: side, targetId: c.id, sourceId: original.id });
        skip(original, to, `${restrictedReason(original.visibility!)}; its copy on the other site was deleted`);
        continue;
      }
      const pair = side === 'local' ? { localId: c.id, partnerId: original.id } : { localId: original.id, partnerId: c.id };
      const oh = hash(original, to);
      const visibility = original.visibility ?? (c.visibility ? null : undefined);
      if (oh !== h) actions.push({ kind: 'update', target: side, targetId: c.id, sourceId: original.id, body: bodyFor(original, to, c, side), ...(visibility === undefined ? {} : { visibility }) });
      nextLinks.push({ ...pair, localHash: oh, partnerHash: oh });
    }
  }

  for (const side of ['local', 'partner'] as const) {
    const to = other[side];
    for (const c of unlinked(side)) {
      if (isMirror(c, side)) continue;
      if (!mirrorable(c)) {
        skip(c, side, restrictedReason(c.visibility!));
        continue;
      }
      // Mirrorable, but the other site refused this restriction before: wait until it changes.
      if (c.visibility && input.knownSkipped?.has(skipKey(side, c.id, c.visibility))) continue;
      const h = hash(c, side);
      const source = input.issueKeys && { issueKey: input.issueKeys[side], commentId: c.id };
      const body = withAttribution(attributionParagraph(c.authorName, input.sites[side], source), content(c, side));
      actions.push({ kind: 'create', target: to, sourceId: c.id, body, ...(c.visibility ? { visibility: c.visibility } : {}) });
      const pair = side === 'local' ? { localId: c.id, partnerId: '' } : { localId: '', partnerId: c.id };
      nextLinks.push({ ...pair, localHash: h, partnerHash: h });
    }
  }
  return { actions, nextLinks, droppedLinks, skipped };
}

/** Canonical body of an original (non-mirror) comment; an empty body is an empty doc. */
function canonicalBody(doc: AdfDoc): AdfDoc {
  return canonicalAdf(doc) ?? { type: 'doc', version: 1, content: [] };
}

/**
 * Fills the id of a comment the caller just created (from a `create` action) into `links`: the link whose source
 * side holds `sourceId` and whose `target` side is still `''`. Returns a new array; unknown source → unchanged.
 */
export function fillCreatedCommentId(links: CommentLink[], target: Side, sourceId: string, createdId: string): CommentLink[] {
  return links.map((l) => {
    if (target === 'partner' && l.localId === sourceId && l.partnerId === '') return { ...l, partnerId: createdId };
    if (target === 'local' && l.partnerId === sourceId && l.localId === '') return { ...l, localId: createdId };
    return l;
  });
}
