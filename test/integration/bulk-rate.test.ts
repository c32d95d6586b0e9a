/**
 * Bulk link throughput rules, through the real resolvers and the `bulk-runs` queue in the sandbox's Forge host
 * against the Jira emulator: a transition the run already knows goes in the create body (Jira's
 * `IssueUpdateDetails.transition`), a partner that refuses it still gets exactly one copy in the right status, and
 * Retry failed copes with issues deleted since the run.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';
import { bulkHelpers } from '../support/bulk';

const sb = new TestSandbox(21500);
const ORIGIN = 'jira-task-sync-origin';

before(async () => {
  await sb.start();
}, 120_000);
after(async () => {
  await sb.stop();
});

const { bulk, waitRun } = bulkHelpers(sb);

/** Issues a JQL finds on a site (every page), with `fields`. */
async function search(site: 'local' | 'partner', jql: string, fields: string[] = ['key']): Promise<any[]> {
  const out: any[] = [];
  let nextPageToken: string | undefined;
  do {
    const r = await sb.rest(site, 'POST', '/rest/api/3/search/jql', { jql, fields, properties: [ORIGIN], maxResults: 100, nextPageToken });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...r.body.issues);
    nextPageToken = r.body.nextPageToken;
  } while (nextPageToken);
  return out;
}

/** Local issue id → its partner copies (by the origin property), with their status. */
async function copies(): Promise<Map<string, any[]>> {
  const by = new Map<string, any[]>();
  for (const i of await search('partner', 'project = PARTNER', ['status', 'issuetype'])) {
    const origin = i.properties?.[ORIGIN]?.issueId;
    if (origin) by.set(String(origin), [...(by.get(String(origin)) ?? []), i]);
  }
  return by;
}

/** Partner calls of the app's partner account to `POST …/transitions` since the last stats reset. */
async function transitionPosts(): Promise<number> {
  const stats = await sb.stats('partner');
  return Object.entries(stats.requests as Record<string, number>).filter(([route]) => /^POST .*\/transitions$/.test(route)).reduce((n, [, v]) => n + v, 0);
}

/** Every local issue of `jql` has one partner copy, whose status has the same category as the local one's. */
async function assertOneCopyEach(matches: any[]): Promise<Map<string, any[]>> {
  const byOrigin = await copies();
  for (const m of matches) {
    const mine = byOrigin.get(m.id) ?? [];
    assert.equal(mine.length, 1, `${m.key} has exactly one partner copy: ${mine.map((c) => c.key)}`);
    assert.equal(mine[0].fields.status.statusCategory.key, m.fields.status.statusCategory.key, `${m.key} (${m.fields.status.name}) → ${mine[0].key} (${mine[0].fields.status.name})`);
  }
  return byOrigin;
}

describe('transition on create (emulator, as Jira)', () => {
  test('a transition available from the start status is applied in the create call; one that is not answers 400 and makes nothing', async () => {
    const fields = { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Moved on creation' };
    const ok = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields, transition: { id: '11' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.transition, { status: 200, errorCollection: { errorMessages: [], errors: {} } });
    const made = await sb.rest('partner', 'GET', `/rest/api/3/issue/${ok.body.key}?fields=status,resolution&expand=changelog`);
    assert.equal(made.body.fields.status.name, 'Working');
    assert.ok(made.body.changelog.histories.some((h: any) => h.items.some((i: any) => i.field === 'status' && i.toString === 'Working')), 'the transition is in the changelog');
    // A transition with a screen follows its rules as POST …/transitions does: entering a done status sets the resolution.
    const screen = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { ...fields, summary: 'Closed on creation' }, transition: { id: '51' } });
    assert.equal(screen.status, 201, JSON.stringify(screen.body));
    const closed = await sb.rest('partner', 'GET', `/rest/api/3/issue/${screen.body.key}?fields=status,resolution`);
    assert.deepEqual([closed.body.fields.status.name, closed.body.fields.resolution?.name], ['Closed', 'Done']);
    const before = (await search('partner', 'project = PARTNER')).length;
    for (const id of ['21', '99', '']) {
      const bad = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { ...fields, summary: `Refused ${id}` }, transition: { id } });
      assert.equal(bad.status, 400, `transition '${id}' (Stop work starts from Working, not Open)`);
      assert.deepEqual(bad.body, { errorMessages: [`Transition id '${id}' is not valid for this issue.`], errors: {} });
    }
    assert.equal((await search('partner', 'project = PARTNER')).length, before, 'a refused create makes no issue');
  });
});

describe('bulk link', () => {
  test('sends the known transition in the create body: one transition call per issue type, every copy in its mapped status', async () => {
    const jql = 'key >= ALOY-600 AND key < ALOY-660 AND issuetype not in ("Sub-task", "Technical task")';
    const matches = await search('local', `project = ALOY AND ${jql}`, ['status', 'issuetype']);
    const moving = matches.filter((m) => m.fields.status.statusCategory.key !== 'new');
    assert.ok(moving.length >= 5, `issues whose copy must leave the start status (${moving.length})`);
    await sb.resetStats('partner');
    const run = await waitRun((await bulk('startBulk', { direction: 'link', jql, confirmed: true })).runId, (r) => r.state === 'done');
    assert.deepEqual([run.created, run.failed], [matches.length, 0], JSON.stringify(run.failures));
    await sb.idle(60_000);
    await assertOneCopyEach(matches);
    const types = new Set(matches.map((m) => m.fields.issuetype.name)).size;
    const posts = await transitionPosts();
    // Only the first issue of a type (and of a target the list had no transition for) moves with its own call.
    assert.ok(posts <= 2 * types, `${posts} POST …/transitions for ${moving.length} issues that moved, ${types} issue types`);
  }, 300_000);

  test('a transition the partner refuses on create (its workflow changed mid-run) still gives one copy per issue, in its status', async () => {
    // Issues whose copy goes to Closed (Open → Closed is "Close", id 31), away from the other tests' ranges.
    const all = await search('local', 'project = ALOY AND key >= ALOY-700 AND issuetype not in ("Sub-task", "Technical task")', ['status', 'issuetype']);
    const closing = all.filter((m) => m.fields.status.statusCategory.key === 'done').slice(0, 8);
    assert.ok(closing.length >= 4, `enough issues whose copy goes to Closed (${closing.length})`);
    const matches = closing;
    const jql = `key in (${closing.map((m) => m.key).join(', ')})`;
    const defs = sb.running.jira.sites.partner.store.defs;
    const original = defs.transitions.map((t) => ({ ...t }));
    // Slow enough that the change lands while issues are still being created.
    await sb.faults('partner', { rateLimit: { perSecond: 3, burst: 3 } });
    try {
      const started = await bulk('startBulk', { direction: 'link', jql, confirmed: true });
      await waitRun(started.runId, (r) => r.created >= 1);
      // A partner admin re-creates "Close" under a new id: the run's cached id '31' is refused from now on.
      defs.transitions = defs.transitions.map((t) => (t.id === '31' ? { ...t, id: '32' } : t));
      const run = await waitRun(started.runId, (r) => r.state === 'done');
      assert.deepEqual([run.created, run.failed], [matches.length, 0], JSON.stringify(run.failures));
    } finally {
      defs.transitions = original;
      await sb.faults('partner', null);
    }
    await sb.idle(60_000);
    const byOrigin = await assertOneCopyEach(matches);
    for (const m of closing) assert.equal(byOrigin.get(m.id)![0].fields.status.name, 'Closed');
    const log = await sb.invoke('task-sync-settings', 'getSyncLog', {}, { projectKey: 'ALOY' });
    const refused = JSON.stringify(log.data).match(/refused to move it on creation/g) ?? [];
    assert.ok(refused.length >= 1, 'the sync log says the partner refused the transition and the status was set the usual way');
  }, 300_000);

  test('Retry failed reports each issue deleted since the run as deleted and retries the rest', async () => {
    const jql = 'key >= ALOY-520 AND key < ALOY-532 AND issuetype not in ("Sub-task", "Technical task")';
    const matches = await search('local', `project = ALOY AND ${jql}`);
    assert.ok(matches.length >= 5, `enough matches (${matches.length})`);
    await sb.faults('partner', { errorRate: 1, errorStatus: [400] });
    let run: any;
    try {
      run = await waitRun((await bulk('startBulk', { direction: 'link', jql, confirmed: true })).runId, (r) => r.state === 'done');
    } finally {
      await sb.faults('partner', null);
    }
    assert.equal(run.failed, matches.length);
    const gone = [matches[1], matches[3]];
    for (const g of gone) assert.equal((await sb.rest('local', 'DELETE', `/rest/api/3/issue/${g.key}`)).status, 204);
    const retry = await bulk('retryBulkFailures', { runId: run.runId });
    const done = await waitRun(retry.runId, (r) => r.state === 'done');
    assert.deepEqual([done.created, done.failed, done.total], [matches.length - 2, 2, matches.length], JSON.stringify(done.failures));
    for (const g of gone) {
      const f = done.failures.find((x: any) => x.key === g.key);
      assert.match(f?.reason ?? '', new RegExp(`^${g.key} no longer exists on the local site \\(it was deleted after the run\\)`), JSON.stringify(done.failures));
    }
    await sb.idle(60_000);
    const byOrigin = await copies();
    for (const m of matches) assert.equal(byOrigin.get(m.id)?.length ?? 0, gone.includes(m) ? 0 : 1, m.key);
  }, 300_000);
});
