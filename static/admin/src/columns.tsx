/**
 * Cells of the admin page's table: what each column shows for one connection (see README → Health). States are
 * lozenges with words, never colour alone; each state's reason is read inline by screen readers and shown as a
 * note on hover or keyboard focus.
 */
import Lozenge from '@atlaskit/lozenge';
import { HoverNote } from '../../glance/src/HoverNote';
import type { SiteConnection } from '../../../src/contract';
import { absoluteTime, relativeTime } from '../../shared/time';

type Appearance = 'success' | 'removed' | 'moved' | 'default';
const TOKEN: Record<SiteConnection['token']['state'], [Appearance, string]> = {
  valid: ['success', 'Valid'],
  invalid: ['removed', 'Invalid'],
  missing: ['removed', 'Missing'],
  unknown: ['default', 'Not checked'],
};
const WEBHOOK: Record<SiteConnection['webhook']['state'], [Appearance, string]> = {
  registered: ['success', 'Registered'],
  missing: ['removed', 'Missing'],
  'not-registered': ['moved', 'Not registered'],
  unknown: ['default', 'Not checked'],
};

/** A state lozenge with its explanation as tooltip and as visually hidden text (screen readers read it inline). */
function State({ map, state, message, testId }: { map: Record<string, [Appearance, string]>; state: string; message: string; testId: string }) {
  const [appearance, label] = map[state];
  return (
    <HoverNote content={message}>
      {(trigger) => (
        <span tabIndex={0} data-testid={testId} className="ts-admin-state" {...trigger}>
          <Lozenge appearance={appearance}>{label}</Lozenge>
          <span className="ts-visually-hidden"> {message}</span>
        </span>
      )}
    </HoverNote>
  );
}

/** The column headings (in order) and the cells of one row, without the actions column. */
export const COLUMNS = ['Project', 'Partner', 'Links', 'Failing', 'Conflicts waiting', 'Last sync', 'Webhook', 'Token', '429s 24 h / 7 d'] as const;

export function cellsOf(c: SiteConnection) {
  return [
    { key: 'project', content: <strong>{c.projectKey}</strong> },
    { key: 'partner', content: <span className="ts-nowrap">{c.label}</span> },
    { key: 'links', content: c.links },
    { key: 'failing', content: c.failing ? <Lozenge appearance="removed">{c.failing}</Lozenge> : 0 },
    { key: 'conflicts', content: c.conflictsWaiting ? <Lozenge appearance="moved">{c.conflictsWaiting}</Lozenge> : 0 },
    { key: 'last', content: c.lastSyncAt ? <span title={absoluteTime(c.lastSyncAt)}>{relativeTime(c.lastSyncAt)}</span> : 'Never' },
    { key: 'webhook', content: <State map={WEBHOOK} state={c.webhook.state} message={c.webhook.message} testId={`webhook-${c.connectionId}`} /> },
    { key: 'token', content: <State map={TOKEN} state={c.token.state} message={c.token.message} testId={`token-${c.connectionId}`} /> },
    { key: 'rate', content: `${c.rateLimitHits.day} / ${c.rateLimitHits.week}` },
  ];
}
