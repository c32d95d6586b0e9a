/**
 * Fault injection for the host's KVS (`POST /__sandbox/kvs-faults`): makes chosen `@forge/kvs` calls fail as a
 * storage outage would, answering `{code, message}` with a 5xx, which `@forge/kvs` throws as `ForgeKvsAPIError`.
 *
 * Settings (all optional; a new POST replaces the old ones, DELETE clears):
 * - `failNext`: fail this many matching calls, then stop;
 * - `errorRate`: else fail each matching call with this probability (0–1);
 * - `operations`: only these KVS calls, by their REST name after `/api/v1/` (`get`, `set`, `delete`, `query`,
 *   `transaction`, `secret/get`, `entity/set`, `batch/set`, …); default all;
 * - `keyPrefix`: only calls whose `key` (or, for a `query`, whose `beginsWith` prefix) starts with this;
 * - `status`: 500 (default), 502, 503 or 504;
 * - `latencyMs`: delay each matching call by this many real ms before it is answered (Forge's KVS is a network
 *   round trip of tens of ms; the in-process store answers at once, which hides read-then-write races).
 * @see node_modules/@forge/kvs/out/utils/error-handling.js
 */
import { z } from 'zod';
import { keyOf } from './kvs-calls'; // health: faults by a query's prefix too

const Settings = z
  .object({
    failNext: z.number().int().min(0).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    operations: z.array(z.string().min(1)).optional(),
    keyPrefix: z.string().optional(),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
    latencyMs: z.number().int().min(0).max(5_000).optional(),
  })
  .strict();

/** The settings `POST /__sandbox/kvs-faults` takes. */
export type KvsFaultSettings = z.infer<typeof Settings>;

const CODES: Record<number, string> = { 500: 'INTERNAL_SERVER_ERROR', 502: 'BAD_GATEWAY', 503: 'SERVICE_UNAVAILABLE', 504: 'GATEWAY_TIMEOUT' };

/** KVS faults of one host. */
export class KvsFaults {
  private settings: KvsFaultSettings = {};
  private fired = 0;

  /**
   * Replaces the settings.
   * @throws Error naming the bad field (the settings stay as they were)
   */
  configure(input: unknown): KvsFaultSettings {
    const parsed = Settings.safeParse(input ?? {});
    if (!parsed.success) throw new Error(`Bad KVS fault settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    this.settings = parsed.data;
    return this.state();
  }

  /** Clears every fault. */
  clear(): void {
    this.settings = {};
  }

  /** Current settings and how many calls were failed since start. */
  state(): KvsFaultSettings & { fired: number } {
    return { ...this.settings, fired: this.fired };
  }

  /** Whether KVS call `apiPath` with `body` is one the settings aim at (`operations`, `keyPrefix`). */
  private matches(apiPath: string, body: any): boolean {
    const s = this.settings;
    const op = apiPath.replace(/\?.*$/, '').replace(/^\/api\/v1\//, '');
    if (s.operations && !s.operations.includes(op)) return false;
    return s.keyPrefix === undefined || (keyOf(body)?.startsWith(s.keyPrefix) ?? false);
  }

  /** The delay (real ms) before KVS call `apiPath` with `body` is answered: `latencyMs` when it matches, else 0. */
  latencyFor(apiPath: string, body: any): number {
    return this.settings.latencyMs && this.matches(apiPath, body) ? this.settings.latencyMs : 0;
  }

  /** The failure reply for KVS call `apiPath` with `body`, or null to let it through. */
  intercept(apiPath: string, body: any): { status: number; body: { code: string; message: string } } | null {
    const s = this.settings;
    const op = apiPath.replace(/\?.*$/, '').replace(/^\/api\/v1\//, '');
    if (!this.matches(apiPath, body)) return null;
    if (s.failNext && s.failNext > 0) s.failNext--;
    else if (!(s.errorRate && Math.random() < s.errorRate)) return null;
    this.fired++;
    const status = s.status ?? 500;
    return { status, body: { code: CODES[status], message: `Storage is unavailable (sandbox KVS fault on ${op})` } };
  }
}
