/**
 * link types (issue 12): the mapping editor's Link types tab. Each local issue link type (from the local site's
 * `GET /rest/api/3/issueLinkType`, through `getLinkTypes`) has a select of the partner's link types, defaulting to
 * the one of the same name, or "Not mirrored". Links come back the same way (the map is one-to-one: see
 * `src/model/link-types.ts`); a choice that breaks that is flagged here and refused by Save.
 */
import { useEffect, useState } from 'react';
import Spinner from '@atlaskit/spinner';
import type { ResolverError } from '../../../../src/contract';
import { linkTypeMapProblems, linkTypesByName, withLinkType, type LinkTypesView } from '../../../../src/contract/link-types';
import type { ConnectionMapping } from '../../../../src/model/mapping';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';
import { SectionMessage } from '../../../shared/Message'; // pages: loaded on demand
import { PairTable } from './PairTable';

/** Props: the connection whose mapping is edited, the mapping as edited, and the edit handler. */
export interface LinkTypesSectionProps {
  connectionId: string;
  mapping: ConnectionMapping;
  onChange: (mapping: ConnectionMapping) => void;
}

/** Loads both sites' link types, then the table (local type → partner type). */
export function LinkTypesSection({ connectionId, mapping, onChange }: LinkTypesSectionProps) {
  const [view, setView] = useState<LinkTypesView | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  useEffect(() => {
    void callResolver('getLinkTypes', { connectionId }).then((res) => (res.ok ? setView(res.data) : setError(res.error)));
  }, [connectionId]);

  if (!view) return error ? <ErrorNote error={error} title="The link types could not be loaded" /> : <Spinner label="Loading link types" />;
  const l = view.local.projectKey;
  const r = view.partner.projectKey;
  // Unsaved (or reset to defaults): the sync matches by name, so that is what the table starts from.
  const pair = mapping.linkTypes ?? linkTypesByName(view.local.types, view.partner.types);
  const problems = linkTypeMapProblems(pair, view.local.types, view.partner.types, { local: l, partner: r });
  const notBack = view.partner.types.filter((t) => !pair.toLocal[t.id]).map((t) => t.name);
  const items = (types: LinkTypesView['local']['types']) => types.map((t) => ({ id: t.id, name: t.name }));
  return (
    <div className="ts-stack">
      <p className="ts-muted">
        A link between two synced issues is mirrored with the link type chosen here, in the same direction, and a link
        made on {r} comes back as the {l} link type mirrored as it.
        {!mapping.linkTypes && ` Until you change one, each link type is mirrored as the ${r} link type of the same name.`}
      </p>
      {problems.length > 0 && (
        <SectionMessage appearance="error" title="These link types cannot be saved">
          <ul className="ts-problems" aria-label="Link type problems">
            {problems.map((p) => <li key={p}>{p}</li>)}
          </ul>
        </SectionMessage>
      )}
      <PairTable
        label={`Link types from ${l} to ${r}`}
        headers={[`${l} link type`, `Mirrored on ${r} as`]}
        rows={items(view.local.types)}
        choices={items(view.partner.types)}
        pair={pair}
        way="toPartner"
        none="Not mirrored"
        onChange={(from, to) => onChange({ ...mapping, linkTypes: withLinkType(pair, from, to) })}
      />
      <p className="ts-muted" role="status">
        {notBack.length ? `${r} links of type ${notBack.join(', ')} are not mirrored to ${l}.` : `Every ${r} link type comes back to ${l}.`}
      </p>
    </div>
  );
}
