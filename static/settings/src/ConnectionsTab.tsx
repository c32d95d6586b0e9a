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

// The list is the first paint; the form (with the contract's validation schemas) and the editor load when opened.
const MappingEditor = lazy(() => import('./mapping/MappingEditor.js').then((m) => ({ default: m.MappingEditor })));
const SettingsForm = lazy(() => import('./SettingsForm.js').then((m) => ({ default: m.SettingsForm })));

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
      <Suspense fallback={<Spinner label="Loading the connection form" />}>
        <SettingsForm connection={view.connection} onBack={back} onSaved={(saved) => setView({ kind: 'form', connection: saved })} />
        {view.connection && <NotificationsSection connectionId={view.connection.id} /> /* notifications */}
      </Suspense>
    );
  }
  if (view.kind === 'mapping') {
    return (
      <Suspense fallback={<Spinner label="Loading the field mapping" />}>
        <MappingEditor connection={view.connection} onBack={back} />
      </Suspense>
    );
  }
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
