/**
 * The project's connections as a table: label, partner site and project, webhook state, and per row Edit, Field
 * mapping and Remove (a confirmation naming the partner, then `deleteConnection`). Add connection opens the empty form.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import type { ResolverError, SettingsView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';

/** Props: the connections (oldest first) and what each action opens; `onRemoved` gets the list after a removal. */
export interface ConnectionListProps {
  connections: SettingsView[];
  onAdd: () => void;
  onEdit: (c: SettingsView) => void;
  onMapping: (c: SettingsView) => void;
  onRemoved: (connections: SettingsView[]) => void;
}

/** The connections table, or a line saying there are none yet. */
export function ConnectionList(p: ConnectionListProps) {
  const [removing, setRemoving] = useState<SettingsView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ResolverError | null>(null);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    const res = await callResolver('deleteConnection', { connectionId: removing.id, confirmed: true });
    setBusy(false);
    if (res.ok) {
      setRemoving(null);
      p.onRemoved(res.data.connections);
    } else setError(res.error);
  };

  return (
    <div className="ts-stack">
      {p.connections.length === 0 ? (
        <p className="ts-muted">No connections yet: add one to sync issues of this project with a partner Jira project.</p>
      ) : (
        <table className="ts-table" aria-label="Connections">
          <thead>
            <tr>
              <th>Connection</th>
              <th>Partner site</th>
              <th>Partner project</th>
              <th>Webhook</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {p.connections.map((c) => (
              <tr key={c.id}>
                <td>{c.label}</td>
                <td>{c.partnerUrl ?? '—'}</td>
                <td>{c.partnerProjectKey ?? '—'}</td>
                <td>
                  {c.webhookRegistered ? <Lozenge appearance="success">Registered</Lozenge> : <Lozenge appearance="removed">Not registered</Lozenge>}
                </td>
                <td>
                  {/* A flex row inside the cell: on the <td> itself it would stop being a table cell (its border drifted). */}
                  <div className="ts-row">
                    <Button onClick={() => p.onEdit(c)} aria-label={`Edit ${c.label}`}>Edit</Button>
                    <Button onClick={() => p.onMapping(c)} aria-label={`Field mapping of ${c.label}`}>Field mapping</Button>
                    <Button appearance="subtle" onClick={() => { setError(null); setRemoving(c); }} aria-label={`Remove ${c.label}`}>Remove</Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="ts-row">
        <Button appearance="primary" onClick={p.onAdd}>Add connection</Button>
      </div>
      {/* pages: the modal loads when a removal is asked for */}
      <ConfirmDialog
        isOpen={removing !== null}
        title={`Remove ${removing?.label ?? 'connection'}?`}
        confirmLabel="Remove connection"
        busyLabel="Removing…"
        confirmAppearance="warning"
        errorTitle="The connection was not removed"
        isBusy={busy}
        error={error}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void remove()}
      >
        <p>
          Issues linked with <strong>{removing?.partnerUrl}</strong> project <strong>{removing?.partnerProjectKey}</strong> stop
          syncing. The issues on both sites stay as they are.
        </p>
      </ConfirmDialog>
    </div>
  );
}
