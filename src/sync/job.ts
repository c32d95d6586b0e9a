/**
 * The sync job: one run for one link, whatever started it (product event, partner webhook, reconcile, manual sync,
 * the follow-up of a create). It always reads the current state of both issues, merges against the base snapshot,
 * writes only what changed, and records the new base. A replayed, late or duplicated event therefore does nothing
 * (echo suppression by state). I/O goes through the ports passed in; no Forge imports.
 */
import type { JiraIssue, JiraSite } from '../jira/site';
import { SyncError, toSyncError } from '../model/errors';
import type { LinkRecord } from '../model/link';
import type { NewLogEntry } from '../store/records';
import { applyComments, skippedText, type CommentPorts } from './comment-sync';
import { applyWorklogs } from './worklog-sync'; // worklogs
import { applyAttachments } from './attachment-sync'; // attachments
import { applyHierarchy } from './hierarchy-sync'; // hierarchy
import { describeConflict, type SideNames } from './conflict-text';
import { planWithChangeTimes } from './changelog';
import { keepOldBase, resolutionStillApplies } from './merge';
import type { ConnectionPorts } from './ports';
import { transitionTo } from './status-sync';
import { editLeavingOutRefused, readFieldIds, readSide, toEdit, type RefusedField } from './values';
import type { FieldConflict, FieldResolution, SideValues } from '../model/types';
import type { ConnectionMapping } from '../model/mapping';
import { describeChanges, failureDetail } from './log-detail'; // log

/** What the comment sync needs, from a connection's ports. */
export function commentPorts(ports: ConnectionPorts): CommentPorts {
  const c = ports.connection;
  return {
    local: ports.local,
    partner: ports.partner,
    appAccountIds: { local: c.localAppAccountId, partner: c.partnerAccountId },
    siteUrls: { local: c.localSiteUrl, partner: c.partnerUrl },
    settings: { mirrorRoleRestrictedComments: c.mirrorRoleRestrictedComments },
    users: c.mapping.users,
  };
}

/** The ports that saving a link's state and logging it need. */
export interface SavePorts {
  links: Pick<ConnectionPorts['links'], 'save'>;
  log: ConnectionPorts['log'];
}

/** What one job did. */
export interface JobResult {
  outcome: 'synced' | 'no-change' | 'conflict' | 'resolved' | 'failed' | 'broken';
  fields: string[];
  direction: NewLogEntry['direction'];
  message: string;
  /** Local field ids a site refused to take (or, for status, no transition reached); their base was kept. */
  notWritten?: string[];
}

/** Options of one run. */
export interface JobOptions {
  /**
   * People's decisions on conflicting fields (local field id → decision), from the issue panel. Each must still
   * apply to the values both issues hold now (see `resolutionStillApplies`), else the run changes nothing.
   */
  resolutions?: Record<string, FieldResolution>;
  /**
   * The side the run's create just made (first attempt of a create's follow-up only, see `SyncJobEvent.created`):
   * that issue is not read. It holds what the create wrote, which the base records, and no comments yet; a change
   * someone made to it since comes as its own event or webhook, whose job reads it. Saves one partner read per
   * bulk-linked issue.
   */
  created?: 'local' | 'partner';
  // log: what the sync log tells about the run (src/sync/log-detail.ts)
  /** ISO-8601 time the event that started the job reached the app, and who made that edit on which site. */
  log?: Pick<NewLogEntry, 'actor'> & { receivedAt?: string };
}

/**
 * Runs one sync of `link`. Non-retryable failures (a missing transition, a deleted issue) are logged and stored on
 * the link; retryable ones (network, 429, 5xx) are rethrown as `SyncError` so the queue retries the job.
 * @throws SyncError with `retryable: true` when a later attempt may succeed
 * @throws SyncError `invalid-input` when a decision in `opts.resolutions` names a field not in conflict, or one whose
 *   value changed on either side since the conflict was recorded (nothing is written or saved then)
 */
export async function runSyncJob(ports: ConnectionPorts, link: LinkRecord, trigger: NewLogEntry['trigger'], opts: JobOptions = {}): Promise<JobResult> {
  if (link.state === 'broken') {
    return { outcome: 'broken', fields: [], direction: 'none', message: 'Link is broken; nothing synced.' };
  }
  if (link.paused) {
    return { outcome: 'no-change', fields: [], direction: 'none', message: 'Sync is paused for this issue; nothing synced.' };
  }
  const startedAt = ports.clock.now().toISOString(); // log
  const read = await readBoth(ports, link, opts.created);
  if ('broken' in read) {
    const message = `One of the linked issues no longer exists (${read.broken}). Syncing of ${link.localIssueKey} ↔ ${link.partnerIssueKey} has stopped; nothing else was changed.`;
    await markBroken(ports, link, trigger, message, { ...logContext(opts, startedAt, ports), ...failureDetail('not-found', message) });
    return { outcome: 'broken', fields: [], direction: 'none', message };
  }
  const [localIssue, partnerIssue] = read.issues;
  const { mapping } = ports.connection;
  const current = {
    local: opts.created === 'local' ? { ...link.base.local } : readSide(localIssue.fields, mapping, 'local'),
    partner: opts.created === 'partner' ? { ...link.base.partner } : readSide(partnerIssue.fields, mapping, 'partner'),
  };
  if (opts.resolutions) checkResolutions(link, mapping, current, opts.resolutions);
  // attachments: files first, so rich text copied in this run can point at their mirrors (media map).
  const files = await applyAttachments(ports, link, { local: localIssue, partner: partnerIssue });

  const plan = await planWithChangeTimes(ports, {
    base: link.base,
    ...current,
    mapping,
    policy: ports.connection.conflictPolicy,
    localUpdated: String(localIssue.fields.updated ?? ''),
    partnerUpdated: String(partnerIssue.fields.updated ?? ''),
    resolutions: opts.resolutions,
    media: files.media, // attachments
  }, { local: localIssue.id, partner: partnerIssue.id });

  const problems: string[] = [];
  /** Local field ids of values a site refused: reported as problems, not as synced. */
  const refusedIds = new Set<string>();
  const nextBase = structuredClone(plan.nextBase);
  const statusRow = mapping.fields.find((f) => f.kind === 'status' && f.direction !== 'off');
  for (const side of ['partner', 'local'] as const) {
    const [site, issue] = side === 'partner' ? [ports.partner, partnerIssue] : [ports.local, localIssue];
    const applied = await applyFields(site, issue, plan[side === 'partner' ? 'toPartner' : 'toLocal'], ports, side);
    if (applied.statusId && statusRow) nextBase[side][side === 'local' ? statusRow.local : statusRow.partner] = applied.statusId;
    if (applied.statusProblem && statusRow) {
      problems.push(applied.statusProblem);
      // Keep the old status base on both sides so the next run tries again once the workflow allows it.
      keepOldBase(nextBase, link.base, statusRow);
    }
    for (const r of applied.refused) {
      const row = mapping.fields.find((f) => (side === 'local' ? f.local : f.partner) === r.field);
      problems.push(`The ${side === 'local' ? 'local' : 'partner'} site refused ${row?.name?.[side] ?? r.field} (${r.reason}); it was left unchanged, the other fields synced.`);
      // Keep the old base for the refused field so the next run tries it again.
      refusedIds.add(row?.local ?? r.field);
      if (row) {
        keepOldBase(nextBase, link.base, row);
      }
    }
  }

  const comments = await applyComments({ ...commentPorts(ports), media: files.media /* images */ }, link, { local: localIssue, partner: partnerIssue });
  const worklogs = await applyWorklogs({ ...commentPorts(ports), settings: ports.connection.worklogs }, link, { local: localIssue, partner: partnerIssue }); // worklogs
  link = { ...link, ...(await applyHierarchy(ports, link, { local: localIssue, partner: partnerIssue })) }; // hierarchy: parent moves, issue links
  // Fields are named by their local field id (a partner write is named by the row's local id).
  const localIdOf = (partnerId: string) => mapping.fields.find((f) => f.partner === partnerId)?.local ?? partnerId;
  const fields = [...Object.keys(plan.toPartner).map(localIdOf), ...Object.keys(plan.toLocal), ...(comments.changed ? ['comment'] : []), ...(worklogs.changed ? ['worklog'] : []), ...(files.toPartner + files.toLocal ? ['attachment'] : [])];
  // A status that could not be set is reported as a problem, not as synced.
  const unique = [...new Set(fields)].filter((f) => !(f === 'status' && problems.length) && !refusedIds.has(f));
  const direction = directionOf(
    Object.keys(plan.toPartner).length + comments.toPartner + worklogs.toPartner + files.toPartner,
    Object.keys(plan.toLocal).length + comments.toLocal + worklogs.toLocal + files.toLocal,
  );
  const manual = plan.conflicts.filter((c) => c.resolution === 'manual');

  const next: LinkRecord = {
    ...link,
    localIssueKey: localIssue.key,
    partnerIssueKey: partnerIssue.key,
    base: nextBase,
    comments: comments.links,
    skippedComments: comments.skippedKeys,
    worklogs: worklogs.links, // worklogs
    attachments: files.attachments, // attachments
    skippedAttachments: files.skippedAttachments, // attachments
    state: problems.length ? 'failed' : manual.length ? 'conflicted' : 'ok',
    lastSyncAt: problems.length ? link.lastSyncAt : ports.clock.now().toISOString(),
    lastError: problems.length ? problems.join(' ') : null,
    lastErrorCode: problems.length ? (refusedIds.size ? 'jira-rejected' : 'no-transition') : null,
    failCount: problems.length ? link.failCount + 1 : 0,
    conflicts: manual.map((c) => ({ ...c, since: link.conflicts.find((old) => old.field === c.field)?.since ?? ports.clock.now().toISOString() })),
  };
  await ports.links.save(next);

  const names = { local: namesOf(localIssue), partner: namesOf(partnerIssue) };
  // A conflict waiting for a person is logged once, when found (or when a side's value changes again), not on every run.
  const alreadyWaiting = (c: FieldConflict) => {
    const row = mapping.fields.find((f) => f.local === c.field);
    const recorded = link.conflicts.find((old) => old.field === c.field);
    return c.resolution === 'manual' && !!row && !!recorded && resolutionStillApplies(row, recorded, c);
  };
  const newConflicts = plan.conflicts.filter((c) => !alreadyWaiting(c));
  const stillWaiting = plan.conflicts.filter(alreadyWaiting).map((c) => c.name ?? c.field);
  const conflictText = [
    ...newConflicts.map((c) => describeConflict(c, names)),
    ...(stillWaiting.length ? [`Still waiting for a decision: ${stillWaiting.join(', ')}.`] : []),
  ];
  const skipped = [...plan.skipped.map((k) => `${k.field} not synced: ${k.reason}.`), ...plan.notes, ...skippedText(comments.newlySkipped), ...files.notes];
  const byPerson = plan.conflicts.some((c) => c.settledBy);
  const outcome: JobResult['outcome'] = problems.length ? 'failed' : byPerson ? 'resolved' : newConflicts.length ? 'conflict' : unique.length || skipped.length ? 'synced' : 'no-change';
  const message = [
    unique.length ? `Synced ${unique.join(', ')}.` : skipped.length || plan.conflicts.length ? 'Nothing copied.' : 'Both sides already equal.',
    ...conflictText,
    ...skipped,
    ...problems,
  ].join(' ');
  // Every run is logged, also one that found both sides equal (the Sync log tab hides those unless asked).
  // log: before → after of what was written (refused fields and an unreached status left out), who, timings
  const changes = describeChanges(plan, mapping, { local: localIssue.fields, partner: partnerIssue.fields }, comments).filter((c) => unique.includes(c.field));
  const failure = problems.length ? failureDetail(next.lastErrorCode, problems.join(' ')) : {};
  await ports.log({ connectionId: link.connectionId, trigger, direction, localIssueKey: next.localIssueKey, partnerIssueKey: next.partnerIssueKey, fields: unique, outcome, message, localIssueId: link.localIssueId, changes, ...logContext(opts, startedAt, ports), ...failure });
  const notWritten = [...refusedIds, ...(problems.length > refusedIds.size && statusRow ? [statusRow.local] : [])];
  return { outcome, fields: unique, direction, message, notWritten };
}

/**
 * Checks people's decisions against the link's waiting conflicts and the values both issues hold now.
 * @throws SyncError `invalid-input` naming the field when it is not waiting for a decision, or when its value changed
 *   on either side since the conflict was recorded (the person must look at the new values)
 */
function checkResolutions(link: LinkRecord, mapping: ConnectionMapping, current: { local: SideValues; partner: SideValues }, resolutions: Record<string, FieldResolution>): void {
  for (const field of Object.keys(resolutions)) {
    const recorded = link.conflicts.find((c) => c.field === field);
    const row = mapping.fields.find((f) => f.local === field && f.direction !== 'off');
    if (!recorded || !row) throw new SyncError('invalid-input', `${row?.name.local ?? field} of ${link.localIssueKey} is not waiting for a decision (it may have been settled already). Reload the panel.`);
    const now = { local: current.local[row.local], partner: current.partner[row.partner] };
    if (!resolutionStillApplies(row, recorded, now)) {
      throw new StaleDecisionError(`${row.name.local} of ${link.localIssueKey} changed since the conflict was recorded, so your choice was not applied and nothing was changed. The panel now shows the current local and partner values: review them and choose again.`);
    }
  }
}

/**
 * A person's decision met values that changed since the conflict was recorded (code `invalid-input`). Nothing was
 * written; the caller runs the job once more without the decision so the stored conflict (what the panel shows)
 * holds the current values.
 */
export class StaleDecisionError extends SyncError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** Names of an issue's current status and priority, for conflict entries. */
function namesOf(issue: JiraIssue): SideNames {
  const ref = (v: unknown) => (v && typeof v === 'object' && 'name' in v ? String((v as { name: unknown }).name) : undefined);
  return { status: ref(issue.fields.status), priority: ref(issue.fields.priority) };
}

type ReadResult = { issues: [JiraIssue, JiraIssue] } | { broken: string };

/** Fields every run reads beside the mapped ones: comments, worklogs and attachments come with the issue. */
const EXTRA_READS = ['comment', /* worklogs */ 'worklog', /* attachments */ 'attachment'];

async function readBoth(ports: ConnectionPorts, link: LinkRecord, created?: 'local' | 'partner'): Promise<ReadResult> {
  const { mapping } = ports.connection;
  try {
    // `comment` saves a separate comments read when they all fit.
    const issues = await Promise.all([
      created === 'local' ? justCreated(link, mapping, 'local') : ports.local.getIssue(link.localIssueId, readFieldIds(mapping, 'local', EXTRA_READS)),
      created === 'partner' ? justCreated(link, mapping, 'partner') : ports.partner.getIssue(link.partnerIssueId, readFieldIds(mapping, 'partner', EXTRA_READS)),
    ]);
    return { issues };
  } catch (err) {
    const e = toSyncError(err);
    if (e.code !== 'not-found') throw e;
    return { broken: e.message };
  }
}

/**
 * The issue a create just made, as the link knows it: its id, key and status from the base, no comments or worklogs. Its
 * field values are taken from the base by the caller (see `JobOptions.created`).
 */
function justCreated(link: LinkRecord, mapping: ConnectionMapping, side: 'local' | 'partner'): JiraIssue {
  const row = mapping.fields.find((f) => f.kind === 'status' && f.direction !== 'off');
  const statusId = row ? link.base[side][side === 'local' ? row.local : row.partner] : undefined;
  return {
    id: side === 'local' ? link.localIssueId : link.partnerIssueId,
    key: side === 'local' ? link.localIssueKey : link.partnerIssueKey,
    fields: { ...(typeof statusId === 'string' ? { status: { id: statusId } } : {}), comment: { comments: [], total: 0 }, worklog: { worklogs: [], total: 0, startAt: 0, maxResults: 20 }, attachment: [] },
  } as JiraIssue;
}

/**
 * Stops syncing a link whose issue is gone: state `broken`, the reason on the link and in the sync log. The
 * surviving issue is left as it is. Used by the job (a 404 on read) and by the deleted-issue event and webhook.
 */
export async function markBroken(ports: SavePorts, link: LinkRecord, trigger: NewLogEntry['trigger'], message: string, detail: Partial<NewLogEntry> = {}): Promise<void> {
  await ports.links.save({ ...link, state: 'broken', lastError: message, lastErrorCode: 'not-found' });
  await ports.log({ connectionId: link.connectionId, trigger, direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome: 'broken', message, localIssueId: link.localIssueId, ...detail });
}

/** log: the actor and timings of a run's entry (`endedAt` is now, when the entry is written). */
export function logContext(opts: JobOptions, startedAt: string, ports: Pick<ConnectionPorts, 'clock'>): Partial<NewLogEntry> {
  const timings = { ...(opts.log?.receivedAt ? { receivedAt: opts.log.receivedAt } : {}), startedAt, endedAt: ports.clock.now().toISOString() };
  return { timings, ...(opts.log?.actor ? { actor: opts.log.actor } : {}) };
}

/**
 * Writes `values` (already in the target side's ids) to one issue: one edit for the plain fields, then a
 * transition for the status. A status that no available transition reaches is reported, not thrown.
 */
async function applyFields(
  site: JiraSite,
  issue: JiraIssue,
  values: SideValues,
  ports: ConnectionPorts,
  target: 'local' | 'partner',
): Promise<{ statusId?: string; statusProblem?: string; refused: RefusedField[] }> {
  const { mapping, statusNames } = ports.connection;
  const { fields, status } = toEdit(values, mapping, target);
  // A value Jira refuses on its own (a deactivated assignee) is left out so the other fields' changes still land.
  const refused = Object.keys(fields).length ? await editLeavingOutRefused(site, issue.id, fields) : [];
  if (status === undefined || status === null) return { refused };
  const outcome = await transitionTo(site, issue.id, status, mapping, target, issue.fields.status?.id, statusNames[target]);
  return outcome.ok ? { statusId: outcome.statusId, refused } : { statusProblem: outcome.reason, refused };
}

function directionOf(toPartner: number, toLocal: number): JobResult['direction'] {
  if (toPartner && toLocal) return 'both';
  if (toPartner) return 'local-to-partner';
  if (toLocal) return 'partner-to-local';
  return 'none';
}

/** Turns a job failure into a log entry and link state after the last retry. */
export async function recordFailure(ports: SavePorts, link: LinkRecord, trigger: NewLogEntry['trigger'], err: unknown, detail: Partial<NewLogEntry> = {}): Promise<SyncError> {
  const e = toSyncError(err);
  const message = `${e.message} The scheduled reconcile (every 5 minutes) tries failed issues again once the cause is fixed.`;
  await ports.links.save({ ...link, state: 'failed', lastError: e.message, lastErrorCode: e.code, failCount: link.failCount + 1 });
  await ports.log({ connectionId: link.connectionId, trigger, direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome: 'failed', message, localIssueId: link.localIssueId, ...failureDetail(e.code, e.message), ...detail });
  return e;
}
