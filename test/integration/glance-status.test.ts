/**
 * The glance's (and issue context's) status lozenge follows the link: the issue property Jira reads it from is
 * rewritten whenever the link's state changes, through the real handlers, and left alone when nothing changed.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19600);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

const MODULES = ['task-sync-glance', 'task-sync-context'];

/** The status lozenge of each module on a local issue, read back with GET issue property. */
async function lozenges(issueKey: string): Promise<Record<string, unknown>> {
  const { body } = await sb.rest('local', 'GET', `/rest/api/3/issue/${issueKey}/properties`);
  const out: Record<string, unknown> = {};
  for (const moduleKey of MODULES) {
    const key = body.keys.map((k: any) => k.key).find((k: string) => k.startsWith('com.atlassian.jira.issue:') && k.endsWith(`:${moduleKey}:status`));
    assert.ok(key, `${issueKey}: no status property for ${moduleKey}; keys: ${JSON.stringify(body.keys)}`);
    out[moduleKey] = (await sb.rest('local', 'GET', `/rest/api/3/issue/${issueKey}/properties/${key}`)).body.value;
  }
  return out;
}

/** Asserts both modules show `{label, type}`. */
async function shows(issueKey: string, label: string, type: string): Promise<void> {
  const expected = { type: 'lozenge', value: { label, type } };
  assert.deepEqual(await lozenges(issueKey), Object.fromEntries(MODULES.map((m) => [m, expected])));
}

const panel = (fn: string, payload: unknown, issueKey: string) => sb.invoke('task-sync-panel', fn, payload, { issueKey });
const propertyWrites = async () => {
  const { writes } = await sb.stats('local');
  return Object.entries(writes.byRoute as Record<string, number>)
    .filter(([route]) => route.startsWith('PUT ') && route.includes('/properties/'))
    .reduce((n, [, count]) => n + count, 0);
};

describe('the glance and issue context status lozenge', () => {
  let partnerKey = '';

  test('shows the partner key in green once the issue is synced', async () => {
    partnerKey = (await sb.enableSync('ALOY-41')).link.partnerIssueKey;
    await sb.idle();
    await shows('ALOY-41', partnerKey, 'success');
  });

  test('is not written again by a sync that leaves the link as it was', async () => {
    await sb.resetStats('local');
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Partner edit, link stays synced' } });
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-41')).fields.summary, 'Partner edit, link stays synced');
    assert.equal(await propertyWrites(), 0, 'no property write while the lozenge stays the same');
  });

  test('says Paused while paused, and goes back to the partner key on resume', async () => {
    await sb.resetStats('local');
    assert.equal((await panel('setSyncPaused', { paused: true }, 'ALOY-41')).ok, true);
    await shows('ALOY-41', 'Paused', 'default');
    // One per module, plus the indexed `taskSyncLink` property the Partner sync field's JQL reads (field area).
    assert.equal(await propertyWrites(), MODULES.length + 1, 'one property write per module and one of the link property when the lozenge changes');
    assert.equal((await panel('setSyncPaused', { paused: false }, 'ALOY-41')).ok, true);
    await sb.idle();
    await shows('ALOY-41', partnerKey, 'success');
  });

  test('says Failing when the last sync failed, and recovers after Retry', async () => {
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'revoked');
    try {
      await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-41', { fields: { summary: 'Edited while the partner token was revoked' } });
      await sb.idle();
      assert.equal((await panel('getIssueSync', {}, 'ALOY-41')).data.link.state, 'failed');
      await shows('ALOY-41', 'Failing', 'removed');
    } finally {
      await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
    }
    const retry = await sb.invoke('task-sync-settings', 'retryFailed', { scope: 'one', localIssueKey: 'ALOY-41' }, { projectKey: 'ALOY' });
    assert.deepEqual(retry.data, { queued: 1 });
    await sb.idle();
    await shows('ALOY-41', partnerKey, 'success');
  });

  test('says Conflict while a conflict waits for someone to choose', async () => {
    const save = (conflictPolicy: string) => sb.saveSettings({ conflictPolicy });
    assert.equal((await save('manual')).ok, true);
    try {
      await sb.editSummaryOnBothSides('ALOY-41', partnerKey, { partner: 'Partner wording', local: 'Local wording' });
      assert.equal((await panel('getIssueSync', {}, 'ALOY-41')).data.link.state, 'conflicted');
      await shows('ALOY-41', 'Conflict', 'moved');
    } finally {
      assert.equal((await save('newest-wins')).ok, true);
    }
  });

  test('says Broken once the partner issue is deleted', async () => {
    const other = (await sb.enableSync('ALOY-95')).link.partnerIssueKey;
    await sb.idle();
    assert.equal((await sb.rest('partner', 'DELETE', `/rest/api/3/issue/${other}`)).status, 204);
    await sb.idle();
    assert.equal((await panel('getIssueSync', {}, 'ALOY-95')).data.link.state, 'broken');
    await shows('ALOY-95', 'Broken', 'removed');
  });

  test('says Not synced after unlinking', async () => {
    assert.equal((await panel('unlinkIssue', { confirmed: true }, 'ALOY-41')).ok, true);
    await shows('ALOY-41', 'Not synced', 'default');
  });
});
