/**
 * Helpers for tests of the Bulk tab (link / import by JQL), driving its real resolvers through the sandbox's
 * Forge host as the ALOY project admin.
 */
import type { TestSandbox } from './sandbox';

/** A Bulk run as `getBulkRun` answers it (see `BulkRunView` in src/contract/bulk.ts). */
export type BulkRun = any;

/**
 * Binds the Bulk helpers to a started sandbox:
 * - `bulk(fn, payload)` invokes a Bulk resolver; @throws Error `"<fn>: <code> <message>"` on `{ok:false}`;
 * - `waitRun(runId, until, timeoutMs = 300 000)` polls `getBulkRun` every 250 ms until `until(run)` holds;
 *   @throws Error naming the last state seen when the deadline passes.
 */
export function bulkHelpers(sb: TestSandbox) {
  async function bulk<T = any>(fn: string, payload: unknown): Promise<T> {
    const res = await sb.invoke('task-sync-settings', fn, payload, { projectKey: 'ALOY' });
    if (!res.ok) throw new Error(`${fn}: ${res.error.code} ${res.error.message}`);
    return res.data;
  }
  async function waitRun(runId: string, until: (r: BulkRun) => boolean, timeoutMs = 300_000): Promise<BulkRun> {
    const deadline = Date.now() + timeoutMs;
    let run: BulkRun;
    while (Date.now() < deadline) {
      run = await bulk('getBulkRun', { runId });
      if (until(run)) return run;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`bulk run ${runId} still ${JSON.stringify(run).slice(0, 400)} after ${timeoutMs} ms`);
  }
  return { bulk, waitRun };
}
