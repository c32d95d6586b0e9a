/**
 * Runs `checkMapping` on the mapping as edited, debounced, so problems show while the admin edits and before Save.
 */
import { useEffect, useState } from 'react';
import type { MappingProblem, ResolverError } from '../../../../src/contract';
import type { ConnectionMapping } from '../../../../src/model/mapping';
import { callResolver } from '../../../shared/api';

/** Quiet time after the last edit before the check runs, in ms. */
const DEBOUNCE_MS = 400;

/** The latest check's problems (or its error); runs only once `active` (after the first edit). */
export function useMappingCheck(connectionId: string, mapping: ConnectionMapping, active: boolean) {
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [error, setError] = useState<ResolverError | null>(null);
  useEffect(() => {
    if (!active) return;
    let current = true;
    const timer = setTimeout(() => {
      void callResolver('checkMapping', { connectionId, mapping }).then((res) => {
        // An answer for an older mapping never replaces the newer one's.
        if (!current) return;
        if (res.ok) {
          setProblems(res.data.problems);
          setError(null);
        } else setError(res.error);
      });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [connectionId, mapping, active]);
  return { problems, error };
}
