/**
 * The Forge Key-Value Store, Secret store and (basic) Custom Entity Store behind `@forge/kvs`, answering exactly the
 * REST calls its `StorageApi` makes (`POST /api/v1/{get,set,delete,query}`, `/api/v1/secret/*`, `/api/v1/entity/*`,
 * `/api/v1/batch/*`, `/api/v1/transaction`). Errors use Forge's body `{code, message}`, which `@forge/kvs` turns into
 * a `ForgeKvsAPIError` with that `code`.
 *
 * Persisted to one JSON file (write-behind ~50 ms, atomic rename); secrets never leave that file.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-kvs
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query/
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EntityIndexDef } from './manifest';
import { KvsFaults } from './kvs-faults';
import { KvsCalls } from './kvs-calls';
import { checkEntityValue, entityDef, EntityError, queryEntity, testEntityCondition, type EntityDef } from './entity-query';

/** One stored value. Times: `createdAt`/`updatedAt` epoch seconds, `expireAt` epoch ms. */
interface Rec {
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expireAt?: number;
}

/** A KVS answer: HTTP status and JSON body (absent for 204). */
export interface KvsReply {
  status: number;
  body?: unknown;
}

class KvsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Limits as Forge documents them. */
export const KVS_LIMITS = { keyChars: 500, valueBytes: 240 * 1024, depth: 32, pageMax: 20, pageDefault: 10, txOps: 25, batch: 25 };
const KEY_RE = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const TTL_MS: Record<string, number> = { SECONDS: 1e3, MINUTES: 6e4, HOURS: 36e5, DAYS: 864e5 };

const nowSec = () => Math.floor(Date.now() / 1000);
const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const dec = (s: string): any => {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw new KvsError(400, 'INVALID_CURSOR', 'The provided cursor is invalid');
  }
};

function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let d = 0;
  for (const x of Object.values(v as object)) d = Math.max(d, depth(x));
  return d + 1;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new KvsError(400, 'KEY_TOO_SHORT', 'The provided key needs to be at least one character');
  if (key.length > KVS_LIMITS.keyChars) throw new KvsError(400, 'KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.keyChars} characters`);
  if (!KEY_RE.test(key)) throw new KvsError(400, 'INVALID_KEY', 'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/');
  return key;
}

function checkValue(value: unknown): void {
  if (value === undefined) throw new KvsError(400, 'BAD_REQUEST', 'Provided request body is invalid: value is required');
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > KVS_LIMITS.valueBytes) throw new KvsError(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${bytes} > ${KVS_LIMITS.valueBytes} bytes)`);
  if (depth(value) > KVS_LIMITS.depth) throw new KvsError(400, 'MAX_DEPTH', `The provided value has exceeded the maximum object depth (${KVS_LIMITS.depth}) limit`);
}

/** Evaluates one Forge condition (`BEGINS_WITH`, `BETWEEN`, `EQUAL_TO`, `CONTAINS`, `EXISTS`, …) on a value. */
export const testCondition = testEntityCondition;

/** `{and:[…]}` / `{or:[…]}` filters over an entity value's properties. */
function testFilters(value: any, filters?: { and?: any[]; or?: any[] }): boolean {
  if (!filters) return true;
  const one = (f: any) => testCondition(value?.[f.property], f.condition, f.values);
  if (filters.and?.length && !filters.and.every(one)) return false;
  if (filters.or?.length && !filters.or.some(one)) return false;
  return true;
}

/**
 * In-memory KVS with file persistence. `handle(path, body)` is the whole REST surface.
 * @param file JSON file, e.g. `<dataDir>/kvs.json`
 * @param opts.fresh start empty (wipes the file)
 * @param opts.entities Custom Entity Store indexes from the manifest
 */
export class KvsStore {
  private spaces = new Map<string, Map<string, Rec>>();
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly opts: { fresh?: boolean; entities?: Map<string, EntityIndexDef[]>; entityAttributes?: Map<string, Record<string, string>> } = {},
  ) {
    if (opts.fresh) fs.rmSync(file, { force: true });
    else if (fs.existsSync(file)) {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, Rec>>;
      for (const [space, recs] of Object.entries(raw)) this.spaces.set(space, new Map(Object.entries(recs)));
    }
  }

  /** Injected faults (`POST /__sandbox/kvs-faults`), checked before every call. */
  readonly faults = new KvsFaults();
  /** The app's calls, counted (`GET /__sandbox/kvs-calls`); recorded by the host's `__forge_fetch__`. */
  readonly calls = new KvsCalls();

  /** Answers one `@forge/kvs` REST call. Never throws: errors become `{status, body:{code, message}}`. */
  handle(apiPath: string, body: any): KvsReply {
    const fault = this.faults.intercept(apiPath, body);
    if (fault) return fault;
    try {
      return this.route(apiPath.replace(/\?.*$/, ''), body ?? {});
    } catch (e) {
      if (e instanceof KvsError || e instanceof EntityError) return { status: e.status, body: { code: e.code, message: e.message } };
      return { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', message: String((e as Error)?.message ?? e) } };
    }
  }

  private route(p: string, b: any): KvsReply {
    switch (p) {
      case '/api/v1/get': return this.get('kv', b.key, b.options);
      case '/api/v1/set': return this.set('kv', b.key, b.value, b.options);
      case '/api/v1/delete': return this.del('kv', b.key);
      case '/api/v1/query': return this.query(b);
      case '/api/v1/secret/get': return this.get('secret', b.key, b.options);
      case '/api/v1/secret/set': return this.set('secret', b.key, b.value, b.options);
      case '/api/v1/secret/delete': return this.del('secret', b.key);
      case '/api/v1/entity/get': return this.get(this.entitySpace(b.entityName), b.key, b.options);
      case '/api/v1/entity/set': return this.setEntity(b);
      case '/api/v1/entity/delete': return this.del(this.entitySpace(b.entityName), b.key);
      case '/api/v1/entity/query': return this.entityQuery(b);
      case '/api/v1/batch/set': return this.batch(b, (i) => this.set(this.spaceOf(i), i.key, i.value, i.options));
      case '/api/v1/batch/get': return this.batch(b, (i) => this.get(this.spaceOf(i), i.key, i.options));
      case '/api/v1/batch/delete': return this.batch(b, (i) => this.del(this.spaceOf(i), i.key));
      case '/api/v1/transaction': return this.transact(b);
      default: throw new KvsError(404, 'NOT_FOUND', `No KVS endpoint ${p}`);
    }
  }

  private entitySpace(name: unknown): string {
    if (typeof name !== 'string' || name.length < 3) throw new KvsError(400, 'ENTITY_TYPE_TOO_SHORT', 'The provided entity name needs to be more than 3 characters');
    // log: Forge's error table (handling-errors-customentities) and the manifest schema's maxLength agree on 60.
    if (name.length > 60) throw new KvsError(400, 'ENTITY_TYPE_TOO_LARGE', 'The provided entity name has exceeded the maximum 60 characters');
    this.entityDefOf(name);
    return `entity:${name}`;
  }

  /** The manifest's declaration of an entity (see ./entity-query.ts for the rules). */
  private entityDefOf(name: string): EntityDef {
    const defs = new Map<string, EntityDef>();
    for (const [n, indexes] of this.opts.entities ?? []) defs.set(n, { indexes, attributes: this.opts.entityAttributes?.get(n) ?? {} });
    return entityDef(defs, name);
  }

  private setEntity(b: any): KvsReply {
    const space = this.entitySpace(b.entityName);
    checkEntityValue(this.entityDefOf(b.entityName), b.entityName, b.value);
    return this.set(space, b.key, b.value, b.options);
  }
  private spaceOf(item: any): string {
    return item?.entityName ? this.entitySpace(item.entityName) : 'kv';
  }

  private map(space: string): Map<string, Rec> {
    let m = this.spaces.get(space);
    if (!m) this.spaces.set(space, (m = new Map()));
    return m;
  }

  /** The live record, dropping it when its TTL has passed. */
  private live(space: string, key: string): Rec | undefined {
    const m = this.map(space);
    const r = m.get(key);
    if (r?.expireAt !== undefined && r.expireAt <= Date.now()) {
      m.delete(key);
      this.scheduleSave();
      return undefined;
    }
    return r;
  }

  private view(key: string, r: Rec, fields?: string[]) {
    const all = !fields;
    return {
      key,
      value: r.value,
      ...(all || fields.includes('CREATED_AT') ? { createdAt: r.createdAt } : {}),
      ...(all || fields.includes('UPDATED_AT') ? { updatedAt: r.updatedAt } : {}),
      ...((all || fields.includes('EXPIRE_TIME')) && r.expireAt !== undefined ? { expireTime: new Date(r.expireAt).toISOString() } : {}),
    };
  }

  private get(space: string, key: unknown, _options?: unknown): KvsReply {
    const r = this.live(space, checkKey(key));
    if (!r) throw new KvsError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    return { status: 200, body: this.view(key as string, r) };
  }

  private set(space: string, key: unknown, value: unknown, options: any = {}): KvsReply {
    checkKey(key);
    checkValue(value);
    const k = key as string;
    const prev = this.live(space, k);
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && prev) throw new KvsError(409, 'KEY_CONFLICT', `The key '${k}' already exists`);
    let expireAt: number | undefined;
    if (options.ttl) {
      const unit = TTL_MS[options.ttl.unit];
      if (!unit || !(options.ttl.value > 0)) throw new KvsError(400, 'INVALID_TTL', 'ttl must be a positive value with unit SECONDS, MINUTES, HOURS or DAYS');
      expireAt = Date.now() + options.ttl.value * unit;
    }
    const rec: Rec = { value, createdAt: prev?.createdAt ?? nowSec(), updatedAt: nowSec(), ...(expireAt ? { expireAt } : {}) };
    this.map(space).set(k, rec);
    this.scheduleSave();
    if (options.returnValue === 'LATEST') return { status: 200, body: this.view(k, rec) };
    if (options.returnValue === 'PREVIOUS' && prev) return { status: 200, body: this.view(k, prev) };
    return { status: 204 };
  }

  private del(space: string, key: unknown): KvsReply {
    const k = checkKey(key);
    if (!this.live(space, k)) throw new KvsError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    this.map(space).delete(k);
    this.scheduleSave();
    return { status: 204 };
  }

  private pageLimit(limit: unknown): number {
    if (limit === undefined || limit === null) return KVS_LIMITS.pageDefault;
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > KVS_LIMITS.pageMax) throw new KvsError(400, 'INVALID_LIMIT', `limit must be between 1 and ${KVS_LIMITS.pageMax}`);
    return n;
  }

  /** Keys in ascending order (Forge's order), optionally `BEGINS_WITH` a prefix, paged after an opaque cursor. */
  private query(b: any): KvsReply {
    const limit = this.pageLimit(b.limit);
    const where = b.where?.[0];
    if (b.where?.length > 1 || (where && (where.property !== 'key' || where.condition !== 'BEGINS_WITH')))
      throw new KvsError(400, 'BAD_REQUEST', "The Key-Value Store only supports one where condition: key beginsWith");
    const prefix = where ? String(where.values?.[0] ?? '') : '';
    const after: string | undefined = b.after ? dec(b.after).k : undefined;
    const keys = [...this.map('kv').keys()].filter((k) => k.startsWith(prefix) && (after === undefined || k > after)).sort();
    const data: unknown[] = [];
    let last: string | undefined;
    let more = false;
    for (const k of keys) {
      const r = this.live('kv', k);
      if (!r) continue;
      if (data.length === limit) {
        more = true;
        break;
      }
      data.push(this.view(k, r, b.options?.metadataFields ?? []));
      last = k;
    }
    return { status: 200, body: { data, ...(more && last !== undefined ? { cursor: enc({ k: last }) } : {}) } };
  }

  /** Custom Entity Store query, with Forge's rules (./entity-query.ts). */
  private entityQuery(b: any): KvsReply {
    const space = this.entitySpace(b.entityName);
    const rows: { key: string; value: unknown }[] = [];
    for (const key of [...this.map(space).keys()]) {
      const r = this.live(space, key);
      if (r) rows.push({ key, value: r.value });
    }
    const { data, cursor } = queryEntity(this.entityDefOf(b.entityName), rows, b);
    const view = (row: { key: string }) => this.view(row.key, this.live(space, row.key)!, b.options?.metadataFields ?? b.metadataFields ?? []);
    return { status: 200, body: { data: data.map(view), ...(cursor ? { cursor } : {}) } };
  }

  private batch(items: any, op: (item: any) => KvsReply): KvsReply {
    if (!Array.isArray(items)) throw new KvsError(400, 'BAD_REQUEST', 'Provided request body is invalid: expected an array');
    if (items.length > KVS_LIMITS.batch) throw new KvsError(400, 'TOO_MANY_ITEMS', `A batch may hold at most ${KVS_LIMITS.batch} items`);
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const id = { key: item?.key, ...(item?.entityName ? { entityName: item.entityName } : {}) };
      const rep = this.handleOne(() => op(item));
      if (rep.status < 300) successfulKeys.push({ ...id, ...((rep.body as object) ?? {}) });
      else failedKeys.push({ ...id, error: rep.body });
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private handleOne(fn: () => KvsReply): KvsReply {
    try {
      return fn();
    } catch (e) {
      if (e instanceof KvsError) return { status: e.status, body: { code: e.code, message: e.message } };
      throw e;
    }
  }

  /** All-or-nothing: every `check`/conditional `set`/`delete` must hold on the current values, then all apply. */
  private transact(b: any): KvsReply {
    const sets: any[] = b.set ?? [];
    const dels: any[] = b.delete ?? [];
    const checks: any[] = b.check ?? [];
    const n = sets.length + dels.length + checks.length;
    if (n === 0) throw new KvsError(400, 'BAD_REQUEST', 'A transaction needs at least one operation');
    if (n > KVS_LIMITS.txOps) throw new KvsError(400, 'TOO_MANY_OPERATIONS', `A transaction may hold at most ${KVS_LIMITS.txOps} operations`);
    for (const op of [...sets, ...dels, ...checks]) {
      checkKey(op.key);
      if (!op.conditions) continue;
      const cur = this.live(this.spaceOf(op), op.key);
      if (!cur || !testFilters(cur.value, op.conditions))
        throw new KvsError(409, 'CONDITION_FAILED', `Transaction condition failed for key '${op.key}'`);
    }
    for (const s of sets) checkValue(s.value);
    for (const s of sets) this.set(this.spaceOf(s), s.key, s.value, s.options ?? {});
    for (const d of dels) if (this.live(this.spaceOf(d), d.key)) this.del(this.spaceOf(d), d.key);
    return { status: 204 };
  }

  /** Non-secret keys and values, for debugging (`GET /__sandbox/kvs`). */
  dump(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of [...this.map('kv').keys()].sort()) {
      const r = this.live('kv', k);
      if (r) out[k] = r.value;
    }
    return out;
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.flush();
    }, 50);
    this.saveTimer.unref();
  }

  /** Writes the store now (tmp file + rename). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const out: Record<string, Record<string, Rec>> = {};
    for (const [space, m] of this.spaces) if (m.size) out[space] = Object.fromEntries(m);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(out));
    fs.renameSync(tmp, this.file);
  }
}
