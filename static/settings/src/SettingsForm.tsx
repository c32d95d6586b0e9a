/**
 * The Settings tab: partner URL, email, API token (write-only), partner project and conflict policy, with
 * Test connection and Save. Fields are validated with the contract's schema before anything is sent; resolver
 * errors are shown as the resolver wrote them.
 */
import { useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import { Label } from '@atlaskit/form/label';
import { ErrorMessage } from '@atlaskit/form/error-message';
import { HelperMessage } from '@atlaskit/form/helper-message';
import type { ConnectionReport, ResolverError, SettingsView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { ConnectionSteps } from './ConnectionSteps';
import { POLICY_OPTIONS, policyOption } from './policies';
import { SavedState } from './SavedState';
import { validate, type FieldErrors, type FormValues } from './validation';
import { WorklogSettings } from './WorklogSettings'; // worklogs

const EMPTY: FormValues = { partnerUrl: '', email: '', apiToken: '', partnerProjectKey: '', conflictPolicy: 'newest-wins', mirrorRoleRestrictedComments: false, offerJql: '', worklogs: { enabled: true, adjustEstimate: 'leave' } };

function valuesOf(view: SettingsView): FormValues {
  return {
    partnerUrl: view.partnerUrl ?? '',
    email: view.email ?? '',
    apiToken: '',
    partnerProjectKey: view.partnerProjectKey ?? '',
    conflictPolicy: view.conflictPolicy,
    mirrorRoleRestrictedComments: view.mirrorRoleRestrictedComments,
    offerJql: view.offerJql,
    worklogs: view.worklogs, // worklogs
  };
}

/** Props: the connection edited (null: a new one, the form empty), told when a save succeeded, and Back. */
export interface SettingsFormProps {
  connection: SettingsView | null;
  onSaved: (view: SettingsView) => void;
  onBack: () => void;
}

/** Settings form for one connection of the project in the Forge context (the resolver knows which project). */
export function SettingsForm({ connection, onSaved, onBack }: SettingsFormProps) {
  const [saved, setSaved] = useState<SettingsView | null>(connection);
  const [values, setValues] = useState<FormValues>(connection ? valuesOf(connection) : EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [notice, setNotice] = useState<{ ok: true } | { ok: false; error: ResolverError } | null>(null);

  const set = (field: keyof FormValues) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const run = async (action: 'test' | 'save') => {
    // Each run replaces what the last one said: an old failure (a banner or a failed Test connection) never
    // lingers beside a new outcome, and one error is shown once.
    setNotice(null);
    setReport(null);
    const checked = validate(values, saved?.apiTokenSet ?? false);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(action);
    try {
      if (action === 'test') {
        const res = await callResolver('testConnection', { ...checked.payload, connectionId: saved?.id });
        if (res.ok) setReport(res.data);
        else setNotice(res);
      } else {
        const res = await callResolver('saveConnection', { ...checked.payload, connectionId: saved?.id });
        if (res.ok) {
          setSaved(res.data);
          setValues(valuesOf(res.data));
          onSaved(res.data);
          setNotice({ ok: true });
        } else setNotice(res);
      }
    } finally {
      setBusy(null);
    }
  };

  const tokenHint = saved?.apiTokenSet ? 'Set — leave empty to keep' : 'Not set';
  const policy = policyOption(values.conflictPolicy);

  return (
    <form
      className="ts-stack ts-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run('save');
      }}
    >
      <SavedState view={saved} />
      <Field id="partnerUrl" label="Partner site URL" error={errors.partnerUrl} help="e.g. https://partner.atlassian.net">
        <Textfield id="partnerUrl" name="partnerUrl" value={values.partnerUrl} isInvalid={!!errors.partnerUrl}
          onChange={(e) => set('partnerUrl')(e.currentTarget.value)} autoComplete="url" />
      </Field>
      <Field id="email" label="Partner account email" error={errors.email}>
        <Textfield id="email" name="email" value={values.email} isInvalid={!!errors.email}
          onChange={(e) => set('email')(e.currentTarget.value)} autoComplete="email" />
      </Field>
      <Field id="apiToken" label="Partner API token" error={errors.apiToken} help={`${tokenHint}. Stored as a secret; never shown again.`}>
        <Textfield id="apiToken" name="apiToken" type="password" value={values.apiToken} placeholder={tokenHint}
          isInvalid={!!errors.apiToken} onChange={(e) => set('apiToken')(e.currentTarget.value)} autoComplete="new-password" />
      </Field>
      <Field id="partnerProjectKey" label="Partner project key" error={errors.partnerProjectKey} help="The project on the partner site that receives the copies, e.g. PARTNER">
        <Textfield id="partnerProjectKey" name="partnerProjectKey" value={values.partnerProjectKey}
          isInvalid={!!errors.partnerProjectKey} onChange={(e) => set('partnerProjectKey')(e.currentTarget.value.toUpperCase())} />
      </Field>
      <Field id="conflictPolicy" label="When both sites changed the same field" error={errors.conflictPolicy} help={policy.explanation}>
        {/* A native select: four fixed options do not need react-select's ~40 KB gzip; the explanation follows it. */}
        <select id="conflictPolicy" name="conflictPolicy" className="ts-select" value={values.conflictPolicy}
          onChange={(e) => set('conflictPolicy')(e.currentTarget.value)}>
          {POLICY_OPTIONS.map((o) => (
            <option key={o.value} value={o.value} title={o.explanation}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <Field id="mirrorRoleRestrictedComments" label="Restricted comments" help="Comments restricted to a group never leave this site. Turn this on to copy comments restricted to a project role that both sites have (same name), keeping the restriction.">
        <label className="ts-muted">
          <input id="mirrorRoleRestrictedComments" name="mirrorRoleRestrictedComments" type="checkbox" checked={values.mirrorRoleRestrictedComments}
            onChange={(e) => { const on = e.currentTarget.checked; setValues((v) => ({ ...v, mirrorRoleRestrictedComments: on })); }} />{' '}
          Mirror comments restricted to a project role
        </label>
      </Field>
      {/* field area: issue 10 §5 */}
      <Field id="offerJql" label="Offer sync for new issues matching (JQL)" error={errors.offerJql} help="e.g. labels = partner. New issues that match open the Task sync panel and the Partner sync field with the question already asked; nothing syncs until someone confirms. Leave empty for no offer.">
        <Textfield id="offerJql" name="offerJql" value={values.offerJql} isInvalid={!!errors.offerJql} onChange={(e) => set('offerJql')(e.currentTarget.value)} />
      </Field>
      <WorklogSettings value={values.worklogs} disabled={busy !== null} onChange={(worklogs) => setValues((v) => ({ ...v, worklogs }))} /> {/* worklogs */}
      <div className="ts-row">
        <Button type="submit" appearance="primary" isDisabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : 'Save'}
        </Button>
        <Button onClick={() => void run('test')} isDisabled={busy !== null}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </Button>
        <Button appearance="subtle" onClick={onBack} isDisabled={busy !== null}>
          Back to connections
        </Button>
      </div>
      {report && <ConnectionSteps report={report} />}
      {notice?.ok && (
        <SectionMessage appearance="success" title="Settings saved">
          <p>{saved?.webhookRegistered ? 'Webhook registered on partner.' : 'The partner webhook is not registered yet.'}</p>
        </SectionMessage>
      )}
      {notice && !notice.ok && <ErrorNote error={notice.error} />}
    </form>
  );
}

/** A labelled form field with its helper text or, when invalid, its error next to it. */
function Field(p: { id: string; label: string; error?: string; help?: string; children: ReactNode }) {
  return (
    <div className="ts-field">
      <Label htmlFor={p.id}>{p.label}</Label>
      {p.children}
      {p.error ? <ErrorMessage>{p.error}</ErrorMessage> : p.help ? <HelperMessage>{p.help}</HelperMessage> : null}
    </div>
  );
}
