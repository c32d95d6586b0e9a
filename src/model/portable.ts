/**
 * ADF that reads the same on the other site. Nodes that point at things only the source site has are carried over
 * or degrade to readable text instead of failing the write or rendering as broken: a mention of a user the user map
 * knows is re-pointed to that user's account on the other site (see `./mentions.ts`); any other mention becomes
 * `@Name`; an attachment (`media` in `mediaSingle` / `mediaGroup` / `mediaInline`, whose file lives on the source
 * site) points at the file's mirror on the other site when the target's media map knows it (`media`: source media
 * file id → target media file id, from the link's attachment map), else becomes `[attachment: name]`. Everything
 * else (and every `localId`) is kept. Pure and idempotent.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/mention/
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/media/
 */
import type { AdfDoc, AdfNode } from './adf';
import { mentionText, repointMention, type MentionTarget } from './mentions';

const MEDIA_BLOCKS = new Set(['mediaSingle', 'mediaGroup']);

function mediaNames(node: AdfNode): string[] {
  if (node.type === 'media' || node.type === 'mediaInline') {
    const attrs = node.attrs ?? {};
    return [String(attrs.alt ?? attrs.id ?? attrs.url ?? 'file')];
  }
  return (node.content ?? []).flatMap(mediaNames);
}

const text = (t: string): AdfNode => ({ type: 'text', text: t });

/** The words a media block or `mediaInline` whose file is not on the other site becomes: `[attachment: a.png, b.png]`. */
export function attachmentText(node: AdfNode): string {
  return `[attachment: ${mediaNames(node).join(', ')}]`;
}

/** Where a document is carried: mention targets and (attachments) the media file ids of mirrored attachments. */
export type PortableTarget = MentionTarget & { media?: Readonly<Record<string, string>> };

// attachments: a media block whose every file is mirrored keeps its layout, pointing at the mirrors.
function repointMedia(node: AdfNode, media: Readonly<Record<string, string>> | undefined): AdfNode | null {
  if (!media) return null;
  if (node.type === 'media' || node.type === 'mediaInline') {
    const to = typeof node.attrs?.id === 'string' ? media[node.attrs.id] : undefined;
    return to ? { ...node, attrs: { ...node.attrs, id: to, type: 'file', collection: '' } } : null;
  }
  const content = (node.content ?? []).map((c) => (c.type === 'media' || c.type === 'mediaInline' ? repointMedia(c, media) : c));
  return content.some((c) => c === null) || !content.some((c) => c?.type === 'media') ? null : { ...node, content: content as AdfNode[] };
}

function portableNode(node: AdfNode, target: PortableTarget | undefined): AdfNode {
  if (MEDIA_BLOCKS.has(node.type) || node.type === 'mediaInline') {
    const mirrored = repointMedia(node, target?.media);
    if (mirrored) return mirrored;
  }
  if (MEDIA_BLOCKS.has(node.type)) return { type: 'paragraph', content: [text(attachmentText(node))] };
  if (node.type === 'mediaInline') return text(attachmentText(node));
  if (node.type === 'mention') return repointMention(node, target) ?? text(mentionText(node));
  if (!node.content) return node;
  return { ...node, content: node.content.map((c) => portableNode(c, target)) };
}

/**
 * The document with source-only nodes carried over (see the module comment). Without `target` every mention
 * becomes text (the side-neutral form comment hashes use). `null` stays `null`.
 * Adjacent text nodes are left as they are; `canonicalAdf` merges them when values are compared.
 */
export function portableAdf<T extends AdfDoc | null>(doc: T, target?: PortableTarget): T {
  if (!doc) return doc;
  return { ...doc, content: doc.content.map((c) => portableNode(c, target)) } as T;
}
