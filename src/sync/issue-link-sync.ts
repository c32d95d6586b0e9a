/**
 * Mirrors the issue links of one synced issue (issue 12), run by the sync job next to the comments: reads the
 * `issuelinks` both issues came with, plans with {@link planIssueLinks}, writes the creates and deletes, and reads
 * back the new links' ids for the id map (Jira's `POST /issueLink` answers without a body). Both ends of a link
 * may run at once: Jira makes no second identical link, and deleting a link already gone is fine, so the ends
 * cannot duplicate or resurrect one. Without `issuelinks` in a read nothing is planned (never "all deleted").
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/
 */
import type { JiraIssue, JiraSite } from '../jira/site';
import type { LinkRecord } from '../model/link';
import type { IdMapPair } from '../model/mapping'; // link types
import { linkTypeMap, planIssueLinks, seenLinks, type LinkPlan, type SeenLink } from './issue-link-plan';
import type { ConnectionPorts } from './ports';

/** What the job stores and says after the links were mirrored. */
export interface IssueLinkResult {
  pairs: Array<{ localId: string; partnerId: string }>;
  /** Sync-log words for what was written (empty when nothing was). */
  notes: string[];
}

/** The partner copy of each local issue id (undefined = not synced through this connection). */
export async function partnerCopies(ports: ConnectionPorts, localIds: string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  for (const id of new Set(localIds)) {
    const l = await ports.links.get(id);
    out.set(id, l && l.connectionId === ports.connection.id && l.state !== 'broken' ? l.partnerIssueId : undefined);
  }
  return out;
}

/** The local issue id of each partner issue id synced through this connection. */
export async function localCopies(ports: ConnectionPorts, partnerIds: string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  for (const id of new Set(partnerIds)) {
    const localId = await ports.links.findByPartner(id);
    const l = localId ? await ports.links.get(localId) : undefined;
    out.set(id, l && l.connectionId === ports.connection.id && l.state !== 'broken' ? l.localIssueId : undefined);
  }
  return out;
}

/** link types: the connection's saved link-type map, or (none saved) the types of the same name, read from both sites. */
async function typesInForce(ports: ConnectionPorts): Promise<IdMapPair> {
  const mapped = ports.connection.mapping.linkTypes;
  return mapped ?? linkTypeMap(undefined, await ports.local.getIssueLinkTypes(), await ports.partner.getIssueLinkTypes());
}

async function plan(ports: ConnectionPorts, link: LinkRecord, local: SeenLink[], partner: SeenLink[], pairs: LinkRecord['issueLinks'] & object): Promise<LinkPlan> {
  const [toPartner, toLocal] = await Promise.all([partnerCopies(ports, local.map((l) => l.otherId)), localCopies(ports, partner.map((l) => l.otherId))]);
  const needsTypes = local.some((l) => toPartner.get(l.otherId)) || partner.some((l) => toLocal.get(l.otherId));
  const types = needsTypes ? await typesInForce(ports) : { toPartner: {}, toLocal: {} };
  return planIssueLinks({
    local,
    partner,
    ids: { local: link.localIssueId, partner: link.partnerIssueId },
    pairs,
    partnerOf: (id) => toPartner.get(id),
    localOf: (id) => toLocal.get(id),
    types,
  });
}

async function reread(site: JiraSite, id: string): Promise<SeenLink[]> {
  return seenLinks((await site.getIssue(id, ['issuelinks'])).fields);
}

/**
 * Mirrors the links of `link`'s two issues.
 * @throws SyncError when a site fails (retryable ones make the job retry; the id map is only saved on success)
 */
export async function applyIssueLinks(ports: ConnectionPorts, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }): Promise<IssueLinkResult> {
  const pairs = link.issueLinks ?? [];
  if (!Array.isArray(issues.local.fields.issuelinks) || !Array.isArray(issues.partner.fields.issuelinks)) return { pairs, notes: [] };
  let local = seenLinks(issues.local.fields);
  let partner = seenLinks(issues.partner.fields);
  const first = await plan(ports, link, local, partner, pairs);
  for (const id of first.deleteOnPartner) await ports.partner.deleteIssueLink(id);
  for (const id of first.deleteOnLocal) await ports.local.deleteIssueLink(id);
  for (const w of first.createOnPartner) await ports.partner.createIssueLink(w.typeId, w.sourceId, w.destinationId);
  for (const w of first.createOnLocal) await ports.local.createIssueLink(w.typeId, w.sourceId, w.destinationId);
  const notes: string[] = [];
  const made = first.createOnPartner.length + first.createOnLocal.length;
  const removed = first.deleteOnPartner.length + first.deleteOnLocal.length;
  if (made) notes.push(`Mirrored ${made} issue link${made === 1 ? '' : 's'}.`);
  if (removed) notes.push(`Removed ${removed} mirrored issue link${removed === 1 ? '' : 's'} whose original was deleted.`);
  if (!made) return { pairs: first.pairs, notes };
  // Read back what was made, so its id joins the map (the second plan only pairs: every twin now exists).
  if (first.createOnPartner.length) partner = await reread(ports.partner, link.partnerIssueId);
  if (first.createOnLocal.length) local = await reread(ports.local, link.localIssueId);
  const second = await plan(ports, link, local, partner, first.pairs);
  return { pairs: second.pairs, notes };
}

/**
 * A local issue's links as the panel shows them: each with whether it is mirrored, and if not, why in words
 * ("Blocks ALOY-9: not mirrored, ALOY-9 is not synced").
 */
export async function describeIssueLinks(ports: ConnectionPorts, link: LinkRecord | undefined, localFields: Record<string, unknown>): Promise<Array<{ id: string; text: string; mirrored: boolean }>> {
  const local = seenLinks(localFields);
  const paired = new Set((link?.issueLinks ?? []).map((p) => p.localId));
  const copies = await partnerCopies(ports, local.map((l) => l.otherId));
  const types = link && local.some((l) => !paired.has(l.id) && copies.get(l.otherId)) ? await typesInForce(ports) : undefined; // link types
  return local.map((l) => {
    if (paired.has(l.id)) return { id: l.id, text: `${l.typeName} ${l.otherKey}: mirrored`, mirrored: true };
    if (!link || !copies.get(l.otherId)) {
      const unsynced = !link ? 'this issue is not synced' : `${l.otherKey} is not synced`;
      return { id: l.id, text: `${l.typeName} ${l.otherKey}: not mirrored, ${unsynced}`, mirrored: false };
    }
    // link types: a type the link-type map leaves out is never mirrored, so "yet" would be a promise not kept.
    if (!types?.toPartner[l.typeId]) return { id: l.id, text: `${l.typeName} ${l.otherKey}: not mirrored, no partner link type is mapped for ${l.typeName}`, mirrored: false };
    return { id: l.id, text: `${l.typeName} ${l.otherKey}: not mirrored yet, it is copied with the next sync`, mirrored: false };
  });
}
