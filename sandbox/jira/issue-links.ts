/**
 * Issue links of an emulated site, as Jira Cloud keeps them: each site has its own link types (the four a new
 * Cloud site ships, Blocks, Cloners, Duplicate, Relates, with ids differing between the sites), a link joins a
 * source (outward) issue to a destination (inward) issue, and a second identical link is not made (Jira answers
 * 201 and keeps the one it has).
 *
 * Directions, as Jira's REST API uses them (its "issue linking model" guide): in `POST /rest/api/3/issueLink` the
 * `outwardIssue` is the one the outward text describes ("A blocks B": outwardIssue A, inwardIssue B); in an issue's
 * `issuelinks` each entry names the OTHER issue, under `outwardIssue` when this issue is the source ("blocks B")
 * and under `inwardIssue` when it is the destination ("is blocked by A"). Webhooks and Forge events name them
 * `sourceIssueId` (outward) and `destinationIssueId` (inward).
 * @see https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-link-events
 */
import { JiraError } from './errors';
import { addedLinkTypes } from './link-type-admin'; // link types
import type { Renderer } from './render';
import { jiraDate, type SiteStore } from './store';
import type { IssueRec } from './types';

/** A stored link: `sourceId` blocks/clones/duplicates/relates to `destinationId`. */
export interface IssueLinkRec {
  id: string;
  typeId: string;
  sourceId: string;
  destinationId: string;
  created: string;
}

/** An issue link type of a site. */
export interface IssueLinkTypeDef {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

const CLOUD_TYPES: Array<Omit<IssueLinkTypeDef, 'id'>> = [
  { name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

/** The site's link types: the local site numbers them from 10000, the partner from 10100 in another order; then the added ones. */
export function linkTypes(store: SiteStore): IssueLinkTypeDef[] {
  const shipped = store.site.name === 'local' ? CLOUD_TYPES.map((t, n) => ({ ...t, id: String(10000 + n) })) : [3, 0, 2, 1].map((k, n) => ({ ...CLOUD_TYPES[k], id: String(10100 + n) }));
  return [...shipped, ...addedLinkTypes(store)]; // link types: and those an admin added
}

function state(store: SiteStore): NonNullable<SiteStore['state']['issueLinks']> {
  return (store.state.issueLinks ??= { nextId: 10000, links: [] });
}

/** Every link of the site (live list). */
export function allLinks(store: SiteStore): IssueLinkRec[] {
  return state(store).links;
}

/** `IssueLinkType` with its `self`. */
export function renderLinkType(store: SiteStore, t: IssueLinkTypeDef): Record<string, unknown> {
  return { id: t.id, name: t.name, inward: t.inward, outward: t.outward, self: `${store.site.publicUrl}/rest/api/3/issueLinkType/${t.id}` };
}

function typeById(store: SiteStore, id: string): IssueLinkTypeDef {
  return linkTypes(store).find((t) => t.id === id) ?? { id, name: 'Unknown', inward: '', outward: '' };
}

/** The short form of a linked issue (`LinkedIssue` with key fields). */
function linkedIssue(render: Renderer, store: SiteStore, i: IssueRec, v: '2' | '3'): Record<string, unknown> {
  return {
    id: i.id,
    key: i.key,
    self: `${store.site.publicUrl}/rest/api/${v}/issue/${i.id}`,
    fields: { summary: i.summary, status: render.status(store.status(i.statusId)), priority: render.priority(i.priorityId), issuetype: render.issueType(i.issueTypeId) },
  };
}

const byId = (store: SiteStore, id: string) => store.issues().find((i) => i.id === id);

/** The `issuelinks` field of an issue: one entry per link, naming the other issue (see the module comment). */
export function issueLinksField(render: Renderer, store: SiteStore, i: IssueRec, v: '2' | '3'): unknown[] {
  const out: unknown[] = [];
  for (const l of allLinks(store)) {
    if (l.sourceId !== i.id && l.destinationId !== i.id) continue;
    const outward = l.sourceId === i.id;
    const other = byId(store, outward ? l.destinationId : l.sourceId);
    if (!other) continue;
    out.push({
      id: l.id,
      self: `${store.site.publicUrl}/rest/api/${v}/issueLink/${l.id}`,
      type: renderLinkType(store, typeById(store, l.typeId)),
      [outward ? 'outwardIssue' : 'inwardIssue']: linkedIssue(render, store, other, v),
    });
  }
  return out;
}

/** `GET /rest/api/3/issueLink/{id}`: `{id, self, type, inwardIssue, outwardIssue}` (outwardIssue = the source). */
export function renderLink(render: Renderer, store: SiteStore, l: IssueLinkRec): Record<string, unknown> {
  return {
    id: l.id,
    self: `${store.site.publicUrl}/rest/api/3/issueLink/${l.id}`,
    type: renderLinkType(store, typeById(store, l.typeId)),
    inwardIssue: linkedIssue(render, store, store.issue(l.destinationId), '3'),
    outwardIssue: linkedIssue(render, store, store.issue(l.sourceId), '3'),
  };
}

/**
 * Finds a link by id. @throws JiraError 404 "No issue link with id 'x' exists."
 */
export function findLink(store: SiteStore, id: string): IssueLinkRec {
  const l = allLinks(store).find((x) => x.id === id);
  if (!l) throw JiraError.notFound(`No issue link with id '${id}' exists.`);
  return l;
}

/**
 * Resolves `{type:{id|name}, inwardIssue:{id|key}, outwardIssue:{id|key}}` of a create request.
 * @throws JiraError 400 for a missing or unknown type or a link of an issue to itself, 404 for an unknown issue
 */
export function parseLinkRequest(store: SiteStore, body: any): { type: IssueLinkTypeDef; source: IssueRec; destination: IssueRec } {
  const t = body?.type;
  if (!t || typeof t !== 'object' || (t.id === undefined && t.name === undefined)) throw JiraError.badRequest('Issue link type is required: give type.id or type.name.');
  const type = linkTypes(store).find((x) => (t.id !== undefined ? x.id === String(t.id) : x.name === t.name));
  if (!type) throw JiraError.notFound(t.id !== undefined ? `No issue link type with id '${t.id}' found.` : `No issue link type with name '${t.name}' found.`);
  const issueOf = (ref: any, side: string) => {
    const idOrKey = ref?.id ?? ref?.key;
    if (idOrKey === undefined || idOrKey === null || idOrKey === '') throw JiraError.badRequest(`The ${side} is required: give its id or key.`);
    try {
      return store.issue(String(idOrKey));
    } catch {
      throw JiraError.notFound('Issue Does Not Exist');
    }
  };
  const source = issueOf(body.outwardIssue, 'outwardIssue');
  const destination = issueOf(body.inwardIssue, 'inwardIssue');
  if (source.id === destination.id) throw JiraError.badRequest('You cannot link an issue to itself.');
  return { type, source, destination };
}

/** Adds a link (or returns the identical one already there, `created: false`). */
export function addLink(store: SiteStore, req: { type: IssueLinkTypeDef; source: IssueRec; destination: IssueRec }): { link: IssueLinkRec; created: boolean } {
  const same = allLinks(store).find((l) => l.typeId === req.type.id && l.sourceId === req.source.id && l.destinationId === req.destination.id);
  if (same) return { link: same, created: false };
  const s = state(store);
  const link: IssueLinkRec = { id: String(s.nextId++), typeId: req.type.id, sourceId: req.source.id, destinationId: req.destination.id, created: jiraDate() };
  s.links.push(link);
  const now = jiraDate();
  req.source.updated = now;
  req.destination.updated = now;
  store.touch();
  return { link, created: true };
}

/** Removes a link. */
export function removeLink(store: SiteStore, link: IssueLinkRec): void {
  const s = state(store);
  s.links = s.links.filter((l) => l !== link);
  const now = jiraDate();
  for (const id of [link.sourceId, link.destinationId]) {
    const i = byId(store, id);
    if (i) i.updated = now;
  }
  store.touch();
}

/** Drops every link of an issue being deleted (Jira deletes them with it). */
export function dropLinksOf(store: SiteStore, issue: IssueRec): void {
  const s = state(store);
  s.links = s.links.filter((l) => l.sourceId !== issue.id && l.destinationId !== issue.id);
}

/**
 * The `issueLink` object of Jira Cloud's `issuelink_created` / `issuelink_deleted` webhooks:
 * `{id, sourceIssueId, destinationIssueId, issueLinkType:{id, name, outwardName, inwardName, isSubTaskLinkType,
 * isSystemLinkType}, systemLink}` (numbers, as Jira sends them).
 */
export function webhookLink(store: SiteStore, l: IssueLinkRec): Record<string, unknown> {
  const t = typeById(store, l.typeId);
  return {
    id: Number(l.id),
    sourceIssueId: Number(l.sourceId),
    destinationIssueId: Number(l.destinationId),
    issueLinkType: { id: Number(t.id), name: t.name, outwardName: t.outward, inwardName: t.inward, isSubTaskLinkType: false, isSystemLinkType: false },
    systemLink: false,
  };
}

/**
 * The Forge product event payload of `avi:jira:created:issuelink` / `avi:jira:deleted:issuelink`: flat, ids as
 * strings, `{id, sourceIssueId, destinationIssueId, issueLinkType:{id, name, inward, outward, isSubTaskLinkType,
 * isSystemLinkType}, atlassianId}` (the event type is added by the notifier).
 */
export function forgeLinkPayload(store: SiteStore, l: IssueLinkRec, actorId: string): Record<string, unknown> {
  const t = typeById(store, l.typeId);
  return {
    id: l.id,
    sourceIssueId: l.sourceId,
    destinationIssueId: l.destinationId,
    issueLinkType: { id: t.id, name: t.name, inward: t.inward, outward: t.outward, isSubTaskLinkType: false, isSystemLinkType: false },
    atlassianId: actorId,
  };
}
