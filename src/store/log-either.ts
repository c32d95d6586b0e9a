/**
 * log: an issue-key filter over both sides at once. A key of the project may be a local key or the key of a partner
 * issue in a project with the same key, and the two live in two indexes (`by-local-issue-key`,
 * `by-partner-issue-key`). Forge queries one index at a time and its cursors cannot be combined, so this reads both
 * newest first and merges them, and its own cursor is the position of the last entry given (`at`, then entity key,
 * descending: the order Forge's index keeps) plus a tag of the filter it belongs to. A page resumes each index
 * with a range condition up to that time and drops what is not strictly older, so no entry is given twice or
 * skipped, and an entry found in both indexes (its local and partner keys are the same text) is given once.
 * Filters are applied here to what each read returned (the same conditions Forge would apply), so the reader
 * always knows how far each index has been read, also when a bounded page ends early.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query-complex/
 */
import { kvs, Sort } from '@forge/kvs';
import type { EntityQueryBuilder } from '@forge/kvs/out/interfaces/entity-query';
import { createHash } from 'node:crypto';
import { SyncLogEntry } from '../contract';
import { SyncError } from '../model/errors';
import { LOG_ENTITY, newerThan, passes, rangeFrom, type LogPosition, type LogQueryPlan } from '../sync/log-query';
import type { LogEntity, LogPage } from './log';

const PREFIX = 'either:';
const PAGE = 20;

type Row = { pos: LogPosition; value: LogEntity };

/** One index read newest first from `after` down, a Forge page at a time. */
class Stream {
  buffer: Row[] = [];
  done = false;
  /** The oldest row read so far (matching or not): the index is covered down to it. */
  last?: LogPosition;
  private cursor?: string;
  private readonly range: ReturnType<typeof rangeFrom>;

  constructor(
    private readonly plan: LogQueryPlan,
    private readonly after: LogPosition | undefined,
    private readonly edge: string,
  ) {
    this.range = rangeFrom(plan.range, after);
    if (this.range === null) this.done = true;
  }

  /** Reads one more page into the buffer (only rows strictly after `after`, newer than the edge, passing filters). */
  async read(): Promise<void> {
    let q: EntityQueryBuilder<LogEntity> = kvs.entity<LogEntity>(LOG_ENTITY).query().index(this.plan.index, { partition: this.plan.partition }).sort(Sort.DESC).limit(PAGE);
    if (this.range) q = q.where(this.range as never);
    if (this.cursor) q = q.cursor(this.cursor);
    const page = await q.getMany();
    for (const r of page.results) {
      const pos = { at: String(r.value?.at), key: r.key };
      this.last = pos;
      if (pos.at < this.edge) {
        this.done = true;
        return;
      }
      if (this.after && !newerThan(this.after, pos)) continue;
      if (passes(r.value as unknown as Record<string, unknown>, this.plan.filters)) this.buffer.push({ pos, value: r.value });
    }
    this.cursor = page.nextCursor;
    if (!this.cursor) this.done = true;
  }
}

/** The tag a cursor carries: which query it belongs to. */
const tagOf = (plans: LogQueryPlan[]) => createHash('sha256').update(JSON.stringify(plans)).digest('base64url').slice(0, 16);

function decode(cursor: string, tag: string): LogPosition {
  try {
    if (!cursor.startsWith(PREFIX)) throw new Error('not ours');
    const c = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (c.tag === tag && typeof c.at === 'string' && typeof c.key === 'string') return { at: c.at, key: c.key };
  } catch {
    // fall through: a cursor of another query, or not a cursor
  }
  throw new SyncError('invalid-input', 'The page you asked for belongs to other filters. Nothing was read: go back to the first page and page on from there.');
}
const encode = (pos: LogPosition, tag: string) => PREFIX + Buffer.from(JSON.stringify({ tag, ...pos })).toString('base64url');

/**
 * Up to `limit` entries matching any of `plans` (the same filter over two indexes), newest first, after `cursor`.
 * @param edge ISO-8601 time: entries older than it are not read (retention)
 * @param maxReads most Forge reads this page may take; if they run out, the page ends early with a cursor
 * @throws SyncError `invalid-input` when `cursor` is not one this filter returned
 */
export async function queryEitherSide(plans: LogQueryPlan[], limit: number, cursor: string | undefined, edge: string, maxReads: number): Promise<LogPage> {
  const tag = tagOf(plans);
  const after = cursor ? decode(cursor, tag) : undefined;
  const streams = plans.map((p) => new Stream(p, after, edge));
  const entries: SyncLogEntry[] = [];
  const given = new Set<string>();
  let lastGiven: LogPosition | undefined;
  let reads = 0;
  const give = (row: Row) => {
    lastGiven = row.pos;
    if (given.has(row.pos.key)) return;
    given.add(row.pos.key);
    const parsed = SyncLogEntry.safeParse(row.value?.entry);
    if (parsed.success) entries.push(parsed.data);
  };
  while (entries.length < limit) {
    // The least read index goes first (one never read before all), so every index moves on and so does the cursor.
    const hungry = streams
      .filter((s) => !s.done && s.buffer.length === 0)
      .reduce<Stream | undefined>((a, b) => (!a ? b : !b.last ? b : a.last && newerThan(b.last, a.last) ? b : a), undefined);
    if (hungry) {
      if (reads >= maxReads) break;
      reads++;
      await hungry.read();
      continue;
    }
    const ready = streams.filter((s) => s.buffer.length > 0);
    if (!ready.length) return { entries, cursor: null };
    const next = ready.reduce((a, b) => (newerThan(b.buffer[0].pos, a.buffer[0].pos) ? b : a));
    give(next.buffer.shift()!);
  }
  // Reads ran out with an index half read: every index is covered down to the newest of their last rows, so what
  // is buffered above that may still be given; the next page goes on from there.
  const open = streams.filter((s) => !s.done || s.buffer.length);
  if (!open.length) return { entries, cursor: null };
  const unread = streams.filter((s) => !s.done).map((s) => s.last ?? after).filter((p): p is LogPosition => !!p);
  const bound = unread.length ? unread.reduce((a, b) => (newerThan(b, a) ? b : a)) : undefined;
  const rest = streams.flatMap((s) => s.buffer).filter((r) => !bound || newerThan(r.pos, bound));
  rest.sort((a, b) => (newerThan(a.pos, b.pos) ? -1 : 1));
  for (const r of rest) {
    if (entries.length >= limit) break;
    give(r);
  }
  const resume = entries.length >= limit ? lastGiven : (bound ?? lastGiven);
  return { entries, cursor: resume ? encode(resume, tag) : null };
}
