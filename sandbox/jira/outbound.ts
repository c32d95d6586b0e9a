/**
 * Outbound HTTP the emulator makes after writes: admin webhook deliveries and Forge product events. Every send is
 * asynchronous, retried with exponential backoff on non-2xx or connection errors, and counted as pending until it
 * finishes, so tests and the sandbox can wait for `idle()` instead of sleeping.
 */

/** Counters of one kind of outbound traffic. */
export interface OutboundCounters {
  delivered: number;
  failed: number;
  retried: number;
  /** Never sent (webhook drop fault). */
  dropped: number;
  /** Sent twice with the same identifier (webhook duplicate fault). */
  duplicated: number;
}

const zero = (): OutboundCounters => ({ delivered: 0, failed: 0, retried: 0, dropped: 0, duplicated: 0 });

/** Options of one send. */
export interface SendOptions {
  /** Total attempts (default 4). */
  attempts?: number;
  /** First retry delay in ms, doubled per retry (default 200). */
  backoffMs?: number;
  /** Per-attempt timeout in ms (default 10,000). */
  timeoutMs?: number;
  /** Wait this long (ms) before the first attempt; pending meanwhile (webhook delay fault). */
  delayMs?: number;
}

/** Tracks pending sends and their outcome. */
export class Outbox {
  private pending = 0;
  private waiters: Array<() => void> = [];
  readonly counters: Record<'webhooks' | 'events', OutboundCounters> = {
    webhooks: zero(),
    events: zero(),
  };

  constructor(private readonly log: (m: string) => void = () => {}) {}

  /** Number of sends not yet finished (delivered or given up). */
  pendingCount(): number {
    return this.pending;
  }

  /** Resolves once nothing is pending. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /**
   * POSTs `body` (exact bytes) to `url` with retries. `headers(attempt)` may vary per attempt (e.g. a retry header).
   * Never throws: failures are counted and logged.
   */
  post(kind: 'webhooks' | 'events', url: string, body: string, headers: (attempt: number) => Record<string, string>, opts: SendOptions = {}): void {
    this.pending++;
    void this.run(kind, url, body, headers, opts).finally(() => {
      if (--this.pending === 0) for (const w of this.waiters.splice(0)) w();
    });
  }

  private async run(kind: 'webhooks' | 'events', url: string, body: string, headers: (attempt: number) => Record<string, string>, opts: SendOptions): Promise<void> {
    const attempts = opts.attempts ?? 4;
    const c = this.counters[kind];
    let last = '';
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    for (let a = 0; a < attempts; a++) {
      if (a > 0) {
        c.retried++;
        await new Promise((r) => setTimeout(r, (opts.backoffMs ?? 200) * 2 ** (a - 1)));
      }
      try {
        const res = await fetch(url, { method: 'POST', body, headers: headers(a), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          c.delivered++;
          return;
        }
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = (e as Error).cause ? String((e as any).cause.code ?? (e as any).cause) : (e as Error).message;
      }
    }
    c.failed++;
    this.log(`jira: ${kind} POST ${url} failed after ${attempts} attempts (${last})`);
  }

  /** Zeroes the counters. */
  reset(): void {
    for (const c of Object.values(this.counters)) Object.assign(c, zero());
  }
}
