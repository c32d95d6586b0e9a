/**
 * Running one sync job with its claim: jobs of one link never overlap. The first takes a claim; one that finds it
 * taken leaves a "pending" mark, and the holder runs once more before letting go, so a burst of events (a comment
 * fires `comment_created` and `jira:issue_updated`) coalesces into one or two runs. Retry timing comes from
 * `./retry.ts`; the handler only turns the outcome into Forge's answer.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
import { SyncError, toSyncError } from '../model/errors';
import type { SyncJobEvent } from '../store/records';
import { isPartnerEcho } from './echo';
import { logContext, recordFailure, runSyncJob, type JobOptions } from './job';
import { failureDetail } from './log-detail';
import type { ConnectionPorts } from './ports';
import { jobRetryAfterSeconds, LINK_CLAIM_TTL_S, MAX_JOB_RETRIES } from './retry';

/** What the queue should do after a job: nothing, or try again after `retryAfterSeconds`. */
export type JobOutcome = { retry: false } | { retry: true; retryAfterSeconds: number; reason: string };

const done: JobOutcome = { retry: false };

/**
 * Runs the job of `job.localIssueId` under its claim (see the module comment).
 * - A retryable sync failure while retries are left → `retry` (honouring the partner's `Retry-After`); after the
 *   last retry, or for a link reconcile retries after a failure (that is itself the retry), the failure is
 *   recorded on the link and in the sync log.
 * - A failure around the sync (KVS while claiming or marking) → `retry` while retries are left: the retry reads
 *   current state, so running again is safe; after the last one the claim and mark expire and reconcile owes the
 *   link another run.
 * - A non-retryable `SyncError` outside the sync → logged to the console, `done`.
 * @param retryCount Forge's `retryContext.retryCount` (0 on the first attempt)
 */
export async function runJob(ports: ConnectionPorts, job: SyncJobEvent, retryCount: number): Promise<JobOutcome> {
  try {
    return await runClaimed(ports, job, retryCount);
  } catch (err) {
    const e = toSyncError(err);
    if (err instanceof SyncError && !e.retryable) {
      console.error(`Sync job for issue ${job.localIssueId} failed and will not be retried: ${e.message}`);
      return done;
    }
    if (retryCount >= MAX_JOB_RETRIES) return done;
    return { retry: true, retryAfterSeconds: jobRetryAfterSeconds(retryCount, e.retryAfterMs, ports.clock.random), reason: e.message };
  }
}

async function runClaimed(ports: ConnectionPorts, job: SyncJobEvent, retryCount: number): Promise<JobOutcome> {
  const { claims } = ports;
  const claimName = `job:${job.localIssueId}`;
  // What this event owes: a run, or only the re-check of an echo candidate (see `SyncJobEvent.echo`).
  let owed: Owed = job.echo ? { run: false, echoes: [job.echo] } : { run: true, echoes: [] };
  let first = retryCount === 0;
  for (;;) {
    if (!(await claims.claim(claimName, LINK_CLAIM_TTL_S))) {
      if (owed.run) await claims.setPending(job.localIssueId);
      for (const echo of owed.echoes) await claims.setPendingEcho(job.localIssueId, echo);
      // The holder may have let go between our two steps: try once more, else the holder sees the mark.
      if (!(await claims.claim(claimName, LINK_CLAIM_TTL_S))) return done;
      // What we just left is ours again (this run covers it). Another job held the link: read everything.
      owed = { run: owed.run, echoes: [] };
      first = false;
    }
    try {
      do {
        // Marks left before this run are covered by it.
        const all = merge(owed, await takeOwed(ports, job.localIssueId));
        if (all.run || !(await allEchoes(ports, job.localIssueId, all.echoes))) {
          // Only the event's own first run may skip reading what its create made; any later pass reads both.
          const outcome = await runOnce(ports, first ? job : { ...job, created: undefined }, retryCount);
          first = false;
          if (outcome.retry) return outcome;
        }
        owed = await takeOwed(ports, job.localIssueId);
      } while (owed.run || owed.echoes.length);
    } finally {
      await claims.release(claimName);
    }
    // A mark set after our last look but before the release would otherwise wait for the next reconcile.
    if (!(await claims.hasPending(job.localIssueId))) return done;
    owed = { run: false, echoes: [] };
  }
}

/** Work a link owes: a run (`run`), or only echo candidates to re-check against the saved link. */
interface Owed {
  run: boolean;
  echoes: Record<string, unknown>[];
}

const merge = (a: Owed, b: Owed): Owed => ({ run: a.run || b.run, echoes: [...a.echoes, ...b.echoes] });

/** What the link owes, read and cleared in one look (one KVS query: see `takeOwed` in `src/store/kvs.ts`). */
const takeOwed = (ports: ConnectionPorts, localIssueId: string): Promise<Owed> => ports.claims.takeOwed(localIssueId);

/**
 * Whether every candidate is the echo of a write the link (as saved now) records, so no read is needed. No
 * candidates → false (a run is owed); no link → true (nothing to sync: `runOnce` would stop too).
 */
async function allEchoes(ports: ConnectionPorts, localIssueId: string, echoes: Record<string, unknown>[]): Promise<boolean> {
  if (!echoes.length) return false;
  const link = await ports.links.get(localIssueId);
  if (!link) return true;
  return echoes.every((e) => isPartnerEcho(e, link, ports.connection));
}

async function runOnce(ports: ConnectionPorts, job: SyncJobEvent, retryCount: number): Promise<JobOutcome> {
  const link = await ports.links.get(job.localIssueId);
  if (!link || link.connectionId !== ports.connection.id) return done;
  // Reconcile retrying an already failed link is itself the retry (with its growing cool-down): one attempt.
  const retries = job.trigger === 'reconcile' && link.state === 'failed' ? 0 : MAX_JOB_RETRIES;
  // A link that already maps comments has been synced since its create: read both sides.
  const created = job.trigger === 'create' && !link.comments.length ? job.created : undefined;
  const opts: JobOptions = { log: { receivedAt: job.receivedAt, actor: job.actor }, created };
  const startedAt = ports.clock.now().toISOString();
  try {
    await runSyncJob(ports, link, job.trigger, opts);
    return done;
  } catch (err) {
    const e = toSyncError(err);
    if (e.retryable && retryCount < retries) {
      const retryAfterSeconds = jobRetryAfterSeconds(retryCount, e.retryAfterMs, ports.clock.random);
      // Logged so a slow sync is explained while it waits, not only after the last retry.
      await ports.log({
        connectionId: link.connectionId, trigger: job.trigger, direction: 'none', localIssueKey: link.localIssueKey, partnerIssueKey: link.partnerIssueKey, fields: [], outcome: 'retrying', localIssueId: link.localIssueId,
        message: `${e.message} Trying again in about ${retryAfterSeconds} s (attempt ${retryCount + 2} of ${retries + 1}).`,
        ...logContext(opts, startedAt, ports), ...failureDetail(e.code, e.message),
      });
      return { retry: true, retryAfterSeconds, reason: e.message };
    }
    await recordFailure(ports, link, job.trigger, e, logContext(opts, startedAt, ports));
    return done;
  }
}
