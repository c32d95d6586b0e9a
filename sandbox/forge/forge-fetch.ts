/**
 * `global.__forge_fetch__(target, path, init) → Response`: the platform calls `@forge/api`, `@forge/kvs` and
 * `@forge/events` make, answered locally.
 *
 * Targets (from node_modules/@forge/api/out/api/fetch.js, @forge/kvs/out/index.js, @forge/events/out/queries.js):
 * - `{type:'fpp', remote:'jira', provider:'app'|'none'}` (`asApp().requestJira`) → local site, `Bearer <appToken>`;
 *   `provider:'user'` (`asUser().requestJira`) → `Bearer forge-user:<accountId>` (target's or the invocation's).
 *   A user who has not consented (./consent.ts) gets `NEEDS_AUTHENTICATION_ERR`; then every call is checked against
 *   the manifest's scopes (./scopes.ts) and refused with Jira's 401 when they do not cover it.
 * - `{type:'kvs', …}` → {@link KvsStore}.
 * - `{type:'fpp', remote:'stargate'}` → `POST /graphql` (`createWebTriggerUrl`, `webTriggerUrlsByAppContext`,
 *   `deleteWebTriggerUrl`) and `POST /webhook/queue/{publish,stats,cancel}/…` → {@link QueueRunner}.
 * Anything else answers 400 with a `forge-proxy-error` header, which `@forge/api` turns into `ProxyRequestError`.
 */
import type { SandboxConfig } from '../config';
import { needsAuthentication, type UserConsent } from './consent';
import type { KvsStore } from './kvs-store';
import type { QueueRunner } from './queue';
import { currentInvocation, rawFetch } from './runtime';
import type { ScopeCheck } from './scopes';

const json = (status: number, body?: unknown, headers: Record<string, string> = {}): Response =>
  new Response(status === 204 || body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

async function bodyText(init?: RequestInit): Promise<string> {
  const b = init?.body;
  if (b == null) return '';
  if (typeof b === 'string') return b;
  return new Response(b as BodyInit).text();
}

async function bodyJson(init?: RequestInit): Promise<any> {
  const t = await bodyText(init);
  return t ? JSON.parse(t) : {};
}

/** Dependencies of the dispatcher. */
export interface ForgeFetchDeps {
  cfg: SandboxConfig;
  kvs: KvsStore;
  queue: QueueRunner;
  /** The manifest's scopes against each product call. */
  scopes: ScopeCheck;
  /** Which users allowed the app to act for them (`asUser()`). */
  consent: UserConsent;
  /** Web trigger URL for a module key, or undefined when the manifest has no such web trigger. */
  webTriggerUrl(moduleKey: string): string | undefined;
  webTriggerKeys(): string[];
  log(m: string): void;
}

/** Builds the `__forge_fetch__` implementation for one host. */
export function makeForgeFetch(deps: ForgeFetchDeps) {
  return async function forgeFetch(target: Record<string, any>, path: string, init?: RequestInit): Promise<Response> {
    if (target?.type === 'kvs') {
      const body = await bodyJson(init);
      deps.kvs.calls.record(path, body);
      const latency = deps.kvs.faults.latencyFor(path, body); // notifications: a storage round trip, to expose races
      if (latency) await new Promise((r) => setTimeout(r, latency));
      const rep = deps.kvs.handle(path, body);
      return json(rep.status, rep.body);
    }
    if (target?.type === 'fpp' && target.remote === 'jira') return product(deps, target, path, init);
    if (target?.type === 'fpp' && target.remote === 'stargate') return stargate(deps, path, init);
    deps.log(`[forge] unsupported platform call ${JSON.stringify(target)} ${path}`);
    return json(400, { message: `The sandbox does not emulate ${JSON.stringify(target)}` }, { 'forge-proxy-error': 'PROXY_ERR' });
  };
}

/**
 * Forwards a product REST call to the local site emulator with the app's or the user's token, unless the user has
 * not consented (`NEEDS_AUTHENTICATION_ERR`) or the manifest's scopes do not cover the operation (Jira's 401).
 */
async function product(deps: ForgeFetchDeps, target: Record<string, any>, path: string, init?: RequestInit): Promise<Response> {
  const { cfg } = deps;
  const headers = new Headers(init?.headers);
  if (target.provider === 'user') {
    const accountId = target.accountId ?? currentInvocation()?.accountId;
    if (!accountId) return needsAuthentication('No user in this invocation');
    if (!deps.consent.has(accountId)) {
      deps.log(`[forge] asUser() for ${accountId}, who has not allowed the app access: NEEDS_AUTHENTICATION_ERR`);
      return needsAuthentication('Authentication required: the user has not allowed this app access');
    }
    headers.set('authorization', `Bearer forge-user:${accountId}`);
  } else {
    headers.set('authorization', `Bearer ${cfg.appToken}`);
  }
  const verdict = deps.scopes.check(target.provider === 'user' ? 'user' : 'app', init?.method ?? 'GET', path);
  if (!verdict.allowed) return verdict.refusal;
  headers.set('x-forwarded-host', new URL(cfg.local.publicUrl).host);
  const url = cfg.local.url + (path.startsWith('/') ? path : `/${path}`);
  const body = init?.body;
  return rawFetch(url, {
    ...init,
    headers,
    redirect: 'manual',
    ...(body && typeof body === 'object' && 'getReader' in (body as object) ? { duplex: 'half' } : {}),
  } as RequestInit);
}

async function stargate(deps: ForgeFetchDeps, path: string, init?: RequestInit): Promise<Response> {
  if (path.startsWith('/webhook/queue/')) {
    const body = await bodyJson(init);
    const op = path.split('/')[3];
    const rep = op === 'publish' ? deps.queue.push(body) : op === 'stats' ? deps.queue.stats(body) : op === 'cancel' ? deps.queue.cancel(body) : null;
    return rep ? json(rep.status, rep.body) : json(404, { message: `Unknown queue operation ${op}` });
  }
  if (path === '/graphql') {
    const { query = '', variables = {} } = await bodyJson(init);
    if (query.includes('createWebTriggerUrl')) {
      const url = deps.webTriggerUrl(String(variables.input?.triggerKey));
      if (!url) return json(200, { data: null, errors: [{ message: `No web trigger '${variables.input?.triggerKey}' in manifest.yml` }] });
      return json(200, { data: { createWebTriggerUrl: { url } } });
    }
    if (query.includes('webTriggerUrlsByAppContext')) {
      const list = deps.webTriggerKeys().map((k) => ({ triggerKey: k, url: deps.webTriggerUrl(k) }));
      return json(200, { data: { webTriggerUrlsByAppContext: list } });
    }
    if (query.includes('deleteWebTriggerUrl')) return json(200, { data: { deleteWebTriggerUrl: { success: true, message: null } } });
    return json(200, { data: null, errors: [{ message: 'The sandbox does not emulate this GraphQL operation' }] });
  }
  return json(404, { message: `No stargate route ${path}` });
}
