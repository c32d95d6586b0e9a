/**
 * Loads the app's handlers named in manifest.yml and runs them the way Forge's runtime does: each call inside its
 * own invocation context (for `__forge_runtime__`), cut off at the time limit of the module kind that invokes it
 * (./limits.ts: 25 s resolvers and triggers, 55 s web triggers, `timeoutSeconds` ≤ 900 s consumers and scheduled
 * triggers), counted for idle, and logged in one line (`[forge] <kind> <module> → <function> ok|error|timed out <ms>`).
 * On a manual host clock the limit also falls due in virtual time, so a test can run a function past it by
 * advancing the clock instead of waiting; on either clock, real time still cuts a function off.
 *
 * Handlers get Forge's two arguments `(payload, context)`, context being
 * `{installContext: 'ari:cloud:jira::site/<cloudId>', principal?: {accountId}}`.
 * @see https://developer.atlassian.com/platform/forge/function-reference/arguments/
 */
import path from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';
import type { HostClock, TimerHandle } from './clock';
import { invocationLimitSeconds } from './limits';
import type { AppManifest } from './manifest';
import { newInvocation, runInInvocation, type Invocation } from './runtime';

export type InvocationKind = 'resolver' | 'trigger' | 'webtrigger' | 'consumer' | 'scheduled';

/** Result of one invocation. `timedOut` means it ran past its time limit and was abandoned. */
export type InvokeOutcome = { ok: true; result: unknown; ms: number } | { ok: false; error: unknown; timedOut: boolean; ms: number };

/** The second handler argument Forge passes to every function. */
export interface PlatformContext {
  installContext: string;
  principal?: { accountId: string };
}

/** Forge's name for a function that ran out of time. */
export class FunctionTimeoutError extends Error {
  constructor(functionKey: string, seconds: number, kind: InvocationKind) {
    super(`Function ${functionKey} timed out after ${seconds} s (Forge's time limit for a ${kind} invocation)`);
    this.name = 'FUNCTION_TIME_OUT';
  }
}

/**
 * @param manifest parsed manifest
 * @param appDir directory holding `manifest.yml` and `src/`
 * @param installContext `ari:cloud:jira::site/<cloudId>`
 * @param clock the host clock: on a manual one, time limits also fall due when virtual time reaches them
 */
export class Invoker {
  private handlers = new Map<string, (...args: unknown[]) => unknown>();
  private running = new Set<Invocation>();

  constructor(
    private readonly manifest: AppManifest,
    private readonly appDir: string,
    private readonly installContext: string,
    private readonly log: (m: string) => void,
    private readonly clock?: HostClock,
  ) {}

  /**
   * Requires every function's module (`<appDir>/src/<file>`) and checks the export is a function.
   * Call after the Forge globals are installed: the app's `@forge/*` imports read them at load.
   * @throws Error naming the function whose handler is missing.
   */
  load(): void {
    for (const fn of this.manifest.functions.values()) {
      const file = path.join(this.appDir, 'src', fn.file);
      // The app is loaded by Node itself (tsx compiles its TypeScript), apart from whatever loaded the sandbox
      // (a test runner transforms its own files), as Forge runs the app's bundle on its own.
      const mod = tsxRequire(file, __filename);
      const h = mod?.[fn.exportName];
      if (typeof h !== 'function') throw new Error(`manifest function ${fn.key}: ${file} has no exported function '${fn.exportName}'`);
      this.handlers.set(fn.key, h);
    }
  }

  /**
   * The host stops as a crash would: every running invocation is marked expired, so its next KVS, product or
   * egress call is refused instead of reaching whichever host runs next in this process (a crashed Forge container
   * cannot write after it died).
   */
  abandonAll(): void {
    for (const inv of this.running) inv.expired = true;
    this.running.clear();
  }

  /** Invocations currently running (timed-out ones no longer count). */
  inFlight(): number {
    return this.running.size;
  }

  /** Descriptions of running invocations, for "not idle" messages. */
  describeRunning(): string[] {
    return [...this.running].map((i) => `${i.moduleKey}→${i.functionKey}`);
  }

  /** The `context` argument for a handler. */
  platformContext(accountId?: string): PlatformContext {
    return { installContext: this.installContext, ...(accountId ? { principal: { accountId } } : {}) };
  }

  /**
   * Runs function `functionKey` for module `moduleKey` with `args`. Never throws: errors and timeouts come back
   * in the outcome (and are logged).
   */
  async invoke(kind: InvocationKind, moduleKey: string, functionKey: string, args: unknown[], accountId?: string): Promise<InvokeOutcome> {
    const fn = this.manifest.functions.get(functionKey);
    const handler = this.handlers.get(functionKey);
    if (!fn || !handler) {
      const error = new Error(`No function '${functionKey}' in manifest.yml`);
      this.log(`[forge] ${kind} ${moduleKey} → ${functionKey} error 0ms: ${error.message}`);
      return { ok: false, error, timedOut: false, ms: 0 };
    }
    const limitS = invocationLimitSeconds(kind, fn);
    const inv = newInvocation(moduleKey, functionKey, limitS, accountId);
    const started = Date.now();
    this.running.add(inv);
    let timer: NodeJS.Timeout | undefined;
    let virtualTimer: TimerHandle | undefined;
    const work = runInInvocation(inv, () => Promise.resolve().then(() => handler(...args)));
    const timeout = new Promise<'timeout'>((resolve) => {
      // Expire at once, so nothing the handler does from the deadline on gets through.
      const cutOff = () => ((inv.expired = true), resolve('timeout'));
      timer = setTimeout(cutOff, limitS * 1000);
      if (this.clock?.mode === 'manual') virtualTimer = this.clock.setTimeout(cutOff, limitS * 1000);
    });
    let outcome: InvokeOutcome;
    try {
      const r = await Promise.race([work.then((result) => ({ result })), timeout]);
      outcome = r === 'timeout'
        ? { ok: false, error: new FunctionTimeoutError(functionKey, limitS, kind), timedOut: true, ms: Date.now() - started }
        : { ok: true, result: r.result, ms: Date.now() - started };
    } catch (error) {
      outcome = { ok: false, error, timedOut: false, ms: Date.now() - started };
    } finally {
      clearTimeout(timer);
      if (virtualTimer) this.clock?.clear(virtualTimer);
      this.running.delete(inv);
    }
    if (!outcome.ok && outcome.timedOut) {
      inv.expired = true;
      work.catch(() => undefined);
    }
    this.log(`[forge] ${kind} ${moduleKey} → ${functionKey} ${describe(outcome)}`);
    return outcome;
  }
}

function describe(o: InvokeOutcome): string {
  if (o.ok) return `ok ${o.ms}ms`;
  if (o.timedOut) return `timed out after ${o.ms}ms`;
  const e = o.error as any;
  return `error ${o.ms}ms: ${e?.message ?? (typeof e === 'object' ? JSON.stringify(e) : String(e))}`;
}
