/**
 * Turns platform happenings into handler calls with Forge's payload shapes:
 * - product event → `trigger` function `(event, context)`; event = Jira's payload + `eventType`, `context:
 *   {cloudId, moduleKey}`, `selfGenerated`; `filter.ignoreSelf` skips events whose `atlassianId` is the app's.
 * - HTTP request → `webtrigger` function `({method, headers: {name: [values]}, body: raw string, path,
 *   queryParameters: {name: [values]}, context: {cloudId, moduleKey}}, context)` → `{statusCode, headers, body}`.
 * - `scheduledTrigger` → `({context: {cloudId, moduleKey}, contextToken}, context)`.
 * - resolver call → `({call: {functionKey, payload}, context: <Custom UI context>}, {installContext, principal})`,
 *   exactly what `@forge/resolver`'s `getDefinitions()` handler reads.
 * @see https://developer.atlassian.com/platform/forge/events-reference/product_events/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/web-trigger/
 * @see https://developer.atlassian.com/platform/forge/events-reference/scheduled-trigger/
 * @see node_modules/@forge/resolver/out/index.js
 */
import { randomUUID } from 'node:crypto';
import type { SandboxConfig } from '../config';
import type { InvokeOutcome, Invoker } from './invoker';
import { INVOKE_LIMITS, jsonBytes } from './limits';
import type { AppManifest } from './manifest';
import { rawFetch } from './runtime';

export interface DispatchDeps {
  cfg: SandboxConfig;
  manifest: AppManifest;
  invoker: Invoker;
  environmentId: string;
  log(m: string): void;
}

/** An error with the HTTP status the host answers for it; `code` is the handler error's `name` when one threw. */
export class HostError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** What a retried product event carries, as an async event does (`retryCount` 1-based). */
export interface EventRetryContext {
  retryCount: number;
  retryReason: string;
  retryData?: unknown;
}

/**
 * Runs every trigger subscribed to `eventType` (or only trigger `opts.only`, for a retry, with
 * `opts.retryContext` added to the event). Resolves when all handlers finished.
 * @returns the triggers invoked with their outcomes, and those skipped (ignoreSelf)
 */
export async function dispatchProductEvent(
  deps: DispatchDeps,
  eventType: string,
  payload: Record<string, any>,
  opts: { only?: string; retryContext?: EventRetryContext } = {},
): Promise<{ ran: { key: string; outcome: InvokeOutcome }[]; skipped: string[] }> {
  const skipped: string[] = [];
  const self = payload?.atlassianId === deps.cfg.appAccountId;
  const targets = deps.manifest.triggers.filter((t) => t.events.includes(eventType) && (opts.only === undefined || t.key === opts.only));
  const jobs = targets
    .filter((t) => {
      if (!(t.ignoreSelf && self)) return true;
      skipped.push(t.key);
      deps.log(`[forge] trigger ${t.key} skipped ${eventType} (ignoreSelf: made by the app)`);
      return false;
    })
    .map(async (t) => {
      const event = {
        ...payload,
        eventType,
        selfGenerated: self,
        context: payload?.context ?? { cloudId: deps.cfg.local.cloudId, moduleKey: t.key },
        ...(opts.retryContext ? { retryContext: opts.retryContext } : {}),
      };
      return { key: t.key, outcome: await deps.invoker.invoke('trigger', t.key, t.function, [event, deps.invoker.platformContext()]) };
    });
  return { ran: await Promise.all(jobs), skipped };
}

/** The request a web trigger function receives. Header names as the caller sent them, every value a list. */
export interface WebTriggerRequest {
  method: string;
  headers: Record<string, string[]>;
  body: string;
  path: string;
  queryParameters: Record<string, string[]>;
}

/**
 * A web trigger's `headers` from Node's `rawHeaders` (`[name, value, name, value, …]`): names keep the caller's
 * casing, as Forge passes them (its documented request example has `"Content-Type": ["application/json"]`), so an
 * app must read them case-insensitively. Repeated headers collect their values in order.
 * @see https://developer.atlassian.com/platform/forge/events-reference/web-trigger/
 */
export function webTriggerHeaders(rawHeaders: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) (out[rawHeaders[i]] ??= []).push(rawHeaders[i + 1]);
  return out;
}

/** What the host sends back for a web trigger call. */
export interface WebTriggerReply {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

/** Invokes the web trigger `moduleKey` and validates its response shape (424 when malformed, like Forge). */
export async function dispatchWebTrigger(deps: DispatchDeps, moduleKey: string, req: WebTriggerRequest): Promise<WebTriggerReply> {
  const wt = deps.manifest.webtriggers.find((w) => w.key === moduleKey);
  if (!wt) return { statusCode: 404, headers: {}, body: 'No such web trigger' };
  const event = { ...req, context: { cloudId: deps.cfg.local.cloudId, moduleKey } };
  const out = await deps.invoker.invoke('webtrigger', moduleKey, wt.function, [event, deps.invoker.platformContext()]);
  if (!out.ok) return { statusCode: out.timedOut ? 504 : 500, headers: { 'content-type': ['text/plain'] }, body: out.timedOut ? 'Function timed out' : 'Function failed' };
  const r = out.result as any;
  if (!r || typeof r !== 'object' || !Number.isInteger(r.statusCode)) {
    deps.log(`[forge] webtrigger ${moduleKey} returned no {statusCode, headers, body}: answering 424`);
    return { statusCode: 424, headers: {}, body: 'Failed dependency: web trigger response is malformed' };
  }
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  return { statusCode: r.statusCode, headers, body: r.body == null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body) };
}

/** Runs scheduled trigger `key` once. */
export async function dispatchScheduled(deps: DispatchDeps, key: string): Promise<void> {
  const st = deps.manifest.scheduledTriggers.find((s) => s.key === key);
  if (!st) throw new HostError(404, `No scheduled trigger '${key}' in manifest.yml`);
  const request = { context: { cloudId: deps.cfg.local.cloudId, moduleKey: key }, contextToken: `sandbox-${randomUUID()}` };
  await deps.invoker.invoke('scheduled', key, st.function, [request, deps.invoker.platformContext()]);
}

/** Where a resolver call comes from: the user and, for issue/project modules, the issue or project key. */
export interface ResolverCallContext {
  accountId: string;
  issueKey?: string;
  projectKey?: string;
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;

async function lookup(cfg: SandboxConfig, path: string, what: string): Promise<any> {
  const res = await rawFetch(`${cfg.local.url}${path}`, { headers: { authorization: `Bearer ${cfg.appToken}`, accept: 'application/json' } });
  if (res.status === 404) throw new HostError(404, `${what} does not exist on the local site`);
  if (!res.ok) throw new HostError(502, `Looking up ${what} on the local site failed: HTTP ${res.status}`);
  return res.json();
}

/** The Custom UI `context` Forge gives a resolver for module `moduleKey` (issue/project looked up on the local site). */
export async function resolverContext(deps: DispatchDeps, moduleType: string, moduleKey: string, ctx: ResolverCallContext) {
  const { cfg, manifest } = deps;
  const extension: Record<string, unknown> = { type: moduleType };
  if (ctx.issueKey) {
    const issue = await lookup(cfg, `/rest/api/3/issue/${encodeURIComponent(ctx.issueKey)}?fields=project,issuetype`, `Issue ${ctx.issueKey}`);
    const p = issue.fields?.project ?? {};
    extension.issue = { id: String(issue.id), key: issue.key, type: issue.fields?.issuetype?.name, typeId: issue.fields?.issuetype?.id };
    extension.project = { id: String(p.id), key: p.key, type: p.projectTypeKey ?? 'software' };
  } else if (ctx.projectKey) {
    const p = await lookup(cfg, `/rest/api/3/project/${encodeURIComponent(ctx.projectKey)}`, `Project ${ctx.projectKey}`);
    extension.project = { id: String(p.id), key: p.key, type: p.projectTypeKey ?? 'software' };
  }
  return {
    accountId: ctx.accountId,
    cloudId: cfg.local.cloudId,
    moduleKey,
    localId: `ari:cloud:ecosystem::extension/${manifest.appId}/${deps.environmentId}/static/${moduleKey}`,
    siteUrl: cfg.local.publicUrl,
    environmentId: deps.environmentId,
    environmentType: 'DEVELOPMENT',
    extension,
    installContext: `ari:cloud:jira::site/${cfg.local.cloudId}`,
    locale: 'en-US',
    timezone: 'UTC',
  };
}

/**
 * Calls resolver definition `functionKey` of UI module `moduleKey`, within Forge's `invoke` size limits
 * ({@link INVOKE_LIMITS}: request 500 KB, response 5 MB, as JSON).
 * @throws HostError 400 for an unknown module/function, 404 for an unknown issue/project, 413 for a request over
 * 500 KB (the function is not invoked), 500 (message of the handler's error) when the handler throws or its result
 * is over 5 MB, 504 when it times out.
 * @see https://developer.atlassian.com/platform/forge/limits-invocation/
 */
export async function dispatchResolver(deps: DispatchDeps, moduleKey: string, functionKey: string, payload: unknown, ctx: ResolverCallContext): Promise<unknown> {
  const requestBytes = jsonBytes({ functionKey, payload });
  if (requestBytes > INVOKE_LIMITS.requestBytes) {
    deps.log(`[forge] resolver ${moduleKey} → ${functionKey} refused: request of ${requestBytes} bytes`);
    throw new HostError(413, `The invoke request for '${functionKey}' is ${kb(requestBytes)}, over Forge's limit of ${kb(INVOKE_LIMITS.requestBytes)}; the resolver was not called`);
  }
  const mod = deps.manifest.modules.get(moduleKey);
  const fnKey = mod?.props.resolver?.function;
  if (!mod || !fnKey) throw new HostError(400, `No module '${moduleKey}' with a resolver in manifest.yml`);
  if (!ctx?.accountId) throw new HostError(400, 'context.accountId is required');
  const context = await resolverContext(deps, mod.type, moduleKey, ctx);
  const call = { call: { functionKey, payload: payload ?? {} }, context };
  const out = await deps.invoker.invoke('resolver', moduleKey, fnKey, [call, deps.invoker.platformContext(ctx.accountId)], ctx.accountId);
  if (out.ok) {
    const responseBytes = jsonBytes(out.result);
    if (responseBytes <= INVOKE_LIMITS.responseBytes) return out.result;
    deps.log(`[forge] resolver ${moduleKey} → ${functionKey} response of ${responseBytes} bytes refused`);
    throw new HostError(500, `The response of '${functionKey}' is ${kb(responseBytes)}, over Forge's limit of ${kb(INVOKE_LIMITS.responseBytes)}`);
  }
  if (out.timedOut) throw new HostError(504, (out.error as Error).message);
  const message = (out.error as any)?.message ?? String(out.error);
  const name = (out.error as any)?.name;
  throw new HostError(/has no definition for/.test(message) ? 400 : 500, message, typeof name === 'string' ? name : undefined);
}
