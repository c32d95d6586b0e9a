/**
 * The Custom Entity Store as the sandbox serves it, driven by the unmodified `@forge/kvs` client (its
 * `__forge_fetch__` answered by the sandbox's store, as the Forge host does) with the app's own manifest, and the
 * app's sync-log store (`src/store/log.ts`) on top of it: declared entities and indexes only, partitions, range
 * conditions, sort, filters applied to what a page read, cursors that belong to one query, Forge's errors.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { FilterConditions, kvs, Sort, WhereConditions, Filter } from '@forge/kvs';
import { KvsStore } from '../../sandbox/forge/kvs-store';
import { loadManifest } from '../../sandbox/forge/manifest';
import { appendLog, issueHistory, putLogEntity, queryLog } from '../../src/store/log';
import { queryEitherSide } from '../../src/store/log-either';
import { planLogQueries } from '../../src/sync/log-query';
import type { NewLogEntry } from '../../src/store/records';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entity-store-'));
const g = globalThis as any;
let saved: unknown;

before(() => {
  const manifest = loadManifest(path.resolve(__dirname, '../..'));
  const store = new KvsStore(path.join(dir, 'kvs.json'), { fresh: true, entities: manifest.entities, entityAttributes: manifest.entityAttributes });
  saved = g.__forge_fetch__;
  g.__forge_fetch__ = async (_target: unknown, p: string, init?: RequestInit) => {
    const rep = store.handle(p, init?.body ? JSON.parse(String(init.body)) : {});
    return new Response(rep.body === undefined ? null : JSON.stringify(rep.body), { status: rep.status, headers: { 'content-type': 'application/json' } });
  };
});
after(() => {
  g.__forge_fetch__ = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The Forge error code a call fails with. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return 'no error';
}

const entry = (i: number, over: Partial<NewLogEntry> = {}): NewLogEntry => ({
  connectionId: i % 3 === 0 ? 'c-b' : 'c-a',
  trigger: i % 2 ? 'webhook' : 'event',
  direction: i % 2 ? 'partner-to-local' : 'local-to-partner',
  localIssueKey: `ALOY-${i % 40}`,
  partnerIssueKey: `PARTNER-${i % 40}`,
  fields: ['summary'],
  outcome: i % 10 === 0 ? 'failed' : i % 10 === 1 ? 'no-change' : 'synced',
  message: `entry ${i}`,
  ...over,
});

describe('the sandbox refuses what Forge refuses', () => {
  test('an entity the manifest does not declare cannot be written or queried', async () => {
    assert.equal(await codeOf(kvs.entity('not-declared').set('k1', { a: 'x' })), 'ENTITY_NOT_DECLARED');
    assert.equal(await codeOf(kvs.entity('not-declared').query().index('by-a').getMany()), 'ENTITY_NOT_DECLARED');
    assert.equal(await codeOf(kvs.entity('ab').set('k1', { a: 'x' })), 'ENTITY_TYPE_TOO_SHORT');
    assert.equal(await codeOf(kvs.entity('e'.repeat(61)).get('k1')), 'ENTITY_TYPE_TOO_LARGE');
  });

  test('an entity key follows the KVS key rules', async () => {
    const log = kvs.entity('sync-log');
    assert.equal(await codeOf(log.set('bad/key', { projectKey: 'ALOY' })), 'INVALID_KEY');
    assert.equal(await codeOf(log.set('k'.repeat(501), { projectKey: 'ALOY' })), 'KEY_TOO_LONG');
  });

  test('a query names a declared index, with one value for each partition attribute', async () => {
    const log = kvs.entity('sync-log');
    assert.equal(await codeOf(log.query().index('by-time').getMany()), 'INVALID_INDEX');
    assert.equal(await codeOf(log.query().index('by-outcome', { partition: ['ALOY'] }).getMany()), 'INVALID_PARTITION');
    assert.equal(await codeOf(log.query().index('by-project').getMany()), 'INVALID_PARTITION');
    assert.equal(await codeOf(log.query().index('by-project', { partition: ['ALOY'] }).limit(21).getMany()), 'INVALID_LIMIT');
  });

  test('a value whose declared attribute has the wrong type is refused and nothing is stored', async () => {
    const log = kvs.entity('sync-log');
    assert.equal(await codeOf(log.set('bad-1', { projectKey: 'ALOY', at: 12345 })), 'INVALID_ATTRIBUTE_TYPE');
    assert.equal(await log.get('bad-1'), undefined);
  });
});

describe('entity queries', () => {
  before(async () => {
    const log = kvs.entity<any>('sync-log');
    for (let i = 0; i < 30; i++) await log.set(`q-${String(i).padStart(2, '0')}`, { projectKey: 'QRY', at: `2026-12-01T00:00:${String(i).padStart(2, '0')}.000Z`, outcome: i % 2 ? 'synced' : 'failed', trigger: 'event', direction: 'none' });
    await log.set('q-other', { projectKey: 'OTHER', at: '2026-12-01T00:00:05.000Z', outcome: 'synced', trigger: 'event', direction: 'none' });
    await log.set('q-untimed', { projectKey: 'QRY', outcome: 'synced', trigger: 'event', direction: 'none' });
  });

  test('only the partition is read, in range order, ascending unless sorted DESC, within the where range', async () => {
    const q = () => kvs.entity<any>('sync-log').query().index('by-project', { partition: ['QRY'] });
    const asc = await q().limit(20).getMany();
    assert.deepEqual(asc.results.slice(0, 3).map((r) => r.key), ['q-00', 'q-01', 'q-02']);
    assert.ok(asc.nextCursor, 'more than one page');
    const desc = await q().sort(Sort.DESC).limit(3).getMany();
    assert.deepEqual(desc.results.map((r) => r.key), ['q-29', 'q-28', 'q-27'], 'newest first; the entity without `at` is not in the index');
    const range = await q().where(WhereConditions.between('2026-12-01T00:00:10.000Z', '2026-12-01T00:00:12.000Z')).getMany();
    assert.deepEqual(range.results.map((r) => r.key), ['q-10', 'q-11', 'q-12']);
    assert.equal(range.nextCursor, undefined);
  });

  test('filters apply to the entities a page read, so a filtered page can be short and still have a cursor', async () => {
    const page = await kvs
      .entity<any>('sync-log')
      .query()
      .index('by-project', { partition: ['QRY'] })
      .filters(new Filter<any>().and('outcome', FilterConditions.equalTo('failed')))
      .limit(4)
      .getMany();
    assert.deepEqual(page.results.map((r) => r.key), ['q-00', 'q-02'], 'four read, two matched');
    assert.ok(page.nextCursor);
  });

  test('a cursor continues its own query exactly and is refused by another', async () => {
    const q = (p: string) => kvs.entity<any>('sync-log').query().index('by-project', { partition: [p] }).limit(20);
    const first = await q('QRY').getMany();
    const second = await q('QRY').cursor(first.nextCursor!).getMany();
    assert.deepEqual([...first.results, ...second.results].map((r) => r.key), Array.from({ length: 30 }, (_, i) => `q-${String(i).padStart(2, '0')}`));
    assert.equal(second.nextCursor, undefined);
    assert.equal(await codeOf(q('OTHER').cursor(first.nextCursor!).getMany()), 'INVALID_CURSOR');
  });
});

describe('the sync log store over the entity', () => {
  const base = Date.parse('2026-11-20T00:00:00.000Z');
  before(async () => {
    for (let i = 0; i < 1_050; i++) await appendLog('ALOY', entry(i), base + i * 60_000);
  });

  test('pages through 1,050 entries newest first, every entry once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queryLog('ALOY', { includeNoChange: true }, 100, cursor);
      seen.push(...page.entries.map((e) => e.message));
      cursor = page.cursor ?? undefined;
      pages++;
    } while (cursor);
    assert.equal(pages, 11);
    assert.equal(seen.length, 1_050);
    assert.equal(new Set(seen).size, 1_050);
    assert.equal(seen[0], 'entry 1049');
    assert.equal(seen.at(-1), 'entry 0');
  });

  test('runs that changed nothing are left out unless asked for', async () => {
    const page = await queryLog('ALOY', {}, 100);
    assert.equal(page.entries.length, 100);
    assert.ok(page.entries.every((e) => e.outcome !== 'no-change'));
  });

  test('filters by outcome, connection, direction, trigger, issue key on either side and time, together', async () => {
    const all = async (f: Parameters<typeof queryLog>[1]) => {
      const out = [];
      let cursor: string | undefined;
      do {
        const page = await queryLog('ALOY', f, 100, cursor);
        out.push(...page.entries);
        cursor = page.cursor ?? undefined;
      } while (cursor);
      return out;
    };
    const failed = await all({ outcome: 'failed' });
    assert.equal(failed.length, 105);
    assert.ok(failed.every((e) => e.outcome === 'failed'));
    const cb = await all({ connectionId: 'c-b', trigger: 'webhook', includeNoChange: true });
    assert.equal(cb.length, 175, 'i divisible by 3 and odd');
    assert.ok(cb.every((e) => e.connectionId === 'c-b' && e.trigger === 'webhook' && e.direction === 'partner-to-local'));
    const local = await all({ issueKey: 'ALOY-7', includeNoChange: true });
    const partner = await all({ issueKey: 'PARTNER-7', includeNoChange: true });
    assert.equal(local.length, 27);
    assert.deepEqual(partner.map((e) => e.id), local.map((e) => e.id), 'the same runs found by either key');
    const hour = await all({ from: new Date(base + 60 * 60_000).toISOString(), to: new Date(base + 119 * 60_000).toISOString(), direction: 'local-to-partner', includeNoChange: true });
    assert.deepEqual(hour.map((e) => e.message), Array.from({ length: 30 }, (_, k) => `entry ${118 - 2 * k}`));
  });

  test('each entry expires 30 days after it was written', async () => {
    const [newest] = (await queryLog('ALOY', { includeNoChange: true }, 1)).entries;
    const stored = await kvs.entity('sync-log').get(newest.id, { metadataFields: ['EXPIRE_TIME' as never] });
    const days = (Date.parse(String(stored?.expireTime)) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);
  });
});

describe('retention', () => {
  test('an entity whose TTL passed is gone from reads and queries', async () => {
    const log = kvs.entity<any>('sync-log');
    await log.set('ttl-1', { projectKey: 'TTL', at: '2026-12-01T00:00:00.000Z', outcome: 'synced', trigger: 'event', direction: 'none' }, { ttl: { value: 1, unit: 'SECONDS' } });
    assert.equal((await log.query().index('by-project', { partition: ['TTL'] }).getMany()).results.length, 1);
    await new Promise((r) => setTimeout(r, 1_100));
    assert.equal(await log.get('ttl-1'), undefined);
    assert.deepEqual((await log.query().index('by-project', { partition: ['TTL'] }).getMany()).results, []);
  });

  test('an entry older than 30 days never shows, even while Forge still holds it, and paging stops there', async () => {
    const now = Date.parse('2026-12-03T12:00:00.000Z');
    const at = (days: number) => new Date(now - days * 86_400_000).toISOString();
    const mk = (id: string, days: number) => ({ id, at: at(days), connectionId: null, trigger: 'event' as const, direction: 'none' as const, localIssueKey: 'RET-1', partnerIssueKey: null, fields: [], outcome: 'synced' as const, message: id });
    for (const [id, days] of [['ret-new', 1], ['ret-edge', 29.9], ['ret-old', 30.1], ['ret-older', 45]] as const) await putLogEntity('RET', mk(id, days), 60);
    const page = await queryLog('RET', { includeNoChange: true }, 1, undefined, now);
    assert.deepEqual(page.entries.map((e) => e.id), ['ret-new']);
    const rest = await queryLog('RET', { includeNoChange: true }, 10, page.cursor!, now);
    assert.deepEqual([rest.entries.map((e) => e.id), rest.cursor], [['ret-edge'], null], 'the entries past 30 days are neither shown nor paged to');
  });
});

describe('a rare filter over many entries', () => {
  test('a page the bounded reads could not fill says more may follow, and the next page goes on without a gap', async () => {
    const base = Date.parse('2026-11-25T00:00:00.000Z');
    await appendLog('RARE', entry(0, { trigger: 'manual', message: 'the one manual run' }), base);
    for (let i = 1; i <= 1_250; i++) await appendLog('RARE', entry(i, { trigger: 'event', outcome: 'synced' }), base + i * 1_000);
    const first = await queryLog('RARE', { trigger: 'manual' }, 50);
    assert.deepEqual(first.entries, [], '60 reads of 20 hold no manual run');
    assert.ok(first.cursor, 'and the cursor says the index goes on');
    const second = await queryLog('RARE', { trigger: 'manual' }, 50, first.cursor!);
    assert.deepEqual([second.entries.map((e) => e.message), second.cursor], [['the one manual run'], null]);
  });
});

describe('an issue key of a partner project that shares the local project key', () => {
  const base = Date.parse('2026-11-28T00:00:00.000Z');
  const logged: { id: string; local: string; partner: string; outcome: string; at: string }[] = [];
  before(async () => {
    for (let i = 0; i < 300; i++) {
      const local = i === 299 ? 'SAME-9' : `SAME-${i % 6}`;
      const partner = i === 299 ? 'SAME-9' : `SAME-${(i % 6) + 3}`;
      // Three runs share one millisecond, so ties in time are paged through too.
      const e = await appendLog('SAME', entry(i, { localIssueKey: local, partnerIssueKey: partner }), base + Math.floor(i / 3) * 1_000);
      logged.push({ id: e.id, local, partner, outcome: e.outcome, at: e.at });
    }
  });
  const pageAll = async (filter: Parameters<typeof queryLog>[1], limit: number, read = (c?: string) => queryLog('SAME', filter, limit, c)) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      assert.ok(page.entries.length <= limit);
      ids.push(...page.entries.map((e) => e.id));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return ids;
  };
  const newestFirst = (rows: typeof logged) => [...rows].sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : -1)).map((r) => r.id);

  test('finds the runs of the key on either side, each once, newest first, over pages of any size', async () => {
    const expected = newestFirst(logged.filter((r) => r.local === 'SAME-4' || r.partner === 'SAME-4'));
    assert.equal(expected.length, 100, 'local SAME-4 and the links whose partner issue is SAME-4');
    for (const limit of [1, 7, 50]) assert.deepEqual(await pageAll({ issueKey: 'SAME-4', includeNoChange: true }, limit), expected, `pages of ${limit}`);
    for (const limit of [1, 50]) assert.deepEqual(await pageAll({ issueKey: 'SAME-9', includeNoChange: true }, limit), logged.filter((r) => r.local === 'SAME-9').map((r) => r.id), 'a run whose two keys are the same text, once');
  });

  test('with other filters, and when each page may read only a little, nothing is skipped or repeated', async () => {
    const expected = newestFirst(logged.filter((r) => (r.local === 'SAME-4' || r.partner === 'SAME-4') && r.outcome === 'failed'));
    assert.equal(expected.length, 10, 'failed runs of local SAME-4 (partner SAME-4 runs are all odd, none failed)');
    const plans = planLogQueries('SAME', { issueKey: 'SAME-4', outcome: 'failed' });
    assert.equal(plans.length, 2);
    assert.deepEqual(await pageAll({ issueKey: 'SAME-4', outcome: 'failed' }, 4), expected);
    const edge = '2026-01-01T00:00:00.000Z';
    // 50 runs in each index, 1 in 5 of one failed and none of the other: two reads of 20 a page often cannot fill a
    // page of 4, so pages end early and go on.
    let short = 0;
    const read = async (c?: string) => {
      const page = await queryEitherSide(plans, 4, c, edge, 2);
      if (page.cursor && page.entries.length < 4) short++;
      return page;
    };
    assert.deepEqual(await pageAll({}, 4, read), expected, 'two reads a page');
    assert.ok(short > 0, 'some pages ended early');
    const mid = logged[45].at;
    const late = newestFirst(logged.filter((r) => (r.local === 'SAME-4' || r.partner === 'SAME-4') && r.at >= mid));
    assert.deepEqual(await pageAll({ issueKey: 'SAME-4', from: mid, includeNoChange: true }, 3), late, 'from a time');
  });

  test("a cursor of other filters is refused in words; the panel's history reads the local issue only", async () => {
    const first = await queryLog('SAME', { issueKey: 'SAME-4', includeNoChange: true }, 2);
    await assert.rejects(queryLog('SAME', { issueKey: 'SAME-5', includeNoChange: true }, 2, first.cursor!), /belongs to other filters/);
    const history = await issueHistory('SAME', 'SAME-4', 10);
    assert.ok(history.length === 10 && history.every((e) => e.localIssueKey === 'SAME-4'));
  });
});
