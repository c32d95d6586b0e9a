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
});
