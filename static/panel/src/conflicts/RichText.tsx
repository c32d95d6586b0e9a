/**
 * Lazy doors to `./rich.tsx` (the ADF renderer and editor): the chunk with the document schema is fetched the
 * first time a paragraph conflict is shown, never on the panel's first load. Until it arrives the value's plain
 * words show (the server's `text`), so nothing jumps from empty to full.
 * @see https://react.dev/reference/react/lazy
 */
import { lazy, Suspense } from 'react';
import Spinner from '@atlaskit/spinner';
import type { AdfEditorProps, AdfViewProps } from './rich';

const LazyView = lazy(() => import('./rich.js').then((m) => ({ default: m.AdfView })));
const LazyEditor = lazy(() => import('./rich.js').then((m) => ({ default: m.AdfEditor })));

/** The document rendered; its plain text while the renderer loads. */
export function RichView(props: AdfViewProps) {
  return (
    <Suspense fallback={<div className="ts-conflict-plain">{props.fallbackText}</div>}>
      <LazyView {...props} />
    </Suspense>
  );
}

/** The document in an editor; a spinner while the editor loads. */
export function RichEditor(props: AdfEditorProps) {
  return (
    <Suspense fallback={<Spinner size="small" label="Loading the editor" />}>
      <LazyEditor {...props} />
    </Suspense>
  );
}
