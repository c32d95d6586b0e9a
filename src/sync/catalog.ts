/**
 * A site's catalog: what the mapping editor and the default mapping work from — the site's fields (with their
 * registry kind), which of them the project's create screens show, option values, components and versions,
 * issue types, statuses, priorities and the site's people (apps left out). Read from Jira REST on settings save and
 * when the editor opens, never during a sync.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-issuetypeid-get
 */
import type { JiraSite } from '../jira/site';
import type { FieldKind } from '../model/mapping';
import { catalogField } from './defaults';
import type { NamedId } from './mapping';

/** A field of a site, with its registry kind (undefined: no codec handles it). */
export interface CatalogField {
  id: string;
  name: string;
  custom: boolean;
  kind?: FieldKind;
  schema?: { type: string; items?: string; system?: string; custom?: string };
  /** On at least one of the project's create screens (can be set there). */
  onScreen?: boolean;
  /** Option values (select, multi-select, checkbox, radio). */
  options?: string[];
}

/** A user of a site; `email` only where the profile shows it. */
export interface CatalogUser {
  accountId: string;
  displayName: string;
  email?: string;
  active: boolean;
}

export interface SiteCatalog {
  projectKey: string;
  fields: CatalogField[];
  issueTypes: Array<{ id: string; name: string; subtask: boolean }>;
  statuses: NamedId[];
  priorities: NamedId[];
  components: string[];
  versions: string[];
  users: CatalogUser[];
}

const OPTION_KINDS = new Set<FieldKind>(['select', 'radio', 'multiselect', 'checkbox']);

/**
 * Reads the catalog of `projectKey` on `site`: fields, create screens of every issue type the project can create,
 * options of the option fields on those screens, components, versions, statuses, priorities, users.
 * System fields that are not on any create screen but can still be edited (`status`, set by transition) count as
 * on screen.
 * @throws SyncError from the site (credentials, project not found, …)
 */
export async function readCatalog(site: JiraSite, projectKey: string): Promise<SiteCatalog> {
  const [fields, issueTypes, statuses, priorities, components, versions, users] = await Promise.all([
    site.getFields(),
    site.getCreateMetaIssueTypes(projectKey),
    site.getProjectStatuses(projectKey),
    site.getPriorities(),
    site.getComponents(projectKey),
    site.getVersions(projectKey),
    site.getUsers(),
  ]);
  const screens = (await Promise.all(issueTypes.map((t) => site.getCreateMetaFields(projectKey, t.id)))).flat();
  const onScreen = new Set(['status', ...screens.map((f) => f.fieldId)]);
  if (onScreen.has('timetracking')) ['timeoriginalestimate', 'timeestimate'].forEach((id) => onScreen.add(id)); // worklogs: set through Time tracking
  // Options as the project's screens offer them (`allowedValues`: the options of the field's context for this
  // project). The context/option endpoints (`/rest/api/3/field/{id}/context/…/option`) would need
  // `manage:jira-configuration` and Administer Jira, more than a sync app should ask for.
  const options = new Map<string, Set<string>>();
  for (const f of screens) {
    for (const v of f.allowedValues ?? []) if (typeof v.value === 'string') options.set(f.fieldId, (options.get(f.fieldId) ?? new Set()).add(v.value));
  }
  const catalogFields = fields.map(catalogField).map((f) => ({
    ...f,
    onScreen: onScreen.has(f.id),
    ...(f.kind && OPTION_KINDS.has(f.kind) ? { options: [...(options.get(f.id) ?? [])] } : {}),
  }));
  return {
    projectKey,
    fields: catalogFields,
    issueTypes,
    statuses,
    priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
    components,
    versions,
    users: users.filter((u) => (u.accountType ?? 'atlassian') === 'atlassian').map((u) => ({ accountId: u.accountId, displayName: u.displayName, ...(u.emailAddress ? { email: u.emailAddress } : {}), active: u.active })),
  };
}
