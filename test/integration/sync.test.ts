/**
 * End-to-end sync through the real handlers: the sandbox's Forge host runs src/ unmodified against the Jira
 * emulator over HTTP, with real seeded ALOY issues.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(18700);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

/** Links a real issue and waits for the follow-up job (comments) to finish. */
async function linked(issueKey: string): Promise<string> {
  const view = await sb.enableSync(issueKey);
  await sb.idle();
  return view.link.partnerIssueKey;
}

describe('opt-in', () => {
  test('an issue is not synced until a user turns sync on', async () => {
    const res = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-41' });
    assert.equal(res.ok, true);
    assert.equal(res.data.link, null);
    assert.deepEqual(
      { siteUrl: res.data.partner.siteUrl, projectKey: res.data.partner.projectKey, label: res.data.partner.label },
      { siteUrl: 'https://partner.atlassian.net', projectKey: 'PARTNER', label: 'partner.atlassian.net · PARTNER' },
    );
    assert.deepEqual(res.data.partners.map((p: { connectionId: string }) => p.connectionId), [res.data.partner.connectionId], 'one connection, and it is the partner offered');
  });

  test('turning sync on creates the partner issue with the mapped fields and the comments', async () => {
    const local = await sb.issue('local', 'ALOY-41');
    const partnerKey = await linked('ALOY-41');
    assert.match(partnerKey, /^PARTNER-\d+$/);
    const partner = await sb.issue('partner', partnerKey);
    assert.equal(partner.fields.summary, local.fields.summary);
    assert.equal(adfText(partner.fields.description), adfText(local.fields.description));
    assert.deepEqual(partner.fields.labels, [...local.fields.labels].sort());
    assert.equal(partner.fields.priority.name, 'High');
    assert.equal(local.fields.status.name, 'Closed');
    assert.equal(partner.fields.status.name, 'Closed');
    const localComments = await sb.comments('local', 'ALOY-41');
    const partnerComments = await sb.comments('partner', partnerKey);
    assert.equal(partnerComments.length, localComments.length);
    assert.match(adfText(partnerComments[0].body), /wrote on local\.atlassian\.net/);
  });

  test('the panel and glance then show the partner key and last sync', async () => {
    const res = await sb.invoke('task-sync-glance', 'getIssueSync', {}, { issueKey: 'ALOY-41' });
    assert.equal(res.ok, true);
    assert.match(res.data.link.partnerIssueKey, /^PARTNER-\d+$/);
    assert.equal(res.data.link.partnerIssueUrl, `https://partner.atlassian.net/browse/${res.data.link.partnerIssueKey}`);
    assert.equal(res.data.link.state, 'ok');
    assert.ok(res.data.link.lastSyncAt);
    const props = await sb.rest('local', 'GET', '/rest/api/3/issue/ALOY-41/properties');
    const glanceKey = props.body.keys.map((k: any) => k.key).find((k: string) => /^com\.atlassian\.jira\.issue:.+:task-sync-glance:status$/.test(k));
    assert.ok(glanceKey, `glance status property set; keys: ${JSON.stringify(props.body.keys)}`);
    const prop = await sb.rest('local', 'GET', `/rest/api/3/issue/ALOY-41/properties/${glanceKey}`);
    assert.deepEqual(prop.body.value, { type: 'lozenge', value: { label: res.data.link.partnerIssueKey, type: 'success' } });
  });

  test('an attachment in a real description reaches the partner as readable text, not a broken image', async () => {
    const partnerKey = await linked('ALOY-1546');
    const partner = await sb.issue('partner', partnerKey);
    assert.match(adfText(partner.fields.description), /\[attachment: Screenshot_20170312-231225\.png\]/);
    assert.equal(JSON.stringify(partner.fields.description).includes('"type":"media"'), false);
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Edited next to a degraded attachment' } });
    await sb.idle();
    const local = await sb.issue('local', 'ALOY-1546');
    assert.equal(local.fields.summary, 'Edited next to a degraded attachment');
    assert.ok(JSON.stringify(local.fields.description).includes('"type":"media"'), 'the local description keeps its attachment');
  });

  test('two confirms at once make exactly one partner issue', async () => {
    await sb.resetStats('partner');
    const [a, b] = await Promise.all([sb.enableSync('ALOY-95'), sb.enableSync('ALOY-95')]);
    await sb.idle();
    assert.equal(a.link.partnerIssueKey, b.link.partnerIssueKey);
    const found = await sb.rest('partner', 'POST', '/rest/api/3/search/jql', { jql: 'project = PARTNER', fields: ['summary'], maxResults: 100 });
    const local = await sb.issue('local', 'ALOY-95');
    const copies = found.body.issues.filter((i: any) => i.fields.summary === local.fields.summary);
    assert.equal(copies.length, 1, `expected one partner copy of ALOY-95, saw ${copies.map((i: any) => i.key).join(', ')}`);
  });
});

describe('local edits reach the partner', () => {
  let partnerKey = '';
  before(async () => {
    partnerKey = await linked('ALOY-103');
  });

  test('summary, description, priority and labels', async () => {
    const res = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-103', {
      fields: { summary: 'Local summary edit', description: adfParagraph('Local description edit'), priority: { name: 'Low' }, labels: ['zeta', 'alpha'] },
    });
    assert.equal(res.status, 204);
    await sb.idle();
    const partner = await sb.issue('partner', partnerKey);
    assert.equal(partner.fields.summary, 'Local summary edit');
    assert.equal(adfText(partner.fields.description), 'Local description edit');
    assert.equal(partner.fields.priority.name, 'Low');
    assert.deepEqual(partner.fields.labels, ['alpha', 'zeta']);
  });

  test('status moves through the partner workflow', async () => {
    await sb.transition('local', 'ALOY-103', 'Reopened');
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey)).fields.status.name, 'Open');
    await sb.transition('local', 'ALOY-103', 'In Progress');
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey)).fields.status.name, 'Working');
  });

  test('one local edit causes exactly one write on the partner and no echo write back', async () => {
    await sb.idle();
    await Promise.all([sb.resetStats('partner'), sb.resetStats('local')]);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-103', { fields: { summary: 'Counted edit' } });
    await sb.idle();
    const partner = await sb.stats('partner');
    const local = await sb.stats('local');
    assert.deepEqual(partner.writes.byRoute, { 'PUT /rest/api/3/issue/{issueIdOrKey}': 1 });
    assert.deepEqual(local.writes.byRoute, { 'PUT /rest/api/3/issue/{issueIdOrKey}': 1 }, 'only the user edit itself: the app wrote nothing back');
  });
});

describe('partner edits reach the local issue', () => {
  let partnerKey = '';
  before(async () => {
    partnerKey = await linked('ALOY-138');
  });

  test('summary, description, priority and labels', async () => {
    const res = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, {
      fields: { summary: 'Partner summary edit', description: adfParagraph('Partner description edit'), priority: { name: 'Highest' }, labels: ['from-partner'] },
    });
    assert.equal(res.status, 204);
    await sb.idle();
    const local = await sb.issue('local', 'ALOY-138');
    assert.equal(local.fields.summary, 'Partner summary edit');
    assert.equal(adfText(local.fields.description), 'Partner description edit');
    assert.equal(local.fields.priority.name, 'Critical');
    assert.deepEqual(local.fields.labels, ['from-partner']);
  });

  test('status: partner reopens, local goes to the equivalent status its workflow allows', async () => {
    await sb.transition('partner', partnerKey, 'Open');
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-138')).fields.status.name, 'Reopened');
    await sb.transition('partner', partnerKey, 'Working');
    await sb.idle();
    assert.equal((await sb.issue('local', 'ALOY-138')).fields.status.name, 'In Progress');
  });
});

describe('comments', () => {
  let partnerKey = '';
  before(async () => {
    partnerKey = await linked('ALOY-191');
  });

  test('a local comment is mirrored with attribution; its edit follows at the next reconcile, its delete at once', async () => {
    const created = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-191/comment', { body: adfParagraph('Local comment one') });
    assert.equal(created.status, 201);
    await sb.idle();
    let mirror = (await sb.comments('partner', partnerKey)).find((c) => adfText(c.body).includes('Local comment one'));
    assert.ok(mirror, 'mirror created on partner');
    assert.match(adfText(mirror.body), /Local Admin wrote on local\.atlassian\.net/);

    // Forge sends no product event for a comment edit, so the scheduled reconcile (updated >= watermark) finds it.
    await sb.rest('local', 'PUT', `/rest/api/3/issue/ALOY-191/comment/${created.body.id}`, { body: adfParagraph('Local comment one, edited') });
    await sb.idle();
    await sb.reconcile();
    await sb.idle();
    mirror = (await sb.comments('partner', partnerKey)).find((c) => c.id === mirror.id);
    assert.match(adfText(mirror.body), /Local comment one, edited/);

    await sb.rest('local', 'DELETE', `/rest/api/3/issue/ALOY-191/comment/${created.body.id}`);
    await sb.idle();
    assert.equal((await sb.comments('partner', partnerKey)).some((c) => c.id === mirror.id), false);
  });

  test('a partner comment is mirrored locally, then its edit and delete follow', async () => {
    const created = await sb.rest('partner', 'POST', `/rest/api/3/issue/${partnerKey}/comment`, { body: adfParagraph('Partner comment one') });
    assert.equal(created.status, 201);
    await sb.idle();
    let mirror = (await sb.comments('local', 'ALOY-191')).find((c) => adfText(c.body).includes('Partner comment one'));
    assert.ok(mirror, 'mirror created locally');
    assert.match(adfText(mirror.body), /Partner Admin wrote on partner\.atlassian\.net/);

    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}/comment/${created.body.id}`, { body: adfParagraph('Partner comment one, edited') });
    await sb.idle();
    mirror = (await sb.comments('local', 'ALOY-191')).find((c) => c.id === mirror.id);
    assert.match(adfText(mirror.body), /Partner comment one, edited/);

    await sb.rest('partner', 'DELETE', `/rest/api/3/issue/${partnerKey}/comment/${created.body.id}`);
    await sb.idle();
    assert.equal((await sb.comments('local', 'ALOY-191')).some((c) => c.id === mirror.id), false);
  });

  test('mirrors are never mirrored back', async () => {
    const local = await sb.comments('local', 'ALOY-191');
    const partner = await sb.comments('partner', partnerKey);
    assert.equal(local.length, partner.length, `local has ${local.length} comments, partner ${partner.length}`);
  });
});

describe('conflicts', () => {
  test('under the manual policy a field changed on both sides is left as each side has it, marked and logged', async () => {
    const save = (conflictPolicy: string) => sb.saveSettings({ conflictPolicy });
    assert.equal((await save('manual')).ok, true);
    try {
      const partnerKey = await linked('ALOY-192');
      await sb.editSummaryOnBothSides('ALOY-192', partnerKey, { partner: 'Partner wording', local: 'Local wording' });

      assert.equal((await sb.issue('local', 'ALOY-192')).fields.summary, 'Local wording');
      assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Partner wording');
      const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-192' });
      assert.equal(panel.data.link.state, 'conflicted');
      const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-192' && e.outcome === 'conflict');
      assert.ok(entry, 'a conflict entry in the sync log');
      assert.match(entry.message, /Summary changed on both sides; left for you to choose between local 'Local wording' and partner 'Partner wording'/);
    } finally {
      assert.equal((await save('newest-wins')).ok, true);
    }
  });

  test('a conflict settled by the policy logs the value it kept and the value it discarded', async () => {
    const partnerKey = await linked('ALOY-193');
    await sb.editSummaryOnBothSides('ALOY-193', partnerKey, { partner: 'Older partner wording', local: 'Newer local wording' });
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Newer local wording');
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-193' && e.outcome === 'conflict');
    assert.ok(entry, 'a conflict entry in the sync log');
    assert.match(entry.message, /Summary changed on both sides; kept local 'Newer local wording', discarded partner 'Older partner wording'\./);
  });
});
