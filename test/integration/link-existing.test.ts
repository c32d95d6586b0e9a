/**
 * Linking issues that already exist on both sides, end to end through the real resolvers (`searchPartnerIssues`,
 * `previewExistingLink`, `linkExistingIssue`, `previewMatch`, `applyMatch`) and the real sync job in the sandbox's
 * Forge host, against both Jira emulators over HTTP.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { adfParagraph, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20300);
const VIEWER = '712020:6b7c8d9e-local-viewer';

before(async () => {
  await sb.start();
}, 60_000);
after(async () => {
  await sb.stop();
});

const panel = (fn: string, payload: unknown, issueKey: string, accountId?: string) => sb.invoke('task-sync-panel', fn, payload, accountId ? { issueKey, accountId } : { issueKey });
const settings = (fn: string, payload: unknown, accountId?: string) => sb.invoke('task-sync-settings', fn, payload, accountId ? { projectKey: 'ALOY', accountId } : { projectKey: 'ALOY' });

/** Creates a partner issue (as the partner admin) and returns its key. */
async function partnerIssue(fields: Record<string, unknown>, project = 'PARTNER'): Promise<string> {
  const res = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: project }, issuetype: { name: 'Task' }, ...fields } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.key;
}

async function ok<T = any>(res: any): Promise<T> {
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return res.data;
}

async function refused(res: any, code: string, words: RegExp) {
  assert.equal(res.ok, false, `expected a refusal, got ${JSON.stringify(res.data)?.slice(0, 200)}`);
  assert.equal(res.error.code, code, res.error.message);
  assert.match(res.error.message, words);
}

describe('linking one existing pair from the panel', () => {
  let partnerKey: string;
  let localSummary: string;

  test('a search by words of the summary finds the partner issue', async () => {
    partnerKey = await partnerIssue({ summary: 'Gadget rollout on partner side', labels: ['partner-label'], description: adfParagraph('Partner description') });
    const found = await ok(await panel('searchPartnerIssues', { query: 'gadget rollout' }, 'ALOY-20'));
    assert.equal(found.projectKey, 'PARTNER');
    assert.deepEqual(found.issues.map((i: any) => [i.key, i.linkedTo]), [[partnerKey, null]]);
    const byKey = await ok(await panel('searchPartnerIssues', { query: partnerKey.toLowerCase() }, 'ALOY-20'));
    assert.equal(byKey.issues[0]?.key, partnerKey);
  });

  test('the preview lists each differing field with both values, readable, and a fingerprint', async () => {
    localSummary = (await sb.issue('local', 'ALOY-20')).fields.summary;
    const preview = await ok(await panel('previewExistingLink', { partnerIssueKey: partnerKey }, 'ALOY-20'));
    assert.equal(preview.issueKey, 'ALOY-20');
    assert.equal(preview.partnerIssueKey, partnerKey);
    const summary = preview.differing.find((d: any) => d.field === 'summary');
    assert.deepEqual([summary.local.text, summary.partner.text, summary.choices], [localSummary, 'Gadget rollout on partner side', ['local', 'partner']]);
    const description = preview.differing.find((d: any) => d.field === 'description');
    assert.equal(description.partner.text, 'Partner description');
    assert.equal(description.partner.adf.type, 'doc');
    assert.ok(preview.sameCount >= 0);
    assert.match(preview.fingerprint, /^[0-9a-f]{16}$/);
  });

  test('a choice that leaves a differing field open is refused, and nothing changes', async () => {
    const preview = await ok(await panel('previewExistingLink', { partnerIssueKey: partnerKey }, 'ALOY-20'));
    await refused(await panel('linkExistingIssue', { partnerIssueKey: partnerKey, fingerprint: preview.fingerprint, fields: { summary: 'partner' }, confirmed: true }, 'ALOY-20'), 'invalid-input', /Choose which side is the starting value of .*Description.*Nothing was changed/);
    assert.equal((await sb.issue('local', 'ALOY-20')).fields.summary, localSummary);
    assert.equal((await ok(await panel('getIssueSync', {}, 'ALOY-20'))).link, null);
  });

  test('per-field choice: summary from partner, the rest from local; both sites hold the chosen values', async () => {
    const preview = await ok(await panel('previewExistingLink', { partnerIssueKey: partnerKey }, 'ALOY-20'));
    const view = await ok(await panel('linkExistingIssue', { partnerIssueKey: partnerKey, fingerprint: preview.fingerprint, all: 'local', fields: { summary: 'partner' }, confirmed: true }, 'ALOY-20'));
    assert.equal(view.link.partnerIssueKey, partnerKey);
    assert.equal(view.link.state, 'ok');
    await sb.idle();
    const [local, partner] = [await sb.issue('local', 'ALOY-20'), await sb.issue('partner', partnerKey)];
    assert.equal(local.fields.summary, 'Gadget rollout on partner side');
    assert.equal(partner.fields.summary, 'Gadget rollout on partner side');
    assert.deepEqual(partner.fields.labels, local.fields.labels, 'labels came from local');
    assert.deepEqual(partner.fields.description, local.fields.description);
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-20' && /linked ALOY-20 with the existing partner issue/.test(e.message));
    assert.ok(entry, 'the link is in the sync log');
    assert.match(entry.message, new RegExp(`from ${partnerKey}: Summary`));
  });

  test('after linking, edits sync as for any link (the chosen values are the base)', async () => {
    assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Edited on partner' } })).status, 204);
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-20')).fields.summary, 'Edited on partner');
  });

  test('refusals in words: already linked on either side, unknown key, another project, not a key, no edit rights', async () => {
    await refused(await panel('previewExistingLink', { partnerIssueKey: partnerKey }, 'ALOY-20'), 'invalid-input', new RegExp(`ALOY-20 is already synced with ${partnerKey}`));
    await refused(await panel('previewExistingLink', { partnerIssueKey: partnerKey }, 'ALOY-21'), 'invalid-input', new RegExp(`${partnerKey} is already synced with ALOY-20`));
    const search = await ok(await panel('searchPartnerIssues', { query: partnerKey }, 'ALOY-21'));
    assert.equal(search.issues.find((i: any) => i.key === partnerKey)?.linkedTo, 'ALOY-20');
    await refused(await panel('previewExistingLink', { partnerIssueKey: 'PARTNER-9999' }, 'ALOY-21'), 'not-found', /PARTNER-9999 was not found on https:\/\/partner\.atlassian\.net/);
    const ops = await partnerIssue({ summary: 'Operations work' }, 'OPS');
    await refused(await panel('previewExistingLink', { partnerIssueKey: ops }, 'ALOY-21'), 'invalid-input', new RegExp(`${ops} is in project OPS .* syncs with project PARTNER`));
    await refused(await panel('previewExistingLink', { partnerIssueKey: 'not a key' }, 'ALOY-21'), 'invalid-input', /is not an issue key/);
    await refused(await panel('previewExistingLink', { partnerIssueKey: partnerKey }, 'ALOY-21', VIEWER), 'forbidden', /You need permission to edit ALOY-21 to link it with a partner issue/);
    await refused(await panel('linkExistingIssue', { partnerIssueKey: ops, fingerprint: 'x', all: 'local', confirmed: true }, 'ALOY-21', VIEWER), 'forbidden', /permission to edit ALOY-21/);
    assert.equal((await ok(await panel('getIssueSync', {}, 'ALOY-21'))).link, null);
  });

  test('values changed since the preview: refused, review again', async () => {
    const key = await partnerIssue({ summary: 'Stale preview pair' });
    const preview = await ok(await panel('previewExistingLink', { partnerIssueKey: key }, 'ALOY-22'));
    assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'Changed meanwhile' } })).status, 204);
    await refused(await panel('linkExistingIssue', { partnerIssueKey: key, fingerprint: preview.fingerprint, all: 'local', confirmed: true }, 'ALOY-22'), 'invalid-input', /changed since the differences were shown; review again/);
    assert.equal((await sb.issue('partner', key)).fields.summary, 'Changed meanwhile');
  });

  test('"all from partner" writes every differing partner value to local; comments are mirrored both ways once', async () => {
    const key = await partnerIssue({ summary: 'All from partner', labels: ['p-only'] });
    assert.equal((await sb.rest('partner', 'POST', `/rest/api/3/issue/${key}/comment`, { body: adfParagraph('A partner comment') })).status, 201);
    const localComments = (await sb.comments('local', 'ALOY-23')).length;
    const preview = await ok(await panel('previewExistingLink', { partnerIssueKey: key }, 'ALOY-23'));
    assert.equal(preview.comments.partner, 1);
    await ok(await panel('linkExistingIssue', { partnerIssueKey: key, fingerprint: preview.fingerprint, all: 'partner', confirmed: true }, 'ALOY-23'));
    await sb.idle();
    const local = await sb.issue('local', 'ALOY-23');
    assert.equal(local.fields.summary, 'All from partner');
    assert.deepEqual(local.fields.labels, ['p-only']);
    const [lc, pc] = [await sb.comments('local', 'ALOY-23'), await sb.comments('partner', key)];
    assert.equal(lc.length, localComments + 1, 'the partner comment reached local once');
    assert.equal(pc.length, localComments + 1, 'every local comment reached the partner once');
    assert.ok(JSON.stringify(lc.at(-1).body).includes('wrote on partner.atlassian.net'), 'attributed');
    // Unlink and link again: the mirrors are recognised, nothing is copied twice.
    await ok(await panel('unlinkIssue', { confirmed: true }, 'ALOY-23'));
    const again = await ok(await panel('previewExistingLink', { partnerIssueKey: key }, 'ALOY-23'));
    await ok(await panel('linkExistingIssue', { partnerIssueKey: key, fingerprint: again.fingerprint, all: 'partner', confirmed: true }, 'ALOY-23'));
    await sb.idle();
    assert.equal((await sb.comments('local', 'ALOY-23')).length, lc.length);
    assert.equal((await sb.comments('partner', key)).length, pc.length);
  });

  test('two people linking one partner issue to two local issues at once: exactly one link', async () => {
    const key = await partnerIssue({ summary: 'Raced pair' });
    const [p1, p2] = [await ok(await panel('previewExistingLink', { partnerIssueKey: key }, 'ALOY-24')), await ok(await panel('previewExistingLink', { partnerIssueKey: key }, 'ALOY-25'))];
    const [a, b] = await Promise.all([
      panel('linkExistingIssue', { partnerIssueKey: key, fingerprint: p1.fingerprint, all: 'local', confirmed: true }, 'ALOY-24'),
      panel('linkExistingIssue', { partnerIssueKey: key, fingerprint: p2.fingerprint, all: 'local', confirmed: true }, 'ALOY-25'),
    ]);
    assert.equal([a, b].filter((r) => r.ok).length, 1, JSON.stringify([a.error, b.error]));
    const lost = a.ok ? b : a;
    assert.match(lost.error.message, /Another request is linking one of these issues|is already synced with/);
    await sb.idle();
    const links = [await ok(await panel('getIssueSync', {}, 'ALOY-24')), await ok(await panel('getIssueSync', {}, 'ALOY-25'))].filter((v) => v.link);
    assert.equal(links.length, 1);
    assert.equal(links[0].link.partnerIssueKey, key);
  });

  test('a search for a key that does not exist answers with summary matches only', async () => {
    const found = await ok(await panel('searchPartnerIssues', { query: 'PARTNER-9999' }, 'ALOY-26'));
    assert.deepEqual(found.issues, []);
  });

  test('partner down while linking: refused, no link saved, the local issue unchanged', async () => {
    const key = await partnerIssue({ summary: 'Partner goes down' });
    const preview = await ok(await panel('previewExistingLink', { partnerIssueKey: key }, 'ALOY-27'));
    const before = (await sb.issue('local', 'ALOY-27')).fields.summary;
    await sb.faults('partner', { down: true });
    try {
      const res = await panel('linkExistingIssue', { partnerIssueKey: key, fingerprint: preview.fingerprint, all: 'partner', confirmed: true }, 'ALOY-27');
      assert.equal(res.ok, false);
      assert.equal(res.error.code, 'partner-unreachable', res.error.message);
    } finally {
      await sb.faults('partner', null);
    }
    assert.equal((await ok(await panel('getIssueSync', {}, 'ALOY-27'))).link, null);
    assert.equal((await sb.issue('local', 'ALOY-27')).fields.summary, before);
  });

  test('without a connection: refused in words', async () => {
    const noConn = await sb.invoke('task-sync-panel', 'previewExistingLink', { partnerIssueKey: 'PARTNER-1' }, { issueKey: 'DAEMON-1' });
    await refused(noConn, 'not-configured', /Task sync is not set up for project DAEMON/);
  });
});

describe('bulk: match by a key field and link with one choice', () => {
  const PARTNER_KEY_FIELD = 'customfield_10041'; // a partner text field holding the local key, not mapped

  test('preview finds pairs, unmatched and ambiguous; apply links the pairs with partner values', async () => {
    const a = await partnerIssue({ summary: 'Bulk A', [PARTNER_KEY_FIELD]: 'ALOY-40' });
    const b = await partnerIssue({ summary: 'Bulk B', [PARTNER_KEY_FIELD]: 'aloy-41 ' });
    await partnerIssue({ summary: 'Bulk C1', [PARTNER_KEY_FIELD]: 'ALOY-42' });
    await partnerIssue({ summary: 'Bulk C2', [PARTNER_KEY_FIELD]: 'ALOY-42' });
    await partnerIssue({ summary: 'Bulk D', [PARTNER_KEY_FIELD]: 'ALOY-9999' });
    const input = { connectionId: 'default', localJql: 'key in (ALOY-40, ALOY-41, ALOY-42, ALOY-43)', partnerJql: 'summary ~ "Bulk"', key: { kind: 'partner-field', field: PARTNER_KEY_FIELD } };
    const conns = await ok(await settings('listConnections', {}));
    input.connectionId = conns.connections[0].id;
    const preview = await ok(await settings('previewMatch', input));
    assert.deepEqual(preview.pairs.map((p: any) => [p.localKey, p.partnerKey]), [['ALOY-40', a], ['ALOY-41', b]]);
    assert.deepEqual(preview.ambiguous.map((x: any) => [x.value, x.localKeys, x.partnerKeys.length]), [['ALOY-42', ['ALOY-42'], 2]]);
    assert.deepEqual(preview.unmatchedLocal, ['ALOY-43']);
    assert.equal(preview.unmatchedPartner.length, 1);
    assert.ok(preview.fields.some((f: any) => f.field === 'summary' && f.pairs === 2));

    await refused(await settings('previewMatch', input, VIEWER), 'forbidden', /Only administrators of project ALOY/);
    await refused(await settings('previewMatch', { ...input, localJql: 'summary ~' }), 'invalid-input', /The local JQL was refused/);

    const pairs = preview.pairs.map((p: any) => ({ localIssueId: p.localIssueId, localKey: p.localKey, partnerKey: p.partnerKey }));
    const done = await ok(await settings('applyMatch', { connectionId: input.connectionId, pairs, all: 'partner', confirmed: true }));
    assert.deepEqual(done.linked.map((l: any) => l.localKey), ['ALOY-40', 'ALOY-41']);
    assert.deepEqual(done.failed, []);
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-40')).fields.summary, 'Bulk A');
    assert.equal((await sb.issue('local', 'ALOY-41')).fields.summary, 'Bulk B');
    for (const k of ['ALOY-40', 'ALOY-41']) assert.equal((await ok(await panel('getIssueSync', {}, k))).link.state, 'ok', `${k} synced without problems`);
    // A second apply of the same pairs: each is refused in words, nothing changes.
    const twice = await ok(await settings('applyMatch', { connectionId: input.connectionId, pairs, all: 'local', confirmed: true }));
    assert.deepEqual(twice.linked, []);
    assert.match(twice.failed[0].message, /ALOY-40 is already synced with/);
    const after = await ok(await settings('previewMatch', input));
    assert.deepEqual(after.pairs, []);
    assert.equal(after.alreadyLinked.length, 2);
  });

  test('match by equal summaries', async () => {
    const summary = (await sb.issue('local', 'ALOY-50')).fields.summary;
    const p = await partnerIssue({ summary: `  ${summary.toUpperCase()} ` });
    const conns = await ok(await settings('listConnections', {}));
    const preview = await ok(await settings('previewMatch', { connectionId: conns.connections[0].id, localJql: 'key = ALOY-50', partnerJql: `key = ${p}`, key: { kind: 'summary' } }));
    assert.deepEqual(preview.pairs.map((x: any) => [x.localKey, x.partnerKey]), [['ALOY-50', p]]);
  });
});
