/**
 * Hand-made site catalogs for unit tests of the default mapping and the mapping check: fields described by their
 * real `GET /rest/api/3/field` schemas (the kind comes from the registry's `kindOfSchema`, as on a real site),
 * Jira Cloud's default statuses and priorities unless a test gives its own.
 */
import { catalogField } from '../../../src/sync/defaults';
import type { CatalogField, CatalogUser, SiteCatalog } from '../../../src/sync/catalog';

const PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';
/** `schema.type`/`items` of the custom types used here, as Jira reports them. */
const TYPES: Record<string, { type: string; items?: string }> = {
  textfield: { type: 'string' }, textarea: { type: 'string' }, float: { type: 'number' }, datepicker: { type: 'date' }, datetime: { type: 'datetime' },
  select: { type: 'option' }, radiobuttons: { type: 'option' }, multiselect: { type: 'array', items: 'option' }, multicheckboxes: { type: 'array', items: 'option' },
  url: { type: 'string' }, labels: { type: 'array', items: 'string' }, userpicker: { type: 'user' }, multiuserpicker: { type: 'array', items: 'user' },
  multiversion: { type: 'array', items: 'version' }, 'jira-sprint': { type: 'array', items: 'json' },
};
/** System fields' schemas as `GET /rest/api/3/field` gives them. */
const SYSTEM: Record<string, [string, { type: string; items?: string }]> = {
  summary: ['Summary', { type: 'string' }], description: ['Description', { type: 'string' }], environment: ['Environment', { type: 'string' }],
  issuetype: ['Issue Type', { type: 'issuetype' }], priority: ['Priority', { type: 'priority' }], labels: ['Labels', { type: 'array', items: 'string' }],
  status: ['Status', { type: 'status' }], components: ['Component/s', { type: 'array', items: 'component' }], fixVersions: ['Fix Version/s', { type: 'array', items: 'version' }],
  versions: ['Affects Version/s', { type: 'array', items: 'version' }], duedate: ['Due Date', { type: 'date' }], assignee: ['Assignee', { type: 'user' }],
  reporter: ['Reporter', { type: 'user' }], resolution: ['Resolution', { type: 'resolution' }], created: ['Created', { type: 'datetime' }],
};

/** A system field by id (its real name and schema). */
export function systemField(id: string): CatalogField {
  const [name, schema] = SYSTEM[id];
  return { ...catalogField({ id, name, custom: false, schema: { ...schema, system: id } }), onScreen: true };
}

/** A custom field `customfield_<n>` of Jira's built-in `type`, on screen unless `onScreen: false`. */
export function customField(n: number, name: string, type: string, opts: { options?: string[]; onScreen?: boolean } = {}): CatalogField {
  const f = catalogField({ id: `customfield_${n}`, name, custom: true, schema: { ...TYPES[type], custom: PREFIX + type } });
  return { ...f, onScreen: opts.onScreen ?? true, ...(opts.options ? { options: opts.options } : {}) };
}

/** A person; `email` undefined when the profile hides it. */
export const person = (accountId: string, displayName: string, email?: string, active = true): CatalogUser => ({ accountId, displayName, active, ...(email ? { email } : {}) });

/** A catalog with every system field of {@link SYSTEM} plus `custom`, Cloud's default workflow and priorities. */
export function siteCatalog(over: Partial<SiteCatalog> & { custom?: CatalogField[] } = {}): SiteCatalog {
  const { custom = [], ...rest } = over;
  return {
    projectKey: 'PARTNER',
    fields: [...Object.keys(SYSTEM).map(systemField), ...custom],
    issueTypes: [{ id: '10001', name: 'Task', subtask: false }, { id: '10002', name: 'Bug', subtask: false }, { id: '10005', name: 'Subtask', subtask: true }],
    statuses: [{ id: '10000', name: 'To Do', category: 'new' }, { id: '10001', name: 'In Progress', category: 'indeterminate' }, { id: '10002', name: 'Done', category: 'done' }],
    priorities: ['Highest', 'High', 'Medium', 'Low', 'Lowest'].map((name, i) => ({ id: String(i + 1), name })),
    components: [],
    versions: [],
    users: [],
    ...rest,
  };
}
