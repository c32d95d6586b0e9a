/**
 * Small React hooks shared by the pages: polling while the page is visible, and a ticking clock for relative times.
 */
import { useEffect, useRef, useState } from 'react';

/**
 * Calls `fn` now, then every `intervalMs` while the document is visible, and again when it becomes visible.
 * A call that is still running is not overlapped by the next one.
 */
export function usePolling(fn: () => Promise<unknown>, intervalMs: number): void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let running = false;
    const tick = async () => {
      if (running || document.visibilityState !== 'visible') return;
      running = true;
      try {
        await fnRef.current();
      } finally {
        running = false;
      }
    };
    void tick();
    const timer = setInterval(tick, intervalMs);
    const onVisible = () => void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs]);
}

/** The current time in ms, re-rendering every `intervalMs` (for "3 minutes ago" labels). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
