/**
 * Once per episode: the pure rules that decide, from the link being saved and the episode it was in, whether an
 * admin is told something now. A link's episode starts when it becomes `failed` (retries ran out, or a status had
 * no transition) or `conflicted` (a conflict waits under `manual`), and ends at its next successful sync. A
 * partner token that stopped working (`partner-auth`) is one episode per connection, whichever links hit it.
 * No I/O here: `./notify.ts` sends what these functions decide.
 */
import type { EpisodeKind, Notice } from '../model/notifications';

/** The part of a link the rules look at. */
export interface LinkStateView {
  state: 'ok' | 'failed' | 'conflicted' | 'broken';
  lastErrorCode: string | null;
  paused?: boolean;
  notice?: Notice | null;
}

/** What happened to an episode: one opened (`kind` is the new trouble) or one healed (`kind` was the trouble). */
export type EpisodeEvent = { event: 'opened' | 'recovered'; kind: EpisodeKind };

/** Decision for one save of a link: the `notice` to store on it, and what to tell (nothing when `tell` is null). */
export interface EpisodeStep {
  notice: Notice | null;
  tell: EpisodeEvent | null;
}

/** The trouble a link is in, or null when it syncs (a broken link is not an episode: syncing stopped for good). */
export function troubleOf(link: Pick<LinkStateView, 'state' | 'lastErrorCode'>): EpisodeKind | null {
  if (link.state === 'conflicted') return 'conflict';
  if (link.state === 'failed') return link.lastErrorCode === 'partner-auth' ? 'partner-auth' : 'failed';
  return null;
}

/**
 * The next step of a link's episode:
 * - no episode, trouble → a new one, told now (`notifiedAt` = `now`);
 * - an episode, the same trouble again (a repeat failure, a later run still waiting) → unchanged, nothing told;
 * - an episode, another trouble (a failure turns into a waiting conflict) → the new one replaces it, told;
 * - an episode, the link syncs again (`ok`) → closed, a recovery note;
 * - a broken or paused link keeps its episode as it is and tells nothing (pausing is not healing).
 * @param now ISO-8601
 */
export function nextEpisode(link: LinkStateView, now: string): EpisodeStep {
  const prev = link.notice ?? null;
  if (link.state === 'broken' || link.paused) return { notice: prev, tell: null };
  const trouble = troubleOf(link);
  if (!trouble) return prev ? { notice: null, tell: { event: 'recovered', kind: prev.kind } } : { notice: null, tell: null };
  if (prev?.kind === trouble) return { notice: prev, tell: null };
  return { notice: { kind: trouble, since: now, notifiedAt: now }, tell: { event: 'opened', kind: trouble } };
}

/**
 * A connection's token episode (one for all its links): the first link that finds the token refused opens it and
 * tells; later ones tell nothing; the first link whose `partner-auth` episode heals closes it with a recovery
 * note, and the others close theirs silently.
 * @param open whether the connection's token episode is open now
 * @param step the link's step from {@link nextEpisode}
 * @returns the step to take for the connection: `open`/`close` the token episode and tell, or nothing
 */
export function tokenStep(open: boolean, step: EpisodeStep): 'open' | 'close' | null {
  if (step.tell?.kind !== 'partner-auth') return null;
  if (step.tell.event === 'opened') return open ? null : 'open';
  return open ? 'close' : null;
}

/**
 * What a link's step tells once the connection's token episode is taken into account: a link-level
 * `partner-auth` step is told only when it opens or closes the connection's episode (see {@link tokenStep}).
 */
export function toldAfterToken(step: EpisodeStep, token: 'open' | 'close' | null): EpisodeEvent | null {
  if (step.tell?.kind === 'partner-auth') return token ? step.tell : null;
  return step.tell;
}

/** Lines kept in a connection's digest before the oldest are dropped (a KVS value stays far below 240 KiB). */
export const DIGEST_MAX_LINES = 200;

/** Appends `line` to a digest, keeping the newest {@link DIGEST_MAX_LINES}. */
export function appendDigest(lines: readonly string[], line: string): string[] {
  return [...lines, line].slice(-DIGEST_MAX_LINES);
}
