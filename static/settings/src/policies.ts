/**
 * The conflict policies in words, for the settings select. A conflict is a field changed on both sites to
 * different values since the last sync.
 */
import type { ConflictPolicy } from '../../../src/contract';

/** One select option: value, short label and a one-line explanation. */
export interface PolicyOption {
  value: ConflictPolicy;
  label: string;
  explanation: string;
}

/** All policies, in the order the select lists them. */
export const POLICY_OPTIONS: PolicyOption[] = [
  { value: 'newest-wins', label: 'Newest wins', explanation: 'The most recent edit wins, whichever site it was made on.' },
  { value: 'local-wins', label: 'This site wins', explanation: 'Edits made on this Jira site overwrite the partner’s.' },
  { value: 'partner-wins', label: 'Partner wins', explanation: 'Edits made on the partner site overwrite this site’s.' },
  {
    value: 'manual',
    label: 'Decide manually',
    explanation: 'Keep both values, mark the issue as conflicted and let someone choose in the issue panel.',
  },
];

/** The option for `policy` (falls back to the first). */
export function policyOption(policy: ConflictPolicy): PolicyOption {
  return POLICY_OPTIONS.find((o) => o.value === policy) ?? POLICY_OPTIONS[0];
}
