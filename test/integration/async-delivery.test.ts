/**
 * The real app under Forge's asynchronous delivery: product events that arrive late and out of order, and a KVS
 * outage in the middle of a sync job, both converge because every job reads current state. Runs the whole sandbox
 * (both Jira sites, the Forge host on a manual clock) over HTTP.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import { TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(19300);
const ORDER_KEY = 'ALOY-321';
const KVS_KEY = 'ALOY-328';
const EVENT_KEY = 'ALOY-334';
const partnerKeys = new Map<string, string>();

before(async () => {
  await sb.start({ clock: 'manual' });
  for (const key of [ORDER_KEY, KVS_KEY, EVENT_KEY]) partnerKeys.set(key, (await sb.enableSync(key)).link.partnerIssueKey);
  await sb.idle();
});
after(async () => {
  await sb.stop();
});

const editSummary = async (key: string, summary: string) => {
  const r = await sb.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  assert.equal(r.status, 204, JSON.stringify(r.body));
};
const partnerSummary = async (key: string) => (await sb.issue('partner', partnerKeys.get(key)!)).fields.summary;

test('two local edits whose product events arrive in the opposite order leave the partner with the latest summary', async () => {
  const before = (await sb.productEvents()).delivered.length;
  await sb.productEvents([600, 600]);
  await editSummary(ORDER_KEY, 'First edit, delivered last');
  await sb.productEvents([0, 0]);
  await editSummary(ORDER_KEY, 'Second edit, delivered first');
  await sb.idle();
  await sb.productEvents([50, 250]);

  const mine = (await sb.productEvents()).delivered.slice(before).filter((d) => d.issueKey === ORDER_KEY && d.eventType === 'avi:jira:updated:issue');
  assert.equal(mine.length, 2, JSON.stringify(mine));
  assert.ok(mine[0].seq > mine[1].seq, `the second edit's event (seq ${mine[0].seq}) was delivered before the first's (seq ${mine[1].seq})`);
  assert.equal(await partnerSummary(ORDER_KEY), 'Second edit, delivered first');
});

test('a KVS failure while the sync job takes its claim is retried through an InvocationError and converges', async () => {
  const faults = await sb.kvsFaults({ failNext: 1, operations: ['set'], keyPrefix: 'claim:job:' });
  assert.equal(faults.failNext, 1);
  const firedBefore = faults.fired;
  await editSummary(KVS_KEY, 'Edited while storage hiccupped');
  await sb.idle();
  assert.equal((await sb.kvsFaults(null)).fired, firedBefore + 1, 'the claim write failed once');
  assert.notEqual(await partnerSummary(KVS_KEY), 'Edited while storage hiccupped', 'nothing synced yet: the retry waits');

  // A thrown error would come back after the host's 1 s backoff; the app's InvocationError asks for 5 s or more.
  await sb.advanceClock(2_000);
  await sb.idle();
  assert.notEqual(await partnerSummary(KVS_KEY), 'Edited while storage hiccupped', 'not retried after 2 s: the retry honours retryAfter');
  await sb.advanceClock(8_000);
  await sb.idle();
  assert.equal(await partnerSummary(KVS_KEY), 'Edited while storage hiccupped', 'the retry synced the edit');
  const log = await sb.log();
  assert.ok(!log.some((e: any) => e.localIssueKey === KVS_KEY && e.outcome === 'failed'), 'no failure reached the sync log');
});

test('a KVS failure in the product-event trigger asks Forge to retry the event, and the edit still arrives', async () => {
  const { fired } = await sb.kvsFaults({ failNext: 1, operations: ['get'], keyPrefix: 'link:' });
  await editSummary(EVENT_KEY, 'Edited while the trigger could not read its link');
  await sb.idle();
  assert.equal((await sb.kvsFaults(null)).fired, fired + 1, 'the trigger’s link read failed once');
  assert.notEqual(await partnerSummary(EVENT_KEY), 'Edited while the trigger could not read its link', 'the event waits for its retry');
  await sb.advanceClock(10_000);
  await sb.idle();
  assert.equal(await partnerSummary(EVENT_KEY), 'Edited while the trigger could not read its link', 'the retried event queued the job');
});

test('bad KVS fault settings are refused and change nothing', async () => {
  await assert.rejects(sb.kvsFaults({ failNext: -1 }), /kvs-faults answered 400: .*failNext/);
  await assert.rejects(sb.kvsFaults({ status: 418 }), /kvs-faults answered 400: .*status/);
  await assert.rejects(sb.kvsFaults({ failEverything: true }), /kvs-faults answered 400/);
  const state = await sb.kvsFaults(null);
  assert.equal(state.failNext, undefined);
});
