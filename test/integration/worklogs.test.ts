/**
 * Worklogs through the real handlers and the emulator: the emulator validates time as Jira does, time logged on
 * either issue of a link is mirrored on the other with attribution (through the user map where it maps), edits and
 * deletes follow, the partner's remaining estimate is left alone unless the connection says otherwise, the app's own
 * writes coming back cost no job, and a connection can keep its hours to itself.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { LOCAL_USER, PARTNER_EDITOR } from '../../sandbox/jira/users';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(20500);
before(async () => {
  await sb.start();
});
after(async () => {
  await sb.stop();
});

type Site = 'local' | 'partner';
const editor = { email: PARTNER_EDITOR.email, apiToken: PARTNER_EDITOR.apiToken };

async function worklogs(site: Site, key: string): Promise<any[]> {
  const res = await sb.rest(site, 'GET', `/rest/api/3/issue/${key}/worklog`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.worklogs;
}

async function logWork(site: Site, key: string, body: Record<string, unknown>, auth?: { email: string; apiToken: string }): Promise<any> {
  const res = await sb.rest(site, 'POST', `/rest/api/3/issue/${key}/worklog`, body, auth);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await sb.idle();
  return res.body;
}

async function timetracking(site: Site, key: string): Promise<any> {
  return (await sb.issue(site, key, 'timetracking')).fields.timetracking;
}

async function connection(): Promise<any> {
  const res = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return res.data.connections[0];
}

describe('the emulator logs work as Jira Cloud does', () => {
  test("a timeSpent Jira cannot read is refused in Jira's words and nothing is logged", async () => {
    for (const timeSpent of ['two hours', '3x', '1h-30m', '']) {
      const res = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-5/worklog', { timeSpent, started: '2021-01-17T12:34:00.000+0000' });
      assert.equal(res.status, 400, `${JSON.stringify(timeSpent)} → ${res.status}`);
      assert.deepEqual(res.body, { errorMessages: [], errors: { timeLogged: 'Invalid time duration entered.' } });
    }
    assert.deepEqual(await worklogs('local', 'ALOY-5'), []);
  });

  test('durations use the site week and day (5 days of 8 hours); a bare number is minutes', async () => {
    const w = await logWork('local', 'ALOY-5', { timeSpent: '1w 2d 3h 4m', started: '2021-01-17T12:34:00.000+0100' });
    assert.equal(w.timeSpentSeconds, (40 + 16 + 3) * 3600 + 4 * 60);
    assert.equal(w.timeSpent, '1w 2d 3h 4m');
    assert.equal(w.started, '2021-01-17T11:34:00.000+0000', 'started is stored in UTC');
    const minutes = await logWork('local', 'ALOY-5', { timeSpent: '90', started: '2021-01-18T09:00:00.000+0000' });
    assert.equal(minutes.timeSpent, '1h 30m');
  });

  test('a started time not in yyyy-MM-ddTHH:mm:ss.SSSZ, or both time forms at once, is refused', async () => {
    const bad = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-5/worklog', { timeSpent: '1h', started: '2021-01-17 12:34' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors.started, /yyyy-MM-dd'T'HH:mm:ss\.SSSZ/);
    const both = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-5/worklog', { timeSpent: '1h', timeSpentSeconds: 3600, started: '2021-01-17T12:34:00.000+0000' });
    assert.equal(both.status, 400);
    const none = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-5/worklog', { started: '2021-01-17T12:34:00.000+0000' });
    assert.deepEqual(none.body.errors, { timeLogged: 'You must indicate the time spent working.' });
  });

  test('adjustEstimate moves the remaining estimate: auto by the time logged, leave not at all, new to newEstimate, manual by reduceBy', async () => {
    const set = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-6', { fields: { timetracking: { originalEstimate: '2d' } } });
    assert.equal(set.status, 204, JSON.stringify(set.body));
    assert.deepEqual(await timetracking('local', 'ALOY-6'), { originalEstimate: '2d', originalEstimateSeconds: 57600, remainingEstimate: '2d', remainingEstimateSeconds: 57600 });
    const started = '2021-01-17T12:34:00.000+0000';
    await logWork('local', 'ALOY-6', { timeSpent: '4h', started });
    assert.equal((await timetracking('local', 'ALOY-6')).remainingEstimate, '1d 4h');
    const leave = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-6/worklog?adjustEstimate=leave', { timeSpent: '1h', started });
    assert.equal(leave.status, 201);
    assert.equal((await timetracking('local', 'ALOY-6')).remainingEstimate, '1d 4h');
    const missing = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-6/worklog?adjustEstimate=new', { timeSpent: '1h', started });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.errors, { newEstimate: 'You must supply a valid new estimate.' });
    const fresh = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-6/worklog?adjustEstimate=new&newEstimate=3h', { timeSpent: '1h', started });
    assert.equal(fresh.status, 201);
    assert.equal((await timetracking('local', 'ALOY-6')).remainingEstimate, '3h');
    const manual = await sb.rest('local', 'POST', '/rest/api/3/issue/ALOY-6/worklog?adjustEstimate=manual&reduceBy=2h', { timeSpent: '1h', started });
    assert.equal(manual.status, 201);
    assert.equal((await timetracking('local', 'ALOY-6')).remainingEstimate, '1h');
    assert.equal((await timetracking('local', 'ALOY-6')).timeSpent, '7h');
    await sb.idle();
  });

  test('the issue list is paged with startAt and maxResults, and the issue read embeds the worklog field', async () => {
    const page = await sb.rest('local', 'GET', '/rest/api/3/issue/ALOY-6/worklog?startAt=1&maxResults=2');
    assert.equal(page.body.total, 4);
    assert.equal(page.body.worklogs.length, 2);
    assert.equal(page.body.startAt, 1);
    const field = (await sb.issue('local', 'ALOY-6', 'worklog')).fields.worklog;
    assert.equal(field.total, 4);
    assert.equal(field.worklogs.length, 4);
  });
});

describe('worklogs sync both ways', () => {
  let partnerKey = '';
  let localWorklogId = '';
  const comment = adfParagraph('Paired on the login fix');

  test('work logged on the local issue reaches the partner issue, with who logged it and where', async () => {
    partnerKey = await sb.linked('ALOY-12');
    const w = await logWork('local', 'ALOY-12', { timeSpent: '2h 30m', started: '2026-11-30T09:15:00.000+0000', comment });
    localWorklogId = w.id;
    const mirrors = await worklogs('partner', partnerKey);
    assert.equal(mirrors.length, 1, JSON.stringify(mirrors));
    assert.equal(mirrors[0].timeSpentSeconds, 9000);
    assert.equal(mirrors[0].started, '2026-11-30T09:15:00.000+0000');
    const text = adfText(mirrors[0].comment);
    assert.match(text, /^Logged by Local Admin on local\.atlassian\.net:|^Logged by .+ on local\.atlassian\.net:/, text);
    assert.match(text, /Paired on the login fix/);
    const link = JSON.stringify(mirrors[0].comment);
    assert.ok(link.includes(`focusedWorklogId=${w.id}`), `the attribution links to the original: ${link}`);
    const entry = (await sb.log()).find((e) => e.localIssueKey === 'ALOY-12' && e.fields.includes('worklog'));
    assert.ok(entry, 'the sync log names the worklog');
    assert.equal(entry.direction, 'local-to-partner');
  });

  test("a mirrored worklog leaves the partner's remaining estimate to the partner (adjustEstimate=leave)", async () => {
    const set = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { timetracking: { originalEstimate: '1d', remainingEstimate: '6h' } } });
    assert.equal(set.status, 204, JSON.stringify(set.body));
    await sb.idle();
    await logWork('local', 'ALOY-12', { timeSpent: '1h', started: '2026-11-30T13:00:00.000+0000' });
    assert.equal((await worklogs('partner', partnerKey)).length, 2);
    const tt = await timetracking('partner', partnerKey);
    assert.equal(tt.remainingEstimate, '6h', JSON.stringify(tt));
    assert.equal(tt.timeSpent, '3h 30m');
  });

  test('a partner edit of a mirror follows back to the original, and a local edit follows to the mirror', async () => {
    const [mirror] = await worklogs('partner', partnerKey);
    const edit = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}/worklog/${mirror.id}`, { timeSpent: '3h' });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    await sb.idle();
    // No partner event reaches the local issue's job on its own here: the webhook does.
    const original = (await worklogs('local', 'ALOY-12')).find((w) => w.id === localWorklogId);
    assert.equal(original.timeSpentSeconds, 3 * 3600, 'the partner edit reached the original');
    const back = await sb.rest('local', 'PUT', `/rest/api/3/issue/ALOY-12/worklog/${localWorklogId}`, { started: '2026-11-30T08:00:00.000+0000', comment: adfParagraph('Paired on the login fix, and reviewed') });
    assert.equal(back.status, 200);
    await sb.idle();
    const after = (await worklogs('partner', partnerKey)).find((w) => w.id === mirror.id);
    assert.equal(after.started, '2026-11-30T08:00:00.000+0000');
    assert.match(adfText(after.comment), /^Logged by .+ on local\.atlassian\.net:.*and reviewed/s, 'the attribution stays, the content follows');
  });

  test('work a partner person logs reaches the local issue, attributed to them on the partner site', async () => {
    const w = await logWork('partner', partnerKey, { timeSpentSeconds: 1800, started: '2026-12-01T10:00:00.000+0000', comment: adfParagraph('Partner QA pass') }, editor);
    const local = (await worklogs('local', 'ALOY-12')).filter((x) => JSON.stringify(x.comment ?? '').includes(`focusedWorklogId=${w.id}`));
    assert.equal(local.length, 1, 'exactly one mirror');
    assert.equal(local[0].timeSpentSeconds, 1800);
    assert.match(adfText(local[0].comment), /^Logged by Partner Editor on partner\.atlassian\.net:.*Partner QA pass/s);
  });

  test('a deleted worklog is deleted on the other side, both ways', async () => {
    const localMirror = (await worklogs('local', 'ALOY-12')).find((x) => adfText(x.comment ?? { type: 'doc', version: 1, content: [] }).includes('Partner QA pass'));
    const partnerOriginal = (await worklogs('partner', partnerKey)).find((x) => adfText(x.comment ?? { type: 'doc', version: 1, content: [] }).includes('Partner QA pass'));
    const del = await sb.rest('partner', 'DELETE', `/rest/api/3/issue/${partnerKey}/worklog/${partnerOriginal.id}`, undefined, editor);
    assert.equal(del.status, 204);
    await sb.idle();
    assert.equal((await worklogs('local', 'ALOY-12')).some((x) => x.id === localMirror.id), false, 'the local mirror is gone');
    const delLocal = await sb.rest('local', 'DELETE', `/rest/api/3/issue/ALOY-12/worklog/${localWorklogId}`);
    assert.equal(delLocal.status, 204);
    await sb.idle();
    assert.equal((await worklogs('partner', partnerKey)).length, 1, 'only the mirror of the 1h worklog is left');
    assert.equal((await worklogs('local', 'ALOY-12')).length, 1);
  });

  test('replayed events, webhooks and reconciles copy nothing twice', async () => {
    const before = { local: (await worklogs('local', 'ALOY-12')).length, partner: (await worklogs('partner', partnerKey)).length };
    await sb.resetStats('partner');
    for (let i = 0; i < 2; i++) {
      await sb.invoke('task-sync-panel', 'syncNow', {}, { issueKey: 'ALOY-12' }).catch(() => undefined);
      await sb.reconcile();
      await sb.idle();
    }
    assert.deepEqual({ local: (await worklogs('local', 'ALOY-12')).length, partner: (await worklogs('partner', partnerKey)).length }, before);
    const writes = (await sb.stats('partner')).writes.byRoute;
    assert.equal(Object.keys(writes).filter((r) => r.includes('worklog')).length, 0, `no worklog writes on the partner: ${JSON.stringify(writes)}`);
  });

  test("the app's own worklog writes coming back from the partner start no job of their own", async () => {
    const jobsBefore = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-12').length;
    await sb.resetStats('partner');
    await logWork('local', 'ALOY-12', { timeSpent: '15m', started: '2026-12-01T15:00:00.000+0000' });
    const stats = await sb.stats('partner');
    assert.equal(stats.writes.byRoute['POST /rest/api/3/issue/{issueIdOrKey}/worklog'], 1, JSON.stringify(stats.writes));
    assert.ok(stats.webhooks.delivered >= 2, `the partner announced the mirror (worklog_created and jira:issue_updated): ${JSON.stringify(stats.webhooks)}`);
    const entries = (await sb.log()).filter((e) => e.localIssueKey === 'ALOY-12');
    const runs = entries.slice(0, entries.length - jobsBefore); // newest first
    const webhookRuns = runs.filter((e) => e.trigger === 'webhook');
    assert.deepEqual(webhookRuns.map((e) => e.outcome), [], `no job ran for the echo: ${JSON.stringify(runs)}`);
  });
});

describe('per connection', () => {
  test('with "Sync worklogs" off, time logged stays on its site and no job runs for it', async () => {
    const c = await connection();
    assert.deepEqual(c.worklogs, { enabled: true, adjustEstimate: 'leave' }, 'on by default, estimates left alone');
    const saved = await sb.saveSettings({ worklogs: { enabled: false, adjustEstimate: 'leave' } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const partnerKey = await sb.linked('ALOY-13');
    await sb.resetStats('partner');
    await logWork('local', 'ALOY-13', { timeSpent: '1h', started: '2026-12-01T09:00:00.000+0000' });
    await logWork('partner', partnerKey, { timeSpent: '2h', started: '2026-12-01T09:00:00.000+0000' }, editor);
    assert.equal((await worklogs('partner', partnerKey)).length, 1, 'the local hour stayed local');
    assert.equal((await worklogs('local', 'ALOY-13')).length, 1, 'the partner hours stayed on the partner');
    const reads = (await sb.stats('partner')).requests['GET /rest/api/3/issue/{issueIdOrKey}'] ?? 0;
    assert.equal(reads, 0, 'no sync job read the partner issue');
  });

  test('with the estimate set to "reduce", a mirrored worklog reduces the remaining estimate where it lands', async () => {
    const saved = await sb.saveSettings({ worklogs: { enabled: true, adjustEstimate: 'auto' } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const partnerKey = await sb.linked('ALOY-14');
    await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { timetracking: { remainingEstimate: '5h' } } });
    await sb.idle();
    await logWork('local', 'ALOY-14', { timeSpent: '2h', started: '2026-12-01T09:00:00.000+0000' });
    assert.equal((await timetracking('partner', partnerKey)).remainingEstimate, '3h');
  });

  test('a partner person mapped in the user map is named by a mention of their local account', async () => {
    const c = await connection();
    const users = { toPartner: { ...c.mapping.users.toPartner, [LOCAL_USER.accountId]: PARTNER_EDITOR.accountId }, toLocal: { ...c.mapping.users.toLocal, [PARTNER_EDITOR.accountId]: LOCAL_USER.accountId } };
    const saved = await sb.saveSettings({ mapping: { ...c.mapping, users } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const partnerKey = await sb.linked('ALOY-15');
    await logWork('partner', partnerKey, { timeSpent: '45m', started: '2026-12-01T11:00:00.000+0000' }, editor);
    const [mirror] = await worklogs('local', 'ALOY-15');
    const who = mirror.comment.content[0].content[1];
    assert.deepEqual({ type: who.type, id: who.attrs?.id }, { type: 'mention', id: LOCAL_USER.accountId });
    assert.match(adfText(mirror.comment), /on partner\.atlassian\.net:/);
  });
});

describe('time tracking fields are mapped fields like any other', () => {
  test('the mapping editor offers Original and Remaining Estimate on both sites (left out of the defaults)', async () => {
    const c = await connection();
    const res = await sb.invoke('task-sync-settings', 'getMappingCatalog', { connectionId: c.id }, { projectKey: 'ALOY' });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    for (const side of ['local', 'partner'] as const) {
      const found = res.data[side].fields.filter((f: any) => f.kind === 'estimate').map((f: any) => [f.id, f.name, f.onScreen]);
      assert.deepEqual(found.sort(), [['timeestimate', 'Remaining Estimate', true], ['timeoriginalestimate', 'Original Estimate', true]], side);
    }
    assert.equal(c.mapping.fields.some((f: any) => f.kind === 'estimate'), false, 'each site keeps its own estimates unless an admin maps them');
  });

  test('once mapped, an estimate set on either side reaches the other through Time tracking', async () => {
    const c = await connection();
    const row = (id: string, name: string) => ({ local: id, partner: id, kind: 'estimate', direction: 'both', name: { local: name, partner: name } });
    const fields = [...c.mapping.fields, row('timeoriginalestimate', 'Original Estimate'), row('timeestimate', 'Remaining Estimate')];
    const saved = await sb.saveSettings({ mapping: { ...c.mapping, fields }, worklogs: { enabled: true, adjustEstimate: 'leave' } });
    assert.equal(saved.ok, true, JSON.stringify(saved.error));
    const partnerKey = await sb.linked('ALOY-16');
    const set = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-16', { fields: { timetracking: { originalEstimate: '3d', remainingEstimate: '1d 2h' } } });
    assert.equal(set.status, 204, JSON.stringify(set.body));
    await sb.idle();
    const partner = await timetracking('partner', partnerKey);
    assert.deepEqual([partner.originalEstimate, partner.remainingEstimate], ['3d', '1d 2h']);
    const back = await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { timetracking: { remainingEstimate: '5h' } } }, editor);
    assert.equal(back.status, 204, JSON.stringify(back.body));
    await sb.idle();
    assert.equal((await timetracking('local', 'ALOY-16')).remainingEstimate, '5h');
  });

  test('an estimate Jira cannot read is refused with its words and nothing changes', async () => {
    const before = await timetracking('local', 'ALOY-16');
    const res = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-16', { fields: { timetracking: { originalEstimate: 'soon' } } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors, { timetracking: 'The original estimate specified is not valid.' });
    assert.deepEqual(await timetracking('local', 'ALOY-16'), before);
  });
});

describe('restricted worklogs', () => {
  test('a worklog restricted to a project role stays on its site; restricting one already copied deletes its copy', async () => {
    const partnerKey = await sb.linked('ALOY-17');
    await logWork('local', 'ALOY-17', { timeSpent: '1h', started: '2026-12-01T09:00:00.000+0000', comment: adfParagraph('Internal hours'), visibility: { type: 'role', value: 'Developers' } });
    assert.deepEqual(await worklogs('partner', partnerKey), [], 'the restricted worklog was not copied');
    const open = await logWork('local', 'ALOY-17', { timeSpent: '2h', started: '2026-12-01T11:00:00.000+0000', comment: adfParagraph('Shared hours') });
    assert.equal((await worklogs('partner', partnerKey)).length, 1);
    const restrict = await sb.rest('local', 'PUT', `/rest/api/3/issue/ALOY-17/worklog/${open.id}`, { visibility: { type: 'role', value: 'Developers' } });
    assert.equal(restrict.status, 200, JSON.stringify(restrict.body));
    assert.deepEqual(restrict.body.visibility, { type: 'role', value: 'Developers', identifier: 'Developers' });
    await sb.idle();
    assert.deepEqual(await worklogs('partner', partnerKey), [], 'the copy is gone once the original is restricted');
    assert.equal((await worklogs('local', 'ALOY-17')).length, 2, 'both originals stay');
  });
});

describe('Forge worklog product events', () => {
  test("a person's local worklog reaches the trigger as avi:jira:created:worklog, naming the issue only by worklog.issueId", async () => {
    const partnerKey = await sb.linked('ALOY-18');
    const before = (await sb.productEvents()).delivered.length;
    const w = await logWork('local', 'ALOY-18', { timeSpent: '20m', started: '2026-12-01T09:00:00.000+0000' });
    const events = (await sb.productEvents()).delivered.slice(before).map((e) => e.eventType);
    assert.ok(events.includes('avi:jira:created:worklog'), JSON.stringify(events));
    assert.equal(events.includes('avi:jira:updated:issue'), false, 'a worklog is not an issue edit event');
    const [copy] = await worklogs('partner', partnerKey);
    assert.ok(JSON.stringify(copy.comment).includes(`focusedWorklogId=${w.id}`), 'the event alone led to the copy');
  });
});

describe('records stored before worklogs synced', () => {
  test('a link and a connection stored without worklog fields still sync, and time logged since is copied once', async () => {
    const partnerKey = await sb.linked('ALOY-19');
    const kvs: Record<string, any> = await (await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`)).json();
    const [linkKey, link] = Object.entries(kvs).find(([k, v]) => k.startsWith('link:') && v.partnerIssueKey === partnerKey)!;
    const [connectionKey, stored] = Object.entries(kvs).find(([k]) => k.startsWith('connection:ALOY:'))!;
    const { worklogs: _l, ...oldLink } = link;
    const { worklogs: _c, ...oldConnection } = stored;
    const res = await fetch(`${sb.cfg.hostUrl}/__sandbox/kvs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ set: { [linkKey]: oldLink, [connectionKey]: oldConnection } }) });
    assert.equal(res.status, 200);
    await logWork('local', 'ALOY-19', { timeSpent: '3h', started: '2026-12-01T09:00:00.000+0000' });
    await sb.reconcile();
    await sb.idle();
    const copies = await worklogs('partner', partnerKey);
    assert.equal(copies.length, 1, JSON.stringify(copies));
    assert.equal(copies[0].timeSpentSeconds, 3 * 3600);
  });
});
