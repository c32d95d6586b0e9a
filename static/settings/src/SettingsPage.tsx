/**
 * Project settings → Task sync: a heading and two tabs, Settings (partner connection and conflict policy) and
 * Sync log (what every sync job did).
 */
import Heading from '@atlaskit/heading';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { ConnectionsTab } from './ConnectionsTab';
import { SyncLogTab as SyncLog } from './log/SyncLogTab'; // log
import { LazyHealthCharts } from './health/LazyHealthCharts'; // health: charts, their own chunk
import { MatchTab } from './MatchTab';
import { BulkTab } from './BulkTab';
import './settings.css';

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
            <SyncLog chartSlot={<LazyHealthCharts />} /* health */ />
          </div>
        </TabPanel>
        <TabPanel><div className="ts-tab"><MatchTab /></div></TabPanel>
        <TabPanel><div className="ts-tab"><BulkTab /></div></TabPanel>
      </Tabs>
    </main>
  );
}
