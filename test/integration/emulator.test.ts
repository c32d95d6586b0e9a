/**
 * The Jira emulator over real HTTP: seeded data, issue/comment/transition/search REST, errors, metadata,
 * permissions. Every REST response is checked against Jira's OpenAPI spec plus our overlay (test/support/openapi.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { LOCAL_USER, OUTSIDER_USER, VIEWER_USER } from '../../sandbox/jira/users';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 17100, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-emu-')) });
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const partner = jiraClient(cfg.partner.url, basic(cfg.partner.admin.email, cfg.partner.admin.apiToken));
const asApp = jiraClient(cfg.local.url, `Bearer ${cfg.appToken}`);
const asUser = jiraClient(cfg.local.url, basic(LOCAL_USER.email, LOCAL_USER.apiToken));
const asViewer = jiraClient(cfg.local.url, basic(VIEWER_USER.email, VIEWER_USER.apiToken));
const asOutsider = jiraClient(cfg.local.url, basic(OUTSIDER_USER.email, OUTSIDER_USER.apiToken));
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let jira: JiraEmulator;
let host: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  host = await startReceiver(cfg.basePort); // stands in for the Forge host's product-event endpoint
  const t0 = Date.now();
  jira = await startJiraEmulator({ cfg, fresh: true });
  console.log(`# emulator started (seed included) in ${Date.now() - t0} ms`);
});
after(async () => {
  await jira?.close();
  await host?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

/** All issues a JQL query matches, following nextPageToken. */
async function searchAll(call: typeof local, jql: string, fields: string[], maxResults: number) {
  const issues: any[] = [];
  let nextPageToken: string | undefined;
  let pages = 0;
  do {
    const r = await call('POST', '/rest/api/3/search/jql', { jql, fields, maxResults, nextPageToken });
    assert.equal(r.status, 200);
    issues.push(...r.body.issues);
    nextPageToken = r.body.nextPageToken;
    assert.equal(r.body.isLast, !nextPageToken);
    pages++;
  } while (nextPageToken);
  return { issues, pages };
}

describe('seeded local site', () => {
  test('holds all 2,183 dump issues, 1,499 of them in ALOY', async () => {
    assert.equal((await searchAll(local, 'project in (ALOY, DAEMON, MOD)', ['id'], 5000)).issues.length, 2183);
    const aloy = await searchAll(local, 'project = ALOY', ['key'], 5000);
    assert.equal(aloy.issues.length, 1499);
    assert.ok(aloy.issues.every((i) => i.key.startsWith('ALOY-')));
  });

  test('a seeded issue keeps its dump id, key, dates, status, priority, people and comments, with an ADF description', async () => {
    const r = await local('GET', '/rest/api/3/issue/ALOY-1');
    assert.equal(r.status, 200);
    const f = r.body.fields;
    assert.equal(r.body.id, '91906');
    assert.equal(f.summary, 'logger.js failing in Titanium runtime');
    assert.deepEqual([f.status.id, f.status.name, f.status.statusCategory.key], ['6', 'Closed', 'done']);
    assert.deepEqual([f.priority.id, f.priority.name], ['3', 'Medium']);
    assert.equal(f.reporter.displayName, 'Tony Lukasavage');
    assert.match(f.reporter.accountId, /^712020:/);
    assert.equal(f.created, '2012-05-16T07:56:13.000+0000');
    assert.equal(f.description.type, 'doc');
    assert.equal(f.comment.total, 2);
    assert.equal(f.comment.comments[0].body.type, 'doc');
    assert.deepEqual(f.components.map((c: any) => c.name), ['Runtime']);
  });

  test('fields= limits the fields returned and an issue with no description has null', async () => {
    const r = await local('GET', '/rest/api/3/issue/ALOY-1?fields=summary,status');
    assert.deepEqual(Object.keys(r.body.fields).sort(), ['status', 'summary']);
    const mod = await searchAll(local, 'project = MOD', ['description'], 100);
    assert.ok(mod.issues.some((i: any) => i.fields.description === null));
  });
});

describe('errors look like Jira', () => {
  test("a wrong API token gets 401 with Jira's error body", async () => {
    const r = await jiraClient(cfg.local.url, basic(cfg.local.admin.email, 'wrong'))('GET', '/rest/api/3/myself');
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    assert.equal((await jiraClient(cfg.partner.url)('GET', '/rest/api/3/issue/PARTNER-1')).status, 401);
    assert.equal((await jiraClient(cfg.partner.url, `Bearer ${cfg.appToken}`)('GET', '/rest/api/3/myself')).status, 401, 'the app token is only valid on the local site');
  });

  test("an unknown issue gets 404 with Jira's error body", async () => {
    const r = await local('GET', '/rest/api/3/issue/ALOY-999999');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body.errorMessages, ['Issue does not exist or you do not have permission to see it.']);
  });

  test('invalid JQL gets 400 with a readable message', async () => {
    for (const jql of ['project = ', 'nosuchfield = 1', 'project = NOPE']) {
      const r = await local('POST', '/rest/api/3/search/jql', { jql });
      assert.equal(r.status, 400, jql);
      assert.ok(r.body.errorMessages[0].length > 0);
    }
  });
});

describe('partner issue lifecycle', () => {
  let key = '';

  test('creating an issue without a summary gets 400 naming the field; with one gets 201 and PARTNER-n', async () => {
    const bad = await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors.summary, 'You must specify a summary of the issue.');
    const r = await partner('POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Fix login', description: doc('It fails'), priority: { name: 'High' }, labels: ['web'] },
    });
    assert.equal(r.status, 201);
    assert.match(r.body.key, /^PARTNER-\d+$/);
    key = r.body.key;
    const got = await partner('GET', `/rest/api/3/issue/${key}`);
    assert.deepEqual([got.body.fields.status.name, got.body.fields.priority.id, got.body.fields.labels], ['Open', '2', ['web']]);
  });

  test('editing sets fields and labels, records a changelog and an unknown field gets 400', async () => {
    const bad = await partner('PUT', `/rest/api/3/issue/${key}`, { fields: { nope: 1 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors.nope, "Field 'nope' cannot be set. It is not on the appropriate screen, or unknown.");
    const r = await partner('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'Fix login page' }, update: { labels: [{ add: 'urgent' }, { remove: 'web' }] } });
    assert.equal(r.status, 204);
    const got = await partner('GET', `/rest/api/3/issue/${key}?expand=changelog`);
    assert.equal(got.body.fields.summary, 'Fix login page');
    assert.deepEqual(got.body.fields.labels, ['urgent']);
    const last = got.body.changelog.histories.at(-1);
    assert.equal(last.author.accountId, cfg.partner.admin.accountId);
    assert.deepEqual(last.items.map((i: any) => i.field).sort(), ['labels', 'summary']);
    const page = await partner('GET', `/rest/api/3/issue/${key}/changelog`);
    assert.equal(page.body.total, 2);
  });

  test('transitions offer only moves valid from the current status; an unavailable one gets 400', async () => {
    const t = await partner('GET', `/rest/api/3/issue/${key}/transitions`);
    assert.deepEqual(t.body.transitions.map((x: any) => [x.id, x.to.name, x.hasScreen]), [['11', 'Working', false], ['31', 'Closed', false], ['51', 'Closed', true]]);
    const withFields = await partner('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' }, fields: { summary: 'x' } });
    assert.equal(withFields.body.errors.summary, "Field 'summary' cannot be set. It is not on the appropriate screen, or unknown.", 'a screenless transition takes no fields');
    const bad = await partner('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '41' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errorMessages, ["Transition id '41' is not valid for this issue."]);
    assert.equal((await partner('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '31' } })).status, 204);
    const got = await partner('GET', `/rest/api/3/issue/${key}?fields=status,resolution`);
    assert.deepEqual([got.body.fields.status.id, got.body.fields.status.statusCategory.key, got.body.fields.resolution.name], ['10002', 'done', 'Done']);
    const closed = (await partner('GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions;
    assert.deepEqual(closed.map((x: any) => [x.name, x.isGlobal]), [['Reopen', true]], 'the global Reopen leaves from Closed too');
    assert.equal((await partner('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '41' } })).status, 204);
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}?fields=resolution`)).body.fields.resolution, null, 'leaving done clears the resolution');
    const open = (await partner('GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions.map((x: any) => x.id);
    assert.ok(!open.includes('41'), 'a global transition is not offered from its own target');
    assert.equal((await partner('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '51' }, fields: { assignee: null } })).status, 204, 'a screen takes its fields');
  });

  test('comments can be added, listed, read, edited and deleted with ADF bodies', async () => {
    const c = await partner('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('First!') });
    assert.equal(c.status, 201);
    assert.equal(c.body.author.accountId, cfg.partner.admin.accountId);
    const list = await partner('GET', `/rest/api/3/issue/${key}/comment`);
    assert.equal(list.body.total, 1);
    const edited = await partner('PUT', `/rest/api/3/issue/${key}/comment/${c.body.id}`, { body: doc('Edited') });
    assert.equal(edited.body.body.content[0].content[0].text, 'Edited');
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}/comment/${c.body.id}`)).status, 200);
    assert.equal((await partner('POST', `/rest/api/3/issue/${key}/comment`, { body: 'plain' })).status, 400);
    const invalidAdf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'bogus' }] }] };
    assert.equal((await partner('POST', `/rest/api/3/issue/${key}/comment`, { body: invalidAdf })).status, 400);
    assert.equal((await partner('PUT', `/rest/api/3/issue/${key}`, { fields: { description: invalidAdf } })).body.errors.description.includes('Atlassian Document'), true);
    assert.equal((await partner('DELETE', `/rest/api/3/issue/${key}/comment/${c.body.id}`)).status, 204);
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}/comment/${c.body.id}`)).status, 404);
  });

  test('issue properties can be set, read, listed and deleted', async () => {
    const k = 'sync.link';
    assert.equal((await partner('PUT', `/rest/api/3/issue/${key}/properties/${k}`, { local: 'ALOY-1' })).status, 201);
    assert.equal((await partner('PUT', `/rest/api/3/issue/${key}/properties/${k}`, { local: 'ALOY-2' })).status, 200);
    assert.deepEqual((await partner('GET', `/rest/api/3/issue/${key}/properties/${k}`)).body, { key: k, value: { local: 'ALOY-2' } });
    assert.deepEqual((await partner('GET', `/rest/api/3/issue/${key}/properties`)).body.keys.map((x: any) => x.key), [k]);
    assert.equal((await partner('DELETE', `/rest/api/3/issue/${key}/properties/${k}`)).status, 204);
  });

  test('deleting an issue makes it 404', async () => {
    assert.equal((await partner('DELETE', `/rest/api/3/issue/${key}?deleteSubtasks=true`)).status, 204);
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}`)).status, 404);
  });
});

describe('custom fields', () => {
  const cf = (n: number) => `customfield_${n}`;
  test('GET /field lists local custom fields of every emulated type with their real names and schema types', async () => {
    const custom = (await local('GET', '/rest/api/3/field')).body.filter((f: any) => f.custom);
    assert.deepEqual(custom.map((f: any) => f.schema.custom.split(':')[1]), ['textfield', 'textarea', 'float', 'datepicker', 'datetime', 'select', 'multiselect', 'multicheckboxes', 'url', 'labels', 'userpicker', 'multiversion', 'multiuserpicker']);
    assert.deepEqual([custom[0].id, custom[0].name, custom[2].schema.type], ['customfield_10010', 'Git Notification Mailing List', 'number']);
  });

  test('values of each type are set on create, read back in REST shapes, and recorded in the changelog', async () => {
    const values = {
      [cf(10010)]: 'dev@example.org', [cf(10011)]: doc('Long text'), [cf(10012)]: 7.5, [cf(10013)]: '2025-03-01',
      [cf(10014)]: '2025-03-01T10:00:00.000+0000', [cf(10015)]: { value: 'Beta' }, [cf(10016)]: [{ id: '10160' }, { value: 'Gamma' }],
      [cf(10017)]: [{ value: 'Alpha' }], [cf(10018)]: 'https://example.org/repo', [cf(10019)]: ['js', 'ts'],
      [cf(10020)]: { accountId: cfg.local.admin.accountId },
    };
    const r = await local('POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { name: 'Bug' }, summary: 'Custom', ...values } });
    assert.equal(r.status, 201);
    const f = (await local('GET', `/rest/api/3/issue/${r.body.key}`)).body.fields;
    assert.equal(f[cf(10010)], 'dev@example.org');
    assert.equal(f[cf(10011)].type, 'doc');
    assert.equal(f[cf(10012)], 7.5);
    assert.equal(f[cf(10015)].value, 'Beta');
    assert.deepEqual(f[cf(10016)].map((o: any) => o.value), ['Alpha', 'Gamma']);
    assert.equal(f[cf(10020)].accountId, cfg.local.admin.accountId);
    assert.equal(f[cf(10021)], null);
    assert.equal((await local('PUT', `/rest/api/3/issue/${r.body.key}`, { fields: { [cf(10012)]: 8 } })).status, 204);
    const last = (await local('GET', `/rest/api/3/issue/${r.body.key}?expand=changelog`)).body.changelog.histories.at(-1).items[0];
    assert.deepEqual([last.fieldId, last.fieldtype, last.fromString, last.toString], [cf(10012), 'custom', '7.5', '8']);
  });

  test('a value of the wrong type gets 400 naming each field, and nothing changes', async () => {
    const bad = await local('POST', '/rest/api/3/issue', {
      fields: { project: { key: 'ALOY' }, issuetype: { name: 'Bug' }, summary: 'Bad custom', [cf(10012)]: 'seven', [cf(10013)]: '01/03/2025', [cf(10015)]: { value: 'Delta' }, [cf(10011)]: 'plain', [cf(10018)]: 'not a url' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors, {
      [cf(10012)]: 'Operation value must be a number',
      [cf(10013)]: 'Error parsing date string: 01/03/2025',
      [cf(10015)]: "Option value 'Delta' is not valid",
      [cf(10011)]: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      [cf(10018)]: 'Not a valid URL',
    });
  });

  test("a custom field missing from the project's screen cannot be set", async () => {
    const mod = (await local('POST', '/rest/api/3/search/jql', { jql: 'project = MOD ORDER BY created ASC', fields: ['key'], maxResults: 1 })).body.issues[0].key;
    const r = await local('PUT', `/rest/api/3/issue/${mod}`, { fields: { [cf(10018)]: 'https://example.org' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[cf(10018)], "Field 'customfield_10018' cannot be set. It is not on the appropriate screen, or unknown.");
    assert.equal((await local('PUT', `/rest/api/3/issue/${mod}`, { fields: { [cf(10010)]: 'ok' } })).status, 204);
  });
});

describe('search', () => {
  test('pages with nextPageToken in updated order', async () => {
    const { issues, pages } = await searchAll(local, 'project = DAEMON ORDER BY updated DESC', ['updated'], 100);
    assert.equal(issues.length, 317);
    assert.equal(pages, 4);
    const times = issues.map((i) => Date.parse(i.fields.updated.replace(/(\d\d)(\d\d)$/, '$1:$2')));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('finds recent edits with updated >= -5m, and keys with key in (...)', async () => {
    const mod = (await local('POST', '/rest/api/3/search/jql', { jql: 'project = MOD ORDER BY created ASC', fields: ['key'], maxResults: 1 })).body.issues[0].key;
    assert.equal((await asApp('PUT', `/rest/api/3/issue/${mod}`, { fields: { labels: ['recent'] } })).status, 204);
    const recent = await local('POST', '/rest/api/3/search/jql', { jql: 'updated >= -5m AND project = MOD', fields: ['key'] });
    assert.deepEqual(recent.body.issues.map((i: any) => i.key), [mod]);
    const keys = await local('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(`key in (ALOY-1, "ALOY-2") OR issuekey = ${mod} ORDER BY key ASC`)}&fields=summary`);
    assert.deepEqual(keys.body.issues.map((i: any) => i.key), ['ALOY-1', 'ALOY-2', mod]);
    const dated = await local('POST', '/rest/api/3/search/jql', { jql: 'project = ALOY AND updated >= "2021-11-01 00:00"', fields: ['updated'], maxResults: 100 });
    assert.ok(dated.body.issues.length > 0);
    assert.ok(dated.body.issues.every((i: any) => i.fields.updated >= '2021-11-01'));
  });
});

describe('metadata and permissions', () => {
  test('fields, priorities, projects, statuses, myself and serverInfo answer in the spec shapes', async () => {
    const fields = (await local('GET', '/rest/api/3/field')).body.map((f: any) => f.id);
    for (const id of ['summary', 'description', 'status', 'priority', 'labels', 'issuetype', 'project', 'reporter', 'assignee', 'comment', 'created', 'updated']) assert.ok(fields.includes(id), id);
    assert.deepEqual((await partner('GET', '/rest/api/3/priority')).body.map((p: any) => `${p.id} ${p.name}`), ['1 Highest', '2 High', '3 Medium', '4 Low', '5 Lowest']);
    assert.equal((await local('GET', '/rest/api/3/project/ALOY')).body.id, '11113');
    const statuses = (await partner('GET', '/rest/api/3/project/PARTNER/statuses')).body;
    assert.deepEqual(statuses[0].statuses.map((s: any) => `${s.id} ${s.name}`), ['10000 Open', '10001 Working', '10002 Closed']);
    assert.equal((await asApp('GET', '/rest/api/3/myself')).body.accountType, 'app');
    assert.equal((await local('GET', '/rest/api/3/serverInfo')).body.deploymentType, 'Cloud');
    assert.equal((await local('GET', '/rest/api/3/project/NOPE')).status, 404);
  });

  test('the site admin and the app may administer projects; the plain user may only browse and edit', async () => {
    const q = '/rest/api/3/mypermissions?projectKey=ALOY&permissions=ADMINISTER_PROJECTS,BROWSE_PROJECTS,EDIT_ISSUES';
    const have = async (call: typeof local) => Object.fromEntries(Object.entries((await call('GET', q)).body.permissions).map(([k, v]: any) => [k, v.havePermission]));
    assert.deepEqual(await have(local), { ADMINISTER_PROJECTS: true, BROWSE_PROJECTS: true, EDIT_ISSUES: true });
    assert.deepEqual(await have(asApp), { ADMINISTER_PROJECTS: true, BROWSE_PROJECTS: true, EDIT_ISSUES: true });
    assert.deepEqual(await have(asUser), { ADMINISTER_PROJECTS: false, BROWSE_PROJECTS: true, EDIT_ISSUES: true });
  });

  test('a browse-only user reads issues but gets 403 for edits, transitions, comments and admin webhooks', async () => {
    assert.equal((await asViewer('GET', '/rest/api/3/issue/ALOY-2')).status, 200);
    const edit = await asViewer('PUT', '/rest/api/3/issue/ALOY-2', { fields: { summary: 'Nope' } });
    assert.equal(edit.status, 403);
    assert.deepEqual(edit.body.errorMessages, ['You do not have permission to edit issues in this project.']);
    assert.deepEqual((await asViewer('GET', '/rest/api/3/issue/ALOY-2/transitions')).body.transitions, []);
    assert.equal((await asViewer('POST', '/rest/api/3/issue/ALOY-2/transitions', { transition: { id: '4' } })).status, 403);
    assert.equal((await asViewer('POST', '/rest/api/3/issue/ALOY-2/comment', { body: doc('hi') })).status, 403);
    assert.equal((await asViewer('PUT', '/rest/api/3/issue/ALOY-2/properties/x', { a: 1 })).status, 403);
    assert.equal((await asUser('GET', '/rest/webhooks/1.0/webhook')).status, 403);
    const q = '/rest/api/3/mypermissions?projectKey=ALOY&permissions=BROWSE_PROJECTS,EDIT_ISSUES,TRANSITION_ISSUES';
    const perms = (await asViewer('GET', q)).body.permissions;
    assert.deepEqual([perms.BROWSE_PROJECTS.havePermission, perms.EDIT_ISSUES.havePermission, perms.TRANSITION_ISSUES.havePermission], [true, false, false]);
  });

  test('a user without Browse gets 404 for every issue, an empty search and no project', async () => {
    for (const p of ['/rest/api/3/issue/ALOY-1', '/rest/api/3/issue/ALOY-1/comment', '/rest/api/3/issue/ALOY-1/transitions']) {
      const r = await asOutsider('GET', p);
      assert.equal(r.status, 404, p);
      assert.deepEqual(r.body.errorMessages, ['Issue does not exist or you do not have permission to see it.']);
    }
    assert.equal((await asOutsider('PUT', '/rest/api/3/issue/ALOY-1', { fields: { summary: 'x' } })).status, 404);
    assert.deepEqual((await asOutsider('POST', '/rest/api/3/search/jql', { jql: 'project = ALOY' })).body.issues, []);
    assert.equal((await asOutsider('GET', '/rest/api/3/project/ALOY')).status, 404);
  });

  test('local Resolve Issue has a screen; the screenless Quick Resolve reaches the same status', async () => {
    const r = await local('POST', '/rest/api/3/search/jql', { jql: 'project = MOD AND status = Open', fields: ['key'], maxResults: 1 });
    const ts = (await local('GET', `/rest/api/3/issue/${r.body.issues[0].key}/transitions`)).body.transitions;
    const toResolved = ts.filter((t: any) => t.to.name === 'Resolved').map((t: any) => [t.name, t.hasScreen]);
    assert.deepEqual(toResolved, [['Resolve Issue', true], ['Quick Resolve', false]]);
  });

  test('the browse page shows the issue as HTML', async () => {
    const html = await (await fetch(`${cfg.local.url}/browse/ALOY-1`)).text();
    assert.match(html, /logger\.js failing in Titanium runtime/);
    assert.match(html, /Closed/);
  });
});
