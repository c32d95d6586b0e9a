/**
 * The Fields table: one row per mapped field (local field, partner field among the compatible ones, direction,
 * conflict policy, and for option kinds a nested value map), what is wrong with each row in words, and "Add a
 * field" for local fields not mapped yet.
 */
import { Fragment, useState } from 'react';
import Button from '@atlaskit/button/new';
import type { MappingCatalog, MappingProblem } from '../../../../src/contract';
import type { ConflictPolicy, ConnectionMapping, FieldDirection, FieldMap } from '../../../../src/model/mapping';
import { addRow, setRow } from './edit';
import { compatibleFields, rowWarnings, VALUE_KINDS, valuesOf } from './fieldRows';
import { ValueMap } from './ValueMap';

const DIRECTIONS: Array<{ value: FieldDirection; label: string }> = [
  { value: 'both', label: 'Both ways' },
  { value: 'to-partner', label: 'To partner only' },
  { value: 'from-partner', label: 'From partner only' },
  { value: 'off', label: 'Off' },
];

/** A field's own conflict policy in words (`FieldMap.policy`); no entry = the connection's default. */
export const FIELD_POLICIES: Array<{ value: ConflictPolicy; label: string }> = [
  { value: 'local-wins', label: 'Local wins' },
  { value: 'partner-wins', label: 'Partner wins' },
  { value: 'newest-wins', label: 'Newest wins' },
  { value: 'manual', label: 'Ask a person' },
];
const policyWords = (p: ConflictPolicy) => FIELD_POLICIES.find((x) => x.value === p)?.label ?? p;

/**
 * Props: the catalogs, the mapping as edited, the connection's conflict policy (what a row without its own
 * policy follows), the problems `checkMapping` found, and the edit handler.
 */
export interface FieldsSectionProps {
  catalog: MappingCatalog;
  defaultPolicy: ConflictPolicy;
  mapping: ConnectionMapping;
  problems: MappingProblem[];
  onChange: (mapping: ConnectionMapping) => void;
}

/** The Fields table and the Add a field select. */
export function FieldsSection({ catalog, mapping, defaultPolicy, problems, onChange }: FieldsSectionProps) {
  const [open, setOpen] = useState<number | null>(null);
  const { local, partner } = catalog;
  const unmapped = local.fields.filter((f) => f.kind && !mapping.fields.some((r) => r.local === f.id));
  const patch = (i: number, p: Partial<FieldMap>) => onChange(setRow(mapping, i, p));
  const add = (id: string) => {
    const f = local.fields.find((x) => x.id === id);
    if (!f?.kind) return;
    const same = compatibleFields(partner, f.kind).find((p) => p.name === f.name) ?? compatibleFields(partner, f.kind)[0];
    onChange(addRow(mapping, { local: f.id, partner: same?.id ?? f.id, kind: f.kind, direction: 'both', name: { local: f.name, partner: same?.name ?? f.name } }));
  };

  return (
    <div className="ts-stack">
      <table className="ts-table ts-fields" aria-label="Fields">
        <thead>
          <tr>
            <th>{local.projectKey} field</th>
            <th>{partner.projectKey} field</th>
            <th>Direction</th>
            <th>On conflict</th>
            <th>Values</th>
          </tr>
        </thead>
        <tbody>
          {mapping.fields.map((row, i) => {
            const words = [...rowWarnings(row, partner), ...problems.filter((p) => p.row === i).map((p) => p.message)];
            const hasValues = VALUE_KINDS.has(row.kind);
            return (
              <Fragment key={`${row.local}-${i}`}>
                <tr className={words.length ? 'ts-row--problem' : undefined} data-field={row.local}>
                  <td>
                    <label htmlFor={`partner-${i}`}>{row.name.local}</label>
                    {words.map((w) => (
                      <div key={w} className="ts-row-problem" role="note">{w}</div>
                    ))}
                  </td>
                  <td>
                    <select id={`partner-${i}`} aria-label={`${row.name.local} on ${partner.projectKey}`} className="ts-select" value={row.partner}
                      onChange={(e) => {
                        const f = partner.fields.find((x) => x.id === e.currentTarget.value);
                        patch(i, { partner: e.currentTarget.value, name: { local: row.name.local, partner: f?.name ?? e.currentTarget.value }, values: undefined });
                      }}>
                      {!partner.fields.some((f) => f.id === row.partner) && <option value={row.partner}>{row.name.partner} (missing)</option>}
                      {compatibleFields(partner, row.kind).map((f) => (
                        <option key={f.id} value={f.id}>{f.name}{f.onScreen ? '' : ' (not on screen)'}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select aria-label={`Direction of ${row.name.local}`} className="ts-select" value={row.direction}
                      onChange={(e) => patch(i, { direction: e.currentTarget.value as FieldDirection })}>
                      {DIRECTIONS.map((d) => <option key={d.value} value={d.value}>{d.label}</option>)}
                    </select>
                  </td>
                  <td>
                    <select aria-label={`Conflict policy of ${row.name.local}`} className="ts-select" value={row.policy ?? ''}
                      onChange={(e) => patch(i, { policy: (e.currentTarget.value || undefined) as ConflictPolicy | undefined })}>
                      <option value="">Connection default ({policyWords(defaultPolicy)})</option>
                      {FIELD_POLICIES.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
                    </select>
                  </td>
                  <td>
                    {hasValues && (
                      <Button appearance="subtle" onClick={() => setOpen(open === i ? null : i)} aria-expanded={open === i}>
                        {open === i ? 'Hide values' : 'Edit values'}
                      </Button>
                    )}
                  </td>
                </tr>
                {hasValues && open === i && (
                  <tr>
                    <td colSpan={5}>
                      <ValueMap row={row} local={{ projectKey: local.projectKey, values: valuesOf(local, row.local, row.kind) }}
                        partner={{ projectKey: partner.projectKey, values: valuesOf(partner, row.partner, row.kind) }}
                        onChange={(values) => patch(i, { values })} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {unmapped.length > 0 && (
        <label className="ts-row">
          Add a field{' '}
          <select className="ts-select ts-select--inline" value="" aria-label="Add a field" onChange={(e) => add(e.currentTarget.value)}>
            <option value="">Choose a {local.projectKey} field…</option>
            {unmapped.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </label>
      )}
    </div>
  );
}
