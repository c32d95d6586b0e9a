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
  let since: string;
  test('a summary changed on both sides is listed with base, local and partner values', async () => {
    original = (await sb.issue('local', 'ALOY-314')).fields.summary;
    partnerKey = await linked('ALOY-314');
    await editBoth('ALOY-314', partnerKey, { partner: { summary: 'Partner wording' }, local: { summary: 'Local wording' } });
    const view = await conflictsOf('ALOY-314');
    assert.equal(view.canResolve, true);
    assert.equal(view.partnerIssueKey, partnerKey);
    assert.equal(view.conflicts.length, 1);
    const [c] = view.conflicts;
    assert.deepEqual([c.field, c.name, c.kind, c.mergeable], ['summary', 'Summary', 'text', true]);
    assert.deepEqual([c.base.text, c.local.text, c.partner.text], [original, 'Local wording', 'Partner wording']);
    assert.ok(!Number.isNaN(Date.parse(c.since)), `since is a time: ${c.since}`);
    since = c.since;
  });

  test('a viewer sees the conflicts but may not resolve them; trying changes nothing', async () => {
    const view = await conflictsOf('ALOY-314', VIEWER);
    assert.equal(view.canResolve, false);
    assert.equal(view.conflicts.length, 1);
    const res = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-314', VIEWER);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'forbidden');
    assert.match(res.error.message, /You need permission to edit ALOY-314 to resolve its sync conflicts/);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Partner wording');
  });

  test('the other fields keep syncing while the conflict waits', async () => {
    assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { labels: ['while-waiting'] } })).status, 204);
    await sb.idle();
    assert.deepEqual((await sb.issue('local', 'ALOY-314')).fields.labels, ['while-waiting']);
    assert.equal((await panel('getIssueSync', {}, 'ALOY-314')).data.link.state, 'conflicted');
    const still = (await conflictsOf('ALOY-314')).conflicts;
    assert.equal(still.length, 1);
    assert.equal(still[0].since, since, 'the conflict keeps the time it was first found');
    // Logged once, when found; the later run says it still waits instead of logging the conflict again.
    const entries = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-314');
    assert.equal(entries.filter((e) => e.outcome === 'conflict').length, 1, entries.map((e) => `${e.outcome}: ${e.message}`).join('\n'));
    const later = entries.find((e) => e.fields.includes('labels'));
    assert.ok(later, 'the labels run is logged');
    assert.equal(later.outcome, 'synced');
    assert.match(later.message, /^Synced labels\. Still waiting for a decision: Summary\.$/);
  });

  test('keep partner: written to both sides, becomes the base, logged with who settled it', async () => {
    const res = await panel('resolveConflict', { field: 'summary', choice: 'partner' }, 'ALOY-314');
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.deepEqual(res.data.conflicts, []);
    assert.equal((await sb.issue('local', 'ALOY-314')).fields.summary, 'Partner wording');
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Partner wording');
    assert.equal((await panel('getIssueSync', {}, 'ALOY-314')).data.link.state, 'ok');
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-314' && e.outcome === 'resolved');
    assert.ok(entry, 'a resolved entry in the sync log');
    assert.match(entry.message, new RegExp(`Summary changed on both sides; kept partner 'Partner wording', discarded local 'Local wording'\\. Settled by ${sb.cfg.local.admin.displayName} in the issue panel\\.`));
    // The new base: a later local edit copies over without a conflict.
    assert.equal((await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-314', { fields: { summary: 'After the decision' } })).status, 204);
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'After the decision');
  });
});

describe('choices', () => {
  test('keep local', async () => {
    const partnerKey = await linked('ALOY-315');
    await editBoth('ALOY-315', partnerKey, { partner: { summary: 'P 301' }, local: { summary: 'L 301' } });
    const res = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-315');
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'L 301');
    assert.equal((await sb.issue('local', 'ALOY-315')).fields.summary, 'L 301');
  });

  test('two decisions at once (a double click, two people): the first applies, the second is told it was settled', async () => {
    const partnerKey = await linked('ALOY-318');
    await editBoth('ALOY-318', partnerKey, { partner: { summary: 'P 307' }, local: { summary: 'L 307' } });
    const [a, b] = await Promise.all([
      panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-318'),
      panel('resolveConflict', { field: 'summary', choice: 'partner' }, 'ALOY-318'),
    ]);
    const [won, lost] = a.ok ? [a, b] : [b, a];
    assert.equal(won.ok, true, JSON.stringify(won.error));
    assert.deepEqual([lost.ok, lost.error?.code], [false, 'invalid-input']);
    assert.match(lost.error.message, /Summary of ALOY-318 is not waiting for a decision/);
    const summaries = [(await sb.issue('local', 'ALOY-318')).fields.summary, (await sb.issue('partner', partnerKey)).fields.summary];
    assert.equal(summaries[0], summaries[1]);
    assert.ok(['L 307', 'P 307'].includes(summaries[0]));
  });

  test('with the partner down the choice is not applied, in words; once it is back the same choice works', async () => {
    const partnerKey = await linked('ALOY-308');
    await editBoth('ALOY-308', partnerKey, { partner: { summary: 'P 308' }, local: { summary: 'L 308' } });
    await sb.faults('partner', { errorRate: 1, errorStatus: [503] });
    const down = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-308');
    await sb.faults('partner', null);
    assert.deepEqual([down.ok, down.error?.code], [false, 'partner-unreachable']);
    assert.match(down.error.message, /answered 503.*Your choice was not applied; the conflict still waits\. Choose again in a moment\./);
    assert.equal((await conflictsOf('ALOY-308')).conflicts.length, 1);
    const up = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-308');
    assert.equal(up.ok, true, JSON.stringify(up.error));
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'L 308');
  });

  test('while sync of the issue is paused a choice is refused, in words, and nothing changes', async () => {
    const partnerKey = await linked('ALOY-309');
    await editBoth('ALOY-309', partnerKey, { partner: { summary: 'P 309' }, local: { summary: 'L 309' } });
    assert.equal((await panel('setSyncPaused', { paused: true }, 'ALOY-309')).ok, true);
    const res = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-309');
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input']);
    assert.match(res.error.message, /Sync of ALOY-309 is paused\. Resume sync in the panel first/);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'P 309');
    assert.equal((await panel('setSyncPaused', { paused: false }, 'ALOY-309')).ok, true);
    await sb.idle();
  });

  test('a merged text and a merged description are written to both sides', async () => {
    const partnerKey = await linked('ALOY-316');
    await editBoth('ALOY-316', partnerKey, {
      partner: { summary: 'P 302', description: adfParagraph('Partner text') },
      local: { summary: 'L 302', description: adfParagraph('Local text') },
    });
    const before = await conflictsOf('ALOY-316');
    assert.deepEqual(before.conflicts.map((c: any) => c.field).sort(), ['description', 'summary']);
    const description = before.conflicts.find((c: any) => c.field === 'description');
    assert.deepEqual([description.local.text, description.partner.text, description.local.adf?.type], ['Local text', 'Partner text', 'doc']);

    const text = await panel('resolveConflict', { field: 'summary', choice: 'merged', text: '  L and P 302 ' }, 'ALOY-316');
    assert.equal(text.ok, true, JSON.stringify(text.error));
    assert.deepEqual(text.data.conflicts.map((c: any) => c.field), ['description'], 'the other conflict still waits');
    assert.equal((await panel('getIssueSync', {}, 'ALOY-316')).data.link.state, 'conflicted');
    const merged = adfParagraph('Local text and partner text');
    const doc = await panel('resolveConflict', { field: 'description', choice: 'merged', adf: merged }, 'ALOY-316');
    assert.equal(doc.ok, true, JSON.stringify(doc.error));
    assert.deepEqual(doc.data.conflicts, []);
    for (const [site, key] of [['local', 'ALOY-316'], ['partner', partnerKey]] as const) {
      const issue = await sb.issue(site, key);
      assert.equal(issue.fields.summary, 'L and P 302');
      assert.equal(adfText(issue.fields.description), 'Local text and partner text');
    }
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-316' && e.outcome === 'resolved' && e.fields.includes('description'));
    assert.ok(entry);
    assert.match(entry.message, /Description changed on both sides; .* wrote a merged value 'Local text and partner text' to both sides \(local was 'Local text', partner 'Partner text'\)/);
    assert.equal((await panel('getIssueSync', {}, 'ALOY-316')).data.link.state, 'ok');
  });

  test('a merged value for a field that is not text is refused in words, and nothing changes', async () => {
    const partnerKey = await linked('ALOY-317');
    await editBoth('ALOY-317', partnerKey, { partner: { labels: ['p'] }, local: { labels: ['l'] } });
    const res = await panel('resolveConflict', { field: 'labels', choice: 'merged', text: 'l p' }, 'ALOY-317');
    assert.deepEqual([res.ok, res.error?.code], [false, 'invalid-input']);
    assert.match(res.error.message, /Labels is a labels field: a merged value can only be written for text and rich-text fields/);
    assert.deepEqual((await sb.issue('partner', partnerKey)).fields.labels, ['p']);
    assert.deepEqual((await sb.issue('local', 'ALOY-317')).fields.labels, ['l']);
    const missing = await panel('resolveConflict', { field: 'summary', choice: 'local' }, 'ALOY-317');
    assert.deepEqual([missing.ok, missing.error?.code], [false, 'invalid-input']);
    assert.match(missing.error.message, /Summary of ALOY-317 is not waiting for a decision/);
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
    assert.match(res.error.message, /Summary of ALOY-304 changed since the conflict was recorded, so your choice was not applied/);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'P 304 newer');
    assert.equal((await sb.issue('local', 'ALOY-304')).fields.summary, 'L 304');
    // The refusal recorded the current values: the panel, read again, offers the newer partner value to decide on.
    const again = (await conflictsOf('ALOY-304')).conflicts.find((x: any) => x.field === 'summary');
    assert.deepEqual([again?.local.text, again?.partner.text], ['L 304', 'P 304 newer']);
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

describe('large rich text', () => {
  test('local and partner values too large to keep in the link are shown from the issues, and a choice still applies', async () => {
    const partnerKey = await linked('ALOY-306');
    const big = (who: string) => adfParagraph(`${who} ${'long words '.repeat(2_000)}`.trim());
    await editBoth('ALOY-306', partnerKey, { partner: { description: big('Partner') }, local: { description: big('Local') } });
    const c = (await conflictsOf('ALOY-306')).conflicts.find((x: any) => x.field === 'description');
    assert.ok(c, 'a description conflict');
    assert.deepEqual([c.local.tooLarge, c.partner.tooLarge, c.local.adf?.type], [false, false, 'doc']);
    assert.match(c.local.text, /^Local long words/);
    assert.match(c.partner.text, /^Partner long words/);
    const res = await panel('resolveConflict', { field: 'description', choice: 'local' }, 'ALOY-306');
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.match(adfText((await sb.issue('partner', partnerKey)).fields.description), /^Local long words/);
  });
});

describe('the waiting list', () => {
  test('lists every conflicted link of the project, oldest first, with both issue URLs; admins only', async () => {
    const res = await sb.invoke('task-sync-settings', 'getWaitingConflicts', {}, { projectKey: 'ALOY' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    const keys = res.data.conflicts.map((c: any) => c.localIssueKey);
    assert.ok(keys.includes('ALOY-304') && keys.includes('ALOY-305'), keys.join(','));
    assert.equal(keys.includes('ALOY-314'), false, 'a settled link is not waiting');
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

describe('policy per field, and newest-wins by the field’s own change time', () => {
  const changelogCalls = async (site: 'local' | 'partner') => {
    const stats = await sb.stats(site);
    return Object.entries(stats.requests as Record<string, number>).filter(([k]) => /\/changelog$/.test(k)).reduce((n, [, v]) => n + v, 0);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('a field may override the connection’s policy (summary newest-wins, status partner-wins, the rest manual)', async () => {
    const list = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
    const c = list.data.connections[0];
    const fields = c.mapping.fields.map((f: any) => (f.local === 'summary' ? { ...f, policy: 'newest-wins' } : f.local === 'status' ? { ...f, policy: 'partner-wins' } : f));
    const saved = await sb.saveSettings({ connectionId: c.id, conflictPolicy: 'manual', mapping: { ...c.mapping, fields } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));

    const partnerKey = await linked('ALOY-311');
    const targets = async (site: 'local' | 'partner', key: string) => (await sb.rest(site, 'GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions.map((t: any) => t.to.name as string);
    const partnerTo = (await targets('partner', partnerKey))[0];
    const localTo = (await targets('local', 'ALOY-311')).find((n: string) => n !== partnerTo)!;
    assert.ok(partnerTo && localTo, 'two different statuses to move to');
    await sb.faults('partner', { webhookDrop: 1 });
    await sb.transition('partner', partnerKey, partnerTo);
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { labels: ['p311'] } });
    await sb.idle();
    await sb.faults('partner', null);
    await sb.transition('local', 'ALOY-311', localTo);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-311', { fields: { labels: ['l311'] } });
    await sb.idle();
    // Status: partner-wins. The partner keeps its status; the local issue leaves the status it was moved to (to the
    // local status the map pairs with the partner's, which may be named differently, e.g. Reopened for Open).
    assert.equal((await sb.issue('partner', partnerKey)).fields.status.name, partnerTo);
    assert.notEqual((await sb.issue('local', 'ALOY-311')).fields.status.name, localTo, 'status: partner-wins');
    const waiting = (await conflictsOf('ALOY-311')).conflicts.map((x: any) => x.field);
    assert.deepEqual(waiting, ['labels'], 'labels: the connection’s manual');
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-311' && e.outcome === 'conflict' && /Status changed on both sides/.test(e.message));
    assert.ok(entry);
    assert.ok(entry.message.includes(`Status changed on both sides; kept partner '${partnerTo}', discarded local '${localTo}'. Settled by the partner-wins policy.`), entry.message);
    assert.match(entry.message, /Labels changed on both sides; left for you to choose between local 'l311' and partner 'p311'\. Policy: manual/);
  });

  test('a later local edit of another field does not beat a newer partner edit of the summary', async () => {
    const partnerKey = await linked('ALOY-312');
    await sb.resetStats('local');
    await sb.resetStats('partner');
    // A plain edit with no conflict reads no changelog.
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-312', { fields: { labels: ['plain'] } });
    await sb.idle();
    assert.deepEqual([await changelogCalls('local'), await changelogCalls('partner')], [0, 0]);

    assert.equal((await panel('setSyncPaused', { paused: true }, 'ALOY-312')).ok, true);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-312', { fields: { summary: 'Older local summary' } });
    await sleep(30);
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Newer partner summary' } });
    await sleep(30);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-312', { fields: { labels: ['touched-later'] } });
    await sb.idle();
    const [local, partner] = [await sb.issue('local', 'ALOY-312'), await sb.issue('partner', partnerKey)];
    assert.ok(Date.parse(local.fields.updated.replace(/(\d\d)(\d\d)$/, '$1:$2')) > Date.parse(partner.fields.updated.replace(/(\d\d)(\d\d)$/, '$1:$2')), 'the local issue was updated last');

    assert.equal((await panel('setSyncPaused', { paused: false }, 'ALOY-312')).ok, true);
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-312')).fields.summary, 'Newer partner summary');
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Newer partner summary');
    assert.deepEqual((await sb.issue('partner', partnerKey)).fields.labels, ['touched-later'], 'the other field synced');
    assert.deepEqual([await changelogCalls('local'), await changelogCalls('partner')], [1, 1], 'one changelog read per side, for the conflict only');
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-312' && e.outcome === 'conflict');
    assert.ok(entry);
    assert.match(entry.message, /Summary changed on both sides; kept partner 'Newer partner summary', discarded local 'Older local summary'\. Settled by the newest-wins policy: compared local \S+ \S+ UTC \(its own change in the changelog\) with partner \S+ \S+ UTC \(its own change in the changelog\)\./);
  });
});

describe('the changelog as the emulator serves it (as Jira Cloud does)', () => {
  test('oldest first in pages, custom fields named by fieldId; an issue the caller cannot browse is a 404', async () => {
    const key = 'ALOY-313';
    for (const text of ['first', 'second', 'third']) {
      assert.equal((await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { customfield_10010: text } })).status, 204);
    }
    const all = await sb.rest('local', 'GET', `/rest/api/3/issue/${key}/changelog`);
    assert.equal(all.status, 200);
    const total = all.body.total;
    assert.ok(total >= 3);
    const last = await sb.rest('local', 'GET', `/rest/api/3/issue/${key}/changelog?startAt=${total - 2}&maxResults=2`);
    assert.deepEqual([last.body.startAt, last.body.maxResults, last.body.values.length, last.body.isLast], [total - 2, 2, 2, true]);
    const item = last.body.values[1].items.find((i: any) => i.fieldId === 'customfield_10010');
    assert.deepEqual([item.fieldtype, item.toString], ['custom', 'third']);
    assert.ok(Date.parse(last.body.values[0].created.replace(/(\d\d)(\d\d)$/, '$1:$2')) <= Date.parse(last.body.values[1].created.replace(/(\d\d)(\d\d)$/, '$1:$2')), 'oldest first');
    const outsider = await sb.rest('local', 'GET', `/rest/api/3/issue/${key}/changelog`, undefined, { email: 'outsider@local.example', apiToken: 'outsider-token' });
    assert.equal(outsider.status, 404);
  });
});
