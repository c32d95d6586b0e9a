/**
 * Jira settings → Apps → Task sync health (`jira:adminPage`, Jira admins only: the resolvers check `ADMINISTER`).
 * One row per connection on the site, across projects: project ↔ partner, links, failing, conflicts waiting, last
 * sync, partner webhook and token (checked while the page loads), 429s; per row, open the project's Task sync
 * settings (`router.navigate` to the page URL Jira builds for a project settings page) and Retry failed.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-admin-page
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/router/
 *
 * Size: the table is a plain `<table>` drawn with design tokens (like the charts' table), not Atlaskit's
 * DynamicTable, whose sortable head cells pull in Atlaskit's tooltip stack (tooltip, popper, top layer, motion)
 * and pagination for a table that is neither sorted nor paged; the states' notes are the glance's light
 * `HoverNote`, and section messages load on demand (`shared/Message`).
 */
import { useCallback, useEffect, useState } from 'react';
import { router } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import Spinner from '@atlaskit/spinner';
import Heading from '@atlaskit/heading';
import { SectionMessage } from '../../shared/Message';
import type { ResolverError, SiteHealth } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { absoluteTime } from '../../shared/time';
import { useAction } from '../../shared/useAction';
import { cellsOf, COLUMNS } from './columns';
import './admin.css';

const HEAD = [...COLUMNS, 'Actions'];

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
      {!error && health === null && (
        <div className="ts-admin-loading">
          <Spinner size="large" label="Loading Task sync health" />
        </div>
      )}
      {!error && health !== null && !rows.length && (
        <p data-testid="admin-empty">No project has a Task sync connection yet. A project admin sets one up in Project settings → Task sync.</p>
      )}
      {!error && rows.length > 0 && (
        <table className="ts-admin-table" aria-label="Task sync connections">
          <thead>
            <tr>
              {HEAD.map((h) => (
                <th key={h} scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                {r.cells.map((c) => (
                  <td key={c.key}>{c.content}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
