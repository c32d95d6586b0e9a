import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  attributionParagraph,
  fillCreatedCommentId,
  hasAttribution,
  planComments,
  stripAttribution,
  withAttribution,
  type CommentPlanInput,
} from '../../src/sync/comments';
import { adfHash, canonicalAdf } from '../../src/model/adf';
import type { AdfDoc, CommentLink, CommentValue } from '../../src/model/types';
import { commentsOf, issueByKey, wikiToAdf } from './fixtures';

const APP = { local: 'app-local', partner: 'api-user-partner' };
const SITES = { local: 'https://acme.atlassian.net', partner: 'https://partner.atlassian.net' };

// Two real comments by Tony Lukasavage on ALOY-1, written on the local site.
const [first, second] = commentsOf(issueByKey('ALOY-1'));
const canon = (d: AdfDoc) => canonicalAdf(d)!;

/** The partner's mirror of a local comment, as the app would have written it. */
function mirrorOf(c: CommentValue, id: string, site = SITES.local, account = APP.partner): CommentValue {
  return { ...c, id, authorAccountId: account, authorName: 'Partner API user', body: withAttribution(attributionParagraph(c.authorName, site), canon(c.body)) };
}
function linkOf(localId: string, partnerId: string, body: AdfDoc): CommentLink {
  return { localId, partnerId, localHash: adfHash(body), partnerHash: adfHash(body) };
}
function plan(p: Partial<CommentPlanInput>) {
  return planComments({ local: [], partner: [], links: [], appAccountIds: APP, sites: SITES, ...p });
}

describe('attribution', () => {
  test('a mirrored body starts with "<author> wrote on <site>:" and strips back to the original', () => {
    const body = withAttribution(attributionParagraph('Tony Lukasavage', SITES.local), canon(first.body));
    assert.deepStrictEqual(body.content[0], {
      type: 'paragraph',
      content: [{ type: 'text', text: 'Tony Lukasavage', marks: [{ type: 'strong' }] }, { type: 'text', text: ' wrote on acme.atlassian.net:' }],
    });
    assert.ok(hasAttribution(body));
    assert.ok(!hasAttribution(first.body));
    assert.deepStrictEqual(stripAttribution(body), canon(first.body));
    assert.deepStrictEqual(stripAttribution(first.body), canon(first.body));
  });
});

describe('new comments', () => {
  test('real local comments are created on the partner with attribution, oldest first', () => {
    const result = plan({ local: [second, first] });
    assert.deepStrictEqual(
      result.actions.map((a) => [a.kind, a.target, a.sourceId]),
      [['create', 'partner', first.id], ['create', 'partner', second.id]],
    );
    const a = result.actions[0] as Extract<(typeof result.actions)[number], { kind: 'create' }>;
    assert.deepStrictEqual(a.body, mirrorOf(first, 'x').body);
    assert.deepStrictEqual(result.nextLinks[0], { localId: first.id, partnerId: '', localHash: adfHash(first.body), partnerHash: adfHash(first.body) });
  });

  test('a partner comment is created locally, attributed to the partner site', () => {
    const onPartner = { ...first, id: 'p-1', authorName: 'Pat Partner' };
    const result = plan({ partner: [onPartner] });
    assert.equal(result.actions.length, 1);
    const a = result.actions[0];
    assert.equal(a.kind === 'create' && a.target, 'local');
    assert.match(JSON.stringify(a.kind === 'create' && a.body.content[0]), /Pat Partner.* wrote on partner\.atlassian\.net:/);
    assert.deepStrictEqual(result.nextLinks, [{ localId: '', partnerId: 'p-1', localHash: adfHash(first.body), partnerHash: adfHash(first.body) }]);
  });

  test('the created comment id is filled into its link', () => {
    const { nextLinks } = plan({ local: [first] });
    assert.deepStrictEqual(fillCreatedCommentId(nextLinks, 'partner', first.id, 'p-9')[0].partnerId, 'p-9');
    assert.deepStrictEqual(fillCreatedCommentId(nextLinks, 'local', first.id, 'p-9'), nextLinks);
  });
});

describe('mirrors are never mirrored back', () => {
  test('a mirror whose link was lost is linked back to its original, and nothing is created', () => {
    const mirror = mirrorOf(first, 'p-1');
    const result = plan({ local: [first], partner: [mirror] });
    assert.deepStrictEqual(result.actions, []);
    assert.deepStrictEqual(result.nextLinks, [linkOf(first.id, 'p-1', first.body)]);
  });

  test('a mirror whose original is gone is left alone', () => {
    assert.deepStrictEqual(plan({ partner: [mirrorOf(first, 'p-1')] }).actions, []);
  });

  test('the app account writing a comment without attribution is still mirrored', () => {
    const result = plan({ partner: [{ ...first, id: 'p-2', authorAccountId: APP.partner }] });
    assert.deepStrictEqual(result.actions.map((a) => a.kind), ['create']);
  });

  test('a person quoting an attribution line is still mirrored', () => {
    const result = plan({ partner: [{ ...mirrorOf(first, 'p-3'), authorAccountId: 'acc-someone' }] });
    assert.deepStrictEqual(result.actions.map((a) => a.kind), ['create']);
  });
});

describe('edits and deletes follow', () => {
  const link = linkOf(first.id, 'p-1', first.body);
  const edited: CommentValue = { ...first, body: wikiToAdf('Fix details moved to *ZipTi* master.'), updated: '2012-05-17T08:00:00.000+0000' };

  test('an unchanged pair does nothing, even when the mirror was re-formatted', () => {
    const mirror = mirrorOf(first, 'p-1');
    mirror.body = JSON.parse(JSON.stringify(mirror.body).replace(/"version":1/, '"version":1,"extra":null'));
    mirror.body.content.push({ type: 'paragraph', content: [] });
    const result = plan({ local: [first], partner: [mirror], links: [link] });
    assert.deepStrictEqual(result.actions, []);
    assert.deepStrictEqual(result.nextLinks, [link]);
  });

  test('a local edit updates the partner mirror, keeping its attribution', () => {
    const result = plan({ local: [edited], partner: [mirrorOf(first, 'p-1')], links: [link] });
    assert.deepStrictEqual(result.actions, [{ kind: 'update', target: 'partner', targetId: 'p-1', sourceId: first.id, body: mirrorOf(edited, 'p-1').body }]);
    assert.deepStrictEqual(result.nextLinks, [linkOf(first.id, 'p-1', edited.body)]);
  });

  test('the echo of our own update is not a change', () => {
    const result = plan({ local: [edited], partner: [mirrorOf(edited, 'p-1')], links: [linkOf(first.id, 'p-1', edited.body)] });
    assert.deepStrictEqual(result.actions, []);
  });

  test('an edit to the mirror on the partner updates the local original without attribution', () => {
    const mirror = { ...mirrorOf(edited, 'p-1') };
    const result = plan({ local: [first], partner: [mirror], links: [link] });
    assert.deepStrictEqual(result.actions, [{ kind: 'update', target: 'local', targetId: first.id, sourceId: 'p-1', body: canon(edited.body) }]);
  });

  test('edited on both sides: the later edit wins', () => {
    const partnerEdit = { ...mirrorOf(second, 'p-1'), updated: '2012-05-18T08:00:00.000+0000' };
    const later = plan({ local: [edited], partner: [partnerEdit], links: [link] });
    assert.deepStrictEqual(later.actions.map((a) => [a.kind, a.target]), [['update', 'local']]);
    assert.deepStrictEqual(later.nextLinks, [linkOf(first.id, 'p-1', second.body)]);
    const earlier = plan({ local: [edited], partner: [{ ...partnerEdit, updated: '2012-05-16T09:00:00.000+0000' }], links: [link] });
    assert.deepStrictEqual(earlier.actions.map((a) => [a.kind, a.target]), [['update', 'partner']]);
  });

  test('a deleted local comment deletes its partner mirror and drops the link', () => {
    const result = plan({ partner: [mirrorOf(first, 'p-1')], links: [link] });
    assert.deepStrictEqual(result.actions, [{ kind: 'delete', target: 'partner', targetId: 'p-1', sourceId: first.id }]);
    assert.deepStrictEqual([result.nextLinks, result.droppedLinks], [[], [link]]);
  });

  test('a deleted partner comment deletes the local one', () => {
    const result = plan({ local: [first], links: [link] });
    assert.deepStrictEqual(result.actions, [{ kind: 'delete', target: 'local', targetId: first.id, sourceId: 'p-1' }]);
  });

  test('a pair gone on both sides just drops the link', () => {
    const result = plan({ local: [second], links: [link, linkOf(second.id, 'p-2', second.body)], partner: [mirrorOf(second, 'p-2')] });
    assert.deepStrictEqual(result.actions, []);
    assert.deepStrictEqual(result.droppedLinks, [link]);
    assert.deepStrictEqual(result.nextLinks, [linkOf(second.id, 'p-2', second.body)]);
  });
});

describe('a mirror whose link was lost (the app stopped between writing it and saving the link)', () => {
  const ids = { local: 'app-local', partner: 'api-partner' };
  const sites = { local: 'https://local.atlassian.net', partner: 'https://partner.atlassian.net' };
  const issueKeys = { local: 'ALOY-7', partner: 'PARTNER-3' };
  const doc = (t: string): AdfDoc => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }] });
  const at = (m: number) => `2024-01-01T00:0${m}:00.000+0000`;

  test('is found again by the original comment id its attribution links to, even after the original was edited, and gets the edit', () => {
    const original = { id: '501', authorAccountId: 'person', authorName: 'Ana', body: doc('first words'), created: at(1), updated: at(1) };
    const first = planComments({ local: [], partner: [original], links: [], appAccountIds: ids, sites, issueKeys });
    const create = first.actions[0] as { kind: 'create'; body: AdfDoc };
    assert.equal(create.kind, 'create');
    const mirror = { id: '9001', authorAccountId: 'app-local', authorName: 'Jira Task Sync', body: create.body, created: at(2), updated: at(2) };
    const edited = { ...original, body: doc('edited words'), updated: at(3) };

    // The link record was never saved: both are unlinked, and their content differs now.
    const again = planComments({ local: [mirror], partner: [edited], links: [], appAccountIds: ids, sites, issueKeys });
    assert.deepEqual(again.actions.map((a) => [a.kind, a.target]), [['update', 'local']], 'no second mirror; the mirror gets the edit');
    const update = again.actions[0] as { kind: 'update'; targetId: string; body: AdfDoc };
    assert.equal(update.targetId, '9001');
    assert.match(JSON.stringify(update.body), /edited words/);
    assert.match(JSON.stringify(update.body), /focusedCommentId=501/, 'the attribution still links to the original');
    assert.deepEqual(again.nextLinks.map((l) => [l.localId, l.partnerId]), [['9001', '501']]);
  });

  test('the attribution links to the original comment on its site', () => {
    const original = { id: '77', authorAccountId: 'person', authorName: 'Ana', body: doc('hello'), created: at(1), updated: at(1) };
    const plan = planComments({ local: [original], partner: [], links: [], appAccountIds: ids, sites, issueKeys });
    const body = (plan.actions[0] as { body: AdfDoc }).body;
    assert.equal(JSON.stringify(body).includes('"href":"https://local.atlassian.net/browse/ALOY-7?focusedCommentId=77"'), true);
  });
});

describe('restricted comments', () => {
  const devs = { type: 'role' as const, value: 'Developers' };
  const admins = { type: 'group' as const, value: 'jira-administrators' };

  test('a real comment restricted to a role or group is skipped, not created, by default', () => {
    const result = plan({ local: [{ ...first, visibility: devs }, { ...second, visibility: admins }] });
    assert.deepStrictEqual(result.actions, []);
    assert.deepStrictEqual(result.nextLinks, []);
    assert.deepStrictEqual(result.skipped.map((s) => [s.side, s.id, s.visibility.value]), [['local', first.id, 'Developers'], ['local', second.id, 'jira-administrators']]);
    assert.ok(result.skipped.every((s) => !s.reason.includes(adfText(first.body).slice(0, 20))), 'no comment text in the reason');
  });

  test('with role mirroring on, a role-restricted comment is created with the same role; a group one is still skipped', () => {
    const result = plan({ local: [{ ...first, visibility: devs }, { ...second, visibility: admins }], mirrorRoleRestricted: true });
    assert.equal(result.actions.length, 1);
    assert.equal(result.actions[0].kind, 'create');
    assert.deepStrictEqual(result.actions[0].kind === 'create' && result.actions[0].visibility, devs);
    assert.deepStrictEqual(result.skipped.map((s) => s.id), [second.id]);
  });

  test('a comment restricted after it was mirrored has its mirror deleted and its link dropped', () => {
    const mirror = mirrorOf(first, 'p1');
    const result = plan({ local: [{ ...first, visibility: devs }], partner: [mirror], links: [linkOf(first.id, 'p1', canon(first.body))] });
    assert.deepStrictEqual(result.actions, [{ kind: 'delete', target: 'partner', targetId: 'p1', sourceId: first.id }]);
    assert.equal(result.droppedLinks.length, 1);
    assert.match(result.skipped[0].reason, /its copy on the other site was deleted/);
  });

  test('a mirror someone restricted on its own site is left alone, and the original is not deleted', () => {
    const mirror = { ...mirrorOf(first, 'p1'), visibility: devs };
    const link = linkOf(first.id, 'p1', canon(first.body));
    const result = plan({ local: [first], partner: [mirror], links: [link] });
    assert.deepStrictEqual(result.actions, []);
    assert.deepStrictEqual(result.nextLinks, [link]);
  });

  test('a restriction the other site refused before is not retried until it changes', () => {
    const known = new Set([`local:${first.id}:role:Developers`]);
    assert.deepStrictEqual(plan({ local: [{ ...first, visibility: devs }], mirrorRoleRestricted: true, knownSkipped: known }).actions, []);
    const other = plan({ local: [{ ...first, visibility: { type: 'role', value: 'Testers' } }], mirrorRoleRestricted: true, knownSkipped: known });
    assert.equal(other.actions.length, 1);
  });
});

/** Plain text of an ADF doc (text nodes joined). */
function adfText(doc: AdfDoc): string {
  const walk = (n: any): string => (typeof n.text === 'string' ? n.text : (n.content ?? []).map(walk).join(''));
  return walk(doc);
}
