/**
 * Custom field values: validated per type with Jira's per-field 400 messages, stored in a canonical form, and
 * rendered in the REST shapes (ADF for paragraphs in v3, `CustomFieldOption`s, users, versions). The definitions
 * of each site are in `./custom-field-defs`; a site's list is `store.customFields()`.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import { adfToText } from './adf';
import type { CustomFieldDef, OptionDef } from './custom-field-defs';
import type { FieldErrors } from './fields';
import type { SiteStore } from './store';
import type { IssueRec, NamedRef } from './types';
import { type Checked, checkAdf, checkDate, checkRefs, checkUser, checkUsers } from './values';

/** `GET /rest/api/3/field` entries of a site's custom fields. */
export function customFieldList(store: SiteStore): unknown[] {
  return store.customFields().map((f) => ({
    id: f.id, key: f.id, name: f.name, custom: true, orderable: true, navigable: true, searchable: true,
    clauseNames: [`cf[${f.schema.customId}]`, f.name], schema: f.schema,
  }));
}

const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)$/;

/** The option a `{id}` or `{value}` names: "Option id 'x' is not valid" / "Option value 'x' is not valid" otherwise. */
function option(f: CustomFieldDef, v: any): OptionDef | string {
  if (v && typeof v === 'object' && v.id !== undefined) return f.options.find((o) => o.id === String(v.id)) ?? `Option id '${v.id}' is not valid`;
  if (v && typeof v === 'object' && v.value !== undefined) return f.options.find((o) => o.value === v.value) ?? `Option value '${v.value}' is not valid`;
  return `Option value '${JSON.stringify(v)}' is not valid`;
}

/**
 * Validates a value for custom field `f` and returns its stored form (null clears), or an error message.
 * Stored forms: string, ADF doc, number, `YYYY-MM-DD`, ISO datetime, option id(s), accountId(s), version refs.
 */
function canonical(store: SiteStore, issue: IssueRec, f: CustomFieldDef, v: any): Checked<unknown> {
  if (v === null) return { ok: null };
  switch (f.type) {
    case 'textfield':
      if (typeof v !== 'string') return { error: 'Operation value must be a string' };
      return v.length > 255 ? { error: 'The entered text is too long. It exceeds the allowed limit of 255 characters.' } : { ok: v };
    case 'textarea': {
      const r = checkAdf(v);
      return 'ok' in r ? { ok: v } : r;
    }
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? { ok: v } : { error: 'Operation value must be a number' };
    case 'datepicker':
      return checkDate(v);
    case 'datetime':
      return typeof v === 'string' && DATETIME.test(v) && !Number.isNaN(Date.parse(v.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))) ? { ok: v } : { error: `Error parsing date time string: ${v}` };
    case 'url':
      return typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) ? { ok: v } : { error: 'Not a valid URL' };
    case 'select':
    case 'radiobuttons': {
      const o = option(f, v);
      return typeof o === 'string' ? { error: o } : { ok: o.id };
    }
    case 'multiselect':
    case 'multicheckboxes': {
      if (!Array.isArray(v)) return { error: 'Operation value must be an array' };
      const os = v.map((x) => option(f, x));
      const bad = os.find((o) => typeof o === 'string');
      return bad ? { error: bad as string } : { ok: (os as OptionDef[]).map((o) => o.id) };
    }
    case 'labels': {
      if (!Array.isArray(v) || v.some((l) => typeof l !== 'string')) return { error: 'Operation value must be an array of strings' };
      const spaced = v.find((l: string) => /\s/.test(l));
      return spaced ? { error: `The label '${spaced}' contains spaces which is invalid.` } : { ok: [...new Set(v)] };
    }
    case 'userpicker':
      return checkUser(store, v);
    case 'multiuserpicker':
      return checkUsers(store, v);
    case 'multiversion': {
      const r = checkRefs(store.project(issue.projectId)!.versions, v, 'Version');
      return 'ok' in r ? { ok: r.ok.map((x) => ({ id: x.id, name: x.name })) } : r;
    }
  }
}

/** Plain-text form of a stored value (changelog strings, v2 webhooks). */
function text(store: SiteStore, f: CustomFieldDef, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'textarea') return adfToText(v as any);
  if (f.options.length) return (Array.isArray(v) ? v : [v]).map((id) => f.options.find((o) => o.id === id)?.value ?? id).join(',');
  if (f.type === 'multiversion') return (v as NamedRef[]).map((r) => r.name).join(',');
  if (f.type === 'userpicker') return store.user(v as string)?.displayName ?? String(v);
  if (f.type === 'multiuserpicker') return (v as string[]).map((id) => store.user(id)?.displayName ?? id).join(', ');
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
}

/**
 * Sets custom field `fieldId` on `issue` (in place): the changelog item, null when unchanged, or null with
 * `errors[fieldId]` set. Unknown ids return null (the caller reports them).
 */
export function setCustomField(store: SiteStore, issue: IssueRec, fieldId: string, value: unknown, errors: FieldErrors) {
  const f = store.customField(fieldId);
  if (!f) return null;
  const r = canonical(store, issue, f, value);
  if ('error' in r) return (errors[fieldId] = r.error), null;
  const custom = (issue.custom ??= {});
  const before = custom[fieldId] ?? null;
  if (JSON.stringify(before) === JSON.stringify(r.ok)) return null;
  if (r.ok === null) delete custom[fieldId];
  else custom[fieldId] = r.ok;
  const ids = (x: unknown) => (x === null ? null : f.type === 'userpicker' ? (x as string) : f.type === 'multiuserpicker' ? (x as string[]).join(', ') : null);
  return { field: f.name, fieldtype: 'custom' as const, fieldId, from: ids(before), fromString: text(store, f, before), to: ids(r.ok), toString: text(store, f, r.ok) };
}

/**
 * REST value of custom field `fieldId` (undefined when no such field): null when unset. User values come back as
 * accountIds (`{accountId}` / `[{accountId}]`) for the renderer to expand into `UserDetails`.
 */
export function renderCustomField(store: SiteStore, issue: IssueRec, fieldId: string, v: '2' | '3'): unknown {
  const f = store.customField(fieldId);
  if (!f) return undefined;
  const val = issue.custom?.[fieldId];
  if (val === undefined || val === null) return null;
  const base = store.site.publicUrl;
  const opt = (id: string) => ({ self: `${base}/rest/api/3/customFieldOption/${id}`, value: f.options.find((o) => o.id === id)?.value, id });
  switch (f.type) {
    case 'textarea': return v === '3' ? val : adfToText(val as any);
    case 'select': case 'radiobuttons': return opt(val as string);
    case 'multiselect': case 'multicheckboxes': return (val as string[]).map(opt);
    case 'multiversion': return (val as NamedRef[]).map((r) => ({ self: `${base}/rest/api/3/version/${r.id}`, ...r }));
    case 'labels': return [...(val as string[])];
    default: return val;
  }
}

/** Is `fieldId` a custom field on `issue`'s project screens? (all but the project's `offScreenFields`) */
export function onScreen(store: SiteStore, issue: Pick<IssueRec, 'projectId'>, fieldId: string): boolean {
  if (!store.customField(fieldId)) return false;
  return !store.project(issue.projectId)?.offScreenFields?.includes(fieldId);
}
