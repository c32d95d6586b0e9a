/**
 * ADF values and their canonical form: the form both sides are compared in, so a value that round-trips through
 * Jira with different formatting (extra empty text nodes, mark order, CRLF, generated `localId`s, a trailing empty
 * paragraph) is not a change. Also the digest a large rich-text value is kept as in a base snapshot. Pure, no I/O.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
import { createHash, randomUUID } from 'node:crypto';

/** An ADF document (`{type:'doc', version:1, content:[…]}`). @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/ */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}
/** Any ADF node. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  text?: string;
}

/**
 * A large rich-text value as a base snapshot keeps it: a SHA-256 digest of its canonical form and its size in bytes
 * (see `src/model/base-digest.ts` for why that is enough for the three-way merge).
 */
export interface AdfDigest {
  digest: string;
  bytes: number;
}

type AdfMark = NonNullable<AdfNode['marks']>[number];

/**
 * Attribute keys Jira and the editors generate per copy of a document (`localId` on tables, tasks, panels, lists,
 * mentions…; `uniqueId` on code blocks). They differ between sites for the same content, so they never count.
 */
const GENERATED_ATTR_KEYS = new Set(['localId', 'uniqueId']);

/** Plain object check (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * JSON with object keys sorted at every depth, so equal values always give equal strings.
 * `undefined` object members are left out, as `JSON.stringify` does.
 */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  if (isRecord(value)) {
    const parts = Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** CRLF and lone CR → LF. */
function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * How far a document is normalised: `compare` drops generated ids (the form values are compared, hashed and
 * digested in); `write` keeps them, because Jira refuses a task or decision list without its `localId`.
 */
type Mode = 'compare' | 'write';

/** Attrs with sorted keys, without null/undefined values (nor generated ids when comparing); `undefined` when nothing is left. */
function canonicalAttrs(attrs: unknown, mode: Mode): Record<string, unknown> | undefined {
  if (!isRecord(attrs)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(attrs).sort()) {
    const v = attrs[key];
    if (v === null || v === undefined || (mode === 'compare' && GENERATED_ATTR_KEYS.has(key))) continue;
    out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Marks sorted by type then attrs, duplicates removed; `undefined` when none. */
function canonicalMarks(marks: unknown, mode: Mode): AdfMark[] | undefined {
  if (!Array.isArray(marks)) return undefined;
  const byKey = new Map<string, AdfMark>();
  for (const m of marks) {
    if (!isRecord(m) || typeof m.type !== 'string') continue;
    const attrs = canonicalAttrs(m.attrs, mode);
    const mark: AdfMark = attrs ? { type: m.type, attrs } : { type: m.type };
    byKey.set(stableStringify(mark), mark);
  }
  if (byKey.size === 0) return undefined;
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** Children canonicalised, empty text dropped, neighbouring text nodes with identical marks merged. */
function canonicalChildren(content: unknown[], mode: Mode): AdfNode[] {
  const out: AdfNode[] = [];
  for (const child of content) {
    const node = canonicalNode(child, mode);
    if (!node) continue;
    const prev = out[out.length - 1];
    if (
      node.type === 'text' &&
      prev?.type === 'text' &&
      stableStringify(prev.marks ?? []) === stableStringify(node.marks ?? [])
    ) {
      out[out.length - 1] = { ...prev, text: `${prev.text}${node.text}` };
    } else {
      out.push(node);
    }
  }
  return out;
}

/** One node in canonical form, or null when it carries nothing (empty text, not a node). */
function canonicalNode(raw: unknown, mode: Mode): AdfNode | null {
  if (!isRecord(raw) || typeof raw.type !== 'string') return null;
  if (raw.type === 'text') {
    const text = normaliseNewlines(typeof raw.text === 'string' ? raw.text : '');
    if (text === '') return null;
    const marks = canonicalMarks(raw.marks, mode);
    return marks ? { type: 'text', text, marks } : { type: 'text', text };
  }
  const node: AdfNode = { type: raw.type };
  const attrs = canonicalAttrs(raw.attrs, mode);
  if (attrs) node.attrs = attrs;
  if (Array.isArray(raw.content)) {
    const content = canonicalChildren(raw.content, mode);
    if (content.length > 0) node.content = content;
  }
  const marks = canonicalMarks(raw.marks, mode);
  if (marks) node.marks = marks;
  return node;
}

/** A paragraph that shows nothing: no content, or only whitespace text and hard breaks. */
function isEmptyParagraph(node: AdfNode): boolean {
  if (node.type !== 'paragraph') return false;
  return (node.content ?? []).every(
    (c) => c.type === 'hardBreak' || (c.type === 'text' && (c.text ?? '').trim() === ''),
  );
}

/** Plain text (REST v2 / wiki-less strings) → ADF: one paragraph per blank-line-separated block, lines joined by hard breaks. */
function textToAdf(text: string): AdfDoc {
  const blocks = normaliseNewlines(text)
    .split(/\n[ \t]*\n/)
    .map((b) => b.replace(/^\n+|\n+$/g, ''))
    .filter((b) => b.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: blocks.map((block) => {
      const content: AdfNode[] = [];
      block.split('\n').forEach((line, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        if (line !== '') content.push({ type: 'text', text: line });
      });
      return { type: 'paragraph', content };
    }),
  };
}

/**
 * Canonical form of a rich-text value, used for comparing, hashing and digesting (never for writing: see
 * {@link writableAdf}).
 *
 * - `null`, `undefined`, `''` → `null`; a string (REST v2 / plain text) → one paragraph per line block;
 * - an ADF `doc` → the same doc with: empty text nodes dropped, neighbouring text nodes with identical marks merged,
 *   marks de-duplicated and sorted, attrs keys sorted, null/undefined attrs and generated ids (`localId`,
 *   `uniqueId`) dropped, empty `attrs`/`content`/`marks` left out, CRLF → LF in text, trailing empty paragraphs
 *   trimmed; a doc with nothing left → `null`.
 *
 * Idempotent: `canonicalAdf(canonicalAdf(x))` deep-equals `canonicalAdf(x)`.
 * @throws TypeError when the value is neither a string nor an ADF doc (`{type:'doc', content:[…]}`).
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export function canonicalAdf(doc: unknown): AdfDoc | null {
  return normalised(doc, 'compare');
}

/**
 * The form a rich-text value is read, kept and written in: {@link canonicalAdf}'s tidying, but generated ids
 * (`localId`, `uniqueId`) are kept, so a document written from it is one Jira accepts (task and decision lists and
 * items require their `localId` in the ADF schema, `@atlaskit/adf-schema` `taskList_node`, `taskItem_node`,
 * `decisionList_node`, `decisionItem_node`). `sameAdf(writableAdf(x), x)` always holds. Same errors as canonicalAdf.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/taskList/
 */
export function writableAdf(doc: unknown): AdfDoc | null {
  return normalised(doc, 'write');
}

function normalised(doc: unknown, mode: Mode): AdfDoc | null {
  if (doc === null || doc === undefined) return null;
  if (typeof doc === 'string') return doc.trim() === '' ? null : normalised(textToAdf(doc), mode);
  if (!isRecord(doc) || doc.type !== 'doc') {
    throw new TypeError(`Expected an ADF document ({type: "doc"}) or text, got ${stableStringify(doc).slice(0, 80)}`);
  }
  const content = canonicalChildren(Array.isArray(doc.content) ? doc.content : [], mode);
  while (content.length > 0 && isEmptyParagraph(content[content.length - 1])) content.pop();
  if (content.length === 0) return null;
  return { type: 'doc', version: 1, content };
}

/** Node types whose `localId` the ADF schema requires (see {@link writableAdf}). */
const NEEDS_LOCAL_ID = new Set(['taskList', 'taskItem', 'blockTaskItem', 'decisionList', 'decisionItem']);

/**
 * The document with a fresh `localId` (a UUID) on every task/decision list or item that lacks one, e.g. one
 * built by hand or stored before ids were kept. Ids already there are left as they are. `null` stays `null`.
 */
export function withLocalIds<T extends AdfDoc | null>(doc: T): T {
  if (!doc) return doc;
  const fill = (n: AdfNode): AdfNode => {
    const node = n.content ? { ...n, content: n.content.map(fill) } : n;
    if (!NEEDS_LOCAL_ID.has(node.type) || typeof node.attrs?.localId === 'string') return node;
    return { ...node, attrs: { ...node.attrs, localId: randomUUID() } };
  };
  return { ...doc, content: doc.content.map(fill) } as T;
}

/**
 * How many characters of text a document holds: its text nodes, plus the text a mention, emoji, status or date
 * shows (counted as Jira shows them), hard breaks as one. What Jira's text-field limit of 32,767 characters is
 * measured against here (see `RICH_TEXT_MAX_CHARS`).
 */
export function adfTextLength(doc: unknown): number {
  let n = 0;
  const walk = (node: unknown): void => {
    if (!isRecord(node)) return;
    if (node.type === 'text' && typeof node.text === 'string') n += node.text.length;
    else if (node.type === 'hardBreak') n += 1;
    else if (isRecord(node.attrs) && (node.type === 'mention' || node.type === 'emoji' || node.type === 'status')) n += String(node.attrs.text ?? node.attrs.shortName ?? '').length;
    if (Array.isArray(node.content)) node.content.forEach(walk);
  };
  walk(doc);
  return n;
}

/**
 * Jira Cloud's limit on a rich-text field's value (description, environment, paragraph custom fields): 32,767
 * characters. A longer one is refused with 400 `{"errorMessages":["CONTENT_LIMIT_EXCEEDED"],"errors":{}}` (no
 * field named, so the whole edit fails): the sync checks first and leaves such a value out, never cut to fit.
 * Jira does not say how it counts; we count characters of text ({@link adfTextLength}).
 * @see https://jira.atlassian.com/browse/JRACLOUD-78553
 */
export const RICH_TEXT_MAX_CHARS = 32767;

/**
 * Stable short hash (16 hex chars of SHA-1) of the canonical form of an ADF doc or text; `null`/empty docs all hash
 * alike. Comment links store it so an unchanged (or re-formatted) comment is not a change.
 */
export function adfHash(doc: unknown): string {
  return createHash('sha1').update(stableStringify(canonicalAdf(doc))).digest('hex').slice(0, 16);
}

/** Whether `value` is a stored rich-text digest (see `src/model/base-digest.ts`) rather than ADF or null. */
export function isDigest(value: unknown): value is AdfDigest {
  return isRecord(value) && typeof value.digest === 'string' && value.type === undefined;
}

/** The digest of a rich-text value: SHA-256 of its canonical form (an existing digest is returned as is). */
export function digestOf(value: unknown): AdfDigest {
  return isDigest(value) ? value : digestOfCanonical(stableStringify(canonicalAdf(value)));
}

/** The digest of a rich-text value already in canonical JSON (`stableStringify(canonicalAdf(value))`). */
export function digestOfCanonical(json: string): AdfDigest {
  return { digest: `sha256:${createHash('sha256').update(json).digest('hex')}`, bytes: Buffer.byteLength(json) };
}

/** Whether two rich-text values say the same once canonical (by digest when either is a stored digest). */
export function sameAdf(a: unknown, b: unknown): boolean {
  if (isDigest(a) || isDigest(b)) return digestOf(a ?? null).digest === digestOf(b ?? null).digest;
  return stableStringify(canonicalAdf(a)) === stableStringify(canonicalAdf(b));
}
