/**
 * The check of an edited mapping against both catalogs: what would fail is an error before anything syncs, what
 * works with a caveat is a warning, and users are never a problem.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { ConnectionMapping, FieldMap } from '../../src/model/mapping';
import { checkMapping } from '../../src/sync/mapping-check';
import { customField, siteCatalog } from './support/catalogs';

const local = siteCatalog({
  projectKey: 'ALOY',
  custom: [
    customField(10010, 'Git Notification Mailing List', 'textfield'),
    customField(10011, 'Blogs - New Blog Write Access', 'textarea'),
    customField(10014, 'Actual start', 'datetime'),
    customField(10015, 'Github Integration', 'select', { options: ['Alpha', 'Beta', 'Gamma'] }),
    customField(10018, 'Git Repository Import Path', 'url'),
    customField(10025, 'Sprint', 'jira-sprint'),
  ],
  statuses: [{ id: '1', name: 'Open', category: 'new' }, { id: '10003', name: 'In Review' }, { id: '6', name: 'Closed', category: 'done' }],
});
const partner = siteCatalog({
  custom: [
    customField(10040, 'Git Notification Mailing List', 'textfield'),
    customField(10041, 'Blogs - New Blog Write Access', 'textfield'),
    customField(10044, 'Actual start', 'datepicker'),
    customField(10045, 'Github Integration', 'select', { options: ['Alpha', 'Beta', 'Delta'] }),
    customField(10052, 'Cc', 'textfield', { onScreen: false }),
  ],
});

const none = { toPartner: {}, toLocal: {} };
const row = (l: string, p: string, kind: FieldMap['kind'], names: [string, string], over: Partial<FieldMap> = {}): FieldMap => ({ local: l, partner: p, kind, direction: 'both', name: { local: names[0], partner: names[1] }, ...over });
const mapping = (fields: FieldMap[], over: Partial<ConnectionMapping> = {}): ConnectionMapping => ({ fields, issueTypes: none, status: none, priority: none, users: none, ...over });
const check = (fields: FieldMap[], over: Partial<ConnectionMapping> = {}) => checkMapping(mapping(fields, over), local, partner);
const cc = (direction: FieldMap['direction']) => row('customfield_10010', 'customfield_10052', 'text', ['Git Notification Mailing List', 'Cc'], { direction });

describe('fields the target cannot set', () => {
  test('a partner field off the partner screen is an error when the row copies to the partner', () => {
    for (const direction of ['both', 'to-partner'] as const) {
      const problems = check([cc(direction)]);
      assert.equal(problems.length, 1, direction);
      assert.deepEqual([problems[0].row, problems[0].severity], [0, 'error']);
      assert.match(problems[0].message, /^Cc \(customfield_10052\) is not on PARTNER's screens on the partner site, so the sync cannot set it there/);
    }
  });

  test('the same row is fine when it only reads the partner field, or is off', () => {
    assert.deepEqual(check([cc('from-partner')]), []);
    assert.deepEqual(check([cc('off')]), []);
  });

  test('a field id missing from a catalog, or of a type no codec handles, is an error naming the site', () => {
    const problems = check([row('customfield_10099', 'customfield_10040', 'text', ['Old field', 'Git Notification Mailing List']), row('customfield_10025', 'customfield_10040', 'text', ['Sprint', 'Git Notification Mailing List'], { direction: 'to-partner' })]);
    assert.match(problems[0].message, /^Old field \(customfield_10099\) does not exist on the local site/);
    assert.match(problems[1].message, /^Sprint \(customfield_10025\) on the local site is a type of field the app cannot sync \(com\.atlassian\.jira\.plugin\.system\.customfieldtypes:jira-sprint\)/);
  });
});

describe('kinds', () => {
  test('date-time ↔ date and paragraph ↔ text cannot sync, and the message says what each side is', () => {
    const problems = check([
      row('customfield_10014', 'customfield_10044', 'datetime', ['Actual start', 'Actual start']),
      row('customfield_10011', 'customfield_10041', 'paragraph', ['Blogs - New Blog Write Access', 'Blogs - New Blog Write Access']),
      row('customfield_10011', 'customfield_10045', 'paragraph', ['Blogs - New Blog Write Access', 'Github Integration'], { direction: 'off' }),
    ]);
    assert.deepEqual(problems.map((p) => p.message), [
      'Actual start is a date-time field here and a date field on the partner; they cannot sync.',
      'Blogs - New Blog Write Access is a paragraph (rich text) field here and a one-line text field on the partner; they cannot sync.',
    ]);
  });

  test('differently named fields are both named; URL ↔ text is compatible', () => {
    const [p] = check([row('customfield_10014', 'customfield_10040', 'datetime', ['Actual start', 'Git Notification Mailing List'])]);
    assert.equal(p.message, 'Actual start is a date-time field here and Git Notification Mailing List is a one-line text field on the partner; they cannot sync.');
    assert.deepEqual(check([row('customfield_10018', 'customfield_10040', 'url', ['Git Repository Import Path', 'Git Notification Mailing List'])]), []);
  });

  test('a row whose kind does not fit its fields is an error', () => {
    const [p] = check([row('customfield_10010', 'customfield_10040', 'number', ['Git Notification Mailing List', 'Git Notification Mailing List'])]);
    assert.equal(p.severity, 'error');
    assert.match(p.message, /syncs Git Notification Mailing List as a number field, but it is a one-line text field/);
  });
});

describe('a field used twice on one side', () => {
  test('the later row is an error naming both rows; a row turned off does not count', () => {
    const twice = [
      row('summary', 'summary', 'text', ['Summary', 'Summary']),
      row('customfield_10010', 'customfield_10040', 'text', ['Git Notification Mailing List', 'Git Notification Mailing List'], { direction: 'off' }),
      row('customfield_10018', 'summary', 'url', ['Git Repository Import Path', 'Summary']),
    ];
    const problems = check(twice);
    assert.deepEqual(problems.map((p) => [p.row, p.severity]), [[2, 'error']]);
    assert.match(problems[0].message, /^Summary \(summary\) on the partner site is mapped in rows 1 and 3/);
  });
});

describe('values with no counterpart', () => {
  const github = (over: Partial<FieldMap> = {}) => row('customfield_10015', 'customfield_10045', 'select', ['Github Integration', 'Github Integration'], { values: { toPartner: { Alpha: 'Alpha', Beta: 'Beta' }, toLocal: { Alpha: 'Alpha', Beta: 'Beta' } }, ...over });

  test('options with no counterpart are warnings naming them, for each way the row copies', () => {
    assert.deepEqual(check([github()]).map((p) => [p.severity, p.message]), [
      ['warning', 'Github Integration: option "Gamma" of the local site has no counterpart on the partner site; an issue with it leaves Github Integration unchanged (the sync log says why).'],
      ['warning', 'Github Integration: option "Delta" of the partner site has no counterpart on the local site; an issue with it leaves Github Integration unchanged (the sync log says why).'],
    ]);
    assert.deepEqual(check([github({ direction: 'to-partner' })]).map((p) => p.message.slice(0, 40)), ['Github Integration: option "Gamma" of th']);
  });

  test('a value map naming an option the target does not offer is an error', () => {
    const problems = check([github({ values: { toPartner: { Alpha: 'Alpha', Beta: 'Beta', Gamma: 'Omega' }, toLocal: { Alpha: 'Alpha', Beta: 'Beta', Delta: 'Gamma' } } })]);
    assert.deepEqual(problems.map((p) => p.severity), ['error']);
    assert.match(problems[0].message, /"Gamma" → "Omega" names a value that Github Integration on the partner site does not offer/);
  });

  test('components the partner lacks are left out of the copy, and many are named briefly', () => {
    const many = siteCatalog({ projectKey: 'ALOY', components: ['Runtime', ...Array.from({ length: 8 }, (_, i) => `C${i}`)] });
    const problems = checkMapping(mapping([row('components', 'components', 'components', ['Component/s', 'Component/s'], { direction: 'to-partner', values: { toPartner: { Runtime: 'Runtime' }, toLocal: {} } })]), many, siteCatalog({ components: ['Runtime'] }));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].message, 'Component/s: components "C0", "C1", "C2", "C3", "C4" and 3 more of the local site have no counterpart on the partner site; an issue with one of them is left out of the copy (never created there).');
  });
});

describe('statuses, priorities and users', () => {
  const statusRow = row('status', 'status', 'status', ['Status', 'Status']);

  test('statuses with no mapping are warnings; a status id the target lacks is an error', () => {
    const problems = check([statusRow], { status: { toPartner: { '1': '10000', '6': '99999' }, toLocal: { '10000': '1', '10001': '1', '10002': '6' } } });
    assert.deepEqual(problems.map((p) => [p.row, p.severity]), [[null, 'error'], [null, 'warning']]);
    assert.match(problems[0].message, /status map names status the partner site does not have \(id 99999\)/);
    assert.equal(problems[1].message, 'Status "In Review" of the local site has no status mapped on the partner site; an issue in it keeps its status on the partner site. Map it in Statuses.');
  });

  test('with no status row the status map is not checked', () => {
    assert.deepEqual(check([]), []);
  });

  test('priorities with no mapping are warnings', () => {
    const problems = check([row('priority', 'priority', 'priority', ['Priority', 'Priority'], { direction: 'from-partner' })], { priority: { toPartner: {}, toLocal: { '1': '1', '2': '2', '3': '3' } } });
    assert.deepEqual(problems.map((p) => p.message), ['Priorities "Low", "Lowest" of the partner site have no priority mapped on the local site; an issue in one of them keeps its priority on the local site. Map them in Priorities.']);
  });

  test('users with no mapping are never a problem', () => {
    assert.deepEqual(check([row('assignee', 'assignee', 'user', ['Assignee', 'Assignee']), row('reporter', 'reporter', 'user', ['Reporter', 'Reporter'])]), []);
  });

  test('errors come before warnings', () => {
    const problems = check([statusRow, cc('both')], { status: { toPartner: { '1': '10000', '6': '10002' }, toLocal: { '10000': '1', '10001': '1', '10002': '6' } } });
    assert.deepEqual(problems.map((p) => p.severity), ['error', 'warning']);
  });
});

describe('a field’s own conflict policy', () => {
  const summary = (over: Partial<FieldMap>) => row('summary', 'summary', 'text', ['Summary', 'Summary'], over);
  test('is fine on a row that syncs both ways', () => {
    assert.deepEqual(check([summary({ policy: 'manual' })]), []);
  });
  test('on a one-way row it never applies: a warning saying so', () => {
    const problems = check([summary({ policy: 'partner-wins', direction: 'to-partner' })]);
    assert.deepEqual(problems.map((p) => [p.severity, p.field]), [['warning', 'summary']]);
    assert.match(problems[0].message, /Summary syncs one way only, so it never has a conflict and its own conflict policy \(partner-wins\) never applies/);
  });
});
