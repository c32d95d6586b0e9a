/**
 * People across the two sites: the default user mapping matches by email; a person without a counterpart never
 * fails a sync; a deactivated partner account is not offered by default and, mapped by hand, is refused by Jira
 * without losing the rest of the edit.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { seededAccountId } from '../../sandbox/jira/users';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(18900);
const TONY = { local: seededAccountId('tlukasavage'), partner: '557058:7e1a0c52-partner-tony' };
const FEON = { local: seededAccountId('fmiao'), partner: '557058:a14d3f85-partner-feon' };
/** A seeded dump person with no email, so no partner counterpart. */
const RUSSELL = '712020:206af6e1-5f6f-28b4-d682-c2352214316f';

beforeAll(async () => {
  await sb.start();
});
afterAll(async () => {
  await sb.stop();
});

async function connection(): Promise<any> {
  const res = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  assert.equal(res.ok, true);
  return res.data.connections[0];
}

async function linked(key: string): Promise<string> {
  const view = await sb.enableSync(key);
  await sb.idle();
  return view.link.partnerIssueKey;
}

const assigneeOf = async (site: 'local' | 'partner', key: string) => (await sb.issue(site, key, 'assignee')).fields.assignee?.accountId ?? null;

describe('user mapping', () => {
  test('a person mapped by email (Tony) syncs as assignee both ways', async () => {
    const partnerKey = await linked('ALOY-90');
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-90', { fields: { assignee: { accountId: TONY.local } } });
    await sb.idle();
    assert.equal(await assigneeOf('partner', partnerKey), TONY.partner);
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { assignee: null } });
    await sb.idle();
    assert.equal(await assigneeOf('local', 'ALOY-90'), null);
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { assignee: { accountId: TONY.partner } } });
    await sb.idle();
    assert.equal(await assigneeOf('local', 'ALOY-90'), TONY.local);
  });

  test('an unmapped person as assignee never fails the sync: the assignee stays, the log says why, other fields sync', async () => {
    const partnerKey = await linked('ALOY-91');
    const before = await assigneeOf('partner', partnerKey);
    const since = new Date().toISOString();
    const res = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-91', { fields: { assignee: { accountId: RUSSELL }, summary: 'Assigned to someone the partner does not know' } });
    assert.equal(res.status, 204);
    await sb.idle();
    const partner = await sb.issue('partner', partnerKey, 'summary,assignee');
    assert.equal(partner.fields.summary, 'Assigned to someone the partner does not know');
    assert.equal(partner.fields.assignee?.accountId ?? null, before, 'the partner assignee is left unchanged');
    const entries = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-91' && e.at >= since);
    assert.ok(entries.length, 'the sync was logged');
    assert.ok(entries.every((e) => !/fail|error/.test(e.outcome)), `no failed sync: ${JSON.stringify(entries)}`);
    assert.match(JSON.stringify(entries), /Assignee/i, `the log names the assignee: ${JSON.stringify(entries)}`);
    const view = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-91' });
    assert.equal(view.data.link.state, 'ok');
  });

  test("the partner's deactivated Feon is not mapped by default", async () => {
    const c = await connection();
    assert.equal(c.mapping.users.toPartner[FEON.local], undefined);
    assert.equal(Object.values(c.mapping.users.toPartner).includes(FEON.partner), false);
    assert.equal(c.mapping.users.toLocal[FEON.partner], undefined);
  });

  test('assigning to a deactivated partner person through a manual mapping is refused by Jira, reported readably, and the other changes still sync', async () => {
    const c = await connection();
    const mapping = { ...c.mapping, users: { toPartner: { ...c.mapping.users.toPartner, [FEON.local]: FEON.partner }, toLocal: { ...c.mapping.users.toLocal, [FEON.partner]: FEON.local } } };
    const saved = await sb.saveSettings({ mapping });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const partnerKey = await linked('ALOY-92');
    const direct = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { assignee: { accountId: FEON.partner } } });
    assert.equal(direct.status, 400, 'the emulator refuses a deactivated assignee, as Jira does');
    const since = new Date().toISOString();
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-92', { fields: { assignee: { accountId: FEON.local }, summary: 'Feon takes this' } });
    await sb.idle();
    const partner = await sb.issue('partner', partnerKey, 'summary,assignee');
    assert.equal(partner.fields.summary, 'Feon takes this', 'the summary change is not lost');
    assert.notEqual(partner.fields.assignee?.accountId, FEON.partner);
    const entries = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-92' && e.at >= since);
    const text = JSON.stringify(entries);
    assert.match(text, /refused Assignee \(User '557058:a14d3f85-partner-feon' cannot be assigned issues\.\)/, `the log names the assignee and Jira's reason: ${text}`);
    assert.doesNotMatch(text, /\[object Object\]|undefined/, `the log reads as words: ${text}`);
  });
});
