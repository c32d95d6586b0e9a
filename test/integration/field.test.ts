/**
 * The "Partner sync" custom field (issue 10 §1, §5) through the real handlers, the sandbox's Forge host and the
 * Jira emulator over HTTP: the field Jira creates for the manifest's `jira:customField`; Yes on create makes the
 * partner copy from `avi:jira:created:issue`; the field's text and the indexed `taskSyncLink` property follow the
 * link; JQL finds issues by partner key and by state; an "offer sync" rule pre-asks and never syncs.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20250);
let fieldId = '';

before(async () => {
  await sb.start();
  const fields = (await sb.rest('local', 'GET', '/rest/api/3/field')).body as any[];
  fieldId = fields.find((f) => f.name === 'Partner sync')?.id ?? '';
});
after(async () => {
  await sb.stop();
});

/** Creates an ALOY Bug as the local admin, as the create dialog does; returns its key. */
async function createLocal(summary: string, fields: Record<string, unknown> = {}): Promise<string> {
  const r = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { name: 'Bug' }, summary, ...fields } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.key;
}

const fieldValue = async (key: string) => (await sb.rest('local', 'GET', `/rest/api/3/issue/${key}?fields=${fieldId}`)).body.fields[fieldId] ?? null;
const linkProperty = async (key: string) => {
  const r = await sb.rest('local', 'GET', `/rest/api/3/issue/${key}/properties/taskSyncLink`);
  return r.status === 200 ? r.body.value : null;
};
const search = async (jql: string) => {
  const r = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql, fields: ['summary'], maxResults: 50 });
  return r;
};
const keysOf = async (jql: string): Promise<string[]> => {
  const r = await search(jql);
  assert.equal(r.status, 200, `${jql}: ${JSON.stringify(r.body)}`);
  return (r.body.issues as any[]).map((i) => i.key).sort();
};
const fieldSync = (ctx: { issueKey?: string; projectKey?: string }) => sb.invoke('task-sync-field', 'getFieldSync', {}, ctx);

describe('the Partner sync field', () => {
  let yesKey = '';
  let partnerKey = '';

  test('Jira created the field for the manifest module, as a Forge string field of this app', async () => {
    const fields = (await sb.rest('local', 'GET', '/rest/api/3/field')).body as any[];
    const f = fields.find((x) => x.name === 'Partner sync');
    assert.ok(f, 'no Partner sync field on the local site');
    assert.match(f.schema.custom, /^ari:cloud:ecosystem::extension\/[0-9a-f-]+\/[0-9a-f-]+\/static\/task-sync-field$/);
    assert.equal(f.schema.type, 'string');
  });

  test('Yes on create (the field value the confirmed edit view submits) makes the partner copy right after creation', async () => {
    yesKey = await createLocal('Created with Partner sync = Yes', { [fieldId]: 'sync' });
    await sb.idle();
    const view = await fieldSync({ issueKey: yesKey });
    assert.equal(view.ok, true, JSON.stringify(view));
    assert.ok(view.data.link, `${yesKey} was not linked: ${JSON.stringify(view.data)}`);
    partnerKey = view.data.link.partnerIssueKey;
    assert.match(partnerKey, /^PARTNER-\d+$/);
    const partner = await sb.issue('partner', partnerKey, 'summary');
    assert.equal(partner.fields.summary, 'Created with Partner sync = Yes');
    assert.equal(await fieldValue(yesKey), `⇄ ${partnerKey}`);
    assert.deepEqual(await linkProperty(yesKey), { state: 'synced', partnerKey, connectionId: view.data.partners[0].connectionId });
    const delivered = (await sb.productEvents()).delivered.filter((d) => d.eventType === 'avi:jira:created:issue' && d.issueKey === yesKey);
    assert.equal(delivered.length, 1, 'the created-issue event was not delivered once');
  });

  test('the app writes the field through the app-only API: no history entry; a person, or a missing issue, is refused and nothing changes', async () => {
    const history = (await sb.rest('local', 'GET', `/rest/api/3/issue/${yesKey}/changelog`)).body.values as any[];
    // The create (by the person) set it to their answer; the app's own write of `⇄ PARTNER-n` left no entry.
    const byApp = history.filter((h) => h.author?.accountId === sb.cfg.appAccountId && h.items.some((i: any) => i.fieldId === fieldId));
    assert.deepEqual(byApp, [], 'the app wrote the field with generateChangelog=false');
    const put = (body: unknown, auth?: { email: string; apiToken: string }) => sb.rest('local', 'PUT', `/rest/api/3/app/field/${fieldId}/value`, body, auth);
    const issueId = (await sb.issue('local', yesKey, 'summary')).id;
    // The site admin is a person, not the app that owns the field.
    const byPerson = await put({ updates: [{ issueIds: [Number(issueId)], value: 'forged' }] });
    assert.equal(byPerson.status, 403, JSON.stringify(byPerson.body));
    assert.match(byPerson.body.errorMessages[0], /Only the app that owns the custom field/);
    assert.equal(await fieldValue(yesKey), `⇄ ${partnerKey}`, 'nothing changed');
    const summary = (await sb.rest('local', 'PUT', '/rest/api/3/app/field/summary/value', { updates: [] })).status;
    assert.equal(summary, 404, 'summary is not a custom field');
    // As the app itself (Forge's asApp token): a missing issue is a 404 and the other issue of the call is untouched.
    const asApp = (body: unknown) => fetch(`${sb.cfg.local.url}/rest/api/3/app/field/${fieldId}/value`, { method: 'PUT', headers: { Authorization: `Bearer ${sb.cfg.appToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await asApp({ updates: [{ issueIds: [Number(issueId), 99999999], value: 'half' }] })).status, 404);
    assert.equal(await fieldValue(yesKey), `⇄ ${partnerKey}`, 'nothing changed');
    assert.equal((await asApp({ updates: [{ issueIds: [Number(issueId)], value: 42 }] })).status, 400, 'a string field takes a string');
  });

  test('No (the default: the field left empty) creates nothing on the partner', async () => {
    const before = (await sb.stats('partner')).writes.total;
    const key = await createLocal('Created with Partner sync = No');
    await sb.idle();
    const view = await fieldSync({ issueKey: key });
    assert.equal(view.data.link, null);
    assert.equal(view.data.offered, null);
    assert.equal((await sb.stats('partner')).writes.total, before, 'the partner was written to');
  });

  test('a Yes naming a connection the project does not have syncs nothing', async () => {
    const before = (await sb.stats('partner')).writes.total;
    const key = await createLocal('Yes for a gone connection', { [fieldId]: 'sync:c-gone' });
    await sb.idle();
    assert.equal((await fieldSync({ issueKey: key })).data.link, null);
    assert.equal((await sb.stats('partner')).writes.total, before);
    assert.equal(await fieldValue(key), null, 'the request was left in the field');
  });

  test('in a project with no connection a Yes does nothing and costs the app no Jira call', async () => {
    const appReads = async () => (await sb.productCalls()).calls.filter((c) => c.as === 'app' && c.method === 'GET' && c.path === '/rest/api/3/issue/{issueIdOrKey}').reduce((n, c) => n + c.count, 0);
    const before = { reads: await appReads(), partner: (await sb.stats('partner')).writes.total };
    const r = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DAEMON' }, issuetype: { name: 'Bug' }, summary: 'No connection here', [fieldId]: 'sync' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await sb.idle();
    assert.equal((await sb.productEvents()).delivered.filter((d) => d.issueKey === r.body.key).length, 1, 'the event was not delivered');
    assert.equal(await appReads(), before.reads, 'the app read the issue');
    assert.equal((await sb.stats('partner')).writes.total, before.partner);
  });

  test('JQL finds the issue by partner key, by state and by the search aliases; a pause changes the property, not the issue', async () => {
    assert.deepEqual(await keysOf(`issue.property[taskSyncLink].partnerKey = "${partnerKey}"`), [yesKey]);
    assert.deepEqual(await keysOf(`partnerSyncKey = "${partnerKey}"`), [yesKey]);
    assert.ok((await keysOf('issue.property[taskSyncLink].state = "synced"')).includes(yesKey));
    assert.deepEqual(await keysOf('issue.property[taskSyncLink].state = "paused"'), []);
    const updatedBefore = (await sb.issue('local', yesKey)).fields.updated;
    await sb.invoke('task-sync-panel', 'setSyncPaused', { paused: true }, { issueKey: yesKey });
    assert.equal((await sb.issue('local', yesKey)).fields.updated, updatedBefore, 'pausing changed the issue');
    assert.deepEqual(await keysOf('partnerSyncState = paused'), [yesKey]);
    assert.deepEqual(await keysOf('project = ALOY AND issue.property[taskSyncLink].state in ("failing", "paused")'), [yesKey]);
    assert.equal(await fieldValue(yesKey), `⇄ ${partnerKey}`, 'a pause is in the property, the field (and the issue) stay as they are');
    await sb.invoke('task-sync-panel', 'setSyncPaused', { paused: false }, { issueKey: yesKey });
    await sb.idle();
    assert.deepEqual(await keysOf('partnerSyncState = paused'), []);
  });

  test('JQL as Jira answers it: a path nobody indexed finds nothing; ~ on a string property is refused', async () => {
    assert.deepEqual(await keysOf(`issue.property[taskSyncLink].notIndexed = "${partnerKey}"`), []);
    const r = await search('issue.property[taskSyncLink].partnerKey ~ "PARTNER"');
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /operator '~' is not supported/);
  });

  test('unlinking empties the field and the link property', async () => {
    await sb.invoke('task-sync-panel', 'unlinkIssue', { confirmed: true }, { issueKey: yesKey });
    assert.equal(await fieldValue(yesKey), null);
    assert.equal((await linkProperty(yesKey)).state, 'none');
    assert.deepEqual(await keysOf(`partnerSyncKey = "${partnerKey}"`), []);
  });
});

describe('offer sync (a connection rule)', () => {
  test('a bad rule is refused in words and nothing is saved', async () => {
    const r = await sb.saveSettings({ offerJql: 'labels = = partner' });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'invalid-input');
    assert.match(r.error.message, /The offer rule is not JQL Jira accepts/);
    const list = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    assert.equal(list.data.connections[0].offerJql, '');
  });

  test('a new issue matching the rule is offered (question pre-asked), never synced; others are not offered', async () => {
    const list = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    const saved = await sb.saveSettings({ connectionId: list.data.connections[0].id, offerJql: 'labels = partner-offer' });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.equal(saved.data.offerJql, 'labels = partner-offer');
    const before = (await sb.stats('partner')).writes.total;
    const offered = await createLocal('Matches the offer rule', { labels: ['partner-offer'] });
    const plain = await createLocal('Does not match', { labels: ['other'] });
    await sb.idle();
    const view = (await fieldSync({ issueKey: offered })).data;
    assert.equal(view.link, null, 'an offered issue was synced without a Yes');
    assert.equal(view.offered?.projectKey, 'PARTNER');
    assert.equal((await fieldSync({ issueKey: plain })).data.offered, null);
    assert.deepEqual(await keysOf('partnerSyncState = offered'), [offered]);
    assert.equal((await sb.stats('partner')).writes.total, before, 'the partner was written to');
  });

  test('the create dialog (no issue yet) gets the project partners', async () => {
    const view = await fieldSync({ projectKey: 'ALOY' });
    assert.equal(view.ok, true, JSON.stringify(view));
    assert.equal(view.data.issueKey, null);
    assert.deepEqual(view.data.partners.map((p: any) => p.projectKey), ['PARTNER']);
  });
});
