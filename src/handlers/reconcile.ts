/**
 * Scheduled reconcile (every 5 minutes): runs or resumes a pass per configured project (`src/sync/reconcile.ts`),
 * so a lost event or webhook costs minutes, not data. A project that fails is logged; the others still run.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/
 */
import { getAppContext } from '@forge/api';
import * as store from '../store/kvs';
import { reconcilePass, type ReconcilePorts, type ReconcileProgress } from '../sync/reconcile';
import { loadProject } from './deps';
import { enqueueSync } from './queue';

async function ports(projectKey: string): Promise<ReconcilePorts> {
  const project = await loadProject(projectKey);
  const { settings } = project;
  return {
    projectKey,
    projects: { local: settings.projectKey, partner: settings.partnerProjectKey },
    since: settings.savedAt,
    async searchUpdated(side, jql, pageToken) {
      const page = await (side === 'local' ? project.local : project.partner).searchJql(jql, ['updated'], pageToken);
      return { ids: page.issues.map((i) => i.id), next: page.nextPageToken };
    },
    async linkedLocalId(side, issueId) {
      if (side === 'partner') return store.findLocalIssueId(settings.partnerUrl, issueId);
      return (await store.getLink(issueId)) ? issueId : undefined;
    },
    listFailed: () => store.listFailed(projectKey),
    listPending: store.listPending,
    enqueue: enqueueSync,
    getProgress: () => store.getReconcileProgress<ReconcileProgress>(projectKey),
    setProgress: (progress) => store.setReconcileProgress(projectKey, progress),
    getWatermark: () => store.getWatermark(projectKey),
    setWatermark: (mark) => store.setWatermark(projectKey, mark),
    timeLeftMs: () => getAppContext().invocationRemainingTimeInMillis(),
    now: () => Date.now(),
  };
}

/** Handler of the `reconcile` scheduled trigger. */
export async function handler(): Promise<{ statusCode: number }> {
  for (const projectKey of await store.listConfiguredProjects()) {
    try {
      await reconcilePass(await ports(projectKey));
    } catch (err) {
      const message = `Reconcile could not check ${projectKey}: ${err instanceof Error ? err.message : String(err)} It will try again at the next run.`;
      await store.appendLog(projectKey, { trigger: 'reconcile', direction: 'none', localIssueKey: null, partnerIssueKey: null, fields: [], outcome: 'failed', message });
    }
  }
  return { statusCode: 200 };
}
