/**
 * Images embedded in descriptions and comments (ADF `media` nodes) through the real handlers and the emulator over
 * HTTP: a description copied at opt-in, before its file is mirrored, is rewritten to show the mirror once the file
 * is copied; comments with images reach the other side pointing at the mirrored file, both ways; a mirror written as
 * text by an earlier version is rewritten once; none of these rewrites comes back as an edit, and a run with nothing
 * to rewrite costs the floor of partner calls (one read of the issue, no write); a partner edit of a copy that shows
 * an image as text (its file over the partner's limit) does not take the image away from the local issue.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { portableAdf } from '../../src/model/portable';
import { setAttachmentSettings } from '../../sandbox/jira/attachments';
import { PARTNER_EDITOR } from '../../sandbox/jira/users';
import { attachmentHelpers, bytes } from '../support/attachments';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20700);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

type Site = 'local' | 'partner';
const editor = { email: PARTNER_EDITOR.email, apiToken: PARTNER_EDITOR.apiToken };
const { upload, attachments, mediaId } = attachmentHelpers(sb);
const ISSUE_READ = 'GET /rest/api/3/issue/{issueIdOrKey}';

/** A text followed by one embedded image of the file `mediaFileId`, as Jira Cloud's editor writes it. */
function withImage(text: string, mediaFileId: string, alt: string) {
  return {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [{ type: 'text', text }] },
      { type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { type: 'file', id: mediaFileId, collection: '', alt } }] },
    ],
  };
}

/** Attaches `filename` to an issue and returns its attachment id and media id. */
async function attach(site: Site, key: string, filename: string, who?: typeof editor): Promise<{ id: string; media: string }> {
  const res = await upload(site, key, filename, bytes(700, filename.length), { who });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { id: res.body[0].id, media: await mediaId(site, res.body[0].id) };
}

/** The media id of the mirror of `filename` on `site`'s issue. @throws AssertionError when the file is not there */
async function mirrorMedia(site: Site, key: string, filename: string): Promise<string> {
  const mirror = (await attachments(site, key)).find((a) => a.filename === filename);
  assert.ok(mirror, `${filename} is mirrored to ${site} ${key}`);
  return mediaId(site, mirror.id);
}

const panel = (fn: string, issueKey: string) => sb.invoke('task-sync-panel', fn, {}, { issueKey });

/** Runs *Sync now* for a local issue and waits for the sandbox to settle. */
async function syncNow(issueKey: string): Promise<void> {
  const res = await panel('syncNow', issueKey);
  assert.equal(res.ok, true, JSON.stringify(res.error));
  await sb.idle();
}

/** Partner requests and writes since the last stats reset, per route. */
async function partnerCalls(): Promise<{ requests: Record<string, number>; writes: Record<string, number> }> {
  const s = await sb.stats('partner');
  return { requests: s.requests, writes: s.writes.byRoute };
}

describe('an image in a description copied before its file', () => {
  let partnerKey = '';
  let partnerMedia = '';
  let localMedia = '';

  test('at opt-in the copy is written first; once the file is mirrored the image points at the mirror', async () => {
    localMedia = (await attach('local', 'ALOY-21', 'wiring.png')).media;
    const edit = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-21', { fields: { description: withImage('The board is wired as shown:', localMedia, 'wiring.png') } });
    assert.equal(edit.status, 204, JSON.stringify(edit.body));
    await sb.resetStats('partner');
    await sb.resetStats('local');
    partnerKey = await sb.linked('ALOY-21');
    partnerMedia = await mirrorMedia('partner', partnerKey, 'wiring.png');
    const partner = JSON.stringify((await sb.issue('partner', partnerKey, 'description')).fields.description);
    assert.ok(partner.includes(`"id":"${partnerMedia}"`), `the partner description shows the mirror: ${partner}`);
    assert.ok(!partner.includes('[attachment:'), `no [attachment: …] text left: ${partner}`);
    const { writes } = await partnerCalls();
    assert.equal(writes['POST /rest/api/3/issue'], 1, JSON.stringify(writes));
    assert.equal(writes['PUT /rest/api/3/issue/{issueIdOrKey}'], 1, `one rewrite of the copy after the create, no more: ${JSON.stringify(writes)}`);
    const notes = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-21' && /Description on the partner issue now shows wiring\.png/.test(e.message));
    assert.equal(notes.length, 1, 'the sync log says so once');
  });

  test('the rewrite does not come back: the local description is untouched and the next run only reads', async () => {
    const local = JSON.stringify((await sb.issue('local', 'ALOY-21', 'description')).fields.description);
    assert.ok(local.includes(`"id":"${localMedia}"`) && !local.includes(partnerMedia), `the local image still names the local file: ${local}`);
    const localWrites = (await sb.stats('local')).writes.byRoute;
    assert.equal(localWrites['PUT /rest/api/3/issue/{issueIdOrKey}'], undefined, `no edit of the local issue since opt-in: ${JSON.stringify(localWrites)}`);
    await sb.resetStats('partner');
    await syncNow('ALOY-21');
    const calls = await partnerCalls();
    assert.deepEqual(calls, { requests: { [ISSUE_READ]: 1 }, writes: {} }, 'one read of the partner issue, no write');
  });
});

describe('an image whose file cannot be mirrored', () => {
  test('a partner edit of the copy, which shows it as text, reaches the local issue without taking the image away', async () => {
    const partnerKey = await sb.linked('ALOY-24');
    setAttachmentSettings(sb.running.jira.sites.partner.store, { uploadLimit: 500 });
    try {
      const { media } = await attach('local', 'ALOY-24', 'big-diagram.png');
      const edit = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-24', { fields: { description: withImage('Architecture:', media, 'big-diagram.png') } });
      assert.equal(edit.status, 204, JSON.stringify(edit.body));
      await sb.idle();
      const copy = (await sb.issue('partner', partnerKey, 'description')).fields.description;
      assert.ok(JSON.stringify(copy).includes('[attachment: big-diagram.png]'), `the file is over the partner's limit, so the copy says so: ${JSON.stringify(copy)}`);
      const partnerEdit = { ...copy, content: [...copy.content, { type: 'paragraph', content: [{ type: 'text', text: 'Partner: the cache sits in front.' }] }] };
      const put = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { description: partnerEdit } }, editor);
      assert.equal(put.status, 204, JSON.stringify(put.body));
      await sb.idle();
      const local = JSON.stringify((await sb.issue('local', 'ALOY-24', 'description')).fields.description);
      assert.ok(local.includes('Partner: the cache sits in front.'), `the partner's edit arrived: ${local}`);
      assert.ok(local.includes(`"id":"${media}"`) && !local.includes('[attachment:'), `the local image is kept: ${local}`);
    } finally {
      setAttachmentSettings(sb.running.jira.sites.partner.store, { uploadLimit: 2 * 1024 * 1024 * 1024 });
    }
  });
});

describe('an image in a comment', () => {
  let partnerKey = '';

  test('a local comment with an image reaches the partner pointing at the mirrored file', async () => {
    partnerKey = await sb.linked('ALOY-22');
    const file = await attach('local', 'ALOY-22', 'crash.png');
    const res = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-22/comment', { body: withImage('Crashes here:', file.media, 'crash.png') });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await sb.idle();
    const media = await mirrorMedia('partner', partnerKey, 'crash.png');
    const mirror = (await sb.comments('partner', partnerKey)).find((c) => JSON.stringify(c.body).includes('Crashes here:'));
    assert.ok(mirror, 'mirrored');
    const body = JSON.stringify(mirror.body);
    assert.ok(body.includes(`"id":"${media}"`) && !body.includes('[attachment:'), `the mirror shows the partner's copy of the file: ${body}`);
  });

  test('a partner comment with an image reaches the local issue pointing at the mirrored file', async () => {
    const file = await attach('partner', partnerKey, 'partner-trace.png', editor);
    const res = await sb.rest('partner', 'POST', `/rest/api/3/issue/${partnerKey}/comment`, { body: withImage('Our trace:', file.media, 'partner-trace.png') }, editor);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await sb.idle();
    const media = await mirrorMedia('local', 'ALOY-22', 'partner-trace.png');
    const mirror = (await sb.comments('local', 'ALOY-22')).find((c) => JSON.stringify(c.body).includes('Our trace:'));
    assert.ok(mirror, 'mirrored');
    const body = JSON.stringify(mirror.body);
    assert.ok(body.includes(`"id":"${media}"`) && !body.includes('[attachment:'), `the local mirror shows the local copy of the file: ${body}`);
    assert.equal((await sb.comments('partner', partnerKey)).filter((c) => JSON.stringify(c.body).includes('Our trace:')).length, 1, 'not mirrored back');
  });

  test('a mirror written as text by an earlier version is rewritten once at the next sync, and nothing comes back', async () => {
    const mirror = (await sb.comments('partner', partnerKey)).find((c) => JSON.stringify(c.body).includes('Crashes here:'));
    // What the app wrote before comments carried images: the image as `[attachment: crash.png]` text. Written as the
    // app's partner account (the API-token user), unannounced, as that version left it.
    const asText = portableAdf(mirror.body);
    assert.ok(JSON.stringify(asText).includes('[attachment: crash.png]'));
    await sb.faults('partner', { webhookDrop: 1 });
    try {
      const put = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}/comment/${mirror.id}`, { body: asText });
      assert.equal(put.status, 200, JSON.stringify(put.body));
    } finally {
      await sb.faults('partner', null);
    }
    const localBefore = await sb.comments('local', 'ALOY-22');
    await sb.resetStats('partner');
    await sb.resetStats('local');
    await syncNow('ALOY-22');
    const fixed = JSON.stringify((await sb.comments('partner', partnerKey)).find((c) => c.id === mirror.id)?.body);
    assert.ok(fixed.includes(`"id":"${await mirrorMedia('partner', partnerKey, 'crash.png')}"`) && !fixed.includes('[attachment:'), `the mirror shows the image again: ${fixed}`);
    assert.deepEqual((await partnerCalls()).writes, { 'PUT /rest/api/3/issue/{issueIdOrKey}/comment/{id}': 1 });
    assert.deepEqual((await sb.stats('local')).writes.byRoute, {}, 'nothing written to the local issue');
    assert.deepEqual(await sb.comments('local', 'ALOY-22'), localBefore);
    await sb.resetStats('partner');
    await syncNow('ALOY-22');
    assert.deepEqual(await partnerCalls(), { requests: { [ISSUE_READ]: 1 }, writes: {} }, 'the next run only reads: no second rewrite');
  });
});
