/**
 * Custom fields of the emulated sites, built from real definitions in `../shared/data/jira-field-information.json`
 * (the first field of each system custom type found there: name, schema type, custom type key), renumbered the way
 * a Cloud site numbers them (`customfield_10010`…). Values are validated per type with Jira's per-field 400
 * messages, stored in a canonical form, and rendered in the REST shapes (ADF for paragraphs in v3).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import fs from 'node:fs';
import path from 'node:path';
import { adfToText, isAdfDoc } from './adf';
import { DATA_DIR } from './defs';
import type { FieldErrors } from './fields';
import type { SiteStore } from './store';
import type { IssueRec, NamedRef } from './types';

const PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** The custom types emulated, in the order their fields are numbered. */
export const CUSTOM_TYPES = ['textfield', 'textarea', 'float', 'datepicker', 'datetime', 'select', 'multiselect', 'multicheckboxes', 'url', 'labels', 'userpicker', 'multiversion'] as const;
type CustomType = (typeof CUSTOM_TYPES)[number];

/** An option of a select, multi-select or checkbox field (`CustomFieldOption`). */
export interface OptionDef {
  id: string;
  value: string;
}

/** A custom field as `GET /rest/api/3/field` lists it, plus its type and options. */
export interface CustomFieldDef {
  id: string;
  name: string;
  type: CustomType;
  schema: { type: string; items?: string; custom: string; customId: number };
  options: OptionDef[];
}

let cached: CustomFieldDef[] | null = null;

/** The site custom fields (same definitions on both sites). @throws if the field dump is missing */
export function customFieldDefs(): CustomFieldDef[] {
  if (cached) return cached;
  const bySite: Record<string, Array<{ name: string; schema?: { type: string; items?: string; custom?: string } }>> = JSON.parse(
    fs.readFileSync(path.join(DATA_DIR, 'jira-field-information.json'), 'utf8'),
  );
  const found = new Map<string, { name: string; schema: { type: string; items?: string } }>();
  for (const fields of Object.values(bySite)) {
    for (const f of fields) {
      const t = f.schema?.custom?.startsWith(PREFIX) ? f.schema.custom.slice(PREFIX.length) : '';
      if ((CUSTOM_TYPES as readonly string[]).includes(t) && !found.has(t)) found.set(t, { name: f.name, schema: f.schema! });
    }
  }
  cached = CUSTOM_TYPES.filter((t) => found.has(t)).map((t, i) => {
    const n = 10010 + i;
    const f = found.get(t)!;
    const options = ['select', 'multiselect', 'multicheckboxes'].includes(t) ? ['Alpha', 'Beta', 'Gamma'].map((value, k) => ({ id: String(10100 + i * 10 + k), value })) : [];
    return { id: `customfield_${n}`, name: f.name, type: t, schema: { type: f.schema.type, ...(f.schema.items ? { items: f.schema.items } : {}), custom: PREFIX + t, customId: n }, options };
  });
  return cached;
}

/** `GET /rest/api/3/field` entries of the custom fields. */
export function customFieldList(): unknown[] {
  return customFieldDefs().map((f) => ({
    id: f.id, key: f.id, name: f.name, custom: true, orderable: true, navigable: true, searchable: true,
    clauseNames: [`cf[${f.schema.customId}]`, f.name], schema: f.schema,
  }));
}

const DATE = /^\d{4}-\d\d-\d\d$/;
const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)$/;

function option(f: CustomFieldDef, v: any): OptionDef | string {
  if (v && typeof v === 'object' && v.id !== undefined) return f.options.find((o) => o.id === String(v.id)) ?? `Option id '${v.id}' is not valid`;
  if (v && typeof v === 'object' && v.value !== undefined) return f.options.find((o) => o.value === v.value) ?? `Option value '${v.value}' is not valid`;
  return `Option value '${JSON.stringify(v)}' is not valid`;
}

/**
 * Validates a value for custom field `f` and returns its stored form (null clears), or an error message.
 * Stored forms: string, ADF doc, number, `YYYY-MM-DD`, ISO datetime, option id(s), accountId, version refs.
 */
function canonical(store: SiteStore, issue: IssueRec, f: CustomFieldDef, v: any): { ok: unknown } | { error: string } {
  if (v === null) return { ok: null };
  switch (f.type) {
    case 'textfield':
      if (typeof v !== 'string') return { error: 'Operation value must be a string' };
      return v.length > 255 ? { error: 'The entered text is too long. It exceeds the allowed limit of 255 characters.' } : { ok: v };
    case 'textarea':
      return isAdfDoc(v) ? { ok: v } : { error: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' };
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? { ok: v } : { error: 'Operation value must be a number' };
    case 'datepicker':
      return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v)) ? { ok: v } : { error: `Error parsing date string: ${v}` };
    case 'datetime':
      return typeof v === 'string' && DATETIME.test(v) && !Number.isNaN(Date.parse(v.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))) ? { ok: v } : { error: `Error parsing date time string: ${v}` };
    case 'url':
      return typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) ? { ok: v } : { error: 'Not a valid URL' };
    case 'select': {
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
    case 'userpicker': {
      const id = v?.accountId;
      return typeof id === 'string' && store.user(id) ? { ok: id } : { error: `Specified user does not exist or you do not have required permissions` };
    }
    case 'multiversion': {
      if (!Array.isArray(v)) return { error: 'Operation value must be an array' };
      const pool = store.project(issue.projectId)!.versions;
      const refs: NamedRef[] = [];
      for (const x of v) {
        const r = pool.find((p) => (x?.id !== undefined && p.id === String(x.id)) || (x?.name !== undefined && p.name === x.name));
        if (!r) return { error: x?.id !== undefined ? `Version id '${x.id}' is not valid` : `Version name '${x?.name}' is not valid` };
        refs.push({ id: r.id, name: r.name });
      }
      return { ok: refs };
    }
  }
}

/** Plain-text form of a stored value (changelog strings, v2 webhooks). */
function text(f: CustomFieldDef, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'textarea') return adfToText(v as any);
  if (f.options.length) return (Array.isArray(v) ? v : [v]).map((id) => f.options.find((o) => o.id === id)?.value ?? id).join(',');
  if (f.type === 'multiversion') return (v as NamedRef[]).map((r) => r.name).join(',');
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
}

/**
 * Sets custom field `fieldId` on `issue` (in place): the changelog item, null when unchanged, or null with
 * `errors[fieldId]` set. Unknown ids get Jira's "cannot be set" message.
 */
export function setCustomField(store: SiteStore, issue: IssueRec, fieldId: string, value: unknown, errors: FieldErrors) {
  const f = customFieldDefs().find((x) => x.id === fieldId);
  if (!f) return null;
  const r = canonical(store, issue, f, value);
  if ('error' in r) return (errors[fieldId] = r.error), null;
  const custom = (issue.custom ??= {});
  const before = custom[fieldId] ?? null;
  if (JSON.stringify(before) === JSON.stringify(r.ok)) return null;
  if (r.ok === null) delete custom[fieldId];
  else custom[fieldId] = r.ok;
  return { field: f.name, fieldtype: 'custom' as const, fieldId, from: null, fromString: text(f, before), to: null, toString: text(f, r.ok) };
}

/** REST value of custom field `fieldId` (undefined when no such field): null when unset. */
export function renderCustomField(store: SiteStore, issue: IssueRec, fieldId: string, v: '2' | '3'): unknown {
  const f = customFieldDefs().find((x) => x.id === fieldId);
  if (!f) return undefined;
  const val = issue.custom?.[fieldId];
  if (val === undefined || val === null) return null;
  const base = store.site.publicUrl;
  const opt = (id: string) => ({ self: `${base}/rest/api/3/customFieldOption/${id}`, value: f.options.find((o) => o.id === id)?.value, id });
  switch (f.type) {
    case 'textarea': return v === '3' ? val : adfToText(val as any);
    case 'select': return opt(val as string);
    case 'multiselect': case 'multicheckboxes': return (val as string[]).map(opt);
    case 'multiversion': return (val as NamedRef[]).map((r) => ({ self: `${base}/rest/api/3/version/${r.id}`, ...r }));
    case 'labels': return [...(val as string[])];
    default: return val;
  }
}

/** Is `fieldId` a custom field on `issue`'s project screens? (`project.screenFields`; absent = all custom fields) */
export function onScreen(store: SiteStore, issue: Pick<IssueRec, 'projectId'>, fieldId: string): boolean {
  if (!customFieldDefs().some((f) => f.id === fieldId)) return false;
  const screen = store.project(issue.projectId)?.screenFields;
  return !screen || screen.includes(fieldId);
}
