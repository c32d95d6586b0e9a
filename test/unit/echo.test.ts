/**
 * Echo recognition on real Jira Cloud webhook deliveries (`../shared/data/webhooks/jira-cloud`): the app's own write
 * coming back is dropped, anything else (another person, a value that differs from the base, an unmapped shape) syncs.
 */
import { describe, expect, test } from 'vitest';
import { adfHash, canonicalAdf } from '../../src/model/adf';
import type { LinkRecord } from '../../src/model/link';
import { LEGACY_FIELDS } from '../../src/store/migrate';
import { echoCandidate, isPartnerEcho, MAX_ECHO_CANDIDATE_CHARS, type EchoConnection } from '../../src/sync/echo';
import { loadWebhook } from './fixtures';

/** The account that made every change in the fixtures. */
const APP = '5c5f880629be9642ba529340';
const connection: EchoConnection = { partnerAccountId: APP, mapping: { fields: LEGACY_FIELDS } };

/** A link whose base is what the fixtures' issue TES-41 says after the change. */
function link(over: Partial<LinkRecord['base']['partner']> = {}, comments: LinkRecord['comments'] = []): Pick<LinkRecord, 'base' | 'comments'> {
  return {
    base: {
      local: {},
      partner: {
        summary: 'Unit test summary 1',
        description: canonicalAdf('Unit test description, not that long, a little longer now'),
        priority: '2',
        labels: ['sad', 'test-label'],
        status: '10001',
        ...over,
      },
    },
    comments,
  };
}

describe('a change made by the app that the base already holds is an echo', () => {
  test('labels edit (real delivery)', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-labels'), link(), connection)).toBe(true);
  });
  test('priority raised (real delivery)', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-raised-priority'), link(), connection)).toBe(true);
  });
  test('status change, with the unmapped resolution beside it (real delivery)', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-reopened'), link(), connection)).toBe(true);
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-started-working'), link({ status: '3', labels: ['test-label'] }), connection)).toBe(true);
  });
  test('plain-text description edit (real delivery, v2 text)', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-edited'), link({ labels: ['test-label'] }), connection)).toBe(true);
  });
  test('the changelog is used when the delivery carries no fields', () => {
    const d = loadWebhook('webhook-issue-updated-raised-priority');
    delete d.issue.fields;
    expect(isPartnerEcho(d, link(), connection)).toBe(true);
    expect(isPartnerEcho(d, link({ priority: '4' }), connection)).toBe(false);
  });
  test('a comment of the link\'s map written by the app with the body the link last saw (real delivery)', () => {
    const pair = { localId: '1', partnerId: '10019', localHash: 'a', partnerHash: adfHash('Added a comment') };
    expect(isPartnerEcho(loadWebhook('webhook-cloud-comment-created'), link({}, [pair]), connection)).toBe(true);
  });
  test('a mirror the app created, whose v2 body is wiki markup with the attribution (strong name, link)', () => {
    const d = loadWebhook('webhook-cloud-comment-created');
    d.comment.body = '*Tony Lukasavage* [wrote on local.atlassian.net|https://local.atlassian.net/browse/ALOY-1?focusedCommentId=1]:\n\nShip it';
    expect(isPartnerEcho(d, link({}, [{ localId: '1', partnerId: '10019', localHash: 'a', partnerHash: 'b' }]), connection)).toBe(true);
  });
});

describe('anything else still syncs', () => {
  test('a change by another account', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-labels'), link(), { ...connection, partnerAccountId: 'someone-else' })).toBe(false);
  });
  test('a changelog author other than the app', () => {
    const d = loadWebhook('webhook-issue-updated-labels');
    d.changelog.author = { accountId: 'a-person' };
    expect(isPartnerEcho(d, link(), connection)).toBe(false);
  });
  test('a value the base does not hold (a person using the app\'s account, or the job not saved yet)', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-labels'), link({ labels: ['bad', 'test-label'] }), connection)).toBe(false);
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-reopened'), link({ status: '10002' }), connection)).toBe(false);
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-edited'), link({ labels: ['test-label'], description: canonicalAdf('Unit test description, not that long') }), connection)).toBe(false);
  });
  test('a mapped field the base has never held', () => {
    const base = link();
    delete base.base.partner.labels;
    expect(isPartnerEcho(loadWebhook('webhook-issue-updated-labels'), base, connection)).toBe(false);
  });
  test('a description in wiki markup, which does not read back exactly', () => {
    const d = loadWebhook('webhook-issue-updated-edited');
    d.issue.fields.description = '*Unit test description*, not that long';
    expect(isPartnerEcho(d, link({ labels: ['test-label'], description: canonicalAdf('*Unit test description*, not that long') }), connection)).toBe(false);
  });
  test('an edit of a mapped comment always syncs (its body or only its restriction may have changed)', () => {
    const d = loadWebhook('webhook-cloud-comment-updated');
    const pair = { localId: '1', partnerId: '10019', localHash: 'a', partnerHash: adfHash('Added a comment') };
    expect(isPartnerEcho(d, link({}, [pair]), connection)).toBe(false);
    // Its creation, delivered late with the edited body, is still the app's own create (the id is already mapped):
    // the edit comes as the `comment_updated` above, which syncs.
    const created = loadWebhook('webhook-cloud-comment-created');
    created.comment.body = 'Edited by a person';
    expect(isPartnerEcho(created, link({}, [pair]), connection)).toBe(true);
    d.comment.body = '*Added a comment*';
    expect(isPartnerEcho(d, link({}, [{ ...pair, partnerHash: adfHash('*Added a comment*') }]), connection)).toBe(false);
  });
  test('a deleted comment always syncs, even one the app wrote', () => {
    const d = loadWebhook('webhook-cloud-comment-deleted');
    d.comment.updateAuthor.accountId = APP;
    expect(isPartnerEcho(d, link({}, [{ localId: '1', partnerId: d.comment.id, localHash: 'a', partnerHash: adfHash(d.comment.body) }]), connection)).toBe(false);
  });
  test('a comment the app does not mirror, or one written by another person', () => {
    expect(isPartnerEcho(loadWebhook('webhook-cloud-comment-created'), link(), connection)).toBe(false);
    const deleted = loadWebhook('webhook-cloud-comment-deleted');
    expect(isPartnerEcho(deleted, link({}, [{ localId: '1', partnerId: deleted.comment.id, localHash: 'a', partnerHash: 'b' }]), { ...connection, partnerAccountId: deleted.user?.accountId ?? APP })).toBe(false);
  });
  test('issue created and deleted deliveries, and a delivery without a changelog', () => {
    expect(isPartnerEcho(loadWebhook('webhook-issue-created'), link(), connection)).toBe(false);
    expect(isPartnerEcho(loadWebhook('webhook-issue-deleted'), link(), connection)).toBe(false);
    const d = loadWebhook('webhook-issue-updated-labels');
    delete d.changelog;
    expect(isPartnerEcho(d, link(), connection)).toBe(false);
    expect(isPartnerEcho(null, link(), connection)).toBe(false);
  });
});

describe('echo candidates (a delivery kept for a re-check once the running job has saved its link)', () => {
  const ALL = ['webhook-issue-updated-labels', 'webhook-issue-updated-raised-priority', 'webhook-issue-updated-reopened', 'webhook-issue-updated-started-working', 'webhook-issue-updated-edited', 'webhook-cloud-comment-created'];
  test('the trimmed delivery is judged exactly as the whole one, against a link that explains it and one that does not', () => {
    const pair = { localId: '1', partnerId: '10019', localHash: 'a', partnerHash: 'b' };
    for (const name of ALL) {
      const d = loadWebhook(name);
      const candidate = echoCandidate(d, connection);
      expect(candidate, name).toBeDefined();
      for (const l of [link({}, [pair]), link({ priority: '4', labels: [], summary: 'Other' }, [])]) {
        expect(isPartnerEcho(candidate, l, connection), name).toBe(isPartnerEcho(d, l, connection));
      }
      expect(JSON.stringify(candidate).length, name).toBeLessThanOrEqual(MAX_ECHO_CANDIDATE_CHARS);
    }
  });
  test('it keeps only accountIds of people, the comment id, and the fields the changelog names', () => {
    const c = echoCandidate(loadWebhook('webhook-cloud-comment-created'), connection)!;
    expect(Object.keys(c.comment as object).sort()).toEqual(['author', 'id', 'updateAuthor']);
    expect(c.comment).toMatchObject({ author: { accountId: APP } });
    expect(JSON.stringify(c)).not.toMatch(/displayName|emailAddress|body/);
  });
  test('none for another account, a deletion, or a delivery too big to carry in a queue event', () => {
    expect(echoCandidate(loadWebhook('webhook-issue-updated-labels'), { partnerAccountId: 'someone-else' })).toBeUndefined();
    expect(echoCandidate(loadWebhook('webhook-issue-deleted'), connection)).toBeUndefined();
    expect(echoCandidate(loadWebhook('webhook-cloud-comment-deleted'), connection)).toBeUndefined();
    const big = loadWebhook('webhook-issue-updated-labels');
    big.changelog.items[0].toString = 'x'.repeat(MAX_ECHO_CANDIDATE_CHARS);
    expect(echoCandidate(big, connection)).toBeUndefined();
  });
});
