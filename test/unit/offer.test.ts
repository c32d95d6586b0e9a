/** The Partner sync field's value and the indexed link property (src/sync/offer.ts). */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { Connection } from '../../src/model/connection';
import { fieldText, linkProperty, offerQuery, parseFieldRequest, requestValue, searchableState } from '../../src/sync/offer';
import { testConnection } from './support/memory-ports';

const link = (over: Partial<{ state: 'ok' | 'failed' | 'conflicted' | 'broken'; paused: boolean }> = {}) => ({ state: 'ok' as const, paused: false, partnerIssueKey: 'PARTNER-12', connectionId: 'c-1', ...over });

test('a confirmed Yes is `sync` or `sync:<connection id>`; anything else asks for nothing', () => {
  assert.deepEqual(parseFieldRequest('sync'), { sync: true });
  assert.deepEqual(parseFieldRequest(requestValue('c-3f9a')), { sync: true, connectionId: 'c-3f9a' });
  assert.deepEqual(parseFieldRequest(' sync:c-1 '), { sync: true, connectionId: 'c-1' });
  for (const v of [null, undefined, '', 'No', 'yes', '⇄ PARTNER-12', 'sync:', 'sync:bad id', 'syncing', 42]) assert.deepEqual(parseFieldRequest(v), { sync: false }, String(v));
});

test('the field text names the partner key (states live in the property), empty without a link', () => {
  assert.equal(fieldText(link()), '⇄ PARTNER-12');
  assert.equal(fieldText(link({ state: 'failed' })), '⇄ PARTNER-12');
  assert.equal(fieldText(null), null);
});

test('the searchable state is the most urgent one: broken → paused → conflict → failing → synced', () => {
  assert.equal(searchableState(link({ state: 'broken', paused: true })), 'broken');
  assert.equal(searchableState(link({ state: 'failed', paused: true })), 'paused');
  assert.equal(searchableState(link({ state: 'failed' })), 'failing');
  assert.equal(searchableState(link()), 'synced');
});

test('the link property carries the searchable state; an offer only without a link', () => {
  assert.deepEqual(linkProperty(link({ state: 'failed' })), { state: 'failing', partnerKey: 'PARTNER-12', connectionId: 'c-1' });
  assert.deepEqual(linkProperty(link(), 'c-2'), { state: 'synced', partnerKey: 'PARTNER-12', connectionId: 'c-1' });
  assert.deepEqual(linkProperty(null, 'c-2'), { state: 'offered', partnerKey: null, connectionId: 'c-2' });
  assert.deepEqual(linkProperty(null), { state: 'none', partnerKey: null, connectionId: null });
  assert.equal(searchableState(link({ state: 'conflicted' })), 'conflict');
});

test('the offer query narrows the rule to the one issue, keeping the rule intact in parentheses', () => {
  assert.equal(offerQuery('10001', 'labels = a OR labels = b'), 'id = 10001 AND (labels = a OR labels = b)');
});

test('a connection stored before offer rules existed parses with no rule; a stored rule is kept', () => {
  const { offerJql: _, ...old } = testConnection();
  assert.equal(Connection.parse(old).offerJql, '');
  assert.equal(Connection.parse({ ...old, offerJql: 'labels = partner' }).offerJql, 'labels = partner');
  assert.throws(() => Connection.parse({ ...old, offerJql: 'x'.repeat(2001) }));
});
