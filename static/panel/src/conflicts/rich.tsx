/**
 * Rich text (ADF) for the conflict list, loaded only when a paragraph conflict is shown (`React.lazy`, see
 * `./RichText.tsx`), so the panel's first load does not carry the document schema.
 *
 * Both parts use Atlassian's own document model: `@atlaskit/editor-json-transformer` turns ADF into a ProseMirror
 * node of `@atlaskit/adf-schema`'s default schema (and back), and the schema's own `toDOM` specs draw it.
 * - {@link AdfView} renders a document read-only: headings, lists, task lists, code blocks, panels, tables, quotes,
 *   mentions by name, status, dates, emoji short names, links and marks, as the schema defines them.
 * - {@link AdfEditor} edits one: a ProseMirror view over the same schema (undo/redo, Bold/Italic/Code), so a merged
 *   value keeps the structure of the document it started from.
 *
 * Why not `@atlaskit/renderer` / `@atlaskit/editor-core`: see the README ("Resolving a conflict"); the registry this
 * project installs from lacks versions their dependency trees require.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 * @see https://prosemirror.net/docs/ref/#model.DOMSerializer
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { router } from '@forge/bridge';
import { defaultSchema } from '@atlaskit/adf-schema/schema-default';
import { JSONTransformer } from '@atlaskit/editor-json-transformer';
import { baseKeymap, toggleMark } from '@atlaskit/editor-prosemirror/commands';
import { history, redo, undo } from '@atlaskit/editor-prosemirror/history';
import { keymap } from '@atlaskit/editor-prosemirror/keymap';
import { DOMSerializer, type MarkType, type Node as PMNode } from '@atlaskit/editor-prosemirror/model';
import { EditorState } from '@atlaskit/editor-prosemirror/state';
import { EditorView } from '@atlaskit/editor-prosemirror/view';
import type { ConflictValueView } from '../../../../src/contract';
import './rich.css';

/** An ADF document as the contract carries it (`ConflictValueView.adf`). */
export type AdfDoc = NonNullable<ConflictValueView['adf']>;
type Doc = AdfDoc;
const transformer = new JSONTransformer();

/**
 * The ProseMirror node of `doc`, or null when the schema refuses it (a node or attribute it does not know).
 * `JSONTransformer.parse` throws `RangeError` for such documents.
 */
function parse(doc: Doc): PMNode | null {
  try {
    return transformer.parse(doc as never);
  } catch {
    return null;
  }
}

/** Props of {@link AdfView}: the document, and the plain words to show if the schema cannot read it. */
export interface AdfViewProps {
  doc: Doc;
  fallbackText: string;
}

/** A read-only rendering of `doc` (the schema's `toDOM`), or `fallbackText` when it cannot be parsed. */
export function AdfView({ doc, fallbackText }: AdfViewProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const node = parse(doc);
    setFailed(node === null);
    if (!node || !ref.current) return;
    ref.current.replaceChildren(DOMSerializer.fromSchema(defaultSchema).serializeFragment(node.content));
    // The schema draws a date as an empty span holding its timestamp (ms, UTC); write the day it names.
    for (const el of ref.current.querySelectorAll<HTMLElement>('[data-node-type="date"][data-timestamp]')) {
      const ms = Number(el.dataset.timestamp);
      if (Number.isFinite(ms)) el.textContent = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
    }
  }, [doc]);
  if (failed) return <div className="ts-adf ts-adf--plain">{fallbackText}</div>;
  // A link would navigate the frame; open it in a new tab as the rest of the panel does.
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const a = (e.target as HTMLElement).closest('a[href]');
    if (!a) return;
    e.preventDefault();
    void router.open(a.getAttribute('href')!);
  };
  return <div ref={ref} className="ts-adf" onClick={onClick} />;
}

/** Props of {@link AdfEditor}. `onChange` gets the edited ADF document after every change. */
export interface AdfEditorProps {
  initial: Doc;
  /** Accessible name of the editing area, e.g. "Merged Description". */
  label: string;
  onChange: (doc: Doc) => void;
  isDisabled?: boolean;
}

const MARK_KEYS: Array<[string, string, string]> = [
  ['strong', 'Mod-b', 'Bold'],
  ['em', 'Mod-i', 'Italic'],
  ['code', 'Mod-e', 'Code'],
];

/** Whether `type` is active at the selection (for the toolbar's `aria-pressed`). */
function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks ?? $from.marks()));
  return state.doc.rangeHasMark(from, to, type);
}

/**
 * An editor of `initial`: a small toolbar (Bold, Italic, Code) above a ProseMirror view. Tab leaves the editor
 * (ProseMirror binds no Tab), so it is usable from the keyboard like any text area.
 */
export function AdfEditor({ initial, label, onChange, isDisabled }: AdfEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const [, setTick] = useState(0);
  const [unreadable, setUnreadable] = useState(false);

  useEffect(() => {
    const doc = parse(initial);
    if (!doc || !host.current) {
      setUnreadable(true);
      return;
    }
    const marks: Record<string, ReturnType<typeof toggleMark>> = {};
    for (const [name, key] of MARK_KEYS) marks[key] = toggleMark(defaultSchema.marks[name]!);
    const v = new EditorView(host.current, {
      state: EditorState.create({
        doc,
        plugins: [history(), keymap({ 'Mod-z': undo, 'Shift-Mod-z': redo, 'Mod-y': redo, ...marks }), keymap(baseKeymap)],
      }),
      attributes: { role: 'textbox', 'aria-multiline': 'true', 'aria-label': label, class: 'ts-adf ts-adf-editor' },
      dispatchTransaction(tr) {
        const next = v.state.apply(tr);
        v.updateState(next);
        setTick((t) => t + 1);
        if (tr.docChanged) changed.current(transformer.encode(next.doc) as unknown as Doc);
      },
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor owns the document once created; a new `initial` would discard the person's edits.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.setProps({ editable: () => !isDisabled });
  }, [isDisabled]);

  if (unreadable) return <p className="ts-muted">This text cannot be edited here. Keep one side’s value instead.</p>;
  const v = view.current;
  return (
    <div className="ts-adf-editor-wrap">
      <div className="ts-adf-toolbar" role="toolbar" aria-label={`Formatting of ${label}`}>
        {MARK_KEYS.map(([name, key, word]) => {
          const type = defaultSchema.marks[name]!;
          return (
            <button
              key={name}
              type="button"
              className={`ts-adf-tool ts-adf-tool--${name}`}
              aria-pressed={v ? markActive(v.state, type) : false}
              title={`${word} (${key.replace('Mod', 'Ctrl')})`}
              disabled={isDisabled || !v}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                if (!v) return;
                toggleMark(type)(v.state, v.dispatch);
                v.focus();
              }}
            >
              {word}
            </button>
          );
        })}
      </div>
      <div ref={host} />
    </div>
  );
}
