/**
 * Jira settings → Apps → Task sync health (`jira:adminPage`, Jira admins only: the resolvers check `ADMINISTER`).
 * One row per connection on the site, across projects: project ↔ partner, links, failing, conflicts waiting, last
 * sync, partner webhook and token (checked while the page loads), 429s; per row, open the project's Task sync
 * settings (`router.navigate` to the page URL Jira builds for a project settings page) and Retry failed.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-admin-page
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/router/
 */
import { useCallback, useEffect, useState } from 'react';
import { router } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import type { ResolverError, SiteHealth } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { absoluteTime } from '../../shared/time';
import { useAction } from '../../shared/useAction';
import { cellsOf, COLUMNS } from './columns';
import './admin.css';

const HEAD = { cells: [...COLUMNS, 'Actions'].map((c) => ({ key: c, content: c })) };

/** The admin page. */
export function AdminPage() {
  const [health, setHealth] = useState<SiteHealth | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const retry = useAction();

  const load = useCallback(async () => {
    const res = await callResolver('getSiteHealth', {});
    if (res.ok) {
      setHealth(res.data);
      setError(null);
    } else setError(res.error);
  }, []);
  useEffect(() => void load(), [load]);

  const onRetry = async (projectKey: string, connectionId: string, label: string) => {
    setNotice(null);
    const res = await retry.run('retryConnectionFailures', { projectKey, connectionId }, `retry:${connectionId}`);
    if (!res) return;
    setNotice(`Queued ${res.queued} failed ${res.queued === 1 ? 'sync' : 'syncs'} of ${projectKey} ↔ ${label} for another try.`);
    setTimeout(() => void load(), 2_000);
  };

  const rows = (health?.connections ?? []).map((c) => ({
    key: c.connectionId,
    cells: [
      ...cellsOf(c),
      {
        key: 'actions',
        content: (
          <div className="ts-row ts-nowrap">
            <Button onClick={() => void router.navigate(c.settingsPath)} aria-label={`Open Task sync settings of ${c.projectKey}`}>
              Open settings
            </Button>
            <Button
              isDisabled={!c.failing || retry.busy !== null}
              onClick={() => void onRetry(c.projectKey, c.connectionId, c.label)}
              aria-label={`Retry ${c.failing} failed syncs of ${c.projectKey} ↔ ${c.label}`}
            >
              {retry.busy === `retry:${c.connectionId}` ? 'Retrying…' : 'Retry failed'}
            </Button>
          </div>
        ),
      },
    ],
  }));

  return (
    <main className="ts-admin">
      <Heading size="large" as="h1">Task sync health</Heading>
      <p className="ts-muted">
        Every Task sync connection on this site. Webhook and token are checked with the partner while this page loads
        {health ? ` (${absoluteTime(health.at)})` : ''}; 429s are the partner’s and Jira’s rate-limit answers to the app.
      </p>
      <div className="ts-row ts-admin-toolbar">
        <Button onClick={() => void load()}>Refresh</Button>
      </div>
      {error && <ErrorNote error={error} title="Task sync health could not be read" />}
      {retry.error && <ErrorNote error={retry.error} />}
      {notice && (
        <SectionMessage appearance="success">
          <p role="status">{notice}</p>
        </SectionMessage>
      )}
      {!error && (
        <DynamicTable
          head={HEAD}
          rows={rows}
          isLoading={health === null}
          emptyView={<p>No project has a Task sync connection yet. A project admin sets one up in Project settings → Task sync.</p>}
          label="Task sync connections"
        />
      )}
    </main>
  );
}
