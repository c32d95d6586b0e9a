import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { JiraIssue } from '../../src/jira/site';
import type { FailedEntry } from '../../src/store/records';
import { reconcilePass, SAFETY_MS, updatedSinceJql } from '../../src/sync/reconcile';
import { failedCooldownMs } from '../../src/sync/retry';
import { memoryPorts, testLink } from './support/memory-ports';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

/**
 * Ports over memory: `updated[side]` is every updated issue id, served by each site's JQL search in pages of
 * `pageSize`; `linked` local ids are linked to partner `p<n>` for local `l<n>`.
 */
function fakePorts(opts: { updated: { local: string[]; partner: string[] }; linked: Set<string>; failed?: FailedEntry[]; pending?: string[]; pageSize?: number; timeLeftMs?: number }) {
  const searches: string[] = [];
  const pageSize = opts.pageSize ?? 100;
  const search = (side: 'local' | 'partner') => async (jql: string, _fields: string[], pageToken?: string) => {
    searches.push(`${side}:${pageToken ?? 0}`);
    const start = Number(pageToken ?? 0);
    const issues = opts.updated[side].slice(start, start + pageSize).map((id) => ({ id, key: id, fields: {} }) as JiraIssue);
    const nextPageToken = start + pageSize < opts.updated[side].length ? String(start + pageSize) : undefined;
    assert.match(jql, side === 'local' ? /^project = ALOY AND updated >= / : /^project = PARTNER AND updated >= /);
    return { issues, nextPageToken };
  };
  const { ports, state } = memoryPorts({ local: { searchJql: search('local') }, partner: { searchJql: search('partner') }, now: NOW, timeLeftMs: opts.timeLeftMs });
  for (const id of opts.linked) void ports.links.save(testLink(id, id.replace('l', 'p')));
  state.failed.push(...(opts.failed ?? []));
  for (const id of opts.pending ?? []) state.pending.add(id);
  return { ports, state: Object.assign(state, { searches }) };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const failedEntry = (id: string, minutesAgo: number, attempts: number): FailedEntry => ({
  projectKey: 'ALOY', connectionId: 'c-test', localIssueId: id, localIssueKey: `ALOY-${id}`, partnerIssueKey: 'PARTNER-1', code: 'jira-unavailable', message: '503', at: new Date(NOW - minutesAgo * 60_000).toISOString(), attempts,
});

describe('reconcile pass', () => {
  test('queues every linked issue updated on either side, and failed links past their cool-down, then moves the watermark', async () => {
    const linked = new Set([...ids('l', 5), 'f1', 'f2']);
    const { ports, state } = fakePorts({
      updated: { local: ['l0', 'l1', 'unlinked'], partner: ['p1', 'p3', 'p4', 'p-not-linked'] },
      linked,
      failed: [failedEntry('f1', 6, 1), failedEntry('f2', 6, 2)],
    });
    const res = await reconcilePass(ports);
    assert.deepEqual(res, { queued: 6, finished: true });
    assert.deepEqual(state.queued.map((j) => j.localIssueId), ['l0', 'l1', 'l1', 'l3', 'l4', 'f1']);
    assert.ok(state.queued.every((j) => j.trigger === 'reconcile' && j.projectKey === 'ALOY' && j.connectionId === 'c-test'));
    assert.deepEqual(state.watermark, { local: new Date(NOW).toISOString(), partner: new Date(NOW).toISOString() });
    assert.equal(state.progress, undefined);
  });

  test('an invocation short of time stops after a page and keeps its place; the next ones resume without redoing pages', async () => {
    const linked = new Set(ids('l', 250));
    const { ports, state } = fakePorts({ updated: { local: ids('l', 250), partner: ids('p', 120) }, linked, timeLeftMs: SAFETY_MS - 1 });
    const runs: boolean[] = [];
    for (let i = 0; i < 10 && !runs.at(-1); i++) {
      runs.push((await reconcilePass(ports)).finished);
      if (!runs.at(-1)) assert.equal(state.watermark, undefined, 'no watermark before the pass completes');
    }
    assert.deepEqual(runs, [false, false, false, false, true], 'one page per invocation: 3 local pages, 2 partner pages');
    assert.deepEqual(state.searches, ['local:0', 'local:100', 'local:200', 'partner:0', 'partner:100']);
    const queued = state.queued.map((j) => j.localIssueId);
    assert.equal(new Set(queued).size, 250);
    assert.equal(queued.length, 250 + 120, 'each page queued once (partner ids map to already-queued local ones)');
    assert.ok(state.watermark);
    assert.equal(state.progress, undefined);
  });

  test('with time to spare, one invocation does the whole pass', async () => {
    const { ports, state } = fakePorts({ updated: { local: ids('l', 250), partner: [] }, linked: new Set(ids('l', 250)) });
    assert.deepEqual(await reconcilePass(ports), { queued: 250, finished: true });
    assert.equal(state.searches.length, 4);
  });
});

test('links with work left pending by a job that died holding them are queued again, once each', async () => {
  const { ports, state } = fakePorts({ updated: { local: [], partner: [] }, linked: new Set(['l1', 'f']), failed: [failedEntry('f', 6, 1)], pending: ['l1', 'f'] });
  assert.deepEqual(await reconcilePass(ports), { queued: 2, finished: true });
  assert.deepEqual(state.queued.map((j) => j.localIssueId).sort(), ['f', 'l1']);
});

test('work pending on a link of another connection is left to that connection\'s pass', async () => {
  const { ports, state } = fakePorts({ updated: { local: [], partner: [] }, linked: new Set(), pending: ['l7'] });
  await ports.links.save(testLink('l7', 'p7', { connectionId: 'c-other' }));
  assert.deepEqual(await reconcilePass(ports), { queued: 0, finished: true });
  assert.deepEqual(state.queued, []);
});

describe('failed links cool down', () => {
  test('5 minutes after the first failed run, doubling each time, at most an hour', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => failedCooldownMs(n) / 60_000), [5, 10, 20, 40, 60, 60]);
  });

  test('a link failed 6 minutes ago for the second time waits for its 10 minutes', async () => {
    const { ports, state } = fakePorts({ updated: { local: [], partner: [] }, linked: new Set(), failed: [failedEntry('f', 6, 2), failedEntry('g', 11, 2)] });
    await reconcilePass(ports);
    assert.deepEqual(state.queued.map((j) => j.localIssueId), ['g']);
  });
});

test('the JQL looks two minutes behind the watermark, in UTC minutes', () => {
  assert.equal(updatedSinceJql('ALOY', '2026-11-22T10:00:30.000Z'), 'project = ALOY AND updated >= "2026-11-22 09:58" ORDER BY updated ASC');
});
