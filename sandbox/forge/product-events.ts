/**
 * Delivery of product events to the app's triggers, asynchronous as Forge's is:
 * - each event is delivered after its own random delay in `delayMs` (default 50–250 ms of real time, so order is
 *   not guaranteed: two edits in quick succession may reach the trigger in either order);
 * - a trigger that returns (or throws) an `InvocationError` is retried after its `retryAfter` seconds (1–900) with
 *   `retryContext: {retryCount, retryReason, retryData}` on the event, at most 4 times, then the event is dropped
 *   and logged; any other error or a timeout is not retried.
 * Delays run on real time on either host clock (they are short; a test waiting for idle sees them delivered);
 * retry waits run on the host clock, like the queue's.
 * @see https://developer.atlassian.com/platform/forge/events-reference/product_events/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 */
import type { HostClock, TimerHandle } from './clock';
import type { EventRetryContext } from './dispatch';
import type { InvokeOutcome } from './invoker';
import { asRetryRequest } from './queue';

/** Default delivery delay of a product event, ms: `[min, max]`. */
export const DEFAULT_PRODUCT_EVENT_DELAY_MS: [number, number] = [50, 250];
/** Retries after the first delivery, and the range of `retryAfter` (s). */
export const PRODUCT_EVENT_RETRY = { maxRetries: 4, minRetryAfterS: 1, maxRetryAfterS: 900 };
/** Largest configurable delay, ms (Forge may take longer; tests should not). */
const MAX_DELAY_MS = 60_000;

/** One delivery, as `GET /__sandbox/product-events` reports it (the latest {@link HISTORY} are kept). */
export interface DeliveryRecord {
  /** Order of acceptance, from 1. */
  seq: number;
  eventType: string;
  issueKey?: string;
  /** Epoch ms (host clock) the event was accepted and delivered. */
  acceptedAt: number;
  deliveredAt: number;
}
const HISTORY = 200;

/** Runs triggers: the host's `dispatchProductEvent`. */
export type RunTriggers = (
  eventType: string,
  payload: Record<string, unknown>,
  opts: { only?: string; retryContext?: EventRetryContext },
) => Promise<{ ran: { key: string; outcome: InvokeOutcome }[] }>;

/**
 * @param opts.run runs the subscribed triggers (all, or one for a retry)
 * @param opts.clock host clock for retry waits
 * @param opts.delayMs initial `[min, max]` delay (default {@link DEFAULT_PRODUCT_EVENT_DELAY_MS})
 */
export class ProductEventDelivery {
  private delayMs: [number, number];
  private seq = 0;
  private delayed = new Set<NodeJS.Timeout>();
  private retries = new Set<TimerHandle>();
  private running = 0;
  private history: DeliveryRecord[] = [];
  private closed = false;

  constructor(private readonly opts: { run: RunTriggers; clock: HostClock; log: (m: string) => void; delayMs?: [number, number] }) {
    this.delayMs = checkDelay(opts.delayMs ?? DEFAULT_PRODUCT_EVENT_DELAY_MS);
  }

  /** Current settings and the latest deliveries, oldest first. */
  state(): { delayMs: [number, number]; delivered: DeliveryRecord[] } {
    return { delayMs: [...this.delayMs], delivered: [...this.history] };
  }

  /**
   * Sets the delay range for events accepted from now on (`POST /__sandbox/product-events`).
   * @throws RangeError unless `delayMs` is `[min, max]` with 0 ≤ min ≤ max ≤ 60 000
   */
  configure(delayMs: unknown): void {
    this.delayMs = checkDelay(delayMs);
  }

  /** Accepts an event from the product: it reaches the triggers after a random delay. */
  accept(eventType: string, payload: Record<string, unknown>): void {
    if (this.closed) return;
    const [min, max] = this.delayMs;
    const wait = min + Math.random() * (max - min);
    const record = { seq: ++this.seq, eventType, issueKey: (payload as any)?.issue?.key, acceptedAt: this.opts.clock.now(), deliveredAt: 0 };
    const t = setTimeout(() => {
      this.delayed.delete(t);
      record.deliveredAt = this.opts.clock.now();
      this.history.push(record);
      if (this.history.length > HISTORY) this.history.shift();
      void this.attempt(eventType, payload, {}, 0);
    }, wait);
    this.delayed.add(t);
  }

  /** Events not yet delivered, deliveries running, and retries waiting on the real clock. */
  inFlight(): number {
    return this.delayed.size + this.running + (this.opts.clock.mode === 'real' ? this.retries.size : 0);
  }

  /** Retries waiting for the manual clock (0 on the real clock). */
  waitingForClock(): number {
    return this.opts.clock.mode === 'manual' ? this.retries.size : 0;
  }

  /** Drops everything not yet delivered (host shutdown). */
  close(): void {
    this.closed = true;
    for (const t of this.delayed) clearTimeout(t);
    for (const r of this.retries) this.opts.clock.clear(r);
    this.delayed.clear();
    this.retries.clear();
  }

  private async attempt(eventType: string, payload: Record<string, unknown>, opts: { only?: string; retryContext?: EventRetryContext }, retryCount: number): Promise<void> {
    this.running++;
    try {
      const { ran } = await this.opts.run(eventType, payload, opts);
      for (const { key, outcome } of ran) this.settle(eventType, payload, key, outcome, retryCount);
    } catch (e) {
      this.opts.log(`[forge] product event ${eventType} failed: ${(e as Error)?.message ?? e}`);
    } finally {
      this.running--;
    }
  }

  private settle(eventType: string, payload: Record<string, unknown>, key: string, outcome: InvokeOutcome, retryCount: number): void {
    const retry = asRetryRequest(outcome.ok ? outcome.result : outcome.error);
    if (!retry || this.closed) return;
    if (retryCount >= PRODUCT_EVENT_RETRY.maxRetries) {
      this.opts.log(`[forge] trigger ${key}: ${eventType} dropped after ${PRODUCT_EVENT_RETRY.maxRetries} retries (${retry.retryReason ?? 'retry requested'})`);
      return;
    }
    const { minRetryAfterS, maxRetryAfterS } = PRODUCT_EVENT_RETRY;
    const afterS = Math.min(Math.max(Number(retry.retryAfter ?? minRetryAfterS), minRetryAfterS), maxRetryAfterS);
    const retryContext: EventRetryContext = { retryCount: retryCount + 1, retryReason: retry.retryReason ?? 'FUNCTION_RETRY_REQUEST', retryData: retry.retryData };
    this.opts.log(`[forge] trigger ${key}: retry ${retryCount + 1}/${PRODUCT_EVENT_RETRY.maxRetries} of ${eventType} in ${afterS} s (${retryContext.retryReason})`);
    const h = this.opts.clock.setTimeout(() => {
      this.retries.delete(h);
      void this.attempt(eventType, payload, { only: key, retryContext }, retryCount + 1);
    }, afterS * 1000);
    this.retries.add(h);
  }
}

function checkDelay(v: unknown): [number, number] {
  const ok = Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n)) && 0 <= v[0] && v[0] <= v[1] && v[1] <= MAX_DELAY_MS;
  if (!ok) throw new RangeError(`delayMs must be [min, max] in ms with 0 ≤ min ≤ max ≤ ${MAX_DELAY_MS}, got ${JSON.stringify(v)}`);
  return [v[0], v[1]];
}
