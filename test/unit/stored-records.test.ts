/**
 * Stored records outlive versions: settings and links written by earlier versions still read after an upgrade,
 * migrated on first use (`src/store/migrate.ts`): one-partner settings become the project's legacy connection,
 * links gain its id, and fields added since read at their documented defaults.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { Connection, legacyConnectionId } from '../../src/model/connection';
import { LinkRecord } from '../../src/model/link';
import { connectionFromLegacy, LEGACY_FIELDS, migrateLink } from '../../src/store/migrate';
import { planMerge } from '../../src/sync/merge';
import { readSide } from '../../src/sync/values';
import { issueByKey, normaliseIssue, v3Fields } from './fixtures';

const side = normaliseIssue(v3Fields(issueByKey('ALOY-1')));

/** A link exactly as the one-partner version saved it (no connection id, no `skippedComments`, no `shown`). */
const storedLink = {
  projectKey: 'ALOY',
  localIssueId: '10041',
  localIssueKey: 'ALOY-41',
  partnerIssueId: '10000',
  partnerIssueKey: 'PARTNER-1',
  base: { local: side, partner: { ...side, status: '10000' } },
  comments: [{ localId: '10100', partnerId: '10200', localHash: 'a1', partnerHash: 'a1' }],
  state: 'ok',
  paused: false,
  lastSyncAt: '2026-11-30T10:00:00.000Z',
  lastError: null,
  lastErrorCode: null,
  failCount: 0,
  conflicts: [],
};

/** Settings exactly as the one-partner version saved them (`settings:ALOY`, no `mirrorRoleRestrictedComments`). */
const storedSettings = {
  projectKey: 'ALOY',
  projectId: '10000',
  localSiteUrl: 'https://local.atlassian.net',
  partnerUrl: 'https://partner.atlassian.net',
  email: 'admin@partner.example',
  partnerProjectKey: 'PARTNER',
  partnerProjectId: '10000',
  partnerIssueTypes: [{ id: '10001', name: 'Task' }],
  conflictPolicy: 'newest-wins',
  mapping: { toPartner: { status: { '1': '10000' }, priority: { '3': '3' } }, toLocal: { status: { '10000': '1' }, priority: { '3': '3' } } },
  statusNames: { local: { '1': 'Open' }, partner: { '10000': 'To Do' } },
  partnerAccountId: '712020:partner',
  localAppAccountId: 'app',
  webhookId: '1',
  savedAt: '2026-11-30T09:00:00.000Z',
};

describe('records stored by the one-partner version', () => {
  test('a link reads as a link of the project\'s legacy connection, with no skipped comments and no lozenge shown yet', () => {
    const link = LinkRecord.parse(migrateLink(storedLink));
    assert.equal(link.connectionId, legacyConnectionId('ALOY'));
    assert.deepEqual(link.skippedComments, []);
    assert.equal(link.shown, null);
    assert.deepEqual(link.comments, storedLink.comments);
    assert.deepEqual(link.base.local, side, 'the base snapshot keeps its values, keyed by the same five field ids');
  });

  test('a link that already names its connection is left as it is', () => {
    const current = { ...storedLink, connectionId: 'c-12ab34cd' };
    assert.equal(LinkRecord.parse(migrateLink(current)).connectionId, 'c-12ab34cd');
  });

  test('settings become a connection that syncs the same five fields with the same maps, secrets and webhook', () => {
    const connection = Connection.parse(connectionFromLegacy(storedSettings));
    assert.equal(connection.id, 'legacy-ALOY');
    assert.equal(connection.credentialsRef, 'ALOY', 'the API token and webhook secret stay where they were stored');
    assert.equal(connection.webhookId, '1');
    assert.equal(connection.mirrorRoleRestrictedComments, false, 'restricted comments stay on their site (the safe default)');
    assert.deepEqual(connection.mapping.fields.map((f) => [f.local, f.partner, f.kind, f.direction]), [
      ['summary', 'summary', 'text', 'both'],
      ['description', 'description', 'paragraph', 'both'],
      ['priority', 'priority', 'priority', 'both'],
      ['labels', 'labels', 'labels', 'both'],
      ['status', 'status', 'status', 'both'],
    ]);
    assert.deepEqual(connection.mapping.status, { toPartner: { '1': '10000' }, toLocal: { '10000': '1' } });
    assert.deepEqual(connection.mapping.priority, { toPartner: { '3': '3' }, toLocal: { '3': '3' } });
    assert.deepEqual(connection.mapping.users, { toPartner: {}, toLocal: {} });
  });

  test('a migrated link merges against its old base with no change and no write', () => {
    const connection = connectionFromLegacy(storedSettings);
    const link = LinkRecord.parse(migrateLink(storedLink));
    const fields = v3Fields(issueByKey('ALOY-1'));
    const local = readSide(fields, connection.mapping, 'local');
    const partner = { ...readSide(fields, connection.mapping, 'partner'), status: '10000' };
    const plan = planMerge({ base: link.base, local, partner, mapping: connection.mapping, policy: connection.conflictPolicy, localUpdated: '', partnerUpdated: '' });
    assert.deepEqual([plan.toLocal, plan.toPartner, plan.conflicts, plan.skipped], [{}, {}, [], []]);
  });

  test('a conflict stored before conflicts had `since` still reads (since: null) and is settled by a decision', () => {
    const conflicted = {
      ...storedLink,
      connectionId: 'c-12ab34cd',
      state: 'conflicted',
      conflicts: [{ field: 'summary', base: { local: side.summary, partner: side.summary }, local: 'Local words', partner: 'Partner words', resolution: 'manual' }],
    };
    const link = LinkRecord.parse(migrateLink(conflicted));
    assert.equal(link.conflicts[0].since, null);
    assert.equal(link.conflicts[0].field, 'summary');
    const connection = connectionFromLegacy(storedSettings);
    const plan = planMerge({
      base: link.base,
      local: { ...link.base.local, summary: 'Local words' },
      partner: { ...link.base.partner, summary: 'Partner words' },
      mapping: connection.mapping,
      policy: 'manual',
      localUpdated: '',
      partnerUpdated: '',
      resolutions: { summary: { choice: 'partner', by: 'Ann Admin' } },
    });
    assert.deepEqual([plan.toLocal, plan.toPartner], [{ summary: 'Partner words' }, {}]);
  });

  test('settings that are not the old shape are refused, not half-migrated', () => {
    assert.throws(() => connectionFromLegacy({ projectKey: 'ALOY' }));
    assert.equal(LEGACY_FIELDS.length, 5);
  });
});

// hierarchy (issue 12): the parent base, the issue-link id map and the link-type map are new and optional
test('links and mappings stored before sub-tasks and issue links read with no parent base, no link map and link types by name', () => {
  const link = LinkRecord.parse(migrateLink(storedLink));
  assert.equal(link.parentBase, undefined);
  assert.equal(link.issueLinks, undefined);
  const connection = Connection.parse(connectionFromLegacy(storedSettings));
  assert.equal(connection.mapping.linkTypes, undefined);
  const later = LinkRecord.parse({ ...link, parentBase: { local: '10001', partner: null }, issueLinks: [{ localId: '1', partnerId: '2' }] });
  assert.deepEqual([later.parentBase, later.issueLinks], [{ local: '10001', partner: null }, [{ localId: '1', partnerId: '2' }]]);
});
