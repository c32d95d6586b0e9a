/**
 * The connection's link-type map through the real handlers and the emulator over HTTP: `getLinkTypes` lists both
 * sites' issue link types (their own ids) with the map in force, a saved map is what the sync mirrors links with
 * (both ways; an unmapped type is not mirrored and the panel says so), and a map naming a link type a site does
 * not have, or two local types on one partner type, is refused in words and changes nothing.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';
import { issueLinkHelpers } from '../support/issue-links';

const sb = new TestSandbox(21460);
const admin = { projectKey: 'ALOY' };
let connectionId = '';
const settings = (fn: string, payload: unknown) => sb.invoke('task-sync-settings', fn, payload, admin);

before(async () => {
  await sb.start();
  connectionId = (await settings('listConnections', {})).data.connections[0].id;
}, 120_000);
after(async () => {
  await sb.stop();
});

/** Link type id by name, as the site's own `GET /rest/api/3/issueLinkType` answers. */
async function typeId(site: 'local' | 'partner', name: string): Promise<string> {
  const r = await sb.rest(site, 'GET', '/rest/api/3/issueLinkType');
  return r.body.issueLinkTypes.find((t: any) => t.name === name).id;
}

const { create, linksOf } = issueLinkHelpers(sb);

/** The connection as stored (through listConnections). */
async function connection(): Promise<any> {
  return (await settings('listConnections', {})).data.connections.find((c: any) => c.id === connectionId);
}

/** Saves the connection with its mapping's `linkTypes` replaced. */
async function saveLinkTypes(linkTypes: { toPartner: Record<string, string>; toLocal: Record<string, string> }): Promise<any> {
  const c = await connection();
  return sb.saveSettings({ connectionId, conflictPolicy: c.conflictPolicy, mapping: { ...c.mapping, linkTypes } });
}

describe('listing link types', () => {
  test("both sites' link types with their own ids; without a saved map, each mirrors as the partner type of the same name", async () => {
    const res = await settings('getLinkTypes', { connectionId });
    assert.equal(res.ok, true, JSON.stringify(res));
    const { local, partner, inForce, byName } = res.data;
    assert.deepEqual([local.projectKey, partner.projectKey, byName], ['ALOY', 'PARTNER', true]);
    assert.deepEqual(local.types.map((t: any) => t.name), ['Blocks', 'Cloners', 'Duplicate', 'Relates']);
    assert.deepEqual(local.types[0], { id: await typeId('local', 'Blocks'), name: 'Blocks', inward: 'is blocked by', outward: 'blocks' });
    for (const name of ['Blocks', 'Cloners', 'Duplicate', 'Relates']) {
      assert.equal(inForce.toPartner[await typeId('local', name)], await typeId('partner', name), `${name} → partner ${name}`);
      assert.equal(inForce.toLocal[await typeId('partner', name)], await typeId('local', name), `partner ${name} → ${name}`);
    }
  });

  test('an unknown connection, or none named, is refused in words', async () => {
    const res = await settings('getLinkTypes', { connectionId: 'c-nope' });
    assert.deepEqual([res.ok, res.error.code], [false, 'not-configured']);
    assert.match(res.error.message, /connection c-nope not found/);
    const none = await settings('getLinkTypes', {});
    assert.deepEqual([none.ok, none.error.code], [false, 'invalid-input'], JSON.stringify(none));
    assert.match(none.error.message, /connectionId/);
  });
});

describe('a saved link-type map', () => {
  test('a link type the partner does not have is refused in words, and nothing changes', async () => {
    const before = await connection();
    const res = await saveLinkTypes({ toPartner: { [await typeId('local', 'Blocks')]: '19999' }, toLocal: { '19999': await typeId('local', 'Blocks') } });
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input'], JSON.stringify(res));
    assert.equal(res.error.message, 'The link types were not saved: Blocks is mapped to link type 19999, which PARTNER does not have (it may have been deleted there). Choose one of its link types in Field mapping → Link types, or "Not mirrored". Nothing was changed.');
    assert.deepEqual(await connection(), before, 'the stored connection (mapping, webhook) is unchanged');
  });

  test('a map that is not the mapping schema (an id that is not a string) is refused by it, and nothing changes', async () => {
    const before = await connection();
    const res = await sb.saveSettings({ connectionId, conflictPolicy: before.conflictPolicy, mapping: { ...before.mapping, linkTypes: { toPartner: { [await typeId('local', 'Blocks')]: 10101 } } } });
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input'], JSON.stringify(res));
    assert.match(res.error.message, /linkTypes/);
    assert.deepEqual(await connection(), before);
  });

  test('two local types mirrored as one partner type are refused, and nothing changes', async () => {
    const before = await connection();
    const [blocks, relates, pRelates] = [await typeId('local', 'Blocks'), await typeId('local', 'Relates'), await typeId('partner', 'Relates')];
    const res = await saveLinkTypes({ toPartner: { [blocks]: pRelates, [relates]: pRelates }, toLocal: { [pRelates]: relates } });
    assert.equal(res.ok, false, JSON.stringify(res));
    assert.match(res.error.message, /^The link types were not saved: Blocks and Relates are both mirrored as Relates on PARTNER, but a Relates link made there can come back as only one of them\./);
    assert.deepEqual(await connection(), before);
  });

  test('links are mirrored with the mapped type both ways, and an unmapped type is not mirrored', async () => {
    // Blocks ↔ partner Relates; Relates not mirrored; the rest by name.
    const [blocks, relates, pRelates, pBlocks] = [await typeId('local', 'Blocks'), await typeId('local', 'Relates'), await typeId('partner', 'Relates'), await typeId('partner', 'Blocks')];
    const c = await connection();
    const named = (await settings('getLinkTypes', { connectionId })).data.inForce;
    const toPartner = { ...named.toPartner, [blocks]: pRelates };
    delete toPartner[relates];
    const toLocal = { ...named.toLocal, [pRelates]: blocks };
    delete toLocal[pBlocks];
    const saved = await sb.saveSettings({ connectionId, conflictPolicy: c.conflictPolicy, mapping: { ...c.mapping, linkTypes: { toPartner, toLocal } } });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    const view = (await settings('getLinkTypes', { connectionId })).data;
    assert.deepEqual([view.byName, view.inForce], [false, { toPartner, toLocal }], 'the saved map is the one in force');

    const [a, b, d] = [await create('Mapped blocker'), await create('Mapped blocked'), await create('Mapped relative')];
    const [pa, pb, pd] = [await sb.linked(a), await sb.linked(b), await sb.linked(d)];
    await sb.rest('local', 'POST', '/rest/api/3/issueLink', { type: { name: 'Blocks' }, outwardIssue: { key: a }, inwardIssue: { key: b } });
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pa), [`Relates outward ${pb}`], 'local Blocks is mirrored as partner Relates');

    await sb.rest('partner', 'POST', '/rest/api/3/issueLink', { type: { name: 'Relates' }, outwardIssue: { key: pd }, inwardIssue: { key: pa } });
    await sb.idle();
    assert.deepEqual(await linksOf('local', d), [`Blocks outward ${a}`], 'partner Relates comes back as local Blocks');
    assert.deepEqual(await linksOf('partner', pd), [`Relates outward ${pa}`], 'and is not mirrored twice');

    await sb.rest('local', 'POST', '/rest/api/3/issueLink', { type: { name: 'Relates' }, outwardIssue: { key: b }, inwardIssue: { key: d } });
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pb), [`Relates inward ${pa}`], 'the local Relates link is not mirrored');
    const res = await sb.invoke('task-sync-panel', 'getIssueLinks', {}, { issueKey: b });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.ok(res.data.links.some((l: any) => l.text === `Relates ${d}: not mirrored, no partner link type is mapped for Relates` && !l.mirrored), JSON.stringify(res.data.links));
  });
});

describe('a link type only one site has', () => {
  test('the emulator adds a link type as Jira does: Jira admins only, every description required, names unique', async () => {
    const body = { name: 'Causes', inward: 'is caused by', outward: 'causes' };
    const user = await sb.rest('local', 'POST', '/rest/api/3/issueLinkType', body, { email: 'user@local.example', apiToken: 'user-token' });
    assert.equal(user.status, 403, JSON.stringify(user.body));
    const missing = await sb.rest('local', 'POST', '/rest/api/3/issueLinkType', { name: 'Causes' });
    assert.deepEqual([missing.status, Object.keys(missing.body.errors).sort()], [400, ['inward', 'outward']]);
    const made = await sb.rest('local', 'POST', '/rest/api/3/issueLinkType', body);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual(made.body, { id: '10004', ...body, self: `${sb.cfg.local.publicUrl}/rest/api/3/issueLinkType/10004` });
    const twice = await sb.rest('local', 'POST', '/rest/api/3/issueLinkType', { ...body, name: 'causes' });
    assert.equal(twice.status, 400);
    assert.deepEqual((await sb.rest('local', 'GET', '/rest/api/3/issueLinkType')).body.issueLinkTypes.map((t: any) => t.name), ['Blocks', 'Cloners', 'Duplicate', 'Relates', 'Causes']);
  });

  test('by name it is not mirrored; mapped to a partner-only type, it is', async () => {
    assert.equal((await sb.rest('partner', 'POST', '/rest/api/3/issueLinkType', { name: 'Depends', inward: 'is needed by', outward: 'depends on' })).status, 201);
    const c = await connection();
    const reset = await sb.saveSettings({ connectionId, conflictPolicy: c.conflictPolicy, mapping: { ...c.mapping, linkTypes: undefined } });
    assert.equal(reset.ok, true, JSON.stringify(reset));
    const [causes, depends] = [await typeId('local', 'Causes'), await typeId('partner', 'Depends')];
    const byName = (await settings('getLinkTypes', { connectionId })).data;
    assert.deepEqual([byName.byName, byName.inForce.toPartner[causes], byName.inForce.toLocal[depends]], [true, undefined, undefined]);

    const [a, b] = [await create('Cause'), await create('Effect')];
    const [pa, pb] = [await sb.linked(a), await sb.linked(b)];
    await sb.rest('local', 'POST', '/rest/api/3/issueLink', { type: { name: 'Causes' }, outwardIssue: { key: a }, inwardIssue: { key: b } });
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pa), [], 'no partner Causes: not mirrored');
    const panel = await sb.invoke('task-sync-panel', 'getIssueLinks', {}, { issueKey: a });
    assert.deepEqual(panel.data.links.map((l: any) => l.text), [`Causes ${b}: not mirrored, no partner link type is mapped for Causes`]);

    const mapped = { toPartner: { ...byName.inForce.toPartner, [causes]: depends }, toLocal: { ...byName.inForce.toLocal, [depends]: causes } };
    const saved = await sb.saveSettings({ connectionId, conflictPolicy: c.conflictPolicy, mapping: { ...c.mapping, linkTypes: mapped } });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    await sb.rest('local', 'PUT', `/rest/api/3/issue/${a}`, { fields: { summary: 'Cause, mapped' } }); // the next sync of the issue
    await sb.idle();
    assert.deepEqual(await linksOf('partner', pa), [`Depends outward ${pb}`], 'mirrored as partner Depends once mapped');
  });
});
