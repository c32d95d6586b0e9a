/**
 * A person settles a conflict from the issue panel: their choice becomes a {@link FieldResolution}, an input of the
 * same sync job every other path runs (`runSyncJob`), run at once under the link's job claim so it never overlaps
 * a queued job. The job writes the chosen value to both sides, stores it as the new base and logs who settled it;
 * the link's other waiting conflicts stay waiting.
 */
import type { ResolveConflictInput } from '../contract/conflicts';
import { canonicalAdf } from '../model/adf';
import { SyncError, toSyncError } from '../model/errors';
import { codecOf } from '../model/fields';
import type { LinkRecord } from '../model/link';
import type { FieldMap } from '../model/mapping';
import type { FieldResolution } from '../model/types';
import { MERGEABLE_KINDS } from './conflict-view';
import { runSyncJob, StaleDecisionError, type JobResult } from './job';
import type { ConnectionPorts } from './ports';
import { LINK_CLAIM_TTL_S } from './retry';

/** How long the resolver waits for a running job of the same link to finish, in ms (resolvers get 25 s). */
export const CLAIM_WAIT_MS = 8_000;
const CLAIM_POLL_MS = 200;

/**
 * The decision a person sent for `row`, normalised: a merged text is trimmed, a merged document made canonical.
 * @throws SyncError `invalid-input` when a merged value is sent for a field that is neither text nor rich text, or
 *   without the value its kind needs (`text` for text fields, `adf` for rich-text fields)
 */
export function fieldResolution(input: ResolveConflictInput, row: FieldMap, by: string): FieldResolution {
  if (input.choice !== 'merged') return { choice: input.choice, by };
  const name = row.name.local;
  if (!MERGEABLE_KINDS.includes(row.kind)) {
    throw new SyncError('invalid-input', `${name} is a ${row.kind} field: a merged value can only be written for text and rich-text fields. Keep the local or the partner value instead.`);
  }
  if (row.kind === 'text') {
    if (typeof input.text !== 'string') throw new SyncError('invalid-input', `Send the merged ${name} as text. Nothing was changed.`);
    return { choice: 'merged', value: codecOf(row).read(input.text), by };
  }
  if (!input.adf) throw new SyncError('invalid-input', `Send the merged ${name} as a document (adf), the way the editor gives it. Nothing was changed.`);
  return { choice: 'merged', value: canonicalAdf(input.adf), by };
}

/**
 * Runs the sync job of `link` with one person's decision, under the link's job claim (waiting up to
 * {@link CLAIM_WAIT_MS} for a running job). A job that was turned away meanwhile (its pending mark) is queued.
 * @throws SyncError `invalid-input` when the field is not waiting for a decision or changed since it was recorded
 *   (see `runSyncJob`), or when a job of the link kept running; nothing is written then
 * @throws SyncError as the job does (a site unreachable…); a retryable one says the choice was not applied
 */
export async function settleConflict(ports: ConnectionPorts, link: LinkRecord, field: string, resolution: FieldResolution): Promise<JobResult> {
  const claimName = `job:${link.localIssueId}`;
  const deadline = Date.now() + CLAIM_WAIT_MS;
  while (!(await ports.claims.claim(claimName, LINK_CLAIM_TTL_S))) {
    if (Date.now() > deadline) throw new SyncError('invalid-input', `A sync of ${link.localIssueKey} is still running, so your choice was not applied. Try again in a moment.`);
    await ports.clock.sleep(CLAIM_POLL_MS);
  }
  try {
    const current = (await ports.links.get(link.localIssueId)) ?? link;
    try {
      return await runSyncJob(ports, current, 'manual', { resolutions: { [field]: resolution } });
    } catch (err) {
      // The person decided on values that are no longer there: record the current ones, so the panel, read again,
      // shows what there is to decide on now. The decision itself is not applied.
      if (err instanceof StaleDecisionError) await runSyncJob(ports, current, 'manual');
      throw err;
    }
  } catch (err) {
    const e = toSyncError(err);
    if (!e.retryable) throw e;
    // The queue retries jobs, not a person's choice: say so, and that the conflict still waits.
    throw new SyncError(e.code, `${e.message.replace(/ The sync will retry\.$/, '')} Your choice was not applied; the conflict still waits. Choose again in a moment.`, { cause: e });
  } finally {
    await ports.claims.release(claimName);
    if (await ports.claims.hasPending(link.localIssueId)) {
      await ports.enqueue([{ projectKey: link.projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'manual' }]);
    }
  }
}

/**
 * A person's decision on a link's waiting conflict, from the panel's payload to both issues (see
 * {@link settleConflict}); `by` names them in the sync log.
 * @throws SyncError `invalid-input` when sync of the issue is paused, the field is not waiting for a decision, the
 *   merged value does not fit the field ({@link fieldResolution}) or a value changed since it was recorded;
 *   `jira-rejected` when a site refused the chosen value (its base is kept, so the conflict comes back)
 */
export async function applyDecision(ports: ConnectionPorts, link: LinkRecord, input: ResolveConflictInput, by: string): Promise<void> {
  const key = link.localIssueKey;
  if (link.paused) throw new SyncError('invalid-input', `Sync of ${key} is paused. Resume sync in the panel first, then choose; nothing was changed.`);
  const row = ports.connection.mapping.fields.find((f) => f.local === input.field && f.direction !== 'off');
  if (!row || !link.conflicts.some((c) => c.field === input.field)) {
    throw new SyncError('invalid-input', `${row?.name.local ?? input.field} of ${key} is not waiting for a decision (it may have been settled already). Reload the panel.`);
  }
  const result = await settleConflict(ports, link, row.local, fieldResolution(input, row, by));
  // Another field failing in the same run (a status no transition reaches) does not undo this decision.
  if (result.notWritten?.includes(row.local)) throw new SyncError('jira-rejected', `Your choice for ${row.name.local} could not be written to both issues: ${result.message}`);
}
