/**
 * The link-type map's pure rules (`src/model/link-types.ts`): the by-name default, the editor's one-to-one edit,
 * the problems a save refuses, and stored mappings with and without `linkTypes`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { linkTypeMapProblems, linkTypesByName, linkTypesInForce, withLinkType } from '../../src/model/link-types';
import { ConnectionMapping } from '../../src/model/mapping';

// The emulator's two sites: the same four Cloud types, other ids and another order on the partner.
const LOCAL = [{ id: '10000', name: 'Blocks' }, { id: '10001', name: 'Cloners' }, { id: '10002', name: 'Duplicate' }, { id: '10003', name: 'Relates' }];
const PARTNER = [{ id: '10100', name: 'Relates' }, { id: '10101', name: 'Blocks' }, { id: '10102', name: 'Duplicate' }, { id: '10103', name: 'Cloners' }];
const NAMES = { local: 'ALOY', partner: 'PARTNER' };

describe('the link-type map', () => {
  test('without a saved map each type is mirrored as the partner type of the same name, and back', () => {
    const pair = linkTypesByName(LOCAL, [...PARTNER, { id: '10104', name: 'Depends' }]);
    assert.deepEqual(pair, {
      toPartner: { '10000': '10101', '10001': '10103', '10002': '10102', '10003': '10100' },
      toLocal: { '10101': '10000', '10103': '10001', '10102': '10002', '10100': '10003' },
    });
    assert.equal(linkTypesInForce(undefined, LOCAL, PARTNER).toPartner['10000'], '10101');
    const saved = { toPartner: { '10000': '10100' }, toLocal: { '10100': '10000' } };
    assert.equal(linkTypesInForce(saved, LOCAL, PARTNER), saved, 'a saved map is used as it is');
  });

  test('a local type with no namesake on the partner is not mirrored by default', () => {
    const pair = linkTypesByName([...LOCAL, { id: '10004', name: 'Causes' }], PARTNER);
    assert.equal(pair.toPartner['10004'], undefined);
  });

  test('choosing a partner type maps both ways; "Not mirrored" removes both', () => {
    const start = linkTypesByName(LOCAL, PARTNER);
    const none = withLinkType(start, '10003', '');
    assert.equal(none.toPartner['10003'], undefined);
    assert.equal(none.toLocal['10100'], undefined, 'partner Relates no longer comes back');
    const moved = withLinkType(none, '10000', '10100');
    assert.deepEqual([moved.toPartner['10000'], moved.toLocal['10100'], moved.toLocal['10101']], ['10100', '10000', undefined]);
    assert.deepEqual(linkTypeMapProblems(moved, LOCAL, PARTNER, NAMES), []);
    assert.deepEqual(start.toPartner['10000'], '10101', 'the old map is not changed (React state)');
  });

  test('two local types on one partner type are flagged, and undoing one restores the way back', () => {
    const start = linkTypesByName(LOCAL, PARTNER);
    const both = withLinkType(start, '10000', '10100'); // Blocks → partner Relates, while Relates → Relates too
    assert.deepEqual(linkTypeMapProblems(both, LOCAL, PARTNER, NAMES), [
      'Blocks and Relates are both mirrored as Relates on PARTNER, but a Relates link made there can come back as only one of them. Map each ALOY link type to a different PARTNER link type, or choose "Not mirrored".',
    ]);
    const undone = withLinkType(both, '10000', '10101');
    assert.deepEqual(undone, start, 'Blocks back on Blocks: partner Relates comes back as Relates again');
  });

  test('a type a site does not have, and a way back that is not the way there, are refused in words', () => {
    const gone = { toPartner: { '10000': '10999' }, toLocal: { '10999': '10000' } };
    assert.deepEqual(linkTypeMapProblems(gone, LOCAL, PARTNER, NAMES), [
      'Blocks is mapped to link type 10999, which PARTNER does not have (it may have been deleted there). Choose one of its link types in Field mapping → Link types, or "Not mirrored".',
    ]);
    const stranger = { toPartner: { '20000': '10100' }, toLocal: { '10100': '20000' } };
    assert.match(linkTypeMapProblems(stranger, LOCAL, PARTNER, NAMES)[0], /^Link type 20000 is not a link type of ALOY/);
    const crooked = { toPartner: { '10000': '10101' }, toLocal: { '10101': '10003' } };
    assert.deepEqual(linkTypeMapProblems(crooked, LOCAL, PARTNER, NAMES), [
      'The way back (PARTNER → ALOY) of the link types is not the inverse of the way there. Choose the link types again in Field mapping → Link types and save.',
    ]);
    const oneWay = { toPartner: { '10000': '10101' }, toLocal: {} };
    assert.equal(linkTypeMapProblems(oneWay, LOCAL, PARTNER, NAMES).length, 1, 'a missing way back is refused too');
  });

  test('stored mappings parse with and without linkTypes (older ones have none; a partial pair gets defaults)', () => {
    const base = { fields: [], issueTypes: {}, status: {}, priority: {}, users: {} };
    assert.equal(ConnectionMapping.parse(base).linkTypes, undefined);
    assert.deepEqual(ConnectionMapping.parse({ ...base, linkTypes: { toPartner: { '10000': '10101' } } }).linkTypes, { toPartner: { '10000': '10101' }, toLocal: {} });
    assert.equal(ConnectionMapping.safeParse({ ...base, linkTypes: { toPartner: { '10000': 10101 } } }).success, false, 'a non-string id is refused');
  });
});
