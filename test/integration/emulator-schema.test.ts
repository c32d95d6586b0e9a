/**
 * What a field-mapping editor reads from the two emulated sites, and how they differ the way real sites do: custom
 * fields per site (ids, types, options), issue types with a default, createmeta and editmeta following each
 * project's screens, custom field contexts and options, and synthetic fields for benchmarks. Every REST response is
 * checked against Jira's OpenAPI spec (test/support/http.ts) and by the emulator's own self-check.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { SandboxClient } from '../../sandbox/client';
import { sandboxConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { PARTNER_EDITOR } from '../../sandbox/jira/users';
import { basic, jiraClient } from '../support/http';

const cfg = sandboxConfig({ basePort: 17400, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-emu-schema-')) });
const sandbox = new SandboxClient(cfg);
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const partner = jiraClient(cfg.partner.url, basic(cfg.partner.admin.email, cfg.partner.admin.apiToken));
const asEditor = jiraClient(cfg.partner.url, basic(PARTNER_EDITOR.email, PARTNER_EDITOR.apiToken));

let jira: JiraEmulator;
before(async () => {
  jira = await startJiraEmulator({ cfg, fresh: true, validate: true });
});
after(async () => {
  await jira?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

type Field = { id: string; name: string; custom: boolean; schema: { type: string; custom?: string } };
const customFields = async (site: typeof local): Promise<Field[]> => (await site('GET', '/rest/api/3/field')).body.filter((f: Field) => f.custom);
const kind = (f: Field) => f.schema.custom!.split(':')[1];
/** `name → kind` of a site's custom fields. */
const byName = (fs: Field[]) => new Map(fs.map((f) => [f.name, kind(f)]));
/** Option values of a custom field, through its context's option page. */
async function optionValues(site: typeof local, fieldId: string): Promise<string[]> {
  const ctx = await site('GET', `/rest/api/3/field/${fieldId}/context`);
  assert.equal(ctx.status, 200, JSON.stringify(ctx.body));
  const opts = await site('GET', `/rest/api/3/field/${fieldId}/context/${ctx.body.values[0].id}/option`);
  assert.equal(opts.status, 200, JSON.stringify(opts.body));
  return opts.body.values.map((o: any) => o.value);
}

describe('custom fields per site', () => {
  test('the partner numbers its own custom fields: no id is shared with the local site', async () => {
    const [l, p] = [await customFields(local), await customFields(partner)];
    assert.equal(l[0].id, 'customfield_10010', 'local keeps its ids');
    assert.ok(p.every((f) => /^customfield_100\d\d$/.test(f.id)), 'Cloud-style partner ids');
    assert.deepEqual(p.filter((f) => l.some((x) => x.id === f.id)), []);
  });

  test('some fields share name and type, some only the name, and each side has fields the other lacks', async () => {
    const [l, p] = [byName(await customFields(local)), byName(await customFields(partner))];
    for (const [name, t] of [['Git Notification Mailing List', 'textfield'], ['Github Integration', 'select'], ['Reviewers', 'multiuserpicker'], ['Tester', 'userpicker']]) {
      assert.deepEqual([l.get(name), p.get(name)], [t, t], name);
    }
    assert.deepEqual([l.get('Blogs - New Blog Write Access'), p.get('Blogs - New Blog Write Access')], ['textarea', 'textfield']);
    assert.deepEqual([l.get('Actual start'), p.get('Actual start')], ['datetime', 'datepicker']);
    assert.deepEqual([p.has('Git Repository Import Path'), p.has('Backport to Version')], [false, false], 'local-only URL and version fields');
    assert.deepEqual([l.has('Testcase included'), p.get('Testcase included')], [false, 'radiobuttons'], 'partner-only radio buttons');
  });

  test('select options partly differ: local Alpha/Beta/Gamma, partner Alpha/Beta/Delta', async () => {
    assert.deepEqual(await optionValues(local, 'customfield_10015'), ['Alpha', 'Beta', 'Gamma']);
    assert.deepEqual(await optionValues(partner, 'customfield_10045'), ['Alpha', 'Beta', 'Delta']);
    assert.deepEqual(await optionValues(partner, 'customfield_10051'), ['Yes', 'No']);
  });

  test('a field has one global context; options page; contexts need a Jira administrator and a known field', async () => {
    const ctx = (await partner('GET', '/rest/api/3/field/customfield_10047/context')).body;
    assert.deepEqual([ctx.total, ctx.isLast, ctx.values[0].isGlobalContext, ctx.values[0].isAnyIssueType], [1, true, true, true]);
    assert.match(ctx.values[0].name, /^Default Configuration Scheme for Lucene Fields$/);
    assert.equal((await partner('GET', '/rest/api/3/field/customfield_10047/context?isGlobalContext=false')).body.total, 0);
    const page = (await partner('GET', `/rest/api/3/field/customfield_10047/context/${ctx.values[0].id}/option?maxResults=2`)).body;
    assert.deepEqual([page.values.map((o: any) => o.value), page.total, page.isLast, !!page.nextPage], [['Alpha', 'Gamma'], 3, false, true]);
    assert.equal((await partner('GET', '/rest/api/3/field/customfield_99999/context')).status, 404);
    assert.equal((await partner('GET', '/rest/api/3/field/customfield_10047/context/1/option')).status, 404);
    assert.equal((await partner('GET', '/rest/api/3/field/customfield_10040/context/110040/option')).status, 400, 'a text field has no options');
    assert.equal((await asEditor('GET', '/rest/api/3/field/customfield_10047/context')).status, 403);
  });
});

describe('issue types', () => {
  test('PARTNER keeps Task, Bug and Story, adds Spike and Subtask the local site lacks and an Epic, and lists its default Task first', async () => {
    const p = (await partner('GET', '/rest/api/3/project/PARTNER')).body.issueTypes;
    assert.deepEqual(p.map((t: any) => `${t.id} ${t.name}`), ['10001 Task', '10002 Bug', '10003 Story', '10004 Spike', '10005 Subtask', '10006 Epic']);
    assert.equal(p.find((t: any) => t.name === 'Subtask').subtask, true);
    const localTypes = (await local('GET', '/rest/api/3/issuetype')).body.map((t: any) => t.name);
    assert.ok(!localTypes.includes('Spike') && !localTypes.includes('Task'), localTypes.join());
    const meta = (await partner('GET', '/rest/api/3/issue/createmeta/PARTNER/issuetypes')).body;
    assert.deepEqual([meta.issueTypes[0].name, meta.total], ['Task', 6]);
    const aloy = (await local('GET', '/rest/api/3/issue/createmeta/ALOY/issuetypes?maxResults=2')).body;
    assert.deepEqual([aloy.issueTypes.map((t: any) => t.name), aloy.maxResults, aloy.total], [['Bug', 'Epic'], 2, 8], 'the local default Bug first, then the dump order');
  });
});

describe('createmeta and editmeta', () => {
  const fieldsOf = async (site: typeof local, project: string, type: string) => {
    const r = await site('GET', `/rest/api/3/issue/createmeta/${project}/issuetypes/${type}?maxResults=200`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.fields as any[];
  };

  test('the create screen lists required system fields, allowed values and operations', async () => {
    const fields = await fieldsOf(partner, 'PARTNER', '10001');
    const f = (id: string) => fields.find((x) => x.fieldId === id);
    assert.deepEqual(fields.filter((x) => x.required).map((x) => x.fieldId), ['summary', 'issuetype', 'project']);
    assert.deepEqual(f('priority').allowedValues.map((p: any) => p.name), ['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    assert.deepEqual(f('components').allowedValues.map((c: any) => c.name), ['Documentation', 'Runtime', 'Partner Portal']);
    assert.deepEqual(f('components').operations, ['add', 'set', 'remove']);
    assert.ok(f('versions').allowedValues.some((v: any) => v.name === 'Alloy 2.0.0'));
    assert.deepEqual([f('duedate').schema, f('environment').name], [{ type: 'date', system: 'duedate' }, 'Environment']);
    assert.deepEqual(f('customfield_10051').allowedValues.map((o: any) => o.value), ['Yes', 'No']);
    assert.match(f('assignee').autoCompleteUrl, /\/rest\/api\/3\/user\/assignable\/search\?project=PARTNER&query=$/);
  });

  test("a custom field off the project's screen is left out of createmeta and editmeta, and setting it is refused", async () => {
    assert.ok(!(await fieldsOf(partner, 'PARTNER', '10001')).some((x) => x.fieldId === 'customfield_10052'), 'partner Cc is off PARTNER');
    assert.ok((await customFields(partner)).some((f) => f.id === 'customfield_10052'), 'yet the site has it');
    const mod = (await fieldsOf(local, 'MOD', '1')).map((x) => x.fieldId);
    assert.ok(!mod.includes('customfield_10018') && mod.includes('customfield_10010'), 'MOD leaves out the URL field');
    const r = await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Cc', customfield_10052: 'x' } });
    assert.deepEqual([r.status, r.body.errors], [400, { customfield_10052: "Field 'customfield_10052' cannot be set. It is not on the appropriate screen, or unknown." }]);
    const key = (await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Editmeta' } })).body.key;
    const edit = (await partner('GET', `/rest/api/3/issue/${key}/editmeta`)).body.fields;
    assert.ok(edit.summary && edit.customfield_10045 && !edit.customfield_10052 && !edit.project);
    assert.deepEqual(edit.summary.required, false);
    assert.deepEqual((await asEditor('GET', `/rest/api/3/issue/${key}/editmeta`)).status, 200);
  });

  test('createmeta pages its fields and refuses an issue type the project lacks', async () => {
    const page = (await partner('GET', '/rest/api/3/issue/createmeta/PARTNER/issuetypes/10001?maxResults=5&startAt=5')).body;
    assert.deepEqual([page.fields.length, page.startAt, page.maxResults], [5, 5, 5]);
    assert.ok(page.total > 10);
    assert.equal((await partner('GET', '/rest/api/3/issue/createmeta/PARTNER/issuetypes/1')).status, 400);
    assert.equal((await partner('GET', '/rest/api/3/issue/createmeta/NOPE/issuetypes')).status, 404);
  });
});

describe('synthetic custom fields', () => {
  test('200 synthetic fields load onto one site only, on its screens, and survive a restart', async () => {
    const before = (await customFields(partner)).length;
    const added = await sandbox.addCustomFields('partner', 200);
    assert.deepEqual([added.ids.length, added.total], [200, before + 200]);
    const all = await customFields(partner);
    assert.equal(all.length, before + 200);
    assert.equal(new Set(all.map((f) => f.id)).size, all.length, 'ids are unique');
    assert.equal((await customFields(local)).length, 13, 'the local site is untouched');
    const meta = (await partner('GET', '/rest/api/3/issue/createmeta/PARTNER/issuetypes/10001?maxResults=1')).body;
    assert.ok(meta.total >= before + 200 + 10);
    const select = all.find((f) => f.name.startsWith('Synthetic') && kind(f) === 'select')!;
    assert.deepEqual(await optionValues(partner, select.id), ['Option 1', 'Option 2', 'Option 3']);
    const key = (await partner('POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Synthetic', [select.id]: { value: 'Option 2' } } })).body.key;
    assert.deepEqual(jira.specMismatches(), [], 'every answer so far matched the spec');
    await jira.close();
    jira = await startJiraEmulator({ cfg, validate: true });
    assert.equal((await customFields(partner)).length, before + 200);
    assert.equal((await partner('GET', `/rest/api/3/issue/${key}?fields=${select.id}`)).body.fields[select.id].value, 'Option 2');
    await assert.rejects(sandbox.addCustomFields('local', 0), /400/);
  });
});
