/**
 * A connection's field mapping editor: both sites' catalogs (`getMappingCatalog`), tabs for Fields, Issue types,
 * Statuses, Priorities, Users, Link types and Preview, the problems found (catalog, then `checkMapping` on every change,
 * debounced), Reset to defaults, and Save (`saveConnection` with the connection's other settings unchanged).
 */
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { SectionMessage } from '../../../shared/Message'; // pages: loaded on demand
import Spinner from '@atlaskit/spinner';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import type { MappingCatalog, MappingProblem, ResolverError, SettingsView } from '../../../../src/contract';
import type { ConnectionMapping } from '../../../../src/model/mapping';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';
import { setPair, type PairKey } from './edit';
import { FieldsSection } from './FieldsSection';
import { PairSection } from './PairSection';
import { PreviewPanel } from './PreviewPanel';
import { ProblemList } from './ProblemList';
import { UsersSection } from './UsersSection';
import { useMappingCheck } from './useMappingCheck';
import { LinkTypesSection } from './LinkTypesSection'; // link types

/** Props: the connection whose mapping is edited, and Back (to the connections list). */
export interface MappingEditorProps {
  connection: SettingsView;
  onBack: () => void;
}

/** Loads the catalog, then the editor; nothing is saved until Save. */
export function MappingEditor({ connection, onBack }: MappingEditorProps) {
  const [catalog, setCatalog] = useState<MappingCatalog | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const [mapping, setMapping] = useState<ConnectionMapping>(connection.mapping);
  const [edited, setEdited] = useState(false);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ ok: true } | { ok: false; error: ResolverError } | null>(null);
  const check = useMappingCheck(connection.id, mapping, edited);

  useEffect(() => {
    void callResolver('getMappingCatalog', { connectionId: connection.id }).then((res) => (res.ok ? setCatalog(res.data) : setError(res.error)));
  }, [connection.id]);

  const change = (next: ConnectionMapping) => {
    setMapping(next);
    setEdited(true);
    setNotice(null);
  };
  const save = async () => {
    setSaving(true);
    const c = connection;
    const res = await callResolver('saveConnection', {
      connectionId: c.id, partnerUrl: c.partnerUrl ?? '', email: c.email ?? '', partnerProjectKey: c.partnerProjectKey ?? '',
      conflictPolicy: c.conflictPolicy, mirrorRoleRestrictedComments: c.mirrorRoleRestrictedComments, mapping,
    });
    setSaving(false);
    if (res.ok) {
      setMapping(res.data.mapping);
      setEdited(false);
      setNotice({ ok: true });
    } else setNotice(res);
  };

  if (!catalog) return error ? <ErrorNote error={error} title="The field mapping could not be loaded" /> : <Spinner label="Loading field mapping" />;
  // Until the first edit the catalog's problems are about exactly this mapping; after it, the check's are.
  const problems: MappingProblem[] = edited ? check.problems : catalog.problems;
  const items = (list: Array<{ id: string; name: string }>) => list.map((x) => ({ id: x.id, name: x.name }));
  const pairSection = (key: PairKey, noun: string, local: Array<{ id: string; name: string }>, partner: Array<{ id: string; name: string }>) => (
    <PairSection noun={noun} pair={mapping[key]}
      local={{ projectKey: catalog.local.projectKey, items: items(local) }}
      partner={{ projectKey: catalog.partner.projectKey, items: items(partner) }}
      onChange={(way, from, to) => change(setPair(mapping, key, way, from, to))} />
  );

  return (
    <div className="ts-stack ts-mapping">
      <Heading size="medium" as="h2">Field mapping: {connection.label}</Heading>
      <p className="ts-muted">Changes apply from the next sync; history is not rewritten.</p>
      <ProblemList problems={problems} />
      {check.error && <ErrorNote error={check.error} title="The mapping could not be checked" />}
      <Tabs id="task-sync-mapping-tabs">
        <TabList>
          <Tab>Fields</Tab>
          <Tab>Issue types</Tab>
          <Tab>Statuses</Tab>
          <Tab>Priorities</Tab>
          <Tab>Users</Tab>
          <Tab>Link types</Tab>{/* link types */}
          <Tab>Preview</Tab>
        </TabList>
        <TabPanel><div className="ts-tab"><FieldsSection catalog={catalog} mapping={mapping} defaultPolicy={connection.conflictPolicy} problems={problems} onChange={change} /></div></TabPanel>
        <TabPanel><div className="ts-tab">{pairSection('issueTypes', 'issue types', catalog.local.issueTypes, catalog.partner.issueTypes)}</div></TabPanel>
        <TabPanel><div className="ts-tab">{pairSection('status', 'statuses', catalog.local.statuses, catalog.partner.statuses)}</div></TabPanel>
        <TabPanel><div className="ts-tab">{pairSection('priority', 'priorities', catalog.local.priorities, catalog.partner.priorities)}</div></TabPanel>
        <TabPanel><div className="ts-tab"><UsersSection catalog={catalog} mapping={mapping} onChange={change} /></div></TabPanel>
        <TabPanel><div className="ts-tab"><LinkTypesSection connectionId={connection.id} mapping={mapping} onChange={change} /></div></TabPanel>{/* link types */}
        <TabPanel><div className="ts-tab"><PreviewPanel connectionId={connection.id} catalog={catalog} mapping={mapping} /></div></TabPanel>
      </Tabs>
      <div className="ts-row">
        <Button appearance="primary" onClick={() => void save()} isDisabled={saving}>{saving ? 'Saving…' : 'Save mapping'}</Button>
        <Button onClick={() => change(catalog.defaults)} isDisabled={saving}>Reset to defaults</Button>
        <Button appearance="subtle" onClick={onBack} isDisabled={saving}>Back to connections</Button>
      </div>
      {edited && <p className="ts-muted" role="status">Unsaved changes.</p>}
      {notice?.ok && <SectionMessage appearance="success" title="Mapping saved"><p>Changes apply from the next sync; history is not rewritten.</p></SectionMessage>}
      {notice && !notice.ok && <ErrorNote error={notice.error} title="The mapping was not saved" />}
    </div>
  );
}
