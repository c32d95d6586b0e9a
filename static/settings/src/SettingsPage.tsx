/**
 * Project settings → Task sync: a heading and two tabs, Settings (partner connection and conflict policy) and
 * Sync log (what every sync job did).
 */
import Heading from '@atlaskit/heading';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { ConnectionsTab } from './ConnectionsTab';
import { LazyHealthCharts } from './health/LazyHealthCharts'; // health: charts, their own chunk
import './settings.css';
// pages: tabs other than the first load when opened (their tables, editors and runs are not on the first paint)
import { lazy, Suspense, type ReactNode } from 'react';
import Spinner from '@atlaskit/spinner';
const SyncLog = lazy(() => import('./log/SyncLogTab.js').then((m) => ({ default: m.SyncLogTab }))); // log
const MatchTab = lazy(() => import('./MatchTab.js').then((m) => ({ default: m.MatchTab })));
const BulkTab = lazy(() => import('./BulkTab.js').then((m) => ({ default: m.BulkTab })));
/** A lazily loaded tab's body, with a spinner while its chunk arrives. */
const Later = ({ children }: { children: ReactNode }) => <Suspense fallback={<Spinner size="medium" label="Loading" />}>{children}</Suspense>;

/** The whole settings page for project `projectKey`. */
export function SettingsPage({ projectKey }: { projectKey: string }) {
  return (
    <main className="ts-settings">
      <Heading size="large" as="h1">
        Task sync
      </Heading>
      <p className="ts-muted">
        Keep chosen issues of {projectKey || 'this project'} in two-way sync with a project on a partner Jira site.
      </p>
      <Tabs id="task-sync-tabs">
        <TabList>
          <Tab>Settings</Tab>
          <Tab>Sync log</Tab>
          <Tab>Link existing</Tab>
          <Tab>Bulk</Tab>
        </TabList>
        <TabPanel>
          <div className="ts-tab">
            <ConnectionsTab />
          </div>
        </TabPanel>
        <TabPanel>
          <div className="ts-tab">
            <Later><SyncLog chartSlot={<LazyHealthCharts />} /* health */ /></Later>
          </div>
        </TabPanel>
        <TabPanel><div className="ts-tab"><Later><MatchTab /></Later></div></TabPanel>
        <TabPanel><div className="ts-tab"><Later><BulkTab /></Later></div></TabPanel>
      </Tabs>
    </main>
  );
}
