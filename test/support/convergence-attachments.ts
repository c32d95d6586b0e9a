/**
 * Attachment operations of the convergence property (test/support/convergence.ts): people attach files to and
 * delete files from either issue of a pair while faults are on, and the oracle checks that afterwards every file a
 * person attached is on both sides exactly once (gone from both when it was deleted on either side), with the same
 * name, size and content (SHA-256 of the bytes each site serves).
 *
 * Uploads go as Jira Cloud takes them: `POST /rest/api/3/issue/{issueIdOrKey}/attachments`, `multipart/form-data`
 * with a part named `file` and `X-Atlassian-Token: no-check`; deletes by `DELETE /rest/api/3/attachment/{id}`.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { SiteName } from '../../sandbox/client';
import type { TestSandbox } from './sandbox';
import type { Send } from './convergence-worklogs';

export type AttachmentOp =
  /** Attaches a new file of `bytes` bytes (content drawn from `seed`) to the side's issue. */
  | { kind: 'attachment-add'; side: SiteName; bytes: number; seed: number }
  /** Deletes one of the files the people attached (an original or a mirror) from the side's issue. */
  | { kind: 'attachment-delete'; side: SiteName; pick: number };

/** File tokens the people attached: created (surely), maybe (connection dropped on upload), deleted. */
export type AttachmentLedger = Map<string, 'created' | 'maybe' | 'deleted'>;

/** A person on a site, as `send` of convergence.ts authenticates them. */
export interface Person {
  email: string;
  apiToken: string;
}

const side = fc.constantFrom<SiteName>('local', 'partner');

/** The attachment ops, with weights like the comment ops' (a delete finds nothing to delete until a file is in). */
export const attachmentOpArbs = [
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('attachment-add' as const), side, bytes: fc.integer({ min: 1, max: 64 * 1024 }), seed: fc.integer({ min: 1, max: 250 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('attachment-delete' as const), side, pick: fc.nat(9) }) },
];

/** A file name the people use: `a<case>x<n>.bin`; the token is the name without `.bin`. */
const TOKEN = /^(a\d+x\d+)\.bin$/;

/** Totals over a test file, for its summary line: ops applied, files uploaded, files compared on both sides. */
export const attachmentTotals = { ops: 0, uploads: 0, deletes: 0, compared: 0 };

/** Whether an op is an attachment op. */
export function isAttachmentOp(op: { kind: string }): op is AttachmentOp {
  return op.kind.startsWith('attachment-');
}

/** Deterministic bytes of a file: `n` bytes from `seed`. */
function fileBytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: n }, (_, i) => (i * seed + (i >> 8)) % 251);
}

const basic = (who: Person) => `Basic ${Buffer.from(`${who.email}:${who.apiToken}`).toString('base64')}`;

/**
 * A person's upload while faults are on, retried like `send` retries (429 and 5xx wrote nothing); a dropped
 * connection counts as maybe done, which the oracle allows for.
 * @returns the status, or 'maybe'
 * @throws Error when every attempt failed with 429/5xx
 */
async function upload(sb: TestSandbox, site: SiteName, who: Person, key: string, filename: string, data: Uint8Array<ArrayBuffer>): Promise<number | 'maybe'> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const form = new FormData();
    form.append('file', new Blob([data], { type: 'application/octet-stream' }), filename);
    try {
      const res = await fetch(`${sb.cfg[site].url}/rest/api/3/issue/${key}/attachments`, {
        method: 'POST',
        headers: { Authorization: basic(who), Accept: 'application/json', 'X-Atlassian-Token': 'no-check' },
        body: form,
      });
      await res.arrayBuffer();
      if (res.status !== 429 && res.status < 500) return res.status;
    } catch {
      return 'maybe';
    }
    await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
  }
  throw new Error(`uploading ${filename} to ${site} ${key} kept failing under faults`);
}

/** The people's files on a side's issue (the `attachment` field), or undefined when the read was dropped. */
async function ownFiles(sb: TestSandbox, send: Send, site: SiteName, key: string): Promise<Array<{ id: string; filename: string }> | undefined> {
  const res = await send(sb, site, 'GET', `/rest/api/3/issue/${key}?fields=attachment`);
  if (res === 'maybe' || res.status !== 200) return undefined;
  return (res.body.fields.attachment as Array<{ id: string; filename: string }>).filter((a) => TOKEN.test(a.filename));
}

/**
 * Applies one attachment op as `who` (the person of that side). A delete picks among the files named by a token,
 * originals and mirrors alike (deleting a mirror deletes its original too: deletes follow both ways).
 */
export async function applyAttachmentOp(sb: TestSandbox, send: Send, keys: Record<SiteName, string>, op: AttachmentOp, ledger: AttachmentLedger, caseNo: number, who: Person): Promise<void> {
  const key = keys[op.side];
  attachmentTotals.ops++;
  if (op.kind === 'attachment-add') {
    const token = `a${caseNo}x${ledger.size}`;
    const status = await upload(sb, op.side, who, key, `${token}.bin`, fileBytes(op.bytes, op.seed));
    if (status !== 'maybe' && status !== 200) throw new Error(`uploading ${token}.bin to ${op.side} ${key} answered ${status}`);
    ledger.set(token, status === 'maybe' ? 'maybe' : 'created');
    attachmentTotals.uploads++;
    return;
  }
  const files = await ownFiles(sb, send, op.side, key);
  if (!files?.length) return;
  const target = files[op.pick % files.length];
  await send(sb, op.side, 'DELETE', `/rest/api/3/attachment/${target.id}`);
  ledger.set(TOKEN.exec(target.filename)![1], 'deleted');
  attachmentTotals.deletes++;
}

/** `name|size|sha256` of every file on a side's issue (the seed's own files too), sorted. */
async function fingerprints(sb: TestSandbox, site: SiteName, key: string): Promise<string[]> {
  const res = await sb.rest(site, 'GET', `/rest/api/3/issue/${key}?fields=attachment`);
  assert.equal(res.status, 200, `reading ${site} ${key}'s attachments answered ${res.status}`);
  const admin = sb.cfg[site].admin;
  const out: string[] = [];
  for (const a of res.body.fields.attachment as Array<{ id: string; filename: string; size: number }>) {
    const content = await fetch(`${sb.cfg[site].url}/rest/api/3/attachment/content/${a.id}?redirect=false`, { headers: { Authorization: basic(admin) } });
    assert.equal(content.status, 200, `downloading ${site} attachment ${a.id} (${a.filename}) answered ${content.status}`);
    const hash = createHash('sha256').update(Buffer.from(await content.arrayBuffer())).digest('hex');
    out.push(`${a.filename}|${a.size}|${hash}`);
  }
  return out.sort();
}

/**
 * The oracle: each attached file on both sides once (on neither when deleted; a maybe-upload on both or neither),
 * and the same files (name, size, content hash) on both sides.
 */
export async function checkAttachments(sb: TestSandbox, keys: Record<SiteName, string>, ledger: AttachmentLedger, where: string): Promise<void> {
  const [local, partner] = await Promise.all([fingerprints(sb, 'local', keys.local), fingerprints(sb, 'partner', keys.partner)]);
  const count = (xs: string[], token: string) => xs.filter((x) => x.startsWith(`${token}.bin|`)).length;
  for (const [token, state] of ledger) {
    const [l, p] = [count(local, token), count(partner, token)];
    if (state === 'deleted') assert.deepEqual([l, p], [0, 0], `${where}: deleted attachment ${token}.bin still present`);
    else if (state === 'created') assert.deepEqual([l, p], [1, 1], `${where}: attachment ${token}.bin lost or duplicated`);
    else assert.ok(l === p && l <= 1, `${where}: attachment ${token}.bin (connection dropped on upload) is ${l} local / ${p} partner`);
  }
  assert.deepEqual(partner, local, `${where}: attachments differ (name|size|sha256)`);
  attachmentTotals.compared += local.length;
}
