/**
 * Resolver of the "Partner sync" field's view and edit resources (`static/field`). In the create dialog there is
 * no issue yet: the answer lists the project's partners (the view asks, and on Yes submits the field value). On an
 * issue it adds the link and any pending offer (an "offer sync" rule matched it when it was created), read from the
 * issue's `taskSyncLink` property. Turning sync on from the field is `enableSync`, the panel's own resolver.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import { ResolverSchemas, type FieldSyncView } from '../contract';
import { listConnections } from '../store/connections';
import * as store from '../store/kvs';
import { LINK_PROPERTY_KEY, type LinkPropertyValue } from '../sync/offer';
import { projectKeyOf, requireIssueAccess, type CallerContext } from './auth';
import { appLocalSite } from './deps';
import { choice, linkView } from './issue-resolvers';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

async function offeredConnection(issueId: string): Promise<string | null> {
  const value = (await appLocalSite().getIssueProperty(issueId, LINK_PROPERTY_KEY).catch(() => undefined)) as LinkPropertyValue | undefined;
  return value?.state === 'offered' ? value.connectionId : null;
}

/** Resolver definitions keyed by function key. */
export const fieldResolvers = {
  getFieldSync: ({ payload, context }: Req) =>
    respond(async (): Promise<FieldSyncView> => {
      parsePayload(ResolverSchemas.getFieldSync.payload, payload);
      const projectKey = projectKeyOf(context);
      const all = await listConnections(projectKey);
      const partners = all.map(choice);
      const issue = context.extension?.issue;
      if (!issue?.id || !issue.key) return { projectKey, issueKey: null, partners, link: null, offered: null };
      await requireIssueAccess(issue.key, false);
      const link = await store.getLink(String(issue.id));
      const linked = link && all.find((c) => c.id === link.connectionId);
      if (linked) return { projectKey, issueKey: issue.key, partners, link: linkView(link, linked.partnerUrl), offered: null };
      const offeredId = all.length ? await offeredConnection(String(issue.id)) : null;
      const offered = all.find((c) => c.id === offeredId);
      return { projectKey, issueKey: issue.key, partners, link: null, offered: offered ? choice(offered) : null };
    }),
};
