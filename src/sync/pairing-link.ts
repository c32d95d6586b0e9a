/**
 * Link a local issue with a partner issue that already exists: find the partner issue (by key, or by searching the
 * connection's partner project), show the fields whose values differ, and, once a person chose the starting truth
 * of each, run the pair's first sync (`runSyncJob` with their choices as resolutions; see `./pairing.ts`).
 *
 * Comments: the first sync mirrors every existing comment both ways, attributed ("Ana wrote on acme.atlassian.net:"),
 * as for any link. Mirrors the app wrote earlier (a pair unlinked and linked again) are recognised by their author
 * and attribution (see `./comments.ts`), so they are neither mirrored back nor copied twice.
 *
 * Refusals (in words, nothing changed): the local issue is already linked or in another project; the partner key
 * does not exist (or the partner account cannot see it), is in another project than the connection's, or is
 * already linked to another local issue; the differing fields changed since they were shown; a field has no choice.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
import type { JiraIssue } from '../jira/site';
import { SyncError, toSyncError } from '../model/errors';
import type { LinkRecord } from '../model/link';
import { runSyncJob, type JobResult } from './job';
import { differingFields, pairFingerprint, startingResolutions, type DifferingField, type StartingChoice } from './pairing';
import type { ConnectionPorts } from './ports';
import { CREATE_CLAIM_TTL_S } from './retry';
import { readFieldIds, readSide } from './values';

/** A partner issue key as Jira writes it: `PARTNER-12`. */
export const ISSUE_KEY = /^[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]*$/;
/** Most results a partner search returns. */
export const SEARCH_LIMIT = 10;

/** A JQL string literal: double-quoted, with `"` and `\` escaped. @see https://support.atlassian.com/jira-software-cloud/docs/jql-operators/ */
export function jqlString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** One partner issue a search found, and the local issue it is already linked to (key), if any. */
export interface PartnerHit {
  id: string;
  key: string;
  summary: string;
  status: string;
  linkedTo: string | null;
}

/** The local issue key a partner issue is linked to through this connection, or null. */
async function linkedLocalKey(ports: ConnectionPorts, partnerIssueId: string): Promise<string | null> {
  const localId = await ports.links.findByPartner(partnerIssueId);
  if (!localId) return null;
  return (await ports.links.get(localId))?.localIssueKey ?? localId;
}

/**
 * Searches the connection's partner project: an issue key finds that issue, other words search summaries
 * (`summary ~ "words"`, Jira's text search), newest updated first, at most {@link SEARCH_LIMIT}.
 * `POST /rest/api/3/search/jql` with the partner's API token.
 */
export async function searchPartner(ports: ConnectionPorts, query: string): Promise<PartnerHit[]> {
  const project = `project = ${jqlString(ports.connection.partnerProjectKey)}`;
  const words = query.trim();
  const clause = ISSUE_KEY.test(words.toUpperCase()) ? `(key = ${jqlString(words.toUpperCase())} OR summary ~ ${jqlString(words)})` : `summary ~ ${jqlString(words)}`;
  let page;
  try {
    page = await ports.partner.searchJql(`${project} AND ${clause} ORDER BY updated DESC`, ['summary', 'status']);
  } catch (err) {
    // Jira Cloud answers 400 to `key = …` naming an issue that does not exist ("An issue with key 'X-1' does not
    // exist for field 'key'.", see https://github.com/atlassian-api/atlassian-python-api/pull/752): search summaries only then.
    if (!(err instanceof SyncError) || err.code !== 'jira-rejected') throw err;
    page = await ports.partner.searchJql(`${project} AND summary ~ ${jqlString(words)} ORDER BY updated DESC`, ['summary', 'status']);
  }
  const issues = page.issues.slice(0, SEARCH_LIMIT);
  return Promise.all(
    issues.map(async (i) => ({ id: i.id, key: i.key, summary: String(i.fields.summary ?? ''), status: i.fields.status?.name ?? '', linkedTo: await linkedLocalKey(ports, i.id) })),
  );
}

/** Both issues of a proposed pair, read, with the fields whose values differ. */
export interface PairPreview {
  local: JiraIssue;
  partner: JiraIssue;
  diff: DifferingField[];
  /** Mapped fields whose values already agree. */
  sameCount: number;
  fingerprint: string;
  comments: { local: number; partner: number };
}

/**
 * Reads and checks a proposed pair. `GET /rest/api/3/issue/{key}` on both sites.
 * @throws SyncError `invalid-input` when the local issue is already linked or not in the connection's project,
 *   when the partner issue is in another project or already linked to another local issue; `not-found` when the
 *   partner key does not exist (or the partner account cannot see it)
 */
export async function previewPair(ports: ConnectionPorts, localIssueId: string, partnerKey: string): Promise<PairPreview> {
  const c = ports.connection;
  const key = partnerKey.trim().toUpperCase();
  if (!ISSUE_KEY.test(key)) throw new SyncError('invalid-input', `"${partnerKey}" is not an issue key. Enter the partner issue's key, e.g. ${c.partnerProjectKey}-12, or search by its summary.`);
  const existing = await ports.links.get(localIssueId);
  if (existing) throw new SyncError('invalid-input', `${existing.localIssueKey} is already synced with ${existing.partnerIssueKey}. Unlink it first to link it with another partner issue; nothing was changed.`);
  const local = await ports.local.getIssue(localIssueId, readFieldIds(c.mapping, 'local', ['comment']));
  if (local.fields.project?.key !== c.projectKey) throw new SyncError('invalid-input', `${local.key} is not in project ${c.projectKey}, which this connection syncs.`);
  const partner = await ports.partner.getIssue(key, readFieldIds(c.mapping, 'partner', ['comment'])).catch((err) => {
    if (err instanceof SyncError && err.code === 'not-found') throw new SyncError('not-found', `${key} was not found on ${c.partnerUrl} (it does not exist, or the partner account cannot see it). Check the key; nothing was changed.`);
    throw err;
  });
  if (partner.fields.project?.key !== c.partnerProjectKey) {
    throw new SyncError('invalid-input', `${partner.key} is in project ${partner.fields.project?.key ?? '?'} on ${c.partnerUrl}, but this connection syncs with project ${c.partnerProjectKey}. Choose an issue of ${c.partnerProjectKey}; nothing was changed.`);
  }
  const other = await linkedLocalKey(ports, partner.id);
  if (other) throw new SyncError('invalid-input', `${partner.key} is already synced with ${other}. A partner issue syncs with one local issue; unlink ${other} first. Nothing was changed.`);
  const values = { local: readSide(local.fields, c.mapping, 'local'), partner: readSide(partner.fields, c.mapping, 'partner') };
  const diff = differingFields(values.local, values.partner, c.mapping);
  const active = c.mapping.fields.filter((f) => f.direction !== 'off').length;
  return {
    local,
    partner,
    diff,
    sameCount: active - diff.length,
    fingerprint: pairFingerprint(diff),
    comments: { local: local.fields.comment?.total ?? 0, partner: partner.fields.comment?.total ?? 0 },
  };
}

/** What linking a pair did. */
export interface PairResult {
  link: LinkRecord;
  job: JobResult;
}

/**
 * Links the pair and runs its first sync with the person's starting choice: each differing field takes the chosen
 * side's value on the other side, comments are mirrored both ways, and the agreed values become the base. Runs
 * under the same creation claim as opt-in (`create:<localIssueId>`) and a claim on the partner issue, so a double
 * click, a concurrent "turn sync on", or two people linking one partner issue make at most one link.
 * @param fingerprint the preview's, when the person saw one: the link is refused if the values changed since
 * @throws SyncError as {@link previewPair} and `startingResolutions`; `invalid-input` when the values changed since
 *   the preview or another request is linking either issue (nothing changed); what the job throws, a retryable one
 *   (a site down) saying the issues were not linked (no link is saved then)
 */
export async function linkPair(ports: ConnectionPorts, localIssueId: string, partnerKey: string, choice: StartingChoice, by: string, fingerprint?: string): Promise<PairResult> {
  const claims = [`create:${localIssueId}`, `pair:${ports.connection.partnerUrl.replace(/^https:\/\//, '')}:${partnerKey.trim().toUpperCase()}`];
  const held: string[] = [];
  try {
    for (const name of claims) {
      if (!(await ports.claims.claim(name, CREATE_CLAIM_TTL_S))) throw new SyncError('invalid-input', 'Another request is linking one of these issues right now. Reload the issue in a moment; nothing was changed.');
      held.push(name);
    }
    const pair = await previewPair(ports, localIssueId, partnerKey);
    if (fingerprint && fingerprint !== pair.fingerprint) {
      throw new SyncError('invalid-input', `${pair.local.key} or ${pair.partner.key} changed since the differences were shown; review again. Nothing was changed.`);
    }
    const resolutions = startingResolutions(pair.diff, choice, by);
    const c = ports.connection;
    const now = ports.clock.now().toISOString();
    // The differing fields stand as conflicts with no base, so the job checks the choices against the values shown.
    const link: LinkRecord = {
      connectionId: c.id,
      projectKey: c.projectKey,
      localIssueId: pair.local.id,
      localIssueKey: pair.local.key,
      partnerIssueId: pair.partner.id,
      partnerIssueKey: pair.partner.key,
      base: { local: {}, partner: {} },
      worklogs: [], // worklogs
      comments: [],
      state: 'ok',
      paused: false,
      lastSyncAt: null,
      lastError: null,
      lastErrorCode: null,
      failCount: 0,
      conflicts: pair.diff.map((d) => ({ field: d.row.local, partnerField: d.row.partner, name: d.row.name.local, base: null, local: d.local, partner: d.partner, resolution: 'manual', since: now })),
      skippedComments: [],
      shown: null,
    };
    const job = await runSyncJob(ports, link, 'manual', { resolutions }).catch((err) => {
      const e = toSyncError(err);
      if (!e.retryable) throw e;
      // No link was saved, so nothing retries this run: the person links again (values written so far now agree).
      throw new SyncError(e.code, `${e.message.replace(/ The sync will retry\.$/, '')} The issues were not linked; try again in a moment.`, { cause: e });
    });
    await ports.links.noteCreated?.(link); // health: the job saved the new link
    const from = (side: 'local' | 'partner') => pair.diff.filter((d) => resolutions[d.row.local]?.choice === side).map((d) => d.row.name.local);
    const took = [from('partner').length ? `from ${pair.partner.key}: ${from('partner').join(', ')}` : '', from('local').length ? `from ${pair.local.key}: ${from('local').join(', ')}` : ''].filter(Boolean);
    await ports.log({
      connectionId: c.id,
      trigger: 'manual',
      direction: 'none',
      localIssueKey: pair.local.key,
      partnerIssueKey: pair.partner.key,
      fields: [],
      outcome: 'synced',
      message: `${by} linked ${pair.local.key} with the existing partner issue ${pair.partner.key}. Starting values ${took.length ? took.join('; ') : 'were already equal'}; ${pair.sameCount} fields already agreed. Comments are mirrored both ways.`,
    });
    return { link: (await ports.links.get(localIssueId)) ?? link, job };
  } finally {
    for (const name of held) await ports.claims.release(name);
  }
}
