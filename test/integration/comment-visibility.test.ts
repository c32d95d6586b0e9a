/**
 * Comment visibility in the Jira emulator, as Jira Cloud applies it: a comment restricted to a group or project role
 * is stored and returned with its `visibility`, and does not exist for anyone outside it (comments list, one
 * comment, the issue's `comment` field, search results); an unknown group or role, or one the author is not in,
 * is a 400 naming it. Responses are checked against Jira's OpenAPI spec.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { LOCAL_USER, VIEWER_USER } from '../../sandbox/jira/users';
import { groupId } from '../../sandbox/jira/visibility';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 19650, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-vis-')) });
const admin = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const asApp = jiraClient(cfg.local.url, `Bearer ${cfg.appToken}`);
const asUser = jiraClient(cfg.local.url, basic(LOCAL_USER.email, LOCAL_USER.apiToken));
const asViewer = jiraClient(cfg.local.url, basic(VIEWER_USER.email, VIEWER_USER.apiToken));
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let jira: JiraEmulator;
let host: Awaited<ReturnType<typeof startReceiver>>;
before(async () => {
  process.env.SANDBOX_VALIDATE = '1';
  host = await startReceiver(cfg.basePort);
  jira = await startJiraEmulator({ cfg, fresh: true });
});
after(async () => {
  const mismatches = jira?.specMismatches() ?? [];
  await jira?.close();
  await host?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  assert.deepEqual(mismatches, [], 'every emulator response matches the Jira OpenAPI spec');
});

const ISSUE = 'ALOY-41';
const ids = async (call: typeof admin) => (await call('GET', `/rest/api/3/issue/${ISSUE}/comment`)).body.comments.map((c: any) => c.id);

describe('a comment restricted to a project role', () => {
  let id = '';
  test('is stored and returned with its visibility, as Jira Cloud returns it', async () => {
    const res = await admin('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('Internal: admins only'), visibility: { type: 'role', value: 'Administrators' } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.visibility, { type: 'role', value: 'Administrators', identifier: 'Administrators' });
    id = res.body.id;
    const again = await admin('GET', `/rest/api/3/issue/${ISSUE}/comment/${id}`);
    assert.deepEqual(again.body.visibility, { type: 'role', value: 'Administrators', identifier: 'Administrators' });
  });

  test('is hidden from users outside the role, the app included, in every read', async () => {
    assert.ok((await ids(admin)).includes(id), 'the admin (in Administrators) sees it');
    for (const [who, call] of [['user', asUser], ['viewer', asViewer], ['app', asApp]] as const) {
      assert.equal((await ids(call)).includes(id), false, `${who} does not see it in the comments list`);
      assert.equal((await call('GET', `/rest/api/3/issue/${ISSUE}/comment/${id}`)).status, 404, `${who} gets 404 for it`);
      const issue = await call('GET', `/rest/api/3/issue/${ISSUE}?fields=comment`);
      assert.equal(issue.body.fields.comment.comments.some((c: any) => c.id === id), false, `${who}: not in the issue's comment field`);
      assert.equal(issue.body.fields.comment.total, issue.body.fields.comment.comments.length);
      const found = await call('POST', '/rest/api/3/search/jql', { jql: `key = ${ISSUE}`, fields: ['comment'] });
      assert.equal(found.body.issues[0].fields.comment.comments.some((c: any) => c.id === id), false, `${who}: not in search results`);
    }
    assert.equal((await asUser('DELETE', `/rest/api/3/issue/${ISSUE}/comment/${id}`)).status, 404, 'cannot be deleted by someone who cannot see it');
  });

  test('to Developers is seen by the app, whose user Jira puts in jira-software-users', async () => {
    const res = await asUser('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('Team note'), visibility: { type: 'role', value: 'Developers' } });
    assert.equal(res.status, 201);
    assert.ok((await ids(asApp)).includes(res.body.id));
  });

  test('an unknown role, or one the author is not in, is refused with 400 and nothing is added', async () => {
    const before = (await ids(admin)).length;
    const unknown = await admin('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('x'), visibility: { type: 'role', value: 'Nope' } });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { errorMessages: [], errors: { commentLevel: 'Invalid role level specified.' } });
    const byId = await admin('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('x'), visibility: { type: 'role', value: '4242' } });
    assert.equal(byId.body.errors.commentLevel, 'Role with id: 4242 does not exist.');
    const notMember = await asUser('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('x'), visibility: { type: 'role', value: 'Administrators' } });
    assert.equal(notMember.status, 400);
    assert.equal(notMember.body.errors.commentLevel, 'You are currently not a member of the project role: Administrators.');
    assert.equal((await ids(admin)).length, before);
  });
});

describe('a comment restricted to a group', () => {
  test('is returned with the group id and hidden from non-members', async () => {
    const res = await admin('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('Admins group only'), visibility: { type: 'group', value: 'jira-administrators' } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.visibility, { type: 'group', value: 'jira-administrators', identifier: groupId('jira-administrators') });
    assert.equal((await ids(asUser)).includes(res.body.id), false);
    assert.ok((await ids(admin)).includes(res.body.id));
  });

  test('an unknown group gets 400 naming it', async () => {
    const res = await admin('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('x'), visibility: { type: 'group', value: 'no-such-group' } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { errorMessages: [], errors: { commentLevel: 'Group: no-such-group does not exist.' } });
  });

  test('an edit may lift the restriction with visibility null; without visibility it is kept', async () => {
    const res = await admin('POST', `/rest/api/3/issue/${ISSUE}/comment`, { body: doc('Soon public'), visibility: { type: 'group', value: 'jira-administrators' } });
    const kept = await admin('PUT', `/rest/api/3/issue/${ISSUE}/comment/${res.body.id}`, { body: doc('Still restricted') });
    assert.equal(kept.body.visibility.value, 'jira-administrators');
    const lifted = await admin('PUT', `/rest/api/3/issue/${ISSUE}/comment/${res.body.id}`, { body: doc('Now public'), visibility: null });
    assert.equal(lifted.status, 200);
    assert.equal(lifted.body.visibility, undefined);
    assert.ok((await ids(asUser)).includes(res.body.id));
  });
});
