/**
 * The Users map (accountId ↔ accountId, shown by display name): email matches come pre-filled by the defaults;
 * same-display-name pairs are only suggestions, each with Accept, never applied by themselves.
 */
import Button from '@atlaskit/button/new';
import type { MappingCatalog } from '../../../../src/contract';
import type { ConnectionMapping } from '../../../../src/model/mapping';
import { setEntry, setPair } from './edit';
import { PairSection } from './PairSection';

/** Props: the catalogs (users, suggestions), the mapping as edited, and the edit handler. */
export interface UsersSectionProps {
  catalog: MappingCatalog;
  mapping: ConnectionMapping;
  onChange: (mapping: ConnectionMapping) => void;
}

const usersOf = (users: MappingCatalog['local']['users']) =>
  users.map((u) => ({ id: u.accountId, name: u.email ? `${u.displayName} (${u.email})` : u.displayName }));

/** Suggestions (with Accept) above both ways of the users map. */
export function UsersSection({ catalog, mapping, onChange }: UsersSectionProps) {
  const nameOf = (users: MappingCatalog['local']['users'], id: string) => users.find((u) => u.accountId === id)?.displayName ?? id;
  const open = catalog.userSuggestions.filter((s) => mapping.users.toPartner[s.local] !== s.partner || mapping.users.toLocal[s.partner] !== s.local);
  const accept = (local: string, partner: string) =>
    onChange({ ...mapping, users: setEntry(setEntry(mapping.users, 'toPartner', local, partner), 'toLocal', partner, local) });
  return (
    <div className="ts-stack">
      {open.length > 0 && (
        <ul className="ts-suggestions" aria-label="Suggested user matches">
          {open.map((s) => (
            <li key={`${s.local}-${s.partner}`} className="ts-row">
              <span>
                Suggested: <strong>{nameOf(catalog.local.users, s.local)}</strong> ↔ <strong>{nameOf(catalog.partner.users, s.partner)}</strong>{' '}
                <span className="ts-muted">({s.reason})</span>
              </span>
              <Button onClick={() => accept(s.local, s.partner)} aria-label={`Accept ${nameOf(catalog.local.users, s.local)}`}>Accept</Button>
            </li>
          ))}
        </ul>
      )}
      <PairSection
        noun="users"
        local={{ projectKey: catalog.local.projectKey, items: usersOf(catalog.local.users) }}
        partner={{ projectKey: catalog.partner.projectKey, items: usersOf(catalog.partner.users) }}
        pair={mapping.users}
        onChange={(way, from, to) => onChange(setPair(mapping, 'users', way, from, to))}
      />
    </div>
  );
}
