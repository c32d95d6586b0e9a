/**
 * link types (issue 12): `getLinkTypes`, both sites' issue link types and the map in force, for the mapping
 * editor's Link types tab (project admins only, like the rest of the editor). Writes nothing; the map is saved with
 * the mapping through `saveConnection`.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { LinkTypeResolverSchemas } from '../contract/link-types';
import { readLinkTypes } from '../sync/link-types';
import type { CallerContext } from './auth';
import { forConnection } from './mapping-resolvers';
import { parsePayload } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** Resolver definitions keyed by function key. */
export const linkTypeResolvers = {
  getLinkTypes: ({ payload, context }: Req) =>
    forConnection(context, () => parsePayload(LinkTypeResolverSchemas.getLinkTypes.payload, payload), (_input, ports) => readLinkTypes(ports)),
};
