/**
 * The problems of the mapping as edited: those the catalog found in the saved mapping, then those `checkMapping`
 * finds as the admin edits. Errors first; each names the field and says what will not work.
 */
import { SectionMessage } from '../../../shared/Message'; // pages: loaded on demand
import type { MappingProblem } from '../../../../src/contract';

/** A warning box listing `problems`, or nothing when there are none. */
export function ProblemList({ problems }: { problems: MappingProblem[] }) {
  if (problems.length === 0) return null;
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = sorted.filter((p) => p.severity === 'error').length;
  return (
    <SectionMessage appearance={errors ? 'error' : 'warning'} title={`${problems.length} problem${problems.length === 1 ? '' : 's'} in this mapping`}>
      <ul className="ts-problems" aria-label="Mapping problems">
        {sorted.map((p, i) => (
          <li key={`${p.field}-${i}`}>
            <strong>{p.severity === 'error' ? 'Error' : 'Warning'}:</strong> {p.message}
          </li>
        ))}
      </ul>
    </SectionMessage>
  );
}
