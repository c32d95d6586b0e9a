/**
 * Mentions across sites: a mention of a mapped user is re-pointed to the other site's account, an unmapped one
 * becomes `@Name` text, and the re-pointed copy compares as the same value (so the echo of our own write, in a
 * description or a comment, writes nothing and re-adds no mention).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { canonicalAdf } from '../../src/model/adf';
import { REGISTRY } from '../../src/model/fields';
import type { ConnectionMapping, FieldMap } from '../../src/model/mapping';
import { mentionedIds, repointMention } from '../../src/model/mentions';
import { portableAdf } from '../../src/model/portable';
import type { AdfDoc, AdfNode, CommentValue } from '../../src/model/types';
import { planComments } from '../../src/sync/comments';
import { equivalentValues, planMerge } from '../../src/sync/merge';

const pair = (toPartner: Record<string, string>) => ({ toPartner, toLocal: Object.fromEntries(Object.entries(toPartner).map(([a, b]) => [b, a])) });
const ROW: FieldMap = { local: 'description', partner: 'description', kind: 'paragraph', direction: 'both', name: { local: 'Description', partner: 'Description' } };
const mapping: ConnectionMapping = { fields: [ROW], issueTypes: pair({}), status: pair({}), priority: pair({}), users: pair({ 'l-ann': 'p-ann' }) };
const mention = (id: string, text = '@Ann Lee'): AdfNode => ({ type: 'mention', attrs: { id, text, accessLevel: '' } });
const doc = (...inline: AdfNode[]): AdfDoc => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ask ' }, ...inline] }] });

describe('re-pointing', () => {
  test('a mapped user gets the other account, keeping text and other attrs; a display name there wins when known', () => {
    assert.deepEqual(repointMention(mention('l-ann'), { users: { 'l-ann': 'p-ann' } }), mention('p-ann'));
    assert.deepEqual(repointMention(mention('l-ann'), { users: { 'l-ann': 'p-ann' }, names: { 'p-ann': 'Ann L.' } }), mention('p-ann', '@Ann L.'));
    assert.equal(repointMention(mention('l-zed'), { users: { 'l-ann': 'p-ann' } }), null);
    assert.equal(repointMention(mention('l-ann'), undefined), null);
  });

  test('portableAdf re-points mapped mentions and writes the others as @Name text', () => {
    const out = portableAdf(doc(mention('l-ann'), { type: 'text', text: ' and ' }, mention('l-zed', '@Zed')), { users: { 'l-ann': 'p-ann' } })!;
    assert.deepEqual(out.content[0].content, [{ type: 'text', text: 'Ask ' }, mention('p-ann'), { type: 'text', text: ' and ' }, { type: 'text', text: '@Zed' }]);
    assert.deepEqual(mentionedIds(out), ['p-ann']);
    assert.deepEqual(mentionedIds(portableAdf(doc(mention('l-ann')))), [], 'without a user map every mention is text');
  });
});

describe('a description with a mention of a mapped user', () => {
  const codec = REGISTRY.paragraph;
  const local = codec.read(doc(mention('l-ann')));

  test('is written to the partner pointing at the partner account, and back again', () => {
    const there = codec.convert(local, { from: 'local', field: ROW, mapping }) as { value: AdfDoc };
    assert.deepEqual(mentionedIds(there.value), ['p-ann']);
    const back = codec.convert(there.value, { from: 'partner', field: ROW, mapping }) as { value: AdfDoc };
    assert.ok(codec.same(back.value, local));
  });

  test('its echo is not a change: the partner copy is equivalent, and the next merge writes nothing', () => {
    const partner = codec.read(doc(mention('p-ann')));
    assert.ok(equivalentValues(ROW, local, partner, mapping));
    assert.ok(!equivalentValues(ROW, local, codec.read(doc(mention('p-bob'))), mapping), 'another person is a change');
    const base = { local: { description: local }, partner: { description: partner } };
    const plan = planMerge({ base, local: { description: local }, partner: { description: partner }, mapping, policy: 'local-wins', localUpdated: '', partnerUpdated: '' });
    assert.deepEqual([plan.toLocal, plan.toPartner], [{}, {}]);
  });
});

describe('a comment with a mention of a mapped user', () => {
  const ids = { local: 'app-local', partner: 'api-partner' };
  const sites = { local: 'https://local.atlassian.net', partner: 'https://partner.atlassian.net' };
  const at = '2026-01-01T00:00:00.000+0000';
  const original: CommentValue = { id: '1', authorAccountId: 'l-bob', authorName: 'Bob', body: doc(mention('l-ann')), created: at, updated: at };

  test('is mirrored with the partner account, and the mirror is not an edit to send back', () => {
    const first = planComments({ local: [original], partner: [], links: [], appAccountIds: ids, sites, users: mapping.users });
    const create = first.actions[0] as { kind: 'create'; body: AdfDoc };
    assert.equal(create.kind, 'create');
    assert.deepEqual(mentionedIds(create.body), ['p-ann']);
    const mirror: CommentValue = { id: '9', authorAccountId: 'api-partner', authorName: 'API', body: create.body, created: at, updated: at };
    const links = first.nextLinks.map((l) => ({ ...l, partnerId: '9' }));
    assert.deepEqual(planComments({ local: [original], partner: [mirror], links, appAccountIds: ids, sites, users: mapping.users }).actions, []);
  });

  test('an edit elsewhere in the original updates the mirror with the same re-pointed mention', () => {
    const first = planComments({ local: [original], partner: [], links: [], appAccountIds: ids, sites, users: mapping.users });
    const mirror: CommentValue = { id: '9', authorAccountId: 'api-partner', authorName: 'API', body: (first.actions[0] as { body: AdfDoc }).body, created: at, updated: at };
    const links = first.nextLinks.map((l) => ({ ...l, partnerId: '9' }));
    const edited = { ...original, body: doc(mention('l-ann'), { type: 'text', text: ' today' }), updated: '2026-01-02T00:00:00.000+0000' };
    const [update] = planComments({ local: [edited], partner: [mirror], links, appAccountIds: ids, sites, users: mapping.users }).actions as Array<{ kind: string; body: AdfDoc }>;
    assert.equal(update.kind, 'update');
    assert.deepEqual(mentionedIds(update.body), ['p-ann']);
    assert.match(JSON.stringify(canonicalAdf(update.body)), /wrote on local\.atlassian\.net.*today/);
  });
});
