/**
 * One sync-log entry in an Atlaskit modal: both issues as links, each field's before → after, who made the change
 * on which site, the timings (event received, job start and end, with the time taken), and for failures the cause
 * and what to do. Escape or Close returns focus to the row's button.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import type { SyncLogEntry } from '../../../../src/contract';
import { absoluteTime } from '../../../shared/time';
import { IssueLink } from '../WaitingConflicts';
import { DIRECTION, OUTCOME, TRIGGER } from './labels';

const ms = (a?: string, b?: string) => (a && b ? `${Math.max(0, Date.parse(b) - Date.parse(a))} ms` : '');

/**
 * The message without the cause it begins with (a failure's message is its cause plus what the app does next), so
 * the cause is read once, under Cause.
 */
function happened(entry: SyncLogEntry): string {
  const rest = entry.cause && entry.message.startsWith(entry.cause) ? entry.message.slice(entry.cause.length).trim() : '';
  return rest || entry.message;
}

/** The detail view of `entry`, or nothing when it is null. */
export function LogDetail({ entry, partnerUrl, onClose }: { entry: SyncLogEntry | null; partnerUrl?: string; onClose: () => void }) {
  return (
    <ModalTransition>
      {entry && (
        <Modal onClose={onClose} width="large" label="Sync log entry">
          <ModalHeader>
            <ModalTitle>
              {TRIGGER[entry.trigger]} · <Lozenge appearance={OUTCOME[entry.outcome]}>{entry.outcome}</Lozenge>
            </ModalTitle>
          </ModalHeader>
          <ModalBody>
            <dl className="ts-detail">
              <dt>Time</dt>
              <dd>{absoluteTime(entry.at)}</dd>
              <dt>Issues</dt>
              <dd>
                {entry.localIssueKey ? <IssueLink issueKey={entry.localIssueKey} url={`/browse/${entry.localIssueKey}`} sameTab /> : '—'} ↔{' '}
                {entry.partnerIssueKey && partnerUrl ? <IssueLink issueKey={entry.partnerIssueKey} url={`${partnerUrl}/browse/${entry.partnerIssueKey}`} sameTab={false} /> : (entry.partnerIssueKey ?? '—')}
              </dd>
              <dt>Direction</dt>
              <dd>{DIRECTION[entry.direction]}</dd>
              <dt>Who</dt>
              <dd>{entry.actor ? `${entry.actor.displayName ?? entry.actor.accountId} on the ${entry.actor.site} site` : 'Not known (started by the app, or by an earlier version)'}</dd>
              <dt>Timings</dt>
              <dd>
                {entry.timings ? (
                  <>
                    {entry.timings.receivedAt && <>Event received {absoluteTime(entry.timings.receivedAt)}; </>}
                    {entry.timings.startedAt && <>job started {absoluteTime(entry.timings.startedAt)}{entry.timings.receivedAt ? ` (after ${ms(entry.timings.receivedAt, entry.timings.startedAt)})` : ''}; </>}
                    {entry.timings.endedAt && <>ended {absoluteTime(entry.timings.endedAt)} ({ms(entry.timings.startedAt, entry.timings.endedAt)})</>}
                  </>
                ) : (
                  'Not recorded'
                )}
              </dd>
              <dt>What happened</dt>
              <dd>{happened(entry)}</dd>
              {entry.cause && (
                <>
                  <dt>Cause</dt>
                  <dd>{entry.cause}</dd>
                  <dt>What to do</dt>
                  <dd>{entry.advice}</dd>
                </>
              )}
            </dl>
            {entry.changes?.length ? (
              <table className="ts-detail-changes">
                <caption>Fields written</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Written on</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {entry.changes.map((c) => (
                    <tr key={`${c.field}-${c.to}`}>
                      <th scope="row">{c.name}</th>
                      <td>{c.to === 'local' ? 'this site' : 'partner'}</td>
                      <td>{c.before}</td>
                      <td>{c.after}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </ModalBody>
          <ModalFooter>
            <Button appearance="primary" onClick={onClose} autoFocus>
              Close
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </ModalTransition>
  );
}
