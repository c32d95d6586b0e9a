/**
 * Jira's notify API as the emulator answers it (`POST /rest/api/3/issue/{issueIdOrKey}/notify`), against the
 * operation's documented answers and its `Notification` schema in the spec: who Jira would email (never the
 * caller, an app, a deactivated person or someone who cannot browse the project; each person once), and what it
 * refuses with 400 (a body off the schema, the caller named as recipient, the assignee of an unassigned issue, an
 * unknown account) or 403 (outgoing mail off) — recording nothing then.
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

const cfg = sandboxConfig({ basePort: 26000, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-emu-notify-')) });
const local = jiraClient(cfg.local.url, basic(cfg.local.admin.email, cfg.local.admin.apiToken));
const asApp = jiraClient(cfg.local.url, `Bearer ${cfg.appToken}`);
const FORMER = '712020:0f1e2d3c-local-former'; // a deactivated person of the local site
const KEY = 'ALOY-95';
const UNASSIGNED = 'ALOY-97';

let jira: JiraEmulator;
let receivers: Array<Awaited<ReturnType<typeof startReceiver>>> = [];

before(async () => {
  receivers = [await startReceiver(cfg.basePort), await startReceiver(cfg.basePort + 10)];
  jira = await startJiraEmulator({ cfg, fresh: true, validate: true });
  assert.equal((await local('PUT', `/rest/api/3/issue/${KEY}`, { fields: { assignee: { accountId: LOCAL_USER.accountId } } })).status, 204);
  assert.equal((await local('PUT', `/rest/api/3/issue/${UNASSIGNED}`, { fields: { assignee: null } })).status, 204);
  assert.equal((await local('POST', `/rest/api/3/issue/${KEY}/watchers`, VIEWER_USER.accountId)).status, 204);
});
after(async () => {
  await jira?.close();
  for (const r of receivers) await r.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

type Email = { issueKey: string; by: string; subject: string; textBody: string; htmlBody: string; to: Array<{ accountId: string }> };
async function emails(issueKey: string): Promise<Email[]> {
  return ((await (await fetch(`${cfg.local.url}/__sandbox/emails?issueKey=${issueKey}`)).json()) as { emails: Email[] }).emails;
}

describe('who Jira would email', () => {
  test('the assignee, the watchers and named people, each once; never the caller, an app, a deactivated person or one who cannot browse', async () => {
    const res = await asApp('POST', `/rest/api/3/issue/${KEY}/notify`, {
      subject: 'Sync stopped',
      textBody: 'ALOY-95 stopped syncing.',
      htmlBody: '<p>ALOY-95 stopped syncing.</p>',
      to: { assignee: true, watchers: true, reporter: false, voters: false, users: [{ accountId: LOCAL_USER.accountId }, { accountId: OUTSIDER_USER.accountId }, { accountId: FORMER }, { accountId: cfg.local.admin.accountId }] },
    });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    const [mail] = await emails(KEY);
    const to = mail.to.map((u) => u.accountId);
    assert.deepEqual(mail.by, cfg.appAccountId);
    assert.ok(to.includes(LOCAL_USER.accountId), 'the assignee');
    assert.ok(to.includes(VIEWER_USER.accountId), 'a watcher who may browse');
    assert.ok(to.includes(cfg.local.admin.accountId), 'a named person');
    assert.equal(new Set(to).size, to.length, 'each person once (the assignee was also named)');
    for (const [who, id] of [['the caller (the app)', cfg.appAccountId], ['one without Browse projects', OUTSIDER_USER.accountId], ['a deactivated person', FORMER]]) {
      assert.equal(to.includes(id), false, `not ${who}`);
    }
    assert.deepEqual([mail.subject, mail.textBody, mail.htmlBody], ['Sync stopped', 'ALOY-95 stopped syncing.', '<p>ALOY-95 stopped syncing.</p>']);
  });

  test('a person calling it is left out of the watchers they are in, and the subject defaults to key and summary', async () => {
    const before = (await emails(KEY)).length;
    assert.equal((await local('POST', `/rest/api/3/issue/${KEY}/watchers`)).status, 204, 'the admin watches the issue');
    const res = await local('POST', `/rest/api/3/issue/${KEY}/notify`, { textBody: 'Hello', to: { watchers: true } });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    const mail = (await emails(KEY)).slice(before);
    assert.equal(mail.length, 1);
    assert.equal(mail[0].to.some((u) => u.accountId === cfg.local.admin.accountId), false, 'not the sender');
    const summary = (await local('GET', `/rest/api/3/issue/${KEY}?fields=summary`)).body.fields.summary;
    assert.equal(mail[0].subject, `(${KEY}) ${summary}`);
  });
});

describe('what Jira refuses, recording nothing', () => {
  const refused: Array<[string, string, unknown, number, RegExp]> = [
    ['the assignee of an unassigned issue', UNASSIGNED, { textBody: 'x', to: { assignee: true } }, 400, /is unassigned/],
    ['the caller named as a recipient', KEY, { textBody: 'x', to: { users: [{ accountId: 'APP' }] } }, 400, /same as the calling user/],
    ['an account that does not exist', KEY, { textBody: 'x', to: { users: [{ accountId: '712020:nobody' }] } }, 400, /does not exist/],
    ['a recipient flag that is not a boolean', KEY, { textBody: 'x', to: { watchers: 'yes' } }, 400, /\/to\/watchers must be boolean/],
    ['a restriction the schema does not have', KEY, { textBody: 'x', restrict: { roles: ['Developers'] } }, 400, /must NOT have additional properties \(roles\)/],
    ['a subject that is not text', KEY, { subject: 42, to: { watchers: true } }, 400, /subject must be a string/],
  ];
  for (const [what, key, raw, status, words] of refused) {
    test(what, async () => {
      const body = JSON.parse(JSON.stringify(raw).replace('"APP"', JSON.stringify(cfg.appAccountId)));
      const before = (await emails(key)).length;
      const res = await asApp('POST', `/rest/api/3/issue/${key}/notify`, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(JSON.stringify(res.body), words);
      assert.equal((await emails(key)).length, before, 'nothing recorded');
    });
  }

  test('with outgoing mail off, 403 in Jira\'s words; on again, mail goes', async () => {
    const toggle = (enabled: boolean) => fetch(`${cfg.local.url}/__sandbox/emails/outgoing`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ enabled }) });
    assert.equal((await toggle(false)).status, 200);
    const before = (await emails(KEY)).length;
    try {
      const res = await asApp('POST', `/rest/api/3/issue/${KEY}/notify`, { textBody: 'x', to: { assignee: true } });
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.match(res.body.errorMessages[0], /Outgoing emails are disabled/);
      assert.equal((await emails(KEY)).length, before);
    } finally {
      assert.equal((await toggle(true)).status, 200);
    }
    assert.equal((await asApp('POST', `/rest/api/3/issue/${KEY}/notify`, { textBody: 'x', to: { assignee: true } })).status, 204);
    assert.equal((await emails(KEY)).length, before + 1);
  });

  test('an issue the caller cannot see is a 404', async () => {
    const asOutsider = jiraClient(cfg.local.url, basic(OUTSIDER_USER.email, OUTSIDER_USER.apiToken));
    const res = await asOutsider('POST', `/rest/api/3/issue/${KEY}/notify`, { textBody: 'x', to: { watchers: true } });
    assert.equal(res.status, 404, JSON.stringify(res.body));
  });
});
