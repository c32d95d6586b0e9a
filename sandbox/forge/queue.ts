/**
 * Forge async events: the queue behind `new Queue({key}).push(events)` and the `consumer` modules that drain it.
 *
 * Semantics followed (from `@forge/events` 3 and the Async events docs):
 * - push: ≤ 50 events and ≤ 200 KB per push (413 `{errorMessage}` like Forge), `delayInSeconds` 0–900, optional
 *   `concurrency: {key, limit}`; answer 201. One push = one job (`jobId`), whose progress `getStats()` reads.
 * - a consumer function gets `(event, context)` with event `{body, queueName, jobId, eventId, delayInSeconds?,
 *   concurrency?, retryContext?: {retryCount, retryReason, retryData}}` (`retryContext` only on retries).
 * - returning or throwing an `InvocationError` (`{_retry: true, retryOptions: {retryAfter (s), retryReason,
 *   retryData}}`) retries after `retryAfter` seconds; a thrown error or a timeout retries with backoff
 *   (`FUNCTION_PLATFORM_UNKNOWN_ERROR` / `FUNCTION_TIME_OUT`); at most 4 retries, then the event is dropped and logged.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 * @see node_modules/@forge/events/out/{queue,validators,invocationError}.js
 */
import { randomUUID } from 'node:crypto';
import { RealClock, type HostClock, type TimerHandle } from './clock';

/** Outcome of one consumer invocation, as the invoker reports it. */
export type ConsumerOutcome = { ok: true; result: unknown } | { ok: false; error: unknown; timedOut: boolean };

/** The event object a consumer function receives. */
export interface AsyncEvent {
  body: Record<string, unknown>;
  queueName: string;
  jobId: string;
  eventId: string;
  delayInSeconds?: number;
  concurrency?: { key: string; limit: number };
  retryContext?: { retryCount: number; retryReason: string; retryData: unknown };
}

interface Pending {
  event: AsyncEvent;
  consumer: { key: string; function: string };
  attempt: number;
  retryReason?: string;
  retryData?: unknown;
}

interface JobStats {
  queueName: string;
  success: number;
  inProgress: number;
  failed: number;
}

export const QUEUE_LIMITS = { events: 50, payloadKb: 200, maxDelaySeconds: 900, maxRetries: 4 };

/** A `{status, body}` answer for the `/webhook/queue/*` stargate calls. */
export interface QueueReply {
  status: number;
  body?: unknown;
}

/**
 * @param opts.consumers manifest `consumer` modules
 * @param opts.invoke runs the consumer's function with the event (timeouts already enforced)
 * @param opts.concurrency max events running at once (default 4)
 * @param opts.errorBackoffMs delay before retry n (1-based) after a thrown error/timeout (default 1 s · 2^(n-1))
 * @param opts.clock where delays and retries wait (default real time; see ./clock.ts)
 */
export class QueueRunner {
  private ready: Pending[] = [];
  private delayed = new Map<TimerHandle, Pending>();
  private running = 0;
  private runningByKey = new Map<string, number>();
  private jobs = new Map<string, JobStats>();
  private closed = false;
  private readonly clock: HostClock;

  constructor(
    private readonly opts: {
      consumers: { key: string; queue: string; function: string }[];
      invoke: (consumer: { key: string; function: string }, event: AsyncEvent) => Promise<ConsumerOutcome>;
      log: (m: string) => void;
      concurrency?: number;
      errorBackoffMs?: (retry: number) => number;
      clock?: HostClock;
    },
  ) {
    this.clock = opts.clock ?? new RealClock();
  }

  /**
   * Events queued or running, plus those waiting for a delay or retry on the real clock. Zero means the queues are
   * drained, or (manual clock) only wait for the clock to move: see {@link waitingForClock}.
   */
  pending(): number {
    return this.ready.length + this.running + (this.clock.mode === 'real' ? this.delayed.size : 0);
  }

  /** Events waiting for a delay or retry that falls due only when the manual clock is advanced (0 on the real clock). */
  waitingForClock(): number {
    return this.clock.mode === 'manual' ? this.delayed.size : 0;
  }

  /** `POST /webhook/queue/publish/...` body from `Queue.push`: `{queueName, jobId, payload: PushEvent[], …}`. */
  push(req: any): QueueReply {
    const events: any[] = Array.isArray(req?.payload) ? req.payload : [];
    const queueName = String(req?.queueName ?? '');
    if (!events.length) return { status: 400, body: { message: 'No events pushed.' } };
    if (events.length > QUEUE_LIMITS.events)
      return { status: 400, body: { message: `This push contains more than the ${QUEUE_LIMITS.events} events allowed.` } };
    if (Buffer.byteLength(JSON.stringify(events)) / 1024 > QUEUE_LIMITS.payloadKb)
      return { status: 413, body: { errorMessage: `The maximum payload size is ${QUEUE_LIMITS.payloadKb}KB.` } };
    for (const e of events) {
      if (typeof e?.body !== 'object' || e.body === null || Array.isArray(e.body)) return { status: 400, body: { message: 'Event body must be an object.' } };
      if (e.delayInSeconds !== undefined && !(e.delayInSeconds >= 0 && e.delayInSeconds <= QUEUE_LIMITS.maxDelaySeconds))
        return { status: 400, body: { message: 'The delayInSeconds setting must be between 0 and 900.' } };
    }
    const jobId = String(req.jobId || randomUUID());
    const consumer = this.opts.consumers.find((c) => c.queue === queueName);
    const job: JobStats = { queueName, success: 0, inProgress: events.length, failed: 0 };
    this.jobs.set(jobId, job);
    if (!consumer) {
      this.opts.log(`[forge] queue ${queueName}: no consumer in the manifest; ${events.length} event(s) dropped`);
      job.inProgress = 0;
      job.failed = events.length;
      return { status: 201, body: { jobId } };
    }
    for (const e of events) {
      const event: AsyncEvent = {
        body: e.body,
        queueName,
        jobId,
        eventId: randomUUID(),
        ...(e.delayInSeconds !== undefined ? { delayInSeconds: e.delayInSeconds } : {}),
        ...(e.concurrency ? { concurrency: e.concurrency } : {}),
      };
      this.schedule({ event, consumer: { key: consumer.key, function: consumer.function }, attempt: 0 }, (e.delayInSeconds ?? 0) * 1000);
    }
    return { status: 201, body: { jobId } };
  }

  /** `POST /webhook/queue/stats/...` `{queueName, jobId}` → `{success, inProgress, failed}` or 404. */
  stats(req: any): QueueReply {
    const job = this.jobs.get(String(req?.jobId));
    if (!job || job.queueName !== req?.queueName) return { status: 404, body: { message: 'Job not found' } };
    return { status: 200, body: { success: job.success, inProgress: job.inProgress, failed: job.failed } };
  }

  /** `POST /webhook/queue/cancel/...` `{queueName, jobId}`: drops the job's events not yet running → 204. */
  cancel(req: any): QueueReply {
    const job = this.jobs.get(String(req?.jobId));
    if (!job || job.queueName !== req?.queueName) return { status: 404, body: { message: 'Job not found' } };
    const drop = (p: Pending) => p.event.jobId === req.jobId;
    const before = this.ready.length;
    this.ready = this.ready.filter((p) => !drop(p));
    let n = before - this.ready.length;
    for (const [t, p] of this.delayed) if (drop(p)) (this.clock.clear(t), this.delayed.delete(t), n++);
    job.inProgress -= n;
    job.failed += n;
    return { status: 204 };
  }

  /** Stops timers; queued events are discarded. */
  close(): void {
    this.closed = true;
    for (const t of this.delayed.keys()) this.clock.clear(t);
    this.delayed.clear();
    this.ready = [];
  }

  private schedule(p: Pending, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.ready.push(p);
      queueMicrotask(() => this.pump());
      return;
    }
    const t = this.clock.setTimeout(() => {
      this.delayed.delete(t);
      this.ready.push(p);
      this.pump();
    }, delayMs);
    this.delayed.set(t, p);
  }

  private pump(): void {
    const max = this.opts.concurrency ?? 4;
    while (!this.closed && this.running < max) {
      const i = this.ready.findIndex((p) => !p.event.concurrency || (this.runningByKey.get(p.event.concurrency.key) ?? 0) < p.event.concurrency.limit);
      if (i < 0) return;
      const [p] = this.ready.splice(i, 1);
      void this.run(p);
    }
  }

  private async run(p: Pending): Promise<void> {
    const ck = p.event.concurrency?.key;
    this.running++;
    if (ck) this.runningByKey.set(ck, (this.runningByKey.get(ck) ?? 0) + 1);
    const event: AsyncEvent = {
      ...p.event,
      ...(p.attempt > 0 ? { retryContext: { retryCount: p.attempt, retryReason: p.retryReason!, retryData: p.retryData } } : {}),
    };
    let out: ConsumerOutcome;
    try {
      out = await this.opts.invoke(p.consumer, event);
    } catch (error) {
      out = { ok: false, error, timedOut: false };
    }
    this.running--;
    if (ck) this.runningByKey.set(ck, (this.runningByKey.get(ck) ?? 1) - 1);
    this.settle(p, out);
    this.pump();
  }

  private settle(p: Pending, out: ConsumerOutcome): void {
    const job = this.jobs.get(p.event.jobId);
    const retry = asRetryRequest(out.ok ? out.result : out.error);
    if (out.ok && !retry) {
      if (job) (job.inProgress--, job.success++);
      return;
    }
    const n = p.attempt + 1;
    let delayMs: number;
    let reason: string;
    let data: unknown;
    if (retry) {
      delayMs = Math.min(Math.max(Number(retry.retryAfter ?? 1), 1), QUEUE_LIMITS.maxDelaySeconds) * 1000;
      reason = retry.retryReason ?? 'FUNCTION_RETRY_REQUEST';
      data = retry.retryData;
    } else {
      delayMs = (this.opts.errorBackoffMs ?? ((r) => 1000 * 2 ** (r - 1)))(n);
      reason = !out.ok && out.timedOut ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR';
    }
    if (p.attempt >= QUEUE_LIMITS.maxRetries) {
      if (job) (job.inProgress--, job.failed++);
      const why = retry ? `retry requested (${reason})` : errorText(!out.ok ? out.error : undefined);
      this.opts.log(`[forge] consumer ${p.consumer.key}: event ${p.event.eventId} dropped after ${QUEUE_LIMITS.maxRetries} retries: ${why}`);
      return;
    }
    this.opts.log(`[forge] consumer ${p.consumer.key}: retry ${n}/${QUEUE_LIMITS.maxRetries} of event ${p.event.eventId} in ${delayMs} ms (${reason})`);
    this.schedule({ ...p, attempt: n, retryReason: reason, retryData: data }, delayMs);
  }
}

/** An `InvocationError` (or legacy `QueueResponse.retry()`) as returned or thrown by a consumer or trigger, else null. */
export function asRetryRequest(v: unknown): { retryAfter?: number; retryReason?: string; retryData?: unknown } | null {
  if (v && typeof v === 'object' && (v as any)._retry === true) return (v as any).retryOptions ?? {};
  return null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
