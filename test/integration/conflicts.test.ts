/**
 * Conflicts people resolve, end to end through the real resolvers (`getConflicts`, `resolveConflict`,
 * `getWaitingConflicts`) and the real sync job in the sandbox's Forge host, against both Jira emulators over HTTP.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19400);
const VIEWER = '712020:6b7c8d9e-local-viewer';

before(async () => {
  await sb.start();
  assert.equal((await sb.saveSettings({ conflictPolicy: 'manual' })).ok, true);
}, 60_000);
after(async () => {
  await sb.stop();
});

const panel = (fn: string, payload: unknown, issueKey: string, accountId?: string) => sb.invoke('task-sync-panel', fn, payload, accountId ? { issueKey, accountId } : { issueKey });

async function linked(issueKey: string): Promise<string> {
  const view = await sb.enableSync(issueKey);
  await sb.idle();
  return view.link.partnerIssueKey;
}

/** Edits both sides so the next job sees both changed: the partner edit's webhook is dropped, the local edit starts the job. */
async function editBoth(localKey: string, partnerKey: string, fields: { partner: Record<string, unknown>; local: Record<string, unknown> }) {
  await sb.faults('partner', { webhookDrop: 1 });
  assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: fields.partner })).status, 204);
  await sb.idle();
  await sb.faults('partner', null);
  assert.equal((await sb.rest('local', 'PUT', `/rest/api/3/issue/${localKey}`, { fields: fields.local })).status, 204);
  await sb.idle();
}

async function conflictsOf(issueKey: string, accountId?: string) {
  const res = await panel('getConflicts', {}, issueKey, accountId);
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return res.data;
}

describe('the panel lists each conflicting field, readable', () => {
  let partnerKey: string;
  let original: string;
  test('a summary changed on both sides is listed with base, local and partner values', async () => {
    original = (await sb.issue('local', 'ALOY-300')).fields.summary;
    partnerKey = await linked('ALOY-300');
    await editBoth('ALOY-300', partnerKey, { partner: { summary: 'Partner wording' }, local: { summary: 'Local wording' } });
    const view = await conflictsOf('ALOY-300');
    assert.equal(view.canResolve, true);
    assert.equal(view.partnerIssueKey, partnerKey);
    assert.equal(view.conflicts.length, 1);
    const [c] = view.conflicts;
    assert.deepEqual([c.field, c.name, c.kind, c.mergeable], ['summary', 'Summary', 'text', true]);
    assert.deepEqual([c.base.text, c.local.text, c.partner.text], [original, 'Local wording', 'Partner wording']);
    assert.ok(!Number.isNaN(Date.parse(c.since)), `since is a time: ${c.since}`);
  });

  test('a viewer sees the conflicts but may not resolve them; trying changes nothing', async () => {
    const view = await conflictsOf('ALOY-300', VIEWER);
    assert.equal(view.canResolve, false);
    assert.equal(view.conflicts.length, 1);
    const res = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-300', VIEWER);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'forbidden');
    assert.match(res.error.message, /You need permission to edit ALOY-300 to resolve its sync conflicts/);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Partner wording');
  });

  test('the other fields keep syncing while the conflict waits', async () => {
    assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { labels: ['while-waiting'] } })).status, 204);
    await sb.idle();
    assert.deepEqual((await sb.issue('local', 'ALOY-300')).fields.labels, ['while-waiting']);
    assert.equal((await panel('getIssueSync', {}, 'ALOY-300')).data.link.state, 'conflicted');
    assert.equal((await conflictsOf('ALOY-300')).conflicts.length, 1);
  });

  test('keep partner: written to both sides, becomes the base, logged with who settled it', async () => {
    const res = await panel('resolveConflict', { field: 'summary', choice: 'partner' }, 'ALOY-300');
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.deepEqual(res.data.conflicts, []);
    assert.equal((await sb.issue('local', 'ALOY-300')).fields.summary, 'Partner wording');
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Partner wording');
    assert.equal((await panel('getIssueSync', {}, 'ALOY-300')).data.link.state, 'ok');
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-300' && e.outcome === 'resolved');
    assert.ok(entry, 'a resolved entry in the sync log');
    assert.match(entry.message, new RegExp(`Summary changed on both sides; kept partner 'Partner wording', discarded local 'Local wording'\\. Settled by ${sb.cfg.local.admin.displayName} in the issue panel\\.`));
    // The new base: a later local edit copies over without a conflict.
    assert.equal((await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-300', { fields: { summary: 'After the decision' } })).status, 204);
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'After the decision');
  });
});

describe('choices', () => {
  test('keep local', async () => {
    const partnerKey = await linked('ALOY-301');
    await editBoth('ALOY-301', partnerKey, { partner: { summary: 'P 301' }, local: { summary: 'L 301' } });
    const res = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-301');
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'L 301');
    assert.equal((await sb.issue('local', 'ALOY-301')).fields.summary, 'L 301');
  });

  test('a merged text and a merged description are written to both sides', async () => {
    const partnerKey = await linked('ALOY-302');
    await editBoth('ALOY-302', partnerKey, {
      partner: { summary: 'P 302', description: adfParagraph('Partner text') },
      local: { summary: 'L 302', description: adfParagraph('Local text') },
    });
    const before = await conflictsOf('ALOY-302');
    assert.deepEqual(before.conflicts.map((c: any) => c.field).sort(), ['description', 'summary']);
    const description = before.conflicts.find((c: any) => c.field === 'description');
    assert.deepEqual([description.local.text, description.partner.text, description.local.adf?.type], ['Local text', 'Partner text', 'doc']);

    const text = await panel('resolveConflict', { field: 'summary', choice: 'merged', text: '  L and P 302 ' }, 'ALOY-302');
    assert.equal(text.ok, true, JSON.stringify(text.error));
    assert.deepEqual(text.data.conflicts.map((c: any) => c.field), ['description'], 'the other conflict still waits');
    assert.equal((await panel('getIssueSync', {}, 'ALOY-302')).data.link.state, 'conflicted');
    const merged = adfParagraph('Local text and partner text');
    const doc = await panel('resolveConflict', { field: 'description', choice: 'merged', adf: merged }, 'ALOY-302');
    assert.equal(doc.ok, true, JSON.stringify(doc.error));
    assert.deepEqual(doc.data.conflicts, []);
    for (const [site, key] of [['local', 'ALOY-302'], ['partner', partnerKey]] as const) {
      const issue = await sb.issue(site, key);
      assert.equal(issue.fields.summary, 'L and P 302');
      assert.equal(adfText(issue.fields.description), 'Local text and partner text');
    }
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-302' && e.outcome === 'resolved' && e.fields.includes('description'));
    assert.ok(entry);
    assert.match(entry.message, /Description changed on both sides; .* wrote a merged value 'Local text and partner text' to both sides \(local was 'Local text', partner 'Partner text'\)/);
    assert.equal((await panel('getIssueSync', {}, 'ALOY-302')).data.link.state, 'ok');
  });

  test('a merged value for a field that is not text is refused in words, and nothing changes', async () => {
    const partnerKey = await linked('ALOY-303');
    await editBoth('ALOY-303', partnerKey, { partner: { labels: ['p'] }, local: { labels: ['l'] } });
    const res = await panel('resolveConflict', { field: 'labels', choice: 'merged', text: 'l p' }, 'ALOY-303');
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input']);
    assert.match(res.error.message, /Labels is a labels field: a merged value can only be written for text and rich-text fields/);
    assert.deepEqual((await sb.issue('partner', partnerKey)).fields.labels, ['p']);
    assert.deepEqual((await sb.issue('local', 'ALOY-303')).fields.labels, ['l']);
    const missing = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-303');
    assert.deepEqual([missing.ok, missing.error?.code], [false, 'invalid-input']);
    assert.match(missing.error.message, /Summary of ALOY-303 is not waiting for a decision/);
  });

  test('a value changed since the conflict was recorded is not overwritten: review again', async () => {
    const partnerKey = await linked('ALOY-304');
    await editBoth('ALOY-304', partnerKey, { partner: { summary: 'P 304' }, local: { summary: 'L 304' } });
    // A newer partner edit the app has not heard of yet (its webhook is lost).
    await sb.faults('partner', { webhookDrop: 1 });
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'P 304 newer' } });
    await sb.faults('partner', null);
    const res = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-304');
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input']);
    assert.match(res.error.message, /Summary of ALOY-304 changed since the conflict was recorded; review again/);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'P 304 newer');
    assert.equal((await sb.issue('local', 'ALOY-304')).fields.summary, 'L 304');
  });

  test('priorities are shown by name on both sides and in the base', async () => {
    const partnerKey = await linked('ALOY-305');
    const base = (await sb.issue('local', 'ALOY-305')).fields.priority.name;
    const [low, highest] = ['Low', 'Highest'].filter((n) => n !== base);
    await editBoth('ALOY-305', partnerKey, { partner: { priority: { name: highest } }, local: { priority: { name: low } } });
    const c = (await conflictsOf('ALOY-305')).conflicts.find((x: any) => x.field === 'priority');
    assert.ok(c, 'a priority conflict');
    assert.deepEqual([c.base.text, c.local.text, c.partner.text, c.mergeable], [base, low, highest, false]);
  });
});

describe('the waiting list', () => {
  test('lists every conflicted link of the project, oldest first, with both issue URLs; admins only', async () => {
    const res = await sb.invoke('task-sync-settings', 'getWaitingConflicts', {}, { projectKey: 'ALOY' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    const keys = res.data.conflicts.map((c: any) => c.localIssueKey);
    assert.ok(keys.includes('ALOY-304') && keys.includes('ALOY-305'), keys.join(','));
    assert.equal(keys.includes('ALOY-300'), false, 'a settled link is not waiting');
    const since = res.data.conflicts.map((c: any) => c.since);
    assert.deepEqual(since, [...since].sort(), 'oldest first');
    const one = res.data.conflicts.find((c: any) => c.localIssueKey === 'ALOY-305');
    assert.match(one.localIssueUrl, /^https:\/\/.+\/browse\/ALOY-305$/);
    assert.equal(one.partnerIssueUrl, `https://partner.atlassian.net/browse/${one.partnerIssueKey}`);
    assert.deepEqual(one.fields, ['Priority']);
    const viewer = await sb.invoke('task-sync-settings', 'getWaitingConflicts', {}, { projectKey: 'ALOY', accountId: VIEWER });
    assert.deepEqual([viewer.ok, viewer.error?.code], [false, 'forbidden']);
  });
});
