/**
 * link types: issue link types a Jira admin adds to an emulated site, as `POST /rest/api/3/issueLinkType` does
 * (Administer Jira; `name`, `inward` and `outward` all required; a name in use, in any case, is refused), so tests
 * can give one site a type the other lacks. Added types join the four every Cloud site ships (`./issue-links.ts`),
 * numbered after the site's highest id; they live in the site's saved state (`issueLinkTypes`, absent in older state).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-link-types/#api-rest-api-3-issuelinktype-post
 */
import { JiraError } from './errors';
import type { IssueLinkTypeDef } from './issue-links';
import { hasPermission } from './permissions';
import type { SiteStore } from './store';
import type { UserRec } from './types';

/** The link types added to the site (live list; empty when none were). */
export function addedLinkTypes(store: SiteStore): IssueLinkTypeDef[] {
  return (store.state.issueLinkTypes ??= { added: [] }).added;
}

/**
 * Adds a link type from a `createIssueLinkType` body `{name, inward, outward}`.
 * @param existing the site's link types now (shipped and added)
 * @throws JiraError 403 for a caller without Administer Jira; 400 with Jira's field errors for a missing name,
 *   inward or outward description, or a name already in use
 */
export function createLinkType(store: SiteStore, actor: UserRec, body: unknown, existing: IssueLinkTypeDef[]): IssueLinkTypeDef {
  if (!hasPermission(actor, 'ADMINISTER')) throw JiraError.forbidden('You do not have permission to create issue link types.');
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  const missing: Record<string, string> = {};
  if (!text('name')) missing.name = 'You must specify a name for this issue link type.';
  if (!text('inward')) missing.inward = 'You must specify a description for the inward link.';
  if (!text('outward')) missing.outward = 'You must specify a description for the outward link.';
  if (Object.keys(missing).length) throw JiraError.fields(missing);
  if (existing.some((t) => t.name.toLowerCase() === text('name').toLowerCase())) throw JiraError.fields({ name: `An issue link type with the name '${text('name')}' already exists.` });
  const id = String(Math.max(...existing.map((t) => Number(t.id))) + 1);
  const type = { id, name: text('name'), inward: text('inward'), outward: text('outward') };
  addedLinkTypes(store).push(type);
  return type;
}
