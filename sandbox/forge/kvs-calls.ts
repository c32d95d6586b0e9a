/**
 * Counts the app's `@forge/kvs` calls (`GET /__sandbox/kvs-calls`, `DELETE` resets), so a test can measure what a
 * flow costs in storage calls. Forge meters KVS by operations, so fewer calls per sync job is capacity.
 * Each call is counted by its REST name after `/api/v1/` (`get`, `set`, `delete`, `query`, `transaction`,
 * `secret/get`, `entity/query`, …) and by that name plus the key's namespace: the `:`-separated segments of the key
 * (or, for a `query`, of the `beginsWith` prefix) before the first one holding a digit (an id), e.g. `get link`
 * (`link:10001`), `query pending` (`pending:10001`), `set claim:job` (`claim:job:10001`). Direct writes through
 * `POST /__sandbox/kvs` are not the app's and are not counted.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 * @see https://developer.atlassian.com/platform/forge/limits-kvs-ce/
 */

/** What `GET /__sandbox/kvs-calls` answers. */
export interface KvsCallCounts {
  /** All counted calls. */
  total: number;
  /** Calls per operation, e.g. `{"get": 12, "query": 3}`. */
  byOperation: Record<string, number>;
  /** Calls per operation and key namespace, e.g. `{"get link": 2, "query pending": 1, "set claim:job": 1}`. */
  byNamespace: Record<string, number>;
}

/** The namespace of a key or prefix: its segments before the first that holds a digit (at least the first one). */
function namespaceOf(k: string): string {
  const parts = k.split(':');
  const id = parts.findIndex((p) => /\d/.test(p));
  return parts.slice(0, Math.max(1, id < 0 ? parts.length : id)).filter(Boolean).join(':') || k;
}

/** The key (or query prefix) a KVS call body names, if any. */
export function keyOf(body: any): string | undefined {
  if (typeof body?.key === 'string') return body.key;
  const where = Array.isArray(body?.where) ? body.where[0] : undefined;
  if (where?.property === 'key' && typeof where.values?.[0] === 'string') return where.values[0];
  return undefined;
}

/** The KVS call counter of one host. */
export class KvsCalls {
  private counts: KvsCallCounts = { total: 0, byOperation: {}, byNamespace: {} };

  /** Counts one call to `apiPath` (e.g. `/api/v1/get`) with its JSON `body`. */
  record(apiPath: string, body: unknown): void {
    const op = apiPath.replace(/\?.*$/, '').replace(/^\/api\/v1\//, '');
    const key = keyOf(body);
    const c = this.counts;
    c.total++;
    c.byOperation[op] = (c.byOperation[op] ?? 0) + 1;
    const name = key === undefined ? op : `${op} ${namespaceOf(key)}`;
    c.byNamespace[name] = (c.byNamespace[name] ?? 0) + 1;
  }

  /** A copy of the counts since the start or the last reset. */
  state(): KvsCallCounts {
    return structuredClone(this.counts);
  }

  /** Forgets every count. */
  reset(): void {
    this.counts = { total: 0, byOperation: {}, byNamespace: {} };
  }
}
