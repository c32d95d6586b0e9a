/**
 * link types (issue 12): both sites' issue link types for the mapping editor, and the check a saved link-type map
 * must pass. The rules are the model's (`src/model/link-types.ts`); this module reads the sites around them.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-link-types/#api-rest-api-3-issuelinktype-get
 */
import type { LinkTypesView } from '../contract/link-types';
import type { JiraSite } from '../jira/site';
import { SyncError } from '../model/errors';
import { linkTypeMapProblems, linkTypesInForce } from '../model/link-types';
import type { ConnectionMapping } from '../model/mapping';
import type { ConnectionPorts } from './ports';

/**
 * Both sites' link types (one `GET /rest/api/3/issueLinkType` each, at once) and the map the sync uses now.
 * @throws SyncError when a site cannot be read (the adapters' codes: `partner-auth`, `partner-unreachable`, …)
 */
export async function readLinkTypes(ports: ConnectionPorts): Promise<LinkTypesView> {
  const c = ports.connection;
  const [local, partner] = await Promise.all([ports.local.getIssueLinkTypes(), ports.partner.getIssueLinkTypes()]);
  const view = (t: { id: string; name: string; inward: string; outward: string }) => ({ id: t.id, name: t.name, inward: t.inward, outward: t.outward });
  return {
    connectionId: c.id,
    local: { projectKey: c.projectKey, types: local.map(view) },
    partner: { projectKey: c.partnerProjectKey, types: partner.map(view) },
    inForce: linkTypesInForce(c.mapping.linkTypes, local, partner),
    byName: !c.mapping.linkTypes,
  };
}

/**
 * Refuses a mapping whose `linkTypes` names a link type a site does not have, maps two local types onto one partner
 * type, or whose way back is not its way there (see `linkTypeMapProblems`). A mapping without `linkTypes` needs no
 * read and always passes.
 * @param names the project keys for the words, e.g. `{local: 'ALOY', partner: 'PARTNER'}`
 * @throws SyncError `invalid-input` naming each problem and what to do; nothing has been written then
 */
export async function requireKnownLinkTypes(mapping: ConnectionMapping, sites: { local: JiraSite; partner: JiraSite }, names: { local: string; partner: string }): Promise<void> {
  if (!mapping.linkTypes) return;
  const [local, partner] = await Promise.all([sites.local.getIssueLinkTypes(), sites.partner.getIssueLinkTypes()]);
  const problems = linkTypeMapProblems(mapping.linkTypes, local, partner, names);
  if (problems.length) throw new SyncError('invalid-input', `The link types were not saved: ${problems.join(' ')} Nothing was changed.`);
}
