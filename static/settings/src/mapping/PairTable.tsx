/**
 * One way of an id map as a table: a row per item of one site (a status, an issue type, a priority, a user), each
 * with a select of the other site's items, or "No counterpart". Many rows may choose the same item (many-to-one);
 * the reverse table says which one comes back.
 */
import type { IdMapPair } from '../../../../src/model/mapping';
import type { Way } from './edit';

/** An item of a site as a row or an option: its Jira id and its name in words. */
export interface Item {
  id: string;
  name: string;
}

/** Props: the items listed as rows, the items offered, which way of `pair` is edited, and the row's words. */
export interface PairTableProps {
  label: string;
  rows: Item[];
  choices: Item[];
  pair: IdMapPair | undefined;
  way: Way;
  /** Header of the two columns, e.g. `['ALOY status', 'PARTNER status']`. */
  headers: [string, string];
  /** The words before the select, e.g. `Partner Done comes back as`; the row's name when absent. */
  rowLabel?: (row: Item) => string;
  /** What "no choice" means here, e.g. "Not synced". */
  none?: string;
  onChange: (from: string, to: string) => void;
}

/** A two-column table: row item → select of the other site's items. */
export function PairTable(p: PairTableProps) {
  const map = p.pair?.[p.way] ?? {};
  return (
    <table className="ts-table ts-map-table" aria-label={p.label}>
      <thead>
        <tr>
          <th>{p.headers[0]}</th>
          <th>{p.headers[1]}</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((row) => {
          const id = `${p.label}-${row.id}`.replace(/[^a-zA-Z0-9_-]/g, '_');
          return (
            <tr key={row.id}>
              <td>
                <label htmlFor={id}>{p.rowLabel ? p.rowLabel(row) : row.name}</label>
              </td>
              <td>
                <select id={id} className="ts-select" value={map[row.id] ?? ''} onChange={(e) => p.onChange(row.id, e.currentTarget.value)}>
                  <option value="">{p.none ?? 'No counterpart'}</option>
                  {p.choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                  {map[row.id] && !p.choices.some((c) => c.id === map[row.id]) && <option value={map[row.id]}>Unknown ({map[row.id]})</option>}
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
