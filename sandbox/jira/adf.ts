/**
 * Small ADF helpers for the emulator: plain-text rendering (v2 webhook bodies, changelog strings, the browse page)
 * and a shape check for request bodies.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
import type { Adf } from './types';

interface Node {
  type?: string;
  text?: string;
  attrs?: Record<string, any>;
  content?: Node[];
}

const BLOCKS = new Set(['paragraph', 'heading', 'codeBlock', 'blockquote', 'listItem', 'rule', 'panel', 'tableRow', 'mediaSingle']);

/** Plain text of an ADF node: text nodes joined, blocks separated by newlines, mentions, emoji and status lozenges as their text. */
export function adfToText(doc: Adf | Node | null | undefined): string {
  if (!doc) return '';
  const out: string[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'text') out.push(n.text ?? '');
    else if (n.type === 'hardBreak') out.push('\n');
    else if (n.type === 'mention') out.push(n.attrs?.text ?? `@${n.attrs?.id ?? ''}`);
    else if (n.type === 'emoji') out.push(n.attrs?.text ?? n.attrs?.shortName ?? '');
    else if (n.type === 'status') out.push(n.attrs?.text ?? '');
    else if (n.type === 'inlineCard') out.push(n.attrs?.url ?? '');
    for (const c of n.content ?? []) walk(c);
    if (n.type && BLOCKS.has(n.type)) out.push('\n');
  };
  walk(doc as Node);
  return out.join('').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Characters of text in a document, as the content limit counts them here: text nodes, one per hard break, and the
 * text a mention, emoji or status shows. Jira does not publish how it counts; this is a plain model of it.
 */
export function textLength(doc: Adf | Node | null | undefined): number {
  let n = 0;
  const walk = (x: Node): void => {
    if (x.type === 'text') n += (x.text ?? '').length;
    else if (x.type === 'hardBreak') n += 1;
    else if (x.type === 'mention' || x.type === 'emoji' || x.type === 'status') n += String(x.attrs?.text ?? x.attrs?.shortName ?? '').length;
    for (const c of x.content ?? []) walk(c);
  };
  if (doc) walk(doc as Node);
  return n;
}

let adfSchemaCheck: ((v: unknown) => boolean) | null = null;

/**
 * True when `v` is a valid ADF document: `{type:'doc', version:1, content:[…]}` that passes `@atlaskit/adf-schema`'s
 * JSON schema (draft-04, checked with ajv-draft-04), so invalid rich text from a client gets a 400 as in Jira.
 */
export function isAdfDoc(v: unknown): v is Adf {
  const d = v as Adf;
  if (!d || typeof d !== 'object' || d.type !== 'doc' || d.version !== 1 || !Array.isArray(d.content)) return false;
  if (!adfSchemaCheck) {
    const AjvDraft04 = require('ajv-draft-04');
    adfSchemaCheck = new AjvDraft04({ strict: false }).compile(require('@atlaskit/adf-schema/json-schema/v1/full.json'));
  }
  return adfSchemaCheck!(d);
}
