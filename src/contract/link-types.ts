/**
 * link types (issue 12): the resolver contract of the mapping editor's Link types tab. `getLinkTypes` lists both
 * sites' issue link types (`GET /rest/api/3/issueLinkType` on each) and the map in force; the map itself is saved
 * with the rest of the mapping (`saveConnection`, the mapping's `linkTypes`), which refuses a link type a site does
 * not have. The pure rules are in `src/model/link-types.ts`, re-exported here for the editor.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-link-types/
 */
import { z } from 'zod';
import { IdMapPair } from '../model/mapping';

/** Resolver function keys of the Link types tab. */
export const LinkTypeResolvers = { getLinkTypes: 'getLinkTypes' } as const;

/** One issue link type of a site, as Jira names it: `Blocks`, outward `blocks`, inward `is blocked by`. */
export const LinkTypeView = z.object({ id: z.string(), name: z.string(), inward: z.string(), outward: z.string() });
export type LinkTypeView = z.infer<typeof LinkTypeView>;

/** Payload of `getLinkTypes`. */
export const LinkTypesInput = z.object({ connectionId: z.string().min(1) });

/** Result of `getLinkTypes`: both sites' link types, and the map the sync uses now. */
export const LinkTypesView = z.object({
  connectionId: z.string(),
  local: z.object({ projectKey: z.string(), types: z.array(LinkTypeView) }),
  partner: z.object({ projectKey: z.string(), types: z.array(LinkTypeView) }),
  /** The saved `linkTypes`, or (when `byName`) the types of the same name, which is what the sync uses then. */
  inForce: IdMapPair,
  /** True when the connection has no saved link-type map: links are mirrored as the partner type of the same name. */
  byName: z.boolean(),
});
export type LinkTypesView = z.infer<typeof LinkTypesView>;

export const LinkTypeResolverSchemas = {
  getLinkTypes: { payload: LinkTypesInput, result: LinkTypesView },
} as const;

export { linkTypeMapProblems, linkTypesByName, withLinkType } from '../model/link-types';
