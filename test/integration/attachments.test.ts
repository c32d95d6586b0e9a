/**
 * Attachments through the real handlers and the emulator over HTTP: files cross the link both ways, deletes
 * follow, a file over the partner's limit is logged once and never retried while other fields still sync, an
 * image embedded in a description points at its mirror on the other site, and the emulator refuses an upload
 * without `X-Atlassian-Token: no-check` as Jira does.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { setAttachmentSettings } from '../../sandbox/jira/attachments';
import { attachmentHelpers, bytes } from '../support/attachments';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20600);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

const { upload, attachments, content, mediaId } = attachmentHelpers(sb);

describe('the emulator takes attachments as Jira Cloud does', () => {
  test('an upload without X-Atlassian-Token: no-check is refused with 403 and attaches nothing', async () => {
    const before = (await attachments('local', 'ALOY-5')).length;
    const res = await upload('local', 'ALOY-5', 'no-token.png', bytes(10), { token: false });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body.errorMessages, ['XSRF check failed']);
    assert.equal((await attachments('local', 'ALOY-5')).length, before);
  });

  test('a file over the upload limit is answered 413 and attaches nothing; meta tells the limit', async () => {
    setAttachmentSettings(sb.running.jira.sites.partner.store, { uploadLimit: 1000 });
    try {
      const meta = await sb.rest('partner', 'GET', '/rest/api/3/attachment/meta');
      assert.deepEqual(meta.body, { enabled: true, uploadLimit: 1000 });
      const issue = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: 'Upload limit' } });
      const res = await upload('partner', issue.body.key, 'big.png', bytes(1001));
      assert.equal(res.status, 413);
      assert.equal((await attachments('partner', issue.body.key)).length, 0);
    } finally {
      setAttachmentSettings(sb.running.jira.sites.partner.store, { uploadLimit: 2 * 1024 * 1024 * 1024 });
    }
  });
});

describe('attachments sync both ways', () => {
  let partnerKey = '';
  let localId = '';
  test('a file attached locally reaches the partner issue with the same bytes', async () => {
    partnerKey = await sb.linked('ALOY-12');
    const res = await upload('local', 'ALOY-12', 'screenshot.png', bytes(5000));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    localId = res.body[0].id;
    await sb.idle();
    const there = await attachments('partner', partnerKey);
    assert.deepEqual(there.map((a) => [a.filename, a.size]), [['screenshot.png', 5000]]);
    assert.deepEqual(await content('partner', there[0].id), Buffer.from(bytes(5000)));
  });

  test('a file attached on the partner reaches the local issue, once', async () => {
    const res = await upload('partner', partnerKey, 'partner-log.txt', bytes(300, 3));
    assert.equal(res.status, 200);
    await sb.idle();
    await sb.reconcile();
    await sb.idle();
    const here = await attachments('local', 'ALOY-12');
    assert.deepEqual(here.map((a) => a.filename).sort(), ['partner-log.txt', 'screenshot.png']);
    assert.deepEqual(await content('local', here.find((a) => a.filename === 'partner-log.txt')!.id), Buffer.from(bytes(300, 3)));
    assert.equal((await attachments('partner', partnerKey)).length, 2, 'no echo copy on the partner');
  });

  test('deleting the original deletes its mirror', async () => {
    const del = await sb.rest('local', 'DELETE', `/rest/api/3/attachment/${localId}`);
    assert.equal(del.status, 204);
    await sb.idle();
    assert.deepEqual((await attachments('partner', partnerKey)).map((a) => a.filename), ['partner-log.txt']);
  });
});

describe('a file over the partner limit', () => {
  test('is logged once with name, size and limit, never retried, and other fields still sync', async () => {
    const partnerKey = await sb.linked('ALOY-14');
    setAttachmentSettings(sb.running.jira.sites.partner.store, { uploadLimit: 2000 });
    try {
      const res = await upload('local', 'ALOY-14', 'huge.bin', bytes(4000));
      assert.equal(res.status, 200);
      await sb.idle();
      await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-14', { fields: { summary: 'Edited after a large file' } });
      await sb.idle();
      await sb.reconcile();
      await sb.idle();
      assert.equal((await attachments('partner', partnerKey)).length, 0);
      const partner = await sb.rest('partner', 'GET', `/rest/api/3/issue/${partnerKey}?fields=summary`);
      assert.equal(partner.body.fields.summary, 'Edited after a large file');
      const mentions = (await sb.log()).filter((e: any) => e.localIssueKey === 'ALOY-14' && e.message.includes('huge.bin'));
      assert.equal(mentions.length, 1, JSON.stringify(mentions));
      assert.match(mentions[0].message, /"huge\.bin" \(4,000 bytes\) on the local issue was not copied: it is over the partner site's upload limit \(2,000 bytes\)/);
    } finally {
      setAttachmentSettings(sb.running.jira.sites.partner.store, { uploadLimit: 2 * 1024 * 1024 * 1024 });
    }
  });
});

describe('an image embedded in a description', () => {
  test('points at the mirrored attachment on the partner site', async () => {
    const partnerKey = await sb.linked('ALOY-16');
    const res = await upload('local', 'ALOY-16', 'diagram.png', bytes(800));
    await sb.idle();
    const localMedia = await mediaId('local', res.body[0].id);
    const description = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'See the diagram:' }] },
        { type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { type: 'file', id: localMedia, collection: '', alt: 'diagram.png' } }] },
      ],
    };
    const edit = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-16', { fields: { description } });
    assert.equal(edit.status, 204, JSON.stringify(edit.body));
    await sb.idle();
    const mirror = (await attachments('partner', partnerKey)).find((a) => a.filename === 'diagram.png');
    assert.ok(mirror, 'the file is mirrored');
    const partnerMedia = await mediaId('partner', mirror.id);
    const partner = await sb.rest('partner', 'GET', `/rest/api/3/issue/${partnerKey}?fields=description`);
    const media = JSON.stringify(partner.body.fields.description);
    assert.ok(media.includes(`"id":"${partnerMedia}"`), `the partner description names the mirror's media id: ${media}`);
    assert.ok(!media.includes('[attachment:'), 'no degraded text');
  });
});

describe('a 10 MB file', () => {
  test('is mirrored to the partner whole (time and host RSS printed for the README figures)', async () => {
    const partnerKey = await sb.linked('ALOY-18');
    const ten = bytes(10 * 1024 * 1024, 13);
    const t0 = performance.now();
    const res = await upload('local', 'ALOY-18', 'ten-mb.bin', ten);
    assert.equal(res.status, 200);
    await sb.idle();
    const ms = performance.now() - t0;
    const there = await attachments('partner', partnerKey);
    assert.deepEqual(there.map((a) => a.size), [10 * 1024 * 1024]);
    assert.ok((await content('partner', there[0].id)).equals(Buffer.from(ten)), 'same bytes');
    console.log(`[figure] 10 MB attachment mirrored local → partner in ${Math.round(ms)} ms; test process RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
  }, 120_000);
});
