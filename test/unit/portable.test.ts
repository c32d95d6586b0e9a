import assert from 'node:assert/strict';
import { test } from 'vitest';
import { planComments } from '../../src/sync/comments';
import { planMerge } from '../../src/sync/merge';
import { canonicalAdf } from '../../src/model/adf';
import { portableAdf } from '../../src/model/portable';
import type { ConnectionMapping as FieldMapping } from '../../src/model/mapping';
import type { AdfDoc, AdfNode, SideValues } from '../../src/model/types';
import { buildFieldMapping, loadIssues, mapValue, normaliseIssue, wikiToAdf } from './fixtures';

const SOURCE_ONLY = new Set(['mention', 'media', 'mediaSingle', 'mediaGroup', 'mediaInline']);
const nodeTypes = (n: AdfNode): string[] => [n.type, ...(n.content ?? []).flatMap(nodeTypes)];
const plain = (n: AdfNode): string => n.text ?? (n.content ?? []).map(plain).join('');

/** Real descriptions from the dump that hold an attachment or a mention once converted to ADF. */
const realDocs = loadIssues()
  .map((i) => i.fields.description)
  .filter((d): d is string => typeof d === 'string' && (/!\S+\.(png|jpg|gif)/i.test(d) || /\[\^[^\]]+\]/.test(d) || /\[~[^\]]+\]/.test(d)))
  .slice(0, 60)
  .map((d) => wikiToAdf(d));

test('real descriptions with attachments and mentions keep no source-only node, and read as text', () => {
  assert.ok(realDocs.length >= 20, `found ${realDocs.length} real texts with attachments or mentions`);
  let sawSourceOnly = 0;
  for (const doc of realDocs) {
    if (nodeTypes(doc as AdfNode).some((t) => SOURCE_ONLY.has(t))) sawSourceOnly++;
    const out = portableAdf(doc)!;
    assert.deepEqual(nodeTypes(out as AdfNode).filter((t) => SOURCE_ONLY.has(t)), []);
  }
  assert.ok(sawSourceOnly >= 20, 'the sample really had source-only nodes');
});

test('an attachment becomes "[attachment: name]" and a mention "@Name"; other content is untouched', () => {
  const doc: AdfDoc = {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'Ping ' }, { type: 'mention', attrs: { id: '712020:x', text: '@Ana Silva' } }] },
      { type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { type: 'file', id: 'screenshot.png', collection: '' } }] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kept', marks: [{ type: 'strong' }] }] }] }] },
    ],
  };
  const out = portableAdf(doc)!;
  assert.equal(plain(out.content[0]), 'Ping @Ana Silva');
  assert.deepEqual(out.content[1], { type: 'paragraph', content: [{ type: 'text', text: '[attachment: screenshot.png]' }] });
  assert.deepEqual(out.content[2], doc.content[2]);
  assert.deepEqual(portableAdf(out), out, 'idempotent');
  assert.equal(portableAdf(null), null);
});

test('a description with a mention is written to the other side as text, and that is not seen as a change', () => {
  const mapping: FieldMapping = buildFieldMapping({ localStatuses: [], partnerStatuses: [], localPriorities: [], partnerPriorities: [] });
  const withMention = canonicalAdf(realDocs.find((d) => nodeTypes(d as AdfNode).includes('mention')))!;
  const written = mapValue('description', withMention, 'local', mapping) as AdfDoc;
  assert.equal(nodeTypes(written as AdfNode).includes('mention'), false);
  const side = (description: AdfDoc | null): SideValues => ({ summary: 's', description, priority: null, labels: [], status: null });
  // After the write both sides hold what they hold; a later run compares each side with its own base: no change.
  const base = { local: side(withMention), partner: side(written) };
  const plan = planMerge({ base, local: side(withMention), partner: side(written), mapping, policy: 'newest-wins', localUpdated: '', partnerUpdated: '' });
  assert.deepEqual([plan.toLocal, plan.toPartner], [{}, {}]);
});

test('a comment with a mention is mirrored as text, and the mirror is not seen as an edit to send back', () => {
  const body = canonicalAdf(wikiToAdf('Assigning to [~bob] — see !trace.png!'))!;
  const local = [{ id: '1', authorAccountId: 'user-1', authorName: 'Ana', body, created: '2024-01-01T00:00:00.000+0000', updated: '2024-01-01T00:00:00.000+0000' }];
  const ids = { local: 'app-local', partner: 'api-partner' };
  const sites = { local: 'https://local.atlassian.net', partner: 'https://partner.atlassian.net' };
  const first = planComments({ local, partner: [], links: [], appAccountIds: ids, sites });
  assert.equal(first.actions.length, 1);
  const create = first.actions[0] as { kind: 'create'; body: AdfDoc };
  assert.equal(nodeTypes(create.body as AdfNode).some((t) => SOURCE_ONLY.has(t)), false);
  const mirror = { id: '9', authorAccountId: 'api-partner', authorName: 'API', body: create.body, created: local[0].created, updated: local[0].updated };
  const links = first.nextLinks.map((l) => ({ ...l, partnerId: '9' }));
  const second = planComments({ local, partner: [mirror], links, appAccountIds: ids, sites });
  assert.deepEqual(second.actions, [], 'no update either way');
});
