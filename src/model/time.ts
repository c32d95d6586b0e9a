/**
 * A Jira timestamp as ms since the epoch. Accepts ISO-8601 with `Z`, `+00:00` or Jira's `+0000` offsets
 * (`2019-02-15T19:10:01.805-0800`). Unparsable → `NaN`.
 */
export function jiraTimeMs(iso: string): number {
  return Date.parse(String(iso).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
