/**
 * People, components, versions and the system fields a mapping maps besides the synced ones, on the two emulated
 * sites: users matched by email (or not, when hidden), deactivated users, namesakes with other emails; PARTNER's
 * components and versions beside ALOY's; due date, environment and affects versions written, validated and
 * rendered everywhere; and each custom field kind refused with Jira's message. Every REST response is checked
 * against Jira's OpenAPI spec (test/support/http.ts) and by the emulator's own self-check.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { LOCAL_PEOPLE, PARTNER_EDITOR, PARTNER_PEOPLE, seededAccountId } from '../../sandbox/jira/users';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 17420, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-emu-people-')) });
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const partner = jiraClient(cfg.partner.url, basic(cfg.partner.admin.email, cfg.partner.admin.apiToken));
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const [tony, , tim, feon, alex] = PARTNER_PEOPLE;
const [former, localAlex] = LOCAL_PEOPLE;

let jira: JiraEmulator;
let host: Awaited<ReturnType<typeof startReceiver>>;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
before(async () => {
  host = await startReceiver(cfg.basePort); // the Forge host's product-event endpoint
  hooks = await startReceiver(cfg.basePort + 10);
  jira = await startJiraEmulator({ cfg, fresh: true, validate: true });
});
after(async () => {
  await jira?.close();
  await host?.close();
  await hooks?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

/** A new PARTNER Task with `fields`; fails the test unless created. */
async function partnerIssue(fields: Record<string, unknown> = {}): Promise<string> {
  const r = await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'People', ...fields } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.key;
}
const create = (fields: Record<string, unknown>) => partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Bad', ...fields } });
const search = async (site: typeof local, q: string) => (await site('GET', `/rest/api/3/user/search?query=${encodeURIComponent(q)}`)).body as any[];

describe('users', () => {
  test('a partner person shares the email of a seeded local person, so a mapping can match them', async () => {
    const [l] = await search(local, 'tony.lukasavage@');
    const [p] = await search(partner, 'tony.lukasavage@');
    assert.deepEqual([l.accountId, l.displayName, p.accountId, p.emailAddress], [seededAccountId('tlukasavage'), 'Tony Lukasavage', tony.accountId, l.emailAddress]);
    assert.notEqual(l.accountId, p.accountId);
  });

  test('a hidden email is left out of answers and cannot be searched for; the display name still finds the person', async () => {
    assert.deepEqual(await search(partner, 'tim.poulsen@'), []);
    const [p] = await search(partner, 'Poulsen');
    assert.deepEqual([p.accountId, 'emailAddress' in p], [tim.accountId, false]);
    assert.equal((await search(local, 'tim.poulsen@'))[0].displayName, 'Tim Poulsen', 'the local namesake shows it');
  });

  test('namesakes with different emails: Alex Morgan on both sites', async () => {
    const [l] = await search(local, 'Alex Morgan');
    const [p] = await search(partner, 'Alex Morgan');
    assert.deepEqual([l.accountId, l.emailAddress, p.accountId, p.emailAddress], [localAlex.accountId, localAlex.email, alex.accountId, alex.email]);
  });

  test('a deactivated user is left out of the searches, still readable by accountId, and cannot be assigned', async () => {
    for (const [site, u] of [[local, former], [partner, feon]] as const) {
      assert.deepEqual(await search(site, u.displayName.split(' ')[0]), [], u.displayName);
      const one = await site('GET', `/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`);
      assert.deepEqual([one.status, one.body.active, one.body.displayName], [200, false, u.displayName]);
    }
    const assignable = (await partner('GET', '/rest/api/3/user/assignable/search?project=PARTNER&query=')).body.map((u: any) => u.accountId);
    assert.ok(assignable.includes(tony.accountId) && !assignable.includes(feon.accountId), assignable.join());
    assert.ok((await partner('GET', '/rest/api/3/users/search?maxResults=100')).body.some((u: any) => u.accountId === feon.accountId), 'the full list has everyone');
    const r = await create({ assignee: { accountId: feon.accountId } });
    assert.deepEqual([r.status, r.body.errors], [400, { assignee: `User '${feon.accountId}' cannot be assigned issues.` }]);
    const key = await partnerIssue({ reporter: { accountId: feon.accountId } });
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}?fields=reporter`)).body.fields.reporter.active, false, 'a deactivated reporter is kept');
  });

  test('user searches need a query or an accountId, and an assignable search a project or issue', async () => {
    assert.equal((await partner('GET', '/rest/api/3/user/search')).status, 400);
    assert.equal((await partner('GET', '/rest/api/3/user/assignable/search?query=a')).status, 400);
    assert.equal((await partner('GET', '/rest/api/3/user/assignable/search?project=NOPE&query=a')).status, 404);
    assert.equal((await partner('GET', '/rest/api/3/user?accountId=nobody')).status, 404);
    assert.deepEqual((await partner('GET', `/rest/api/3/user/search?accountId=${encodeURIComponent(PARTNER_EDITOR.accountId)}`)).body.map((u: any) => u.displayName), ['Partner Editor']);
  });
});

describe('components and versions', () => {
  test('PARTNER has components and versions, partly named as ALOY’s, with its own ids', async () => {
    const names = async (site: typeof local, key: string, what: string) => (await site('GET', `/rest/api/3/project/${key}/${what}`)).body.map((x: any) => x.name);
    const [pc, lc] = [await names(partner, 'PARTNER', 'components'), await names(local, 'ALOY', 'components')];
    assert.deepEqual(pc, ['Documentation', 'Runtime', 'Partner Portal']);
    assert.deepEqual(pc.filter((n: string) => lc.includes(n)), ['Documentation', 'Runtime']);
    const [pv, lv] = [await names(partner, 'PARTNER', 'versions'), await names(local, 'ALOY', 'versions')];
    assert.deepEqual(pv.filter((n: string) => lv.includes(n)), ['Alloy 1.5.0', 'Alloy 2.0.0']);
    assert.equal((await partner('GET', '/rest/api/3/project/PARTNER/components')).body[0].projectId, 10000);
  });

  test('components and versions are set by id or name, added and removed, and unknown ones get Jira’s message', async () => {
    const key = await partnerIssue({ components: [{ name: 'Runtime' }], versions: [{ id: '10200' }], fixVersions: [{ name: 'Alloy 2.0.0' }] });
    assert.equal((await partner('PUT', `/rest/api/3/issue/${key}`, { update: { components: [{ add: { id: '10100' } }, { remove: { name: 'Runtime' } }] } })).status, 204);
    const f = (await partner('GET', `/rest/api/3/issue/${key}?fields=components,versions,fixVersions`)).body.fields;
    assert.deepEqual([f.components.map((c: any) => c.name), f.versions.map((v: any) => v.name), f.fixVersions[0].id], [['Documentation'], ['Alloy 1.5.0'], '10201']);
    const bad = await create({ components: [{ name: 'Builtins' }], versions: [{ id: '15404' }], fixVersions: { name: 'Alloy 2.0.0' } });
    assert.deepEqual(bad.body.errors, { components: "Component name 'Builtins' is not valid", versions: "Version id '15404' is not valid", fixVersions: 'data was not an array' });
  });
});

describe('due date and environment', () => {
  test('set on create and edit, rendered in GET issue (ADF environment), search, the changelog and v2 webhooks', async () => {
    const hook = await partner('POST', '/rest/webhooks/1.0/webhook', { name: 'env', url: `${hooks.url}/hook`, events: ['jira:issue_updated'], filters: { 'issue-related-events-section': 'project = PARTNER' }, excludeBody: false });
    assert.equal(hook.status, 201);
    const key = await partnerIssue({ duedate: '2026-12-24', environment: doc('Firefox 130 on Linux') });
    const got = (await partner('GET', `/rest/api/3/issue/${key}`)).body.fields;
    assert.deepEqual([got.duedate, got.environment.type, got.versions], ['2026-12-24', 'doc', []]);
    assert.equal((await partner('PUT', `/rest/api/3/issue/${key}`, { fields: { duedate: '2027-01-15', environment: doc('Chrome 131') } })).status, 204);
    const found = (await partner('POST', '/rest/api/3/search/jql', { jql: `key = ${key}`, fields: ['duedate', 'environment'] })).body.issues[0].fields;
    assert.deepEqual([found.duedate, found.environment.content[0].content[0].text], ['2027-01-15', 'Chrome 131']);
    const items = (await partner('GET', `/rest/api/3/issue/${key}/changelog`)).body.values.at(-1).items;
    assert.deepEqual(items.map((i: any) => [i.fieldId, i.from, i.to, i.toString]), [['duedate', '2026-12-24', '2027-01-15', '2027-01-15 00:00:00.0'], ['environment', null, null, 'Chrome 131']]);
    await jira.sites.partner.idle();
    const delivered = hooks.received.find((r) => r.json?.issue?.key === key)!.json.issue.fields;
    assert.deepEqual([delivered.duedate, delivered.environment], ['2027-01-15', 'Chrome 131'], 'v2 webhooks carry environment as text');
    const fieldList = (await partner('GET', '/rest/api/3/field')).body.map((f: any) => f.id);
    assert.ok(['duedate', 'environment', 'versions'].every((id) => fieldList.includes(id)));
  });

  test('a bad due date or a plain-text environment gets Jira’s 400 and changes nothing', async () => {
    const r = await create({ duedate: '24/12/2026', environment: 'Firefox' });
    assert.deepEqual([r.status, r.body.errors], [400, { duedate: 'Error parsing date string: 24/12/2026', environment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' }]);
  });

  test('seeded local issues keep the dump’s environment and affects versions', async () => {
    const r = await local('POST', '/rest/api/3/search/jql', { jql: 'project = ALOY ORDER BY key ASC', fields: ['environment', 'versions'], maxResults: 200 });
    assert.ok(r.body.issues.some((i: any) => i.fields.environment?.type === 'doc'), 'some environment');
    assert.ok(r.body.issues.some((i: any) => i.fields.versions.length > 0), 'some affects version');
  });
});

describe('custom field kinds refuse bad values with Jira’s messages', () => {
  test('radio buttons, multi-user pickers, selects with the other site’s option, and text for a date picker', async () => {
    const r = await create({
      customfield_10051: { value: 'Maybe' }, customfield_10050: [{ accountId: tony.accountId }, { accountId: 'nobody' }],
      customfield_10045: { value: 'Gamma' }, customfield_10044: '2026-01-01T10:00:00.000+0000', customfield_10047: { value: 'Alpha' },
    });
    assert.deepEqual(r.body.errors, {
      customfield_10051: "Option value 'Maybe' is not valid",
      customfield_10050: 'Specified user does not exist or you do not have required permissions',
      customfield_10045: "Option value 'Gamma' is not valid",
      customfield_10044: 'Error parsing date string: 2026-01-01T10:00:00.000+0000',
      customfield_10047: 'Operation value must be an array',
    });
  });

  test('radio buttons and multi-user pickers read back as an option and as users, hidden emails left out', async () => {
    const key = await partnerIssue({ customfield_10051: { id: '10331' }, customfield_10050: [{ accountId: tony.accountId }, { accountId: tim.accountId }] });
    const f = (await partner('GET', `/rest/api/3/issue/${key}?fields=customfield_10051,customfield_10050`)).body.fields;
    assert.equal(f.customfield_10051.value, 'No');
    assert.deepEqual(f.customfield_10050.map((u: any) => [u.displayName, u.emailAddress]), [['Tony Lukasavage', tony.email], ['Tim Poulsen', undefined]]);
    assert.deepEqual(jira.specMismatches(), []);
  });
});

describe('saved state from before these fields', () => {
  test('an issue saved without due date, environment, affects versions or custom fields still loads and renders', async () => {
    const key = await partnerIssue();
    await jira.save();
    const file = path.join(cfg.dataDir, 'jira-partner.json');
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const i of state.issues) delete i.duedate, delete i.environment, delete i.versions, delete i.custom;
    delete state.customFields;
    await jira.close();
    fs.writeFileSync(file, JSON.stringify(state));
    jira = await startJiraEmulator({ cfg, validate: true });
    const f = (await partner('GET', `/rest/api/3/issue/${key}`)).body.fields;
    assert.deepEqual([f.duedate, f.environment, f.versions, f.customfield_10045], [null, null, [], null]);
    assert.equal((await partner('PUT', `/rest/api/3/issue/${key}`, { fields: { duedate: '2026-02-02' } })).status, 204);
  });
});
