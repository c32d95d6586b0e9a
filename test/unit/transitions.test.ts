import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { chooseTransition, equivalentStatuses } from '../../src/sync/transitions';
import type { TransitionOption } from '../../src/model/types';
import { buildFieldMapping, localPriorities, localStatuses, partnerPriorities, partnerStatuses } from './fixtures';

// Transitions of the dump's workflow from Resolved (status names and ids from the real issues).
const fromResolved: TransitionOption[] = [
  { id: '3', name: 'Reopen Issue', to: { id: '4', name: 'Reopened' }, isAvailable: true, hasScreen: false },
  { id: '701', name: 'Close Issue', to: { id: '6', name: 'Closed' }, isAvailable: true, hasScreen: true },
  { id: '711', name: 'Close Quietly', to: { id: '6', name: 'Closed' }, isAvailable: true, hasScreen: false },
  { id: '5', name: 'Start Review', to: { id: '10003', name: 'In Review' }, isAvailable: false, hasScreen: false },
];

describe('choosing a transition', () => {
  test('picks the available transition to the target that has no screen', () => {
    assert.equal(chooseTransition(fromResolved, ['6']).transition?.id, '711');
  });

  test('a transition whose screen flags are absent counts as usable', () => {
    const t = [{ id: '1', name: 'Go', to: { id: '6', name: 'Closed' } }];
    assert.equal(chooseTransition(t, ['6']).transition?.id, '1');
  });

  test('tries the targets in the order given', () => {
    assert.equal(chooseTransition(fromResolved, ['1', '4', '6']).transition?.id, '3');
  });

  test('an unavailable transition is never picked, and the reason lists what is available', () => {
    const choice = chooseTransition(fromResolved, ['10003']);
    assert.equal(choice.transition, undefined);
    assert.equal(
      choice.reason,
      'No transition to "In Review" is available from here. Available: Reopen Issue → Reopened, Close Issue → Closed, Close Quietly → Closed',
    );
  });

  test('a target only reachable through a screen is reported as needing one', () => {
    const choice = chooseTransition(fromResolved.filter((t) => t.id !== '711'), ['6']);
    assert.equal(choice.transition, undefined);
    assert.match(choice.reason!, /^No transition to "Closed" is available from here \(Close Issue → Closed asks for a screen\)\. Available: /);
  });

  test('a target no transition leads to is named by id', () => {
    assert.equal(chooseTransition([], ['1']).reason, 'No transition to "1" is available from here. Available: none');
  });
});

describe('equivalent statuses', () => {
  const mapping = buildFieldMapping({ localStatuses: localStatuses(), partnerStatuses, localPriorities: localPriorities(), partnerPriorities });

  test('local Open may also be reached as Reopened (both are partner Open), Open first', () => {
    assert.deepStrictEqual(equivalentStatuses('1', mapping, 'local'), ['1', '4']);
    assert.deepStrictEqual(equivalentStatuses('4', mapping, 'local'), ['4', '1']);
  });

  test('local Closed may also be reached as Resolved', () => {
    assert.deepStrictEqual(equivalentStatuses('6', mapping, 'local'), ['6', '5']);
  });

  test('partner statuses map one-to-one, so only themselves', () => {
    assert.deepStrictEqual(equivalentStatuses('10002', mapping, 'partner'), ['10002']);
  });

  test('an unmapped status is only itself', () => {
    assert.deepStrictEqual(equivalentStatuses('999', mapping, 'local'), ['999']);
  });

  test('with the equivalents, a workflow that only offers Reopen still gets the issue to "Open"', () => {
    const choice = chooseTransition(fromResolved, equivalentStatuses('1', mapping, 'local'));
    assert.equal(choice.transition?.to.name, 'Reopened');
  });
});
