/**
 * Jira Cloud rules the emulator holds to on endpoints the app uses, each once let through (found by a strict run of
 * a public client's live suite and probes): permission contexts, property and JQL limits, `fields` selectors,
 * project keys and project search, transition screens, hidden emails, and per-user request counts. Every REST
 * response is checked against Jira's OpenAPI spec (test/support/http.ts) and by the emulator's own self-check.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { SandboxClient } from '../../sandbox/client';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { UNBOUNDED_JQL } from '../../sandbox/jira/routes/search';
import { OUTSIDER_USER, PARTNER_EDITOR, VIEWER_USER } from '../../sandbox/jira/users';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 17200, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-emu-rules-')) });
const sandbox = new SandboxClient(cfg);
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const partner = jiraClient(cfg.partner.url, basic(cfg.partner.admin.email, cfg.partner.admin.apiToken));
const asEditor = jiraClient(cfg.partner.url, basic(PARTNER_EDITOR.email, PARTNER_EDITOR.apiToken));
const asApp = jiraClient(cfg.local.url, `Bearer ${cfg.appToken}`);
const asViewer = jiraClient(cfg.local.url, basic(VIEWER_USER.email, VIEWER_USER.apiToken));
const asOutsider = jiraClient(cfg.local.url, basic(OUTSIDER_USER.email, OUTSIDER_USER.apiToken));
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const NO_ISSUE = ['Issue does not exist or you do not have permission to see it.'];

let jira: JiraEmulator;
let host: Awaited<ReturnType<typeof startReceiver>>;
let hooks: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  host = await startReceiver(cfg.basePort); // stands in for the Forge host's product-event endpoint
  hooks = await startReceiver(cfg.basePort + 10);
  jira = await startJiraEmulator({ cfg, fresh: true, validate: true });
});
after(async () => {
  await jira?.close();
  await host?.close();
  await hooks?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

/** A new partner issue (as the partner admin); returns its key. */
async function partnerIssue(summary: string, fields: Record<string, unknown> = {}): Promise<string> {
  const r = await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary, ...fields } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.key;
}

describe('my permissions', () => {
  const have = (body: any) => Object.fromEntries(Object.entries(body.permissions).map(([k, v]: any) => [k, v.havePermission]));

  test('an issue context answers for a known issue and is a 404 with Jira’s body for an unknown or hidden one', async () => {
    assert.deepEqual(have((await local('GET', '/rest/api/3/mypermissions?issueKey=ALOY-1&permissions=EDIT_ISSUES')).body), { EDIT_ISSUES: true });
    assert.equal((await local('GET', '/rest/api/3/mypermissions?issueId=91906&permissions=EDIT_ISSUES')).status, 200);
    for (const q of ['issueKey=ALOY-999999', 'issueId=1', 'issueId=999999&issueKey=ALOY-1']) {
      const r = await local('GET', `/rest/api/3/mypermissions?${q}&permissions=EDIT_ISSUES`);
      assert.equal(r.status, 404, q);
      assert.deepEqual(r.body, { errorMessages: NO_ISSUE, errors: {} }, q);
    }
    assert.equal((await asOutsider('GET', '/rest/api/3/mypermissions?issueKey=ALOY-1&permissions=BROWSE_PROJECTS')).status, 404, 'an issue the caller cannot browse');
    assert.equal((await local('GET', '/rest/api/3/mypermissions?projectId=11113&permissions=BROWSE_PROJECTS')).status, 200);
    const lower = await local('GET', '/rest/api/3/mypermissions?projectKey=aloy&permissions=BROWSE_PROJECTS');
    assert.deepEqual([lower.status, lower.body.errorMessages], [404, ["No project could be found with key 'aloy'."]]);
  });

  test('a repeated permissions parameter counts its first value, as Jira reads one string; the comma list counts all', async () => {
    const repeated = await local('GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&permissions=EDIT_ISSUES');
    assert.equal(repeated.status, 200);
    assert.deepEqual(have(repeated.body), { BROWSE_PROJECTS: true });
    assert.deepEqual(have((await asViewer('GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES')).body), { BROWSE_PROJECTS: true, EDIT_ISSUES: false });
    assert.equal((await local('GET', '/rest/api/3/mypermissions?permissions=')).status, 400);
  });
});

describe('issue properties', () => {
  test('a value of 32,768 characters is stored; one more character gets 400 naming the limit and changes nothing', async () => {
    const url = '/rest/api/3/issue/ALOY-3/properties/big';
    const fits = 'a'.repeat(32768 - 2); // with its quotes, the JSON string is exactly 32,768 characters
    assert.equal((await local('PUT', url, fits)).status, 201);
    const over = await local('PUT', url, `${fits}b`);
    assert.equal(over.status, 400);
    assert.deepEqual(over.body.errorMessages, ['The property value cannot be longer than 32768 characters (it has 32769).']);
    assert.equal((await local('GET', url)).body.value, fits, 'the stored value is the one that fitted');
  });

  test('a property key longer than 255 characters gets 400', async () => {
    assert.equal((await local('PUT', `/rest/api/3/issue/ALOY-3/properties/${'k'.repeat(255)}`, { ok: true })).status, 201);
    const r = await local('PUT', `/rest/api/3/issue/ALOY-3/properties/${'k'.repeat(256)}`, { ok: true });
    assert.deepEqual([r.status, r.body.errorMessages], [400, ['The property key cannot be longer than 255 characters.']]);
  });
});

describe('search', () => {
  test('an unbounded query (empty, or only ORDER BY) gets Jira’s 400, by POST and GET', async () => {
    for (const jql of ['', '   ', 'ORDER BY key DESC']) {
      const r = await local('POST', '/rest/api/3/search/jql', { jql, fields: ['key'] });
      assert.deepEqual([r.status, r.body.errorMessages], [400, [UNBOUNDED_JQL]], JSON.stringify(jql));
    }
    assert.equal((await local('POST', '/rest/api/3/search/jql', {})).status, 400, 'no jql at all');
    assert.equal((await local('GET', '/rest/api/3/search/jql?fields=key')).status, 400);
    assert.equal((await local('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('order by created')}`)).status, 400);
    const bounded = await local('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = aloy ORDER BY key ASC')}&jql=ignored&fields=key&maxResults=1`);
    assert.deepEqual([bounded.status, bounded.body.issues[0].key], [200, 'ALOY-1'], 'JQL values ignore case; a repeated jql counts its first value');
  });
});

describe('the fields parameter', () => {
  const cf = 'customfield_10040'; // the partner's own text field
  let key = '';
  before(async () => {
    key = await partnerIssue('Fields selector', { [cf]: 'custom text', description: doc('Body') });
    await partner('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('A comment') });
  });

  test('GET issue: -x and *all,-x keep custom fields; *navigable leaves out the comment', async () => {
    const get = async (fields: string) => (await partner('GET', `/rest/api/3/issue/${key}?fields=${fields}`)).body.fields;
    const minus = await get('-description');
    assert.equal(minus[cf], 'custom text');
    assert.ok(!('description' in minus) && 'comment' in minus, 'all (the default of GET issue) but the description');
    const allBut = await get('*all,-comment');
    assert.equal(allBut[cf], 'custom text');
    assert.ok(!('comment' in allBut) && allBut.description.type === 'doc');
    const nav = await get('*navigable');
    assert.ok(!('comment' in nav), 'comment is not navigable (jira-field-information.json)');
    assert.deepEqual([nav.summary, nav[cf]], ['Fields selector', 'custom text']);
    const repeated = await partner('GET', `/rest/api/3/issue/${key}?fields=summary&fields=${cf}&expand=names&expand=changelog`);
    assert.deepEqual(Object.keys(repeated.body.fields).sort(), [cf, 'summary'].sort());
    assert.ok(repeated.body.changelog, 'a repeated expand is read too');
  });

  test('search: -x alone means navigable fields but x; *all keeps the comment', async () => {
    const one = async (fields: string[]) => (await partner('POST', '/rest/api/3/search/jql', { jql: `key = ${key}`, fields })).body.issues[0].fields;
    const minus = await one(['-description']);
    assert.equal(minus[cf], 'custom text');
    assert.ok(!('description' in minus) && !('comment' in minus));
    assert.equal((await one(['*all', '-summary'])).comment.total, 1);
    assert.equal((await one(['*all', '-summary'])).summary, undefined);
  });
});

describe('projects', () => {
  test('project keys are case-sensitive in REST paths; issue keys are not', async () => {
    assert.equal((await local('GET', '/rest/api/3/project/ALOY')).status, 200);
    const lower = await local('GET', '/rest/api/3/project/aloy');
    assert.deepEqual([lower.status, lower.body.errorMessages], [404, ["No project could be found with key 'aloy'."]]);
    assert.equal((await local('GET', '/rest/api/3/project/aloy/statuses')).status, 404);
    const issue = await local('GET', '/rest/api/3/issue/aloy-1?fields=summary');
    assert.deepEqual([issue.status, issue.body.key], [200, 'ALOY-1']);
  });

  test('project search pages the visible projects, filtered by exact keys or a query, and is not a project named "search"', async () => {
    const page = (await local('GET', '/rest/api/3/project/search')).body;
    assert.deepEqual([page.values.map((p: any) => p.key), page.total, page.isLast, page.startAt, page.maxResults], [['ALOY', 'DAEMON', 'MOD'], 3, true, 0, 50]);
    const second = (await local('GET', '/rest/api/3/project/search?maxResults=1&startAt=1')).body;
    assert.deepEqual([second.values.map((p: any) => p.key), second.isLast], [['DAEMON'], false]);
    assert.match(second.nextPage, /\/rest\/api\/3\/project\/search\?maxResults=1&startAt=2$/);
    const keys = async (q: string) => (await local('GET', `/rest/api/3/project/search?${q}`)).body.values.map((p: any) => p.key);
    assert.deepEqual(await keys('keys=MOD&keys=ALOY'), ['ALOY', 'MOD']);
    assert.deepEqual(await keys('keys=aloy'), [], 'keys are exact');
    assert.deepEqual(await keys('query=dae'), ['DAEMON'], 'the query matches key or name ignoring case');
    assert.deepEqual(await keys('orderBy=-key'), ['MOD', 'DAEMON', 'ALOY']);
    assert.equal((await local('GET', '/rest/api/3/project/search?orderBy=colour')).status, 400);
    const expanded = (await local('GET', '/rest/api/3/project/search?keys=ALOY&expand=lead,description')).body.values[0];
    assert.deepEqual([expanded.lead.accountId, typeof expanded.description], [cfg.local.admin.accountId, 'string']);
    assert.deepEqual((await asOutsider('GET', '/rest/api/3/project/search')).body.values, [], 'no Browse, no projects');
  });
});

describe('transition screens', () => {
  const openModIssue = async () => {
    const r = await local('POST', '/rest/api/3/search/jql', { jql: 'project = MOD AND status = Open ORDER BY key ASC', fields: ['key'], maxResults: 5 });
    return r.body.issues.map((i: any) => i.key) as string[];
  };

  test('expand=transitions.fields lists each screen’s fields with the resolutions allowed; screenless ones list none', async () => {
    const [key] = await openModIssue();
    const ts = (await local('GET', `/rest/api/3/issue/${key}/transitions?expand=transitions.fields`)).body.transitions;
    const resolve = ts.find((t: any) => t.id === '5');
    assert.deepEqual(Object.keys(resolve.fields), ['resolution', 'fixVersions', 'assignee']);
    assert.deepEqual([resolve.fields.resolution.name, resolve.fields.resolution.schema, resolve.fields.resolution.operations], ['Resolution', { type: 'resolution', system: 'resolution' }, ['set']]);
    assert.ok(resolve.fields.resolution.allowedValues.some((r: any) => r.name === "Won't Fix" && r.id === '2'));
    assert.ok(resolve.fields.fixVersions.allowedValues.length > 0);
    assert.deepEqual(ts.find((t: any) => t.id === '741').fields, {}, 'Quick Resolve has no screen');
    assert.equal((await local('GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions[0].fields, undefined, 'no fields unless expanded');
  });

  test('a resolution chosen on the screen is set on the issue and in the changelog; off-screen fields and unknown resolutions get 400', async () => {
    const [key] = await openModIssue();
    const off = await local('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '5' }, fields: { labels: ['x'], resolution: { name: "Won't Fix" } } });
    assert.deepEqual([off.status, off.body.errors], [400, { labels: "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown." }]);
    const unknown = await local('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '5' }, fields: { resolution: { name: 'Nope' } } });
    assert.deepEqual([unknown.status, unknown.body.errors], [400, { resolution: "Specify a valid 'id' or 'name' for Resolution" }]);
    assert.equal((await local('GET', `/rest/api/3/issue/${key}?fields=status`)).body.fields.status.name, 'Open', 'a refused transition changes nothing');
    assert.equal((await local('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '5' }, fields: { resolution: { name: "Won't Fix" } } })).status, 204);
    const got = (await local('GET', `/rest/api/3/issue/${key}?fields=status,resolution&expand=changelog`)).body;
    assert.deepEqual([got.fields.status.name, got.fields.resolution.name], ['Resolved', "Won't Fix"]);
    const item = got.changelog.histories.at(-1).items.find((i: any) => i.field === 'resolution');
    assert.deepEqual([item.to, item.toString], ['2', "Won't Fix"]);
    const pKey = await partnerIssue('Resolution by update');
    assert.equal((await partner('POST', `/rest/api/3/issue/${pKey}/transitions`, { transition: { id: '51' }, update: { resolution: [{ set: { id: '10002' } }] } })).status, 204);
    assert.equal((await partner('GET', `/rest/api/3/issue/${pKey}?fields=resolution`)).body.fields.resolution.name, 'Duplicate');
  });
});

describe('hidden emails', () => {
  test('a hidden email is left out of user objects for others, shown to its owner, and follows the profile setting', async () => {
    const key = await partnerIssue('Email privacy', { assignee: { accountId: PARTNER_EDITOR.accountId } });
    const c = await asEditor('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('Mine') });
    const byAdmin = await partner('GET', `/rest/api/3/issue/${key}?fields=assignee,reporter,comment`);
    assert.equal(byAdmin.body.fields.assignee.emailAddress, undefined);
    assert.equal(byAdmin.body.fields.comment.comments[0].author.emailAddress, undefined);
    assert.equal(byAdmin.body.fields.reporter.emailAddress, cfg.partner.admin.email, 'a visible email still shows');
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}/comment/${c.body.id}`)).body.author.emailAddress, undefined);
    assert.equal(c.body.author.emailAddress, PARTNER_EDITOR.email, 'the author sees their own email');
    assert.equal((await asEditor('GET', '/rest/api/3/myself')).body.emailAddress, PARTNER_EDITOR.email);
    assert.equal((await asViewer('GET', '/rest/api/3/myself')).body.emailAddress, VIEWER_USER.email);
    await sandbox.setEmailHidden('partner', PARTNER_EDITOR.accountId, false);
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}?fields=assignee`)).body.fields.assignee.emailAddress, PARTNER_EDITOR.email);
    await sandbox.setEmailHidden('partner', PARTNER_EDITOR.accountId, true);
    await assert.rejects(sandbox.setEmailHidden('partner', 'nobody', true), /404/);
    const bad = await fetch(`${cfg.partner.url}/__sandbox/users/email-visibility`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ accountId: PARTNER_EDITOR.accountId, hidden: 'yes' }) });
    assert.equal(bad.status, 400);
  });

  test('webhook payloads leave a hidden email out of every user object', async () => {
    const key = await partnerIssue('Webhook privacy');
    assert.equal((await partner('POST', '/rest/webhooks/1.0/webhook', { name: 'privacy', url: `${hooks.url}/privacy`, events: ['jira:issue_updated', 'comment_created'] })).status, 201);
    assert.equal((await asEditor('PUT', `/rest/api/3/issue/${key}`, { fields: { assignee: { accountId: PARTNER_EDITOR.accountId } } })).status, 204);
    assert.equal((await asEditor('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('Hello') })).status, 201);
    await jira.sites.partner.idle();
    const got = hooks.received.filter((r) => r.path === '/privacy');
    assert.ok(got.length >= 2, `deliveries: ${got.length}`);
    for (const d of got) {
      assert.equal(d.json.user.accountId, PARTNER_EDITOR.accountId);
      assert.ok(!d.raw.includes(PARTNER_EDITOR.email), `${d.json.webhookEvent} carries the hidden email`);
    }
    assert.ok(got.some((d) => d.raw.includes(cfg.partner.admin.email)), 'visible emails still travel');
  });
});

test('stats break requests down by user and route together, so the app’s own calls stand apart', async () => {
  await sandbox.resetStats('local');
  await asApp('GET', '/rest/api/3/issue/ALOY-1?fields=summary');
  await asApp('GET', '/rest/api/3/issue/ALOY-2?fields=summary');
  await local('GET', '/rest/api/3/issue/ALOY-1?fields=summary');
  await asViewer('GET', '/rest/api/3/myself');
  const s = await sandbox.stats('local');
  const route = 'GET /rest/api/3/issue/{issueIdOrKey}';
  assert.deepEqual(s.requestsByUser[cfg.appAccountId], { [route]: 2 });
  assert.deepEqual(s.requestsByUser[cfg.local.admin.accountId], { [route]: 1 });
  assert.deepEqual(s.requestsByUser[VIEWER_USER.accountId], { 'GET /rest/api/3/myself': 1 });
  assert.deepEqual([s.requests[route], s.byUser[cfg.appAccountId]], [3, 2], 'the older counters still count the same requests');
});

test('the emulator recorded zero spec mismatches', () => {
  assert.deepEqual(jira.specMismatches(), []);
});
