/**
 * Embedded images (ADF `media` / `mediaInline` nodes) and the media map of a link: which mirrored files a document
 * shows, which it should show but does not, and a document's media ids in the other side's terms. Pure, no I/O.
 *
 * A `media` node names its file by `attrs.id`, the Media Services file UUID of the attachment on *its own* site
 * (`type: 'file'`, `collection: ''` for an issue's attachments), not the numeric attachment id; the same file
 * mirrored to the other site has another UUID there. A media map (`source media id → mirror media id`, per source
 * side, built from the link's attachment pairs) translates between the two.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/media/
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/mediaInline/
 */
import type { AdfDoc, AdfNode } from './adf';
import { attachmentText } from './portable';

/** Source media file id → the mirror's media file id on the other site. */
export type MediaMap = Readonly<Record<string, string>>;

const isMediaNode = (n: AdfNode) => n.type === 'media' || n.type === 'mediaInline';

function collect(node: AdfNode, into: string[]): void {
  if (isMediaNode(node) && typeof node.attrs?.id === 'string') into.push(node.attrs.id);
  for (const c of node.content ?? []) collect(c, into);
}

/** The media file ids a document embeds, in document order (repeats kept). `null` → none. */
export function mediaIds(doc: AdfDoc | null | undefined): string[] {
  const ids: string[] = [];
  for (const n of doc?.content ?? []) collect(n, ids);
  return ids;
}

/**
 * Source media ids of `source` whose file is mirrored (`media` knows it) but whose mirror `target` does not show:
 * the images a copy written before the file was mirrored still reads as `[attachment: name]`. Unique, in order.
 */
export function unshownMirrors(source: AdfDoc | null | undefined, target: AdfDoc | null | undefined, media: MediaMap | undefined): string[] {
  if (!media) return [];
  const shown = new Set(mediaIds(target));
  return [...new Set(mediaIds(source))].filter((id) => media[id] !== undefined && !shown.has(media[id]));
}

/**
 * The part of `media` whose mirrors `target` already shows: with it, converting the source again gives the copy as it
 * was written (images mirrored then re-pointed, the others as text), so a target equal to that is one nobody edited.
 */
export function shownPart(media: MediaMap, target: AdfDoc | null | undefined): Record<string, string> {
  const shown = new Set(mediaIds(target));
  return Object.fromEntries(Object.entries(media).filter(([, to]) => shown.has(to)));
}

function translated(node: AdfNode, media: MediaMap): AdfNode {
  if (isMediaNode(node) && typeof node.attrs?.id === 'string' && media[node.attrs.id] !== undefined) {
    return { ...node, attrs: { ...node.attrs, id: media[node.attrs.id] } };
  }
  return node.content ? { ...node, content: node.content.map((c) => translated(c, media)) } : node;
}

/**
 * The document with every mirrored file's media id replaced by its mirror's (ids the map does not know are kept),
 * nothing else changed: the form two copies of one text are compared in when their images name each site's file.
 * `null` stays `null`.
 */
export function withMediaIdsAs<T extends AdfDoc | null>(doc: T, media: MediaMap | undefined): T {
  if (!doc || !media) return doc;
  return { ...doc, content: doc.content.map((c) => translated(c, media)) } as T;
}

/** File names of the given media ids as `doc` shows them (`alt`, else the id), for the sync log. */
export function mediaNamesOf(doc: AdfDoc | null | undefined, ids: readonly string[]): string[] {
  const names = new Map<string, string>();
  const walk = (n: AdfNode) => {
    if (isMediaNode(n) && typeof n.attrs?.id === 'string' && !names.has(n.attrs.id)) names.set(n.attrs.id, String(n.attrs.alt ?? n.attrs.id));
    (n.content ?? []).forEach(walk);
  };
  (doc?.content ?? []).forEach(walk);
  return ids.map((id) => names.get(id) ?? id);
}

const MEDIA_BLOCKS = new Set(['mediaSingle', 'mediaGroup']);

/** A paragraph that holds nothing but one unmarked text: that text, else undefined. */
function soleText(node: AdfNode): string | undefined {
  const only = node.type === 'paragraph' && node.content?.length === 1 ? node.content[0] : undefined;
  return only?.type === 'text' && !only.marks?.length ? only.text : undefined;
}

/**
 * `incoming` (a value about to be written over `target`, in the target side's terms) with each paragraph that only
 * says `[attachment: name]` — an image of `target` that reached the other site as text, because its file was not
 * mirrored there — put back as `target`'s own image block, in order. So an edit made on a copy that shows an image as
 * text does not take the image away from the original; an image someone deleted on the copy (no such paragraph) is
 * deleted. `null`s are returned as they are.
 */
export function keepImagesOf<T extends AdfDoc | null>(incoming: T, target: AdfDoc | null | undefined): T {
  if (!incoming || !Array.isArray(incoming.content) || !Array.isArray(target?.content)) return incoming;
  const blocks = new Map<string, AdfNode[]>();
  const gather = (n: AdfNode) => {
    if (MEDIA_BLOCKS.has(n.type)) {
      const key = attachmentText(n);
      blocks.set(key, [...(blocks.get(key) ?? []), n]);
    } else (n.content ?? []).forEach(gather);
  };
  target!.content.forEach(gather);
  if (!blocks.size) return incoming;
  const put = (n: AdfNode): AdfNode => {
    const said = soleText(n);
    const block = said === undefined ? undefined : blocks.get(said)?.shift();
    if (block) return structuredClone(block);
    return n.content ? { ...n, content: n.content.map(put) } : n;
  };
  return { ...incoming, content: incoming.content.map(put) } as T;
}
