/**
 * Pure planning of issue-link mirroring for one synced issue (issue 12): a link between two issues that are both
 * synced through the same connection is mirrored with the mapped link type, in the same direction; deletes
 * follow through the id map; a link with only one end synced is not mirrored (and said so). I/O is in
 * `./issue-link-sync.ts`.
 * @see https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/
 */
import type { IdMapPair } from '../model/mapping';
import { linkTypesInForce } from '../model/link-types'; // link types: one by-name rule for the sync and the editor

/**
 * One entry of an issue's `issuelinks`, seen from that issue: `outward` when this issue is the source ("this
 * blocks other", Jira names the other under `outwardIssue`), `inward` when it is the destination.
 */
export interface SeenLink {
  id: string;
  typeId: string;
  typeName: string;
  direction: 'outward' | 'inward';
  otherId: string;
  otherKey: string;
}

/** Reads `fields.issuelinks` of a REST issue into {@link SeenLink}s (entries without a type or issue are skipped). */
export function seenLinks(fields: Record<string, unknown>): SeenLink[] {
  const raw = Array.isArray(fields.issuelinks) ? (fields.issuelinks as Array<Record<string, any>>) : [];
  const out: SeenLink[] = [];
  for (const l of raw) {
    const other = l.outwardIssue ?? l.inwardIssue;
    if (!l.id || !l.type?.id || !other?.id) continue;
    out.push({ id: String(l.id), typeId: String(l.type.id), typeName: String(l.type.name ?? l.type.id), direction: l.outwardIssue ? 'outward' : 'inward', otherId: String(other.id), otherKey: String(other.key ?? other.id) });
  }
  return out;
}

/** A link type of a site. */
export type { LinkTypeRef } from '../model/link-types';

/** The link-type map: the mapping's own when it has one, else the types of the same name (case-insensitive). */
export const linkTypeMap = linkTypesInForce;

/** A link to make on one side: `source <type> destination` by issue id. */
export interface LinkWrite {
  typeId: string;
  sourceId: string;
  destinationId: string;
}

/** What mirroring one issue's links does. */
export interface LinkPlan {
  createOnPartner: LinkWrite[];
  createOnLocal: LinkWrite[];
  deleteOnPartner: string[];
  deleteOnLocal: string[];
  /** The id map after the writes (links made in this run are paired once read back). */
  pairs: Array<{ localId: string; partnerId: string }>;
  /** Local links with only one end synced, or no link type to map to: words for the panel and log. */
  notMirrored: Array<{ localId: string; text: string }>;
}

/**
 * Plans one issue's links.
 * @param input.local / input.partner the links of the local issue and of its partner copy
 * @param input.ids this issue's ids on both sides
 * @param input.pairs the stored id map
 * @param input.partnerOf the partner copy of a local issue id (undefined = not synced through this connection);
 *   `localOf` the other way round
 * @param input.types the link-type map ({@link linkTypeMap})
 */
export function planIssueLinks(input: {
  local: SeenLink[];
  partner: SeenLink[];
  ids: { local: string; partner: string };
  pairs: Array<{ localId: string; partnerId: string }>;
  partnerOf: (localIssueId: string) => string | undefined;
  localOf: (partnerIssueId: string) => string | undefined;
  types: IdMapPair;
}): LinkPlan {
  const plan: LinkPlan = { createOnPartner: [], createOnLocal: [], deleteOnPartner: [], deleteOnLocal: [], pairs: [], notMirrored: [] };
  const localIds = new Set(input.local.map((l) => l.id));
  const partnerIds = new Set(input.partner.map((l) => l.id));
  for (const p of input.pairs) {
    const l = localIds.has(p.localId);
    const r = partnerIds.has(p.partnerId);
    if (l && r) plan.pairs.push(p);
    else if (l) plan.deleteOnLocal.push(p.localId);
    else if (r) plan.deleteOnPartner.push(p.partnerId);
  }
  const pairedLocal = new Set(input.pairs.map((p) => p.localId));
  const pairedPartner = new Set(input.pairs.map((p) => p.partnerId));
  const write = (self: string, other: string, typeId: string, direction: SeenLink['direction']): LinkWrite =>
    direction === 'outward' ? { typeId, sourceId: self, destinationId: other } : { typeId, sourceId: other, destinationId: self };

  for (const l of input.local.filter((x) => !pairedLocal.has(x.id))) {
    const other = input.partnerOf(l.otherId);
    const typeId = input.types.toPartner[l.typeId];
    if (other === undefined) {
      plan.notMirrored.push({ localId: l.id, text: `${l.typeName} ${l.otherKey}: not mirrored, ${l.otherKey} is not synced` });
      continue;
    }
    if (!typeId) {
      plan.notMirrored.push({ localId: l.id, text: `${l.typeName} ${l.otherKey}: not mirrored, no partner link type is mapped for ${l.typeName}` });
      continue;
    }
    const twin = input.partner.find((p) => !pairedPartner.has(p.id) && p.typeId === typeId && p.direction === l.direction && p.otherId === other);
    if (twin) {
      plan.pairs.push({ localId: l.id, partnerId: twin.id });
      pairedPartner.add(twin.id);
    } else plan.createOnPartner.push(write(input.ids.partner, other, typeId, l.direction));
  }
  const pairedNow = new Set(plan.pairs.map((p) => p.localId));
  for (const p of input.partner.filter((x) => !pairedPartner.has(x.id))) {
    const other = input.localOf(p.otherId);
    const typeId = input.types.toLocal[p.typeId];
    if (other === undefined || !typeId) continue;
    const twin = input.local.find((l) => !pairedLocal.has(l.id) && !pairedNow.has(l.id) && l.typeId === typeId && l.direction === p.direction && l.otherId === other);
    if (twin) continue; // paired (or being created) by the loop above
    plan.createOnLocal.push(write(input.ids.local, other, typeId, p.direction));
  }
  return plan;
}
