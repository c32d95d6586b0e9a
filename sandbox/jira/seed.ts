/**
 * Seeds the local site from the real issue dump (`issues/tidev-ALOY-DAEMON-MOD.jsonl.gz`, Jira Server REST v2
 * issues, one per line): same ids and keys, wiki markup (description, environment, comments) converted to ADF,
 * affects versions kept, Server users turned into Cloud-style users with deterministic accountIds (they cannot log
 * in).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DATA_DIR } from './defs';
import { seededAccountId } from './users';
import type { Adf, CommentRec, IssueRec, NamedRef, UserRec } from './types';

// CommonJS-only packages (see DESIGN.md, "Platform facts").
const { WikiMarkupTransformer } = require('@atlaskit/editor-wikimarkup-transformer');
const { JSONTransformer } = require('@atlaskit/editor-json-transformer');

/** The dump file. */
export const DUMP_FILE = path.join(DATA_DIR, 'issues', 'tidev-ALOY-DAEMON-MOD.jsonl.gz');

interface ServerUser {
  name?: string;
  displayName: string;
}

/** What the seeder produces: issues plus the users they reference. */
export interface SeedResult {
  issues: IssueRec[];
  users: Record<string, UserRec>;
}

/**
 * Converts Jira wiki markup to an ADF `doc`. CRLF is normalised first; `[~username]` mentions become ADF mentions
 * of the mapped accountId. Returns an empty doc for empty text.
 * @param mentions Server username → accountId
 */
export function wikiToAdf(text: string, mentions: Record<string, string> = {}): Adf {
  return wikiConverter(mentions)(text);
}

/**
 * A reusable wiki → ADF converter (one transformer pair for many texts).
 * @param mentions Server username → accountId
 * @param names accountId → display name, filled into mention nodes as `@Name` (the transformer leaves text empty)
 */
export function wikiConverter(mentions: Record<string, string>, names: Record<string, string> = {}): (text: string) => Adf {
  const wiki = new WikiMarkupTransformer();
  const json = new JSONTransformer();
  const named = (n: any): void => {
    if (n.type === 'mention' && n.attrs && !n.attrs.text && names[n.attrs.id]) n.attrs.text = `@${names[n.attrs.id]}`;
    n.content?.forEach(named);
  };
  return (text) => {
    const doc = json.encode(wiki.parse(text.replace(/\r\n?/g, '\n'), { conversion: { mentionConversion: mentions } })) as Adf;
    named(doc);
    return doc;
  };
}

/**
 * The converted dump, cached in `cacheDir/jira-seed-cache.json` (keyed by the dump's size and mtime) because the
 * conversion takes ~2.5 s and the cache loads in ~0.1 s.
 */
export function loadSeed(cacheDir: string): SeedResult {
  const st = fs.statSync(DUMP_FILE);
  const stamp = `${st.size}:${st.mtimeMs}:v3`;
  const file = path.join(cacheDir, 'jira-seed-cache.json');
  try {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (cached.stamp === stamp) return cached.seed;
  } catch {
    // no cache yet, or unreadable: convert again
  }
  const seed = seedFromDump();
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ stamp, seed }));
  return seed;
}

/**
 * Reads and converts the whole dump. Takes a few seconds (wiki → ADF for ~8,000 texts).
 * @throws if the dump cannot be read
 */
export function seedFromDump(): SeedResult {
  const lines = zlib.gunzipSync(fs.readFileSync(DUMP_FILE)).toString('utf8').split('\n').filter(Boolean);
  const raw = lines.map((l) => JSON.parse(l));
  const users: Record<string, UserRec> = {};
  const byName = new Map<string, string>();
  const userId = (u: ServerUser | null | undefined): string | null => {
    if (!u) return null;
    const name = u.name ?? u.displayName;
    let id = byName.get(name);
    if (!id) {
      id = seededAccountId(name);
      byName.set(name, id);
      users[id] = { accountId: id, displayName: u.displayName, accountType: 'atlassian', active: true, admin: false, username: name };
    }
    return id;
  };
  // First pass: users, so mentions in any text can be mapped.
  for (const r of raw) {
    const f = r.fields;
    for (const u of [f.reporter, f.assignee, f.creator]) userId(u);
    for (const c of f.comment?.comments ?? []) userId(c.author), userId(c.updateAuthor);
  }
  const mentions = Object.fromEntries(byName);
  const toAdf = wikiConverter(mentions, Object.fromEntries(Object.values(users).map((u) => [u.accountId, u.displayName])));
  const refs = (xs: NamedRef[] | undefined): NamedRef[] =>
    (xs ?? []).map((x) => {
      const o: NamedRef = { id: x.id, name: x.name };
      for (const k of ['description', 'archived', 'released', 'releaseDate'] as const) if (x[k] !== undefined) (o as any)[k] = x[k];
      return o;
    });
  const issues: IssueRec[] = raw.map((r) => {
    const f = r.fields;
    const comments: CommentRec[] = (f.comment?.comments ?? [])
      .filter((c: any) => typeof c.body === 'string')
      .map((c: any) => ({
        id: c.id,
        authorId: userId(c.author),
        updateAuthorId: userId(c.updateAuthor ?? c.author),
        body: toAdf(c.body),
        created: c.created,
        updated: c.updated ?? c.created,
      }));
    return {
      id: r.id,
      key: r.key,
      projectId: f.project.id,
      issueTypeId: f.issuetype.id,
      summary: f.summary,
      description: typeof f.description === 'string' ? toAdf(f.description) : null,
      statusId: f.status.id,
      priorityId: f.priority?.id ?? null,
      resolution: f.resolution ? { id: f.resolution.id, name: f.resolution.name, description: f.resolution.description ?? '' } : null,
      resolutiondate: f.resolutiondate ?? null,
      labels: f.labels ?? [],
      components: refs(f.components),
      fixVersions: refs(f.fixVersions),
      versions: refs(f.versions),
      duedate: f.duedate ?? null,
      environment: typeof f.environment === 'string' && f.environment.trim() ? toAdf(f.environment) : null,
      reporterId: userId(f.reporter),
      assigneeId: userId(f.assignee),
      creatorId: userId(f.creator ?? f.reporter),
      created: f.created,
      updated: f.updated,
      comments,
      changelog: [],
      properties: {},
      // hierarchy: the dump's sub-tasks name their parent (a sub-task without one cannot exist in Jira)
      ...(f.parent?.id ? { parentId: String(f.parent.id) } : {}),
    };
  });
  // A parent outside the dump is dropped rather than left dangling.
  const ids = new Set(issues.map((i) => i.id));
  for (const i of issues) if (i.parentId && !ids.has(i.parentId)) delete i.parentId;
  return { issues, users };
}
