/**
 * The confirmation shown before the partner issue is created: it names the issue, the partner site and project,
 * so nobody copies an issue to another company's Jira by accident.
 */
import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import type { ResolverError } from '../../../src/contract';
import { ErrorNote } from '../../shared/ErrorNote';

/** Props of {@link ConfirmDialog}. `isBusy` disables "Start syncing" while `enableSync` runs. */
export interface ConfirmDialogProps {
  isOpen: boolean;
  issueKey: string;
  partnerHost: string;
  partnerProjectKey: string;
  isBusy: boolean;
  error: ResolverError | null;
  onCancel: () => void;
  onConfirm: () => void;
}

/** "Create a copy of ISSUE-1 in <partner site> project <KEY> and keep both in sync?" with Cancel / Start syncing. */
export function ConfirmDialog(p: ConfirmDialogProps) {
  return (
    <ModalTransition>
      {p.isOpen && (
        <Modal onClose={p.onCancel} width="small" shouldCloseOnOverlayClick={!p.isBusy}>
          <ModalHeader hasCloseButton={false}>
            <ModalTitle>Sync with {p.partnerHost}?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <p>
              Create a copy of <strong>{p.issueKey}</strong> in <strong>{p.partnerHost}</strong> project{' '}
              <strong>{p.partnerProjectKey}</strong> and keep both in sync?
            </p>
            {p.error && <ErrorNote error={p.error} title="Sync was not started" />}
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={p.onCancel} isDisabled={p.isBusy}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={p.onConfirm} isDisabled={p.isBusy} autoFocus>
              {p.isBusy ? 'Starting…' : 'Start syncing'}
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </ModalTransition>
  );
}
