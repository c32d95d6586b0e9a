/**
 * Worklog sync's pure parts: records stored before worklogs synced still read (empty worklog map, worklogs on with
 * estimates left alone), the planner's creates, edits, deletes and echo safety, the webhook echo check, and Jira's
 * duration words in the emulator.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { parseDuration, formatDuration, parseStarted } from '../../sandbox/jira/time-tracking';
import { Connection } from '../../src/model/connection';
import { LinkRecord } from '../../src/model/link';
import { isWorklogEcho, withWorklogIssue } from '../../src/sync/worklog-echo';
import { hasWorklogAttribution, planWorklogs, worklogSourceId, type WorklogValue } from '../../src/sync/worklogs';
import { testConnection, testLink } from './support/memory-ports';

const doc = (t: string) => ({ type: 'doc' as const, version: 1 as const, content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }] });
const sites = { local: 'https://local.atlassian.net', partner: 'https://partner.atlassian.net' };
const apps = { local: 'local-app', partner: 'partner-app' };
const keys = { local: 'ALOY-1', partner: 'PARTNER-1' };
const ann: WorklogValue = { id: '100', authorAccountId: 'ann', authorName: 'Ann', comment: doc('Fixed it'), started: '2026-12-01T09:00:00.000+0000', timeSpentSeconds: 3600, updated: '2026-12-01T10:00:00.000+0000' };

describe('stored records', () => {
  test('a link stored before worklogs synced reads with an empty worklog map', () => {
    const { worklogs: _, ...old } = testLink('1', '2');
    assert.deepEqual(LinkRecord.parse(old).worklogs, []);
  });

  test('a connection stored before worklogs synced reads with worklogs on and estimates left to each site', () => {
    const { worklogs: _, ...old } = testConnection();
    assert.deepEqual(Connection.parse(old).worklogs, { enabled: true, adjustEstimate: 'leave' });
  });
});

describe('planning worklogs', () => {
  test('a new worklog is created on the other side with attribution linking to the original', () => {
    const plan = planWorklogs({ local: [ann], partner: [], links: [], appAccountIds: apps, sites, issueKeys: keys });
    assert.equal(plan.actions.length, 1);
    const [a] = plan.actions;
    assert.equal(a.kind, 'create');
    if (a.kind !== 'create') return;
    assert.equal(a.target, 'partner');
    assert.equal(a.worklog.timeSpentSeconds, 3600);
    assert.ok(hasWorklogAttribution(a.worklog.comment));
    assert.equal(worklogSourceId(a.worklog.comment), '100');
    assert.deepEqual(plan.nextLinks, [{ localId: '100', partnerId: '', localHash: plan.nextLinks[0].localHash, partnerHash: plan.nextLinks[0].localHash }]);
  });

  test('the mirror read back is no change (echo-safe by state), and is never mirrored back', () => {
    const first = planWorklogs({ local: [ann], partner: [], links: [], appAccountIds: apps, sites, issueKeys: keys });
    const created = first.actions[0];
    if (created.kind !== 'create') throw new Error('expected a create');
    const mirror: WorklogValue = { id: '900', authorAccountId: 'partner-app', authorName: 'Sync', comment: created.worklog.comment, started: '2026-12-01T09:00:00.000+0000', timeSpentSeconds: 3600, updated: '2026-12-01T10:00:01.000+0000' };
    const links = [{ ...first.nextLinks[0], partnerId: '900' }];
    const again = planWorklogs({ local: [ann], partner: [mirror], links, appAccountIds: apps, sites, issueKeys: keys });
    assert.deepEqual(again.actions, []);
    const lost = planWorklogs({ local: [ann], partner: [mirror], links: [], appAccountIds: apps, sites, issueKeys: keys });
    assert.deepEqual(lost.actions, [], 'a mirror whose link was lost is re-linked, not copied again');
    assert.deepEqual(lost.nextLinks.map((l) => [l.localId, l.partnerId]), [['100', '900']]);
  });

  test('an edit on one side updates the other, keeping the attribution; a delete deletes the mirror', () => {
    const first = planWorklogs({ local: [ann], partner: [], links: [], appAccountIds: apps, sites, issueKeys: keys });
    const created = first.actions[0];
    if (created.kind !== 'create') throw new Error('expected a create');
    const mirror: WorklogValue = { ...ann, id: '900', authorAccountId: 'partner-app', comment: created.worklog.comment };
    const links = [{ ...first.nextLinks[0], partnerId: '900' }];
    const edited = planWorklogs({ local: [{ ...ann, timeSpentSeconds: 7200 }], partner: [mirror], links, appAccountIds: apps, sites, issueKeys: keys });
    assert.equal(edited.actions.length, 1);
    const u = edited.actions[0];
    assert.equal(u.kind, 'update');
    if (u.kind !== 'update') return;
    assert.equal(u.worklog.timeSpentSeconds, 7200);
    assert.ok(hasWorklogAttribution(u.worklog.comment), 'the mirror keeps saying who logged it');
    const deleted = planWorklogs({ local: [], partner: [mirror], links, appAccountIds: apps, sites, issueKeys: keys });
    assert.deepEqual(deleted.actions, [{ kind: 'delete', target: 'partner', targetId: '900', sourceId: '100' }]);
  });

  test('a restricted worklog is never copied; restricted after it was copied, its copy is deleted', () => {
    const secret = { ...ann, restricted: true };
    assert.deepEqual(planWorklogs({ local: [secret], partner: [], links: [], appAccountIds: apps, sites, issueKeys: keys }).actions, []);
    const links = [{ localId: '100', partnerId: '900', localHash: 'h', partnerHash: 'h' }];
    const mirror: WorklogValue = { ...ann, id: '900', authorAccountId: 'partner-app' };
    const plan = planWorklogs({ local: [secret], partner: [mirror], links, appAccountIds: apps, sites, issueKeys: keys });
    assert.deepEqual(plan.actions, [{ kind: 'delete', target: 'partner', targetId: '900', sourceId: '100' }]);
    assert.deepEqual(plan.nextLinks, []);
  });

  test('an author in the user map is named by a mention of their account on the other site', () => {
    const users = { toPartner: { ann: 'ann-at-partner' }, toLocal: {} };
    const [a] = planWorklogs({ local: [ann], partner: [], links: [], appAccountIds: apps, sites, issueKeys: keys, users }).actions;
    if (a.kind !== 'create') throw new Error('expected a create');
    const who = (a.worklog.comment.content[0] as any).content[1];
    assert.deepEqual([who.type, who.attrs.id], ['mention', 'ann-at-partner']);
  });
});

describe('worklog webhook deliveries', () => {
  const link = { worklogs: [{ localId: '100', partnerId: '900', localHash: '3600|1796115600000|x', partnerHash: '3600|1796115600000|x' }] };
  const on = { partnerAccountId: 'partner-app', worklogs: { enabled: true } };
  const body = (event: string, w: Record<string, unknown>) => ({ webhookEvent: event, worklog: { issueId: '10001', ...w } });

  test('name their issue by worklog.issueId', () => {
    assert.deepEqual((withWorklogIssue(body('worklog_created', { id: '1' })) as any).issue, { id: '10001', key: '' });
  });

  test("the app's own mirror coming back is an echo; a person's worklog, or an edit of its time, is not", () => {
    const app = { accountId: 'partner-app' };
    assert.equal(isWorklogEcho(body('worklog_created', { id: '900', author: app, updateAuthor: app }), link, on), true);
    assert.equal(isWorklogEcho(body('worklog_created', { id: '901', author: { accountId: 'bob' } }), link, on), false);
    assert.equal(isWorklogEcho(body('worklog_updated', { id: '900', updateAuthor: app, timeSpentSeconds: 3600, started: '2026-12-01T09:00:00.000+0000' }), link, on), true);
    assert.equal(isWorklogEcho(body('worklog_updated', { id: '900', updateAuthor: app, timeSpentSeconds: 60, started: '2026-12-01T09:00:00.000+0000' }), link, on), false);
    assert.equal(isWorklogEcho(body('worklog_deleted', { id: '900' }), link, on), false, 'a mapped worklog deleted by someone syncs');
    assert.equal(isWorklogEcho(body('worklog_deleted', { id: '555' }), link, on), true);
    assert.equal(isWorklogEcho(body('worklog_created', { id: '901', author: { accountId: 'bob' } }), link, { ...on, worklogs: { enabled: false } }), true, 'sync off: nothing to do');
  });
});

describe("the emulator's duration words", () => {
  test('weeks of 5 days, days of 8 hours, bare numbers as minutes, decimals', () => {
    assert.equal(parseDuration('1w 2d 3h 4m'), (40 + 16 + 3) * 3600 + 240);
    assert.equal(parseDuration('90'), 5400);
    assert.equal(parseDuration('1.5h'), 5400);
    assert.equal(parseDuration('2 hours'), undefined);
    assert.equal(formatDuration(5400), '1h 30m');
    assert.equal(formatDuration(30), '0m');
  });

  test("started must be Jira's yyyy-MM-dd'T'HH:mm:ss.SSSZ and is kept in UTC", () => {
    assert.equal(parseStarted('2021-01-17T12:34:00.000+0130'), '2021-01-17T11:04:00.000+0000');
    assert.equal(parseStarted('2021-01-17T12:34:00Z'), undefined);
  });
});
