/**
 * Forge's invocation limits, as the local host enforces them: how long a function may run (by the kind of module
 * that invokes it, whatever the manifest says) and how large a resolver `invoke` request and response may be.
 *
 * Time (Forge "Invocation limits"):
 * - UI resolvers and product-event triggers: 25 s; web triggers: 55 s.
 * - functions invoked by `consumer` (async events) and `scheduledTrigger` modules: `timeoutSeconds` from the
 *   manifest, up to 900 s; 55 s when it is absent.
 * - only those two kinds may set `timeoutSeconds` (`@forge/lint`, which `forge deploy` runs, errors otherwise), so a
 *   resolver, trigger or web trigger gets its module's limit even when its function sets more (or less).
 * @see https://developer.atlassian.com/platform/forge/limits-invocation/
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/function/
 */
import type { InvocationKind } from './invoker';
import type { AppManifest, FunctionDef } from './manifest';

/** Maximum run time in seconds per module kind (consumer and scheduled: the cap on `timeoutSeconds`). */
export const RUNTIME_LIMIT_S: Record<InvocationKind, number> = { resolver: 25, trigger: 25, webtrigger: 55, consumer: 900, scheduled: 900 };
/** Run time of a consumer or scheduled function whose manifest entry has no `timeoutSeconds`. */
export const ASYNC_DEFAULT_TIMEOUT_S = 55;

/**
 * Size limits of a resolver call through `@forge/bridge` `invoke` (bytes of the JSON): the request (payload and
 * context) 500 KB, the response 5 MB (5,242,880 bytes, the limit of the GraphQL gateway the bridge goes through).
 * @see https://developer.atlassian.com/platform/forge/limits-invocation/
 * @see https://community.developer.atlassian.com/t/improving-support-for-long-running-tasks-in-forge/69646
 */
export const INVOKE_LIMITS = { requestBytes: 500 * 1024, responseBytes: 5 * 1024 * 1024 };

/** Kinds of module whose functions may set `timeoutSeconds`. */
const MAY_SET_TIMEOUT = new Set<InvocationKind>(['consumer', 'scheduled']);

/**
 * Seconds that function `fn` may run when a module of kind `kind` invokes it: the module's limit, or for consumer
 * and scheduled functions `timeoutSeconds` (default 55) capped at 900.
 */
export function invocationLimitSeconds(kind: InvocationKind, fn: FunctionDef): number {
  if (!MAY_SET_TIMEOUT.has(kind)) return RUNTIME_LIMIT_S[kind];
  return Math.min(fn.timeoutSeconds ?? ASYNC_DEFAULT_TIMEOUT_S, RUNTIME_LIMIT_S[kind]);
}

/**
 * What `forge lint` would say about `timeoutSeconds` in `manifest`: one line per function that sets it although a
 * module other than a consumer or scheduled trigger invokes it, or that sets more than 900 s. The host logs these
 * at start and runs such functions with their module's limit.
 */
export function timeoutProblems(manifest: AppManifest): string[] {
  const kindsOf = new Map<string, Set<string>>();
  const add = (fn: string, kind: string) => kindsOf.set(fn, (kindsOf.get(fn) ?? new Set()).add(kind));
  for (const t of manifest.triggers) add(t.function, 'trigger');
  for (const w of manifest.webtriggers) add(w.function, 'webtrigger');
  for (const c of manifest.consumers) add(c.function, 'consumer');
  for (const s of manifest.scheduledTriggers) add(s.function, 'scheduledTrigger');
  for (const m of manifest.modules.values()) if (m.props.resolver?.function) add(String(m.props.resolver.function), `${m.type} resolver`);
  const out: string[] = [];
  for (const fn of manifest.functions.values()) {
    if (fn.timeoutSeconds === undefined) continue;
    const others = [...(kindsOf.get(fn.key) ?? [])].filter((k) => k !== 'consumer' && k !== 'scheduledTrigger');
    if (others.length)
      out.push(`function ${fn.key} sets timeoutSeconds: ${fn.timeoutSeconds}, which Forge allows only on consumer and scheduledTrigger functions (it is invoked by ${others.join(', ')}); it runs with its module's limit`);
    else if (fn.timeoutSeconds > RUNTIME_LIMIT_S.consumer)
      out.push(`function ${fn.key} sets timeoutSeconds: ${fn.timeoutSeconds}, over Forge's maximum of ${RUNTIME_LIMIT_S.consumer} s; it runs for at most ${RUNTIME_LIMIT_S.consumer} s`);
  }
  return out;
}

/** Bytes of `value` as JSON (what crosses the bridge); `undefined` counts as `null`. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null));
}
