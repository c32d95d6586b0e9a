/**
 * A very large real description syncs both ways without the link record passing Forge KVS's 240 KiB value limit
 * (the sandbox's KVS refuses bigger values with Forge's `MAX_SIZE` error, as Forge does). The description is a real
 * one (MOD-2350, 23,574 characters of text) followed by a 400-row table of short cells: within Jira's 32,767
 * characters of text, yet so much ADF that the two copies a base snapshot used to hold come to well over 240 KiB.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { canonicalAdf } from '../../src/model/adf';
import type { AdfDoc } from '../../src/model/types';
import { adfText, TestSandbox } from '../support/sandbox';
import { issueByKey, wikiToAdf } from '../unit/fixtures';

const sb = new TestSandbox(19800);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

const cell = (text: string) => ({ type: 'tableCell', attrs: {}, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const table = { type: 'table', attrs: { isNumberColumnEnabled: false, layout: 'default' }, content: Array.from({ length: 400 }, (_, i) => ({ type: 'tableRow', content: [cell(`${i % 10}`), cell('ok'), cell('x')] })) };
const huge: AdfDoc = { type: 'doc', version: 1, content: [...wikiToAdf(issueByKey('MOD-2350').fields.description as string).content, table] };
const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const KiB = 1024;

async function linkRecordBytes(): Promise<number> {
  const dump = (await (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).json()) as Record<string, unknown>;
  const id = (await sb.issue('local', 'ALOY-41', 'summary')).id;
  const link = dump[`link:${id}`];
  assert.ok(link, 'the link record is stored');
  return Buffer.byteLength(JSON.stringify(link));
}

const sameText = async (partnerKey: string) => {
  const [local, partner] = await Promise.all([sb.issue('local', 'ALOY-41'), sb.issue('partner', partnerKey)]);
  return { local: adfText(local.fields.description), partner: adfText(partner.fields.description) };
};

describe('a description far larger than a KVS value', () => {
  let partnerKey = '';

  test('is copied to the partner when sync is turned on, and the link stays under 240 KiB', async () => {
    const bytes = Buffer.byteLength(JSON.stringify(canonicalAdf(huge)));
    assert.ok(2 * bytes > 240 * KiB, `two copies are ${Math.round((2 * bytes) / KiB)} KiB`);
    assert.equal((await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-41', { fields: { description: huge } })).status, 204);
    partnerKey = (await sb.enableSync('ALOY-41')).link.partnerIssueKey;
    await sb.idle();
    const text = await sameText(partnerKey);
    assert.equal(text.partner, text.local);
    const record = await linkRecordBytes();
    console.log(`# description ${Math.round(bytes / KiB)} KiB; link record ${(record / KiB).toFixed(1)} KiB`);
    assert.ok(record < 16 * KiB, `link record is ${record} bytes`);
  });

  test('a local edit reaches the partner, and a partner edit comes back', async () => {
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-41', { fields: { description: { ...huge, content: [...huge.content, paragraph('Local addition at the end')] } } });
    await sb.idle();
    let text = await sameText(partnerKey);
    assert.match(text.partner, /Local addition at the end$/);
    assert.equal(text.partner, text.local);

    const partner = await sb.issue('partner', partnerKey);
    const edited = { ...partner.fields.description, content: [paragraph('Partner note at the top'), ...partner.fields.description.content] };
    assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { description: edited } })).status, 204);
    await sb.idle();
    text = await sameText(partnerKey);
    assert.match(text.local, /^Partner note at the top/);
    assert.equal(text.local, text.partner);
  });

  test('a summary edit next to it writes no description, and no sync failed', async () => {
    await sb.resetStats('partner');
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-41', { fields: { summary: 'Summary edit beside a huge description' } });
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey, 'summary')).fields.summary, 'Summary edit beside a huge description');
    const panel = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-41' });
    assert.equal(panel.data.link.state, 'ok');
    const entries = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-41');
    assert.deepEqual(entries.filter((e) => e.outcome === 'failed'), []);
    const last = entries.find((e) => e.fields.includes('summary'));
    assert.deepEqual(last?.fields, ['summary'], 'only the summary was written');
    assert.ok((await linkRecordBytes()) < 16 * KiB);
  });
});
