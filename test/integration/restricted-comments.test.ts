/**
 * Restricted comments (Jira `visibility`) through the real handlers: they never reach the other company unless the
 * project allows role-restricted ones, the sync log says which were skipped without their text, and a comment
 * restricted after it was mirrored loses its mirror.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19700);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

const save = (mirrorRoleRestrictedComments: boolean) => sb.saveSettings({ mirrorRoleRestrictedComments });

/** Links a real issue and waits for its comments to be copied. */
async function linked(issueKey: string): Promise<string> {
  const view = await sb.enableSync(issueKey);
  await sb.idle();
  return view.link.partnerIssueKey;
}

async function comment(site: 'local' | 'partner', key: string, text: string, visibility?: unknown): Promise<string> {
  const res = await sb.rest(site, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adfParagraph(text), ...(visibility ? { visibility } : {}) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await sb.idle();
  return res.body.id;
}

const has = async (site: 'local' | 'partner', key: string, text: string) => (await sb.comments(site, key)).some((c) => adfText(c.body).includes(text));
const entriesFor = async (issueKey: string) => (await sb.log()).filter((e) => e.localIssueKey === issueKey);

describe('restricted comments are never mirrored by default', () => {
  let partnerKey = '';
  test('a local comment restricted to a role stays local; the sync log names it without its text', async () => {
    partnerKey = await linked('ALOY-41');
    const id = await comment('local', 'ALOY-41', 'Internal: margin is 40%', { type: 'role', value: 'Developers' });
    assert.equal(await has('partner', partnerKey, 'margin is 40%'), false, 'not on the partner');
    const entry = (await entriesFor('ALOY-41')).find((e) => e.message.includes(`local comment ${id}`));
    assert.ok(entry, `a sync-log entry names local comment ${id}`);
    assert.match(entry.message, /Not mirrored: local comment \d+ \(it is visible only to role Developers; restricted comments stay on their site\)/);
    assert.equal(JSON.stringify(await sb.log()).includes('margin is 40%'), false, 'its text is in no sync-log entry');
  });

  test('a local comment the app cannot see (restricted to Administrators) is not mirrored either', async () => {
    await comment('local', 'ALOY-41', 'Admins only: contract renewal', { type: 'role', value: 'Administrators' });
    await sb.reconcile();
    await sb.idle();
    assert.equal(await has('partner', partnerKey, 'contract renewal'), false);
  });

  test('a skipped comment is logged once, not on every later sync', async () => {
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-41', { fields: { summary: 'Edited after a restricted comment' } });
    await sb.idle();
    const mentions = (await entriesFor('ALOY-41')).filter((e) => /Not mirrored: local comment/.test(e.message));
    assert.equal(mentions.length, 1);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Edited after a restricted comment');
  });

  test('a partner comment restricted to a group stays on the partner, and is logged', async () => {
    const id = await comment('partner', partnerKey, 'Partner internal: escalate', { type: 'group', value: 'jira-administrators' });
    assert.equal(await has('local', 'ALOY-41', 'escalate'), false, 'not on the local issue');
    const entry = (await entriesFor('ALOY-41')).find((e) => e.message.includes(`partner comment ${id}`));
    assert.ok(entry, 'a sync-log entry names the partner comment');
    assert.match(entry.message, /visible only to group jira-administrators/);
    assert.equal(entry.message.includes('escalate'), false);
  });

  test('a comment restricted after it was mirrored has its mirror deleted', async () => {
    const id = await comment('partner', partnerKey, 'Public at first');
    assert.ok(await has('local', 'ALOY-41', 'Public at first'), 'mirrored while public');
    const edited = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}/comment/${id}`, { body: adfParagraph('Public at first'), visibility: { type: 'role', value: 'Administrators' } });
    assert.equal(edited.status, 200);
    await sb.idle();
    assert.equal(await has('local', 'ALOY-41', 'Public at first'), false, 'the local mirror is gone');
    assert.equal((await sb.comments('partner', partnerKey)).some((c) => c.id === id), true, 'the original stays');
    const entry = (await entriesFor('ALOY-41')).find((e) => e.message.includes(`partner comment ${id}`));
    assert.match(entry?.message ?? '', /its copy on the other site was deleted/);
  });
});

describe('with "mirror comments restricted to a project role" on', () => {
  let partnerKey = '';
  before(async () => {
    assert.equal((await save(true)).ok, true);
  });
  after(async () => {
    assert.equal((await save(false)).ok, true);
  });

  test('the setting is saved and shown', async () => {
    const view = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.equal(view.data.connections[0].mirrorRoleRestrictedComments, true);
  });

  test('a local comment restricted to a role both sites have is mirrored with the same restriction', async () => {
    partnerKey = await linked('ALOY-95');
    await comment('local', 'ALOY-95', 'Developers: deploy window', { type: 'role', value: 'Developers' });
    const mirror = (await sb.comments('partner', partnerKey)).find((c) => adfText(c.body).includes('deploy window'));
    assert.ok(mirror, 'mirrored to the partner');
    assert.deepEqual(mirror.visibility, { type: 'role', value: 'Developers', identifier: 'Developers' });
    const editor = { email: 'editor@partner.example', apiToken: 'editor-token' };
    const seen = await sb.rest('partner', 'GET', `/rest/api/3/issue/${partnerKey}/comment`, undefined, editor);
    assert.ok(seen.body.comments.some((c: any) => c.id === mirror.id), 'a partner developer sees it');
  });

  test('a partner comment restricted to a role is mirrored locally with that role', async () => {
    await comment('partner', partnerKey, 'Partner devs: hotfix ready', { type: 'role', value: 'Developers' });
    const mirror = (await sb.comments('local', 'ALOY-95')).find((c) => adfText(c.body).includes('hotfix ready'));
    assert.ok(mirror, 'mirrored locally');
    assert.equal(mirror.visibility?.value, 'Developers');
  });

  test('a mirrored comment moved to a role the other site refuses loses its copy', async () => {
    const id = await comment('partner', partnerKey, 'Devs first, then admins only', { type: 'role', value: 'Developers' });
    assert.ok(await has('local', 'ALOY-95', 'Devs first'), 'mirrored while restricted to Developers');
    const moved = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}/comment/${id}`, { body: adfParagraph('Devs first, then admins only'), visibility: { type: 'role', value: 'Administrators' } });
    assert.equal(moved.status, 200);
    await sb.idle();
    const local = await sb.rest('local', 'GET', '/rest/api/3/issue/ALOY-95/comment');
    assert.equal(local.body.comments.some((c: any) => adfText(c.body).includes('Devs first')), false, 'the local copy is gone');
    const entry = (await entriesFor('ALOY-95')).find((e) => e.message.includes(`partner comment ${id}`));
    assert.match(entry?.message ?? '', /the old copy was deleted/);
  });

  test('a role the other site refuses for the copy is skipped and logged, and nothing fails', async () => {
    const id = await comment('partner', partnerKey, 'Partner admins: pricing', { type: 'role', value: 'Administrators' });
    assert.equal(await has('local', 'ALOY-95', 'pricing'), false);
    const entry = (await entriesFor('ALOY-95')).find((e) => e.message.includes(`partner comment ${id}`));
    assert.ok(entry, 'logged');
    assert.match(entry.message, /role Administrators, which the local site refused for the copy/);
    assert.notEqual(entry.outcome, 'failed');
    assert.equal((await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-95' })).data.link.state, 'ok');
  });

  test('group-restricted comments are still never mirrored', async () => {
    await comment('local', 'ALOY-95', 'Group only: salaries', { type: 'group', value: 'jira-software-users' });
    assert.equal(await has('partner', partnerKey, 'salaries'), false);
  });
});
