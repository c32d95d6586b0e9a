/**
 * Import from partner by JQL keeps the hierarchy, through the real Bulk resolvers and the `bulk-runs` queue in the
 * sandbox's Forge host against the Jira emulator: partner parents are imported before their sub-tasks (whatever the
 * JQL's order), each partner sub-task becomes a local sub-task under the local copy of its parent, and a sub-task
 * whose parent is neither in the import nor linked waits: the run reports it in words, nothing is created, and once
 * its parent is imported, Retry failed puts it under the parent's copy. The partner issues are built from the
 * seed's real sub-tasks (ALOY's, from the Jira dump) and their real parents.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';
import { bulkHelpers } from '../support/bulk';

const sb = new TestSandbox(21500);
before(async () => {
  await sb.start();
}, 120_000);
after(async () => {
  await sb.stop();
});

const { bulk } = bulkHelpers(sb);

/** Starts (or retries) a run and polls `getBulkRun` until it is done. @throws Error naming the last state seen */
async function runToEnd(started: { runId: string }, timeoutMs = 180_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let run: any;
  while (Date.now() < deadline) {
    run = await bulk('getBulkRun', { runId: started.runId });
    if (run.state === 'done') return run;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`bulk run ${started.runId} still ${JSON.stringify(run).slice(0, 400)} after ${timeoutMs} ms`);
}

/** `parent` key and issue type of an issue on a site. */
async function placeOf(site: 'local' | 'partner', key: string): Promise<{ parent: string | null; subtask: boolean }> {
  const i = await sb.issue(site, key, 'parent,issuetype');
  return { parent: i.fields.parent?.key ?? null, subtask: i.fields.issuetype.subtask };
}

/** The local issue linked to a partner key (JQL over the app's indexed link property), or undefined. */
async function localCopyOf(partnerKey: string): Promise<string | undefined> {
  const r = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql: `project = ALOY AND partnerSyncKey = "${partnerKey}"`, fields: ['key'], maxResults: 10 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.issues.length <= 1, `${partnerKey} imported more than once: ${r.body.issues.map((i: any) => i.key)}`);
  return r.body.issues[0]?.key;
}

/** Real parents of the seed with their real sub-tasks (ALOY, from the dump): the first `n` parents. */
async function seedFamilies(n: number): Promise<Array<{ parent: { key: string; summary: string }; subtasks: Array<{ key: string; summary: string }> }>> {
  const r = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql: 'project = ALOY AND issuetype in ("Sub-task", "Technical task") ORDER BY key ASC', fields: ['summary', 'parent'], maxResults: 200 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  type Family = { parent: { key: string; summary: string }; subtasks: Array<{ key: string; summary: string }> };
  const families = new Map<string, Family>();
  for (const i of r.body.issues) {
    if (!i.fields.parent) continue;
    const f: Family = families.get(i.fields.parent.key) ?? { parent: { key: i.fields.parent.key, summary: i.fields.parent.fields.summary }, subtasks: [] };
    if (f.subtasks.length < 3) f.subtasks.push({ key: i.key, summary: i.fields.summary });
    families.set(i.fields.parent.key, f);
  }
  const picked = [...families.values()].slice(0, n);
  assert.equal(picked.length, n, `the seed has ${n} parents with sub-tasks`);
  return picked;
}

/** Creates a partner issue (as the partner admin) with `label`; a sub-task when `parent` is given. */
async function partnerIssue(summary: string, label: string, parent?: string): Promise<string> {
  const issuetype = parent ? { name: 'Subtask' } : { name: 'Task' };
  const r = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype, summary, labels: [label], ...(parent ? { parent: { key: parent } } : {}) } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.key;
}

describe('import from partner by JQL keeps the hierarchy', () => {
  test('parents are imported first and each partner sub-task becomes a local sub-task under its parent\'s copy', async () => {
    const families = await seedFamilies(2);
    const made: Array<{ parent: string; subtasks: string[] }> = [];
    for (const f of families) {
      const parent = await partnerIssue(f.parent.summary, 'import-tree');
      const subtasks: string[] = [];
      for (const s of f.subtasks) subtasks.push(await partnerIssue(s.summary, 'import-tree', parent));
      made.push({ parent, subtasks });
    }
    await sb.idle(60_000);
    const total = made.reduce((n, f) => n + 1 + f.subtasks.length, 0);
    // Newest first: every sub-task comes before its parent on the search page.
    const run = await runToEnd(await bulk('startBulk', { direction: 'import', jql: 'labels = import-tree ORDER BY key DESC', confirmed: true }));
    assert.deepEqual([run.created, run.failed], [total, 0], JSON.stringify(run.failures));
    await sb.idle(60_000);
    for (const f of made) {
      const localParent = await localCopyOf(f.parent);
      assert.ok(localParent, `${f.parent} was imported`);
      assert.deepEqual(await placeOf('local', localParent), { parent: null, subtask: false }, `${f.parent}'s copy is a top-level issue`);
      for (const s of f.subtasks) {
        const copy = await localCopyOf(s);
        assert.ok(copy, `${s} was imported`);
        assert.deepEqual(await placeOf('local', copy), { parent: localParent, subtask: true }, `${s}'s copy is a local sub-task of ${localParent}`);
        const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: copy });
        assert.deepEqual([panel.data.link.partnerIssueKey, panel.data.link.state], [s, 'ok'], `${copy} is linked to ${s}: ${panel.data.link.lastError}`);
      }
    }
    // The follow-up sync jobs saw no parent change to copy: the partner sub-tasks stay where they were.
    for (const f of made) for (const s of f.subtasks) assert.equal((await placeOf('partner', s)).parent, f.parent);
  }, 240_000);

  test('a sub-task whose parent is neither imported nor linked waits, and Retry failed puts it under the copy once the parent is in', async () => {
    const [, , f] = await seedFamilies(3);
    const parent = await partnerIssue(f.parent.summary, 'import-parent-later');
    const orphan = await partnerIssue(f.subtasks[0].summary, 'import-orphan', parent);
    await sb.idle(60_000);
    const run = await runToEnd(await bulk('startBulk', { direction: 'import', jql: 'labels = import-orphan', confirmed: true }));
    assert.deepEqual([run.created, run.failed], [0, 1], JSON.stringify(run));
    assert.equal(run.failures[0].key, orphan);
    assert.match(run.failures[0].reason, new RegExp(`^${orphan} waits until ${parent} is imported or synced: import ${parent} first.*Nothing was created\\.$`));
    assert.equal(await localCopyOf(orphan), undefined, 'nothing is created while it waits');
    const logged = (await sb.log()).find((e: any) => e.partnerIssueKey === orphan);
    assert.match(logged?.message ?? '', new RegExp(`${orphan} waits until ${parent}`), 'the sync log says why');

    const parentRun = await runToEnd(await bulk('startBulk', { direction: 'import', jql: 'labels = import-parent-later', confirmed: true }));
    assert.deepEqual([parentRun.created, parentRun.failed], [1, 0], JSON.stringify(parentRun.failures));
    const retried = await runToEnd(await bulk('retryBulkFailures', { runId: run.runId }));
    assert.deepEqual([retried.created, retried.failed], [1, 0], JSON.stringify(retried.failures));
    await sb.idle(60_000);
    const localParent = await localCopyOf(parent);
    const copy = await localCopyOf(orphan);
    assert.ok(localParent && copy, `both imported: ${localParent}, ${copy}`);
    assert.deepEqual(await placeOf('local', copy), { parent: localParent, subtask: true });
  }, 240_000);
});
