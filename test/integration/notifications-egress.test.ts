/**
 * Slack egress through the sandbox's Forge fetch, as Forge's egress proxy applies it: the app is run from a copy of
 * the repository whose manifest leaves `https://hooks.slack.com` out of `permissions.external.fetch.backend`. Every
 * Slack post is then refused before it leaves the function (the local receiver gets nothing), said in words that
 * never quote the secret webhook URL, and the sync and the other channels carry on.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/permissions/#external-permissions
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import { LOCAL_USER } from '../../sandbox/jira/users';
import { TestSandbox } from '../support/sandbox';
import { SlackReceiver } from '../support/slack-receiver';

const sb = new TestSandbox(26200);
const slack = new SlackReceiver(sb.cfg.basePort + 5);
const SECRET = 'egressWebhookSecret99';
const SLACK_URL = `https://hooks.slack.com/services/T0TASKSYNC/B0EGRESS1/${SECRET}`;
const admin = { projectKey: 'ALOY' };
const settingsFn = (fn: string, payload: unknown) => sb.invoke('task-sync-settings', fn, payload, admin);
let appDir = '';
let connectionId = '';

/** A copy of the repository (symlinks) whose manifest declares no Slack egress. */
function appWithoutSlackEgress(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-no-slack-'));
  for (const entry of fs.readdirSync(root)) {
    if (entry !== 'manifest.yml' && !entry.startsWith('.')) fs.symlinkSync(path.join(root, entry), path.join(dir, entry));
  }
  const manifest = fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8');
  const without = manifest.replace(/\n\s*#[^\n]*Slack[^\n]*\n\s*- address: https:\/\/hooks\.slack\.com\n\s*inScopeEUD: true/, '');
  assert.notEqual(without, manifest, 'the manifest declared the Slack egress, and the copy does not');
  assert.equal(without.includes('hooks.slack.com'), false);
  fs.writeFileSync(path.join(dir, 'manifest.yml'), without);
  return dir;
}

before(async () => {
  appDir = appWithoutSlackEgress(sb.cfg.rootDir);
  sb.cfg.rootDir = appDir;
  await slack.start(sb.cfg);
  await sb.start();
  const saved = await sb.saveSettings();
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  connectionId = saved.data.id;
  const notify = await settingsFn('saveNotifications', {
    connectionId,
    settings: { email: { assignee: true, watchers: false, projectAdmins: false }, slack: { enabled: true, digest: false }, comment: { enabled: false, role: 'Developers' } },
    slackWebhookUrl: SLACK_URL,
  });
  assert.equal(notify.ok, true, JSON.stringify(notify.error));
});
after(async () => {
  await sb.stop();
  await slack.stop();
  fs.rmSync(appDir, { recursive: true, force: true });
});

test('a Slack host the manifest does not declare is refused by the Forge fetch, in words without the secret URL', async () => {
  const res = await settingsFn('sendTestNotification', { connectionId, issueKey: 'ALOY-84' });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  assert.deepEqual(res.data.sent, ['email']);
  assert.equal(res.data.failed[0].channel, 'slack');
  assert.match(res.data.failed[0].message, /^Forge refused the Slack request: https:\/\/hooks\.slack\.com is not in this app version's egress/);
  assert.equal(slack.posts.length, 0, 'nothing left the function');

  // A failing sync: the email goes, Slack is refused the same way, the sync heals.
  assert.equal((await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-85', { fields: { assignee: { accountId: LOCAL_USER.accountId } } })).status, 204);
  await sb.linked('ALOY-85');
  await sb.faults('partner', { errorRate: 1, errorStatus: [403] });
  try {
    assert.equal((await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-85', { fields: { summary: 'Edited with no Slack egress' } })).status, 204);
    await sb.idle();
  } finally {
    await sb.faults('partner', null);
  }
  const link = (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-85' })).data.link;
  assert.equal(link.state, 'failed');
  const mail = (await (await fetch(`${sb.cfg.local.url}/__sandbox/emails?issueKey=ALOY-85`)).json()) as { emails: unknown[] };
  assert.equal(mail.emails.length, 1, 'the email still went');
  assert.equal(slack.posts.length, 0);
  const view = await settingsFn('getNotifications', { connectionId });
  assert.deepEqual(view.data.failures.map((f: any) => [f.channel, f.issueKey]), [['slack', 'ALOY-85']]);
  assert.equal(JSON.stringify(view).includes(SECRET), false, 'the failure never quotes the webhook URL');
  const kvs = await (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).text();
  assert.equal(kvs.includes(SECRET), false, 'nor does any plain KVS record');
});
