/**
 * The default mapping on hand-made catalogs shaped like the sandbox's two sites (real field schemas, Jira
 * Server's workflow and priorities against Jira Cloud's): what maps with no editing and what does not.
 * The same rules on the catalogs read from the running sandbox: test/integration/mapping-editor.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { defaultMapping, userSuggestions } from '../../src/sync/defaults';
import { checkMapping } from '../../src/sync/mapping-check';
import { customField, person, siteCatalog } from './support/catalogs';

const ABG = ['Alpha', 'Beta', 'Gamma'];
const ABD = ['Alpha', 'Beta', 'Delta'];

const local = siteCatalog({
  projectKey: 'ALOY',
  custom: [
    customField(10010, 'Git Notification Mailing List', 'textfield'),
    customField(10011, 'Blogs - New Blog Write Access', 'textarea'),
    customField(10012, 'Cloudstack-CVSS', 'float'),
    customField(10013, 'Review Date', 'datepicker'),
    customField(10014, 'Actual start', 'datetime'),
    customField(10015, 'Github Integration', 'select', { options: ABG }),
    customField(10016, 'Suspected Cause / Domain', 'multiselect', { options: ABG }),
    customField(10017, 'Lucene Fields', 'multicheckboxes', { options: ABG }),
    customField(10018, 'Git Repository Import Path', 'url'),
    customField(10019, 'Language', 'labels'),
    customField(10020, 'Tester', 'userpicker'),
    customField(10022, 'Reviewers', 'multiuserpicker'),
    customField(10023, 'Homepage', 'url'),
    customField(10024, 'Severity', 'radiobuttons', { options: ['S1', 'S2'] }),
    customField(10025, 'Sprint', 'jira-sprint'),
  ],
  issueTypes: [{ id: '1', name: 'Bug', subtask: false }, { id: '4', name: 'Improvement', subtask: false }, { id: '7', name: 'Story', subtask: false }, { id: '5', name: 'Sub-task', subtask: true }],
  statuses: [
    { id: '1', name: 'Open', category: 'new' },
    { id: '3', name: 'In Progress', category: 'indeterminate' },
    { id: '4', name: 'Reopened', category: 'new' },
    { id: '5', name: 'Resolved', category: 'done' },
    { id: '6', name: 'Closed', category: 'done' },
  ],
  priorities: ['Critical', 'High', 'Medium', 'Low', 'Trivial'].map((name, i) => ({ id: String(i + 1), name })),
  components: ['Documentation', 'Runtime', 'XML'],
  versions: ['Alloy 1.5.0', 'Alloy 2.0.0', 'Release 3.0.0'],
  users: [
    person('l-tony', 'Tony Lukasavage', 'tony.lukasavage@tidev.example'),
    person('l-chris', 'Chris Barber', 'chris.barber@tidev.example'),
    person('l-tim', 'Tim Poulsen', 'tim.poulsen@tidev.example'),
    person('l-feon', 'Feon Sua Xin Miao', 'feon.miao@tidev.example'),
    person('l-alex', 'Alex Morgan', 'alex.morgan@tidev.example'),
    person('l-former', 'Former Contractor', 'former@tidev.example', false),
  ],
});

const partner = siteCatalog({
  custom: [
    customField(10040, 'Git Notification Mailing List', 'textfield'),
    customField(10041, 'Blogs - New Blog Write Access', 'textfield'),
    customField(10042, 'Cloudstack-CVSS', 'float'),
    customField(10043, 'Review Date', 'datepicker'),
    customField(10044, 'Actual start', 'datepicker'),
    customField(10045, 'Github Integration', 'select', { options: ABD }),
    customField(10046, 'Suspected Cause / Domain', 'multiselect', { options: ABD }),
    customField(10047, 'Lucene Fields', 'multicheckboxes', { options: ['Alpha', 'Gamma', 'Delta'] }),
    customField(10048, 'language', 'labels'),
    customField(10049, 'Tester', 'userpicker'),
    customField(10050, 'Reviewers', 'multiuserpicker'),
    customField(10051, 'Testcase included', 'radiobuttons', { options: ['Yes', 'No'] }),
    customField(10052, 'Cc', 'textfield', { onScreen: false }),
    customField(10053, 'Homepage', 'textfield'),
    customField(10054, 'Severity', 'select', { options: ['S1', 'S3'] }),
    customField(10055, 'Sprint', 'jira-sprint'),
  ],
  components: ['Documentation', 'Runtime', 'Partner Portal'],
  versions: ['Alloy 1.5.0', 'Alloy 2.0.0', 'Partner 2026.1'],
  users: [
    person('p-tony', 'Tony Lukasavage', 'tony.lukasavage@tidev.example'),
    person('p-chris', 'Chris Barber', 'Chris.Barber@TIDEV.example'),
    person('p-tim', 'Tim Poulsen'),
    person('p-feon', 'Feon Sua Xin Miao', 'feon.miao@tidev.example', false),
    person('p-alex', 'Alex Morgan', 'alex.morgan@partner.example'),
  ],
});

const mapping = defaultMapping(local, partner);
const partnerOf = (localId: string) => mapping.fields.find((f) => f.local === localId)?.partner;

describe('default field rows', () => {
  test('same-name custom fields of a compatible kind map, whatever the case of the name', () => {
    const pairs = [[10010, 10040], [10012, 10042], [10013, 10043], [10015, 10045], [10016, 10046], [10017, 10047], [10019, 10048], [10020, 10049], [10022, 10050]];
    for (const [l, p] of pairs) assert.equal(partnerOf(`customfield_${l}`), `customfield_${p}`, `customfield_${l}`);
  });

  test('kinds the registry calls compatible map: URL ↔ text, radio ↔ select', () => {
    assert.equal(partnerOf('customfield_10023'), 'customfield_10053');
    assert.equal(partnerOf('customfield_10024'), 'customfield_10054');
    assert.deepEqual(mapping.fields.find((f) => f.local === 'customfield_10024')!.values, { toPartner: { S1: 'S1' }, toLocal: { S1: 'S1' } });
  });

  test('same-name fields of kinds that cannot convert do not map: paragraph ↔ text, date-time ↔ date', () => {
    assert.equal(partnerOf('customfield_10011'), undefined, 'Blogs - New Blog Write Access: textarea vs textfield');
    assert.equal(partnerOf('customfield_10014'), undefined, 'Actual start: datetime vs date');
  });

  test('fields on one side only, fields no codec handles and fields off the screen do not map', () => {
    assert.equal(partnerOf('customfield_10018'), undefined, 'local only');
    assert.equal(partnerOf('customfield_10025'), undefined, 'Sprint has no codec');
    const partnerIds = new Set(mapping.fields.map((f) => f.partner));
    assert.ok(!partnerIds.has('customfield_10051') && !partnerIds.has('customfield_10052'));
  });

  test('the system fields map in order; resolution and created are not the app to write', () => {
    const system = mapping.fields.filter((f) => !f.local.startsWith('customfield_')).map((f) => `${f.local}:${f.kind}`);
    assert.deepEqual(system, ['summary:text', 'description:paragraph', 'issuetype:issuetype', 'priority:priority', 'labels:labels', 'status:status', 'components:components', 'fixVersions:versions', 'versions:versions', 'duedate:date', 'environment:paragraph', 'assignee:user', 'reporter:user']);
    assert.ok(mapping.fields.every((f) => f.direction === 'both'));
  });

  test('options, components and versions map by value; values on one side only have no entry', () => {
    const row = (id: string) => mapping.fields.find((f) => f.local === id)!;
    assert.deepEqual(row('customfield_10015').values, { toPartner: { Alpha: 'Alpha', Beta: 'Beta' }, toLocal: { Alpha: 'Alpha', Beta: 'Beta' } }, 'Gamma ↔ Delta not mapped');
    assert.deepEqual(row('customfield_10017').values!.toPartner, { Alpha: 'Alpha', Gamma: 'Gamma' });
    assert.deepEqual(row('components').values!.toPartner, { Documentation: 'Documentation', Runtime: 'Runtime' });
    assert.deepEqual(row('fixVersions').values!.toLocal, { 'Alloy 1.5.0': 'Alloy 1.5.0', 'Alloy 2.0.0': 'Alloy 2.0.0' });
  });

  test('the defaults pass their own check without errors', () => {
    assert.deepEqual(checkMapping(mapping, local, partner).filter((p) => p.severity === 'error'), []);
  });
});

describe('default connection-wide maps', () => {
  test('statuses by name, then by status category', () => {
    assert.deepEqual(mapping.status.toPartner, { '1': '10000', '3': '10001', '4': '10000', '5': '10002', '6': '10002' });
    assert.deepEqual(mapping.status.toLocal, { '10000': '1', '10001': '3', '10002': '5' });
  });

  test('priorities by name, then by rank', () => {
    assert.deepEqual(mapping.priority.toPartner, { '1': '1', '2': '2', '3': '3', '4': '4', '5': '5' });
  });

  test('issue types by name, then the partner default; sub-task types are left out', () => {
    assert.deepEqual(mapping.issueTypes.toPartner, { '1': '10002', '4': '10001', '7': '10001' });
    assert.deepEqual(mapping.issueTypes.toLocal, { '10001': '1', '10002': '1' });
  });

  test('users by visible email only: hidden emails and deactivated accounts are not matched', () => {
    assert.deepEqual(mapping.users, { toPartner: { 'l-tony': 'p-tony', 'l-chris': 'p-chris' }, toLocal: { 'p-tony': 'l-tony', 'p-chris': 'l-chris' } });
  });

  test('a display-name match is only a suggestion, and none is made for users already mapped or inactive', () => {
    const suggested = userSuggestions(local.users, partner.users, mapping.users);
    assert.deepEqual(suggested.map((s) => `${s.local}→${s.partner}`), ['l-tim→p-tim', 'l-alex→p-alex']);
    assert.match(suggested[1].reason, /Same display name "Alex Morgan"/);
  });

  test('two local people of one name are both suggested, and the reason says so', () => {
    const twins = [...local.users, person('l-tim-old', 'Tim Poulsen')];
    const suggested = userSuggestions(twins, partner.users, mapping.users).filter((s) => s.partner === 'p-tim');
    assert.equal(suggested.length, 2);
    assert.ok(suggested.every((s) => /2 local users have this name/.test(s.reason)));
  });
});
