/**
 * One value of a conflict as a reader sees it: rich text rendered (lazily, see `./RichText.tsx`), anything else
 * in the server's words (users, options and statuses by name; `(empty)` when empty), and a note instead of the
 * text when only a digest of a very large base was kept.
 */
import type { ConflictValueView } from '../../../../src/contract';
import { RichView } from './RichText';

/** The value's words or rendered document. */
export function ConflictValue({ value }: { value: ConflictValueView }) {
  if (value.tooLarge) return <p className="ts-muted ts-conflict-plain">Too large to show: only a fingerprint of this text was kept.</p>;
  if (value.adf) return <RichView doc={value.adf} fallbackText={value.text} />;
  return <div className="ts-conflict-plain">{value.text}</div>;
}
