/**
 * Notification episodes on the Forge host's virtual clock (issue 11, "Once per episode"): a sync that keeps
 * failing with a retryable 503 is told only after its last queue retry, never during the retries, never again when
 * the scheduled reconcile retries it and fails, nor after a Forge host restart (the episode lives in KVS); it heals
 * with one recovery note per channel. Jobs of two issues that fail at the same moment with the same refused token,
 * or with the daily digest on, neither tell twice nor lose a digest line. Jira refusing the email (outgoing mail off)
 * is said on the settings page while Slack and the comment still go.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { LOCAL_USER } from '../../sandbox/jira/users';
import { NOTICE_MARKER } from '../../src/sync/notify-text';
import { adfText, TestSandbox } from '../support/sandbox';
import { SlackReceiver } from '../support/slack-receiver';

const sb = new TestSandbox(26100);
const slack = new SlackReceiver(sb.cfg.basePort + 5);
const SLACK_URL = 'https://hooks.slack.com/services/T0TASKSYNC/B0EPISODE/episodeWebhookToken7';
const admin = { projectKey: 'ALOY' };
const ALL_ON = {
  email: { assignee: true, watchers: false, projectAdmins: true },
  slack: { enabled: true, digest: false },
  comment: { enabled: true, role: 'Developers' },
};
let connectionId = '';

const settingsFn = (fn: string, payload: unknown) => sb.invoke('task-sync-settings', fn, payload, admin);

before(async () => {
  await slack.start(sb.cfg);
  await sb.start({ clock: 'manual' });
  const saved = await sb.saveSettings();
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  connectionId = saved.data.id;
  const notify = await settingsFn('saveNotifications', { connectionId, settings: ALL_ON, slackWebhookUrl: SLACK_URL });
  assert.equal(notify.ok, true, JSON.stringify(notify.error));
});
after(async () => {
  await sb.stop();
  await slack.stop();
});

async function emails(issueKey: string): Promise<Array<{ subject: string; textBody: string }>> {
  return ((await (await fetch(`${sb.cfg.local.url}/__sandbox/emails?issueKey=${issueKey}`)).json()) as { emails: any[] }).emails;
}
const notices = async (key: string) => (await sb.comments('local', key)).filter((c) => adfText(c.body).includes(NOTICE_MARKER));
const slackAbout = (key: string) => slack.texts().filter((t) => t.includes(`|${key}>`));
const linkOf = async (key: string) => (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key })).data.link;

/** What each channel has said about `key`: email subjects, Slack lines, internal comment count. */
async function told(key: string): Promise<{ email: string[]; slack: number; comments: number }> {
  return { email: (await emails(key)).map((m) => m.subject), slack: slackAbout(key).length, comments: (await notices(key)).length };
}

async function linkedAssigned(key: string): Promise<string> {
  const res = await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { assignee: { accountId: LOCAL_USER.accountId } } });
  assert.equal(res.status, 204, JSON.stringify(res.body));
  return sb.linked(key);
}

async function editLocal(key: string, summary: string): Promise<void> {
  const res = await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  assert.equal(res.status, 204, JSON.stringify(res.body));
}

/** Moves the virtual clock forward a minute at a time, letting every job that falls due run. */
async function minutes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await sb.advanceClock(60_000);
    await sb.idle();
  }
}

describe('a sync that keeps failing with a retryable 503', () => {
  const KEY = 'ALOY-82';
  const FAILED = `[Task sync] ${KEY} stopped syncing`;
  const RECOVERED = `[Task sync] Recovered: ${KEY} syncs again`;

  test('tells nobody while the queue retries it, then exactly once on each channel after the last retry', async () => {
    await linkedAssigned(KEY);
    await sb.idle();
    await sb.faults('partner', { errorRate: 1, errorStatus: [503] });
    await editLocal(KEY, 'Edited while the partner answers 503');
    await sb.idle();
    assert.notEqual((await linkOf(KEY)).state, 'failed', 'the first attempt failed: the job waits for a retry');
    assert.deepEqual(await told(KEY), { email: [], slack: 0, comments: 0 }, 'nothing is told while retries are left');
    const retrying = (await sb.log()).filter((e) => e.localIssueKey === KEY && e.outcome === 'retrying');
    assert.ok(retrying.length >= 1, 'the retry is in the sync log');

    await minutes(3); // 4 queue retries after about 5, 10, 20 and 40 s (with jitter)
    const link = await linkOf(KEY);
    assert.equal(link.state, 'failed');
    assert.equal((await sb.log()).filter((e) => e.localIssueKey === KEY && e.outcome === 'retrying').length, 4, 'four queue retries ran first');
    const now = await told(KEY);
    assert.deepEqual(now, { email: [FAILED], slack: 1, comments: 1 });
    assert.match((await emails(KEY))[0].textBody, /503/);
  });

  test('the scheduled reconcile retrying and failing again tells nothing more, before or after a host restart', async () => {
    await minutes(6); // reconcile (every 5 minutes) retries the failed link once
    const runs = (await sb.log()).filter((e) => e.localIssueKey === KEY && e.outcome === 'failed');
    assert.ok(runs.length >= 2, `reconcile ran the failed link again: ${runs.length} failed runs`);
    assert.deepEqual(await told(KEY), { email: [FAILED], slack: 1, comments: 1 });

    await sb.running.restartHost();
    await minutes(11); // the next reconcile after the cooldown, on the restarted host
    const after = (await sb.log()).filter((e) => e.localIssueKey === KEY && e.outcome === 'failed');
    assert.ok(after.length > runs.length, `the restarted host retried it too: ${after.length} failed runs`);
    assert.deepEqual(await told(KEY), { email: [FAILED], slack: 1, comments: 1 }, 'the episode survived the restart: nothing told again');
  });

  test('once the partner answers again, one recovery note per channel', async () => {
    await sb.faults('partner', null);
    await minutes(25); // the next reconcile after the failed-link cooldown
    assert.equal((await linkOf(KEY)).state, 'ok');
    assert.deepEqual(await told(KEY), { email: [FAILED, RECOVERED], slack: 2, comments: 2 });
    assert.match(slackAbout(KEY)[1], /Recovered: ALOY-82 syncs again/);
  });
});

describe('jobs that fail at the same moment', () => {
  // Forge's KVS answers over the network in tens of ms; the sandbox's answers at once, which would hide a
  // read-then-write race between the two jobs. Slow down the area's records as a real round trip would.
  before(async () => {
    await sb.kvsFaults({ keyPrefix: 'notify-', latencyMs: 150 });
  });
  after(async () => {
    await sb.kvsFaults(null);
  });

  test('two issues meeting the same refused token at once send one notification, and one recovery note', async () => {
    const keys = ['ALOY-83', 'ALOY-84'];
    for (const k of keys) await linkedAssigned(k);
    await sb.idle();
    const before = { slack: slack.posts.length };
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'revoked-at-once');
    try {
      await Promise.all(keys.map((k) => editLocal(k, `${k} edited after the token was revoked`)));
      await sb.idle();
      for (const k of keys) assert.equal((await linkOf(k)).state, 'failed');
    } finally {
      await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
    }
    const mail = [...(await emails(keys[0])), ...(await emails(keys[1]))];
    assert.equal(mail.length, 1, `one email for the connection: ${JSON.stringify(mail.map((m) => m.subject))}`);
    assert.match(mail[0].subject, /no longer accepts the API token/);
    assert.equal(slack.posts.length - before.slack, 1, 'one Slack message');
    assert.equal((await notices(keys[0])).length + (await notices(keys[1])).length, 1, 'one internal comment');

    const retry = await settingsFn('retryFailed', { scope: 'all' });
    assert.equal(retry.ok, true, JSON.stringify(retry.error));
    await sb.idle();
    for (const k of keys) assert.equal((await linkOf(k)).state, 'ok');
    const all = [...(await emails(keys[0])), ...(await emails(keys[1]))];
    assert.equal(all.length, 2, JSON.stringify(all.map((m) => m.subject)));
    assert.equal(slack.posts.length - before.slack, 2);
  });

  test('with the daily digest on, two issues failing at once both reach the digest', async () => {
    const keys = ['ALOY-91', 'ALOY-93'];
    for (const k of keys) await linkedAssigned(k);
    await sb.idle();
    const saved = await settingsFn('saveNotifications', { connectionId, settings: { ...ALL_ON, slack: { enabled: true, digest: true } } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    await sb.faults('partner', { errorRate: 1, errorStatus: [403] });
    try {
      await Promise.all(keys.map((k) => editLocal(k, `${k} edited while the partner refuses`)));
      await sb.idle();
    } finally {
      await sb.faults('partner', null);
    }
    for (const k of keys) assert.equal((await linkOf(k)).state, 'failed');
    const before = slack.posts.length;
    const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/reconcile`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'notify-digest-schedule' }) });
    assert.equal(res.status, 200, await res.text());
    await sb.idle();
    assert.equal(slack.posts.length - before, 1, 'one digest message');
    const digest = slack.texts().at(-1)!;
    for (const k of keys) assert.match(digest, new RegExp(`${k} stopped syncing`), `the digest names ${k}`);
  });
});

describe('Jira refusing the notify API never fails the sync', () => {
  test('outgoing mail off: 403 in Jira\'s words on the page, Slack and the comment still go, the sync heals', async () => {
    const KEY = 'ALOY-94';
    assert.equal((await settingsFn('saveNotifications', { connectionId, settings: ALL_ON })).ok, true, 'Slack at once again');
    await linkedAssigned(KEY);
    await sb.idle();
    const outgoing = (enabled: boolean) => fetch(`${sb.cfg.local.url}/__sandbox/emails/outgoing`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ enabled }) });
    assert.equal((await outgoing(false)).status, 200);
    try {
      await sb.faults('partner', { errorRate: 1, errorStatus: [403] });
      try {
        await editLocal(KEY, 'Edited while mail is off');
        await sb.idle();
      } finally {
        await sb.faults('partner', null);
      }
      assert.equal((await linkOf(KEY)).state, 'failed');
      assert.deepEqual(await told(KEY), { email: [], slack: 1, comments: 1 }, 'Jira sent no email; the others went');
      const retry = await settingsFn('retryFailed', { scope: 'one', localIssueKey: KEY });
      assert.equal(retry.ok, true, JSON.stringify(retry.error));
      await sb.idle();
      assert.equal((await linkOf(KEY)).state, 'ok');
      const { failures } = (await settingsFn('getNotifications', { connectionId })).data;
      assert.deepEqual(failures.map((f: any) => [f.channel, f.issueKey]), [['email', KEY]]);
      assert.match(failures[0].message, /answered 403 to POST \/rest\/api\/3\/issue\/\d+\/notify: Outgoing emails are disabled/);
    } finally {
      assert.equal((await outgoing(true)).status, 200);
    }
    const saved = await settingsFn('saveNotifications', { connectionId, settings: { ...ALL_ON, email: { assignee: true, watchers: true, projectAdmins: true } } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    assert.deepEqual(saved.data.failures, [], 'changing the email recipients starts the channel afresh');
  });
});

describe('storage failing under the notifications', () => {
  test('the token episode cannot be written: nothing is told, and the sync fails and heals as it would', async () => {
    const KEY = 'ALOY-95';
    await linkedAssigned(KEY);
    await sb.idle();
    const before = { slack: slack.posts.length, mail: (await emails(KEY)).length };
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'revoked-while-kvs-fails');
    await sb.kvsFaults({ keyPrefix: 'notify-token:', operations: ['set'], errorRate: 1 });
    try {
      await editLocal(KEY, 'Edited while the episode cannot be stored');
      await sb.idle();
      assert.equal((await linkOf(KEY)).state, 'failed', 'the failure is stored as always');
      const failed = (await settingsFn('getFailedLinks', {})).data.failed.find((f: any) => f.localIssueKey === KEY);
      assert.match(failed?.message ?? '', /401/, 'and it is the token\'s');
    } finally {
      await sb.kvsFaults(null);
      await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
    }
    assert.equal((await emails(KEY)).length, before.mail, 'an episode that could not be recorded is not told (it could not be told once only)');
    assert.equal(slack.posts.length, before.slack);
    const retry = await settingsFn('retryFailed', { scope: 'one', localIssueKey: KEY });
    assert.equal(retry.ok, true, JSON.stringify(retry.error));
    await sb.idle();
    assert.equal((await linkOf(KEY)).state, 'ok', 'the sync healed');
    assert.equal((await sb.issue('partner', (await linkOf(KEY)).partnerIssueKey)).fields.summary, 'Edited while the episode cannot be stored');
  });
});
