import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { describeChanges, displayValue, failureDetail } from '../../src/sync/log-detail';
import { LOG_INDEX, newerThan, passes, planLogQueries, planLogQuery, rangeFrom } from '../../src/sync/log-query';
import { buildFieldMapping, issueByKey, localPriorities, localStatuses, partnerPriorities, partnerStatuses, v3Fields } from './fixtures';

describe('which sync-log index answers a filter', () => {
  test('no filter reads the project index, leaving out runs that changed nothing', () => {
    assert.deepEqual(planLogQuery('ALOY', {}), { index: LOG_INDEX.project, partition: ['ALOY'], filters: [{ property: 'outcome', condition: 'NOT_EQUAL_TO', values: ['no-change'] }] });
    assert.deepEqual(planLogQuery('ALOY', { includeNoChange: true }).filters, []);
  });

  test('an issue key of the project is the local issue, any other the partner issue, and it wins over outcome', () => {
    const local = planLogQuery('ALOY', { issueKey: 'ALOY-12', outcome: 'failed' });
    assert.deepEqual([local.index, local.partition], [LOG_INDEX.localKey, ['ALOY', 'ALOY-12']]);
    assert.deepEqual(local.filters, [{ property: 'outcome', condition: 'EQUAL_TO', values: ['failed'] }]);
    assert.equal(planLogQuery('ALOY', { issueKey: 'PARTNER-3' }).index, LOG_INDEX.partnerKey);
    assert.equal(planLogQuery('ALOY', { issueKey: 'ALOYX-3' }).index, LOG_INDEX.partnerKey, 'a longer project key is not ALOY');
  });

  test('outcome beats connection; direction and trigger are filters; the time range is the range condition', () => {
    const p = planLogQuery('ALOY', { outcome: 'synced', connectionId: 'c-1', direction: 'both', trigger: 'webhook', from: '2026-12-01T10:00:00Z', to: '2026-12-01T11:00:00Z' });
    assert.deepEqual([p.index, p.partition], [LOG_INDEX.outcome, ['ALOY', 'synced']]);
    assert.deepEqual(p.filters.map((f) => f.property), ['connectionId', 'direction', 'trigger']);
    assert.deepEqual(p.range, { condition: 'BETWEEN', values: ['2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z'] });
    assert.deepEqual(planLogQuery('ALOY', { connectionId: 'c-1', from: '2026-12-01T10:00:00Z' }).range, { condition: 'GREATER_THAN_EQUAL_TO', values: ['2026-12-01T10:00:00.000Z'] });
    assert.equal(planLogQuery('ALOY', { connectionId: 'c-1' }).index, LOG_INDEX.connection);
  });
});

describe('an issue key read on both sides', () => {
  test('a key of the project reads the local and the partner index with the same conditions; any other key one', () => {
    const [local, partner] = planLogQueries('ALOY', { issueKey: 'ALOY-12', trigger: 'event' });
    assert.deepEqual([local.index, partner.index], [LOG_INDEX.localKey, LOG_INDEX.partnerKey]);
    assert.deepEqual([partner.partition, partner.filters], [local.partition, local.filters]);
    assert.deepEqual(planLogQueries('ALOY', { issueKey: 'PARTNER-3' }).map((p) => p.index), [LOG_INDEX.partnerKey]);
    assert.deepEqual(planLogQueries('ALOY', { outcome: 'failed' }).map((p) => p.index), [LOG_INDEX.outcome]);
  });

  test('positions order newest first, ties in time by key, as the index does', () => {
    assert.equal(newerThan({ at: '2026-12-02T10:00:01.000Z', key: 'a' }, { at: '2026-12-02T10:00:00.000Z', key: 'z' }), true);
    assert.equal(newerThan({ at: '2026-12-02T10:00:00.000Z', key: 'b' }, { at: '2026-12-02T10:00:00.000Z', key: 'a' }), true);
    assert.equal(newerThan({ at: '2026-12-02T10:00:00.000Z', key: 'a' }, { at: '2026-12-02T10:00:00.000Z', key: 'a' }), false);
  });

  test('a page resumes from the last time given, inside the chosen range, or not at all when the range is passed', () => {
    const after = { at: '2026-12-02T10:00:00.000Z', key: 'k' };
    assert.deepEqual(rangeFrom(undefined, after), { condition: 'LESS_THAN_EQUAL_TO', values: [after.at] });
    assert.deepEqual(rangeFrom({ condition: 'GREATER_THAN_EQUAL_TO', values: ['2026-12-01T00:00:00.000Z'] }, after), { condition: 'BETWEEN', values: ['2026-12-01T00:00:00.000Z', after.at] });
    assert.deepEqual(rangeFrom({ condition: 'BETWEEN', values: ['2026-12-01T00:00:00.000Z', '2026-12-01T12:00:00.000Z'] }, after), { condition: 'BETWEEN', values: ['2026-12-01T00:00:00.000Z', '2026-12-01T12:00:00.000Z'] });
    assert.equal(rangeFrom({ condition: 'GREATER_THAN_EQUAL_TO', values: ['2026-12-03T00:00:00.000Z'] }, after), null);
    const first = { condition: 'LESS_THAN_EQUAL_TO', values: ['2026-12-01T00:00:00.000Z'] };
    assert.equal(rangeFrom(first, undefined), first);
  });

  test('the filters a merged read applies itself are the equalities of the plan', () => {
    const { filters } = planLogQuery('ALOY', { issueKey: 'ALOY-1', outcome: 'failed', trigger: 'event' });
    assert.equal(passes({ outcome: 'failed', trigger: 'event' }, filters), true);
    assert.equal(passes({ outcome: 'failed', trigger: 'webhook' }, filters), false);
    assert.equal(passes({ outcome: 'no-change' }, planLogQuery('ALOY', { issueKey: 'ALOY-1' }).filters), false, 'runs that changed nothing stay hidden');
  });
});

describe('a sync-log entry says what changed in words', () => {
  const mapping = buildFieldMapping({ localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities });
  const local = v3Fields(issueByKey('ALOY-3'));

  test('values read as a person sees them: names of statuses and users, rich text as short plain text', () => {
    assert.equal(displayValue({ id: '3', name: 'In Progress' }), 'In Progress');
    assert.equal(displayValue({ accountId: 'a-1', displayName: 'Ann Admin' }), 'Ann Admin');
    assert.equal(displayValue([{ value: 'Red' }, { value: 'Blue' }]), 'Red, Blue');
    assert.equal(displayValue(null), '(empty)');
    const text = displayValue(local.description);
    assert.ok(text.length <= 80 && !text.includes('{'), text);
  });

  test('each copied field shows the written side before and the value copied', () => {
    const partner = { ...local, summary: 'Old partner summary', priority: { id: '9', name: 'Lowest' } };
    const changes = describeChanges({ toPartner: { summary: 'x', priority: 'y' }, toLocal: {} }, mapping, { local, partner }, { toPartner: 2, toLocal: 0 });
    assert.deepEqual(changes.map((c) => [c.field, c.to, c.before]), [['summary', 'partner', 'Old partner summary'], ['priority', 'partner', 'Lowest'], ['comment', 'partner', '—']]);
    assert.equal(changes[0].after, String(local.summary));
    assert.equal(changes[1].after, (local.priority as { name: string }).name);
    assert.equal(changes[2].after, '2 comments copied');
  });

  test('a failure names what to do by its code', () => {
    assert.match(failureDetail('partner-auth', 'Partner refused the token').advice, /API token/);
    assert.match(failureDetail('no-transition', 'x').advice, /transition/);
    assert.match(failureDetail(null, 'x').advice, /Retry/);
  });
});
