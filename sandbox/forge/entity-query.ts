/**
 * The Custom Entity Store's rules, as `@forge/kvs` 1.6 calls it (`POST /api/v1/entity/{set,query}`) and as Forge's
 * docs state them, so an app that works here works on Forge:
 * - an entity must be declared in the manifest (`app.storage.entities`), and a stored value's declared attributes
 *   must have their declared type (`integer` a 32-bit signed integer; `any` anything);
 * - a query names one declared index (`.index(name, {partition})`); an index with `partition` attributes needs
 *   exactly one value per partition attribute, and only entities whose values equal them are read; an index
 *   without one takes no partition;
 * - `.where(…)` is a range condition on the index's `range` attribute, one of `WhereConditions` (`beginsWith`,
 *   `between`, `equalTo`, `greaterThan[EqualTo]`, `lessThan[EqualTo]`); entities without the range attribute are
 *   not in the index;
 * - `.filters(…)` (`and` or `or` of `FilterConditions`) test any attribute, and are applied to the entities the page
 *   read from the index: `limit` (1–20, default 10) caps what a page reads, so a filtered page may hold fewer
 *   results, or none, and still carry a `cursor` (an app pages on until there is no cursor);
 * - results come in the index's range order, `ASC` unless `.sort('DESC')`, ties by key;
 * - a `cursor` belongs to the query that returned it: used with another entity, index or partition it is refused.
 * - entity names are 3–60 characters (`ENTITY_TYPE_TOO_SHORT` / `_TOO_LARGE`, checked in ./kvs-store.ts), keys follow
 *   the KVS key rules, and a TTL (`set` options) removes an entity from gets and queries once it has passed.
 * Errors are Forge's body `{code, message}` (400), which `@forge/kvs` throws as `ForgeKvsAPIError`.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-entities/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query-complex/
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-custom-entities/
 */
import type { EntityIndexDef } from './manifest';

/** A Forge storage error: HTTP status, Forge's `code` and the message. */
export class EntityError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Conditions `.where()` accepts (`WhereConditions` in `@forge/kvs`). */
export const WHERE_CONDITIONS = ['BEGINS_WITH', 'BETWEEN', 'EQUAL_TO', 'GREATER_THAN', 'GREATER_THAN_EQUAL_TO', 'LESS_THAN', 'LESS_THAN_EQUAL_TO'];
/** Conditions `.filters()` accepts (`FilterConditions`). */
export const FILTER_CONDITIONS = [...WHERE_CONDITIONS, 'CONTAINS', 'NOT_CONTAINS', 'NOT_EQUAL_TO', 'EXISTS', 'NOT_EXISTS'];
/** Forge's largest and default page. */
export const ENTITY_PAGE = { max: 20, default: 10 };

/** The declared shape of one entity, from the manifest. */
export interface EntityDef {
  indexes: EntityIndexDef[];
  attributes: Record<string, string>;
}

/** One stored entity as the query sees it. */
export interface EntityRow {
  key: string;
  value: any;
}

const bad = (code: string, message: string) => new EntityError(400, code, message);

/**
 * The declared entity named `name`.
 * @throws EntityError 400 `ENTITY_NOT_DECLARED` when the manifest declares no such entity
 */
export function entityDef(defs: Map<string, EntityDef>, name: string): EntityDef {
  const def = defs.get(name);
  if (!def) throw bad('ENTITY_NOT_DECLARED', `Entity '${name}' is not declared in the manifest (app.storage.entities); declare it with its attributes and indexes, then deploy.`);
  return def;
}

/**
 * Checks a value about to be stored against the entity's declared attribute types.
 * @throws EntityError 400 `INVALID_ATTRIBUTE_TYPE` naming the attribute, the type and the value
 */
export function checkEntityValue(def: EntityDef, name: string, value: unknown): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('BAD_REQUEST', `An entity value of '${name}' must be an object of attributes.`);
  for (const [attr, type] of Object.entries(def.attributes)) {
    const v = (value as Record<string, unknown>)[attr];
    if (v === undefined || type === 'any') continue;
    const ok =
      type === 'string' ? typeof v === 'string'
      : type === 'boolean' ? typeof v === 'boolean'
      : type === 'integer' ? Number.isInteger(v) && (v as number) >= -2_147_483_648 && (v as number) <= 2_147_483_647
      : type === 'float' ? typeof v === 'number' && Number.isFinite(v)
      : true;
    if (!ok) throw bad('INVALID_ATTRIBUTE_TYPE', `Attribute '${attr}' of entity '${name}' is declared as ${type}, but the value ${JSON.stringify(v)?.slice(0, 60)} is not.`);
  }
}

/** Evaluates one Forge condition on a value (types compare as stored: strings lexically, numbers numerically). */
export function testEntityCondition(v: any, condition: string, values: any[] = []): boolean {
  const [a, b] = values;
  switch (condition) {
    case 'BEGINS_WITH': return typeof v === 'string' && v.startsWith(String(a));
    case 'BETWEEN': return v != null && v >= a && v <= b;
    case 'EQUAL_TO': return v === a;
    case 'NOT_EQUAL_TO': return v !== a;
    case 'GREATER_THAN': return v != null && v > a;
    case 'GREATER_THAN_EQUAL_TO': return v != null && v >= a;
    case 'LESS_THAN': return v != null && v < a;
    case 'LESS_THAN_EQUAL_TO': return v != null && v <= a;
    case 'CONTAINS': return Array.isArray(v) ? v.includes(a) : typeof v === 'string' && v.includes(String(a));
    case 'NOT_CONTAINS': return !(Array.isArray(v) ? v.includes(a) : typeof v === 'string' && v.includes(String(a)));
    case 'EXISTS': return v !== undefined;
    case 'NOT_EXISTS': return v === undefined;
    default: throw bad('INVALID_CONDITION', `Unsupported condition ${condition}`);
  }
}

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function dec(s: unknown): any {
  try {
    return JSON.parse(Buffer.from(String(s), 'base64url').toString('utf8'));
  } catch {
    throw bad('INVALID_CURSOR', 'The provided cursor is invalid');
  }
}

/** What a query is about: a cursor of one query is refused by any other. */
const scopeOf = (b: any) => JSON.stringify([b.entityName, b.indexName, b.partition ?? [], b.sort ?? 'ASC']);

/**
 * Answers one `POST /api/v1/entity/query` body over `rows` (the entity's live records).
 * @returns `{data: [{key, value}], cursor?}` as Forge returns it
 * @throws EntityError 400 for an undeclared index, a wrong partition, an unsupported condition, a bad limit or cursor
 */
export function queryEntity(def: EntityDef, rows: EntityRow[], b: any): { data: EntityRow[]; cursor?: string } {
  const ix = def.indexes.find((d) => d.name === b.indexName);
  if (!ix) throw bad('INVALID_INDEX', `Entity '${b.entityName}' has no index '${b.indexName}'. Declared: ${def.indexes.map((d) => d.name).join(', ') || 'none'}.`);
  const partition: unknown[] | undefined = b.partition;
  if (ix.partition.length && (!Array.isArray(partition) || partition.length !== ix.partition.length)) {
    throw bad('INVALID_PARTITION', `Index '${ix.name}' is partitioned by ${ix.partition.join(', ')}: give one value for each (got ${JSON.stringify(partition ?? null)}).`);
  }
  if (!ix.partition.length && partition?.length) throw bad('INVALID_PARTITION', `Index '${ix.name}' has no partition; query it without one.`);
  const limit = b.limit === undefined || b.limit === null ? ENTITY_PAGE.default : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > ENTITY_PAGE.max) throw bad('INVALID_LIMIT', `limit must be between 1 and ${ENTITY_PAGE.max}`);
  const range = b.range;
  if (range && !WHERE_CONDITIONS.includes(range.condition)) throw bad('INVALID_CONDITION', `'${range.condition}' is not a where condition; use one of ${WHERE_CONDITIONS.join(', ')}.`);
  const filters: any[] = b.filters?.and ?? b.filters?.or ?? [];
  if (b.filters?.and && b.filters?.or) throw bad('BAD_REQUEST', 'Filters combine with and or with or, not both.');
  for (const f of filters) if (!FILTER_CONDITIONS.includes(f.condition)) throw bad('INVALID_CONDITION', `'${f.condition}' is not a filter condition.`);
  if (b.sort !== undefined && b.sort !== 'ASC' && b.sort !== 'DESC') throw bad('BAD_REQUEST', `sort must be ASC or DESC, got ${b.sort}`);

  const rangeAttr = ix.range[0];
  const inIndex = rows.filter(({ value: v }) => v?.[rangeAttr] !== undefined && ix.partition.every((attr, i) => v?.[attr] === partition![i]));
  const inRange = range ? inIndex.filter(({ value }) => testEntityCondition(value[rangeAttr], range.condition, range.values)) : inIndex;
  const dir = b.sort === 'DESC' ? -1 : 1;
  const cmp = (x: EntityRow, y: EntityRow) => {
    const a = x.value[rangeAttr];
    const c = y.value[rangeAttr];
    if (a !== c) return a < c ? -dir : dir;
    return x.key < y.key ? -dir : x.key > y.key ? dir : 0;
  };
  inRange.sort(cmp);
  let start = 0;
  if (b.cursor) {
    const pos = dec(b.cursor);
    if (pos?.scope !== scopeOf(b)) throw bad('INVALID_CURSOR', 'The provided cursor belongs to another query (entity, index, partition or sort differ).');
    const after = { key: pos.key, value: { [rangeAttr]: pos.at } };
    start = inRange.findIndex((r) => cmp(r, after) > 0);
    if (start < 0) start = inRange.length;
  }
  const read = inRange.slice(start, start + limit);
  const one = (v: any, f: any) => testEntityCondition(v?.[f.property], f.condition, f.values);
  const data = read.filter(({ value }) => !filters.length || (b.filters.and ? filters.every((f) => one(value, f)) : filters.some((f) => one(value, f))));
  const last = read[read.length - 1];
  const more = start + limit < inRange.length;
  return { data, ...(more && last ? { cursor: enc({ scope: scopeOf(b), at: last.value[rangeAttr], key: last.key }) } : {}) };
}
