/**
 * hierarchy (issue 12): `getIssueLinks`, the issue panel's list of an issue's links with whether each is mirrored
 * (and why not, in words), and the parent it waits for. Any user who can browse the issue may read it.
 */
import { HierarchyResolverSchemas, type IssueLinksView } from '../contract/hierarchy';
import { listConnections } from '../store/connections';
import { getWaiting } from '../store/hierarchy';
import * as store from '../store/kvs';
import { describeIssueLinks } from '../sync/issue-link-sync';
import { issueOf, requireIssueAccess, type CallerContext } from './auth';
import { appLocalSite, loadConnection, portsFor } from './deps';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

async function issueLinksView(issue: { id: string; key: string }): Promise<IssueLinksView> {
  const link = await store.getLink(issue.id);
  const waiting = link ? undefined : await getWaiting(issue.id);
  const local = await appLocalSite().getIssue(issue.id, ['issuelinks', 'project']);
  const projectKey = String((local.fields.project as { key?: string } | undefined)?.key ?? '');
  const connection = link ? await loadConnection(link.projectKey, link.connectionId) : (await listConnections(projectKey))[0];
  if (!connection) return { issueKey: issue.key, waitingFor: null, links: [] };
  const links = await describeIssueLinks(await portsFor(connection), link, local.fields);
  return { issueKey: issue.key, waitingFor: waiting?.parentKey ?? null, links };
}

/** Resolver definitions keyed by function key. */
export const hierarchyResolvers = {
  getIssueLinks: ({ payload, context }: Req) =>
    respond(async () => {
      parsePayload(HierarchyResolverSchemas.getIssueLinks.payload, payload);
      const issue = issueOf(context);
      await requireIssueAccess(issue.key, false);
      return issueLinksView(issue);
    }),
};
