/**
 * What the panel shows once an issue is linked: the partner key as a link, when it last synced, the link's state
 * (and "Paused" while a person has paused it), and the last error in words.
 */
import { router } from '@forge/bridge';
import Lozenge from '@atlaskit/lozenge';
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import type { LinkView } from '../../../src/contract';
import { useNow } from '../../shared/hooks';
import { absoluteTime, relativeTime } from '../../shared/time';

type Appearance = 'success' | 'removed' | 'moved' | 'default';
const STATE: Record<LinkView['state'], { text: string; appearance: Appearance }> = {
  ok: { text: 'In sync', appearance: 'success' },
  failed: { text: 'Sync failed', appearance: 'removed' },
  conflicted: { text: 'Conflict', appearance: 'moved' },
  broken: { text: 'Link broken', appearance: 'removed' },
};

/** Details of one link; the partner key opens the partner issue in a new tab (`router.open`). */
export function LinkDetails({ link }: { link: LinkView }) {
  const now = useNow();
  const state = STATE[link.state];
  return (
    <div className="ts-stack ts-link">
      <div className="ts-row">
        <span>Partner issue</span>
        <a
          href={link.partnerIssueUrl}
          className="ts-partner-key"
          onClick={(e) => {
            e.preventDefault();
            void router.open(link.partnerIssueUrl);
          }}
        >
          {link.partnerIssueKey}
        </a>
        {/* "In sync" would be a promise a paused link cannot keep; any other state still matters while paused. */}
        {!(link.paused && link.state === 'ok') && <Lozenge appearance={state.appearance}>{state.text}</Lozenge>}
        {link.paused && <Lozenge appearance="moved">Paused</Lozenge>}
      </div>
      {link.paused && <span>Edits wait until you resume.</span>}
      <span className="ts-muted" title={link.lastSyncAt ? absoluteTime(link.lastSyncAt) : undefined}>
        {link.lastSyncAt ? `Last synced ${relativeTime(link.lastSyncAt, now)}` : 'Not synced yet'}
      </span>
      {link.lastError && (
        <SectionMessage appearance={link.state === 'conflicted' ? 'warning' : 'error'} title="Last sync problem">
          <p>{link.lastError}</p>
        </SectionMessage>
      )}
    </div>
  );
}
