/**
 * Sub-tasks, epics and parents through the real handlers and the emulator over HTTP: the emulator keeps the
 * hierarchy as Jira Cloud does (a sub-task needs its parent, `parent`/`subtasks` in reads, JQL `parent`), and the
 * sync puts a sub-task's copy under its parent's copy, makes a sub-task wait for its parent, follows parent moves,
 * places an epic's child under the epic's copy and keeps the hierarchy in a bulk link by JQL.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(21300);
before(async () => {
  await sb.start();
}, 120_000);
after(async () => {
  await sb.stop();
});

const LOCAL = { story: '7', subtask: '5', epic: '6' };

/** Creates a local ALOY issue as the admin. @throws AssertionError unless Jira answers 201 */
async function create(summary: string, issuetype: string, parent?: string): Promise<string> {
  const r = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { id: issuetype }, summary, ...(parent ? { parent: { key: parent } } : {}) } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await sb.idle();
  return r.body.key;
}

/** `parent` and issue type of an issue on a site. */
async function placeOf(site: 'local' | 'partner', key: string): Promise<{ parent: string | null; type: string; subtask: boolean }> {
  const i = await sb.issue(site, key, 'parent,issuetype,subtasks');
  return { parent: i.fields.parent?.key ?? null, type: i.fields.issuetype.name, subtask: i.fields.issuetype.subtask };
}

/** The partner key of a linked local issue, as the panel shows it. */
async function partnerKeyOf(key: string): Promise<string | null> {
  const res = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key });
  assert.equal(res.ok, true, JSON.stringify(res));
  return res.data.link?.partnerIssueKey ?? null;
}

describe('the emulator keeps the hierarchy as Jira Cloud does', () => {
  test('a sub-task without a parent is refused in Jira words, and nothing is created', async () => {
    const before = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql: 'project = ALOY AND summary ~ "orphan sub-task"', fields: ['key'] });
    const r = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { id: LOCAL.subtask }, summary: 'An orphan sub-task' } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { errorMessages: [], errors: { parent: 'Issue type is a sub-task but parent issue key or id not specified.' } });
    const after = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql: 'project = ALOY AND summary ~ "orphan sub-task"', fields: ['key'] });
    assert.equal(after.body.issues.length, before.body.issues.length);
  });

  test('a parent of the wrong level or an unknown one is refused in Jira words', async () => {
    const story = await create('A plain story', LOCAL.story);
    const r = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { id: LOCAL.story }, summary: 'Story under story', parent: { key: story } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors.parent, 'Given parent issue does not belong to appropriate hierarchy.');
    const missing = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { id: LOCAL.subtask }, summary: 'Lost', parent: { key: 'ALOY-999999' } } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors.parent, 'Could not find issue by id or key.');
  });

  test('reads carry parent and subtasks; JQL finds children by parent = X and parent in (…)', async () => {
    const story = await create('Parent for JQL', LOCAL.story);
    const a = await create('Child A', LOCAL.subtask, story);
    const b = await create('Child B', LOCAL.subtask, story);
    const child = await sb.issue('local', a, 'parent,issuetype');
    assert.equal(child.fields.parent.key, story);
    assert.equal(child.fields.parent.fields.summary, 'Parent for JQL');
    assert.equal(child.fields.parent.fields.status.name, 'Open');
    assert.equal(child.fields.issuetype.hierarchyLevel, -1);
    const parent = await sb.issue('local', story, 'subtasks,parent');
    assert.deepEqual(parent.fields.subtasks.map((s: any) => s.key), [a, b]);
    assert.equal('parent' in parent.fields, false, 'an issue without a parent has no parent field');
    const found = async (jql: string) => (await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'] })).body.issues.map((i: any) => i.key).sort();
    assert.deepEqual(await found(`parent = ${story}`), [a, b].sort());
    assert.deepEqual(await found(`parent in (${story}, ALOY-1) ORDER BY key`), [a, b].sort());
    assert.deepEqual(await found(`parent = ${story} AND summary ~ "Child B"`), [b]);
    const bad = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql: 'parent = ALOY-999999', fields: ['key'] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.errorMessages[0], /ALOY-999999/);
  });

  test('an edit moves a sub-task to another parent, with a changelog entry', async () => {
    const one = await create('First home', LOCAL.story);
    const two = await create('Second home', LOCAL.story);
    const sub = await create('Mover', LOCAL.subtask, one);
    const r = await sb.rest('local', 'PUT', `/rest/api/3/issue/${sub}`, { fields: { parent: { key: two } } });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    assert.equal((await placeOf('local', sub)).parent, two);
    const log = await sb.rest('local', 'GET', `/rest/api/3/issue/${sub}/changelog`);
    const item = log.body.values.at(-1).items[0];
    assert.deepEqual([item.fieldId, item.fromString, item.toString], ['parent', one, two]);
    const none = await sb.rest('local', 'PUT', `/rest/api/3/issue/${sub}`, { fields: { parent: null } });
    assert.equal(none.status, 400, 'a sub-task always keeps a parent');
  });
});

describe('sub-tasks sync under their parent', () => {
  test('a sub-task of a linked issue becomes a partner Subtask under the partner copy of its parent', async () => {
    const story = await create('Linked parent', LOCAL.story);
    const partnerParent = await sb.linked(story);
    const sub = await create('Its sub-task', LOCAL.subtask, story);
    const partnerSub = await sb.linked(sub);
    assert.deepEqual(await placeOf('partner', partnerSub), { parent: partnerParent, type: 'Subtask', subtask: true });
  });

  test('a sub-task whose parent is not synced waits, and is created as soon as the parent is linked', async () => {
    const story = await create('Parent linked later', LOCAL.story);
    const sub = await create('Waiting sub-task', LOCAL.subtask, story);
    const res = await sb.invoke('task-sync-panel', 'enableSync', { confirmed: true }, { issueKey: sub });
    assert.equal(res.ok, false);
    assert.match(res.error.message, new RegExp(`${sub} waits until ${story} is synced`));
    assert.equal(await partnerKeyOf(sub), null, 'nothing is created while it waits');
    const logged = (await sb.log()).find((e) => e.localIssueKey === sub);
    assert.match(logged?.message ?? '', new RegExp(`waits until ${story} is synced`));
    const partnerParent = await sb.linked(story);
    await sb.idle();
    const partnerSub = await partnerKeyOf(sub);
    assert.ok(partnerSub, 'the waiting sub-task was created once its parent was linked');
    assert.deepEqual(await placeOf('partner', partnerSub), { parent: partnerParent, type: 'Subtask', subtask: true });
  });

  test('a parent change follows where both parents are linked, both ways', async () => {
    const one = await create('Home one', LOCAL.story);
    const two = await create('Home two', LOCAL.story);
    const [p1, p2] = [await sb.linked(one), await sb.linked(two)];
    const sub = await create('Moving sub-task', LOCAL.subtask, one);
    const partnerSub = await sb.linked(sub);
    await sb.rest('local', 'PUT', `/rest/api/3/issue/${sub}`, { fields: { parent: { key: two } } });
    await sb.idle();
    assert.equal((await placeOf('partner', partnerSub)).parent, p2, 'the local move reached the partner');
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerSub}`, { fields: { parent: { key: p1 } } });
    await sb.idle();
    assert.equal((await placeOf('local', sub)).parent, one, 'the partner move reached the local site');
  });

  test("an epic's child goes under the partner copy of the epic", async () => {
    const epic = await create('An epic', LOCAL.epic);
    const partnerEpic = await sb.linked(epic);
    assert.equal((await placeOf('partner', partnerEpic)).type, 'Epic');
    const story = await create('A story of the epic', LOCAL.story, epic);
    const partnerStory = await sb.linked(story);
    assert.deepEqual(await placeOf('partner', partnerStory), { parent: partnerEpic, type: 'Story', subtask: false });
  });

  test('bulk link by JQL of a parent and its children in one run keeps the hierarchy', async () => {
    const story = await create('Bulk parent', LOCAL.story);
    const kids = [await create('Bulk child 1', LOCAL.subtask, story), await create('Bulk child 2', LOCAL.subtask, story), await create('Bulk child 3', LOCAL.subtask, story)];
    const jql = `key = ${story} OR parent = ${story} ORDER BY key DESC`;
    const start = await sb.invoke('task-sync-settings', 'startBulk', { direction: 'link', jql, confirmed: true }, { projectKey: 'ALOY' });
    assert.equal(start.ok, true, JSON.stringify(start));
    let run = start.data;
    const deadline = Date.now() + 120_000;
    while (run.state !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      run = (await sb.invoke('task-sync-settings', 'getBulkRun', { runId: run.runId }, { projectKey: 'ALOY' })).data;
    }
    assert.deepEqual([run.state, run.created, run.failed], ['done', 4, 0], JSON.stringify(run.failures));
    await sb.idle();
    const partnerParent = await partnerKeyOf(story);
    for (const k of kids) {
      const pk = await partnerKeyOf(k);
      assert.ok(pk, `${k} linked`);
      assert.equal((await placeOf('partner', pk)).parent, partnerParent, `${k}'s copy is under ${partnerParent}`);
    }
  }, 180_000);
});
