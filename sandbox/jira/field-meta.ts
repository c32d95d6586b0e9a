/**
 * Field metadata of screens (`FieldMetadata`, `FieldCreateMetadata`): what createmeta, editmeta and transition
 * screens say about each field, in the shape Jira Cloud gives it. Names and schemas come from the real field
 * definitions; `allowedValues` list resolutions, priorities, issue types, the project, components, versions and
 * options; user and label fields give an `autoCompleteUrl` instead; `operations` are the verbs `update` takes.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-issuetypeid-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-editmeta-get
 */
import { projectIssueTypeIds } from './defs';
import { onScreen } from './custom-fields';
import type { SiteRuntime } from './runtime';
import { systemFieldDefs } from './system-fields';
import type { ProjectDef } from './types';

/** System fields of the default create screen of both sites, in the order Jira lists them. */
export const CREATE_SCREEN = [
  'summary', 'issuetype', 'project', 'components', 'description', 'fixVersions', 'versions', 'priority', 'labels',
  'environment', 'duedate', 'reporter', 'assignee',
  'timetracking', // worklogs: original and remaining estimate (Jira's Time tracking field)
] as const;

/** System fields of the default edit screen (the create screen without `project`). */
export const EDIT_SCREEN = CREATE_SCREEN.filter((f) => f !== 'project');

/** Fields a create must give (Jira: "You must specify a summary of the issue.", …). */
const REQUIRED = new Set(['summary', 'issuetype', 'project']);

/** Array fields whose `update` takes `add` and `remove` besides `set`. */
const LIST_OPS = ['add', 'set', 'remove'];
const LIST_FIELDS = new Set(['labels', 'components', 'fixVersions', 'versions']);
const LIST_CUSTOM = new Set(['multiselect', 'multicheckboxes', 'labels', 'multiuserpicker', 'multiversion']);

/** Where a field's metadata is asked for: the project, and the issue when there is one (editmeta, transitions). */
export interface MetaContext {
  project: ProjectDef;
  issueKey?: string;
}

/**
 * `FieldMetadata` of field `id` on a screen of `ctx.project`, or null for an unknown field. `required` only for
 * create screens (`forCreate`); an edit or transition screen requires nothing (a screen's Resolution left out takes
 * the site's default resolution).
 */
export function fieldMetadata(rt: SiteRuntime, ctx: MetaContext, id: string, forCreate = false): Record<string, unknown> | null {
  const base = rt.site.publicUrl;
  const { store, render } = rt;
  const sys = systemFieldDefs().find((f) => f.id === id);
  const custom = sys ? undefined : store.customField(id);
  if (!sys && !custom) return null;
  const { project } = ctx;
  const versions = () => project.versions.filter((v) => !v.archived).map((v) => ({ self: `${base}/rest/api/3/version/${v.id}`, ...v, projectId: Number(project.id) }));
  const userSearch = ctx.issueKey ? `issueKey=${ctx.issueKey}` : `project=${project.key}`;
  let extra: Record<string, unknown> = {};
  switch (id) {
    case 'resolution':
      extra = { allowedValues: store.defs.resolutions.map((r) => ({ self: `${base}/rest/api/3/resolution/${r.id}`, name: r.name, id: r.id })) };
      break;
    case 'priority':
      extra = { allowedValues: store.defs.priorities.map((p) => render.priority(p.id)), hasDefaultValue: true, defaultValue: render.priority(store.defs.priorities.find((p) => p.name === 'Medium')?.id ?? null) };
      break;
    case 'issuetype':
      extra = { allowedValues: projectIssueTypeIds(project).map((t) => render.issueType(t)) };
      break;
    case 'project':
      extra = { allowedValues: [render.projectRef(project.id)] };
      break;
    case 'fixVersions':
    case 'versions':
      extra = { allowedValues: versions() };
      break;
    case 'components':
      extra = { allowedValues: project.components.map((c) => ({ self: `${base}/rest/api/3/component/${c.id}`, ...c })) };
      break;
    case 'labels':
      extra = { autoCompleteUrl: `${base}/rest/api/1.0/labels/suggest?query=` };
      break;
    case 'assignee':
    case 'reporter':
      extra = { autoCompleteUrl: `${base}/rest/api/3/user/assignable/search?${userSearch}&query=` };
      break;
    default:
      if (custom?.options.length) extra = { allowedValues: custom.options.map((o) => ({ self: `${base}/rest/api/3/customFieldOption/${o.id}`, value: o.value, id: o.id })) };
      else if (custom?.type === 'multiversion') extra = { allowedValues: versions() };
      else if (custom?.type === 'userpicker' || custom?.type === 'multiuserpicker') extra = { autoCompleteUrl: `${base}/rest/api/1.0/users/picker?fieldName=${id}&${userSearch}&query=` };
      else if (custom?.type === 'labels') extra = { autoCompleteUrl: `${base}/rest/api/1.0/labels/suggest?customFieldId=${custom.schema.customId}&query=` };
  }
  const list = LIST_FIELDS.has(id) || (custom && LIST_CUSTOM.has(custom.type));
  return {
    required: forCreate && REQUIRED.has(id),
    schema: sys?.schema ?? custom!.schema,
    name: sys?.name ?? custom!.name,
    key: id,
    ...(extra.hasDefaultValue ? {} : { hasDefaultValue: false }),
    operations: list ? LIST_OPS : ['set'],
    ...extra,
  };
}

/** Field ids of a project's create or edit screen: the system fields, then the custom fields on the screen. */
export function screenFieldIds(rt: SiteRuntime, project: ProjectDef, screen: 'create' | 'edit'): string[] {
  const custom = rt.store.customFields().filter((f) => onScreen(rt.store, { projectId: project.id }, f.id)).map((f) => f.id);
  return [...(screen === 'create' ? CREATE_SCREEN : EDIT_SCREEN), ...custom];
}
