/**
 * What is saved for the project right now, including whether the partner webhook is registered.
 */
import Lozenge from '@atlaskit/lozenge';
import type { SettingsView } from '../../../src/contract';
import { policyOption } from './policies';

/** Summary of the saved settings (never the token, only whether one is set). */
export function SavedState({ view }: { view: SettingsView | null }) {
  if (!view?.configured) {
    return <p className="ts-muted">Not set up yet: fill in the partner details below, test the connection and save.</p>;
  }
  return (
    <dl className="ts-summary" aria-label="Saved settings">
      <dt>Partner site</dt>
      <dd>{view.partnerUrl}</dd>
      <dt>Partner project</dt>
      <dd>{view.partnerProjectKey}</dd>
      <dt>Signed in as</dt>
      <dd>{view.email}</dd>
      <dt>API token</dt>
      <dd>{view.apiTokenSet ? 'Set' : 'Not set'}</dd>
      <dt>Conflicts</dt>
      <dd>{policyOption(view.conflictPolicy).label}</dd>
      <dt>Webhook</dt>
      <dd>
        {view.webhookRegistered ? (
          <Lozenge appearance="success">Webhook registered on partner</Lozenge>
        ) : (
          <Lozenge appearance="removed">Webhook not registered on partner</Lozenge>
        )}
      </dd>
    </dl>
  );
}
