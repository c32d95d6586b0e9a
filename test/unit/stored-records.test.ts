/**
 * Stored records outlive versions: settings and links written by the previous version (before restricted-comment
 * handling and the status lozenge were stored) still read, with the new fields at their documented defaults.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { LinkRecord, ProjectSettings } from '../../src/store/records';
import { normaliseIssue } from '../../src/sync/normalise';
import { issueByKey, v3Fields } from './fixtures';

const side = normaliseIssue(v3Fields(issueByKey('ALOY-1')));

/** A link exactly as the previous version saved it (no `skippedComments`, no `shown`). */
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

/** Settings exactly as the previous version saved them (no `mirrorRoleRestrictedComments`). */
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

describe('records stored by the previous version', () => {
  test('a link reads with no skipped comments and no lozenge shown yet (so its next save writes the lozenge)', () => {
    const link = LinkRecord.parse(storedLink);
    assert.deepEqual(link.skippedComments, []);
    assert.equal(link.shown, null);
    assert.deepEqual(link.comments, storedLink.comments);
  });

  test('settings read with restricted comments kept on their site (the safe default)', () => {
    assert.equal(ProjectSettings.parse(storedSettings).mirrorRoleRestrictedComments, false);
  });
});
