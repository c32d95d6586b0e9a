/**
 * The Settings tab: the project's connections (`listConnections`), and from there the connection form (Add / Edit)
 * or a connection's field mapping editor. One view at a time; Back returns to the list, reloaded.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import Spinner from '@atlaskit/spinner';
import type { ResolverError, SettingsView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { ConnectionList } from './ConnectionList';
import { MappingEditor } from './mapping/MappingEditor';
import { SettingsForm } from './SettingsForm';

// notifications: loaded when a connection is opened, not with the page.
const NotificationsSection = lazy(() => import('./NotificationsSection.js').then((m) => ({ default: m.NotificationsSection })));

type View = { kind: 'list' } | { kind: 'form'; connection: SettingsView | null } | { kind: 'mapping'; connection: SettingsView };

/** Connections list ↔ connection form ↔ mapping editor. */
export function ConnectionsTab() {
  const [connections, setConnections] = useState<SettingsView[] | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });

  const load = useCallback(async () => {
    const res = await callResolver('listConnections', {});
    if (res.ok) {
      setConnections(res.data.connections);
      setError(null);
    } else setError(res.error);
  }, []);
  useEffect(() => void load(), [load]);

  const back = () => {
    setView({ kind: 'list' });
    void load();
  };

  if (!connections) return error ? <ErrorNote error={error} /> : <Spinner label="Loading connections" />;
  if (view.kind === 'form') {
    return (
      <>
        <SettingsForm connection={view.connection} onBack={back} onSaved={(saved) => setView({ kind: 'form', connection: saved })} />
        {view.connection && <Suspense fallback={<Spinner label="Loading notifications" />}><NotificationsSection connectionId={view.connection.id} /></Suspense> /* notifications */}
      </>
    );
  }
  if (view.kind === 'mapping') return <MappingEditor connection={view.connection} onBack={back} />;
  return (
    <ConnectionList
      connections={connections}
      onAdd={() => setView({ kind: 'form', connection: null })}
      onEdit={(c) => setView({ kind: 'form', connection: c })}
      onMapping={(c) => setView({ kind: 'mapping', connection: c })}
      onRemoved={(list) => setConnections(list)}
    />
  );
}
