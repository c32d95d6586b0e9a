/**
 * The mapping editor's backend through the Forge host, on the sandbox's real schemas: both sites' catalogs with
 * the default mapping and the saved mapping's problems, the check of an edited mapping (a partner field off
 * PARTNER's screen, kinds that cannot convert) and the preview of a create and an update, which writes nothing.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import type { ConnectionMapping, FieldMap } from '../../src/model/mapping';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19900);
const admin = { projectKey: 'ALOY' };
let connectionId = '';
let catalog: any;

const settings = (fn: string, payload: unknown, ctx: Record<string, string> = admin) => sb.invoke('task-sync-settings', fn, payload, ctx);

before(async () => {
  await sb.start();
  const list = await settings('listConnections', {});
  connectionId = list.data.connections[0].id;
  const res = await settings('getMappingCatalog', { connectionId });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  catalog = res.data;
});
after(async () => {
  await sb.stop();
});

const rowOf = (m: ConnectionMapping, local: string) => m.fields.find((f) => f.local === local);
const localId = (name: string) => catalog.local.fields.find((f: any) => f.name === name).id as string;
const partnerId = (name: string) => catalog.partner.fields.find((f: any) => f.name === name).id as string;
const userId = (side: 'local' | 'partner', name: string) => catalog[side].users.find((u: any) => u.displayName === name && u.email).accountId as string;

describe('catalogs and defaults on the sandbox schemas', () => {
  test('both catalogs list fields with kinds and screens, options from createmeta, components, versions and people', () => {
    const cc = catalog.partner.fields.find((f: any) => f.id === 'customfield_10052');
    assert.deepEqual([cc.name, cc.kind, cc.onScreen], ['Cc', 'text', false]);
    assert.deepEqual(catalog.partner.fields.find((f: any) => f.name === 'Github Integration').options, ['Alpha', 'Beta', 'Delta']);
    assert.deepEqual(catalog.local.fields.find((f: any) => f.name === 'Github Integration').options, ['Alpha', 'Beta', 'Gamma']);
    assert.deepEqual(catalog.partner.components, ['Documentation', 'Runtime', 'Partner Portal']);
    assert.ok(catalog.local.versions.includes('Alloy 2.0.0') && catalog.partner.versions.includes('Alloy 2.0.0'));
    assert.ok(catalog.local.users.length > 100, `local people: ${catalog.local.users.length}`);
    assert.equal(catalog.partner.users.find((u: any) => u.displayName === 'Tim Poulsen').email, undefined, "Tim's email is hidden");
    assert.ok(!catalog.local.users.some((u: any) => u.displayName === 'Jira Task Sync'), 'the app user is not a person');
  });

  test('same-name custom fields of compatible kinds map, same-name fields of other kinds and one-side fields do not', () => {
    const d: ConnectionMapping = catalog.defaults;
    const mapped = ['Git Notification Mailing List', 'Cloudstack-CVSS', 'Review Date', 'Github Integration', 'Suspected Cause / Domain', 'Lucene Fields', 'Language', 'Tester', 'Reviewers'];
    for (const name of mapped) assert.equal(rowOf(d, localId(name))?.partner, partnerId(name), `${name} maps`);
    for (const name of ['Blogs - New Blog Write Access', 'Actual start', 'Git Repository Import Path', 'Backport to Version']) assert.equal(rowOf(d, localId(name)), undefined, `${name} is not mapped`);
    for (const name of ['Testcase included', 'Cc']) assert.ok(!d.fields.some((f) => f.partner === partnerId(name)), `${name} is not mapped`);
    const github = rowOf(d, localId('Github Integration'))!;
    assert.deepEqual(github.values, { toPartner: { Alpha: 'Alpha', Beta: 'Beta' }, toLocal: { Alpha: 'Alpha', Beta: 'Beta' } }, 'Gamma and Delta have no counterpart');
  });

  test('the system fields map, statuses by name then category, priorities by name then rank, issue types by name then the default', () => {
    const d: ConnectionMapping = catalog.defaults;
    const system = ['summary', 'description', 'issuetype', 'priority', 'labels', 'status', 'components', 'fixVersions', 'versions', 'duedate', 'environment', 'assignee', 'reporter'];
    for (const id of system) assert.equal(rowOf(d, id)?.partner, id, `${id} maps`);
    assert.deepEqual(rowOf(d, 'components')!.values!.toPartner, { Documentation: 'Documentation', Runtime: 'Runtime' });
    const status = (name: string) => catalog.local.statuses.find((s: any) => s.name === name).id;
    const pstatus = (id: string) => catalog.partner.statuses.find((s: any) => s.id === id).name;
    assert.deepEqual(['Open', 'Reopened', 'In Progress', 'In Review', 'Resolved', 'Closed'].map((n) => pstatus(d.status.toPartner[status(n)])), ['Open', 'Open', 'Working', 'Working', 'Closed', 'Closed']);
    const prio = (side: 'local' | 'partner', v: string, by: 'name' | 'id') => catalog[side].priorities.find((p: any) => p[by] === v)[by === 'name' ? 'id' : 'name'];
    assert.deepEqual(['Critical', 'High', 'Trivial'].map((n) => prio('partner', d.priority.toPartner[prio('local', n, 'name')], 'id')), ['Highest', 'High', 'Lowest']);
    const type = (side: 'local' | 'partner', name: string) => catalog[side].issueTypes.find((t: any) => t.name === name).id;
    assert.equal(d.issueTypes.toPartner[type('local', 'Bug')], type('partner', 'Bug'));
    assert.equal(d.issueTypes.toPartner[type('local', 'Story')], type('partner', 'Story'), 'Story has a namesake');
    for (const name of ['Improvement', 'New Feature']) assert.equal(d.issueTypes.toPartner[type('local', name)], type('partner', 'Task'), `${name} → Task, the partner default`);
    assert.equal(d.issueTypes.toPartner[type('local', 'Epic')], type('partner', 'Epic'), 'Epic → Epic, by name (hierarchy: the partner has Cloud\'s Epic)');
  });

  test('users map by visible email only; a display-name match is a suggestion', () => {
    const d: ConnectionMapping = catalog.defaults;
    assert.equal(d.users.toPartner[userId('local', 'Tony Lukasavage')], userId('partner', 'Tony Lukasavage'));
    assert.equal(d.users.toPartner[userId('local', 'Chris Barber')], userId('partner', 'Chris Barber'));
    assert.equal(d.users.toPartner[userId('local', 'Tim Poulsen')], undefined, 'hidden email: not mapped');
    assert.equal(d.users.toPartner[userId('local', 'Feon Sua Xin Miao')], undefined, 'deactivated partner account: not mapped');
    assert.equal(d.users.toPartner[userId('local', 'Alex Morgan')], undefined);
    const alex = catalog.userSuggestions.find((s: any) => s.local === userId('local', 'Alex Morgan'));
    assert.equal(alex?.partner, userId('partner', 'Alex Morgan'));
  });

  test('the saved default mapping has no errors, and warns about options with no counterpart', () => {
    assert.deepEqual(catalog.problems.filter((p: any) => p.severity === 'error'), []);
    assert.ok(catalog.problems.some((p: any) => p.severity === 'warning' && /Github Integration: option "Gamma" of the local site has no counterpart/.test(p.message)), JSON.stringify(catalog.problems.map((p: any) => p.message)));
  });
});

describe('checking an edited mapping', () => {
  test('a partner field off the partner screen and a date-time ↔ date row are errors before anything syncs', async () => {
    const fields: FieldMap[] = [
      ...catalog.defaults.fields,
      { local: localId('Git Repository Import Path'), partner: 'customfield_10052', kind: 'url', direction: 'both', name: { local: 'Git Repository Import Path', partner: 'Cc' } },
      { local: localId('Actual start'), partner: partnerId('Actual start'), kind: 'datetime', direction: 'both', name: { local: 'Actual start', partner: 'Actual start' } },
    ];
    const res = await settings('checkMapping', { connectionId, mapping: { ...catalog.defaults, fields } });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    const errors = res.data.problems.filter((p: any) => p.severity === 'error');
    assert.equal(errors.length, 2, JSON.stringify(errors));
    assert.equal(errors[0].row, fields.length - 2);
    assert.match(errors[0].message, /Cc \(customfield_10052\) is not on PARTNER's screens/);
    assert.equal(errors[1].message, 'Actual start is a date-time field here and a date field on the partner; they cannot sync.');
  });

  test('the Cc row is fine when it only copies from the partner', async () => {
    const fields: FieldMap[] = [{ local: localId('Git Notification Mailing List'), partner: 'customfield_10052', kind: 'text', direction: 'from-partner', name: { local: 'Git Notification Mailing List', partner: 'Cc' } }];
    const res = await settings('checkMapping', { connectionId, mapping: { ...catalog.defaults, fields } });
    assert.deepEqual(res.data.problems, []);
  });
});

describe('preview', () => {
  test('a local issue not linked yet previews the partner issue its creation would make, and nothing is written', async () => {
    const before = await sb.issue('local', 'ALOY-101', 'summary,description,components');
    await sb.resetStats('local');
    await sb.resetStats('partner');
    const res = await settings('previewMapping', { connectionId, mapping: catalog.defaults, issueKey: 'ALOY-101', side: 'local' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal(res.data.action, 'create');
    assert.equal(res.data.targetIssueKey, null);
    const by = Object.fromEntries(res.data.fields.map((f: any) => [f.field, f]));
    assert.equal(by.summary.next, before.fields.summary);
    assert.equal(by.issuetype.next, 'Task', 'Improvement has no partner namesake');
    assert.equal(by.reporter.next, 'Tony Lukasavage');
    assert.equal(by.priority.next, 'Medium');
    assert.equal(by.status.next, 'Closed');
    assert.equal(by.components.next, 'Runtime');
    assert.match(by.components.note, /"XML" does not exist on the partner site/);
    assert.ok(by.description.next.length <= 120 && by.description.next.length > 20, by.description.next);
    for (const site of ['local', 'partner'] as const) assert.deepEqual((await sb.stats(site)).writes.byRoute, {}, `nothing written on ${site}`);
    assert.equal((await settings('listConnections', {})).data.connections.length, 1);
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-101' });
    assert.equal(panel.data.link, null, 'still not linked');
  });

  test('an unmapped reporter is shown as left out, with the reason', async () => {
    const res = await settings('previewMapping', { connectionId, mapping: catalog.defaults, issueKey: 'ALOY-105', side: 'local' });
    const reporter = res.data.fields.find((f: any) => f.field === 'reporter');
    assert.equal(reporter.written, false);
    assert.match(reporter.note, /^local user "[^"0-9:]+" has no partner user mapped/, "the note names the person");
  });

  test('a linked issue previews the update of its partner issue both ways, through the edited mapping', async () => {
    const { link } = await sb.enableSync('ALOY-10');
    await sb.idle();
    await sb.invoke('task-sync-panel', 'setSyncPaused', { paused: true }, { issueKey: 'ALOY-10' });
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-10', { fields: { summary: 'Edited for the preview' } });
    await sb.idle();
    const partnerBefore = await sb.issue('partner', link.partnerIssueKey);
    await sb.resetStats('partner');

    // The edit turns labels off: the preview follows the edited mapping, not the saved one.
    const mapping = { ...catalog.defaults, fields: catalog.defaults.fields.map((f: FieldMap) => (f.local === 'labels' ? { ...f, direction: 'off' } : f)) };
    const res = await settings('previewMapping', { connectionId, mapping, issueKey: 'ALOY-10', side: 'local' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal(res.data.action, 'update');
    assert.equal(res.data.targetIssueKey, link.partnerIssueKey);
    const summary = res.data.fields.find((f: any) => f.field === 'summary');
    assert.deepEqual([summary.current, summary.next, summary.written], [partnerBefore.fields.summary, 'Edited for the preview', true]);
    assert.ok(!res.data.fields.some((f: any) => f.field === 'labels'), 'a row turned off is not previewed');
    assert.ok(res.data.fields.filter((f: any) => f.field !== 'summary').every((f: any) => !f.written || f.current !== f.next));

    const back = await settings('previewMapping', { connectionId, mapping, issueKey: link.partnerIssueKey, side: 'partner' });
    assert.equal(back.data.targetIssueKey, 'ALOY-10');
    const localSummary = back.data.fields.find((f: any) => f.field === 'summary');
    assert.deepEqual([localSummary.current, localSummary.next], ['Edited for the preview', partnerBefore.fields.summary]);
    assert.deepEqual((await sb.stats('partner')).writes.byRoute, {}, 'nothing written on the partner');
    assert.equal((await sb.issue('partner', link.partnerIssueKey)).fields.summary, partnerBefore.fields.summary);
  });

  test('a partner issue that is not linked cannot be previewed, and says why', async () => {
    const created = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Partner-only issue' } });
    const res = await settings('previewMapping', { connectionId, mapping: catalog.defaults, issueKey: created.body.key, side: 'partner' });
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'invalid-input');
    assert.match(res.error.message, /not linked/);
  });

  test('a missing issue is not found', async () => {
    const res = await settings('previewMapping', { connectionId, mapping: catalog.defaults, issueKey: 'ALOY-99999', side: 'local' });
    assert.equal(res.error.code, 'not-found');
  });
});

describe('who may use the editor', () => {
  test('a user who does not administer the project gets neither the check nor the preview', async () => {
    const me = await sb.rest('local', 'GET', '/rest/api/3/myself', undefined, { email: 'user@local.example', apiToken: 'user-token' });
    const ctx = { projectKey: 'ALOY', accountId: me.body.accountId };
    for (const [fn, payload] of [
      ['getMappingCatalog', { connectionId }],
      ['checkMapping', { connectionId, mapping: catalog.defaults }],
      ['previewMapping', { connectionId, mapping: catalog.defaults, issueKey: 'ALOY-101', side: 'local' }],
    ] as const) {
      const res = await settings(fn, payload, ctx);
      assert.equal(res.ok, false, fn);
      assert.equal(res.error.code, 'forbidden', fn);
    }
  });
});
