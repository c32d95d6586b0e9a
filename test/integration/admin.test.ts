/**
 * What users and admins can do to a link: sync now, pause and resume, unlink, and retry failed syncs (one, all,
 * all of one kind). Driven through the real resolvers over the sandbox bridge.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { adfParagraph, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(18900);
const admin = { projectKey: 'ALOY' };
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

const panel = (fn: string, payload: unknown, issueKey: string) => sb.invoke('task-sync-panel', fn, payload, { issueKey });

const setPartnerToken = (apiToken: string) => sb.setApiToken('partner', sb.cfg.partner.admin.email, apiToken);

describe('pause and resume', () => {
  test('a paused issue keeps its edits to itself until resumed, then catches up', async () => {
    const { link } = await sb.enableSync('ALOY-267');
    await sb.idle();
    const paused = await panel('setSyncPaused', { paused: true }, 'ALOY-267');
    assert.equal(paused.ok, true);
    assert.equal(paused.data.link.paused, true);

    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-267', { fields: { summary: 'Edited while paused' } });
    await sb.idle();
    assert.notEqual((await sb.issue('partner', link.partnerIssueKey)).fields.summary, 'Edited while paused');

    const resumed = await panel('setSyncPaused', { paused: false }, 'ALOY-267');
    assert.equal(resumed.data.link.paused, false);
    await sb.idle();
    assert.equal((await sb.issue('partner', link.partnerIssueKey)).fields.summary, 'Edited while paused');
    const outcomes = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-267').map((e) => e.outcome);
    assert.ok(outcomes.includes('paused') && outcomes.includes('resumed'), `log has ${outcomes.join(', ')}`);
  });

  test('sync now brings over a change no event announced', async () => {
    const { link } = await sb.enableSync('ALOY-272');
    await sb.idle();
    // A local comment edit sends no product event; "Sync now" picks it up at once.
    const created = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-272/comment', { body: adfParagraph('Before') });
    await sb.idle();
    await sb.rest('local', 'PUT', `/rest/api/3/issue/ALOY-272/comment/${created.body.id}`, { body: adfParagraph('After sync now') });
    await sb.idle();
    const res = await panel('syncNow', {}, 'ALOY-272');
    assert.equal(res.ok, true);
    await sb.idle();
    const texts = (await sb.comments('partner', link.partnerIssueKey)).map((c) => JSON.stringify(c.body));
    assert.ok(texts.some((t) => t.includes('After sync now')));
  });
});

describe('unlink', () => {
  test('unlinking stops the sync and leaves both issues as they are', async () => {
    const { link } = await sb.enableSync('ALOY-277');
    await sb.idle();
    const res = await panel('unlinkIssue', { confirmed: true }, 'ALOY-277');
    assert.equal(res.ok, true);
    assert.equal(res.data.link, null);
    const partnerBefore = await sb.issue('partner', link.partnerIssueKey);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-277', { fields: { summary: 'After unlinking' } });
    await sb.idle();
    assert.equal((await sb.issue('partner', link.partnerIssueKey)).fields.summary, partnerBefore.fields.summary);
    assert.ok((await sb.log()).some((e) => e.outcome === 'unlinked' && e.localIssueKey === 'ALOY-277'));
  });

  test('unlinking needs confirmation and an existing link', async () => {
    const unconfirmed = await panel('unlinkIssue', {}, 'ALOY-277');
    assert.equal(unconfirmed.ok, false);
    assert.equal(unconfirmed.error.code, 'invalid-input');
    const notLinked = await panel('unlinkIssue', { confirmed: true }, 'ALOY-277');
    assert.equal(notLinked.ok, false);
    assert.equal(notLinked.error.code, 'not-found');
  });
});

describe('retry failed syncs', () => {
  test('failed links are listed with their error code, and Retry one / all of a kind / all brings them back', async () => {
    const keys = ['ALOY-284', 'ALOY-290', 'ALOY-293'];
    const links = [];
    for (const key of keys) links.push((await sb.enableSync(key)).link);
    await sb.idle();
    await setPartnerToken('rotated');
    try {
      for (const key of keys) await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `${key} edited while the token was revoked` } });
      await sb.idle();
      const failed = await sb.invoke('task-sync-settings', 'getFailedLinks', {}, admin);
      assert.equal(failed.ok, true);
      assert.deepEqual(failed.data.failed.map((f: any) => f.localIssueKey).sort(), keys);
      assert.ok(failed.data.failed.every((f: any) => f.code === 'partner-auth'));
    } finally {
      await setPartnerToken(sb.cfg.partner.admin.apiToken);
    }

    const one = await sb.invoke('task-sync-settings', 'retryFailed', { scope: 'one', localIssueKey: 'ALOY-284' }, admin);
    assert.deepEqual(one.data, { queued: 1 });
    await sb.idle();
    assert.equal((await sb.issue('partner', links[0].partnerIssueKey)).fields.summary, 'ALOY-284 edited while the token was revoked');

    const kind = await sb.invoke('task-sync-settings', 'retryFailed', { scope: 'code', code: 'no-transition' }, admin);
    assert.deepEqual(kind.data, { queued: 0 }, 'no failures of that kind');
    const all = await sb.invoke('task-sync-settings', 'retryFailed', { scope: 'all' }, admin);
    assert.deepEqual(all.data, { queued: 2 });
    await sb.idle();
    for (const [i, key] of keys.entries()) {
      assert.equal((await sb.issue('partner', links[i].partnerIssueKey)).fields.summary, `${key} edited while the token was revoked`);
    }
    const after = await sb.invoke('task-sync-settings', 'getFailedLinks', {}, admin);
    assert.deepEqual(after.data.failed, []);
  });

  test('retrying an issue that did not fail says so', async () => {
    const res = await sb.invoke('task-sync-settings', 'retryFailed', { scope: 'one', localIssueKey: 'ALOY-41' }, admin);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'not-found');
  });
});
