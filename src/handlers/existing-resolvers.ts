/**
 * Resolvers of linking issues that already exist (area `existing`): the issue panel searches the partner project
 * (`searchPartnerIssues`), previews a pair's differing fields (`previewExistingLink`) and links it with the
 * person's starting choice (`linkExistingIssue`); project settings match issues in bulk (`previewMatch`,
 * `applyMatch`, one chunk per call). Permissions are checked server-side as the caller: the panel needs Edit
 * issues on the local issue, bulk matching needs Administer projects.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type ExistingPreview } from '../contract';
import { SyncError } from '../model/errors';
import { siteNamer, valueView } from '../sync/conflict-view';
import { applyMatch, previewMatch } from '../sync/pairing-bulk';
import { linkPair, previewPair, searchPartner } from '../sync/pairing-link';
import { listConnections } from '../store/connections';
import { issueOf, projectKeyOf, requireIssueAccess, requireProjectAdmin, type CallerContext } from './auth';
import { portsFor } from './deps';
import { chosenConnection, issueSyncView } from './issue-resolvers';
import { enqueueSync } from './queue';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** The caller's issue, checked editable, and the ports of the connection chosen for it. */
async function panelPorts(context: CallerContext, connectionId: string | undefined, action: string) {
  const issue = issueOf(context);
  await requireIssueAccess(issue.key, true, action);
  const projectKey = projectKeyOf(context);
  return { issue, projectKey, ports: await portsFor(await chosenConnection(projectKey, connectionId)) };
}

/** Who is acting, for the sync log: their display name, else accountId. */
async function nameOf(ports: Awaited<ReturnType<typeof portsFor>>, context: CallerContext): Promise<string> {
  return (context.accountId && (await ports.local.getUserName(context.accountId).catch(() => undefined))) || context.accountId || 'someone';
}

/** The admin's connection for bulk matching. @throws SyncError `not-configured` when the project has no such connection */
async function adminPorts(context: CallerContext, connectionId: string) {
  const projectKey = projectKeyOf(context);
  await requireProjectAdmin(projectKey);
  const connection = (await listConnections(projectKey)).find((c) => c.id === connectionId);
  if (!connection) throw new SyncError('not-configured', `Project ${projectKey} has no such partner connection. Reload the page and choose one.`);
  return portsFor(connection);
}

/** Resolver definitions keyed by function key. */
export const existingResolvers = {
  searchPartnerIssues: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.searchPartnerIssues.payload, payload);
      const { ports } = await panelPorts(context, input.connectionId, 'link it with a partner issue');
      return { projectKey: ports.connection.partnerProjectKey, issues: await searchPartner(ports, input.query) };
    }),

  previewExistingLink: ({ payload, context }: Req) =>
    respond(async (): Promise<ExistingPreview> => {
      const input = parsePayload(ResolverSchemas.previewExistingLink.payload, payload);
      const { issue, ports } = await panelPorts(context, input.connectionId, 'link it with a partner issue');
      const pair = await previewPair(ports, issue.id, input.partnerIssueKey);
      const names = siteNamer(ports.connection, ports);
      const differing = await Promise.all(
        pair.diff.map(async (d) => ({
          field: d.row.local,
          name: d.row.name.local,
          kind: d.row.kind,
          local: await valueView(d.row.kind, d.local, 'local', names),
          partner: await valueView(d.row.kind, d.partner, 'partner', names),
          choices: d.choices,
        })),
      );
      return {
        connectionId: ports.connection.id,
        issueKey: pair.local.key,
        partnerIssueKey: pair.partner.key,
        partnerIssueUrl: `${ports.connection.partnerUrl}/browse/${pair.partner.key}`,
        partnerSummary: String(pair.partner.fields.summary ?? ''),
        differing,
        sameCount: pair.sameCount,
        comments: pair.comments,
        fingerprint: pair.fingerprint,
      };
    }),

  linkExistingIssue: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.linkExistingIssue.payload, payload);
      const { issue, projectKey, ports } = await panelPorts(context, input.connectionId, 'link it with a partner issue');
      const { link } = await linkPair(ports, issue.id, input.partnerIssueKey, input, await nameOf(ports, context), input.fingerprint);
      // Events that arrived while the pair was being linked found no link yet: one more run picks them up.
      await enqueueSync([{ projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'manual' }]);
      return issueSyncView(issue, projectKey);
    }),

  previewMatch: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.previewMatch.payload, payload);
      return previewMatch(await adminPorts(context, input.connectionId), input);
    }),

  applyMatch: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.applyMatch.payload, payload);
      const ports = await adminPorts(context, input.connectionId);
      const result = await applyMatch(ports, input.pairs, input, await nameOf(ports, context));
      // As in the panel: one more run per new link picks up edits made while it was being linked.
      const linked = input.pairs.filter((p) => result.linked.some((l) => l.localKey === p.localKey));
      if (linked.length) await enqueueSync(linked.map((p) => ({ projectKey: ports.connection.projectKey, connectionId: ports.connection.id, localIssueId: p.localIssueId, trigger: 'manual' as const })));
      return result;
    }),
};
