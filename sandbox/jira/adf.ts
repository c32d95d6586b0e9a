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

/** Plain text of an ADF node: text nodes joined, blocks separated by newlines, mentions as their text. */
export function adfToText(doc: Adf | Node | null | undefined): string {
  if (!doc) return '';
  const out: string[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'text') out.push(n.text ?? '');
    else if (n.type === 'hardBreak') out.push('\n');
    else if (n.type === 'mention') out.push(n.attrs?.text ?? `@${n.attrs?.id ?? ''}`);
    else if (n.type === 'emoji') out.push(n.attrs?.text ?? n.attrs?.shortName ?? '');
    else if (n.type === 'inlineCard') out.push(n.attrs?.url ?? '');
    for (const c of n.content ?? []) walk(c);
    if (n.type && BLOCKS.has(n.type)) out.push('\n');
  };
  walk(doc as Node);
  return out.join('').replace(/\n{3,}/g, '\n\n').trim();
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
