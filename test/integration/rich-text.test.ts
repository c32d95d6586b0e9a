/**
 * Rich text through real sync jobs (the sandbox's Forge host running the unmodified handlers against the Jira
 * emulator over HTTP): a description with every structure (task and decision lists included) turns sync on and comes
 * back unchanged; mentions of a mapped person are re-pointed and notify each account once; a partner edit of another
 * field leaves the local description byte for byte; a description over Jira's 32,767 characters is left out with a
 * clear log line while the rest syncs; the emulator refuses what Jira refuses.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { seededAccountId } from '../../sandbox/jira/users';
import type { MentionNotifications } from '../../sandbox/jira/routes/mentions';
import { canonicalAdf, sameAdf } from '../../src/model/adf';
import { REGISTRY } from '../../src/model/fields';
import { mentionedIds } from '../../src/model/mentions';
import type { AdfDoc } from '../../src/model/types';
import { structureDoc } from '../support/rich-text';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20100);
const TONY = { local: seededAccountId('tlukasavage'), partner: '557058:7e1a0c52-partner-tony' };

beforeAll(async () => {
  await sb.start();
});
afterAll(async () => {
  await sb.stop();
});

type Site = 'local' | 'partner';
const mentions = async (site: Site, issueKey: string) => {
  const res = await fetch(`${sb.cfg[site].url}/__sandbox/mentions?issueKey=${encodeURIComponent(issueKey)}`);
  return ((await res.json()) as MentionNotifications).notifications;
};
const description = async (site: Site, key: string) => (await sb.issue(site, key, 'description')).fields.description as AdfDoc | null;
const withTony = (site: Site) => structureDoc({ id: TONY[site], text: '@Tony Lukasavage' });
/** One paragraph node. */
const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const put = (site: Site, key: string, fields: Record<string, unknown>) => sb.rest(site, 'PUT', `/rest/api/3/issue/${key}`, { fields });

describe('a description with every structure and a mention of a mapped person', () => {
  const KEY = 'ALOY-81';
  let partnerKey = '';

  test('turns sync on: the partner gets the same document, task and decision lists with their localIds, the mention re-pointed', async () => {
    assert.equal((await put('local', KEY, { description: withTony('local') })).status, 204);
    partnerKey = (await sb.enableSync(KEY)).link.partnerIssueKey;
    await sb.idle();
    const there = await description('partner', partnerKey);
    assert.ok(sameAdf(there, withTony('partner')), JSON.stringify(canonicalAdf(there)).slice(0, 400));
    const json = JSON.stringify(there);
    for (const id of ['tl-1', 'ti-1', 'ti-2', 'dl-1', 'di-1']) assert.ok(json.includes(`"localId":"${id}"`), `${id} kept`);
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: KEY });
    assert.equal(panel.data.link.state, 'ok');
  });

  test('notifies Tony once on each site: by the person who wrote it locally, and by the sync on the partner', async () => {
    assert.deepEqual((await mentions('local', KEY)).map((n) => [n.accountId, n.by, n.where]), [[TONY.local, sb.cfg.local.admin.accountId, 'description']]);
    assert.deepEqual((await mentions('partner', partnerKey)).map((n) => [n.accountId, n.by, n.where, n.write]), [[TONY.partner, sb.cfg.partner.admin.accountId, 'description', 'issue_created']]);
  });

  test('a partner edit elsewhere in the text comes back with the mention pointing at the local account, and notifies nobody again', async () => {
    const edited = { ...withTony('partner'), content: [...withTony('partner').content, para('Added on the partner')] };
    assert.equal((await put('partner', partnerKey, { description: edited })).status, 204);
    await sb.idle();
    const here = await description('local', KEY);
    assert.ok(sameAdf(here, { ...withTony('local'), content: [...withTony('local').content, para('Added on the partner')] }), JSON.stringify(canonicalAdf(here)).slice(-300));
    assert.equal((await mentions('local', KEY)).length, 1, 'the unchanged mention did not notify local Tony again');
    assert.equal((await mentions('partner', partnerKey)).length, 1, 'nor partner Tony');
  });

  test('a partner edit of another field leaves the local description byte for byte as it was', async () => {
    const before = JSON.stringify(await description('local', KEY));
    assert.equal((await put('partner', partnerKey, { summary: 'Renamed on the partner' })).status, 204);
    await sb.idle();
    const after = await sb.issue('local', KEY, 'summary,description');
    assert.equal(after.fields.summary, 'Renamed on the partner');
    assert.equal(JSON.stringify(after.fields.description), before);
  });

  test('a comment mentioning Tony is mirrored with the partner account; editing it elsewhere notifies nobody again', async () => {
    const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Over to ' }, { type: 'mention', attrs: { id: TONY.local, text: '@Tony Lukasavage' } }] }] };
    const created = await sb.rest('local', 'POST', `/rest/api/3/issue/${KEY}/comment`, { body });
    assert.equal(created.status, 201);
    await sb.idle();
    const mirror = (await sb.comments('partner', partnerKey)).at(-1);
    assert.ok(JSON.stringify(mirror.body).includes(`"id":"${TONY.partner}"`), JSON.stringify(mirror.body));
    const onComments = async (site: Site, key: string) => (await mentions(site, key)).filter((n) => n.where.startsWith('comment:'));
    assert.deepEqual((await onComments('partner', partnerKey)).map((n) => [n.accountId, n.write]), [[TONY.partner, 'comment_created']]);

    const edited = { ...body, content: [...body.content, para('(edited: see the new logs)')] };
    assert.equal((await sb.rest('local', 'PUT', `/rest/api/3/issue/${KEY}/comment/${created.body.id}`, { body: edited })).status, 200);
    // Jira sends no product event for a comment edit: the scheduled reconcile finds it.
    await sb.reconcile();
    await sb.idle();
    assert.match(JSON.stringify((await sb.comments('partner', partnerKey)).at(-1).body), /see the new logs/);
    assert.equal((await onComments('partner', partnerKey)).length, 1, 'the mirror update kept the mention: no second notification');
    assert.equal((await onComments('local', KEY)).length, 1);
  });
});

describe('a sample of real seed descriptions through real sync jobs', () => {
  /** Seed issues holding a table, code blocks, headings and lists, a quote, an ordered list, emoji, a rule, a panel, mentions of mapped people, an attachment. */
  const KEYS = ['ALOY-602', 'ALOY-1366', 'ALOY-103', 'ALOY-104', 'ALOY-641', 'ALOY-179', 'ALOY-548', 'ALOY-1740', 'ALOY-742', 'ALOY-904', 'ALOY-814'];
  const appended = (d: AdfDoc | null, text: string): AdfDoc => ({ type: 'doc', version: 1, content: [...(d?.content ?? []), para(text)] });

  test('go to the partner and come back from a partner edit saying the same, mentions re-pointed, attachments as text', async () => {
    const connection = (await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' })).data.connections[0];
    const row = connection.mapping.fields.find((f: { local: string }) => f.local === 'description');
    const codec = REGISTRY.paragraph;
    const mentioned: Record<string, string[]> = {};
    for (const key of KEYS) {
      const original = await description('local', key);
      const partnerKey = (await sb.enableSync(key)).link.partnerIssueKey;
      await sb.idle();
      const there = await description('partner', partnerKey);
      const expected = codec.convert(codec.read(original), { from: 'local', field: row, mapping: connection.mapping }) as { value: AdfDoc };
      assert.ok(sameAdf(there, expected.value), `${key}: the partner holds what the codec wrote`);
      mentioned[partnerKey] = mentionedIds(there);
      const hasAttachment = JSON.stringify(original).includes('"type":"media"');
      assert.equal(JSON.stringify(there).includes('[attachment: '), hasAttachment, `${key}: attachments read as text`);

      assert.equal((await put('partner', partnerKey, { description: appended(there, `Partner note on ${key}`) })).status, 204);
      await sb.idle();
      const back = await description('local', key);
      if (!hasAttachment) assert.ok(sameAdf(back, appended(original, `Partner note on ${key}`)), `${key}: came back unchanged but for the partner's note`);
      else assert.match(JSON.stringify(back), new RegExp(`Partner note on ${key}`));
    }
    // ALOY-904 mentions Tony, mapped by email: his partner account was notified once, by the create, and the
    // partner's later edit of the text around the mention notified nobody again.
    const partner904 = (await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-904' })).data.link.partnerIssueKey;
    assert.deepEqual(mentioned[partner904], [TONY.partner]);
    const notices = await mentions('partner', partner904);
    assert.deepEqual(notices.map((n) => [n.accountId, n.write]).sort(), mentioned[partner904].map((id) => [id, 'issue_created']).sort());
  });
});

describe('a description over Jira\'s 32,767 characters', () => {
  test('the emulator refuses it as Jira Cloud does, and changes nothing', async () => {
    const long = { type: 'doc', version: 1, content: [para('x'.repeat(32768))] };
    const res = await put('partner', 'PARTNER-1', { description: long, summary: 'Not applied' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { errorMessages: ['CONTENT_LIMIT_EXCEEDED'], errors: {} });
    assert.notEqual((await sb.issue('partner', 'PARTNER-1', 'summary')).fields.summary, 'Not applied');
    assert.equal((await put('partner', 'PARTNER-1', { description: { type: 'doc', version: 1, content: [para('x'.repeat(32767))] } })).status, 204, 'the limit itself is fine');
  });

  test('ALOY-615 (over 50,000 characters, imported) turns sync on without its description; the log says why; later edits sync, the description is never retried in a loop', async () => {
    const partnerKey = (await sb.enableSync('ALOY-615')).link.partnerIssueKey;
    await sb.idle();
    const partner = await sb.issue('partner', partnerKey, 'summary,description');
    assert.equal(partner.fields.description, null, 'nothing cut, nothing written');
    assert.equal(partner.fields.summary, (await sb.issue('local', 'ALOY-615', 'summary')).fields.summary);
    const entries = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-615');
    assert.ok(entries.some((e) => /description not copied: the local Description has 50,\d{3} characters of text and Jira takes at most 32,767, so it was not copied \(it is never cut to fit\)/.test(e.message)), entries.map((e) => e.message).join('\n'));

    await sb.resetStats('partner');
    assert.equal((await put('local', 'ALOY-615', { summary: 'Summary beside a description too big for Jira Cloud' })).status, 204);
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey, 'summary')).fields.summary, 'Summary beside a description too big for Jira Cloud');
    const stats = await sb.stats('partner');
    assert.equal(stats.writes.byRoute['PUT /rest/api/3/issue/{issueIdOrKey}'], 1, 'one edit, no refused attempt');
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-615' });
    assert.equal(panel.data.link.state, 'ok', 'not a failure to retry');
    const latest = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-615');
    assert.deepEqual(latest.filter((e) => e.outcome === 'failed'), []);
    const run = latest.find((e) => e.fields.includes('summary'));
    // The description is unchanged since it was left out, so the run neither writes nor logs it again.
    assert.equal(run?.message, 'Synced summary.', latest.map((e) => e.message).join('\n'));

    // Nobody can make it longer (Jira refuses that write too); once someone shortens it, it syncs.
    const local = await description('local', 'ALOY-615');
    const longer = { ...local!, content: [...local!.content, para('One more line')] };
    assert.equal((await put('local', 'ALOY-615', { description: longer })).status, 400);
    assert.equal((await put('local', 'ALOY-615', { summary: 'Second summary edit', description: { type: 'doc', version: 1, content: [para('Short now')] } })).status, 204);
    await sb.idle();
    const short = await sb.issue('partner', partnerKey, 'summary,description');
    assert.equal(short.fields.summary, 'Second summary edit');
    assert.ok(sameAdf(short.fields.description, { type: 'doc', version: 1, content: [para('Short now')] }), 'once it fits, it syncs');
  });
});

describe('the emulator behaves as Jira', () => {
  const taskList = (attrs: Record<string, unknown>, item: Record<string, unknown>) => ({ type: 'doc', version: 1, content: [{ type: 'taskList', attrs, content: [{ type: 'taskItem', attrs: item, content: [{ type: 'text', text: 'a task' }] }] }] });

  test('a task list or task item without its localId, with Jira\'s error shape, and nothing changes', async () => {
    const before = JSON.stringify(await description('local', 'ALOY-82'));
    for (const doc of [taskList({}, { localId: 'b', state: 'TODO' }), taskList({ localId: 'a' }, { state: 'TODO' })]) {
      const res = await put('local', 'ALOY-82', { description: doc });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } });
    }
    assert.equal(JSON.stringify(await description('local', 'ALOY-82')), before);
    assert.equal((await put('local', 'ALOY-82', { description: taskList({ localId: 'a' }, { localId: 'b', state: 'TODO' }) })).status, 204);
  });

  test('mention notifications: a new mention notifies, an unchanged one does not, the writer never', async () => {
    const admin = sb.cfg.local.admin.accountId;
    const CHRIS = seededAccountId('cbarber');
    const text = (...ids: string[]) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'cc ' }, ...ids.map((id) => ({ type: 'mention', attrs: { id, text: '@someone' } }))] }] });
    assert.equal((await put('local', 'ALOY-83', { description: text(TONY.local, admin) })).status, 204);
    assert.equal((await put('local', 'ALOY-83', { description: text(TONY.local, admin, CHRIS) })).status, 204);
    assert.equal((await put('local', 'ALOY-83', { summary: 'Other field only' })).status, 204);
    assert.deepEqual((await mentions('local', 'ALOY-83')).map((n) => [n.accountId, n.by, n.write]), [[TONY.local, admin, 'issue_updated'], [CHRIS, admin, 'issue_updated']]);
  });

  test('a comment whose ADF is invalid (an unknown node)', async () => {
    const res = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-82/comment', { body: { type: 'doc', version: 1, content: [{ type: 'blink', content: [] }] } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { errorMessages: ['Comment body is not valid!'], errors: {} });
  });
});
