/**
 * Bulk linking of existing issues (pure part): local and partner issues found by a JQL on each side are paired by a
 * key: a field on one side that holds the other side's issue key (as teams often keep, e.g. a "Partner key" text
 * field), or equal summaries. Each value must pair exactly one issue with exactly one: anything else is listed as
 * ambiguous, never guessed.
 */

/** How issues are paired. Field ids are that side's (e.g. `customfield_10010`). */
export type MatchKey =
  | { kind: 'summary' }
  /** A local field holding the partner issue's key. */
  | { kind: 'local-field'; field: string }
  /** A partner field holding the local issue's key. */
  | { kind: 'partner-field'; field: string };

/** An issue as the matcher sees it: its key, id and the raw `fields` of `POST /rest/api/3/search/jql`. */
export interface MatchIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
}

/** What pairing found. Keys are issue keys. */
export interface MatchResult {
  pairs: Array<{ local: MatchIssue; partner: MatchIssue }>;
  /** Issues with no counterpart (or no key value). */
  unmatchedLocal: string[];
  unmatchedPartner: string[];
  /** A key value shared by more than one issue on either side: none of them is paired. */
  ambiguous: Array<{ value: string; localKeys: string[]; partnerKeys: string[] }>;
}

/** A field value as a comparable key: text trimmed and case-folded (a key field may hold `partner-12 ` as typed). */
function keyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim().toUpperCase() || undefined;
  if (value && typeof value === 'object' && 'value' in value) return keyText((value as { value: unknown }).value);
  return undefined;
}

/**
 * Pairs `local` with `partner` issues by `key`. Summaries compare trimmed, case-insensitively and with inner
 * whitespace collapsed. Pure.
 */
export function matchIssues(local: MatchIssue[], partner: MatchIssue[], key: MatchKey): MatchResult {
  const summary = (i: MatchIssue) => keyText(String(i.fields.summary ?? '').replace(/\s+/g, ' '));
  const [localKey, partnerKey]: Array<(i: MatchIssue) => string | undefined> =
    key.kind === 'summary'
      ? [summary, summary]
      : key.kind === 'local-field'
        ? [(i) => keyText(i.fields[key.field]), (i) => i.key.toUpperCase()]
        : [(i) => i.key.toUpperCase(), (i) => keyText(i.fields[key.field])];
  const group = (issues: MatchIssue[], of: (i: MatchIssue) => string | undefined) => {
    const by = new Map<string, MatchIssue[]>();
    const none: string[] = [];
    for (const i of issues) {
      const k = of(i);
      if (!k) none.push(i.key);
      else by.set(k, [...(by.get(k) ?? []), i]);
    }
    return { by, none };
  };
  const l = group(local, localKey);
  const p = group(partner, partnerKey);
  const result: MatchResult = { pairs: [], unmatchedLocal: [...l.none], unmatchedPartner: [...p.none], ambiguous: [] };
  for (const [value, ls] of l.by) {
    const ps = p.by.get(value) ?? [];
    if (!ps.length) result.unmatchedLocal.push(...ls.map((i) => i.key));
    else if (ls.length > 1 || ps.length > 1) result.ambiguous.push({ value, localKeys: ls.map((i) => i.key), partnerKeys: ps.map((i) => i.key) });
    else result.pairs.push({ local: ls[0]!, partner: ps[0]! });
  }
  for (const [value, ps] of p.by) if (!l.by.has(value)) result.unmatchedPartner.push(...ps.map((i) => i.key));
  return result;
}
