/**
 * Propagation latency: edits summaries and labels alternately on each side of linked issues, one at a time, and
 * times each from the edit's HTTP response to the moment the app's write to the other side got its response (seen
 * in-process on the undici diagnostics channel, so no polling load; the value is then checked with a GET once the
 * sandbox is idle). Each edit is split into phases from the same timeline: delivery of the product event / admin
 * webhook to the Forge host, the trigger handler, the wait in the queue, the job until its write (of which REST).
 */
import { performance } from 'node:perf_hooks';
import type { SandboxClient, SiteName } from '../sandbox/client';
import type { Sandbox } from '../sandbox/start';
import type { AppCall, Probe } from './probe';
import { meanOf, summarise, type Summary } from './report';

/** A linked pair of issue keys. */
export interface Pair {
  local: string;
  partner: string;
}

/** Phases of one edit, in ms. */
export interface Phases {
  delivery: number;
  handler: number;
  queue: number;
  jobRest: number;
  jobOther: number;
}
export const PHASES = ['delivery', 'handler', 'queue', 'jobRest', 'jobOther'] as const;

/** One measured edit. */
export interface EditSample {
  from: SiteName;
  field: 'summary' | 'labels';
  issue: string;
  latencyMs: number | null;
  phases: Phases | null;
  converged: boolean;
}

/** Result of {@link measureLatency}. */
export interface LatencyResult {
  method: string;
  edits: number;
  missed: number;
  notConverged: number;
  localToPartner: Summary;
  partnerToLocal: Summary;
  phaseMeans: Record<'localToPartner' | 'partnerToLocal', Phases>;
  dominant: string;
  samples: EditSample[];
}

const ISSUE_WRITE = /^\/rest\/api\/3\/issue\/[^/]+$/;

/** Waits for the whole sandbox to be idle (Forge host and both sites), bounded. */
export async function settle(sandbox: Sandbox, timeoutMs = 60_000): Promise<void> {
  await sandbox.host.waitIdle(timeoutMs);
}

/**
 * Runs `count` edits (bounded also by `budgetMs` of wall time) over `pairs`, alternating side and field.
 * @throws Error when the sandbox does not settle within 60 s after an edit
 */
export async function measureLatency(sandbox: Sandbox, client: SandboxClient, probe: Probe, pairs: Pair[], count: number, budgetMs: number): Promise<LatencyResult> {
  const samples: EditSample[] = [];
  const until = performance.now() + budgetMs;
  for (let i = 0; i < count && performance.now() < until; i++) {
    const pair = pairs[i % pairs.length];
    const from: SiteName = i % 2 === 0 ? 'local' : 'partner';
    const to: SiteName = from === 'local' ? 'partner' : 'local';
    const field = Math.floor(i / 2) % 2 === 0 ? 'summary' : 'labels';
    const value = field === 'summary' ? `Bench edit ${i} from ${from}` : [`bench-${i}`, `from-${from}`];
    probe.clear();
    const res = await client.rest(from, 'PUT', `/rest/api/3/issue/${pair[from]}`, { fields: { [field]: value } });
    const t0 = performance.now();
    if (res.status !== 204) throw new Error(`edit ${i} on ${from} ${pair[from]} answered ${res.status}: ${JSON.stringify(res.body)}`);
    await settle(sandbox);
    const seen = (await client.issue(to, pair[to], field)).fields[field];
    const converged = field === 'summary' ? seen === value : JSON.stringify([...seen].sort()) === JSON.stringify([...(value as string[])].sort());
    samples.push({ from, field, issue: pair.local, converged, ...timeline(probe, to, t0) });
  }
  const dir = (f: SiteName) => samples.filter((s) => s.from === f);
  const lat = (xs: EditSample[]) => xs.map((s) => s.latencyMs).filter((v): v is number => v !== null);
  const phaseMean = (xs: EditSample[]) => meanOf(xs.map((s) => s.phases).filter((p): p is Phases => p !== null), PHASES);
  const phaseMeans = { localToPartner: phaseMean(dir('local')), partnerToLocal: phaseMean(dir('partner')) };
  return {
    method:
      'serial edits; latency = edit response → response headers of the app’s PUT of that issue on the other side (undici diagnostics channel, in-process); value re-read with GET after idle',
    edits: samples.length,
    missed: samples.filter((s) => s.latencyMs === null).length,
    notConverged: samples.filter((s) => !s.converged).length,
    localToPartner: summarise(lat(dir('local'))),
    partnerToLocal: summarise(lat(dir('partner'))),
    phaseMeans,
    dominant: dominantPhase(phaseMeans),
    samples,
  };
}

/** Latency and phases of the edit made at `t0`, from what the probe recorded since. */
function timeline(probe: Probe, to: SiteName, t0: number): { latencyMs: number | null; phases: Phases | null } {
  const { calls, invocations } = probe.since(t0);
  const write = calls.find((c) => c.site === to && c.method === 'PUT' && ISSUE_WRITE.test(c.path) && c.end !== undefined && (c.status ?? 500) < 300);
  if (!write?.end) return { latencyMs: null, phases: null };
  const latencyMs = write.end - t0;
  const handler = invocations.filter((i) => i.kind === 'trigger' || i.kind === 'webtrigger').sort((a, b) => a.start - b.start)[0];
  const job = invocations.filter((i) => i.kind === 'consumer' && i.start <= write.start).sort((a, b) => a.start - b.start)[0];
  if (!handler || !job) return { latencyMs, phases: null };
  const jobRest = restTime(calls.filter((c) => c.start >= job.start && c.start <= write.start));
  const jobMs = write.end - job.start;
  return {
    latencyMs,
    phases: {
      delivery: handler.start - t0,
      handler: handler.end - handler.start,
      queue: Math.max(0, job.start - handler.end),
      jobRest,
      jobOther: Math.max(0, jobMs - jobRest),
    },
  };
}

/** Sum of the calls' durations (they run one after another inside a job). */
function restTime(calls: AppCall[]): number {
  return calls.reduce((a, c) => a + ((c.end ?? c.start) - c.start), 0);
}

const PHASE_WORDS: Record<keyof Phases, string> = {
  delivery: 'event/webhook delivery to the Forge host',
  handler: 'the trigger handler (parse + enqueue)',
  queue: 'the wait in the Forge queue',
  jobRest: 'REST calls inside the sync job',
  jobOther: 'the sync job’s own work (KVS, merge)',
};

/** "latency is dominated by …" from the mean phases of both directions. */
function dominantPhase(means: Record<string, Phases>): string {
  const total = {} as Phases;
  for (const k of PHASES) total[k] = Object.values(means).reduce((a, m) => a + (Number.isFinite(m[k]) ? m[k] : 0), 0) / 2;
  const sum = PHASES.reduce((a, k) => a + total[k], 0);
  const [top, second] = [...PHASES].sort((a, b) => total[b] - total[a]);
  const pct = (k: keyof Phases) => Math.round((100 * total[k]) / sum);
  return `${PHASE_WORDS[top]} (${pct(top)} %), then ${PHASE_WORDS[second]} (${pct(second)} %)`;
}
