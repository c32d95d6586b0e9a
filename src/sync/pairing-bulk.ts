/**
 * Bulk linking of issues that already exist on both sides: a JQL on each side (scoped to the connection's two
 * projects), a key to pair them by (see `./pairing-match.ts`), a preview (pairs with their differing fields,
 * unmatched, ambiguous, already linked), then the person's starting choice applied to every pair in chunks
 * (each pair through `linkPair`, the same path as the panel). The settings page sends one chunk per resolver call
 * and stops between chunks before a resolver's 25 s run out, so a big set is never cut mid-pair.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 * @see https://developer.atlassian.com/platform/forge/limits-invocation/ (resolvers: 25 s)
 */
import { SyncError, toSyncError } from '../model/errors';
import type { Side } from '../model/mapping';
import { differingFields } from './pairing';
import { jqlString, linkPair } from './pairing-link';
import { matchIssues, type MatchIssue, type MatchKey, type MatchResult } from './pairing-match';
import type { ConnectionPorts } from './ports';
import { readFieldIds, readSide } from './values';

/** Most issues read per side for one preview (10 pages of 100). */
export const MATCH_MAX_ISSUES = 1000;
/** Pairs linked per resolver call. */
export const APPLY_CHUNK = 5;
/** Time a pair may take at most, in ms: no pair starts with less left in the invocation. */
const PAIR_BUDGET_MS = 8_000;

/**
 * `project = <key> AND (<jql>)` with the person's `ORDER BY` kept at the end; an empty JQL is the whole project.
 * The person's JQL cannot reach outside the connection's project.
 */
export function scopedJql(projectKey: string, jql: string): string {
  const [where, order] = jql.trim().split(/\border\s+by\b/i, 2).map((s) => s.trim());
  const scope = `project = ${jqlString(projectKey)}`;
  return `${where ? `${scope} AND (${where})` : scope}${order ? ` ORDER BY ${order}` : ' ORDER BY key ASC'}`;
}

async function readAll(site: ConnectionPorts['local'], jql: string, fields: string[]): Promise<{ issues: MatchIssue[]; truncated: boolean }> {
  const issues: MatchIssue[] = [];
  let token: string | undefined;
  do {
    const page = await site.searchJql(jql, fields, token);
    issues.push(...page.issues.map((i) => ({ id: i.id, key: i.key, fields: i.fields })));
    token = page.nextPageToken;
  } while (token && issues.length < MATCH_MAX_ISSUES);
  return { issues: issues.slice(0, MATCH_MAX_ISSUES), truncated: Boolean(token) || issues.length > MATCH_MAX_ISSUES };
}

/** A found pair, with the names of its differing fields. */
export interface PreviewPair {
  localIssueId: string;
  localKey: string;
  partnerKey: string;
  summary: string;
  differing: string[];
}

/** The bulk preview. */
export interface MatchPreview extends Omit<MatchResult, 'pairs'> {
  pairs: PreviewPair[];
  /** Pairs found where either issue is already linked: left out. */
  alreadyLinked: Array<{ localKey: string; partnerKey: string; why: string }>;
  /** Rows differing in at least one pair, with the sides each may take. */
  fields: Array<{ field: string; name: string; pairs: number; choices: Side[] }>;
  /** True when either side matched more than {@link MATCH_MAX_ISSUES} issues (narrow the JQL). */
  truncated: boolean;
}

/**
 * Reads both sides (`POST /rest/api/3/search/jql`, pages of 100) and pairs them.
 * @throws SyncError `invalid-input` when a JQL is refused by its site (Jira's words included)
 */
export async function previewMatch(ports: ConnectionPorts, input: { localJql: string; partnerJql: string; key: MatchKey }): Promise<MatchPreview> {
  const c = ports.connection;
  const extra = (side: 'local' | 'partner') => (input.key.kind === `${side}-field` ? [(input.key as { field: string }).field] : []);
  const read = async (side: 'local' | 'partner', jql: string) => {
    try {
      return await readAll(side === 'local' ? ports.local : ports.partner, scopedJql(side === 'local' ? c.projectKey : c.partnerProjectKey, jql), readFieldIds(c.mapping, side, extra(side)));
    } catch (err) {
      const e = toSyncError(err);
      if (e.code === 'jira-rejected') throw new SyncError('invalid-input', `The ${side} JQL was refused: ${e.message}`, { cause: e });
      throw e;
    }
  };
  const [local, partner] = await Promise.all([read('local', input.localJql), read('partner', input.partnerJql)]);
  const matched = matchIssues(local.issues, partner.issues, input.key);
  const out: MatchPreview = { ...matched, pairs: [], alreadyLinked: [], fields: [], truncated: local.truncated || partner.truncated };
  const fields = new Map<string, MatchPreview['fields'][number]>();
  for (const { local: l, partner: p } of matched.pairs) {
    const [mine, theirs] = await Promise.all([ports.links.get(l.id), ports.links.findByPartner(p.id)]);
    if (mine || theirs) {
      const why = mine ? `${l.key} is already synced with ${mine.partnerIssueKey}` : `${p.key} is already synced with another local issue`;
      out.alreadyLinked.push({ localKey: l.key, partnerKey: p.key, why });
      continue;
    }
    const diff = differingFields(readSide(l.fields, c.mapping, 'local'), readSide(p.fields, c.mapping, 'partner'), c.mapping);
    for (const d of diff) {
      const f = fields.get(d.row.local) ?? { field: d.row.local, name: d.row.name.local, pairs: 0, choices: d.choices };
      f.pairs += 1;
      fields.set(d.row.local, f);
    }
    out.pairs.push({ localIssueId: l.id, localKey: l.key, partnerKey: p.key, summary: String(l.fields.summary ?? ''), differing: diff.map((d) => d.row.name.local) });
  }
  out.fields = [...fields.values()];
  return out;
}

/** What one chunk did; `notTried` are pairs left for the next call (time ran short). */
export interface ApplyResult {
  linked: Array<{ localKey: string; partnerKey: string }>;
  failed: Array<{ localKey: string; partnerKey: string; message: string }>;
  notTried: Array<{ localIssueId: string; localKey: string; partnerKey: string }>;
}

/**
 * Links each pair of a chunk with the same starting choice; one pair's refusal (already linked meanwhile, a field
 * with no choice, a site's refusal) is reported and does not stop the others.
 */
export async function applyMatch(ports: ConnectionPorts, pairs: Array<{ localIssueId: string; localKey: string; partnerKey: string }>, choice: { all?: Side; fields?: Record<string, Side> }, by: string): Promise<ApplyResult> {
  const out: ApplyResult = { linked: [], failed: [], notTried: [] };
  for (const pair of pairs) {
    if (ports.clock.timeLeftMs() < PAIR_BUDGET_MS) {
      out.notTried.push(pair);
      continue;
    }
    try {
      await linkPair(ports, pair.localIssueId, pair.partnerKey, choice, by);
      out.linked.push({ localKey: pair.localKey, partnerKey: pair.partnerKey });
    } catch (err) {
      out.failed.push({ localKey: pair.localKey, partnerKey: pair.partnerKey, message: toSyncError(err).message });
    }
  }
  return out;
}
