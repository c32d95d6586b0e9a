/**
 * Embedded images in rich-text fields (description, environment, paragraph custom fields) whose file was mirrored
 * after the copy of the text was written. Such a copy reads `[attachment: name]` (see `src/model/portable.ts`): the
 * opt-in create writes the partner issue before its files are copied, and links made before attachments synced
 * hold such copies too. Once the file is mirrored, the copy is rewritten once to show the mirror.
 *
 * Why this is no loop and no echo: the rewrite is decided from state only — the field unchanged on both sides since
 * the last agreed state, and the copy exactly what converting the source gives when only the images it already shows
 * are mirrored (so a person's edit of the copy is never overwritten) — and the rewritten value becomes the base of
 * that side, so the app's write coming back (webhook or product event) finds the side equal to its base. Once
 * rewritten, the copy shows every mirrored file and nothing is left to do. Pure.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/media/
 */
import { isDigest, type AdfDoc } from '../model/adf';
import { codecOf } from '../model/fields';
import { copiesFrom, otherSide, type ConnectionMapping, type FieldMap, type Side } from '../model/mapping';
import { mediaNamesOf, shownPart, unshownMirrors } from '../model/media';
import type { MergeInput } from '../model/types';

/** A copy to rewrite: the side it is on, the value to write there (that side's terms), the file names it gains. */
export interface RichTextRepoint {
  to: Side;
  value: unknown;
  files: string[];
}

const asDoc = (v: unknown): AdfDoc | null => (v && typeof v === 'object' && !isDigest(v) && (v as AdfDoc).type === 'doc' ? (v as AdfDoc) : null);

/**
 * Whether one side of a rich-text row holds a copy of the other's text written before some of its embedded files
 * were mirrored, and what to write instead. Call only for a row that neither side changed since the base (a
 * changed side is copied by the merge as usual, with the media map). Looks at each side the row copies from.
 * @param now both sides' current values of the row (normalised, that side's ids)
 * @param media the run's media maps per source side (`MergeInput.media`)
 * @returns the rewrite, or undefined when nothing is mirrored that the copy does not show, or the copy was edited
 */
export function repointRichText(field: FieldMap, now: Record<Side, unknown>, mapping: ConnectionMapping, media: MergeInput['media']): RichTextRepoint | undefined {
  if (field.kind !== 'paragraph' || !media) return undefined;
  const codec = codecOf(field);
  for (const from of ['local', 'partner'] as const) {
    const map = media[from];
    const to = otherSide[from];
    const [source, copy] = [asDoc(now[from]), asDoc(now[to])];
    if (!map || !source || !copiesFrom(field, from)) continue;
    const missing = unshownMirrors(source, copy, map);
    if (!missing.length) continue;
    const asWritten = codec.convert(source, { from, field, mapping, media: shownPart(map, copy) });
    if (!('value' in asWritten) || !codec.same(asWritten.value, now[to])) continue;
    const repointed = codec.convert(source, { from, field, mapping, media: map });
    if (!('value' in repointed)) continue;
    return { to, value: repointed.value, files: mediaNamesOf(source, missing) };
  }
  return undefined;
}

/** Sync-log words of a rewrite: `Description on the partner issue now shows diagram.png, copied since it was written.` */
export function repointNote(field: FieldMap, r: RichTextRepoint): string {
  const files = r.files.join(', ');
  return `${field.name[r.to]} on the ${r.to} issue now shows ${files} (the file was copied after the text, which read [attachment: …] until now).`;
}
