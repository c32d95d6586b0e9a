/**
 * The emulator's JQL as the bulk flows send it, over real HTTP: key ranges, custom fields by `cf[id]`, id and name,
 * issue properties, issue types, labels, created/updated ranges, and Jira's 400 words for what it refuses.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig } from '../../sandbox/config';
import { stableUuid } from '../../sandbox/forge';
import { installAppFieldsOf } from '../../sandbox/forge/app-fields';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { basic, jiraClient, startReceiver } from '../support/http';

const cfg = sandboxConfig({ basePort: 17760, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-jql-')) });
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));

let jira: JiraEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  receiver = await startReceiver(cfg.basePort);
  jira = await startJiraEmulator({ cfg, fresh: true });
  // As installing the app does: its fields and the issue-property paths its manifest indexes.
  installAppFieldsOf(cfg.rootDir, jira.sites.local.store, (appId) => stableUuid(`environment:${appId}`));
});
after(async () => {
  await jira?.close();
  await receiver?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

/** Keys a query matches (every page), in the order Jira returns them. @throws AssertionError on a non-200 */
async function keys(jql: string): Promise<string[]> {
  const out: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const r = await local('POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 5000, nextPageToken });
    assert.equal(r.status, 200, `${jql}: ${JSON.stringify(r.body)}`);
    out.push(...r.body.issues.map((i: any) => i.key));
    nextPageToken = r.body.nextPageToken;
  } while (nextPageToken);
  return out;
}

/** The 400 Jira answers for `jql`, as its first error message. */
async function refused(jql: string): Promise<string> {
  const r = await local('POST', '/rest/api/3/search/jql', { jql, fields: ['key'] });
  assert.equal(r.status, 400, `${jql} should be refused, got ${r.status}`);
  assert.ok(Array.isArray(r.body.errorMessages) && r.body.errorMessages.length === 1, JSON.stringify(r.body));
  return r.body.errorMessages[0];
}

const num = (k: string) => Number(k.split('-')[1]);

describe('key ranges', () => {
  test('key >= ALOY-200 AND key < ALOY-210 finds exactly those issues of ALOY, in key order', async () => {
    const found = await keys('project = ALOY AND key >= ALOY-200 AND key < ALOY-210 ORDER BY key ASC');
    const all = await keys('project = ALOY ORDER BY key ASC');
    const expected = all.filter((k) => num(k) >= 200 && num(k) < 210);
    assert.ok(expected.length > 0, 'ALOY has issues numbered 200–209');
    assert.deepEqual(found, expected);
  });

  test('a range stays in the key’s project: issuekey > ALOY-1400 alone finds only ALOY issues', async () => {
    const found = await keys('issuekey > ALOY-1400');
    assert.ok(found.length > 0);
    assert.ok(found.every((k) => k.startsWith('ALOY-') && num(k) > 1400), found.slice(0, 5).join());
  });

  test('a range over something that is not an issue key is a 400 naming the key', async () => {
    assert.equal(await refused('key >= banana'), "The issue key 'banana' for field 'key' is invalid.");
    assert.equal(await refused('key > NOPE-1'), "The issue key 'NOPE-1' for field 'key' is invalid.");
  });

  test('a key that names no issue is a 400, also inside in (…) and !=, while existing keys still match', async () => {
    assert.equal(await refused('key = ALOY-999999'), "An issue with key 'ALOY-999999' does not exist for field 'key'.");
    assert.equal(await refused('issuekey in (ALOY-1, ALOY-999999)'), "An issue with key 'ALOY-999999' does not exist for field 'issuekey'.");
    assert.equal(await refused('project = ALOY AND key != ALOY-999999'), "An issue with key 'ALOY-999999' does not exist for field 'key'.");
    assert.deepEqual(await keys('key in (aloy-2, ALOY-1) ORDER BY key ASC'), ['ALOY-1', 'ALOY-2']);
  });
});

describe('custom fields, properties, types, labels, dates', () => {
  let fields: Array<{ id: string; name: string; schema?: { custom?: string } }>;
  const custom = (type: string) => fields.find((f) => f.schema?.custom?.endsWith(`:${type}`))!;

  before(async () => {
    fields = (await local('GET', '/rest/api/3/field')).body;
    const set = async (key: string, body: Record<string, unknown>) => assert.equal((await local('PUT', `/rest/api/3/issue/${key}`, { fields: body })).status, 204, key);
    await set('ALOY-3', { [custom('textfield').id]: 'PARTNER-77 copy', [custom('float').id]: 5, [custom('select').id]: { value: 'Beta' }, labels: ['bulk-a', 'x'] });
    await set('ALOY-4', { [custom('float').id]: 13, labels: ['bulk-b'] });
    for (const [key, value] of [['ALOY-3', { partnerKey: 'PARTNER-901', state: 'failing' }], ['ALOY-4', { partnerKey: 'PARTNER-902', state: 'synced' }]] as const) {
      // `taskSyncLink` is indexed by the app's manifest (jira:entityProperty); `sync-state` is indexed by nobody.
      assert.equal((await local('PUT', `/rest/api/3/issue/${key}/properties/taskSyncLink`, value)).status, 201, 'a new property is 201 Created');
      assert.equal((await local('PUT', `/rest/api/3/issue/${key}/properties/sync-state`, value)).status, 201);
    }
  });

  test('cf[id], customfield_id and the field name find the same issue', async () => {
    const text = custom('textfield');
    const n = text.id.replace('customfield_', '');
    assert.deepEqual(await keys(`cf[${n}] ~ "PARTNER-77"`), ['ALOY-3']);
    assert.deepEqual(await keys(`${text.id} ~ "PARTNER-77"`), ['ALOY-3']);
    assert.deepEqual(await keys(`"${text.name}" ~ "partner-77"`), ['ALOY-3']);
  });

  test('number fields take ranges; select fields match option values; EMPTY works', async () => {
    const float = custom('float');
    const n = float.id.replace('customfield_', '');
    assert.deepEqual(await keys(`cf[${n}] > 6`), ['ALOY-4']);
    assert.deepEqual(await keys(`cf[${n}] >= 5 ORDER BY key ASC`), ['ALOY-3', 'ALOY-4']);
    assert.deepEqual(await keys(`project = ALOY AND "${custom('select').name}" = Beta`), ['ALOY-3']);
    assert.deepEqual(await keys(`project = ALOY AND cf[${n}] is not EMPTY ORDER BY key ASC`), ['ALOY-3', 'ALOY-4']);
  });

  test('what a custom field refuses is a 400 in Jira’s words', async () => {
    const text = custom('textfield');
    assert.equal(await refused(`"${text.name}" > 3`), `The operator '>' is not supported by the '${text.name}' field.`);
    assert.equal(await refused(`"${custom('select').name}" = Omega`), `The option 'Omega' for field '${custom('select').name}' does not exist.`);
    assert.equal(await refused('cf[99999] = 1'), "Field 'cf[99999]' does not exist or you do not have permission to view it.");
  });

  test('issue.property[key].path finds issues by a property an app indexes, and nothing by one nobody indexes', async () => {
    assert.deepEqual(await keys('issue.property[taskSyncLink].state = failing'), ['ALOY-3']);
    assert.deepEqual(await keys('partnerSyncState = failing'), ['ALOY-3'], 'the search alias the manifest declares');
    assert.deepEqual(await keys('issue.property[taskSyncLink].partnerKey in ("PARTNER-901", "PARTNER-902") ORDER BY key ASC'), ['ALOY-3', 'ALOY-4']);
    const withoutState = await keys('project = ALOY AND issue.property[taskSyncLink].state is EMPTY AND key <= ALOY-4 ORDER BY key ASC');
    const firstFour = await keys('project = ALOY AND key <= ALOY-4 ORDER BY key ASC');
    assert.deepEqual(withoutState, firstFour.filter((k) => k !== 'ALOY-3' && k !== 'ALOY-4'));
    // Jira Cloud only indexes properties an app declares: the same value under another key is not searchable.
    assert.deepEqual(await keys('issue.property[sync-state].state = failing'), []);
  });

  test('labels in (…), issuetype and created ranges combine', async () => {
    assert.deepEqual(await keys('labels in (bulk-a, bulk-b) ORDER BY key ASC'), ['ALOY-3', 'ALOY-4']);
    const type = (await local('GET', '/rest/api/3/issue/ALOY-3?fields=issuetype,created')).body.fields;
    const sameType = await keys(`labels in (bulk-a, bulk-b) AND issuetype = "${type.issuetype.name}"`);
    assert.ok(sameType.includes('ALOY-3'));
    const day = String(type.created).slice(0, 10);
    const inRange = await keys(`project = ALOY AND created >= "${day}" AND created < -0m AND key = ALOY-3`);
    assert.deepEqual(inRange, ['ALOY-3']);
    assert.match(await refused('created >= "yesterday"'), /^Date value 'yesterday' for field 'created' is invalid/);
  });
});
