/**
 * Both ways of one connection-wide map (issue types, statuses, priorities, users): local → partner, then
 * partner → local ("Partner Done comes back as …"), so a many-to-one choice always names its way back.
 */
import type { IdMapPair } from '../../../../src/model/mapping';
import type { Way } from './edit';
import { PairTable, type Item } from './PairTable';

/** Props: what is mapped (`statuses`), both sites' items and project keys, the pair, and the edit handler. */
export interface PairSectionProps {
  noun: string;
  local: { projectKey: string; items: Item[] };
  partner: { projectKey: string; items: Item[] };
  pair: IdMapPair;
  onChange: (way: Way, from: string, to: string) => void;
}

/** Two {@link PairTable}s, one per way. */
export function PairSection(p: PairSectionProps) {
  const l = p.local.projectKey;
  const r = p.partner.projectKey;
  return (
    <div className="ts-stack">
      <h3 className="ts-map-heading">
        {l} → {r}
      </h3>
      <PairTable
        label={`${p.noun} from ${l} to ${r}`}
        headers={[`${l} ${p.noun}`, `Becomes on ${r}`]}
        rows={p.local.items}
        choices={p.partner.items}
        pair={p.pair}
        way="toPartner"
        onChange={(from, to) => p.onChange('toPartner', from, to)}
      />
      <h3 className="ts-map-heading">
        {r} → {l}
      </h3>
      <PairTable
        label={`${p.noun} from ${r} to ${l}`}
        headers={[`${r} ${p.noun}`, `Comes back on ${l} as`]}
        rows={p.partner.items}
        choices={p.local.items}
        pair={p.pair}
        way="toLocal"
        rowLabel={(row) => `Partner ${row.name} comes back as`}
        onChange={(from, to) => p.onChange('toLocal', from, to)}
      />
    </div>
  );
}
