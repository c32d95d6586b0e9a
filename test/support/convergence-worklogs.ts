/**
 * Worklog operations of the convergence property (test/support/convergence.ts): people log, edit and delete their
 * own worklogs on either side while faults are on, and the oracle checks that afterwards every worklog a person made
 * is on both sides exactly once (gone from both when deleted), with equal time spent, started time and comment.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { adfParagraph, adfText, type SiteName } from '../../sandbox/client';
import type { TestSandbox } from './sandbox';

export type WorklogOp =
  | { kind: 'worklog-add'; side: SiteName; minutes: number }
  | { kind: 'worklog-edit'; side: SiteName; pick: number; minutes: number }
  | { kind: 'worklog-delete'; side: SiteName; pick: number };

/** A person's request with retries under faults (`send` of convergence.ts). */
export type Send = (sb: TestSandbox, site: SiteName, method: string, path: string, body?: unknown) => Promise<{ status: number; body: any } | 'maybe'>;

/** Worklog tokens the people wrote: created (surely), maybe (connection dropped on create), deleted. */
export type WorklogLedger = Map<string, 'created' | 'maybe' | 'deleted'>;

const side = fc.constantFrom<SiteName>('local', 'partner');
const minutes = fc.integer({ min: 1, max: 480 });

/** The worklog ops, with weights beside the comment ops'. */
export const worklogOpArbs = [
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('worklog-add' as const), side, minutes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('worklog-edit' as const), side, pick: fc.nat(9), minutes }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('worklog-delete' as const), side, pick: fc.nat(9) }) },
];

const TOKEN = /\bw\d+x\d+\b/;
const ATTRIBUTION = /^Logged by [^\n]* on [^\s:]+:\n?/;

/** Whether an op is a worklog op. */
export function isWorklogOp(op: { kind: string }): op is WorklogOp {
  return op.kind.startsWith('worklog-');
}

async function list(sb: TestSandbox, send: Send, site: SiteName, key: string): Promise<any[] | undefined> {
  const res = await send(sb, site, 'GET', `/rest/api/3/issue/${key}/worklog`);
  return res === 'maybe' ? undefined : res.body.worklogs;
}

/** Applies one worklog op as `who` (the person of that side); edits and deletes act on that person's own worklogs. */
export async function applyWorklogOp(sb: TestSandbox, send: Send, keys: Record<SiteName, string>, op: WorklogOp, ledger: WorklogLedger, caseNo: number, who: string): Promise<void> {
  const path = `/rest/api/3/issue/${keys[op.side]}/worklog`;
  if (op.kind === 'worklog-add') {
    const token = `w${caseNo}x${ledger.size}`;
    const res = await send(sb, op.side, 'POST', path, { timeSpentSeconds: op.minutes * 60, started: '2026-12-01T09:00:00.000+0000', comment: adfParagraph(`${token} from ${op.side}`) });
    ledger.set(token, res === 'maybe' ? 'maybe' : 'created');
    return;
  }
  const mine = ((await list(sb, send, op.side, keys[op.side])) ?? []).filter((w) => w.author?.accountId === who && TOKEN.test(adfText(w.comment)));
  if (!mine.length) return;
  const target = mine[op.pick % mine.length];
  if (op.kind === 'worklog-edit') {
    await send(sb, op.side, 'PUT', `${path}/${target.id}`, { timeSpentSeconds: op.minutes * 60 });
  } else {
    await send(sb, op.side, 'DELETE', `${path}/${target.id}`);
    ledger.set(adfText(target.comment).match(TOKEN)![0], 'deleted');
  }
}

/** `seconds|started|text` of each worklog of a side (attribution left out), sorted. */
async function fingerprints(sb: TestSandbox, site: SiteName, key: string): Promise<string[]> {
  const res = await sb.rest(site, 'GET', `/rest/api/3/issue/${key}/worklog`);
  return (res.body.worklogs as any[]).map((w) => `${w.timeSpentSeconds}|${w.started}|${adfText(w.comment).replace(ATTRIBUTION, '')}`).sort();
}

/** The oracle: each token on both sides once (none when deleted), and equal worklogs on both sides. */
export async function checkWorklogs(sb: TestSandbox, keys: Record<SiteName, string>, ledger: WorklogLedger, where: string): Promise<void> {
  const [local, partner] = await Promise.all([fingerprints(sb, 'local', keys.local), fingerprints(sb, 'partner', keys.partner)]);
  const count = (xs: string[], token: string) => xs.filter((x) => x.match(TOKEN)?.[0] === token).length;
  for (const [token, state] of ledger) {
    const [l, p] = [count(local, token), count(partner, token)];
    if (state === 'deleted') assert.deepEqual([l, p], [0, 0], `${where}: deleted worklog ${token} still present`);
    else if (state === 'created') assert.deepEqual([l, p], [1, 1], `${where}: worklog ${token} lost or duplicated`);
    else assert.ok(l === p && l <= 1, `${where}: worklog ${token} (connection dropped on create) is ${l} local / ${p} partner`);
  }
  assert.deepEqual(partner, local, `${where}: worklogs differ`);
}
