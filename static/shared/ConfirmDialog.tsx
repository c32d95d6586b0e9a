/**
 * A confirmation dialog (the panel: before turning sync on (names the partner site and project) and before
 * unlinking; settings: before removing a connection). A shell that loads the modal (`./ConfirmModal.tsx`) the first time it opens, so
 * a page's first paint does not carry Atlaskit's modal dialog; once loaded it stays mounted, so closing keeps
 * the modal's exit transition.
 * @see https://react.dev/reference/react/lazy
 */
import { lazy, Suspense, useState } from 'react';
import Spinner from '@atlaskit/spinner';
import type { ConfirmDialogProps } from './ConfirmModal';

export type { ConfirmDialogProps } from './ConfirmModal';

const ConfirmModal = lazy(() => import('./ConfirmModal.js').then((m) => ({ default: m.ConfirmModal })));

/** A small modal: `title`, the question, the error if the last try failed, then Cancel / `confirmLabel`. */
export function ConfirmDialog(p: ConfirmDialogProps) {
  const [opened, setOpened] = useState(p.isOpen);
  if (p.isOpen && !opened) setOpened(true);
  if (!opened) return null;
  return (
    <Suspense fallback={<Spinner size="small" label="Opening" />}>
      <ConfirmModal {...p} />
    </Suspense>
  );
}
