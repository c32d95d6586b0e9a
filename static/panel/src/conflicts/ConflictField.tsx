/**
 * One field waiting for a decision: its name and since when, the base, local and partner values side by side
 * (each labelled with its issue key), and the choices: Keep local, Keep partner and, for text and paragraph
 * fields, Edit merged value (a text field, or the rich-text editor, prefilled with the local value). Choosing
 * only asks: the list confirms before anything is written (see `./ConflictList.tsx`).
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import type { ConflictView, ResolveConflictInput } from '../../../../src/contract';
import type { AdfDoc } from './rich';
import { useNow } from '../../../shared/hooks';
import { absoluteTime, relativeTime } from '../../../shared/time';
import { ConflictValue } from './ConflictValue';
import { RichEditor } from './RichText';

/** Props of {@link ConflictField}. `disabledReason` set = the choices are disabled, and it says why. */
export interface ConflictFieldProps {
  conflict: ConflictView;
  issueKey: string;
  partnerKey: string;
  /** Whether a call of the list is in flight (every choice waits). */
  busy: boolean;
  disabledReason: string | null;
  /** Asks for the list's confirmation of `input`. */
  onChoose: (input: ResolveConflictInput) => void;
}

/** A paragraph holding `text`, line by line, for a rich field whose local value came without a document. */
function docOf(text: string): AdfDoc {
  const lines = text === '(empty)' ? [] : text.split('\n');
  return { type: 'doc', version: 1, content: lines.map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })) };
}

/** The draft of a merged value while it is being edited. */
type Draft = { text: string } | { adf: AdfDoc };

/** One conflicting field with its three values and its choices. */
export function ConflictField({ conflict: c, issueKey, partnerKey, busy, disabledReason, onChoose }: ConflictFieldProps) {
  const now = useNow();
  const [draft, setDraft] = useState<Draft | null>(null);
  const rich = c.kind === 'paragraph';
  const disabled = busy || disabledReason !== null;
  const startMerge = () => setDraft(rich ? { adf: c.local.adf ?? docOf(c.local.text) } : { text: c.local.text === '(empty)' ? '' : c.local.text });
  const headingId = `conflict-${c.field}`;

  return (
    <section className="ts-conflict" aria-labelledby={headingId} data-field={c.field}>
      <div className="ts-conflict-head">
        <h3 id={headingId} className="ts-conflict-name">{c.name}</h3>
        <span className="ts-muted" title={absoluteTime(c.since)}>Changed on both sides · waiting since {relativeTime(c.since, now)}</span>
      </div>
      <dl className="ts-conflict-values">
        <div className="ts-conflict-value ts-conflict-value--base">
          <dt>Before (last synced)</dt>
          <dd><ConflictValue value={c.base} /></dd>
        </div>
        <div className="ts-conflict-value">
          <dt>Local · {issueKey}</dt>
          <dd><ConflictValue value={c.local} /></dd>
        </div>
        <div className="ts-conflict-value">
          <dt>Partner · {partnerKey}</dt>
          <dd><ConflictValue value={c.partner} /></dd>
        </div>
      </dl>
      {draft && (
        <div className="ts-stack ts-conflict-merge">
          {'text' in draft ? (
            <Textfield
              aria-label={`Merged ${c.name}`}
              value={draft.text}
              maxLength={32767}
              isDisabled={disabled}
              onChange={(e) => setDraft({ text: e.currentTarget.value })}
              autoFocus
            />
          ) : (
            <RichEditor initial={draft.adf} label={`Merged ${c.name}`} isDisabled={disabled} onChange={(adf) => setDraft({ adf })} />
          )}
          <div className="ts-row">
            <Button appearance="primary" isDisabled={disabled} onClick={() => onChoose({ field: c.field, choice: 'merged', ...draft })}>
              Use merged value
            </Button>
            <Button appearance="subtle" isDisabled={busy} onClick={() => setDraft(null)}>
              Cancel editing
            </Button>
          </div>
        </div>
      )}
      {!draft && (
        <div className="ts-row" role="group" aria-label={`Choices for ${c.name}`} aria-describedby={disabledReason ? `${headingId}-why` : undefined}>
          <Button isDisabled={disabled} onClick={() => onChoose({ field: c.field, choice: 'local' })}>Keep local</Button>
          <Button isDisabled={disabled} onClick={() => onChoose({ field: c.field, choice: 'partner' })}>Keep partner</Button>
          {c.mergeable && <Button appearance="subtle" isDisabled={disabled} onClick={startMerge}>Edit merged value</Button>}
        </div>
      )}
      {disabledReason && <p id={`${headingId}-why`} className="ts-muted ts-conflict-why">{disabledReason}</p>}
    </section>
  );
}
