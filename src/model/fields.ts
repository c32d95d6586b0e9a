/**
 * The field registry: one codec per kind of field. A codec knows how to read a field's REST v3 value into a
 * normalised value, compare two normalised values, convert one into the other side's terms through the mapping,
 * and turn it back into the REST value of an edit (`PUT /rest/api/3/issue/{id}`) — or, for status, a transition.
 * Every list of synced fields is derived from a connection's mapping and this registry, never typed out again.
 *
 * Normalised values (the base snapshot stores these, per field id and side):
 * | kind                               | value                                   | REST edit value          |
 * |------------------------------------|-----------------------------------------|--------------------------|
 * | text, url                          | trimmed string, `''` when empty         | string, or null          |
 * | paragraph                          | tidy ADF doc, localIds kept (base: digest) | ADF doc or null       |
 * | number                             | number or null                          | number or null           |
 * | date                               | `YYYY-MM-DD` or null                    | same                     |
 * | datetime                           | ISO-8601 UTC with ms, or null           | same                     |
 * | labels                             | sorted unique strings                   | string[]                 |
 * | select, radio                      | option value or null                    | `{value}` or null        |
 * | multiselect, checkbox              | sorted option values                    | `[{value}]`              |
 * | user                               | accountId or null                       | `{accountId}` or null    |
 * | multiuser                          | sorted accountIds                       | `[{accountId}]`          |
 * | priority, issuetype                | id on that site, or null                | `{id}`                   |
 * | status                             | status id on that site, or null         | (a transition)           |
 * | components, versions               | sorted names                            | `[{name}]`               |
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/ (field `schema`)
 */
import { z } from 'zod';
import { adfTextLength, isDigest, isRecord, RICH_TEXT_MAX_CHARS, sameAdf, withLocalIds, writableAdf, type AdfDoc } from './adf';
import { oneWay, type ConnectionMapping, type FieldKind, type FieldMap, type Side } from './mapping';
import { portableAdf } from './portable';
import { jiraTimeMs } from './time';

/** What a codec needs to carry a value from side `from` to the other side. */
export interface ConvertContext {
  from: Side;
  field: FieldMap;
  mapping: ConnectionMapping;
  /** attachments: source media file id → the mirror's media file id (rich text re-points embedded images). */
  media?: Readonly<Record<string, string>>;
}

/**
 * The result of converting: the value in the target's terms (with an optional `note` for the sync log, e.g. a
 * component left out), or `skip` with the reason the field is left unchanged.
 */
export type Converted = { value: unknown; note?: string } | { skip: string };

/** One kind of field. `V` is its normalised value. */
export interface FieldCodec<V = unknown> {
  kind: FieldKind;
  /** The normalised value's schema (base snapshots are parsed with it). */
  schema: z.ZodType<V>;
  /** REST v3 `fields[id]` (or a v2 / webhook value) → normalised. Missing → the empty value. */
  read(raw: unknown): V;
  same(a: V, b: V): boolean;
  convert(value: V, ctx: ConvertContext): Converted;
  /** Normalised value in the target's terms → REST edit value. */
  write(value: V): unknown;
  /** How a value is set: an edit, or a workflow transition (status). */
  via: 'edit' | 'transition';
  /** Short words for the sync log. */
  describe(value: V): string;
  /** worklogs: the field and key an edit writes the value under, when Jira sets it through another field. */
  editAs?(fieldId: string): { field: string; key: string };
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const sortedSet = (xs: string[]): string[] => [...new Set(xs.filter(Boolean))].sort();
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const quoted = (xs: string[]) => (xs.length ? xs.map((x) => `"${x}"`).join(', ') : 'none');
const word = (from: Side) => (from === 'local' ? 'local' : 'partner');
const there = (from: Side) => (from === 'local' ? 'partner' : 'local');

/** Codec of a value passed through unchanged. */
function plain<V>(kind: FieldKind, schema: z.ZodType<V>, read: (raw: unknown) => V, write: (v: V) => unknown = (v) => v): FieldCodec<V> {
  return { kind, schema, read, write, same: sameJson, convert: (value) => ({ value }), via: 'edit', describe: (v) => (v === null || v === '' ? 'empty' : String(v)) };
}

const Paragraph = z.union([z.null(), z.object({ digest: z.string(), bytes: z.number() }), z.object({ type: z.literal('doc') }).passthrough()]);

/**
 * Rich text. Read in the writable form (tidied, `localId`s kept, see `writableAdf`), compared canonically (generated
 * ids ignored). Converting re-points mentions of mapped users, turns other mentions and attachments into text
 * (./portable.ts), gives task/decision lists a `localId` where one is missing, and leaves a value longer than
 * Jira's limit (`RICH_TEXT_MAX_CHARS`) out with the reason instead of writing it (Jira would refuse the whole
 * edit) — never cut.
 */
const paragraph: FieldCodec<AdfDoc | null> = {
  kind: 'paragraph',
  schema: Paragraph as unknown as z.ZodType<AdfDoc | null>,
  read: (raw) => writableAdf(raw),
  same: (a, b) => sameAdf(a, b),
  convert: (value, ctx) => {
    if (isDigest(value)) return { skip: 'the stored value is a digest' };
    const chars = adfTextLength(value);
    if (chars > RICH_TEXT_MAX_CHARS) {
      const name = ctx.field.name[ctx.from];
      return { skip: `the ${word(ctx.from)} ${name} has ${chars.toLocaleString('en-US')} characters of text and Jira takes at most ${RICH_TEXT_MAX_CHARS.toLocaleString('en-US')}, so it was not copied (it is never cut to fit). Shorten it on the ${word(ctx.from)} issue and it syncs` };
    }
    return { value: withLocalIds(writableAdf(portableAdf(value, { users: users(ctx), media: ctx.media }))) };
  },
  write: (v) => v,
  via: 'edit',
  describe: (v) => (v ? 'rich text' : 'empty'),
};

/** A value translated through a one-way id or value map; `null` stays `null`, an unmapped one is skipped. */
function mapped(
  kind: FieldKind,
  mapOf: (ctx: ConvertContext) => Record<string, string>,
  what: string,
  where: string,
  write: (v: string) => unknown,
): FieldCodec<string | null> {
  return {
    kind,
    schema: z.string().nullable(),
    read: (raw) => {
      if (!isRecord(raw)) return null;
      const v = kind === 'user' ? raw.accountId : kind === 'select' || kind === 'radio' ? raw.value : raw.id;
      return v === undefined || v === null ? null : String(v);
    },
    same: (a, b) => (a ?? null) === (b ?? null),
    convert: (value, ctx) => {
      if (value === null) return { value: null };
      const to = mapOf(ctx)[value];
      if (to !== undefined) return { value: to };
      return { skip: `${word(ctx.from)} ${what} "${value}" has no ${there(ctx.from)} ${what} mapped, so ${ctx.field.name[ctx.from]} was left unchanged. Map it in Task sync settings → ${where}` };
    },
    write: (v) => (v === null ? null : write(v)),
    via: kind === 'status' ? 'transition' : 'edit',
    describe: (v) => v ?? 'empty',
  };
}

/** A set of values translated one by one; any value without a counterpart skips the field (`strict`) or is left out. */
function mappedSet(
  kind: FieldKind,
  mapOf: (ctx: ConvertContext) => Record<string, string>,
  what: string,
  where: string,
  readOne: (x: Record<string, unknown>) => unknown,
  writeOne: (v: string) => unknown,
  strict: boolean,
): FieldCodec<string[]> {
  return {
    kind,
    schema: z.array(z.string()),
    read: (raw) => (Array.isArray(raw) ? sortedSet(raw.filter(isRecord).map((x) => str(readOne(x)))) : []),
    same: (a, b) => sameJson(sortedSet(a ?? []), sortedSet(b ?? [])),
    convert: (value, ctx) => {
      const map = mapOf(ctx);
      const missing = value.filter((v) => map[v] === undefined);
      const out = sortedSet(value.filter((v) => map[v] !== undefined).map((v) => map[v]));
      if (!missing.length) return { value: out };
      const field = ctx.field.name[ctx.from];
      if (strict) return { skip: `${word(ctx.from)} ${what} ${quoted(missing)} of ${field} ${missing.length > 1 ? 'have' : 'has'} no ${there(ctx.from)} counterpart mapped, so ${field} was left unchanged. Map ${missing.length > 1 ? 'them' : 'it'} in Task sync settings → ${where}` };
      return { value: out, note: `${field}: ${quoted(missing)} ${missing.length > 1 ? 'do' : 'does'} not exist on the ${there(ctx.from)} site, so ${missing.length > 1 ? 'they were' : 'it was'} left out (never created). Create ${missing.length > 1 ? 'them' : 'it'} there to sync ${missing.length > 1 ? 'them' : 'it'}.` };
    },
    write: (vs) => vs.map(writeOne),
    via: 'edit',
    describe: (v) => quoted(v),
  };
}

const values = (ctx: ConvertContext) => oneWay(ctx.field.values, ctx.from);
const users = (ctx: ConvertContext) => oneWay(ctx.mapping.users, ctx.from);
const isoDate = (raw: unknown) => (typeof raw === 'string' && /^\d{4}-\d\d-\d\d/.test(raw) ? raw.slice(0, 10) : null);
const isoDateTime = (raw: unknown) => {
  const ms = typeof raw === 'string' ? jiraTimeMs(raw) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/**
 * worklogs: an estimate, `timeoriginalestimate` (Original Estimate) or `timeestimate` (Remaining Estimate): seconds
 * or null, read from the issue's number fields. Jira sets neither directly: an edit writes them through the
 * `timetracking` field (`{originalEstimate: '90m', remainingEstimate: '2h'}`), so `editAs` names that field and key.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
 */
const estimate: FieldCodec<number | null> = {
  ...plain('estimate', z.number().int().min(0).nullable(), (raw) => (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? Math.round(raw / 60) * 60 : null)), // Jira keeps estimates in whole minutes
  write: (v) => (v === null ? '' : `${Math.round(v / 60)}m`),
  editAs: (fieldId) => ({ field: 'timetracking', key: fieldId === 'timeoriginalestimate' ? 'originalEstimate' : 'remainingEstimate' }),
  describe: (v) => (v === null ? 'empty' : `${Math.round(v / 60)} minutes`),
};

/** The registry: the codec of every kind in `FIELD_KINDS`. */
export const REGISTRY: { [K in FieldKind]: FieldCodec<any> } = {
  text: plain('text', z.string(), str, (v: string) => v || null),
  url: plain('url', z.string(), str, (v: string) => v || null),
  paragraph,
  number: plain('number', z.number().nullable(), (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? raw : typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null)),
  date: plain('date', z.string().nullable(), isoDate),
  datetime: plain('datetime', z.string().nullable(), isoDateTime),
  labels: { ...plain('labels', z.array(z.string()), (raw) => (Array.isArray(raw) ? sortedSet(raw.map(str)) : [])), same: (a: string[], b: string[]) => sameJson(sortedSet(a ?? []), sortedSet(b ?? [])), write: (v: string[]) => [...v], describe: (v: string[]) => quoted(v) },
  select: mapped('select', values, 'option', 'Fields', (v) => ({ value: v })),
  radio: mapped('radio', values, 'option', 'Fields', (v) => ({ value: v })),
  multiselect: mappedSet('multiselect', values, 'options', 'Fields', (x) => x.value, (v) => ({ value: v }), true),
  checkbox: mappedSet('checkbox', values, 'options', 'Fields', (x) => x.value, (v) => ({ value: v }), true),
  user: mapped('user', users, 'user', 'Users', (v) => ({ accountId: v })),
  multiuser: mappedSet('multiuser', users, 'users', 'Users', (x) => x.accountId, (v) => ({ accountId: v }), true),
  priority: mapped('priority', (ctx) => oneWay(ctx.mapping.priority, ctx.from), 'priority', 'Priorities', (v) => ({ id: v })),
  status: mapped('status', (ctx) => oneWay(ctx.mapping.status, ctx.from), 'status', 'Statuses', (v) => v),
  issuetype: mapped('issuetype', (ctx) => oneWay(ctx.mapping.issueTypes, ctx.from), 'issue type', 'Issue types', (v) => ({ id: v })),
  components: mappedSet('components', values, 'components', 'Fields', (x) => x.name, (v) => ({ name: v }), false),
  versions: mappedSet('versions', values, 'versions', 'Fields', (x) => x.name, (v) => ({ name: v }), false),
  estimate, // worklogs
};

/** The codec of a mapped field. */
export function codecOf(field: Pick<FieldMap, 'kind'>): FieldCodec<any> {
  return REGISTRY[field.kind];
}

/** A Jira field's `schema` as `GET /rest/api/3/field` and createmeta give it. */
export interface JiraFieldSchema {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
}

const CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const BY_CUSTOM: Record<string, FieldKind> = {
  textfield: 'text',
  textarea: 'paragraph',
  float: 'number',
  datepicker: 'date',
  datetime: 'datetime',
  url: 'url',
  labels: 'labels',
  select: 'select',
  radiobuttons: 'radio',
  multiselect: 'multiselect',
  multicheckboxes: 'checkbox',
  userpicker: 'user',
  multiuserpicker: 'multiuser',
  multiversion: 'versions',
};
const BY_SYSTEM: Record<string, FieldKind> = {
  summary: 'text',
  description: 'paragraph',
  environment: 'paragraph',
  duedate: 'date',
  labels: 'labels',
  priority: 'priority',
  status: 'status',
  issuetype: 'issuetype',
  assignee: 'user',
  reporter: 'user',
  components: 'components',
  fixVersions: 'versions',
  versions: 'versions',
  timeoriginalestimate: 'estimate', // worklogs
  timeestimate: 'estimate', // worklogs
};

/**
 * The registry kind of a Jira field, from its `schema` (system fields by `schema.system`, custom fields by their
 * type key `com.atlassian.jira.plugin.system.customfieldtypes:<type>`), or undefined when no codec handles it.
 */
export function kindOfSchema(schema: JiraFieldSchema | undefined): FieldKind | undefined {
  if (!schema) return undefined;
  if (schema.system) return BY_SYSTEM[schema.system];
  if (schema.custom?.startsWith(CUSTOM)) return BY_CUSTOM[schema.custom.slice(CUSTOM.length)];
  return undefined;
}
