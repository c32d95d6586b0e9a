/**
 * Field-level validation of the settings form with the contract's `SettingsInput` schema, so the page and the
 * resolver agree on what is valid.
 */
import { SettingsInput, type ConflictPolicy } from '../../../src/contract';

/** The form's values as typed (strings; an empty token keeps the stored one). */
export interface FormValues {
  partnerUrl: string;
  email: string;
  apiToken: string;
  partnerProjectKey: string;
  conflictPolicy: ConflictPolicy;
  /** Mirror comments restricted to a project role (same role on both sites); off by default. */
  mirrorRoleRestrictedComments: boolean;
  /** field area: the "offer sync" JQL ('' for none). */
  offerJql: string;
  /** worklogs: sync worklogs, and the remaining estimate choice (`Connection.worklogs`). */
  worklogs: { enabled: boolean; adjustEstimate: 'leave' | 'auto' };
}

/** Error message per field name; a field without an error is absent. */
export type FieldErrors = Partial<Record<keyof FormValues, string>>;

/**
 * Validates `values`. Returns the payload for `saveSettings`/`testConnection` (token omitted when empty), or the
 * first error per field. `tokenSet` says whether a token is already stored (then an empty field is fine).
 */
export function validate(
  values: FormValues,
  tokenSet: boolean,
): { ok: true; payload: SettingsInput } | { ok: false; errors: FieldErrors } {
  const payload: SettingsInput = { ...values, apiToken: values.apiToken.trim() || undefined };
  const parsed = SettingsInput.safeParse(payload);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof FormValues | undefined;
      if (field && !errors[field]) errors[field] = issue.message;
    }
  }
  if (!tokenSet && !payload.apiToken) {
    errors.apiToken = 'Enter an API token of the partner account (id.atlassian.com → Security → API tokens).';
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, payload };
}
