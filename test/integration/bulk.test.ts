/**
 * Bulk link and import by JQL through the real resolvers and the `bulk-runs` queue in the sandbox's Forge host,
 * against the Jira emulator: a Forge host restart in the middle of a run, failures reported with their reason and
 * retried, and never a duplicate (checked by the origin property on every copy).
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';
import { bulkHelpers } from '../support/bulk';

const sb = new TestSandbox(17780);
const ORIGIN = 'jira-task-sync-origin';

before(async () => {
  await sb.start();
}, 120_000);
after(async () => {
  await sb.stop();
});

const { bulk, waitRun } = bulkHelpers(sb);

/** Issue ids and keys a JQL finds on a site (every page). */
async function search(site: 'local' | 'partner', jql: string): Promise<Array<{ id: string; key: string }>> {
  const out: Array<{ id: string; key: string }> = [];
  let nextPageToken: string | undefined;
  do {
    const r = await sb.rest(site, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 5000, nextPageToken });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...r.body.issues);
    nextPageToken = r.body.nextPageToken;
  } while (nextPageToken);
  return out;
}

/** Origin issue id → copies on `site` (issues carrying the app's origin property). */
async function copiesByOrigin(site: 'local' | 'partner', project: string): Promise<Map<string, string[]>> {
  const byOrigin = new Map<string, string[]>();
  for (const i of await search(site, `project = ${project}`)) {
    const p = await sb.rest(site, 'GET', `/rest/api/3/issue/${i.id}/properties/${ORIGIN}`);
    if (p.status !== 200) continue;
    const origin = String(p.body.value.issueId);
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), i.key]);
  }
  return byOrigin;
}

describe('link by JQL', () => {
  test('preview counts and samples the matches, and refuses bad JQL in the site’s words', async () => {
    const preview = await bulk('previewBulk', { direction: 'link', jql: 'key >= ALOY-200 AND key <= ALOY-230' });
    const expected = await search('local', 'project = ALOY AND key >= ALOY-200 AND key <= ALOY-230');
    assert.equal(preview.total, expected.length);
    assert.equal(preview.sample.length, Math.min(10, expected.length));
    assert.match(preview.query, /^project = "ALOY" AND \(key >= ALOY-200 AND key <= ALOY-230\) ORDER BY key ASC$/);
    const bad = await sb.invoke('task-sync-settings', 'previewBulk', { direction: 'link', jql: 'nosuchfield = 1' }, { projectKey: 'ALOY' });
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'invalid-input');
    assert.match(bad.error.message, /refused the JQL: .*nosuchfield/i);
    const unconfirmed = await sb.invoke('task-sync-settings', 'startBulk', { direction: 'link', jql: 'key = ALOY-1' }, { projectKey: 'ALOY' });
    assert.equal(unconfirmed.ok, false, 'a run needs the confirmation');
  });

  test('a Forge host restart mid-run loses nothing and makes no duplicate; already linked issues are skipped', async () => {
    const jql = 'key >= ALOY-1000 AND key < ALOY-1060';
    const matches = await search('local', `project = ALOY AND ${jql}`);
    assert.ok(matches.length >= 30, `enough matches (${matches.length})`);
    const already = await sb.linked(matches[0].key);
    let run = await bulk('startBulk', { direction: 'link', jql, confirmed: true });
    assert.equal(run.total, matches.length);
    await waitRun(run.runId, (r) => r.created + r.skipped >= 5);
    await sb.running.restartHost();
    run = await waitRun(run.runId, (r) => r.state === 'done');
    // Issues whose create was cut off by the restart wait for that attempt's claim to expire, then link (once).
    assert.deepEqual([run.created + run.skipped, run.failed], [matches.length, 0], JSON.stringify(run.failures));
    assert.equal(run.skipped, 1, 'the issue linked before the run is skipped');
    await sb.idle(60_000);
    const copies = await copiesByOrigin('partner', 'PARTNER');
    for (const m of matches) assert.equal(copies.get(m.id)?.length, 1, `${m.key} has exactly one partner copy: ${copies.get(m.id)}`);
    const first = await sb.rest('local', 'GET', `/rest/api/3/issue/${matches[0].key}/properties/${ORIGIN}`);
    assert.equal(first.status, 404, 'the local issue itself is not marked as a copy');
    assert.ok(already);
  }, 400_000);

  test('cancel stops the run, resume finishes it', async () => {
    const jql = 'key >= ALOY-400 AND key < ALOY-440';
    const started = await bulk('startBulk', { direction: 'link', jql, confirmed: true });
    await waitRun(started.runId, (r) => r.created >= 2);
    const cancelled = await bulk('cancelBulk', { runId: started.runId });
    assert.equal(cancelled.state, 'cancelled');
    await sb.idle(60_000);
    const stopped = await bulk('getBulkRun', { runId: started.runId });
    assert.equal(stopped.state, 'cancelled');
    assert.ok(stopped.created < started.total, `cancel stopped the run before the end (${stopped.created}/${started.total})`);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await bulk('getBulkRun', { runId: started.runId })).created, stopped.created, 'nothing moves while cancelled');
    await bulk('resumeBulk', { runId: started.runId });
    const done = await waitRun(started.runId, (r) => r.state === 'done');
    assert.equal(done.created + done.skipped, started.total);
  }, 240_000);

  test('failures are reported with their reason, and Retry creates them without duplicates', async () => {
    const jql = 'key >= ALOY-500 AND key < ALOY-512';
    const matches = await search('local', `project = ALOY AND ${jql}`);
    // The partner refuses every call with a 400: not retryable, so each issue fails at once with the reason.
    await sb.faults('partner', { errorRate: 1, errorStatus: [400] });
    let run: any;
    try {
      run = await bulk('startBulk', { direction: 'link', jql, confirmed: true });
      run = await waitRun(run.runId, (r) => r.state === 'done');
    } finally {
      await sb.faults('partner', null);
    }
    assert.equal(run.failed, matches.length);
    assert.deepEqual(run.failures.map((f: any) => f.key).sort(), matches.map((m) => m.key).sort());
    for (const f of run.failures) assert.ok(f.reason.length > 10 && !/undefined/.test(f.reason), `a reason in words: ${f.reason}`);
    const retry = await bulk('retryBulkFailures', { runId: run.runId });
    const done = await waitRun(retry.runId, (r) => r.state === 'done');
    assert.deepEqual([done.created + done.skipped, done.failed], [matches.length, 0], JSON.stringify(done.failures));
    await sb.idle(60_000);
    const copies = await copiesByOrigin('partner', 'PARTNER');
    for (const m of matches) assert.equal(copies.get(m.id)?.length, 1, `${m.key}: ${copies.get(m.id)}`);
  }, 240_000);
});

describe('import from partner by JQL', () => {
  test('partner issues become linked local issues with their comments, once, even when imported twice', async () => {
    const made: string[] = [];
    for (let n = 0; n < 6; n++) {
      const r = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: `Partner-born ${n}`, labels: ['import-me'] } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      made.push(r.body.key);
      const c = await sb.rest('partner', 'POST', `/rest/api/3/issue/${r.body.key}/comment`, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `comment on ${n}` }] }] } });
      assert.equal(c.status, 201);
    }
    await sb.idle(60_000);
    const preview = await bulk('previewBulk', { direction: 'import', jql: 'labels = import-me' });
    assert.equal(preview.total, 6);
    const run = await waitRun((await bulk('startBulk', { direction: 'import', jql: 'labels = import-me', confirmed: true })).runId, (r) => r.state === 'done');
    assert.deepEqual([run.created, run.failed], [6, 0], JSON.stringify(run.failures));
    const again = await waitRun((await bulk('startBulk', { direction: 'import', jql: 'labels = import-me', confirmed: true })).runId, (r) => r.state === 'done');
    assert.deepEqual([again.created, again.skipped], [0, 6], 'a second import skips them all');
    await sb.idle(60_000);
    const local = await copiesByOrigin('local', 'ALOY');
    const partnerIds = await search('partner', 'labels = import-me');
    for (const p of partnerIds) {
      const copies = local.get(p.id) ?? [];
      assert.equal(copies.length, 1, `${p.key} imported once: ${copies}`);
      const issue = await sb.rest('local', 'GET', `/rest/api/3/issue/${copies[0]}?fields=summary,comment`);
      assert.match(issue.body.fields.summary, /^Partner-born \d$/);
      const texts = JSON.stringify(issue.body.fields.comment.comments.map((c: any) => c.body));
      assert.match(texts, /comment on \d/, `${copies[0]} got the partner comment`);
      const status = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: copies[0] });
      assert.equal(status.data.link.partnerIssueKey, p.key, 'the panel shows the link');
    }
  }, 240_000);
});
