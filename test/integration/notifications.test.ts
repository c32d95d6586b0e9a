/**
 * Notifications through the real handlers (issue 11): a failing sync tells each channel of the connection once —
 * Jira's email (the emulator's notify API, which records what Jira would send), Slack (a local receiver the
 * sandbox routes `https://hooks.slack.com` to) and an internal comment on the local issue that the comment sync
 * never mirrors — repeats tell nothing, and the next successful sync sends one recovery note. Also: a partner token
 * that stops working (one episode for the connection), a conflict under `manual`, the daily digest, bad input, a
 * Slack that answers 404/500 or cannot be reached (said on the page, the sync unaffected), and the scopes used.
 * Egress refused by the manifest: `./notifications-egress.test.ts`; Jira refusing the email: `./notifications-episodes.test.ts`.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { LOCAL_USER } from '../../sandbox/jira/users';
import { NOTICE_MARKER } from '../../src/sync/notify-text';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';
import { SlackReceiver } from '../support/slack-receiver';

const sb = new TestSandbox(20500);
const slack = new SlackReceiver(sb.cfg.basePort + 5);
const SLACK_URL = 'https://hooks.slack.com/services/T0TASKSYNC/B0NOTIFY1/s3cretWebhookToken42';
const admin = { projectKey: 'ALOY' };
let connectionId = '';

const settingsFn = (fn: string, payload: unknown) => sb.invoke('task-sync-settings', fn, payload, admin);
const ALL_ON = {
  email: { assignee: true, watchers: true, projectAdmins: true },
  slack: { enabled: true, digest: false },
  comment: { enabled: true, role: 'Developers' },
};

before(async () => {
  await slack.start(sb.cfg);
  await sb.start();
  // Role-restricted comments are mirrored on this connection: the internal notices must still stay local.
  const saved = await sb.saveSettings({ mirrorRoleRestrictedComments: true });
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  connectionId = saved.data.id;
});
after(async () => {
  await sb.stop();
  await slack.stop();
});

/** Emails the local site would have sent about `issueKey`. */
async function emails(issueKey: string): Promise<any[]> {
  const res = await fetch(`${sb.cfg.local.url}/__sandbox/emails?issueKey=${issueKey}`);
  return ((await res.json()) as { emails: any[] }).emails;
}

/** The app's internal notices on a local or partner issue. */
async function notices(site: 'local' | 'partner', key: string): Promise<any[]> {
  return (await sb.comments(site, key)).filter((c) => adfText(c.body).includes(NOTICE_MARKER) || adfText(c.body).includes('[Task sync]'));
}

const slackAbout = (key: string) => slack.texts().filter((t) => t.includes(`|${key}>`));

/** Links `key` (assigned to Local User first) and waits until it synced. */
async function linkedAssigned(key: string): Promise<string> {
  const assigned = await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { assignee: { accountId: LOCAL_USER.accountId } } });
  assert.equal(assigned.status, 204, JSON.stringify(assigned.body));
  return sb.linked(key);
}

/** Makes every partner call fail with 403 (not retried) while `run` runs; then clears the fault. */
async function withPartnerRefusing(run: () => Promise<void>): Promise<void> {
  await sb.faults('partner', { errorRate: 1, errorStatus: [403] });
  try {
    await run();
  } finally {
    await sb.faults('partner', null);
  }
}

async function editLocal(key: string, summary: string): Promise<void> {
  const res = await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  assert.equal(res.status, 204, JSON.stringify(res.body));
  await sb.idle();
}

async function retryOne(key: string): Promise<void> {
  const res = await settingsFn('retryFailed', { scope: 'one', localIssueKey: key });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  await sb.idle();
}

const linkState = async (key: string) => (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key })).data.link.state;

describe('settings: bad input is refused in words and changes nothing', () => {
  test('a URL that is not a Slack incoming webhook is refused', async () => {
    for (const url of ['https://example.com/services/T0AAA/B0BBB/abcdefgh1234', 'https://hooks.slack.com.evil.example/services/T0AAA/B0BBB/abcdefgh1234', 'http://hooks.slack.com/services/T0AAA/B0BBB/abcdefgh1234']) {
      const res = await settingsFn('saveNotifications', { connectionId, settings: ALL_ON, slackWebhookUrl: url });
      assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input'], url);
      assert.match(res.error.message, /must look like https:\/\/hooks\.slack\.com\/services\//);
    }
    const view = await settingsFn('getNotifications', { connectionId });
    assert.deepEqual(view.data, { connectionId, settings: { email: { assignee: false, watchers: false, projectAdmins: false }, slack: { enabled: false, digest: false }, comment: { enabled: false, role: 'Developers' } }, slackWebhookSet: false, failures: [] });
  });

  test('Slack on without a stored URL, or an internal comment for a role the project lacks, is refused', async () => {
    const noUrl = await settingsFn('saveNotifications', { connectionId, settings: ALL_ON });
    assert.equal(noUrl.ok, false);
    assert.match(noUrl.error.message, /no webhook URL is stored/);
    const badRole = await settingsFn('saveNotifications', { connectionId, settings: { ...ALL_ON, comment: { enabled: true, role: 'Partners' } }, slackWebhookUrl: SLACK_URL });
    assert.equal(badRole.ok, false);
    assert.match(badRole.error.message, /has no role "Partners" \(its roles: Administrators, Developers/);
    assert.equal((await settingsFn('getNotifications', { connectionId })).data.slackWebhookSet, false, 'the URL of the refused save was not stored');
  });

  test('an internal comment for a role the app is not in is refused before Jira would refuse every comment', async () => {
    const res = await settingsFn('saveNotifications', { connectionId, settings: { ...ALL_ON, slack: { enabled: false, digest: false }, comment: { enabled: true, role: 'Administrators' } } });
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input']);
    assert.match(res.error.message, /The app is not in project role "Administrators"/);
    assert.match(res.error.message, /Nothing was saved\.$/);
    const direct = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-84/comment', { body: adfParagraph('For admins only'), visibility: { type: 'role', value: 'Administrators' } });
    assert.equal(direct.status, 201, `an admin may restrict to Administrators, only the app is not in it: ${JSON.stringify(direct.body)}`);
    assert.equal((await settingsFn('getNotifications', { connectionId })).data.settings.comment.enabled, false, 'nothing was saved');
  });

  test('a valid save stores the URL as a secret: the view says only that one is set', async () => {
    const res = await settingsFn('saveNotifications', { connectionId, settings: ALL_ON, slackWebhookUrl: SLACK_URL });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.deepEqual(res.data, { connectionId, settings: ALL_ON, slackWebhookSet: true, failures: [] });
    assert.equal(JSON.stringify(await settingsFn('getNotifications', { connectionId })).includes('s3cretWebhookToken42'), false, 'the URL never comes back');
    const kvs = await (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).text();
    assert.equal(kvs.includes('s3cretWebhookToken42'), false, 'it is not a plain KVS record');
    const resaved = await sb.saveSettings({ mirrorRoleRestrictedComments: true });
    assert.equal(resaved.ok, true);
    assert.deepEqual((await settingsFn('getNotifications', { connectionId })).data.settings, ALL_ON, 're-saving the connection keeps its notifications');
  });
});

describe('a failing sync is told once on each channel, then healed once', () => {
  const KEY = 'ALOY-50';
  let partnerKey = '';

  test('the failure after the last retry sends one email, one Slack message and one internal comment', async () => {
    partnerKey = await linkedAssigned(KEY);
    await withPartnerRefusing(() => editLocal(KEY, 'Edited while the partner refuses'));
    assert.equal(await linkState(KEY), 'failed');

    const mail = await emails(KEY);
    assert.equal(mail.length, 1, JSON.stringify(mail));
    assert.equal(mail[0].subject, `[Task sync] ${KEY} stopped syncing`);
    assert.match(mail[0].textBody, /403/);
    assert.match(mail[0].htmlBody, /<a href="https:\/\/local\.atlassian\.net\/browse\/ALOY-50">/);
    const to = mail[0].to.map((u: any) => u.accountId);
    assert.ok(to.includes(LOCAL_USER.accountId), `the assignee gets it: ${to}`);
    assert.ok(to.includes(sb.cfg.local.admin.accountId), `the project admin gets it: ${to}`);
    assert.equal(new Set(to).size, to.length, 'each person once');
    assert.equal(to.includes(sb.cfg.appAccountId), false, 'never the app itself');

    assert.equal(slackAbout(KEY).length, 1);
    assert.match(slackAbout(KEY)[0], /ALOY-50 stopped syncing/);

    const comments = await notices('local', KEY);
    assert.equal(comments.length, 1);
    assert.deepEqual(comments[0].visibility, { type: 'role', value: 'Developers', identifier: 'Developers' });
    assert.equal(comments[0].author.accountId, sb.cfg.appAccountId);
  });

  test('failing again tells nothing more', async () => {
    await withPartnerRefusing(async () => {
      await editLocal(KEY, 'Edited again while the partner refuses');
      await retryOne(KEY);
    });
    assert.equal(await linkState(KEY), 'failed');
    assert.equal((await emails(KEY)).length, 1);
    assert.equal(slackAbout(KEY).length, 1);
    assert.equal((await notices('local', KEY)).length, 1);
  });

  test('the next successful sync sends one recovery note per channel, and no notice reaches the partner', async () => {
    await retryOne(KEY);
    assert.equal(await linkState(KEY), 'ok');
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Edited again while the partner refuses');
    const mail = await emails(KEY);
    assert.deepEqual(mail.map((m) => m.subject), [`[Task sync] ${KEY} stopped syncing`, `[Task sync] Recovered: ${KEY} syncs again`]);
    assert.equal(slackAbout(KEY).length, 2);
    assert.match(slackAbout(KEY)[1], /Recovered: ALOY-50 syncs again/);
    assert.equal((await notices('local', KEY)).length, 2);
    await editLocal(KEY, 'A later edit');
    assert.deepEqual(await notices('partner', partnerKey), [], 'the internal notices are never mirrored, although role-restricted comments are');
    assert.equal((await emails(KEY)).length, 2, 'a healthy sync tells nothing');
    const log = (await sb.log()).filter((e) => e.localIssueKey === KEY);
    assert.equal(log.some((e) => /Not mirrored/.test(e.message)), false, 'nor are they listed as skipped');
  });
});

describe('a partner token that stops working is one episode for the connection', () => {
  test('two issues meet the refused token: one notification; a new token: one recovery note', async () => {
    const keys = ['ALOY-76', 'ALOY-77'];
    for (const k of keys) await linkedAssigned(k);
    const before = { mail: (await emails('ALOY-76')).length + (await emails('ALOY-77')).length, slack: slack.posts.length };
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'revoked-token');
    try {
      for (const k of keys) await editLocal(k, `${k} edited after the token was revoked`);
      for (const k of keys) assert.equal(await linkState(k), 'failed');
    } finally {
      await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
    }
    const told = [...(await emails('ALOY-76')), ...(await emails('ALOY-77'))].slice(before.mail);
    assert.equal(told.length, 1, JSON.stringify(told.map((m) => m.subject)));
    assert.match(told[0].subject, /cannot sync: the partner site no longer accepts the API token/);
    assert.match(told[0].textBody, /Enter a new API token/);
    assert.equal(slack.posts.length - before.slack, 1);

    const retry = await settingsFn('retryFailed', { scope: 'all' });
    assert.equal(retry.ok, true);
    await sb.idle();
    for (const k of keys) assert.equal(await linkState(k), 'ok');
    const all = [...(await emails('ALOY-76')), ...(await emails('ALOY-77'))].slice(before.mail);
    assert.equal(all.length, 2);
    assert.match(all[1].subject, /Recovered: ALOY-7[67] syncs again: the partner site accepts the API token/);
    assert.equal(slack.posts.length - before.slack, 2);
  });
});

describe('a conflict waiting under manual', () => {
  test('is told once when found, and healed when someone chooses in the panel', async () => {
    const KEY = 'ALOY-78';
    assert.equal((await sb.saveSettings({ conflictPolicy: 'manual', mirrorRoleRestrictedComments: true })).ok, true);
    try {
      const partnerKey = await linkedAssigned(KEY);
      await sb.editSummaryOnBothSides(KEY, partnerKey, { partner: 'Partner words', local: 'Local words' });
      assert.equal(await linkState(KEY), 'conflicted');
      await editLocal(KEY, 'Local words, edited again');
      let mail = await emails(KEY);
      assert.equal(mail.length, 1, JSON.stringify(mail.map((m) => m.subject)));
      assert.equal(mail[0].subject, `[Task sync] ${KEY} has a conflict waiting for a decision`);
      assert.match(mail[0].textBody, /Waiting for a decision: Summary\./);
      const res = await sb.invoke('task-sync-panel', 'resolveConflict', { field: 'summary', choice: 'local' }, { issueKey: KEY });
      assert.equal(res.ok, true, JSON.stringify(res.error));
      await sb.idle();
      mail = await emails(KEY);
      assert.deepEqual(mail.map((m) => m.subject).slice(1), [`[Task sync] Recovered: ${KEY} syncs again: its conflict was settled`]);
      assert.equal(slackAbout(KEY).length, 2);
      assert.equal((await notices('local', KEY)).length, 2);
    } finally {
      await sb.saveSettings({ conflictPolicy: 'newest-wins', mirrorRoleRestrictedComments: true });
    }
  });
});

describe('a Slack that fails never fails the sync', () => {
  test('Slack answering 404, then 500: the other channels still send and the sync goes on', async () => {
    const KEY = 'ALOY-79';
    const partnerKey = await linkedAssigned(KEY);
    slack.status = 404;
    try {
      await withPartnerRefusing(() => editLocal(KEY, 'Edited while Slack is gone'));
      assert.equal(await linkState(KEY), 'failed', 'the failure is the partner\'s, not Slack\'s');
      assert.equal(slackAbout(KEY).length, 1, 'Slack was asked once');
      assert.equal((await emails(KEY)).length, 1, 'the email still went');
      assert.equal((await notices('local', KEY)).length, 1, 'the comment still went');
      slack.status = 500;
      await retryOne(KEY);
      assert.equal(await linkState(KEY), 'ok', 'the sync recovered although Slack answered 500');
      assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Edited while Slack is gone');
      assert.equal((await emails(KEY)).length, 2);
      assert.equal(slackAbout(KEY).length, 2, 'the recovery note was tried once, not retried in a loop');
      const { failures } = (await settingsFn('getNotifications', { connectionId })).data;
      assert.deepEqual(failures.map((f: any) => [f.channel, f.issueKey]), [['slack', KEY]], 'the settings page says which channel failed');
      assert.match(failures[0].message, /^Slack answered 500 \(rollup_error\)\.$/);
    } finally {
      slack.status = 200;
    }
  });

  test('Slack unreachable: said in words, the other channels send, the sync heals; Slack sending again clears it', async () => {
    const KEY = 'ALOY-82';
    const partnerKey = await linkedAssigned(KEY);
    await slack.stop();
    try {
      await withPartnerRefusing(() => editLocal(KEY, 'Edited while Slack is unreachable'));
      assert.equal(await linkState(KEY), 'failed');
      assert.equal((await emails(KEY)).length, 1, 'the email still went');
      assert.equal((await notices('local', KEY)).length, 1, 'the comment still went');
      await retryOne(KEY);
      assert.equal(await linkState(KEY), 'ok', 'the sync healed although Slack cannot be reached');
      assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Edited while Slack is unreachable');
      const { failures } = (await settingsFn('getNotifications', { connectionId })).data;
      assert.deepEqual(failures.map((f: any) => f.channel), ['slack']);
      assert.match(failures[0].message, /^Slack could not be reached \(.+\)\.$/);
    } finally {
      await slack.start(sb.cfg);
    }
    const test = await settingsFn('sendTestNotification', { connectionId, issueKey: KEY });
    assert.deepEqual(test.data.sent, ['email', 'slack', 'comment']);
    assert.deepEqual((await settingsFn('getNotifications', { connectionId })).data.failures, [], 'a channel that sends again has no failure to show');
  });
});

describe('daily digest', () => {
  test('Slack gets one message a day with what happened, and nothing when nothing did', async () => {
    const KEY = 'ALOY-80';
    const saved = await settingsFn('saveNotifications', { connectionId, settings: { ...ALL_ON, slack: { enabled: true, digest: true } } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    await linkedAssigned(KEY);
    await withPartnerRefusing(() => editLocal(KEY, 'Edited before the digest'));
    await retryOne(KEY);
    assert.equal(slackAbout(KEY).length, 0, 'nothing is posted at once');
    assert.equal((await emails(KEY)).length, 2, 'email is per issue, unaffected by the digest');
    const runDigest = async () => {
      const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/reconcile`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'notify-digest-schedule' }) });
      assert.equal(res.status, 200, await res.text());
      await sb.idle();
    };
    const before = slack.posts.length;
    await runDigest();
    assert.equal(slack.posts.length - before, 1);
    const digest = slack.texts().at(-1)!;
    assert.match(digest, /^\*Task sync daily digest for ALOY ↔ partner\.atlassian\.net · PARTNER: 2 changes\*\n/);
    assert.match(digest, /ALOY-80 stopped syncing/);
    assert.match(digest, /Recovered: ALOY-80 syncs again/);
    await runDigest();
    assert.equal(slack.posts.length - before, 1, 'an empty digest is not sent');

    // Slack failing at digest time: the lines wait for the next day, and the page says why.
    await withPartnerRefusing(() => editLocal(KEY, 'Edited before a failed digest'));
    slack.status = 500;
    try {
      await runDigest();
    } finally {
      slack.status = 200;
    }
    assert.equal(slack.posts.length - before, 2, 'Slack was asked once');
    const { failures } = (await settingsFn('getNotifications', { connectionId })).data;
    assert.deepEqual(failures.filter((f: any) => f.channel === 'slack').map((f: any) => [f.issueKey, f.message]), [[null, 'Slack answered 500 (rollup_error).']]);
    await runDigest();
    assert.equal(slack.posts.length - before, 3);
    assert.match(slack.texts().at(-1)!, /: 1 change\*\n.*ALOY-80 stopped syncing/s, 'the kept line went the next day');
    assert.equal((await settingsFn('getNotifications', { connectionId })).data.failures.some((f: any) => f.channel === 'slack'), false, 'and Slack\'s failure is gone');
    await retryOne(KEY);
  });
});

describe('Send a test notification', () => {
  test('sends on every channel that is on, about a linked issue or the one named', async () => {
    await settingsFn('saveNotifications', { connectionId, settings: ALL_ON });
    const res = await settingsFn('sendTestNotification', { connectionId, issueKey: 'ALOY-81' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.deepEqual(res.data, { issueKey: 'ALOY-81', sent: ['email', 'slack', 'comment'], failed: [] });
    assert.match((await emails('ALOY-81'))[0].subject, /Test notification/);
    assert.equal(slackAbout('ALOY-81').length, 1);
    const other = await settingsFn('sendTestNotification', { connectionId, issueKey: 'PARTNER-1' });
    assert.equal(other.ok, false);
    assert.match(other.error.message, /is not an issue of project ALOY/);
  });

  test('email to the assignee of an unassigned issue is refused in words before Jira is asked; the rest still go', async () => {
    assert.equal((await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-86', { fields: { assignee: null } })).status, 204);
    const only = await settingsFn('saveNotifications', { connectionId, settings: { ...ALL_ON, email: { assignee: true, watchers: false, projectAdmins: false } } });
    assert.equal(only.ok, true, JSON.stringify(only.error));
    try {
      const before = (await emails('ALOY-86')).length;
      const res = await settingsFn('sendTestNotification', { connectionId, issueKey: 'ALOY-86' });
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.deepEqual(res.data.sent, ['slack', 'comment']);
      assert.deepEqual(res.data.failed.map((f: any) => f.channel), ['email']);
      assert.equal(res.data.failed[0].message, 'Nobody to email: the issue has no assignee. Choose watchers or another recipient.');
      assert.equal((await emails('ALOY-86')).length, before);
    } finally {
      assert.equal((await settingsFn('saveNotifications', { connectionId, settings: ALL_ON })).ok, true);
    }
  });

  test('a Slack failure is reported per channel in words', async () => {
    slack.status = 404;
    try {
      const res = await settingsFn('sendTestNotification', { connectionId, issueKey: 'ALOY-81' });
      assert.equal(res.ok, true);
      assert.deepEqual(res.data.sent, ['email', 'comment']);
      assert.equal(res.data.failed[0].channel, 'slack');
      assert.match(res.data.failed[0].message, /Slack answered 404 \(no_service\)\. The webhook was removed/);
    } finally {
      slack.status = 200;
    }
  });
});

describe('scopes', () => {
  test('every Jira call the notifications made is covered by the manifest\'s scopes, as the spec lists them', async () => {
    const { grantedScopes, calls } = (await (await fetch(`${sb.cfg.hostUrl}/__sandbox/scopes`)).json()) as { grantedScopes: string[]; calls: Array<{ method: string; path: string; acceptedScopes: string[][]; allowed: boolean }> };
    const used = (method: string, path: string) => calls.find((c) => c.method === method && c.path === path);
    for (const [method, path] of [['POST', '/rest/api/3/issue/{issueIdOrKey}/notify'], ['POST', '/rest/api/3/issue/{issueIdOrKey}/comment'], ['GET', '/rest/api/3/project/{projectIdOrKey}/role'], ['GET', '/rest/api/3/project/{projectIdOrKey}/role/{id}']]) {
      const call = used(method, path);
      assert.ok(call, `the notifications called ${method} ${path}`);
      assert.equal(call.allowed, true, `${method} ${path} needs one of ${JSON.stringify(call.acceptedScopes)}; granted ${grantedScopes}`);
    }
    assert.ok(used('POST', '/rest/api/3/issue/{issueIdOrKey}/notify')!.acceptedScopes.some((g) => g.length === 1 && g[0] === 'write:jira-work'), 'notify is a write:jira-work call');
    assert.equal(calls.every((c) => c.allowed), true, JSON.stringify(calls.filter((c) => !c.allowed)));
  });
});
