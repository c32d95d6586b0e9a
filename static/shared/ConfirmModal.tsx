/**
 * The panel's confirmation dialog itself (Atlaskit's modal dialog): nothing is created on the partner site, and no
 * link is ended, without a person reading what will happen and saying yes. Loaded on demand by `./ConfirmDialog.tsx`
 * (the modal, its focus lock and scroll lock are ~25 KB gzip the panel does not need to paint).
 */
import type { ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import type { ResolverError } from '../../src/contract';
import { ErrorNote } from './ErrorNote';

/** Props of {@link ConfirmModal}. `isBusy` disables both buttons and shows `busyLabel` while the call runs. */
export interface ConfirmDialogProps {
  isOpen: boolean;
  title: string;
  /** The question, in full sentences naming what changes. */
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  confirmAppearance?: 'primary' | 'warning';
  isBusy: boolean;
  /** A failed call's error, shown under `errorTitle` in the dialog. */
  error: ResolverError | null;
  errorTitle: string;
  onCancel: () => void;
  onConfirm: () => void;
}

/** A small modal: `title`, the question, the error if the last try failed, then Cancel / `confirmLabel`. */
export function ConfirmModal(p: ConfirmDialogProps) {
  return (
    <ModalTransition>
      {p.isOpen && (
        <Modal onClose={p.onCancel} width="small" shouldCloseOnOverlayClick={!p.isBusy}>
          <ModalHeader hasCloseButton={false}>
            <ModalTitle>{p.title}</ModalTitle>
          </ModalHeader>
          <ModalBody>
            {p.children}
            {p.error && <ErrorNote error={p.error} title={p.errorTitle} />}
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={p.onCancel} isDisabled={p.isBusy}>
              Cancel
            </Button>
            <Button appearance={p.confirmAppearance ?? 'primary'} onClick={p.onConfirm} isDisabled={p.isBusy} autoFocus>
              {p.isBusy ? p.busyLabel : p.confirmLabel}
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </ModalTransition>
  );
}
