/**
 * The field registry (`src/model/fields.ts`): for every kind in `FIELD_KINDS`, reading a REST v3 value, comparing,
 * converting through the connection's maps (with the skips and notes an admin reads in the sync log) and writing
 * the edit value.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { canonicalAdf, digestOf } from '../../src/model/adf';
import { codecOf, kindOfSchema, REGISTRY } from '../../src/model/fields';
import { compatibleKinds } from '../../src/model/mapping';
import { FIELD_KINDS, type ConnectionMapping, type FieldKind, type FieldMap } from '../../src/model/mapping';

const pair = (toPartner: Record<string, string>) => ({ toPartner, toLocal: Object.fromEntries(Object.entries(toPartner).map(([k, v]) => [v, k])) });
const mapping: ConnectionMapping = {
  fields: [],
  issueTypes: pair({ '10001': '10100' }),
  status: pair({ '3': '10001' }),
  priority: pair({ '2': '1' }),
  users: pair({ 'acc-ann': 'p-ann', 'acc-bob': 'p-bob' }),
};
const row = (kind: FieldKind, values?: FieldMap['values']): FieldMap => ({ local: 'customfield_10010', partner: 'customfield_10040', kind, direction: 'both', name: { local: 'Team', partner: 'Squad' }, values });
const fromLocal = (kind: FieldKind, value: unknown, values?: FieldMap['values']) => codecOf({ kind }).convert(value, { from: 'local', field: row(kind, values), mapping });
const fromPartner = (kind: FieldKind, value: unknown, values?: FieldMap['values']) => codecOf({ kind }).convert(value, { from: 'partner', field: row(kind, values), mapping });

test('every kind has a codec whose schema accepts what it reads from an empty value', () => {
  for (const kind of FIELD_KINDS) {
    const c = REGISTRY[kind];
    assert.equal(c.kind, kind);
    const empty = c.read(undefined);
    assert.ok(c.schema.safeParse(empty).success, `${kind}: ${JSON.stringify(empty)}`);
    assert.ok(c.same(empty, c.read(null)), `${kind}: missing and null read alike`);
    assert.equal(typeof c.describe(empty), 'string');
  }
  assert.equal(REGISTRY.status.via, 'transition');
  assert.ok(FIELD_KINDS.filter((k) => k !== 'status').every((k) => REGISTRY[k].via === 'edit'));
});

describe('plain kinds', () => {
  test('text and url: trimmed, empty as "" and written as null', () => {
    for (const kind of ['text', 'url'] as const) {
      const c = REGISTRY[kind];
      assert.equal(c.read('  Fix login  '), 'Fix login');
      assert.equal(c.read(null), '');
      assert.equal(c.write(''), null);
      assert.equal(c.write('x'), 'x');
      assert.ok(c.same('a', 'a') && !c.same('a', 'b'));
      assert.deepEqual(fromLocal(kind, 'a'), { value: 'a' });
    }
  });
  test('number: numbers and numeric strings, anything else null', () => {
    const c = REGISTRY.number;
    assert.deepEqual([c.read(3.5), c.read('42'), c.read(''), c.read('x'), c.read(Infinity), c.read(null)], [3.5, 42, null, null, null, null]);
    assert.ok(c.same(1, 1) && !c.same(1, null));
    assert.equal(c.write(2), 2);
  });
  test('date: YYYY-MM-DD from a date or a timestamp', () => {
    const c = REGISTRY.date;
    assert.deepEqual([c.read('2026-12-24'), c.read('2026-12-24T00:00:00.000+0000'), c.read('24/12/2026'), c.read(null)], ['2026-12-24', '2026-12-24', null, null]);
  });
  test('datetime: the same instant in any offset reads the same (UTC with ms)', () => {
    const c = REGISTRY.datetime;
    const values = ['2026-12-24T09:30:00.000+0000', '2026-12-24T10:30:00.000+01:00', '2026-12-24T01:30:00.000-0800', '2026-12-24T09:30:00Z'].map((v) => c.read(v));
    assert.deepEqual(new Set(values), new Set(['2026-12-24T09:30:00.000Z']));
    assert.ok(c.same(values[0], values[2]));
    assert.ok(!c.same(c.read('2026-12-24T09:30:00.000+0000'), c.read('2026-12-24T09:30:00.000+0100')));
    assert.equal(c.read('not a time'), null);
  });
  test('labels: sorted unique, order does not matter', () => {
    const c = REGISTRY.labels;
    assert.deepEqual(c.read(['b', 'a', 'b', ' ']), ['a', 'b']);
    assert.ok(c.same(['b', 'a'], ['a', 'b']));
    assert.deepEqual(c.write(['a']), ['a']);
    assert.equal(c.describe([]), 'none');
  });
});

describe('paragraph', () => {
  const doc = canonicalAdf('Steps to reproduce')!;
  test('reads canonical ADF; empty is null', () => {
    const c = REGISTRY.paragraph;
    assert.deepEqual(c.read(doc), doc);
    assert.equal(c.read({ type: 'doc', version: 1, content: [] }), null);
    assert.equal(c.write(null), null);
  });
  test('a stored digest equals the same text and differs from another', () => {
    const c = REGISTRY.paragraph;
    assert.ok(c.same(digestOf(doc), doc));
    assert.ok(!c.same(digestOf(doc), canonicalAdf('Other text')));
    assert.ok(c.schema.safeParse(digestOf(doc)).success);
  });
  test('a digest is never written to the other side', () => {
    assert.deepEqual(fromLocal('paragraph', digestOf(doc)), { skip: 'the stored value is a digest' });
    assert.deepEqual(fromLocal('paragraph', doc), { value: doc });
  });
  test('a mention of a mapped user is re-pointed to the partner account; an unmapped one travels as readable text', () => {
    const mention = (id: string, text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id, text } }] }] });
    assert.deepEqual(fromLocal('paragraph', canonicalAdf(mention('acc-ann', '@Ann'))), { value: mention('p-ann', '@Ann') });
    const out = fromLocal('paragraph', canonicalAdf(mention('acc-zed', '@Zed'))) as { value: any };
    assert.ok(!JSON.stringify(out.value).includes('"mention"'), JSON.stringify(out.value));
    assert.deepEqual(out.value.content[0].content, [{ type: 'text', text: '@Zed' }]);
  });
});

describe('id-mapped kinds', () => {
  test('user: accountId through the user map; an unmapped user leaves the field unchanged with a pointer to Users', () => {
    const c = REGISTRY.user;
    assert.equal(c.read({ accountId: 'acc-ann', displayName: 'Ann' }), 'acc-ann');
    assert.equal(c.read(null), null);
    assert.deepEqual(fromLocal('user', 'acc-ann'), { value: 'p-ann' });
    assert.deepEqual(fromPartner('user', 'p-bob'), { value: 'acc-bob' });
    assert.deepEqual(fromLocal('user', null), { value: null });
    const miss = fromLocal('user', 'acc-zed') as { skip: string };
    assert.match(miss.skip, /local user "acc-zed" has no partner user mapped, so Team was left unchanged\. Map it in Task sync settings → Users/);
    assert.deepEqual(c.write('p-ann'), { accountId: 'p-ann' });
    assert.equal(c.write(null), null);
  });
  test('multiuser: every user must be mapped, else the field is left unchanged', () => {
    const c = REGISTRY.multiuser;
    assert.deepEqual(c.read([{ accountId: 'acc-bob' }, { accountId: 'acc-ann' }]), ['acc-ann', 'acc-bob']);
    assert.deepEqual(fromLocal('multiuser', ['acc-ann', 'acc-bob']), { value: ['p-ann', 'p-bob'] });
    assert.match((fromLocal('multiuser', ['acc-ann', 'acc-zed']) as { skip: string }).skip, /"acc-zed" of Team has no partner counterpart/);
    assert.deepEqual(c.write(['p-ann']), [{ accountId: 'p-ann' }]);
  });
  test('select and radio: option value through the field\'s value map; an unmapped option is skipped', () => {
    const values = pair({ Alpha: 'Red' });
    for (const kind of ['select', 'radio'] as const) {
      const c = REGISTRY[kind];
      assert.equal(c.read({ self: 'x', value: 'Alpha', id: '10100' }), 'Alpha');
      assert.deepEqual(fromLocal(kind, 'Alpha', values), { value: 'Red' });
      assert.deepEqual(fromPartner(kind, 'Red', values), { value: 'Alpha' });
      assert.match((fromLocal(kind, 'Beta', values) as { skip: string }).skip, /local option "Beta" has no partner option mapped, so Team was left unchanged\. Map it in Task sync settings → Fields/);
      assert.match((fromLocal(kind, 'Alpha') as { skip: string }).skip, /no partner option mapped/, 'no value map at all');
      assert.deepEqual(c.write('Red'), { value: 'Red' });
    }
  });
  test('multiselect and checkbox: sorted values, all mapped or the field is skipped', () => {
    const values = pair({ Alpha: 'Red', Beta: 'Blue' });
    for (const kind of ['multiselect', 'checkbox'] as const) {
      const c = REGISTRY[kind];
      assert.deepEqual(c.read([{ value: 'Beta' }, { value: 'Alpha' }]), ['Alpha', 'Beta']);
      assert.deepEqual(fromLocal(kind, ['Alpha', 'Beta'], values), { value: ['Blue', 'Red'] });
      assert.ok('skip' in fromLocal(kind, ['Alpha', 'Gamma'], values));
      assert.deepEqual(c.write(['Red']), [{ value: 'Red' }]);
      assert.ok(c.same(['b', 'a'], ['a', 'b']));
    }
  });
  test('priority, issue type and status: ids through the connection maps', () => {
    assert.equal(REGISTRY.priority.read({ id: '2', name: 'High' }), '2');
    assert.deepEqual(fromLocal('priority', '2'), { value: '1' });
    assert.match((fromLocal('priority', '5') as { skip: string }).skip, /Priorities/);
    assert.deepEqual(REGISTRY.priority.write('1'), { id: '1' });
    assert.deepEqual(fromPartner('issuetype', '10100'), { value: '10001' });
    assert.match((fromLocal('issuetype', '10002') as { skip: string }).skip, /Issue types/);
    assert.deepEqual(REGISTRY.issuetype.write('10100'), { id: '10100' });
    assert.equal(REGISTRY.status.read({ id: '3', name: 'In Progress' }), '3');
    assert.deepEqual(fromLocal('status', '3'), { value: '10001' });
    assert.match((fromPartner('status', '10002') as { skip: string }).skip, /Statuses/);
    assert.equal(REGISTRY.status.write('10001'), '10001', 'a transition target, not an edit value');
  });
});

describe('by-name kinds', () => {
  test('components the other site lacks are left out with a note, never created', () => {
    const values = pair({ Backend: 'Backend' });
    const c = REGISTRY.components;
    assert.deepEqual(c.read([{ id: '1', name: 'Frontend' }, { id: '2', name: 'Backend' }]), ['Backend', 'Frontend']);
    const out = fromLocal('components', ['Backend', 'Frontend'], values) as { value: string[]; note: string };
    assert.deepEqual(out.value, ['Backend']);
    assert.match(out.note, /Team: "Frontend" does not exist on the partner site, so it was left out \(never created\)/);
    assert.deepEqual(fromLocal('components', ['Backend'], values), { value: ['Backend'] });
    assert.deepEqual(c.write(['Backend']), [{ name: 'Backend' }]);
  });
  test('versions work the same way', () => {
    const out = fromPartner('versions', ['1.0', '2.0', '3.0'], pair({ '1.0': '1.0' })) as { value: string[]; note: string };
    assert.deepEqual(out.value, ['1.0']);
    assert.match(out.note, /"2\.0", "3\.0" do not exist on the local site, so they were left out/);
  });
});

describe('kinds of Jira fields', () => {
  test('system fields by schema.system, custom fields by their type key', () => {
    assert.equal(kindOfSchema({ type: 'string', system: 'summary' }), 'text');
    assert.equal(kindOfSchema({ type: 'array', items: 'component', system: 'components' }), 'components');
    assert.equal(kindOfSchema({ type: 'datetime', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datetime' }), 'datetime');
    assert.equal(kindOfSchema({ type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-sprint' }), undefined);
    assert.equal(kindOfSchema(undefined), undefined);
  });
  test('compatible kinds map onto each other, others do not', () => {
    assert.ok(compatibleKinds('text', 'url') && compatibleKinds('select', 'radio') && compatibleKinds('checkbox', 'multiselect'));
    assert.ok(!compatibleKinds('text', 'number') && !compatibleKinds('user', 'multiuser'));
  });
});
