/**
 * Embedded images whose file is mirrored after the copy of the text was written: the ADF media helpers
 * (`src/model/media.ts`), the rich-text rewrite the merge plans (`src/sync/embedded-images.ts`) and the comment
 * mirror rewrite (`planComments`). Texts are real: ALOY-1048's description and ALOY-1474's comment 380888, whose
 * wiki `!file.png!` images become ADF `media` nodes; their ids are given Jira Cloud's media file UUIDs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { writableAdf } from '../../src/model/adf';
import { LEGACY_FIELDS } from '../../src/store/migrate';
import { keepImagesOf, mediaIds, shownPart, unshownMirrors, withMediaIdsAs } from '../../src/model/media';
import type { ConnectionMapping } from '../../src/model/mapping';
import type { AdfDoc, AdfNode, CommentLink, CommentValue, MergeInput } from '../../src/model/types';
import { planComments } from '../../src/sync/comments';
import { repointRichText } from '../../src/sync/embedded-images';
import { convertValue, planMerge } from '../../src/sync/merge';
import { buildFieldMapping, commentsOf, issueByKey, localPriorities, localStatuses, normaliseIssue, partnerPriorities, partnerStatuses, v3Fields } from './fixtures';

const mapping: ConnectionMapping = buildFieldMapping({ localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities });
const description = LEGACY_FIELDS.find((f) => f.local === 'description')!;

/** `doc` with each media node's file-name id replaced by a UUID as Jira Cloud names files (`alt` kept or dropped). */
function asCloud(doc: AdfDoc, uuids: Record<string, string>, alt = true): AdfDoc {
  const walk = (n: AdfNode): AdfNode => {
    if (n.type === 'media' && typeof n.attrs?.id === 'string' && uuids[n.attrs.id]) {
      const { id, ...rest } = n.attrs;
      return { ...n, attrs: { ...rest, id: uuids[id as string], ...(alt ? { alt: id } : {}) } };
    }
    return n.content ? { ...n, content: n.content.map(walk) } : n;
  };
  return { ...doc, content: doc.content.map(walk) };
}

const L1 = '11111111-1111-4111-8111-111111111111';
const L2 = '22222222-2222-4222-8222-222222222222';
const P1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const P2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const media = (pairs: Array<[string, string]>): NonNullable<MergeInput['media']> => ({ local: Object.fromEntries(pairs), partner: Object.fromEntries(pairs.map(([l, p]) => [p, l])) });

// ALOY-1048: "Refer !AlloyWarning.png!" — one embedded image.
const localDescription = writableAdf(asCloud(normaliseIssue(v3Fields(issueByKey('ALOY-1048'))).description, { 'AlloyWarning.png': L1 }))!;
const asPartner = (m?: NonNullable<MergeInput['media']>) => {
  const out = convertValue(description, localDescription, 'local', mapping, m);
  assert.ok('value' in out);
  return out.value as AdfDoc;
};

describe('media helpers', () => {
  test('the ids a document embeds, which mirrors a copy does not show, and ids in the other side’s terms', () => {
    assert.deepEqual(mediaIds(localDescription), [L1]);
    const degraded = asPartner();
    assert.ok(JSON.stringify(degraded).includes('[attachment: AlloyWarning.png]'), 'written before the file was mirrored');
    assert.deepEqual(unshownMirrors(localDescription, degraded, { [L1]: P1 }), [L1]);
    assert.deepEqual(unshownMirrors(localDescription, degraded, {}), [], 'nothing mirrored: nothing to show');
    const shown = asPartner(media([[L1, P1]]));
    assert.deepEqual(mediaIds(shown), [P1]);
    assert.deepEqual(unshownMirrors(localDescription, shown, { [L1]: P1 }), []);
    assert.deepEqual(shownPart({ [L1]: P1, [L2]: P2 }, shown), { [L1]: P1 });
    assert.deepEqual(mediaIds(withMediaIdsAs(shown, { [P1]: L1 })), [L1]);
  });
});

describe('a description copied before its image was mirrored', () => {
  const degraded = asPartner();

  test('is rewritten on the partner to show the mirror, with a note naming the file', () => {
    const r = repointRichText(description, { local: localDescription, partner: degraded }, mapping, media([[L1, P1]]));
    assert.ok(r, 'a rewrite');
    assert.equal(r.to, 'partner');
    assert.deepEqual(mediaIds(r.value as AdfDoc), [P1]);
    assert.deepEqual(r.files, ['AlloyWarning.png']);
    assert.ok(!JSON.stringify(r.value).includes('[attachment:'));
  });

  test('the merge writes it once: the rewrite becomes the partner base, and the next run has nothing to do', () => {
    const m = media([[L1, P1]]);
    const base = { local: { description: localDescription }, partner: { description: degraded } };
    const first = planMerge({ base, local: base.local, partner: base.partner, mapping: { ...mapping, fields: [description] }, policy: 'local-wins', localUpdated: '', partnerUpdated: '', media: m });
    assert.deepEqual(Object.keys(first.toLocal), []);
    assert.deepEqual(mediaIds(first.toPartner.description as AdfDoc), [P1]);
    assert.deepEqual(first.nextBase.partner.description, first.toPartner.description);
    assert.match(first.notes.join(' '), /Description on the partner issue now shows AlloyWarning\.png/);
    const again = planMerge({ base: first.nextBase, local: { description: localDescription }, partner: { description: first.toPartner.description }, mapping: { ...mapping, fields: [description] }, policy: 'local-wins', localUpdated: '', partnerUpdated: '', media: m });
    assert.deepEqual([again.toLocal, again.toPartner, again.notes], [{}, {}, []]);
  });

  test('is left alone while the file is not mirrored, and when someone edited the copy since', () => {
    assert.equal(repointRichText(description, { local: localDescription, partner: degraded }, mapping, media([])), undefined);
    const edited = structuredClone(degraded);
    edited.content.push({ type: 'paragraph', content: [{ type: 'text', text: 'Partner note: seen on 12.1 too.' }] });
    assert.equal(repointRichText(description, { local: localDescription, partner: edited }, mapping, media([[L1, P1]])), undefined);
  });

  test('is left alone on a side the row does not copy to', () => {
    const fromPartnerOnly = { ...description, direction: 'from-partner' as const };
    assert.equal(repointRichText(fromPartnerOnly, { local: localDescription, partner: degraded }, mapping, media([[L1, P1]])), undefined);
  });

  test('with two images, one already shown: the one mirrored since is added, the shown one kept', () => {
    const two = structuredClone(localDescription);
    two.content.push({ type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { type: 'file', id: L2, collection: '', alt: 'Screen Shot 2014-06-16 at 3.52.57 pm.png' } }] });
    const firstOnly = convertValue(description, two, 'local', mapping, media([[L1, P1]]));
    assert.ok('value' in firstOnly);
    const r = repointRichText(description, { local: two, partner: firstOnly.value }, mapping, media([[L1, P1], [L2, P2]]));
    assert.ok(r);
    assert.deepEqual(mediaIds(r.value as AdfDoc), [P1, P2]);
    assert.deepEqual(r.files, ['Screen Shot 2014-06-16 at 3.52.57 pm.png']);
  });
});

describe('an edit of a copy that shows an image as text', () => {
  const degraded = asPartner();
  const edited = (): AdfDoc => {
    const doc = structuredClone(degraded);
    doc.content.push({ type: 'paragraph', content: [{ type: 'text', text: 'Partner note: seen on 12.1 too.' }] });
    return doc;
  };

  test('keeps the original’s image where the copy says [attachment: name]', () => {
    const kept = keepImagesOf(edited(), localDescription);
    assert.deepEqual(mediaIds(kept), [L1]);
    assert.ok(!JSON.stringify(kept).includes('[attachment:'));
    assert.ok(JSON.stringify(kept).includes('Partner note'));
  });

  test('an image deleted on the copy is deleted on the original', () => {
    const withoutImage = { ...edited(), content: edited().content.filter((n) => !JSON.stringify(n).includes('[attachment:')) };
    assert.deepEqual(mediaIds(keepImagesOf(withoutImage, localDescription)), []);
  });

  test('the merge copies the partner edit to the local issue with its image kept, and settles', () => {
    const one = { ...mapping, fields: [description] };
    const base = { local: { description: localDescription }, partner: { description: degraded } };
    const first = planMerge({ base, local: base.local, partner: { description: edited() }, mapping: one, policy: 'local-wins', localUpdated: '', partnerUpdated: '', media: media([]) });
    const written = first.toLocal.description as AdfDoc;
    assert.deepEqual(mediaIds(written), [L1], 'the local image stays');
    assert.ok(JSON.stringify(written).includes('Partner note'));
    const again = planMerge({ base: first.nextBase, local: { description: written }, partner: { description: edited() }, mapping: one, policy: 'local-wins', localUpdated: '', partnerUpdated: '', media: media([]) });
    assert.deepEqual([again.toLocal, again.toPartner], [{}, {}]);
    const mirrored = planMerge({ base: first.nextBase, local: { description: written }, partner: { description: edited() }, mapping: one, policy: 'local-wins', localUpdated: '', partnerUpdated: '', media: media([[L1, P1]]) });
    assert.deepEqual(Object.keys(mirrored.toLocal), []);
    assert.deepEqual(mediaIds(mirrored.toPartner.description as AdfDoc), [P1], 'once the file is mirrored, the edited copy shows it too');
  });
});

describe('comments with images', () => {
  const APP = { local: 'app-local', partner: 'api-user-partner' };
  const SITES = { local: 'https://acme.atlassian.net', partner: 'https://partner.atlassian.net' };
  // ALOY-1474 comment 380888: two screenshots.
  const real = commentsOf(issueByKey('ALOY-1474')).find((c) => c.id === '380888')!;
  const uuids = { 'Simulator Screen Shot 29 Mar 2016 08.44.50.png': L1, '34a92edc-f508-11e5-9f4f-983ee6e29837.png': L2 };
  const original = (alt = true): CommentValue => ({ ...real, body: asCloud(real.body, uuids, alt) });
  const both = media([[L1, P1], [L2, P2]]);
  const plan = (p: { local?: CommentValue[]; partner?: CommentValue[]; links?: CommentLink[]; media?: MergeInput['media'] }) =>
    planComments({ local: [], partner: [], links: [], appAccountIds: APP, sites: SITES, ...p });
  /** Plays the plan's actions on the partner list (creates get id `m1`), as the sites would. */
  const mirrorAfter = (p: ReturnType<typeof plan>, before?: CommentValue): CommentValue => {
    const a = p.actions[0];
    assert.ok(a && a.kind !== 'delete' && a.target === 'partner', JSON.stringify(p.actions));
    return { ...(before ?? original()), id: a.kind === 'update' ? a.targetId : 'm1', authorAccountId: APP.partner, authorName: 'Partner API user', body: a.body };
  };

  test('a new comment whose images are mirrored is written pointing at the mirrors', () => {
    const p = plan({ local: [original()], media: both });
    const body = mirrorAfter(p).body;
    assert.deepEqual(mediaIds(body), [P1, P2]);
    assert.ok(!JSON.stringify(body).includes('[attachment:'));
  });

  for (const alt of [true, false]) {
    test(`a mirror written before the files were mirrored is rewritten once, with the same hashes (${alt ? 'alt' : 'id only'})`, () => {
      const local = original(alt);
      const created = plan({ local: [local] });
      const degraded = mirrorAfter(created);
      assert.deepEqual(mediaIds(degraded.body), []);
      const links = created.nextLinks.map((l) => ({ ...l, partnerId: 'm1' }));
      const fix = plan({ local: [local], partner: [degraded], links, media: both });
      assert.equal(fix.actions.length, 1);
      assert.equal(fix.actions[0].kind, 'update');
      assert.deepEqual(fix.nextLinks, links, 'hashes unchanged: not an edit');
      const shown = mirrorAfter(fix, degraded);
      assert.deepEqual(mediaIds(shown.body), [P1, P2]);
      assert.equal(shown.body.content[0].content?.[0].text, real.authorName, 'attribution kept');
      const next = plan({ local: [local], partner: [shown], links: fix.nextLinks, media: both });
      assert.deepEqual(next.actions, [], 'no second rewrite, no echo back to the original');
    });
  }

  test('a partner comment reaches the local issue pointing at the local mirrors, and stays put', () => {
    const partnerOriginal: CommentValue = { ...original(false), body: asCloud(real.body, { 'Simulator Screen Shot 29 Mar 2016 08.44.50.png': P1, '34a92edc-f508-11e5-9f4f-983ee6e29837.png': P2 }, false) };
    const p = plan({ partner: [partnerOriginal], media: both });
    const a = p.actions[0];
    assert.ok(a.kind === 'create' && a.target === 'local');
    assert.deepEqual(mediaIds(a.body), [L1, L2]);
    const mirror: CommentValue = { ...partnerOriginal, id: 'l1', authorAccountId: APP.local, body: a.body };
    const links = p.nextLinks.map((l) => ({ ...l, localId: 'l1' }));
    assert.deepEqual(plan({ local: [mirror], partner: [partnerOriginal], links, media: both }).actions, []);
  });

  test('an edit of a mirror that shows the images as text reaches the original with its images kept', () => {
    const local = original();
    const created = plan({ local: [local] });
    const degraded = mirrorAfter(created);
    const edited: CommentValue = { ...degraded, updated: '2030-01-01T00:00:00.000+0000', body: { ...degraded.body, content: [...degraded.body.content, { type: 'paragraph', content: [{ type: 'text', text: 'Same on Android.' }] }] } };
    const links = created.nextLinks.map((l) => ({ ...l, partnerId: 'm1' }));
    const p = plan({ local: [local], partner: [edited], links });
    const a = p.actions[0];
    assert.ok(a?.kind === 'update' && a.target === 'local', JSON.stringify(p.actions));
    assert.deepEqual(mediaIds(a.body), [L1, L2], 'the original keeps its images');
    assert.ok(JSON.stringify(a.body).includes('Same on Android.'));
    const after = plan({ local: [{ ...local, body: a.body }], partner: [edited], links: p.nextLinks });
    assert.deepEqual(after.actions, [], 'settled');
  });

  test('while the files are not mirrored, a mirror keeps its text and nothing is written', () => {
    const local = original();
    const created = plan({ local: [local] });
    const degraded = mirrorAfter(created);
    assert.match(JSON.stringify(degraded.body), /\[attachment: Simulator Screen Shot 29 Mar 2016 08\.44\.50\.png\]/);
    const links = created.nextLinks.map((l) => ({ ...l, partnerId: 'm1' }));
    assert.deepEqual(plan({ local: [local], partner: [degraded], links, media: media([]) }).actions, []);
    assert.deepEqual(plan({ local: [local], partner: [degraded], links }).actions, []);
  });
});
