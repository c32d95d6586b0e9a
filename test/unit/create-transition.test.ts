import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { plannedTransition, transitionSlot } from '../../src/sync/create-transition';
import { missingKeys } from '../../src/sync/bulk-retry';
import type { TransitionOption } from '../../src/model/types';

// The partner workflow's transitions from Open (10000), as GET …/transitions lists them for a new Task (10001).
const fromOpen: TransitionOption[] = [
  { id: '11', name: 'Start work', to: { id: '10001', name: 'Working' }, isAvailable: true, hasScreen: false },
  { id: '51', name: 'Close with resolution', to: { id: '10002', name: 'Closed' }, isAvailable: true, hasScreen: true },
  { id: '31', name: 'Close', to: { id: '10002', name: 'Closed' }, isAvailable: true, hasScreen: false },
];
// Local Open (1) and Reopened (4) both map to partner Open; In Progress (3) to Working; Closed (6) to Closed.
const mapping = { status: { toPartner: { '1': '10000', '4': '10000', '3': '10001', '6': '10002' }, toLocal: { '10000': '1', '10001': '3', '10002': '6' } } };
const known = () => ({ initialStatus: new Map([['10001', '10000']]), transitions: new Map([[transitionSlot('10001', '10000'), fromOpen]]) });

describe('the transition sent in a create body', () => {
  test('is the known screenless transition from the start status to the mapped status', () => {
    assert.equal(plannedTransition(known(), '10001', '10002', mapping)?.id, '31');
    assert.equal(plannedTransition(known(), '10001', '10001', mapping)?.id, '11');
  });

  test('is none when the start status already is the target, or when the run knows nothing of the type yet', () => {
    assert.equal(plannedTransition(known(), '10001', '10000', mapping), undefined);
    assert.equal(plannedTransition(known(), '10002', '10002', mapping), undefined, 'Bug: its start status was never seen');
    assert.equal(plannedTransition(undefined, '10001', '10002', mapping), undefined, 'a single opt-in has no cache');
    assert.equal(plannedTransition(known(), '10001', null, mapping), undefined, 'no status to reach');
  });

  test('is none when no known transition fits (the ordinary path then says which were available)', () => {
    const c = known();
    c.transitions.set(transitionSlot('10001', '10000'), fromOpen.filter((t) => t.id !== '11'));
    assert.equal(plannedTransition(c, '10001', '10001', mapping), undefined);
  });
});

describe('keys a refused retry search names as deleted', () => {
  test('every key Jira names, of the keys searched, case-insensitively; others ignored', () => {
    const message = "The local site rejected POST /rest/api/3/search/jql (400: An issue with key 'ALOY-7' does not exist for field 'key'.; An issue with key 'aloy-9' does not exist for field 'key'.; An issue with key 'OTHER-1' does not exist for field 'key'.).";
    assert.deepEqual(missingKeys(message, ['ALOY-5', 'ALOY-7', 'ALOY-9']), ['ALOY-7', 'ALOY-9']);
  });

  test('a refusal for another reason names no key', () => {
    assert.deepEqual(missingKeys("Field 'nosuchfield' does not exist or you do not have permission to view it.", ['ALOY-5']), []);
  });
});
