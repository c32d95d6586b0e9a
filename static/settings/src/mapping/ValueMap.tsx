/**
 * The value map of an option or by-name field (select, multi-select, checkbox, radio, components, versions): each
 * local value → a partner value, and each partner value → the local value it comes back as. A value without an
 * entry has no counterpart and is not written.
 */
import type { FieldMap } from '../../../../src/model/mapping';
import { setEntry } from './edit';
import { PairSection } from './PairSection';

/** Props: the row, both sites' values and project keys, and the row's new `values` on each change. */
export interface ValueMapProps {
  row: FieldMap;
  local: { projectKey: string; values: string[] };
  partner: { projectKey: string; values: string[] };
  onChange: (values: NonNullable<FieldMap['values']>) => void;
}

/** Both ways of one field's values, as a nested {@link PairSection}. */
export function ValueMap(p: ValueMapProps) {
  const items = (values: string[]) => values.map((v) => ({ id: v, name: v }));
  return (
    <div className="ts-value-map">
      <PairSection
        noun={`${p.row.name.local} values`}
        local={{ projectKey: p.local.projectKey, items: items(p.local.values) }}
        partner={{ projectKey: p.partner.projectKey, items: items(p.partner.values) }}
        pair={p.row.values ?? { toPartner: {}, toLocal: {} }}
        onChange={(way, from, to) => p.onChange(setEntry(p.row.values, way, from, to))}
      />
    </div>
  );
}
