/**
 * The mapping editor's load time with many fields: adds synthetic custom fields to both sites of a running
 * sandbox (`POST /__sandbox/custom-fields`, on every project's screens), then times the `getMappingCatalog`
 * resolver as the settings page calls it (both sites' `GET /rest/api/3/field`, createmeta per issue type,
 * project statuses, priorities, components, versions, `GET /rest/api/3/users/search`, then the defaults and the
 * check of the saved mapping), end to end through the Forge host. The fields stay on the sites afterwards.
 * Run on its own: `node --import tsx bench/editor-load.ts` against `npm start`'s sandbox (port 7700).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get
 */
import { performance } from 'node:perf_hooks';
import { SandboxClient } from '../sandbox/client';
import { sandboxConfig } from '../sandbox/config';
import { percentile } from './report';

/** What {@link measureEditorLoad} measured. Times in ms. */
export interface EditorLoadResult {
  /** Custom fields per site once the synthetic ones were added. */
  customFields: { local: number; partner: number };
  /** Fields the catalog listed per site (system and custom). */
  catalogFields: { local: number; partner: number };
  /** Each timed `getMappingCatalog` call, in order (after one untimed warm-up call). */
  runsMs: number[];
  /** Median of `runsMs`. */
  medianMs: number;
  /** Median time of `checkMapping` of the default mapping over the same catalogs. */
  checkMedianMs: number;
  /** Size of one `getMappingCatalog` answer as JSON, bytes. */
  catalogBytes: number;
  /** Rows of the default mapping the catalog offered. */
  defaultRows: number;
}

/**
 * Adds `fields` custom fields to each site of the sandbox behind `sb` and times `getMappingCatalog` for the ALOY
 * project's first connection as its admin: one warm-up call, then `runs` timed ones.
 * @param sb a client of a running sandbox with ALOY linked (as `npm start` / `startSandbox` leave it)
 * @throws Error when ALOY has no connection or a resolver call fails
 */
export async function measureEditorLoad(sb: SandboxClient, opts: { fields?: number; runs?: number } = {}): Promise<EditorLoadResult> {
  const { fields = 200, runs = 5 } = opts;
  const admin = { projectKey: 'ALOY' };
  const call = async (fn: string, payload: unknown) => {
    const res = await sb.invoke('task-sync-settings', fn, payload, admin);
    if (!res.ok) throw new Error(`${fn}: ${res.error.message}`);
    return res.data;
  };
  const connectionId = (await call('listConnections', {})).connections[0]?.id;
  if (!connectionId) throw new Error('ALOY has no connection: start the sandbox with ALOY linked');
  const [local, partner] = await Promise.all([sb.addCustomFields('local', fields), sb.addCustomFields('partner', fields)]);
  let catalog = await call('getMappingCatalog', { connectionId });
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    catalog = await call('getMappingCatalog', { connectionId });
    runsMs.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  const checks: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await call('checkMapping', { connectionId, mapping: catalog.defaults });
    checks.push(performance.now() - t0);
  }
  return {
    customFields: { local: local.total, partner: partner.total },
    catalogFields: { local: catalog.local.fields.length, partner: catalog.partner.fields.length },
    runsMs,
    medianMs: percentile(runsMs, 50),
    checkMedianMs: Math.round(percentile(checks, 50) * 10) / 10,
    catalogBytes: Buffer.byteLength(JSON.stringify(catalog)),
    defaultRows: catalog.defaults.fields.length,
  };
}

if (require.main === module) {
  measureEditorLoad(new SandboxClient(sandboxConfig())).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
