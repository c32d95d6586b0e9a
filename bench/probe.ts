/**
 * In-process instruments for the bench (the Forge host, both Jira sites and the bench share one process):
 * - REST calls the app makes, seen on Node's `undici:request:*` diagnostics channels. The app's calls are the ones
 *   carrying `x-forwarded-host` (the Forge host adds it to `asApp()` calls and to egress `fetch`es of
 *   `https://*.atlassian.net`); the bench's own calls and the emulator's deliveries do not carry it. Each call
 *   is tagged with the Forge invocation that made it (the host's AsyncLocalStorage is live in the channel callback).
 * - Function invocations, from the Forge host's log lines `[forge] <kind> <module> → <function> ok <ms>ms`.
 * - Memory: `process.memoryUsage()` sampled every 100 ms.
 * Times are `performance.now()` ms.
 */
import dc from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { SandboxConfig } from '../sandbox/config';
import { currentInvocation } from '../sandbox/forge/runtime';

/** One REST call made by the app. `end` is when the response headers arrived. */
export interface AppCall {
  site: 'local' | 'partner';
  method: string;
  path: string;
  start: number;
  end?: number;
  status?: number;
  /** The Forge invocation that made it (host's AsyncLocalStorage), e.g. `{id, functionKey: 'sync-job'}`. */
  invocation?: { id: string; moduleKey: string; functionKey: string };
}

/** One handler invocation, as the Forge host logged it. */
export interface InvocationSpan {
  kind: string;
  moduleKey: string;
  functionKey: string;
  start: number;
  end: number;
  outcome: 'ok' | 'error' | 'timeout';
}

const INVOCATION = /^\[forge\] (\w+) (\S+) → (\S+) (ok|error|timed out after) (\d+)ms/;

/** Records the app's REST calls and the host's invocations while installed. */
export class Probe {
  readonly calls: AppCall[] = [];
  readonly invocations: InvocationSpan[] = [];
  /** Queue retries scheduled and events dropped after the last retry, since the last {@link clear}. */
  readonly queue = { retries: 0, dropped: 0 };
  private open = new WeakMap<object, AppCall>();
  private readonly ports: Map<string, 'local' | 'partner'>;
  private readonly onCreate = (m: any) => this.created(m.request);
  private readonly onHeaders = (m: any) => {
    const c = this.open.get(m.request);
    if (c) (c.end = performance.now()), (c.status = m.response?.statusCode);
  };

  constructor(cfg: SandboxConfig) {
    this.ports = new Map([
      [new URL(cfg.local.url).origin, 'local'],
      [new URL(cfg.partner.url).origin, 'partner'],
    ]);
    dc.subscribe('undici:request:create', this.onCreate);
    dc.subscribe('undici:request:headers', this.onHeaders);
  }

  /** The `log` callback to give `startSandbox`: keeps invocation lines and counts queue retries and drops. */
  readonly log = (line: string): void => {
    const now = performance.now();
    if (/^\[forge\] consumer .*: retry \d+\//.test(line)) this.queue.retries++;
    if (/^\[forge\] consumer .*dropped after/.test(line)) this.queue.dropped++;
    const m = INVOCATION.exec(line);
    if (m) {
      const ms = Number(m[5]);
      const outcome = m[4] === 'ok' ? 'ok' : m[4] === 'error' ? 'error' : 'timeout';
      this.invocations.push({ kind: m[1], moduleKey: m[2], functionKey: m[3], start: now - ms, end: now, outcome });
    }
  };

  /** App calls and invocations that started at or after `t` (performance.now() ms). */
  since(t: number): { calls: AppCall[]; invocations: InvocationSpan[] } {
    return { calls: this.calls.filter((c) => c.start >= t), invocations: this.invocations.filter((i) => i.start >= t - 1) };
  }

  /** Forgets what was recorded (call between scenarios to keep memory flat). */
  clear(): void {
    this.calls.length = 0;
    this.invocations.length = 0;
    this.queue.retries = this.queue.dropped = 0;
  }

  /** Unsubscribes from the diagnostics channels. */
  close(): void {
    dc.unsubscribe('undici:request:create', this.onCreate);
    dc.unsubscribe('undici:request:headers', this.onHeaders);
  }

  private created(req: any): void {
    const site = this.ports.get(String(req?.origin ?? '').replace(/\/$/, ''));
    if (!site || !hasHeader(req.headers, 'x-forwarded-host')) return;
    const inv = currentInvocation();
    const call: AppCall = {
      site,
      method: String(req.method),
      path: String(req.path).split('?')[0],
      start: performance.now(),
      ...(inv ? { invocation: { id: inv.id, moduleKey: inv.moduleKey, functionKey: inv.functionKey } } : {}),
    };
    this.calls.push(call);
    this.open.set(req, call);
  }
}

function hasHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return true;
    return false;
  }
  return typeof headers === 'string' && headers.toLowerCase().includes(`${name}:`);
}

/** Peak and last memory figures, in bytes. */
export interface MemoryPeak {
  samples: number;
  peakRss: number;
  peakHeapUsed: number;
  peakHeapTotal: number;
  peakExternal: number;
}

/** Samples `process.memoryUsage()` every `everyMs` (default 100) until stopped; `mark()` starts a named section. */
export class MemorySampler {
  private timer: NodeJS.Timeout;
  private total = blank();
  private sections = new Map<string, MemoryPeak>();
  private current?: MemoryPeak;

  constructor(everyMs = 100) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
    this.sample();
  }

  /** Attributes the following samples to section `name` as well as to the total. */
  mark(name: string): void {
    this.current = blank();
    this.sections.set(name, this.current);
  }

  /** Stops sampling; returns the peak over the whole run and per section. */
  stop(): { total: MemoryPeak; sections: Record<string, MemoryPeak> } {
    clearInterval(this.timer);
    this.sample();
    return { total: this.total, sections: Object.fromEntries(this.sections) };
  }

  private sample(): void {
    const m = process.memoryUsage();
    for (const p of [this.total, this.current]) {
      if (!p) continue;
      p.samples++;
      p.peakRss = Math.max(p.peakRss, m.rss);
      p.peakHeapUsed = Math.max(p.peakHeapUsed, m.heapUsed);
      p.peakHeapTotal = Math.max(p.peakHeapTotal, m.heapTotal);
      p.peakExternal = Math.max(p.peakExternal, m.external);
    }
  }
}

function blank(): MemoryPeak {
  return { samples: 0, peakRss: 0, peakHeapUsed: 0, peakHeapTotal: 0, peakExternal: 0 };
}
