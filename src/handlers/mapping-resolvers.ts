/**
 * Resolvers of the mapping editor (project admins only): both sites' catalogs with the defaults, the check of an
 * edited mapping, and the preview of what it would write. Nothing here writes to either site.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type MappingCatalog, type Preview, type SiteCatalogView } from '../contract';
import { readCatalog, type SiteCatalog } from '../sync/catalog';
import { defaultMapping, userSuggestions } from '../sync/defaults';
import { checkMapping } from '../sync/mapping-check';
import type { ConnectionPorts } from '../sync/ports';
import { previewMapping } from '../sync/preview';
import { projectKeyOf, requireProjectAdmin, type CallerContext } from './auth';
import { loadConnection, portsFor } from './deps';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** A catalog as the editor shows it. */
export function catalogView(c: SiteCatalog): SiteCatalogView {
  return { ...c, fields: c.fields.map((f) => ({ id: f.id, name: f.name, custom: f.custom, kind: f.kind ?? null, onScreen: f.onScreen ?? true, ...(f.options ? { options: f.options } : {}) })) };
}

/** Runs `body` for a project admin with the ports of the connection the payload names. */
export function forConnection<P extends { connectionId: string }, T>(
  context: CallerContext,
  parse: () => P,
  body: (input: P, ports: ConnectionPorts) => Promise<T>,
) {
  return respond(async () => {
    const projectKey = projectKeyOf(context);
    await requireProjectAdmin(projectKey);
    const input = parse();
    return body(input, await portsFor(await loadConnection(projectKey, input.connectionId)));
  });
}

/** Both sites' catalogs of a connection, read at once. */
async function catalogsOf(ports: ConnectionPorts): Promise<{ local: SiteCatalog; partner: SiteCatalog }> {
  const c = ports.connection;
  const [local, partner] = await Promise.all([readCatalog(ports.local, c.projectKey), readCatalog(ports.partner, c.partnerProjectKey)]);
  return { local, partner };
}

export const mappingResolvers = {
  /** Both catalogs, the defaults, user suggestions and the saved mapping's problems. */
  getMappingCatalog: ({ payload, context }: Req) =>
    forConnection(context, () => parsePayload(ResolverSchemas.getMappingCatalog.payload, payload), async ({ connectionId }, ports): Promise<MappingCatalog> => {
      const { local, partner } = await catalogsOf(ports);
      const { mapping } = ports.connection;
      return {
        connectionId,
        local: catalogView(local),
        partner: catalogView(partner),
        defaults: defaultMapping(local, partner),
        userSuggestions: userSuggestions(local.users, partner.users, mapping.users),
        problems: checkMapping(mapping, local, partner),
      };
    }),
  /** The problems of an edited mapping against both catalogs (see `src/sync/mapping-check.ts`). */
  checkMapping: ({ payload, context }: Req) =>
    forConnection(context, () => parsePayload(ResolverSchemas.checkMapping.payload, payload), async ({ mapping }, ports) => {
      const { local, partner } = await catalogsOf(ports);
      return { problems: checkMapping(mapping, local, partner) };
    }),
  /** What an edited mapping would write for one issue; writes nothing (see `src/sync/preview.ts`). */
  previewMapping: ({ payload, context }: Req) =>
    forConnection(context, () => parsePayload(ResolverSchemas.previewMapping.payload, payload), async (input, ports): Promise<Preview> => previewMapping(ports, input, await catalogsOf(ports))),
};
