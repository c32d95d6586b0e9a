/**
 * The globals the unmodified `@forge/*` packages read, and the per-invocation context behind them.
 *
 * - `global.__forge_runtime__`: a getter that builds Forge's runtime object for the *current* invocation (from an
 *   AsyncLocalStorage), so `getAppContext()`, `authorize()` (reads `aaid`) and metrics work in concurrent invocations.
 * - `global.__forge_fetch__(target, path, init) → Response`: delegated to the active host.
 * - `globalThis.fetch`: wrapped once, before `@forge/api` is first required (it captures `fetch` at load), to map
 *   `https://{local,partner}.atlassian.net` to the emulator on loopback and refuse hosts outside the manifest's
 *   `permissions.external.fetch.backend`, as Forge's egress proxy does. Code outside an invocation (the host,
 *   tests) keeps plain fetch.
 * One host is active per process at a time.
 * @see node_modules/@forge/api/out/api/runtime.js (`__getRuntime`, `getAppContext`)
 * @see https://developer.atlassian.com/platform/forge/runtime-egress-permissions/
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { toLoopback, type SandboxConfig } from '../config';

/** What the host knows about one running function invocation. */
export interface Invocation {
  id: string;
  /** Manifest module key that caused it (e.g. `local-issue-events`). */
  moduleKey: string;
  functionKey: string;
  /** Invoking user (resolvers) — `undefined` for triggers, consumers, scheduled. */
  accountId?: string;
  /** Epoch ms after which the invocation is cut off. */
  deadline: number;
  /** Set when the deadline passed: later platform calls from it fail, like a frozen Lambda. */
  expired: boolean;
}

/** Identity of the installed app, as Forge's runtime reports it. */
export interface RuntimeIdentity {
  appId: string;
  environmentId: string;
  installationId: string;
  /** `ari:cloud:jira::site/<cloudId>` */
  contextAri: string;
  scopes: string[];
  external: Record<string, unknown>;
  hostUrl: string;
}

/** What the active host plugs into the globals. */
export interface ActiveHost {
  cfg: SandboxConfig;
  identity: RuntimeIdentity;
  forgeFetch(target: Record<string, any>, path: string, init?: RequestInit): Promise<Response>;
  /** True when a backend fetch to `url` is allowed by the manifest's egress. */
  egressAllows(url: string): boolean;
}

const store = new AsyncLocalStorage<Invocation>();
/** The real fetch, captured before wrapping: the host's own calls use it. */
export const rawFetch: typeof fetch = globalThis.fetch.bind(globalThis);
let active: ActiveHost | null = null;

/** The invocation running in the current async context, if any. */
export function currentInvocation(): Invocation | undefined {
  return store.getStore();
}

/** Runs `fn` inside a new invocation context. */
export function runInInvocation<T>(inv: Invocation, fn: () => T): T {
  return store.run(inv, fn);
}

/** A fresh invocation record, allowed to run `limitSeconds` (see ./limits.ts). */
export function newInvocation(moduleKey: string, functionKey: string, limitSeconds: number, accountId?: string): Invocation {
  return { id: randomUUID(), moduleKey, functionKey, accountId, deadline: Date.now() + limitSeconds * 1000, expired: false };
}

/** @throws Error when the current invocation already ran past its timeout. */
export function assertNotExpired(what: string): void {
  const inv = store.getStore();
  if (inv?.expired) throw new Error(`Forge invocation ${inv.id} (${inv.moduleKey}) timed out; ${what} refused`);
}

const noopTimer = { stop: () => undefined };
const metrics = {
  counter: () => ({ incr: () => undefined, decr: () => undefined }),
  timing: () => ({ measure: () => noopTimer }),
  gauge: () => ({ set: () => undefined }),
};

function buildRuntime(host: ActiveHost, inv: Invocation | undefined) {
  const id = host.identity;
  return {
    proxy: { token: 'forge-sandbox-proxy-token', url: id.hostUrl },
    appContext: {
      appId: id.appId,
      appVersion: '1.0.0',
      environmentId: id.environmentId,
      environmentType: 'DEVELOPMENT',
      invocationId: inv?.id ?? 'no-invocation',
      installationId: id.installationId,
      moduleKey: inv?.moduleKey,
      license: undefined,
      installation: undefined,
      permissions: { scopes: id.scopes, external: id.external },
    },
    contextAri: id.contextAri,
    aaid: inv?.accountId,
    lambdaContext: {
      functionName: inv?.functionKey,
      awsRequestId: inv?.id,
      getRemainingTimeInMillis: () => (inv ? Math.max(0, inv.deadline - Date.now()) : 0),
    },
    metrics,
    tracing: { traceId: (inv?.id ?? randomUUID()).replace(/-/g, '').slice(0, 16), spanId: randomUUID().replace(/-/g, '').slice(0, 16) },
    container: {},
    externalAuth: [],
  };
}

const urlOf = (input: RequestInfo | URL): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;

/** The egress-aware fetch the app sees as `globalThis.fetch` (and `@forge/api`'s `fetch`). */
async function egressFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const host = active;
  const inv = store.getStore();
  if (!host) return rawFetch(input, init);
  const url = urlOf(input);
  const mapped = toLoopback(host.cfg, url);
  if (inv) {
    assertNotExpired(`fetch ${url}`);
    if (!host.egressAllows(url)) {
      // Same error the Forge runtime raises for a URL outside `permissions.external.fetch.backend`.
      const { ExternalEndpointNotAllowedError } = require('@forge/api/out/api/errors');
      throw new ExternalEndpointNotAllowedError(url);
    }
  }
  if (mapped === url) return rawFetch(input, init);
  const req = new Request(mapped, input instanceof Request ? input : undefined);
  const headers = new Headers(init?.headers ?? req.headers);
  headers.set('x-forwarded-host', new URL(url).host);
  headers.set('x-forwarded-proto', 'https');
  return rawFetch(req, { ...init, headers });
}

let installed = false;

/**
 * Makes `host` the target of the Forge globals (installing them on first use).
 * @throws Error when another host is already active in this process.
 */
export function activate(host: ActiveHost): void {
  if (active && active !== host) throw new Error('Another Forge host is already running in this process; close it first');
  active = host;
  if (installed) return;
  installed = true;
  Object.defineProperty(globalThis, '__forge_runtime__', {
    configurable: true,
    get: () => (active ? buildRuntime(active, store.getStore()) : undefined),
  });
  (globalThis as any).__forge_fetch__ = async (target: Record<string, any>, path: string, init?: RequestInit) => {
    if (!active) throw new Error('Forge runtime not found: the sandbox Forge host is not running');
    assertNotExpired(`${target?.type ?? '?'} ${path}`);
    return active.forgeFetch(target, path, init);
  };
  globalThis.fetch = egressFetch as typeof fetch;
}

/** Detaches `host` from the globals (they stay installed and refuse calls until a host activates again). */
export function deactivate(host: ActiveHost): void {
  if (active === host) active = null;
}
