/**
 * Bad input gets a clear error and changes nothing: forged webhooks, wrong credentials, an unknown partner,
 * malformed resolver payloads, callers without permission, a deleted issue.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { defaultSettings } from '../../sandbox/start';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(18800);
const admin = { projectKey: 'ALOY' };
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

/** The web trigger URL the app registered on the partner (read back from the partner's webhook list). */
async function registeredWebhookUrl(): Promise<string> {
  const hooks = await sb.rest('partner', 'GET', '/rest/webhooks/1.0/webhook');
  assert.equal(hooks.status, 200);
  assert.equal(hooks.body.length, 1, 'exactly one webhook registered by saving the settings');
  return hooks.body[0].url;
}

describe('partner webhooks', () => {
  test('a webhook with a forged signature is rejected, logged, and changes nothing', async () => {
    const view = await sb.enableSync('ALOY-253');
    await sb.idle();
    const before = await sb.issue('local', 'ALOY-253');
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: view.link.partnerIssueId, key: view.link.partnerIssueKey, fields: { summary: 'forged' } } });
    const res = await fetch(await registeredWebhookUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}` },
      body,
    });
    assert.equal(res.status, 401);
    await sb.idle();
    const after = await sb.issue('local', 'ALOY-253');
    assert.deepEqual(after.fields, before.fields);
    const entry = (await sb.log()).find((e) => e.outcome === 'rejected');
    assert.ok(entry, 'a rejected entry in the sync log');
    assert.match(entry.message, /X-Hub-Signature/);
  });

  test('an unsigned webhook is rejected the same way', async () => {
    const res = await fetch(await registeredWebhookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"webhookEvent":"jira:issue_updated"}' });
    assert.equal(res.status, 401);
  });
});

describe('settings', () => {
  test('Test connection with a wrong API token says the partner rejected the credentials', async () => {
    const res = await sb.invoke('task-sync-settings', 'testConnection', { ...defaultSettings(sb.cfg), apiToken: 'wrong-token' }, admin);
    assert.equal(res.ok, true);
    assert.equal(res.data.ok, false);
    assert.equal(res.data.steps[0].ok, false);
    assert.match(res.data.steps[0].message, /401/);
    assert.match(res.data.steps[0].message, /API token/);
  });

  test('Test connection names a partner project that does not exist', async () => {
    const res = await sb.invoke('task-sync-settings', 'testConnection', { ...defaultSettings(sb.cfg), partnerProjectKey: 'NOPE' }, admin);
    assert.equal(res.data.ok, false);
    const failed = res.data.steps.find((s: any) => !s.ok);
    assert.match(failed.name, /NOPE/);
  });

  test('saving with a wrong API token fails and keeps the working settings', async () => {
    const res = await sb.invoke('task-sync-settings', 'saveConnection', { ...defaultSettings(sb.cfg), apiToken: 'wrong-token' }, admin);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'partner-auth');
    const current = await sb.invoke('task-sync-settings', 'listConnections', {}, admin);
    assert.equal(current.data.connections[0].configured, true);
    assert.equal(current.data.connections[0].apiTokenSet, true);
  });

  test('a partner URL outside *.atlassian.net is refused with a clear message', async () => {
    const res = await sb.invoke('task-sync-settings', 'saveConnection', { ...defaultSettings(sb.cfg), partnerUrl: 'https://evil.example.com' }, admin);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'invalid-input');
    assert.match(res.error.message, /atlassian\.net/);
  });

  test('an unreachable partner site is reported as such', async () => {
    const res = await sb.invoke('task-sync-settings', 'testConnection', { ...defaultSettings(sb.cfg), partnerUrl: 'https://nobody-here.atlassian.net' }, admin);
    assert.equal(res.data.ok, false);
    assert.match(res.data.steps[0].message, /Could not reach/);
  });

  test('no resolver response contains the API token', async () => {
    const responses = [
      await sb.invoke('task-sync-settings', 'listConnections', {}, admin),
      await sb.invoke('task-sync-settings', 'getSyncLog', {}, admin),
      await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-253' }),
    ];
    for (const r of responses) assert.equal(JSON.stringify(r).includes(sb.cfg.partner.admin.apiToken), false);
  });

  test('a user who does not administer the project cannot read the settings or the log', async () => {
    const me = await sb.rest('local', 'GET', '/rest/api/3/myself', undefined, { email: 'user@local.example', apiToken: 'user-token' });
    assert.equal(me.status, 200, 'the sandbox has a non-admin user');
    const { accountId } = me.body;
    for (const fn of ['listConnections', 'getSyncLog']) {
      const res = await sb.invoke('task-sync-settings', fn, {}, { projectKey: 'ALOY', accountId });
      assert.equal(res.ok, false, `${fn} must refuse a non-admin`);
      assert.equal(res.error.code, 'forbidden');
    }
  });
});

describe('revoked partner token', () => {
  test('a job that meets a revoked API token fails with a clear log entry and changes nothing on either side', async () => {
    const view = await sb.enableSync('ALOY-265');
    await sb.idle();
    const partnerBefore = await sb.issue('partner', view.link.partnerIssueKey);
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'rotated-token');
    try {
      await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-265', { fields: { summary: 'Edited after the token was revoked' } });
      await sb.idle();
      const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-265' && e.outcome === 'failed');
      assert.ok(entry, 'a failed entry for ALOY-265');
      assert.match(entry.message, /401/);
      assert.match(entry.message, /API token/);
      const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-265' });
      assert.equal(panel.data.link.state, 'failed');
      const partnerAfter = await sb.rest('partner', 'GET', `/rest/api/3/issue/${view.link.partnerIssueKey}?fields=summary`, undefined, { email: sb.cfg.partner.admin.email, apiToken: 'rotated-token' });
      assert.equal(partnerAfter.body.fields.summary, partnerBefore.fields.summary);
    } finally {
      await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
    }
  });
});

describe('partner timeout on create', () => {
  test('a confirm whose partner create timed out after committing leaves one partner issue, found by the next confirm', async () => {
    const local = await sb.issue('local', 'ALOY-293');
    await sb.faults('partner', { timeoutRate: 1, timeoutHoldMs: 100 });
    let first;
    try {
      first = await sb.invoke('task-sync-panel', 'enableSync', { confirmed: true }, { issueKey: 'ALOY-293' });
    } finally {
      await sb.faults('partner', null);
    }
    assert.equal(first.ok, false, 'the user is told the partner did not answer');
    assert.match(first.error.message, /Could not reach the partner/);

    const second = await sb.enableSync('ALOY-293');
    await sb.idle();
    const copies = await sb.rest('partner', 'POST', '/rest/api/3/search/jql', { jql: 'project = PARTNER ORDER BY created DESC', fields: ['summary'], maxResults: 100 });
    const same = copies.body.issues.filter((i: any) => i.fields.summary === local.fields.summary.trim());
    assert.equal(same.length, 1, `one partner copy of ALOY-293, saw ${same.map((i: any) => i.key).join(', ')}`);
    assert.equal(second.link.partnerIssueKey, same[0].key);
    assert.ok((await sb.log()).some((e) => e.localIssueKey === 'ALOY-293' && /earlier attempt that timed out/.test(e.message)));
  });
});

describe('panel', () => {
  test('enableSync without confirmation is refused and creates nothing', async () => {
    const res = await sb.invoke('task-sync-panel', 'enableSync', {}, { issueKey: 'ALOY-258' });
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'invalid-input');
    const view = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-258' });
    assert.equal(view.data.link, null);
  });

  test('a project without settings says so in the panel', async () => {
    const res = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'DAEMON-1' });
    assert.equal(res.ok, true);
    assert.equal(res.data.partner, null);
  });
});

describe('deleted issues', () => {
  test('deleting the partner issue breaks the link, logs it, and leaves the local issue alone', async () => {
    const view = await sb.enableSync('ALOY-262');
    await sb.idle();
    const before = await sb.issue('local', 'ALOY-262');
    const del = await sb.rest('partner', 'DELETE', `/rest/api/3/issue/${view.link.partnerIssueKey}`);
    assert.equal(del.status, 204);
    await sb.idle();
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-262' });
    assert.equal(panel.data.link.state, 'broken');
    assert.match(panel.data.link.lastError, /deleted on the partner/);
    assert.deepEqual((await sb.issue('local', 'ALOY-262')).fields, before.fields);
    assert.ok((await sb.log()).some((e) => e.outcome === 'broken' && e.localIssueKey === 'ALOY-262'));
  });
});

describe('workflow', () => {
  test('a status the partner workflow cannot reach is logged with the available transitions, and the rest still syncs', async () => {
    const view = await sb.enableSync('ALOY-142');
    await sb.idle();
    const partnerKey = view.link.partnerIssueKey;
    assert.equal((await sb.issue('partner', partnerKey)).fields.status.name, 'Open');
    // The partner's webhook is lost for a while (an admin deleted it): the partner closes the issue unseen.
    const hooks = await sb.rest('partner', 'GET', '/rest/webhooks/1.0/webhook');
    for (const h of hooks.body) await sb.rest('partner', 'DELETE', `/rest/webhooks/1.0/webhook/${String(h.self).split('/').pop()}`);
    await sb.transition('partner', partnerKey, 'Closed');
    await sb.idle();
    // Then the local side starts work: both changed the status, newest wins (local), but Closed → Working does
    // not exist on the partner. A later summary edit must still go through.
    await sb.transition('local', 'ALOY-142', 'In Progress');
    await sb.idle();
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-142', { fields: { summary: 'Started locally' } });
    await sb.idle();

    const partner = await sb.issue('partner', partnerKey);
    assert.equal(partner.fields.summary, 'Started locally', 'the summary still synced');
    assert.equal(partner.fields.status.name, 'Closed', 'the status could not move');
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-142' && e.outcome === 'failed');
    assert.ok(entry, 'a failed entry for ALOY-142');
    assert.match(entry.message, /No transition to "Working"/);
    assert.match(entry.message, /Available: Reopen → Open/);
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-142' });
    assert.equal(panel.data.link.state, 'failed');

    // Saving the settings again re-registers the webhook for the rest of this file.
    const saved = await sb.invoke('task-sync-settings', 'saveConnection', defaultSettings(sb.cfg), admin);
    assert.equal(saved.ok, true);
  });
});
