/**
 * What the issue panel shows of a link's waiting conflicts (`ConflictView` of `src/contract/conflicts.ts`): each
 * field's base, local and partner values as a reader sees them. The link stores normalised values (accountIds,
 * priority and status ids on each side's own terms, option values and names, canonical ADF), so ids are turned into
 * names here: statuses from the connection's stored names, priorities from `GET /rest/api/3/priority`, users from
 * `GET /rest/api/3/user?accountId=`, issue types from the project (each read once per request, only when needed).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-priorities/#api-rest-api-3-priority-get
 */
import type { ConflictValueView, ConflictView } from '../contract/conflicts';
import { isDigest, isRecord, sameAdf } from '../model/adf';
import type { Connection } from '../model/connection';
import type { LinkRecord, StoredConflict } from '../model/link';
import type { FieldKind, FieldMap, Side } from '../model/mapping';
import type { AdfNode, SideValues } from '../model/types';
import type { JiraSite } from '../jira/site';
import { adfPlain } from './conflict-text';
import type { ConnectionPorts } from './ports';
import { readFieldIds, readSide } from './values';

/** Kinds a person may write a merged value for. */
export const MERGEABLE_KINDS: readonly FieldKind[] = ['text', 'paragraph'];

/** Turns ids of one side into names. Every method answers the id itself when no name is known. */
export interface Namer {
  user(side: Side, accountId: string): Promise<string>;
  priority(side: Side, id: string): Promise<string>;
  status(side: Side, id: string): Promise<string>;
  issueType(side: Side, id: string): Promise<string>;
}

/** A {@link Namer} over both sites, reading each list at most once (users once per accountId). */
export function siteNamer(connection: Connection, sites: Record<Side, Pick<JiraSite, 'getUserName' | 'getPriorities' | 'getProject'>>): Namer {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(k: string, load: () => Promise<T>): Promise<T> => {
    if (!memo.has(k)) memo.set(k, load().catch(() => undefined));
    return memo.get(k) as Promise<T>;
  };
  const projectKey = (side: Side) => (side === 'local' ? connection.projectKey : connection.partnerProjectKey);
  return {
    user: async (side, id) => (await once(`u:${side}:${id}`, () => sites[side].getUserName(id))) ?? id,
    priority: async (side, id) => (await once(`p:${side}`, () => sites[side].getPriorities()))?.find((p) => p.id === id)?.name ?? id,
    status: async (side, id) => connection.statusNames[side][id] ?? id,
    issueType: async (side, id) => (await once(`t:${side}`, () => sites[side].getProject(projectKey(side))))?.issueTypes.find((t) => t.id === id)?.name ?? id,
  };
}

const EMPTY = '(empty)';

/** One normalised value of `kind` on side `side`, readable. */
export async function valueView(kind: FieldKind, value: unknown, side: Side, names: Namer): Promise<ConflictValueView> {
  if (isDigest(value)) return { text: `(a text of ${Math.ceil(value.bytes / 1024)} KB, too large to keep for showing here)`, adf: null, tooLarge: true };
  const done = (text: string, adf: ConflictValueView['adf'] = null) => ({ text: text.trim() || EMPTY, adf, tooLarge: false });
  if (value === null || value === undefined) return done('');
  if (kind === 'paragraph') return isRecord(value) && value.type === 'doc' ? done(adfPlain(value as unknown as AdfNode), value as unknown as ConflictValueView['adf']) : done('');
  const list = Array.isArray(value) ? value.map(String) : [String(value)];
  const named = await Promise.all(
    list.map((v) => {
      if (kind === 'user' || kind === 'multiuser') return names.user(side, v);
      if (kind === 'priority') return names.priority(side, v);
      if (kind === 'status') return names.status(side, v);
      if (kind === 'issuetype') return names.issueType(side, v);
      return v;
    }),
  );
  return done(named.join(', '));
}

/** The view of one stored conflict (`row` is its mapping row); `fallbackSince` for records older than `since`. */
export async function conflictView(c: StoredConflict, row: FieldMap, names: Namer, fallbackSince: string): Promise<ConflictView> {
  const [base, local, partner] = await Promise.all([
    valueView(row.kind, c.base?.local, 'local', names),
    valueView(row.kind, c.local, 'local', names),
    valueView(row.kind, c.partner, 'partner', names),
  ]);
  return {
    field: row.local,
    partnerField: row.partner,
    name: row.name.local,
    kind: row.kind,
    base,
    local,
    partner,
    mergeable: MERGEABLE_KINDS.includes(row.kind),
    since: c.since ?? fallbackSince,
  };
}

/**
 * Views of every waiting conflict of `link` whose row is still mapped (a row since unmapped is left out). A local or
 * partner value stored only as a digest (a large rich text) is shown from `current` (the issues' values now, read
 * only when some value is a digest) when it is still the same text; the base has no such source and stays too large.
 */
export async function conflictViews(link: LinkRecord, connection: Connection, names: Namer, current?: () => Promise<Record<Side, SideValues>>): Promise<ConflictView[]> {
  const out: ConflictView[] = [];
  const digested = link.conflicts.some((c) => isDigest(c.local) || isDigest(c.partner));
  const now = digested && current ? await current() : undefined;
  for (const c of link.conflicts) {
    const row = connection.mapping.fields.find((f) => f.local === c.field && f.direction !== 'off');
    if (!row) continue;
    const shown = (side: Side) => {
      const recorded = c[side];
      const value = now?.[side][side === 'local' ? row.local : row.partner];
      return isDigest(recorded) && value !== undefined && sameAdf(recorded, value) ? value : recorded;
    };
    out.push(await conflictView({ ...c, local: shown('local'), partner: shown('partner') }, row, names, link.lastSyncAt ?? ''));
  }
  return out;
}

/**
 * The panel's views of a link's waiting conflicts over a connection's ports: names from both sites (see
 * {@link siteNamer}), and both issues read (`GET /rest/api/3/issue/{id}`) only when a large value must be shown.
 */
export async function waitingConflictViews(ports: Pick<ConnectionPorts, 'connection' | 'local' | 'partner'>, link: LinkRecord): Promise<ConflictView[]> {
  const { connection } = ports;
  const { mapping } = connection;
  const current = async () => {
    const [l, p] = await Promise.all([ports.local.getIssue(link.localIssueId, readFieldIds(mapping, 'local')), ports.partner.getIssue(link.partnerIssueId, readFieldIds(mapping, 'partner'))]);
    return { local: readSide(l.fields, mapping, 'local'), partner: readSide(p.fields, mapping, 'partner') };
  };
  return conflictViews(link, connection, siteNamer(connection, ports), current);
}
