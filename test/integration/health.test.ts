/**
 * Health metrics through real runs: every logged sync job adds to its connection's hourly aggregate (runs, synced,
 * failures, latency samples from the queued event's `receivedAt`), the partner's 429s are counted as the emulator
 * sent them, and the admin page's resolvers list every connection of the site to Jira admins only.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { LOCAL_USER } from '../../sandbox/jira/users';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20500);
const ALOY = { projectKey: 'ALOY' };
const RUN_OUTCOMES = new Set(['created', 'synced', 'no-change', 'conflict', 'resolved', 'failed', 'rejected', 'broken']);
let nonAdmin = '';

const health = async () => {
  const res = await sb.invoke('task-sync-settings', 'getHealth', {}, ALOY);
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return res.data;
};

before(async () => {
  await sb.start({ clock: 'manual' });
  nonAdmin = (await sb.rest('local', 'GET', '/rest/api/3/myself', undefined, { email: LOCAL_USER.email, apiToken: LOCAL_USER.apiToken })).body.accountId;
});
after(async () => {
  await sb.stop();
});

describe('metrics from real runs', () => {
  test('every logged run counts in the connection’s hour: runs and synced match the sync log, edits have latency', async () => {
    const keys = ['ALOY-321', 'ALOY-328'];
    const partnerKeys = [];
    for (const key of keys) partnerKeys.push((await sb.enableSync(key)).link.partnerIssueKey);
    await sb.idle();
    for (const key of keys) await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `${key} edited for health` } });
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKeys[0]}`, { fields: { summary: 'partner edit for health' } });
    await sb.idle();

    const log = (await sb.log()).filter((e) => RUN_OUTCOMES.has(e.outcome));
    const view = await health();
    assert.equal(view.day.points.length, 24);
    assert.equal(view.week.points.length, 168);
    assert.equal(view.day.total.runs, log.length, `runs counted ${view.day.total.runs}, log has ${log.length} run entries`);
    assert.equal(view.day.total.synced, log.filter((e) => ['created', 'synced', 'resolved'].includes(e.outcome)).length);
    assert.equal(view.day.total.failures, 0);
    // The two local edits and the partner edit went through the queue with receivedAt: each is a latency sample.
    const queued = log.filter((e) => e.timings?.receivedAt).length;
    assert.ok(queued >= 3, `log entries with timings.receivedAt: ${queued}`);
    assert.equal(view.day.total.samples, queued);
    assert.ok(view.day.total.p50Ms !== null && view.day.total.p95Ms! >= view.day.total.p50Ms!, JSON.stringify(view.day.total));
    assert.deepEqual(view.week.total.runs, view.day.total.runs, 'the week includes the day');
    assert.equal(view.day.points.at(-1).hour, new Date(Math.floor(Date.parse(view.at) / 3_600_000) * 3_600_000).toISOString());
  });

  test('429s the partner sends are all counted, and the run that fails after its retries counts as a failure', async () => {
    const before = await health();
    await sb.resetStats('partner');
    await sb.faults('partner', { errorRate: 1, errorStatus: [429] });
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-321', { fields: { summary: 'edited while the partner rate-limits' } });
    await sb.idle();
    for (let i = 0; i < 8; i++) {
      await sb.advanceClock(30_000); // the queue's retries after 5, 10, 20, 40 s
      await sb.idle();
    }
    const fired = (await sb.stats('partner')).faults.error;
    await sb.faults('partner', null);
    const after = await health();
    assert.ok(fired >= 5, `429s sent by the partner: ${fired}`);
    assert.equal(after.week.total.rateLimitHits - before.week.total.rateLimitHits, fired, 'every 429 the partner sent is counted once');
    assert.equal(after.week.total.failures - before.week.total.failures, 1, 'one failed run after the last retry');
    const failed = await sb.invoke('task-sync-settings', 'getFailedLinks', {}, ALOY);
    assert.match(failed.data.failed[0].message, /429/);
  });

  test('a connection id the project does not have is refused in words', async () => {
    const res = await sb.invoke('task-sync-settings', 'getHealth', { connectionId: 'c-nope' }, ALOY);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'not-found');
    assert.match(res.error.message, /no connection c-nope/);
  });
});

describe('admin page resolvers', () => {
  test('every connection of the site is listed with its links, failures, checks and 429s', async () => {
    const saved = await sb.invoke('task-sync-settings', 'saveConnection', { partnerUrl: 'https://partner.atlassian.net', email: sb.cfg.partner.admin.email, apiToken: sb.cfg.partner.admin.apiToken, partnerProjectKey: 'OPS' }, { projectKey: 'DAEMON' });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const res = await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {});
    assert.equal(res.ok, true, JSON.stringify(res.error));
    const rows = res.data.connections;
    assert.deepEqual(rows.map((r: any) => `${r.projectKey} → ${r.partnerProjectKey}`), ['ALOY → PARTNER', 'DAEMON → OPS']);
    const [aloy, daemon] = rows;
    assert.equal(aloy.links, 2);
    assert.equal(aloy.failing, 1);
    assert.ok(aloy.lastSyncAt);
    assert.equal(aloy.token.state, 'valid');
    assert.match(aloy.token.message, /^Checked now/);
    assert.equal(aloy.webhook.state, 'registered');
    assert.ok(aloy.rateLimitHits.week >= 5);
    assert.match(aloy.settingsPath, /^\/jira\/software\/projects\/ALOY\/settings\/apps\/[0-9a-f-]+\/[^/]+$/);
    assert.deepEqual([daemon.links, daemon.failing, daemon.conflictsWaiting, daemon.lastSyncAt, daemon.rateLimitHits.week], [0, 0, 0, null, 0]);
  });

  test('a revoked partner token shows as invalid, checked now', async () => {
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'rotated-token');
    try {
      const res = await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {});
      const aloy = res.data.connections.find((r: any) => r.projectKey === 'ALOY');
      assert.equal(aloy.token.state, 'invalid');
      assert.match(aloy.token.message, /401/);
      assert.equal(aloy.webhook.state, 'unknown');
    } finally {
      await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
    }
  });

  test('a webhook deleted on the partner shows as missing, checked now, with what to do', async () => {
    const rows = (await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {})).data.connections;
    const daemon = rows.find((r: any) => r.projectKey === 'DAEMON');
    assert.equal(daemon.webhook.state, 'registered');
    const id = daemon.webhook.message.match(/webhook (\d+)/)[1];
    const del = await sb.rest('partner', 'DELETE', `/rest/webhooks/1.0/webhook/${id}`);
    assert.ok(del.status < 300, `the partner answered ${del.status} to the delete`);
    const again = (await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {})).data.connections;
    const after = again.find((r: any) => r.projectKey === 'DAEMON');
    assert.equal(after.webhook.state, 'missing');
    assert.equal(after.webhook.message, `Checked now: the partner no longer lists webhook ${id}. Save the settings again to register it.`);
    assert.equal(again.find((r: any) => r.projectKey === 'ALOY').webhook.state, 'registered', 'the other connection’s webhook is still there');
  });

  test('retry all failed syncs of one connection queues exactly its failed links, and they heal', async () => {
    const list = (await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {})).data.connections;
    const aloy = list.find((r: any) => r.projectKey === 'ALOY');
    const res = await sb.invoke('task-sync-admin', 'retryConnectionFailures', { projectKey: 'ALOY', connectionId: aloy.connectionId }, {});
    assert.deepEqual(res, { ok: true, data: { queued: 1 } });
    await sb.idle();
    const partner = await sb.issue('partner', (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-321' })).data.link.partnerIssueKey);
    assert.equal(partner.fields.summary, 'edited while the partner rate-limits');
    const again = (await sb.invoke('task-sync-admin', 'getSiteHealth', {}, {})).data.connections.find((r: any) => r.projectKey === 'ALOY');
    assert.equal(again.failing, 0);
  });

  test('bad input and non-admins are refused with words and change nothing', async () => {
    const bad = await sb.invoke('task-sync-admin', 'retryConnectionFailures', { projectKey: 'aloy', connectionId: 'x y' }, {});
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'invalid-input');
    assert.match(bad.error.message, /projectKey: Project key must be/);
    for (const fn of ['getSiteHealth', 'retryConnectionFailures'] as const) {
      const res = await sb.invoke('task-sync-admin', fn, { projectKey: 'ALOY', connectionId: 'legacy-ALOY' }, { accountId: nonAdmin });
      assert.equal(res.ok, false, `${fn} must refuse a non-admin`);
      assert.equal(res.error.code, 'forbidden');
      assert.match(res.error.message, /Only Jira administrators/);
    }
    const charts = await sb.invoke('task-sync-settings', 'getHealth', {}, { ...ALOY, accountId: nonAdmin });
    assert.equal(charts.error.code, 'forbidden');
  });
});

describe('sandbox pages at Jira’s URLs', () => {
  test('the admin page and the project settings page answer at the URLs Jira builds; another app id is a 404', async () => {
    const appId = '6a1f3c52-8d0e-4b7a-9c1e-2f5d7b9e4a10';
    const admin = await fetch(`${sb.cfg.hostUrl}/jira/settings/apps/${appId}/sandbox`);
    assert.equal(admin.status, 200);
    assert.match(await admin.text(), /<iframe data-forge src="\/resources\/admin\/index\.html\?moduleKey=task-sync-admin/);
    const settings = await fetch(`${sb.cfg.hostUrl}/jira/software/projects/ALOY/settings/apps/${appId}/sandbox`, { redirect: 'manual' });
    assert.equal(settings.status, 302);
    assert.equal(settings.headers.get('location'), '/project-settings/ALOY');
    const other = await fetch(`${sb.cfg.hostUrl}/jira/settings/apps/00000000-0000-0000-0000-000000000000/sandbox`);
    assert.equal(other.status, 404);
    assert.match(await other.text(), /No app 00000000-0000-0000-0000-000000000000 is installed/);
    // Without useAsConfig / useAsGetStarted in the manifest, Jira builds neither the configure nor the get-started URL.
    for (const kind of ['configure', 'get-started']) {
      const res = await fetch(`${sb.cfg.hostUrl}/jira/settings/apps/${kind}/${appId}/sandbox`);
      assert.equal(res.status, 404, kind);
      assert.match(await res.text(), /no Jira admin page at \/jira\/settings\/apps\/(configure|get-started)\/… \(manifest: jira:adminPage task-sync-admin is at \/jira\/settings\/apps\/…\)/);
    }
  });

  test('Jira settings are for Jira admins only: anyone else gets Jira’s no-access page and the app is not framed', async () => {
    const refused = await fetch(`${sb.cfg.hostUrl}/jira/settings/apps/6a1f3c52-8d0e-4b7a-9c1e-2f5d7b9e4a10/sandbox?as=${nonAdmin}`);
    assert.equal(refused.status, 403);
    const html = await refused.text();
    assert.match(html, /You don’t have access to this page/);
    assert.match(html, /only for Jira administrators/);
    assert.doesNotMatch(html, /<iframe/);
    const admin = await fetch(`${sb.cfg.hostUrl}/admin/task-sync?as=${sb.cfg.local.admin.accountId}`);
    assert.equal(admin.status, 200);
    const page = await admin.text();
    assert.match(page, /<iframe data-forge src="\/resources\/admin\/index\.html\?moduleKey=task-sync-admin/);
    assert.ok(page.includes(`accountId=${encodeURIComponent(sb.cfg.local.admin.accountId)}`), 'the frame acts as the viewer');
  });
});
