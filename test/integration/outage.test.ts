/**
 * The partner is down for an hour (on the host's virtual clock): jobs back off, fail visibly, are retried by
 * reconcile, nothing is lost, and everything converges once the partner is back.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19100);
const KEYS = ['ALOY-321', 'ALOY-328', 'ALOY-334', 'ALOY-336', 'ALOY-337'];
const partnerKeys = new Map<string, string>();

before(async () => {
  await sb.start({ clock: 'manual' });
  for (const key of KEYS) partnerKeys.set(key, (await sb.enableSync(key)).link.partnerIssueKey);
  await sb.idle();
});
after(async () => {
  await sb.stop();
});

test('a partner outage of an hour loses nothing and converges once the partner is back', async () => {
  await sb.faults('partner', { down: true });
  await sb.resetStats('partner');
  for (const key of KEYS) {
    await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `${key} edited during the outage` } });
  }
  await sb.rest('local', 'POST', `/rest/api/3/issue/${KEYS[0]}/comment`, { body: adfParagraph('Comment written during the outage') });
  await sb.idle();

  // One virtual hour, a minute at a time: retries back off, then the 5-minute reconcile re-queues failed links.
  for (let minute = 0; minute < 60; minute++) {
    await sb.advanceClock(60_000);
    await sb.idle();
  }
  const during = await sb.stats('partner');
  assert.equal(Object.keys(during.writes.byRoute).length, 0, 'the partner accepted no write while down');
  const attempts = during.faults.outage;
  // Per link: the first run and its 4 queue retries, then reconcile retries after 5, 10, 20, 40 minutes (one run
  // each); every run reads the partner issue with up to 3 tries. Plus one partner search per reconcile pass.
  const bound = 5 * (5 + 4) * 3 + 12;
  assert.ok(attempts > 0 && attempts <= bound, `attempts against the down partner: ${attempts} (bound ${bound})`);
  const failed = await sb.invoke('task-sync-settings', 'getFailedLinks', {}, { projectKey: 'ALOY' });
  assert.deepEqual(failed.data.failed.map((f: any) => f.localIssueKey).sort(), [...KEYS].sort());
  assert.ok(failed.data.failed.every((f: any) => /503/.test(f.message)), 'each failure names the 503');

  await sb.faults('partner', null);
  await sb.advanceClock(6 * 60_000); // the next reconcile picks the failed links up
  await sb.idle();
  for (const key of KEYS) {
    const partner = await sb.issue('partner', partnerKeys.get(key)!);
    assert.equal(partner.fields.summary, `${key} edited during the outage`);
  }
  const comments = (await sb.comments('partner', partnerKeys.get(KEYS[0])!)).map((c) => adfText(c.body));
  assert.equal(comments.filter((t) => t.includes('Comment written during the outage')).length, 1, 'the comment arrived exactly once');
  const afterwards = await sb.invoke('task-sync-settings', 'getFailedLinks', {}, { projectKey: 'ALOY' });
  assert.deepEqual(afterwards.data.failed, []);
});
