/**
 * The echo of the app's own partner write (the partner's admin webhook for the app's edit) costs no sync pass:
 * one local edit is one partner read and one partner write, one local read; a partner edit by a person still syncs.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19950);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

const sum = (o: Record<string, number>) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
/** Reads (requests that are not successful writes) and writes of a site since the last reset. */
async function counts(site: 'local' | 'partner'): Promise<{ reads: number; writes: number; routes: Record<string, number> }> {
  const s = await sb.stats(site);
  const writes = sum(s.writes.byRoute);
  return { reads: sum(s.requests) - writes, writes, routes: s.requests };
}

describe('the echo of the app\'s own write', () => {
  let partnerKey = '';
  before(async () => {
    partnerKey = (await sb.enableSync('ALOY-104')).link.partnerIssueKey;
    await sb.idle();
  });

  test('a local summary edit costs one read of each side and one partner write, with no second pass', async () => {
    await sb.idle();
    await Promise.all([sb.resetStats('partner'), sb.resetStats('local')]);
    await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-104', { fields: { summary: 'Edit whose echo is recognised' } });
    await sb.idle();
    const [partner, local] = await Promise.all([counts('partner'), counts('local')]);
    assert.equal((await sb.issue('partner', partnerKey)).fields.summary, 'Edit whose echo is recognised');
    assert.deepEqual({ reads: partner.reads, writes: partner.writes }, { reads: 1, writes: 1 }, `partner calls: ${JSON.stringify(partner.routes)}`);
    // The user's own edit is the one local write; the app read the local issue once.
    assert.deepEqual({ reads: local.reads, writes: local.writes }, { reads: 1, writes: 1 }, `local calls: ${JSON.stringify(local.routes)}`);
  });

  test('a partner edit made with the app\'s own account but to a new value still reaches the local issue, and the local write does not come back', async () => {
    await sb.idle();
    await Promise.all([sb.resetStats('partner'), sb.resetStats('local')]);
    // The partner admin's API token is the app's partner account: a person using it is told apart by the value.
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Typed by the partner admin' } });
    await sb.idle();
    const [partner, local] = await Promise.all([counts('partner'), counts('local')]);
    assert.equal((await sb.issue('local', 'ALOY-104')).fields.summary, 'Typed by the partner admin');
    // The app's local write raises a product event that `ignoreSelf: true` keeps from the trigger: no second pass.
    assert.deepEqual({ reads: local.reads, writes: local.writes }, { reads: 1, writes: 1 }, `local calls: ${JSON.stringify(local.routes)}`);
    assert.deepEqual({ reads: partner.reads, writes: partner.writes }, { reads: 1, writes: 1 }, `partner calls (the edit itself is the write): ${JSON.stringify(partner.routes)}`);
  });

  test('opting in an issue with comments reads the new copy once: its follow-up and its comments\' own deliveries read nothing more', async () => {
    const found = await sb.rest('local', 'POST', '/rest/api/3/search/jql', { jql: 'project = ALOY AND key >= ALOY-400 AND key <= ALOY-500 ORDER BY key', fields: ['comment'], maxResults: 100 });
    const withComments = found.body.issues.find((i: any) => (i.fields.comment?.total ?? 0) >= 2);
    assert.ok(withComments, 'a seed issue with two or more comments');
    await sb.idle();
    await sb.resetStats('partner');
    const key: string = (await sb.enableSync(withComments.key)).link.partnerIssueKey;
    await sb.idle();
    const partner = await counts('partner');
    const copies = (await sb.rest('partner', 'GET', `/rest/api/3/issue/${key}?fields=comment`)).body.fields.comment.total;
    assert.equal(copies, withComments.fields.comment.total, 'every comment mirrored once');
    const issueReads = Object.entries(partner.routes).filter(([r]) => /^GET \/rest\/api\/3\/issue\/\{[^}]+\}$/.test(r)).reduce((n, [, v]) => n + v, 0);
    // The single opt-in's create reads its copy back (once more after moving its status); nothing after it does,
    // though each comment's comment_created and issue_commented deliveries arrive while the follow-up holds the link.
    const moved = partner.routes['POST /rest/api/3/issue/{issueIdOrKey}/transitions'] ?? 0;
    assert.equal(issueReads, 1 + moved, `partner calls: ${JSON.stringify(partner.routes)}`);
    assert.equal(partner.routes['POST /rest/api/3/issue/{issueIdOrKey}/comment'], copies);
  });
});
