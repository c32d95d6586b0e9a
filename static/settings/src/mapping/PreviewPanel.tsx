/**
 * Preview with the mapping as edited, before saving: pick a local (or partner) issue key and see what the other
 * site's issue would get, created or updated, field by field. `previewMapping` writes nothing on either site.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import Lozenge from '@atlaskit/lozenge';
import type { MappingCatalog, Preview, ResolverError } from '../../../../src/contract';
import type { ConnectionMapping } from '../../../../src/model/mapping';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';

/** Props: the connection, both project keys (from the catalog) and the mapping as edited. */
export interface PreviewPanelProps {
  connectionId: string;
  catalog: MappingCatalog;
  mapping: ConnectionMapping;
}

/** Issue key + side, Preview, then the table of fields the sync would write. */
export function PreviewPanel(p: PreviewPanelProps) {
  const [side, setSide] = useState<'local' | 'partner'>('local');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const project = side === 'local' ? p.catalog.local.projectKey : p.catalog.partner.projectKey;

  const run = async () => {
    setBusy(true);
    setError(null);
    const res = await callResolver('previewMapping', { connectionId: p.connectionId, mapping: p.mapping, issueKey: key.trim().toUpperCase(), side });
    setBusy(false);
    if (res.ok) setPreview(res.data);
    else {
      setPreview(null);
      setError(res.error);
    }
  };

  return (
    <form className="ts-stack" aria-label="Preview" onSubmit={(e) => { e.preventDefault(); void run(); }}>
      <p className="ts-muted">Nothing is saved or written: this shows what the next sync would do with the mapping as edited.</p>
      <div className="ts-row">
        <select aria-label="Issue on" className="ts-select ts-select--inline" value={side} onChange={(e) => setSide(e.currentTarget.value as 'local' | 'partner')}>
          <option value="local">{p.catalog.local.projectKey} issue</option>
          <option value="partner">{p.catalog.partner.projectKey} issue</option>
        </select>
        <Textfield aria-label="Issue key" placeholder={`e.g. ${project}-1`} value={key} onChange={(e) => setKey(e.currentTarget.value)} width={200} />
        <Button type="submit" isDisabled={busy || !key.trim()}>{busy ? 'Previewing…' : 'Preview'}</Button>
      </div>
      {error && <ErrorNote error={error} title="No preview" />}
      {preview && (
        <div className="ts-stack" aria-label="Preview result">
          <p>
            {preview.action === 'create' ? 'Would create a new issue' : `Would update ${preview.targetIssueKey}`} on{' '}
            {preview.targetSide === 'local' ? p.catalog.local.projectKey : p.catalog.partner.projectKey}:
          </p>
          <table className="ts-table" aria-label="Previewed fields">
            <thead>
              <tr><th>Field</th><th>Now</th><th>Would be</th><th /></tr>
            </thead>
            <tbody>
              {preview.fields.map((f) => (
                <tr key={f.field}>
                  <td>{f.name}</td>
                  <td>{f.current}</td>
                  <td>{f.next}</td>
                  <td>
                    {f.written ? <Lozenge appearance="inprogress">Written</Lozenge> : <Lozenge>Not written</Lozenge>}
                    {f.note && <div className="ts-muted">{f.note}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
