/**
 * Resolvers of the mapping editor (project admins only): both sites' catalogs with the defaults, the check of an
 * edited mapping, and the preview of what it would write. Nothing here writes to either site.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type MappingCatalog, type SiteCatalogView } from '../contract';
import { SyncError } from '../model/errors';
import { readCatalog, type SiteCatalog } from '../sync/catalog';
import { defaultMapping, userSuggestions } from '../sync/defaults';
import { projectKeyOf, requireProjectAdmin, type CallerContext } from './auth';
import { loadConnection, portsFor } from './deps';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** A catalog as the editor shows it. */
export function catalogView(c: SiteCatalog): SiteCatalogView {
  return { ...c, fields: c.fields.map((f) => ({ id: f.id, name: f.name, custom: f.custom, kind: f.kind ?? null, onScreen: f.onScreen ?? true, ...(f.options ? { options: f.options } : {}) })) };
}

/** Runs `body` for a project admin with the ports of the connection the payload names. */
function forConnection<P extends { connectionId: string }, T>(
  context: CallerContext,
  parse: () => P,
  body: (input: P, ports: Awaited<ReturnType<typeof portsFor>>) => Promise<T>,
) {
  return respond(async () => {
    const projectKey = projectKeyOf(context);
    await requireProjectAdmin(projectKey);
    const input = parse();
    return body(input, await portsFor(await loadConnection(projectKey, input.connectionId)));
  });
}

export const mappingResolvers = {
  getMappingCatalog: ({ payload, context }: Req) =>
    forConnection(context, () => parsePayload(ResolverSchemas.getMappingCatalog.payload, payload), async ({ connectionId }, ports): Promise<MappingCatalog> => {
      const c = ports.connection;
      const [local, partner] = await Promise.all([readCatalog(ports.local, c.projectKey), readCatalog(ports.partner, c.partnerProjectKey)]);
      return {
        connectionId,
        local: catalogView(local),
        partner: catalogView(partner),
        defaults: defaultMapping(local, partner),
        userSuggestions: userSuggestions(local.users, partner.users, c.mapping.users),
        problems: [],
      };
    }),
  checkMapping: ({ context }: Req) =>
    respond(async () => {
      await requireProjectAdmin(projectKeyOf(context));
      throw new SyncError('internal', 'Checking a mapping is not available yet.');
    }),
  previewMapping: ({ context }: Req) =>
    respond(async () => {
      await requireProjectAdmin(projectKeyOf(context));
      throw new SyncError('internal', 'The preview is not available yet.');
    }),
};
