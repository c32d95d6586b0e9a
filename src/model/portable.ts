/**
 * ADF that reads the same on the other site. Nodes that point at things only the source site has degrade to
 * readable text instead of failing the write or rendering as broken: a mention (an accountId the other site may not
 * know) becomes `@Name`, an attachment (`media` in `mediaSingle` / `mediaGroup` / `mediaInline`, whose file lives
 * on the source site) becomes `[attachment: name]`. Everything else is kept. Pure and idempotent.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/mention/
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/media/
 */
import type { AdfDoc, AdfNode } from './adf';

const MEDIA_BLOCKS = new Set(['mediaSingle', 'mediaGroup']);

function mediaNames(node: AdfNode): string[] {
  if (node.type === 'media' || node.type === 'mediaInline') {
    const attrs = node.attrs ?? {};
    return [String(attrs.alt ?? attrs.id ?? attrs.url ?? 'file')];
  }
  return (node.content ?? []).flatMap(mediaNames);
}

const text = (t: string): AdfNode => ({ type: 'text', text: t });

function mentionText(node: AdfNode): string {
  const name = String(node.attrs?.text ?? '').replace(/^@/, '').trim();
  return `@${name || 'someone'}`;
}

function portableNode(node: AdfNode): AdfNode {
  if (MEDIA_BLOCKS.has(node.type)) return { type: 'paragraph', content: [text(`[attachment: ${mediaNames(node).join(', ')}]`)] };
  if (node.type === 'mediaInline') return text(`[attachment: ${mediaNames(node).join(', ')}]`);
  if (node.type === 'mention') return text(mentionText(node));
  if (!node.content) return node;
  return { ...node, content: node.content.map(portableNode) };
}

/**
 * The document with source-only nodes turned into text (see the module comment). `null` stays `null`.
 * Adjacent text nodes are left as they are; `canonicalAdf` merges them when values are compared.
 */
export function portableAdf<T extends AdfDoc | null>(doc: T): T {
  if (!doc) return doc;
  return { ...doc, content: doc.content.map(portableNode) } as T;
}
