/**
 * The local Forge host: reads manifest.yml and runs the app's handlers UNMODIFIED with the real `@forge/api`,
 * `@forge/kvs`, `@forge/events` and `@forge/resolver`, by providing Forge's runtime globals (see ./runtime.ts) and
 * answering their platform calls (./forge-fetch.ts: product REST → local site emulator, KVS, queues, web trigger
 * URLs). It listens on `cfg.hostUrl` and turns product events, web trigger requests, bridge `invoke` calls and
 * schedules into handler invocations (./dispatch.ts, ./routes.ts).
 *
 * One host per process at a time (the globals are process-wide).
 * @see https://developer.atlassian.com/platform/forge/function-reference/arguments/
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import fastify, { type FastifyInstance } from 'fastify';
import type { SandboxConfig } from '../config';
import { makeClock, type ClockMode } from './clock';
import { UserConsent } from './consent';
import { dispatchProductEvent, dispatchResolver, dispatchScheduled, dispatchWebTrigger, HostError, type DispatchDeps, type ResolverCallContext } from './dispatch';
import { makeForgeFetch } from './forge-fetch';
import { Invoker } from './invoker';
import { KvsStore } from './kvs-store';
import { timeoutProblems } from './limits';
import { loadManifest, SCHEDULE_INTERVAL_MS } from './manifest';
import { ProductEventDelivery } from './product-events';
import { QueueRunner } from './queue';
import { registerRoutes } from './routes';
import { activate, deactivate, rawFetch, type ActiveHost } from './runtime';
import { ScopeCheck, type ProductCall } from './scopes';

export { HostError } from './dispatch';
export type { ClockMode } from './clock';
export type { ProductCall } from './scopes';
export type { ResolverCallContext, WebTriggerRequest, WebTriggerReply } from './dispatch';

/** Options of {@link startForgeHost}. */
export interface ForgeHostOptions {
  cfg: SandboxConfig;
  /** Directory with manifest.yml and src/ (default `cfg.rootDir`). */
  appDir?: string;
  /** Wipe persisted KVS and secrets first. */
  fresh?: boolean;
  /** Run every scheduled trigger at this interval (ms) instead of the manifest's (e.g. `fiveMinute` = 300 000). */
  reconcileIntervalMs?: number;
  /**
   * `real` (default) or `manual`: queue delays, retry waits and scheduled-trigger intervals then run on a virtual
   * clock moved only by {@link ForgeHost.advanceClock} / `POST /__sandbox/clock`. Function time limits fall due on
   * either clock.
   */
  clock?: ClockMode;
  /**
   * `[min, max]` ms each product event waits before it reaches the triggers (default [50, 250]: Forge delivers
   * them asynchronously, so order is not guaranteed). Also set at run time by `POST /__sandbox/product-events`.
   */
  productEventDelayMs?: [number, number];
  /** One line per invocation and per notable event (default `console.log`). */
  log?: (m: string) => void;
  /** Register more routes (e.g. the UI host's) on the same server before it listens. */
  beforeListen?: (app: FastifyInstance) => void | Promise<void>;
}

/** A running Forge host. */
export interface ForgeHost {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:7700` */
  url: string;
  /**
   * Calls a resolver definition the way `@forge/bridge` `invoke(functionKey, payload)` does from module `moduleKey`.
   * @throws HostError (status 400 unknown module/function, 404 unknown issue/project, 500 handler error, 504 timeout)
   */
  invokeResolver(moduleKey: string, functionKey: string, payload: unknown, ctx: ResolverCallContext): Promise<unknown>;
  /** `${hostUrl}/x/<id>`, stable per module key. @throws Error for an unknown web trigger. */
  webTriggerUrl(moduleKey: string): string;
  /**
   * True when nothing runs or waits here and both sites report idle (checked twice). On the manual clock, events
   * waiting for a virtual due time do not count: see {@link waitingForClock}.
   */
  idle(): Promise<boolean>;
  /** Queue events (delays, retries) waiting for the manual clock to reach their due time; 0 on the real clock. */
  waitingForClock(): number;
  /** The host clock's mode and time (epoch ms; virtual on the manual clock). */
  clock(): { mode: ClockMode; now: number };
  /**
   * Manual clock only: moves virtual time forward by `ms`, running every timer that falls due in order (retries,
   * delayed events, scheduled triggers, and timers that handlers set meanwhile), waiting for idle after each.
   * @returns the new virtual now (epoch ms)
   * @throws HostError 409 on the real clock, 400 for a bad `ms`, 504 when the host is still busy after
   *   `ADVANCE_SETTLE_MS` of real time following a timer
   */
  advanceClock(ms: number): Promise<number>;
  /** Polls {@link idle} every 50 ms. @throws Error naming what is still pending after `timeoutMs` (default 30 000). */
  waitIdle(timeoutMs?: number): Promise<void>;
  /** Puts `accountId` in (false) or out of (true) the "has not consented" state for `asUser()` calls. */
  setConsent(accountId: string, consented: boolean): void;
  /** Every Jira REST operation the app called so far, as the scope check saw it, and the manifest's scopes. */
  productCalls(): { grantedScopes: string[]; calls: ProductCall[] };
  /** Runs one scheduled trigger (or all) now and waits for it. */
  runScheduled(key?: string): Promise<void>;
  /** Stops timers and the server, flushes KVS, detaches the globals. */
  close(): Promise<void>;
}

/** Real ms a clock advance waits for the host to settle after each timer before giving up (504). */
const ADVANCE_SETTLE_MS = 120_000;
/** Largest single advance: 30 days. */
const MAX_ADVANCE_MS = 30 * 86_400_000;

/** A uuid-shaped id derived from `seed`: stable across restarts, opaque to the app. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Asks a site emulator whether it still has undelivered events/webhooks. A site that is down counts as idle. */
async function siteIdle(url: string): Promise<boolean> {
  try {
    const res = await rawFetch(`${url}/__sandbox/idle`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return true;
    const body = (await res.json().catch(() => ({}))) as { idle?: boolean };
    return body.idle !== false;
  } catch (e) {
    return (e as Error)?.name !== 'TimeoutError';
  }
}

/**
 * Starts the host: loads manifest.yml and the app's handlers, installs the Forge globals, listens on
 * `cfg.basePort` and starts the scheduled triggers.
 * @throws Error when the manifest or a handler cannot be loaded, the port is taken, or another host is running.
 */
export async function startForgeHost(opts: ForgeHostOptions): Promise<ForgeHost> {
  const { cfg } = opts;
  const appDir = opts.appDir ?? cfg.rootDir;
  const log = opts.log ?? ((m: string) => console.log(m));
  const manifest = loadManifest(appDir);
  const environmentId = stableUuid(`environment:${manifest.appId}`);
  const installContext = `ari:cloud:jira::site/${cfg.local.cloudId}`;
  const kvs = new KvsStore(path.join(cfg.dataDir, 'kvs.json'), { fresh: opts.fresh, entities: manifest.entities, entityAttributes: manifest.entityAttributes });
  const clock = makeClock(opts.clock);
  const invoker = new Invoker(manifest, appDir, installContext, log, clock);
  for (const problem of timeoutProblems(manifest)) log(`[forge] manifest: ${problem}`);
  const queue = new QueueRunner({
    consumers: manifest.consumers,
    clock,
    log,
    invoke: async (c, event) => {
      const o = await invoker.invoke('consumer', c.key, c.function, [event, invoker.platformContext()]);
      return o.ok ? { ok: true, result: o.result } : { ok: false, error: o.error, timedOut: o.timedOut };
    },
  });
  const deps: DispatchDeps = { cfg, manifest, invoker, environmentId, log };
  const productEvents = new ProductEventDelivery({
    clock,
    log,
    delayMs: opts.productEventDelayMs,
    run: (eventType, payload, o) => dispatchProductEvent(deps, eventType, payload, o),
  });
  const wtIds = new Map(manifest.webtriggers.map((w) => [stableUuid(`webtrigger:${manifest.appId}:${environmentId}:${w.key}`), w.key]));
  const wtUrl = (key: string) => {
    for (const [id, k] of wtIds) if (k === key) return `${cfg.hostUrl}/x/${id}`;
    return undefined;
  };
  const scopes = new ScopeCheck(manifest.scopes, log);
  const consent = new UserConsent();
  const { EgressFilteringService } = require('@forge/egress');
  const egress = new EgressFilteringService(manifest.egress);
  const active: ActiveHost = {
    cfg,
    identity: {
      appId: manifest.appId,
      environmentId,
      installationId: stableUuid(`installation:${manifest.appId}:${cfg.local.cloudId}`),
      contextAri: installContext,
      scopes: manifest.scopes,
      external: manifest.external,
      hostUrl: cfg.hostUrl,
    },
    forgeFetch: makeForgeFetch({ cfg, kvs, queue, scopes, consent, webTriggerUrl: wtUrl, webTriggerKeys: () => [...wtIds.values()], log }),
    egressAllows: (url) => egress.isValidUrl(url),
  };
  activate(active);
  const tasks = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    tasks.add(p);
    p.finally(() => tasks.delete(p)).catch(() => undefined);
    return p;
  };
  const busy = () => invoker.inFlight() > 0 || queue.pending() > 0 || productEvents.inFlight() > 0 || tasks.size > 0;
  const waitingForClock = () => queue.waitingForClock() + productEvents.waitingForClock();
  const idleOnce = async () => !busy() && (await Promise.all([cfg.local.url, cfg.partner.url].map(siteIdle))).every(Boolean) && !busy();
  const idle = async () => (await idleOnce()) && (await new Promise((r) => setTimeout(r, 20)), await idleOnce());
  const settle = async () => {
    const until = Date.now() + ADVANCE_SETTLE_MS;
    while (!(await idle())) {
      if (Date.now() > until) throw new HostError(504, `Clock advance: the host is still busy ${ADVANCE_SETTLE_MS} ms after a timer fired (${invoker.describeRunning().join(', ') || `${queue.pending()} queue event(s)`})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const advanceClock = async (ms: number) => {
    if (clock.mode !== 'manual') throw new HostError(409, "The host runs on the real clock; start it with clock: 'manual' to advance time");
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS) throw new HostError(400, `advanceMs must be a number of ms from 0 to ${MAX_ADVANCE_MS}`);
    const now = await clock.advance(ms, settle);
    log(`[forge] clock advanced ${ms} ms to ${new Date(now).toISOString()} (${waitingForClock()} event(s) still waiting)`);
    return now;
  };
  const clockState = () => ({ mode: clock.mode, now: clock.now() });
  const runScheduled = async (key?: string) => {
    const keys = manifest.scheduledTriggers.map((s) => s.key).filter((k) => key === undefined || k === key);
    if (key !== undefined && !keys.length) throw new HostError(404, `No scheduled trigger '${key}' in manifest.yml`);
    await track(Promise.all(keys.map((k) => dispatchScheduled(deps, k))));
    return keys;
  };

  let app: FastifyInstance | undefined;
  try {
    invoker.load();
    app = fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
    await registerRoutes(app, {
      productEvent: (eventType, payload) => productEvents.accept(eventType, payload),
      productEvents: () => productEvents.state(),
      configureProductEvents: (delayMs) => {
        try {
          productEvents.configure(delayMs);
        } catch (e) {
          throw new HostError(400, (e as Error).message);
        }
        return productEvents.state();
      },
      webTriggerKeyForId: (id) => wtIds.get(id),
      webTrigger: (key, req) => track(dispatchWebTrigger(deps, key, req)),
      invokeResolver: (m, f, p, c) => track(dispatchResolver(deps, m, f, p, c)),
      runScheduled,
      idle,
      waitingForClock,
      clock: clockState,
      advanceClock,
      status: () => ({
        running: invoker.describeRunning(),
        queued: queue.pending(),
        productEvents: productEvents.inFlight(),
        waitingForClock: waitingForClock(),
        clock: clockState(),
        backgroundTasks: tasks.size,
        webTriggers: Object.fromEntries([...wtIds.values()].map((k) => [k, wtUrl(k)])),
      }),
      kvsDump: () => kvs.dump(),
      kvsWrite: (ops) => [
        ...Object.entries(ops.set ?? {}).map(([key, value]) => kvs.handle('/api/v1/set', { key, value }).status),
        ...Object.entries(ops.secrets ?? {}).map(([key, value]) => kvs.handle('/api/v1/secret/set', { key, value }).status),
        ...(ops.delete ?? []).flatMap((key) => [kvs.handle('/api/v1/delete', { key }).status, kvs.handle('/api/v1/secret/delete', { key }).status]),
      ],
      setConsent: (accountId, consented) => consent.set(accountId, consented),
      productCalls: () => ({ grantedScopes: scopes.grantedScopes(), calls: scopes.calls(), withoutConsent: consent.withoutConsent() }),
      kvsFaults: kvs.faults,
      kvsCalls: kvs.calls,
    });
    await opts.beforeListen?.(app);
    await app.listen({ host: '127.0.0.1', port: cfg.basePort });
  } catch (e) {
    queue.close();
    productEvents.close();
    clock.clearAll();
    await app?.close();
    deactivate(active);
    throw e;
  }
  for (const s of manifest.scheduledTriggers) {
    const every = opts.reconcileIntervalMs ?? SCHEDULE_INTERVAL_MS[s.interval] ?? SCHEDULE_INTERVAL_MS.hour;
    clock.setInterval(() => void runScheduled(s.key).catch((e) => log(`[forge] scheduled ${s.key} failed: ${e?.message ?? e}`)), every);
  }
  log(`[forge] host for app ${manifest.appId} listening on ${cfg.hostUrl} (${manifest.functions.size} functions)`);

  const server = app;
  return {
    app: server,
    url: cfg.hostUrl,
    invokeResolver: (m, f, p, c) => track(dispatchResolver(deps, m, f, p, c)),
    webTriggerUrl: (key) => {
      const url = wtUrl(key);
      if (!url) throw new Error(`No web trigger '${key}' in manifest.yml`);
      return url;
    },
    idle,
    waitingForClock,
    clock: clockState,
    advanceClock,
    async waitIdle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!(await idle())) {
        if (Date.now() > until) {
          const pending = [...invoker.describeRunning(), `${queue.pending()} queue event(s)`, `${productEvents.inFlight()} product event(s)`, `${tasks.size} background task(s)`];
          throw new Error(`Sandbox not idle after ${timeoutMs} ms: ${pending.join(', ')} (or a site reports pending deliveries)`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    runScheduled: async (key) => void (await runScheduled(key)),
    setConsent: (accountId, consented) => consent.set(accountId, consented),
    productCalls: () => ({ grantedScopes: scopes.grantedScopes(), calls: scopes.calls() }),
    async close() {
      queue.close();
      productEvents.close();
      invoker.abandonAll();
      clock.clearAll();
      await server.close();
      kvs.flush();
      deactivate(active);
      // Let in-process keep-alive clients (tests, the sandbox) see their sockets close before a restarted host
      // on the same port gets their next request on a dead socket.
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}
