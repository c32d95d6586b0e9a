/**
 * The Forge host's clock: every timer the host owns (queue `delayInSeconds`, retry delays after an
 * `InvocationError.retryAfter` or a thrown error, scheduled-trigger intervals) is set through one of these, so a
 * test can run them on a virtual clock ("the partner is down for an hour") instead of waiting.
 *
 * - `real`: Node's timers; `now()` is `Date.now()`.
 * - `manual`: nothing fires by itself. {@link ManualClock.advance} moves virtual time forward, firing every timer
 *   that falls due in order of due time (then of scheduling), and lets the host settle after each instant, so timers
 *   that handlers schedule while the clock advances also fire if they fall due before the target.
 *
 * On the manual clock the whole process also reads virtual time: `Date.now()` and `new Date()` return real time plus
 * all the time skipped by `advance()` (see {@link installVirtualDate}), so KVS TTLs, the app's own timestamps and
 * cool-downs, and the Jira emulator's `updated` times move with it. Function time limits run on both clocks: a
 * function is cut off when real time or virtual time reaches its limit, whichever comes first (see ./invoker.ts).
 */

const RealDate = Date;
/** How far virtual time is ahead of real time, in ms. Process-wide, so a host restart keeps virtual time going. */
let skewMs = 0;
let virtualDateUsers = 0;

/**
 * Replaces the global `Date` with one that reads real time plus the skipped time (`Date.now()`, `new Date()`,
 * `Date()`); every other use (`new Date(ms)`, `Date.parse`, `instanceof Date`) is unchanged. Reference-counted.
 */
function installVirtualDate(): void {
  if (virtualDateUsers++ > 0) return;
  const now = () => RealDate.now() + skewMs;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, prop, receiver) => (prop === 'now' ? now : Reflect.get(target, prop, receiver)),
  });
}

/** Puts the real `Date` back once the last manual clock is disposed (the skew is kept for the next one). */
function uninstallVirtualDate(): void {
  if (virtualDateUsers > 0 && --virtualDateUsers === 0) globalThis.Date = RealDate;
}

/** `real` (default) or `manual` (advanced by `POST /__sandbox/clock`). */
export type ClockMode = 'real' | 'manual';

/** An opaque timer handle. `repeat` timers are intervals. */
export interface TimerHandle {
  readonly id: number;
  readonly repeat: boolean;
}

/** What the host's timers are set through. */
export interface HostClock {
  readonly mode: ClockMode;
  /** Epoch ms on this clock. */
  now(): number;
  /** Runs `fn` once after `ms`. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Runs `fn` every `ms` (unref'd on the real clock: an interval alone does not keep the process alive). */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer or interval; unknown handles are ignored. */
  clear(handle: TimerHandle): void;
  /** Cancels everything (host shutdown). */
  clearAll(): void;
}

let nextId = 1;

/** Node's timers behind the {@link HostClock} interface. */
export class RealClock implements HostClock {
  readonly mode = 'real' as const;
  private timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = { id: nextId++, repeat: false };
    this.timers.set(
      h.id,
      setTimeout(() => {
        this.timers.delete(h.id);
        fn();
      }, ms),
    );
    return h;
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const h = { id: nextId++, repeat: true };
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.set(h.id, t);
    return h;
  }

  clear(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

interface VirtualTimer {
  handle: TimerHandle;
  due: number;
  seq: number;
  fn: () => void;
  every?: number;
}

/** A virtual clock that only moves when told to. Starts at the real time it was created, rounded to the second. */
export class ManualClock implements HostClock {
  readonly mode = 'manual' as const;
  private current: number;
  private timers = new Map<number, VirtualTimer>();
  private seq = 0;
  private advancing: Promise<unknown> = Promise.resolve();

  constructor() {
    installVirtualDate();
    this.current = Math.floor(Date.now() / 1000) * 1000;
  }

  now(): number {
    return this.current;
  }

  /** Moves virtual time (and the process's `Date`) to `to`, never backwards. */
  private moveTo(to: number): void {
    if (to > this.current) skewMs += to - this.current;
    this.current = Math.max(this.current, to);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    if (!(ms > 0)) throw new Error(`interval must be > 0 ms, got ${ms}`);
    return this.add(fn, ms, ms);
  }

  clear(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }

  /** Cancels every timer and gives the process its real `Date` back (host shutdown). */
  clearAll(): void {
    this.timers.clear();
    uninstallVirtualDate();
  }

  /** One-shot timers still to fire (intervals never finish, so they are not counted). */
  waiting(): number {
    let n = 0;
    for (const t of this.timers.values()) if (t.every === undefined) n++;
    return n;
  }

  /** Due time (epoch ms on this clock) of the next timer, or null when none is set. */
  nextDue(): number | null {
    let min: number | null = null;
    for (const t of this.timers.values()) if (min === null || t.due < min) min = t.due;
    return min;
  }

  /**
   * Moves the clock forward by `ms`: repeatedly takes the earliest timers due at or before the target, sets the
   * clock to their due time, fires them (all timers due at that same instant together), and awaits `settle()`
   * before looking again. Ends with the clock at `now + ms`. Concurrent calls run one after another.
   * @param ms non-negative milliseconds
   * @param settle resolves once the work the fired timers started has finished (the host waits for idle)
   * @returns the new `now()`
   * @throws Error for a negative or non-finite `ms`, or whatever `settle` throws (the clock then stays where it got to)
   */
  advance(ms: number, settle: () => Promise<void>): Promise<number> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new Error(`advanceMs must be a finite number ≥ 0, got ${ms}`));
    const run = this.advancing.then(async () => {
      const target = this.current + ms;
      for (;;) {
        const batch = this.dueBy(target);
        if (!batch.length) break;
        this.moveTo(batch[0].due);
        for (const t of batch) {
          if (t.every === undefined) this.timers.delete(t.handle.id);
          else t.due += t.every;
        }
        for (const t of batch) t.fn();
        await settle();
      }
      this.moveTo(target);
      return this.current;
    });
    this.advancing = run.catch(() => undefined);
    return run;
  }

  private add(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const handle = { id: nextId++, repeat: every !== undefined };
    this.timers.set(handle.id, { handle, due: this.current + Math.max(0, ms), seq: this.seq++, fn, every });
    return handle;
  }

  /** Timers due at the earliest due time ≤ target, in scheduling order. */
  private dueBy(target: number): VirtualTimer[] {
    const first = this.nextDue();
    if (first === null || first > target) return [];
    return [...this.timers.values()].filter((t) => t.due === first).sort((a, b) => a.seq - b.seq);
  }
}

/** The clock for a host option value. */
export function makeClock(mode: ClockMode = 'real'): RealClock | ManualClock {
  if (mode !== 'real' && mode !== 'manual') throw new Error(`clock must be 'real' or 'manual', got ${JSON.stringify(mode)}`);
  return mode === 'manual' ? new ManualClock() : new RealClock();
}
