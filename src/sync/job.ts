/**
 * The sync job: one run for one link, whatever started it (product event, partner webhook, reconcile, manual sync,
 * the follow-up of a create). It always reads the current state of both issues, merges against the base snapshot,
 * writes only what changed, and records the new base. A replayed, late or duplicated event therefore does nothing
 * (echo suppression by state). I/O goes through the ports passed in; no Forge imports.
 */
import type { NewLogEntry, LinkRecord, ProjectSettings } from '../store/records';
import { applyComments, skippedText } from './comment-sync';
import { describeConflict, type SideNames } from './conflict-text';
import { SyncError, toSyncError } from './errors';
import { toEditFields } from './mapping';
import { planMerge } from './merge';
import { normaliseIssue } from './normalise';
import { transitionTo } from './status-sync';
import type { JiraIssue, JiraSite } from '../jira/site';
import type { MergePlan, SideValues } from './types';

/** Fields of an issue the sync reads (opt-in creation needs no more). */
export const ISSUE_FIELDS = ['summary', 'description', 'priority', 'labels', 'status', 'updated', 'project', 'issuetype'];
/** Fields read from both issues for a sync; `comment` saves a separate comments read when they all fit. */
export const SYNC_READ_FIELDS = [...ISSUE_FIELDS, 'comment'];

/** Everything a job touches. */
export interface JobPorts {
  local: JiraSite;
  partner: JiraSite;
  settings: ProjectSettings;
  /** accountIds that author our mirrored comments: the app on local, the API user on partner. */
  appAccountIds: { local: string; partner: string };
  /** Public base URLs, for attribution and links: `https://<site>.atlassian.net`. */
  siteUrls: { local: string; partner: string };
  saveLink(link: LinkRecord): Promise<void>;
  log(entry: NewLogEntry): Promise<void>;
  now(): Date;
}

/** What one job did. */
export interface JobResult {
  outcome: 'synced' | 'no-change' | 'conflict' | 'failed' | 'broken';
  fields: string[];
  direction: NewLogEntry['direction'];
  message: string;
}

/**
 * Runs one sync of `link`. Non-retryable failures (a missing transition, a deleted issue) are logged and stored on
 * the link; retryable ones (network, 429, 5xx) are rethrown as `SyncError` so the queue retries the job.
 * @throws SyncError with `retryable: true` when a later attempt may succeed
 */
export async function runSyncJob(ports: JobPorts, link: LinkRecord, trigger: NewLogEntry['trigger']): Promise<JobResult> {
  if (link.state === 'broken') {
    return { outcome: 'broken', fields: [], direction: 'none', message: 'Link is broken; nothing synced.' };
  }
  if (link.paused) {
    return { outcome: 'no-change', fields: [], direction: 'none', message: 'Sync is paused for this issue; nothing synced.' };
  }
  const read = await readBoth(ports, link);
  if ('broken' in read) {
    const message = `One of the linked issues no longer exists (${read.broken}). Syncing of ${link.localIssueKey} ↔ ${link.partnerIssueKey} has stopped; nothing else was changed.`;
    await markBroken(ports, link, trigger, message);
    return { outcome: 'broken', fields: [], direction: 'none', message };
  }
  const [localIssue, partnerIssue] = read.issues;

  const plan = planMerge({
    base: link.base as MergePlan['nextBase'],
    local: normaliseIssue(localIssue.fields),
    partner: normaliseIssue(partnerIssue.fields),
    mapping: ports.settings.mapping,
    policy: ports.settings.conflictPolicy,
    localUpdated: String(localIssue.fields.updated ?? ''),
    partnerUpdated: String(partnerIssue.fields.updated ?? ''),
  });

  const problems: string[] = [];
  const nextBase = structuredClone(plan.nextBase);
  for (const side of ['partner', 'local'] as const) {
    const [site, issue] = side === 'partner' ? [ports.partner, partnerIssue] : [ports.local, localIssue];
    const applied = await applyFields(site, issue, plan[side === 'partner' ? 'toPartner' : 'toLocal'], ports, side);
    if (applied.statusId) nextBase[side].status = applied.statusId;
    if (applied.statusProblem) {
      problems.push(applied.statusProblem);
      // Keep the old status base on both sides so the next run tries again once the workflow allows it.
      nextBase.local.status = link.base.local.status;
      nextBase.partner.status = link.base.partner.status;
    }
  }

  const comments = await applyComments(ports, link, { local: localIssue, partner: partnerIssue });
  const fields = [...Object.keys(plan.toPartner), ...Object.keys(plan.toLocal), ...(comments.changed ? ['comment'] : [])];
  // A status that could not be set is reported as a problem, not as synced.
  const unique = [...new Set(fields)].filter((f) => !(f === 'status' && problems.length));
  const direction = directionOf(Object.keys(plan.toPartner).length + comments.toPartner, Object.keys(plan.toLocal).length + comments.toLocal);
  const manual = plan.conflicts.filter((c) => c.resolution === 'manual');

  const next: LinkRecord = {
    ...link,
    localIssueKey: localIssue.key,
    partnerIssueKey: partnerIssue.key,
    base: nextBase,
    comments: comments.links,
    skippedComments: comments.skippedKeys,
    state: problems.length ? 'failed' : manual.length ? 'conflicted' : 'ok',
    lastSyncAt: problems.length ? link.lastSyncAt : ports.now().toISOString(),
    lastError: problems.length ? problems.join(' ') : null,
    lastErrorCode: problems.length ? 'no-transition' : null,
    failCount: problems.length ? link.failCount + 1 : 0,
    conflicts: manual,
  };
  await ports.saveLink(next);

  const names = { local: namesOf(localIssue), partner: namesOf(partnerIssue) };
  const conflictText = plan.conflicts.map((c) => describeConflict(c, names));
  const skipped = [...plan.skipped.map((k) => `${k.field} not synced: ${k.reason}.`), ...skippedText(comments.newlySkipped)];
  const outcome: JobResult['outcome'] = problems.length ? 'failed' : plan.conflicts.length ? 'conflict' : unique.length || skipped.length ? 'synced' : 'no-change';
  const message = [
    unique.length ? `Synced ${unique.join(', ')}.` : skipped.length ? 'Nothing copied.' : 'Both sides already equal.',
    ...conflictText,
    ...skipped,
    ...problems,
  ].join(' ');
  // Every run is logged, also one that found both sides equal (the Sync log tab hides those unless asked).
  await ports.log({ trigger, direction, localIssueKey: next.localIssueKey, partnerIssueKey: next.partnerIssueKey, fields: unique, outcome, message });
  return { outcome, fields: unique, direction, message };
}

/** Names of an issue's current status and priority, for conflict entries. */
function namesOf(issue: JiraIssue): SideNames {
  const ref = (v: unknown) => (v && typeof v === 'object' && 'name' in v ? String((v as { name: unknown }).name) : undefined);
  return { status: ref(issue.fields.status), priority: ref(issue.fields.priority) };
}

type ReadResult = { issues: [JiraIssue, JiraIssue] } | { broken: string };

async function readBoth(ports: JobPorts, link: LinkRecord): Promise<ReadResult> {
  try {
    const issues = await Promise.all([
      ports.local.getIssue(link.localIssueId, SYNC_READ_FIELDS),
      ports.partner.getIssue(link.partnerIssueId, SYNC_READ_FIELDS),
    ]);
    return { issues };
  } catch (err) {
    const e = toSyncError(err);
    if (e.code !== 'not-found') throw e;
    return { broken: e.message };
  }
}

/**
 * Stops syncing a link whose issue is gone: state `broken`, the reason on the link and in the sync log. The
 * surviving issue is left as it is. Used by the job (a 404 on read) and by the deleted-issue event and webhook.
 */
export async function markBroken(ports: Pick<JobPorts, 'saveLink' | 'log'>, link: LinkRecord, trigger: NewLogEntry['trigger'], message: string): Promise<void> {
  await ports.saveLink({ ...link, state: 'broken', lastError: message, lastErrorCode: 'not-found' });
  await ports.log({ trigger, direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome: 'broken', message });
}

/**
 * Writes `values` (already in the target side's ids) to one issue: one edit for the plain fields, then a
 * transition for the status. A status that no available transition reaches is reported, not thrown.
 */
async function applyFields(
  site: JiraSite,
  issue: JiraIssue,
  values: Partial<SideValues>,
  ports: JobPorts,
  target: 'local' | 'partner',
): Promise<{ statusId?: string; statusProblem?: string }> {
  const { status, ...plain } = values;
  const fields = toEditFields(plain);
  if (Object.keys(fields).length) await site.editIssue(issue.id, fields);
  if (status === undefined || status === null) return {};
  const outcome = await transitionTo(site, issue.id, status, ports.settings.mapping, target, issue.fields.status?.id, ports.settings.statusNames[target]);
  return outcome.ok ? { statusId: outcome.statusId } : { statusProblem: outcome.reason };
}

function directionOf(toPartner: number, toLocal: number): JobResult['direction'] {
  if (toPartner && toLocal) return 'both';
  if (toPartner) return 'local-to-partner';
  if (toLocal) return 'partner-to-local';
  return 'none';
}

/** Turns a job failure into a log entry and link state after the last retry. */
export async function recordFailure(ports: Pick<JobPorts, 'saveLink' | 'log'>, link: LinkRecord, trigger: NewLogEntry['trigger'], err: unknown): Promise<SyncError> {
  const e = toSyncError(err);
  const message = `${e.message} The scheduled reconcile (every 5 minutes) tries failed issues again once the cause is fixed.`;
  await ports.saveLink({ ...link, state: 'failed', lastError: e.message, lastErrorCode: e.code, failCount: link.failCount + 1 });
  await ports.log({ trigger, direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome: 'failed', message });
  return e;
}
