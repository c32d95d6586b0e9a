/**
 * REST calls per synced change: for each kind of change (summary, description, status, labels, a mapped custom
 * field, comment) and direction, makes
 * the change on one side with the site admin's credentials, waits for idle, and reads `GET /__sandbox/stats` of both
 * sites (reset before each sample). The app's calls are the site's totals minus the bench's own calls (known per
 * change): on the local site these are the app user's, on the partner the partner admin's (the app's credentials).
 * Reads are requests that are not successful writes (searches count as reads). The echo (the app's own write
 * coming back as an event/webhook and a job that finds nothing to do) is included: it is part of the cost.
 */
import type { SandboxClient, SiteName } from '../sandbox/client';
import { adfParagraph } from '../sandbox/client';
import type { Sandbox } from '../sandbox/start';
import { settle, type Pair } from './latency';
import type { AppCall, Probe } from './probe';
import { meanOf } from './report';

export type ChangeKind = 'summary' | 'description' | 'status' | 'labels' | 'custom field' | 'comment' | /* worklogs */ 'worklog';
export const KINDS: readonly ChangeKind[] = ['summary', 'description', 'status', 'labels', 'custom field', 'comment', /* worklogs */ 'worklog'];

/**
 * The floor of one synced change: one read of each side (the job must see both issues), plus the writes on the
 * other side (one edit, or one transition after reading the issue's transitions for a status change).
 */
export const FLOOR: Record<ChangeKind, { sourceReads: number; targetReads: number; writes: number }> = {
  summary: { sourceReads: 1, targetReads: 1, writes: 1 },
  description: { sourceReads: 1, targetReads: 1, writes: 1 },
  status: { sourceReads: 1, targetReads: 2, writes: 1 },
  labels: { sourceReads: 1, targetReads: 1, writes: 1 },
  'custom field': { sourceReads: 1, targetReads: 1, writes: 1 },
  comment: { sourceReads: 1, targetReads: 1, writes: 1 },
  worklog: { sourceReads: 1, targetReads: 1, writes: 1 }, // worklogs: both issues read with their worklog field, one POST
};
/** Kept for the table's "min" column: the other side's reads and writes of the floor. */
export const MINIMUM: Record<ChangeKind, { reads: number; writes: number }> = Object.fromEntries(
  KINDS.map((k) => [k, { reads: FLOOR[k].targetReads, writes: FLOOR[k].writes }]),
) as Record<ChangeKind, { reads: number; writes: number }>;

/** All calls of a change (both sides, app only) over the floor's: 1 = nothing beyond what the change needs. */
export function ratioToFloor(kind: ChangeKind, m: CallCount): number {
  const f = FLOOR[kind];
  return (m.sourceReads + m.sourceWrites + m.targetReads + m.targetWrites) / (f.sourceReads + f.targetReads + f.writes);
}

/** A mapped custom field the bench edits: the row's ids on both sides and a value maker. */
export interface CustomRow {
  local: string;
  partner: string;
  name: string;
  value: (n: number) => unknown;
}

/**
 * The first custom-field row of ALOY's connection that syncs both ways and takes a plain value (text, number,
 * url), read through the admin resolver `listConnections`; undefined when the mapping has none.
 */
export async function customRow(client: SandboxClient): Promise<CustomRow | undefined> {
  const res = await client.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  const rows: any[] = res.data?.connections?.[0]?.mapping?.fields ?? [];
  const values: Record<string, (n: number) => unknown> = { text: (n) => `Counted value ${n}`, number: (n) => n + 0.5, url: (n) => `https://example.com/counted/${n}` };
  const row = rows.find((r) => r.direction === 'both' && values[r.kind] && r.local.startsWith('customfield_') && r.partner.startsWith('customfield_'));
  return row && { local: row.local, partner: row.partner, name: row.name?.local ?? row.local, value: values[row.kind] };
}

/** App calls on each site for one change. */
export interface CallCount {
  sourceReads: number;
  sourceWrites: number;
  targetReads: number;
  targetWrites: number;
}
const KEYS = ['sourceReads', 'sourceWrites', 'targetReads', 'targetWrites'] as const;

/** Mean calls per change of one kind and direction, plus the per-route detail of the last sample. */
export interface CallsRow {
  kind: ChangeKind;
  from: SiteName;
  samples: number;
  mean: CallCount;
  /** Cross-check: app calls seen by the in-process probe (same definition), mean per change. */
  probeMean: { source: number; target: number };
  lastRoutes: Record<SiteName, Record<string, number>>;
  /** The app's calls by route (probe), mean per change, most frequent first. */
  appRoutes: Record<string, number>;
  /** Mean app calls per change made by the first sync job, and all others (handlers, the echo job after the app's own write). */
  firstJobCalls: number;
  /** All app calls over the floor's ({@link ratioToFloor}). */
  ratio: number;
  /** Mean number of invocations that made REST calls per change (1 = no echo work). */
  invocationsCallingRest: number;
  otherCalls: number;
}

/** `GET /rest/api/3/issue/PARTNER-3/comment/10002` → `GET /rest/api/3/issue/{id}/comment/{id}`. */
export function routeOf(c: AppCall): string {
  const p = c.path.replace(/\/issue\/[^/]+/, '/issue/{id}').replace(/\/comment\/[^/]+/, '/comment/{id}').replace(/\/properties\/[^/]+/, '/properties/{key}');
  return `${c.site} ${c.method} ${p}`;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** The bench's own calls for a change: reads and writes on the source site. */
async function change(client: SandboxClient, kind: ChangeKind, site: SiteName, key: string, n: number, custom?: CustomRow): Promise<{ reads: number; writes: number }> {
  const edit = async (fields: Record<string, unknown>) => {
    const r = await client.rest(site, 'PUT', `/rest/api/3/issue/${key}`, { fields });
    if (r.status !== 204) throw new Error(`${kind} edit answered ${r.status}: ${JSON.stringify(r.body)}`);
    return { reads: 0, writes: 1 };
  };
  if (kind === 'summary') return edit({ summary: `Counted edit ${n} on ${site}` });
  if (kind === 'description') return edit({ description: adfParagraph(`Counted description ${n} on ${site}`) });
  if (kind === 'labels') return edit({ labels: [`counted-${n}`] });
  if (kind === 'custom field') return edit({ [custom![site]]: custom!.value(n) });
  if (kind === 'worklog') { // worklogs: 15 minutes logged with a comment, started now in Jira's format
    const started = new Date().toISOString().replace('Z', '+0000');
    const r = await client.rest(site, 'POST', `/rest/api/3/issue/${key}/worklog`, { timeSpent: '15m', started, comment: adfParagraph(`Counted worklog ${n} on ${site}`) });
    if (r.status !== 201) throw new Error(`worklog answered ${r.status}: ${JSON.stringify(r.body)}`);
    return { reads: 0, writes: 1 };
  }
  if (kind === 'comment') {
    const r = await client.rest(site, 'POST', `/rest/api/3/issue/${key}/comment`, { body: adfParagraph(`Counted comment ${n} on ${site}`) });
    if (r.status !== 201) throw new Error(`comment answered ${r.status}`);
    return { reads: 0, writes: 1 };
  }
  const { body } = await client.rest(site, 'GET', `/rest/api/3/issue/${key}/transitions`);
  const { body: issue } = await client.rest(site, 'GET', `/rest/api/3/issue/${key}?fields=status`);
  // Prefer statuses that map to a different status on the other workflow, so the change really has to travel.
  const prefer = site === 'local' ? ['In Progress', 'Reopened', 'Open', 'Resolved', 'Closed'] : ['Working', 'Open', 'Closed'];
  const options = (body.transitions as any[]).filter((t) => t.to.name !== issue.fields.status.name);
  const t = prefer.map((name) => options.find((o) => o.to.name === name)).find(Boolean) ?? options[0];
  if (!t) throw new Error(`${site} ${key}: no transition out of ${issue.fields.status.name}`);
  const r = await client.rest(site, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: t.id } });
  if (r.status !== 204) throw new Error(`transition answered ${r.status}`);
  return { reads: 2, writes: 1 };
}

/** Reads (requests that are not successful writes) and writes in a site's stats. */
function split(stats: any): { reads: number; writes: number; routes: Record<string, number> } {
  const total = sum(stats.requests);
  const writes = sum(stats.writes.byRoute);
  return { reads: total - writes, writes, routes: stats.requests };
}

/**
 * Measures `perKind` samples of each kind in each direction, on `pairs` (each sample on the next pair).
 * @throws Error when a change cannot be made or the sandbox does not settle
 */
export async function measureCalls(sandbox: Sandbox, client: SandboxClient, probe: Probe, pairs: Pair[], perKind: number): Promise<CallsRow[]> {
  const rows: CallsRow[] = [];
  const custom = await customRow(client);
  let n = 0;
  for (const kind of KINDS.filter((k) => k !== 'custom field' || custom)) {
    for (const from of ['local', 'partner'] as SiteName[]) {
      const to: SiteName = from === 'local' ? 'partner' : 'local';
      const counts: CallCount[] = [];
      const seen: { source: number; target: number }[] = [];
      let lastRoutes = { local: {}, partner: {} } as Record<SiteName, Record<string, number>>;
      const routes: Record<string, number> = {};
      const phases = { first: 0, other: 0 };
      const jobs: number[] = [];
      for (let i = 0; i < perKind; i++) {
        const pair = pairs[n++ % pairs.length];
        await settle(sandbox);
        await Promise.all([client.resetStats('local'), client.resetStats('partner')]);
        probe.clear();
        const own = await change(client, kind, from, pair[from], n, custom);
        await settle(sandbox);
        const [src, dst] = await Promise.all([client.stats(from), client.stats(to)]).then((s) => s.map(split));
        counts.push({ sourceReads: src.reads - own.reads, sourceWrites: src.writes - own.writes, targetReads: dst.reads, targetWrites: dst.writes });
        seen.push({ source: probe.calls.filter((c) => c.site === from).length, target: probe.calls.filter((c) => c.site === to).length });
        for (const c of probe.calls) routes[routeOf(c)] = (routes[routeOf(c)] ?? 0) + 1;
        // The first invocation to call REST is the sync job of the change; later ones are echoes of its own write.
        const firstId = probe.calls.find((c) => c.invocation)?.invocation?.id;
        for (const c of probe.calls) phases[c.invocation?.id === firstId ? 'first' : 'other']++;
        jobs.push(new Set(probe.calls.map((c) => c.invocation?.id)).size);
        lastRoutes = { [from]: src.routes, [to]: dst.routes } as Record<SiteName, Record<string, number>>;
      }
      const per = (v: number) => Math.round((v / Math.max(1, counts.length)) * 100) / 100;
      const appRoutes = Object.fromEntries(Object.entries(routes).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)]));
      const mean = meanOf(counts, KEYS);
      rows.push({
        kind,
        from,
        samples: counts.length,
        mean,
        ratio: Math.round(ratioToFloor(kind, mean) * 100) / 100,
        probeMean: meanOf(seen, ['source', 'target'] as const),
        lastRoutes,
        appRoutes,
        invocationsCallingRest: per(jobs.reduce((a, b) => a + b, 0)),
        firstJobCalls: per(phases.first),
        otherCalls: per(phases.other),
      });
    }
  }
  return rows;
}
