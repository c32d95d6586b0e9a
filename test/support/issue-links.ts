/** Helpers for tests of mirrored issue links, against the sandbox's Jira emulator over HTTP. */
import assert from 'node:assert/strict';
import type { TestSandbox } from './sandbox';

/**
 * Binds the issue-link helpers to a started sandbox:
 * - `create(summary)` makes a local ALOY Task (`POST /rest/api/3/issue`), waits for the app to settle, answers its key;
 *   @throws AssertionError unless Jira answered 201;
 * - `linksOf(site, key)` lists the issue's links (`issuelinks` field) as `"<type> outward|inward <other key>"`, sorted.
 */
export function issueLinkHelpers(sb: TestSandbox) {
  async function create(summary: string): Promise<string> {
    const r = await sb.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { id: '7' }, summary } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await sb.idle();
    return r.body.key;
  }
  async function linksOf(site: 'local' | 'partner', key: string): Promise<string[]> {
    const i = await sb.issue(site, key, 'issuelinks');
    return i.fields.issuelinks.map((l: any) => `${l.type.name} ${l.outwardIssue ? 'outward' : 'inward'} ${(l.outwardIssue ?? l.inwardIssue).key}`).sort();
  }
  return { create, linksOf };
}
