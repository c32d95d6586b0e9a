/**
 * One resolver call at a time from a page's buttons: while a call runs, further clicks are ignored (no double
 * sends), `busy` names what runs so its button can say so, and a failed call's `error` is kept for an ErrorNote.
 */
import { useCallback, useRef, useState } from 'react';
import type { ResolverError, ResolverName } from '../../src/contract';
import { callResolver, type DataOf, type PayloadOf } from './api';

/** What {@link useAction} returns. */
export interface Action {
  /** Tag of the call in flight (the resolver name unless the caller gave one), else null. */
  busy: string | null;
  /** The last failed call's error, until the next call starts or `clearError`. */
  error: ResolverError | null;
  clearError: () => void;
  /** True while a call is in flight; a ref, so it is current even before React re-renders. */
  isRunning: () => boolean;
  /**
   * Calls resolver `name` with `payload` unless a call is already in flight.
   * @param tag what `busy` says meanwhile (default `name`), e.g. `retry:ALOY-1` for one row's button
   * @returns the resolver's `data`, or null when it failed (see `error`) or another call was running
   */
  run: <N extends ResolverName>(name: N, payload: PayloadOf<N>, tag?: string) => Promise<DataOf<N> | null>;
}

/** Serialises a page's resolver calls; see {@link Action}. */
export function useAction(): Action {
  // A ref, not state: a second click can land before React re-renders the disabled button.
  const inFlight = useRef(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);

  const run = useCallback(async <N extends ResolverName>(name: N, payload: PayloadOf<N>, tag?: string) => {
    if (inFlight.current) return null;
    inFlight.current = true;
    setBusy(tag ?? name);
    setError(null);
    try {
      const res = await callResolver(name, payload);
      if (res.ok) return res.data;
      setError(res.error);
      return null;
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  const isRunning = useCallback(() => inFlight.current, []);
  return { busy, error, clearError, isRunning, run };
}
