/**
 * Issue links through the real handlers and the emulator over HTTP: the emulator's `/rest/api/3/issueLink` and
 * `/issueLinkType` as Jira Cloud answers them (each site its own type ids), and the sync mirroring a link between
 * two synced issues with the mapped type both ways, deletes following both ways, and a link with one end unsynced
 * left alone.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';
import { issueLinkHelpers } from '../support/issue-links';

const sb = new TestSandbox(21400);
before(async () => {
  await sb.start();
}, 120_000);
after(async () => {
  await sb.stop();
});

const { create, linksOf } = issueLinkHelpers(sb);

async function typeId(site: 'local' | 'partner', name: string): Promise<string> {
  const r = await sb.rest(site, 'GET', '/rest/api/3/issueLinkType');
  return r.body.issueLinkTypes.find((t: any) => t.name === name).id;
}

describe('the emulator keeps issue links as Jira Cloud does', () => {
  test('each site ships Blocks, Cloners, Duplicate and Relates, with its own ids', async () => {
    const [l, p] = await Promise.all([sb.rest('local', 'GET', '/rest/api/3/issueLinkType'), sb.rest('partner', 'GET', '/rest/api/3/issueLinkType')]);
    const names = (r: any) => r.body.issueLinkTypes.map((t: any) => t.name).sort();
    assert.deepEqual(names(l), ['Blocks', 'Cloners', 'Duplicate', 'Relates']);
    assert.deepEqual(names(p), names(l));
    assert.notEqual(await typeId('local', 'Blocks'), await typeId('partner', 'Blocks'));
    assert.deepEqual(l.body.issueLinkTypes.find((t: any) => t.name === 'Blocks'), { id: await typeId('local', 'Blocks'), name: 'Blocks', inward: 'is blocked by', outward: 'blocks', self: `${sb.cfg.local.publicUrl}/rest/api/3/issueLinkType/${await typeId('local', 'Blocks')}` });
  });

  test('a link reads from both ends, by id, and a second identical one is not made; bad input changes nothing', async () => {
    const [a, b] = [await create('Blocker'), await create('Blocked')];
    const body = { type: { name: 'Blocks' }, outwardIssue: { key: a }, inwardIssue: { key: b } };
    assert.equal((await sb.rest('local', 'POST', '/rest/api/3/issueLink', body)).status, 201);
    assert.equal((await sb.rest('local', 'POST', '/rest/api/3/issueLink', body)).status, 201);
    assert.deepEqual(await linksOf('local', a), [`Blocks outward ${b}`]);
    assert.deepEqual(await linksOf('local', b), [`Blocks inward ${a}`]);
    const id = (await sb.issue('local', a, 'issuelinks')).fields.issuelinks[0].id;
    const one = await sb.rest('local', 'GET', `/rest/api/3/issueLink/${id}`);
    assert.deepEqual([one.body.outwardIssue.key, one.body.inwardIssue.key], [a, b]);
    const badType = await sb.rest('local', 'POST', '/rest/api/3/issueLink', { ...body, type: { name: 'Nope' } });
    assert.deepEqual([badType.status, badType.body.errorMessages], [404, ["No issue link type with name 'Nope' found."]]);
    const self = await sb.rest('local', 'POST', '/rest/api/3/issueLink', { ...body, inwardIssue: { key: a } });
    assert.equal(self.status, 400);
    assert.deepEqual(await linksOf('local', a), [`Blocks outward ${b}`], 'nothing changed');
    assert.equal((await sb.rest('local', 'DELETE', `/rest/api/3/issueLink/${id}`)).status, 204);
    assert.equal((await sb.rest('local', 'DELETE', `/rest/api/3/issueLink/${id}`)).status, 404);
    assert.deepEqual(await linksOf('local', b), []);
  });
});

describe('issue links sync', () => {
  test('a local link between two synced issues is mirrored with the mapped type, and its delete follows', async () => {
    const [a, b] = [await create('Local blocker'), await create('Local blocked')];
    const [pa, pb] = [await sb.linked(a), await sb.linked(b)];
    await sb.rest('local', 'POST', '/rest/api/3/issueLink', { type: { name: 'Blocks' }, outwardIssue: { key: a }, inwardIssue: { key: b } });
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pa), [`Blocks outward ${pb}`]);
    const partnerLink = (await sb.issue('partner', pa, 'issuelinks')).fields.issuelinks[0];
    assert.equal(partnerLink.type.id, await typeId('partner', 'Blocks'), "the partner's own Blocks type");
    const id = (await sb.issue('local', a, 'issuelinks')).fields.issuelinks[0].id;
    await sb.rest('local', 'DELETE', `/rest/api/3/issueLink/${id}`);
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pa), []);
    assert.deepEqual(await linksOf('local', a), [], 'not brought back');
  });

  test('a partner link between two synced issues is mirrored locally, and its delete follows', async () => {
    const [a, b] = [await create('Partner-linked one'), await create('Partner-linked two')];
    const [pa, pb] = [await sb.linked(a), await sb.linked(b)];
    await sb.rest('partner', 'POST', '/rest/api/3/issueLink', { type: { name: 'Relates' }, outwardIssue: { key: pb }, inwardIssue: { key: pa } });
    await sb.idle();
    assert.deepEqual(await linksOf('local', b), [`Relates outward ${a}`]);
    assert.deepEqual(await linksOf('partner', pb), [`Relates outward ${pa}`], 'exactly one link on the partner');
    const id = (await sb.issue('partner', pb, 'issuelinks')).fields.issuelinks[0].id;
    await sb.rest('partner', 'DELETE', `/rest/api/3/issueLink/${id}`);
    await sb.idle();
    assert.deepEqual(await linksOf('local', b), []);
  });

  test('a link with only one end synced is not mirrored', async () => {
    const [a, b] = [await create('Synced end'), await create('Unsynced end')];
    const pa = await sb.linked(a);
    await sb.rest('local', 'POST', '/rest/api/3/issueLink', { type: { name: 'Blocks' }, outwardIssue: { key: a }, inwardIssue: { key: b } });
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pa), []);
    const res = await sb.invoke('task-sync-panel', 'getIssueLinks', {}, { issueKey: a });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.deepEqual(res.data.links.map((l: any) => l.text), [`Blocks ${b}: not mirrored, ${b} is not synced`]);
  });
});
