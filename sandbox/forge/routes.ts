/**
 * The Forge host's HTTP surface (fastify):
 * - `POST /__sandbox/product-event` `{eventType, payload}` → 202 `{accepted, eventType}`; triggers run in the background
 *   after the delivery delay.
 * - `GET /__sandbox/product-events` → `{delayMs, delivered}`; `POST` `{delayMs: [min, max]}` sets the delay (400 if bad).
 * - `ALL /x/:id` (and `/x1/:id`) → the web trigger with that URL id; raw body passed through untouched.
 * - `POST /bridge/invoke` `{moduleKey, functionKey, payload, context:{accountId, issueKey?, projectKey?}}` →
 *   `{result}` | `{error:{message}}` (400 unknown module/function, 404 unknown issue/project, 500 handler error), or
 *   401 `{error:{code:'NEEDS_AUTHENTICATION_ERR', message, consentRequired:true}}` when the resolver let `@forge/api`'s
 *   `NeedsAuthenticationError` reach Forge: Forge then gives the module no result and shows its consent prompt
 *   ("Allow access") instead (see ./consent.ts).
 * - `POST /__sandbox/consent` `{accountId, consented}` → 204: puts a user in or out of the "has not consented" state.
 * - `GET /__sandbox/scopes` → `{grantedScopes, calls: [{as, method, path, acceptedScopes, allowed, count}],
 *   withoutConsent}`: every Jira REST operation the app called, as the scope check (./scopes.ts) saw it.
 * - `POST /__sandbox/reconcile` `{key?}` → runs scheduled triggers now, answers `{ran: [keys]}` when done.
 * - `GET /__sandbox/idle` → `{idle, waitingForClock}`: `waitingForClock` counts queue events waiting for the manual
 *   clock (idle ignores them, so `idle && waitingForClock > 0` means "only future timers left").
 * - `GET /__sandbox/clock` → `{mode, now}`; `POST /__sandbox/clock` `{advanceMs}` → `{now}` once every timer due by
 *   then has run (manual clock; 409 on the real clock, 400 for a bad advanceMs, 504 when the host never settles).
 * - `GET /__sandbox/forge` → what is pending; `GET /__sandbox/kvs` → KVS dump (no secrets).
 * - `POST /__sandbox/kvs-faults` (see ./kvs-faults.ts) → settings (400 if bad); `DELETE` clears; `GET` → settings.
 * - `GET /__sandbox/kvs-calls` (see ./kvs-calls.ts) → the app's KVS calls counted; `DELETE` resets and answers zeros.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KvsFaults } from './kvs-faults';
import type { KvsCalls } from './kvs-calls';
import { HostError, webTriggerHeaders, type ResolverCallContext, type WebTriggerRequest, type WebTriggerReply } from './dispatch';

/** What the routes need from the host. */
export interface RouteHost {
  productEvent(eventType: string, payload: Record<string, unknown>): void;
  productEvents(): Record<string, unknown>;
  /** @throws HostError 400 for a bad delay */
  configureProductEvents(delayMs: unknown): Record<string, unknown>;
  webTriggerKeyForId(id: string): string | undefined;
  webTrigger(moduleKey: string, req: WebTriggerRequest): Promise<WebTriggerReply>;
  invokeResolver(moduleKey: string, functionKey: string, payload: unknown, ctx: ResolverCallContext): Promise<unknown>;
  runScheduled(key?: string): Promise<string[]>;
  idle(): Promise<boolean>;
  waitingForClock(): number;
  clock(): { mode: string; now: number };
  advanceClock(ms: number): Promise<number>;
  status(): Record<string, unknown>;
  kvsDump(): Record<string, unknown>;
  /**
   * Writes KVS records directly, as an earlier version of the app left them (migration tests):
   * `set` values and `secrets` by key, `delete` keys (values and secrets). Returns the KVS answers' statuses.
   */
  kvsWrite(ops: { set?: Record<string, unknown>; secrets?: Record<string, string>; delete?: string[] }): number[];
  setConsent(accountId: string, consented: boolean): void;
  productCalls(): Record<string, unknown>;
  kvsFaults: KvsFaults;
  /** The app's KVS calls, counted (see ./kvs-calls.ts). */
  kvsCalls: KvsCalls;
}

/** `@forge/api`'s name for "the user must allow access first" (node_modules/@forge/api/out/api/errors.js). */
const NEEDS_AUTHENTICATION_ERR = 'NEEDS_AUTHENTICATION_ERR';

const RAW_BODY_LIMIT = 10 * 1024 * 1024;

const lists = (o: Record<string, unknown>): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  return out;
};

/** Registers the Forge host routes on `app`. */
export async function registerRoutes(app: FastifyInstance, host: RouteHost): Promise<void> {
  app.post('/__sandbox/product-event', async (req, reply) => {
    const b = (req.body ?? {}) as { eventType?: string; payload?: Record<string, unknown> };
    if (!b.eventType || typeof b.eventType !== 'string') return reply.code(400).send({ error: { message: 'eventType is required' } });
    host.productEvent(b.eventType, b.payload ?? {});
    return reply.code(202).send({ accepted: true, eventType: b.eventType });
  });

  app.get('/__sandbox/product-events', async () => host.productEvents());
  app.post('/__sandbox/product-events', async (req, reply) => {
    try {
      return reply.send(host.configureProductEvents((req.body as { delayMs?: unknown } | undefined)?.delayMs));
    } catch (e) {
      return reply.code(e instanceof HostError ? e.status : 500).send({ error: { message: (e as Error).message } });
    }
  });

  // Web triggers get the body byte-for-byte (the app verifies an HMAC over it), so no JSON parsing in this scope.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: RAW_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const key = host.webTriggerKeyForId((req.params as { id: string }).id);
      if (!key) return reply.code(404).send('No web trigger at this URL');
      const url = new URL(req.url, 'http://sandbox');
      const out = await host.webTrigger(key, {
        method: req.method,
        headers: webTriggerHeaders(req.raw.rawHeaders),
        body: typeof req.body === 'string' ? req.body : '',
        path: url.pathname,
        queryParameters: lists((req.query ?? {}) as Record<string, unknown>),
      });
      reply.code(out.statusCode);
      for (const [k, v] of Object.entries(out.headers)) reply.header(k, v.length === 1 ? v[0] : v);
      return reply.send(out.body);
    };
    scope.all('/x/:id', handler);
    scope.all('/x1/:id', handler);
  });

  app.post('/bridge/invoke', async (req, reply) => {
    const b = (req.body ?? {}) as { moduleKey?: string; functionKey?: string; payload?: unknown; context?: ResolverCallContext };
    if (!b.moduleKey || !b.functionKey) return reply.code(400).send({ error: { message: 'moduleKey and functionKey are required' } });
    try {
      const result = await host.invokeResolver(b.moduleKey, b.functionKey, b.payload, b.context as ResolverCallContext);
      return reply.send({ result: result === undefined ? null : result });
    } catch (e) {
      if (e instanceof HostError && e.code === NEEDS_AUTHENTICATION_ERR) {
        return reply.code(401).send({ error: { code: NEEDS_AUTHENTICATION_ERR, message: 'This app needs your permission to act for you: allow access to continue.', consentRequired: true } });
      }
      const status = e instanceof HostError ? e.status : 500;
      return reply.code(status).send({ error: { message: (e as Error)?.message ?? String(e) } });
    }
  });

  app.post('/__sandbox/consent', async (req, reply) => {
    const b = (req.body ?? {}) as { accountId?: unknown; consented?: unknown };
    if (typeof b.accountId !== 'string' || !b.accountId || typeof b.consented !== 'boolean') {
      return reply.code(400).send({ error: { message: 'Send {accountId: string, consented: boolean}' } });
    }
    host.setConsent(b.accountId, b.consented);
    return reply.code(204).send();
  });
  app.get('/__sandbox/scopes', async () => host.productCalls());

  app.post('/__sandbox/reconcile', async (req, reply) => {
    const key = (req.body as { key?: string } | undefined)?.key;
    try {
      return reply.send({ ran: await host.runScheduled(key) });
    } catch (e) {
      return reply.code(e instanceof HostError ? e.status : 500).send({ error: { message: (e as Error).message } });
    }
  });

  app.get('/__sandbox/idle', async () => ({ idle: await host.idle(), waitingForClock: host.waitingForClock() }));
  app.get('/__sandbox/clock', async () => host.clock());
  app.post('/__sandbox/clock', async (req, reply) => {
    const advanceMs = (req.body as { advanceMs?: unknown } | undefined)?.advanceMs;
    try {
      return reply.send({ now: await host.advanceClock(advanceMs as number) });
    } catch (e) {
      return reply.code(e instanceof HostError ? e.status : 500).send({ error: { message: (e as Error).message } });
    }
  });
  app.get('/__sandbox/forge', async () => host.status());
  app.get('/__sandbox/kvs', async () => host.kvsDump());
  app.post('/__sandbox/kvs', async (req) => ({ statuses: host.kvsWrite((req.body ?? {}) as Parameters<RouteHost['kvsWrite']>[0]) }));
  app.get('/__sandbox/kvs-faults', async () => host.kvsFaults.state());
  app.delete('/__sandbox/kvs-faults', async () => (host.kvsFaults.clear(), host.kvsFaults.state()));
  app.post('/__sandbox/kvs-faults', async (req, reply) => {
    try {
      return reply.send(host.kvsFaults.configure(req.body));
    } catch (e) {
      return reply.code(400).send({ error: { message: (e as Error).message } });
    }
  });
  app.get('/__sandbox/kvs-calls', async () => host.kvsCalls.state());
  app.delete('/__sandbox/kvs-calls', async () => (host.kvsCalls.reset(), host.kvsCalls.state()));
}
