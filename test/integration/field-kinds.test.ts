/**
 * Every field kind the default mapping maps between ALOY and PARTNER, both ways, through the real handlers: a person
 * edits one side over Jira REST (not the app), the sync runs, the other side shows the same value in its own terms.
 * Also what the mapping must leave alone: an option or component with no counterpart, a local-only field.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { adfParagraph, adfText, TestSandbox } from '../support/sandbox';

const sb = new TestSandbox(18800);
const LOCAL_KEY = 'ALOY-76';
let partnerKey = '';

/** Seeded people both sites know by email (local accountIds from the seed, partner ones from sandbox/jira/users.ts). */
const TONY = { local: '712020:461c1efe-26d2-bd69-263d-d15ba382227a', partner: '557058:7e1a0c52-partner-tony' };
const CHRIS = { local: '712020:78be78d6-c6b7-f9e6-b2df-86cd68834dd0', partner: '557058:8f2b1d63-partner-chris' };

beforeAll(async () => {
  await sb.start();
  partnerKey = (await sb.enableSync(LOCAL_KEY)).link.partnerIssueKey;
  await sb.idle();
});
afterAll(async () => {
  await sb.stop();
});

const value = (v: any) => v?.value;
const values = (v: any[] | null) => (v ?? []).map((o) => o.value).sort();
const names = (v: any[] | null) => (v ?? []).map((o) => o.name).sort();
const account = (v: any) => v?.accountId ?? null;
const accounts = (v: any[] | null) => (v ?? []).map((u) => u.accountId).sort();
const same = (v: any) => v ?? null;

/**
 * One mapped kind: the field ids on each side, a value a person sets locally and what the partner then shows, and
 * the other way round; `read` turns a REST field value into something comparable.
 */
interface KindCase {
  kind: string;
  local: string;
  partner: string;
  read: (v: any) => unknown;
  localSet: unknown;
  partnerSees: unknown;
  partnerSet: unknown;
  localSees: unknown;
}

const CASES: KindCase[] = [
  { kind: 'text (custom)', local: 'customfield_10010', partner: 'customfield_10040', read: same, localSet: 'dev@local.example', partnerSees: 'dev@local.example', partnerSet: 'ops@partner.example', localSees: 'ops@partner.example' },
  { kind: 'number', local: 'customfield_10012', partner: 'customfield_10042', read: same, localSet: 7.5, partnerSees: 7.5, partnerSet: 3.25, localSees: 3.25 },
  { kind: 'date (custom)', local: 'customfield_10013', partner: 'customfield_10043', read: same, localSet: '2026-05-01', partnerSees: '2026-05-01', partnerSet: '2026-06-15', localSees: '2026-06-15' },
  { kind: 'select', local: 'customfield_10015', partner: 'customfield_10045', read: value, localSet: { value: 'Alpha' }, partnerSees: 'Alpha', partnerSet: { value: 'Beta' }, localSees: 'Beta' },
  { kind: 'multiselect', local: 'customfield_10016', partner: 'customfield_10046', read: values, localSet: [{ value: 'Alpha' }, { value: 'Beta' }], partnerSees: ['Alpha', 'Beta'], partnerSet: [{ value: 'Beta' }], localSees: ['Beta'] },
  { kind: 'checkbox', local: 'customfield_10017', partner: 'customfield_10047', read: values, localSet: [{ value: 'Alpha' }, { value: 'Gamma' }], partnerSees: ['Alpha', 'Gamma'], partnerSet: [{ value: 'Gamma' }], localSees: ['Gamma'] },
  { kind: 'labels (custom)', local: 'customfield_10019', partner: 'customfield_10048', read: (v) => [...(v ?? [])].sort(), localSet: ['go', 'rust'], partnerSees: ['go', 'rust'], partnerSet: ['typescript'], localSees: ['typescript'] },
  { kind: 'user (custom)', local: 'customfield_10020', partner: 'customfield_10049', read: account, localSet: { accountId: TONY.local }, partnerSees: TONY.partner, partnerSet: { accountId: CHRIS.partner }, localSees: CHRIS.local },
  { kind: 'multi-user', local: 'customfield_10022', partner: 'customfield_10050', read: accounts, localSet: [{ accountId: TONY.local }, { accountId: CHRIS.local }], partnerSees: [TONY.partner, CHRIS.partner].sort(), partnerSet: [{ accountId: CHRIS.partner }], localSees: [CHRIS.local] },
  { kind: 'priority', local: 'priority', partner: 'priority', read: (v) => v?.name, localSet: { name: 'Low' }, partnerSees: 'Low', partnerSet: { name: 'Medium' }, localSees: 'Medium' },
  { kind: 'issuetype', local: 'issuetype', partner: 'issuetype', read: (v) => v?.name, localSet: { id: '7' }, partnerSees: 'Story', partnerSet: { id: '10002' }, localSees: 'Bug' },
  { kind: 'components', local: 'components', partner: 'components', read: names, localSet: [{ name: 'Documentation' }], partnerSees: ['Documentation'], partnerSet: [{ name: 'Runtime' }, { name: 'Documentation' }], localSees: ['Documentation', 'Runtime'] },
  { kind: 'fixVersions', local: 'fixVersions', partner: 'fixVersions', read: names, localSet: [{ name: 'Alloy 2.0.0' }], partnerSees: ['Alloy 2.0.0'], partnerSet: [{ name: 'Alloy 1.5.0' }], localSees: ['Alloy 1.5.0'] },
  { kind: 'versions (affects)', local: 'versions', partner: 'versions', read: names, localSet: [{ name: 'Alloy 1.5.0' }], partnerSees: ['Alloy 1.5.0'], partnerSet: [{ name: 'Alloy 1.5.0' }, { name: 'Alloy 2.0.0' }], localSees: ['Alloy 1.5.0', 'Alloy 2.0.0'] },
  { kind: 'duedate', local: 'duedate', partner: 'duedate', read: same, localSet: '2026-12-24', partnerSees: '2026-12-24', partnerSet: '2027-01-15', localSees: '2027-01-15' },
  { kind: 'environment (ADF)', local: 'environment', partner: 'environment', read: adfText, localSet: adfParagraph('Node 22 on Linux'), partnerSees: 'Node 22 on Linux', partnerSet: adfParagraph('Partner staging cluster'), localSees: 'Partner staging cluster' },
  { kind: 'description', local: 'description', partner: 'description', read: adfText, localSet: adfParagraph('Local words'), partnerSees: 'Local words', partnerSet: adfParagraph('Partner words'), localSees: 'Partner words' },
  { kind: 'assignee', local: 'assignee', partner: 'assignee', read: account, localSet: { accountId: TONY.local }, partnerSees: TONY.partner, partnerSet: { accountId: CHRIS.partner }, localSees: CHRIS.local },
  { kind: 'reporter', local: 'reporter', partner: 'reporter', read: account, localSet: { accountId: CHRIS.local }, partnerSees: CHRIS.partner, partnerSet: { accountId: TONY.partner }, localSees: TONY.local },
];

/** Sets one field on one side as that site's admin (a person), waits for the sync, reads the field on the other side. */
async function editAndRead(from: 'local' | 'partner', setField: string, setValue: unknown, readField: string): Promise<any> {
  const key = from === 'local' ? LOCAL_KEY : partnerKey;
  const res = await sb.rest(from, 'PUT', `/rest/api/3/issue/${key}`, { fields: { [setField]: setValue } });
  assert.equal(res.status, 204, `${from} edit of ${setField} answered ${res.status}: ${JSON.stringify(res.body)}`);
  await sb.idle();
  const other = from === 'local' ? 'partner' : 'local';
  return (await sb.issue(other, from === 'local' ? partnerKey : LOCAL_KEY, readField)).fields[readField];
}

describe('each mapped field kind syncs both ways', () => {
  for (const c of CASES) {
    test(`${c.kind}: a local edit reaches the partner issue`, async () => {
      assert.deepEqual(c.read(await editAndRead('local', c.local, c.localSet, c.partner)), c.partnerSees);
    });
    test(`${c.kind}: a partner edit reaches the local issue`, async () => {
      assert.deepEqual(c.read(await editAndRead('partner', c.partner, c.partnerSet, c.local)), c.localSees);
    });
  }

  test('status: a local transition moves the partner issue and a partner transition moves the local one', async () => {
    const current = (await sb.issue('local', LOCAL_KEY)).fields.status.name;
    if (current !== 'In Progress') {
      if (['Resolved', 'Closed'].includes(current)) await sb.transition('local', LOCAL_KEY, 'Reopened');
      await sb.idle();
      await sb.transition('local', LOCAL_KEY, 'In Progress');
    }
    await sb.idle();
    assert.equal((await sb.issue('partner', partnerKey)).fields.status.name, 'Working');
    await sb.transition('partner', partnerKey, 'Closed');
    await sb.idle();
    assert.equal((await sb.issue('local', LOCAL_KEY)).fields.status.name, 'Closed');
  });
});

/** Log entries of the linked issue newer than `since` (ISO), newest first. */
async function logSince(since: string): Promise<any[]> {
  return (await sb.log()).filter((e) => e.localIssueKey === LOCAL_KEY && e.at >= since);
}

describe('what the mapping leaves alone', () => {
  test('an option with no partner counterpart (Gamma) leaves the partner field unchanged and the log says which field and why', async () => {
    await editAndRead('local', 'customfield_10015', { value: 'Alpha' }, 'customfield_10045');
    const since = new Date().toISOString();
    const partnerValue = await editAndRead('local', 'customfield_10015', { value: 'Gamma' }, 'customfield_10045');
    assert.equal(partnerValue?.value, 'Alpha', 'the partner keeps its option');
    const text = JSON.stringify(await logSince(since));
    assert.match(text, /Github Integration|customfield_10015/, `the log names the field: ${text}`);
    assert.match(text, /Gamma/, `the log names the option without a counterpart: ${text}`);
  });

  test('a component the partner lacks is left out, never created there, and logged', async () => {
    const before = (await sb.rest('partner', 'GET', '/rest/api/3/project/PARTNER/components')).body;
    const since = new Date().toISOString();
    const partnerValue = await editAndRead('local', 'components', [{ name: 'XML' }, { name: 'Runtime' }], 'components');
    assert.deepEqual(names(partnerValue), ['Runtime']);
    const after = (await sb.rest('partner', 'GET', '/rest/api/3/project/PARTNER/components')).body;
    assert.deepEqual(names(after), names(before), 'no component was created on the partner');
    const text = JSON.stringify(await logSince(since));
    assert.match(text, /XML/, `the log names the component left out: ${text}`);
  });

  test('a field the default mapping does not map (a local URL field) is not touched by either side’s sync', async () => {
    const url = 'https://example.org/spec';
    await Promise.all([sb.resetStats('partner'), sb.resetStats('local')]);
    const res = await sb.rest('local', 'PUT', `/rest/api/3/issue/${LOCAL_KEY}`, { fields: { customfield_10018: url } });
    assert.equal(res.status, 204);
    await sb.idle();
    assert.deepEqual((await sb.stats('partner')).writes.byRoute, {}, 'a local-only field causes no partner write');
    await editAndRead('partner', 'summary', 'Partner edit after the URL', 'summary');
    assert.equal((await sb.issue('local', LOCAL_KEY, 'customfield_10018')).fields.customfield_10018, url, 'the partner sync leaves the URL field as it was');
  });
});
