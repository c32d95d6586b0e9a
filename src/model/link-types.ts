/**
 * The link-type map of a connection (issue 12): which partner issue link type a local one is mirrored as, and back.
 * Stored as the mapping's optional `linkTypes` ({@link IdMapPair}: `toPartner[local type id] = partner type id`,
 * `toLocal` its inverse); a mapping without it (every mapping stored before the editor existed) matches the types
 * of the same name.
 *
 * The map is one-to-one: each partner type stands for at most one local type, so a link comes back as the type it
 * left as. (With two local types on one partner type, a partner link of that type could not say which one it is,
 * and both ends of a link could mirror it twice, once per type.)
 *
 * Pure functions over plain data, used by the sync (`src/sync/issue-link-plan.ts`), the save
 * (`src/sync/setup.ts`) and the editor (`static/settings/src/mapping/LinkTypesSection.tsx`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-link-types/
 * @see https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/
 */
import type { IdMapPair } from './mapping';

/** A link type of one site (`GET /rest/api/3/issueLinkType`): Jira's id and name, e.g. `{id: '10000', name: 'Blocks'}`. */
export interface LinkTypeRef {
  id: string;
  name: string;
}

/** The map the types of the same name make (names compared case-insensitively); types with no namesake are left out. */
export function linkTypesByName(local: LinkTypeRef[], partner: LinkTypeRef[]): IdMapPair {
  const pair: IdMapPair = { toPartner: {}, toLocal: {} };
  for (const l of local) {
    const p = partner.find((x) => x.name.toLowerCase() === l.name.toLowerCase());
    if (p && !pair.toLocal[p.id]) {
      pair.toPartner[l.id] = p.id;
      pair.toLocal[p.id] = l.id;
    }
  }
  return pair;
}

/** The map in force: the mapping's own `linkTypes` when it has one, else {@link linkTypesByName}. */
export function linkTypesInForce(mapped: IdMapPair | undefined, local: LinkTypeRef[], partner: LinkTypeRef[]): IdMapPair {
  return mapped ?? linkTypesByName(local, partner);
}

/**
 * `pair` with local type `localId` mirrored as partner type `partnerId` both ways, or not mirrored at all when
 * `partnerId` is `''`. Whatever else pointed at `partnerId` keeps its `toPartner` entry (the editor flags it with
 * {@link linkTypeMapProblems}) but no longer comes back: `toLocal[partnerId]` is `localId`.
 */
export function withLinkType(pair: IdMapPair, localId: string, partnerId: string): IdMapPair {
  const toPartner = { ...pair.toPartner };
  const toLocal = { ...pair.toLocal };
  const before = toPartner[localId];
  if (before && toLocal[before] === localId) delete toLocal[before];
  if (partnerId) {
    toPartner[localId] = partnerId;
    toLocal[partnerId] = localId;
  } else delete toPartner[localId];
  // A partner type freed by this change comes back as the other local type still on it, if one is.
  if (before && before !== partnerId && !toLocal[before]) {
    const other = Object.keys(toPartner).find((l) => toPartner[l] === before);
    if (other) toLocal[before] = other;
  }
  return { toPartner, toLocal };
}

/**
 * What is wrong with a link-type map against both sites' link types, in words for the admin (empty = fine): an id
 * that is not a link type of its site (deleted there, or from another site), two local types on one partner type,
 * or a way back that is not the inverse of the way there.
 * @param names.local / names.partner the site names used in the words, e.g. `ALOY` and `PARTNER`
 */
export function linkTypeMapProblems(pair: IdMapPair, local: LinkTypeRef[], partner: LinkTypeRef[], names: { local: string; partner: string }): string[] {
  const problems: string[] = [];
  const localName = (id: string) => local.find((t) => t.id === id)?.name;
  const partnerName = (id: string) => partner.find((t) => t.id === id)?.name;
  const fix = 'Choose one of its link types in Field mapping → Link types, or "Not mirrored".';
  for (const [l, p] of Object.entries(pair.toPartner)) {
    if (!localName(l)) problems.push(`Link type ${l} is not a link type of ${names.local} (it may have been deleted there). Reload the mapping and choose again.`);
    else if (!partnerName(p)) problems.push(`${localName(l)} is mapped to link type ${p}, which ${names.partner} does not have (it may have been deleted there). ${fix}`);
  }
  const byPartner = new Map<string, string[]>();
  for (const [l, p] of Object.entries(pair.toPartner)) byPartner.set(p, [...(byPartner.get(p) ?? []), l]);
  for (const [p, ls] of byPartner) {
    if (ls.length > 1 && partnerName(p)) {
      const words = ls.map((l) => localName(l) ?? l).join(' and ');
      problems.push(`${words} are ${ls.length === 2 ? 'both' : 'all'} mirrored as ${partnerName(p)} on ${names.partner}, but a ${partnerName(p)} link made there can come back as only one of them. Map each ${names.local} link type to a different ${names.partner} link type, or choose "Not mirrored".`);
    }
  }
  // The way back must be the inverse of the way there (the editor keeps it so; a hand-made payload may not).
  const inverse = Object.entries(pair.toLocal).every(([p, l]) => pair.toPartner[l] === p) &&
    [...byPartner].every(([p, ls]) => ls.length > 1 || pair.toLocal[p] === ls[0]);
  if (!inverse) problems.push(`The way back (${names.partner} → ${names.local}) of the link types is not the inverse of the way there. Choose the link types again in Field mapping → Link types and save.`);
  return problems;
}
