/**
 * A site's catalog: what the mapping editor and the default mapping work from — the site's fields (with their
 * registry kind), which of them the project's create screens show, option values, components and versions,
 * issue types, statuses, priorities and the project's assignable users. Read from Jira REST on settings save and
 * when the editor opens, never during a sync.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-issuetypeid-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-custom-field-options/
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
 * options of the option fields on those screens, components, versions, statuses, priorities, assignable users.
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
    site.getAssignableUsers(projectKey),
  ]);
  const screens = await Promise.all(issueTypes.map((t) => site.getCreateMetaFields(projectKey, t.id)));
  const onScreen = new Set(['status', ...screens.flat().map((f) => f.fieldId)]);
  const catalogFields = fields.map(catalogField).map((f) => ({ ...f, onScreen: onScreen.has(f.id) }));
  await Promise.all(
    catalogFields
      .filter((f) => f.custom && f.kind && OPTION_KINDS.has(f.kind) && f.onScreen)
      .map(async (f) => {
        f.options = await site.getFieldOptions(f.id);
      }),
  );
  return {
    projectKey,
    fields: catalogFields,
    issueTypes,
    statuses,
    priorities: priorities.map((p) => ({ id: p.id, name: p.name })),
    components,
    versions,
    users: users.map((u) => ({ accountId: u.accountId, displayName: u.displayName, ...(u.emailAddress ? { email: u.emailAddress } : {}), active: u.active })),
  };
}
