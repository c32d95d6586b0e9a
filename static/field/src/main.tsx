/**
 * Entry of the "Partner sync" custom field's resource (`jira:customField` `task-sync-field`, both its `view` and
 * its `edit`). Jira tells the frame which one it is and the field's value in the context's `extension` (the
 * module page's "Extension data"): `entryPoint` (`view` | `edit`), `renderContext` / `experience` (`issue-view`,
 * `issue-create`, `issue-transition`, …), `fieldId`, `fieldType` and `fieldValue` (a `string` field: text or null),
 * and `issue` {id, key, type, typeId} except in the create dialog. The view renders only where
 * `view.experience` lists it (the manifest: `issue-view`); boards and lists show the formatter's text instead.
 * Kept small because it renders on every card of a board: the view is React and the bridge only; the edit view
 * (resolver calls, the contract's zod schemas) is a chunk loaded on demand. It does not use `shared/mount` for the
 * same reason (that pulls zod in up front).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { FieldView } from './FieldView';
import '../../shared/page.css';

interface FieldExtension {
  entryPoint?: string;
  renderContext?: string;
  fieldValue?: unknown;
  issue?: { key?: string };
}

const FieldEdit = lazy(() => import('./FieldEdit.js').then((m) => ({ default: m.FieldEdit })));

function Field({ ext }: { ext: FieldExtension }) {
  const value = typeof ext.fieldValue === 'string' ? ext.fieldValue : null;
  if (ext.entryPoint !== 'edit') return <FieldView value={value} />;
  return (
    <Suspense fallback={<p className="ts-note">Loading…</p>}>
      <FieldEdit renderContext={ext.renderContext ?? 'issue-view'} value={value} />
    </Suspense>
  );
}

const root = createRoot(document.getElementById('root')!);
Promise.all([view.getContext(), view.theme.enable()]).then(
  ([ctx]) => root.render(<StrictMode><Field ext={(ctx.extension ?? {}) as FieldExtension} /></StrictMode>),
  (err: unknown) => root.render(<p role="alert">Task sync could not start here: {err instanceof Error ? err.message : String(err)}</p>),
);
