/**
 * The model of the convergence property: people editing a linked pair of issues on both sites (every synced
 * field, status transitions, comment create/edit/delete, worklogs, attachments) while the emulator injects faults, and the oracle that
 * checks both sides ended equal with nothing lost or duplicated. Used by test/integration/convergence.test.ts
 * (and `npm run soak`).
 */
import fc from 'fast-check';
import { adfParagraph, adfText, type SiteName } from '../../sandbox/client';
import type { TestSandbox } from './sandbox';
import { applyWorklogOp, isWorklogOp, worklogOpArbs, type WorklogLedger, type WorklogOp } from './convergence-worklogs'; // worklogs
import { applyAttachmentOp, attachmentOpArbs, isAttachmentOp, type AttachmentLedger, type AttachmentOp } from './convergence-attachments'; // attachments

export type Op =
  | { kind: 'summary'; side: SiteName; text: string }
  | { kind: 'description'; side: SiteName; text: string }
  | { kind: 'labels'; side: SiteName; labels: string[] }
  | { kind: 'priority'; side: SiteName; pick: number }
  | { kind: 'transition'; side: SiteName; pick: number }
  | { kind: 'custom-text'; side: SiteName; text: string }
  | { kind: 'custom-select'; side: SiteName; pick: number }
  | { kind: 'custom-number'; side: SiteName; value: number }
  | { kind: 'assignee'; side: SiteName; pick: number }
  | { kind: 'comment-add'; side: SiteName }
  | { kind: 'comment-edit'; side: SiteName; pick: number }
  | { kind: 'comment-delete'; side: SiteName; pick: number }
  /** Both people edit one of the {@link MANUAL_FIELDS} at the same moment: a conflict that waits for a decision. */
  | { kind: 'both-edit'; field: number; text: string }
  | { kind: 'settle' }
  | { kind: 'restart-host' }
  | WorklogOp // worklogs
  | AttachmentOp; // attachments

/** How a person settles a conflict of a field whose policy is `manual` (see {@link MANUAL_FIELDS}). */
export type Choice = 'local' | 'partner' | 'merged';

export interface Case {
  ops: Op[];
  faults: Record<string, unknown>;
  /** The scripted decision for each of {@link MANUAL_FIELDS}, in order, if it ends up in conflict. */
  choices: Choice[];
}

const side = fc.constantFrom<SiteName>('local', 'partner');
const word = fc.stringMatching(/^[a-z]{1,8}$/);

/** Random interleavings of edits on both sides, with the faults the emulator injects meanwhile. */
export const caseArb: fc.Arbitrary<Case> = fc.record({
  ops: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('summary' as const), side, text: word }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('description' as const), side, text: word }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('labels' as const), side, labels: fc.uniqueArray(fc.constantFrom('alpha', 'beta', 'gamma', 'delta'), { maxLength: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('priority' as const), side, pick: fc.nat(9) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('transition' as const), side, pick: fc.nat(9) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('custom-text' as const), side, text: word }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('custom-select' as const), side, pick: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('custom-number' as const), side, value: fc.integer({ min: -1000, max: 1000 }).map((n) => n / 4) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('assignee' as const), side, pick: fc.nat(2) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('comment-add' as const), side }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('comment-edit' as const), side, pick: fc.nat(9) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('comment-delete' as const), side, pick: fc.nat(9) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('both-edit' as const), field: fc.nat(1), text: word }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'settle' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'restart-host' as const }) },
      ...worklogOpArbs, // worklogs
      ...attachmentOpArbs, // attachments
    ),
    { minLength: 1, maxLength: 8 },
  ),
  choices: fc.array(fc.constantFrom<Choice>('local', 'partner', 'merged'), { minLength: 2, maxLength: 2 }),
  faults: fc.record(
    {
      webhookDrop: fc.double({ min: 0, max: 0.4, noNaN: true }),
      webhookDuplicate: fc.double({ min: 0, max: 0.4, noNaN: true }),
      webhookDelayMs: fc.nat(300).map((max) => [0, max]),
      errorRate: fc.double({ min: 0, max: 0.15, noNaN: true }),
      errorStatus: fc.constantFrom([500], [503], [500, 502, 503]),
      timeoutRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
      latencyMs: fc.nat(20).map((max) => [0, max]),
      seed: fc.nat(),
    },
    { requiredKeys: ['seed'] },
  ),
});

/**
 * Custom fields the default mapping pairs (field id on each side, see sandbox/jira/custom-field-defs.ts): a text
 * field, a select whose options both sides have (Alpha, Beta) and a number.
 */
export const CUSTOM: Record<'text' | 'select' | 'number', Record<SiteName, string>> = {
  text: { local: 'customfield_10010', partner: 'customfield_10040' },
  select: { local: 'customfield_10015', partner: 'customfield_10045' },
  number: { local: 'customfield_10012', partner: 'customfield_10042' },
};
const SELECT_CHOICES = [{ value: 'Alpha' }, { value: 'Beta' }, null];

/**
 * Local ids of the fields whose own conflict policy the property sets to `manual` (the connection's stays
 * newest-wins): a conflict there waits for a person, who then settles it by {@link Case.choices}.
 */
export const MANUAL_FIELDS = ['summary', CUSTOM.text.local] as const;

/** Scripted decision as the `resolveConflict` payload: merged text joins both sides' values. */
export function decision(field: string, choice: Choice, view: { local: { text: string }; partner: { text: string } }) {
  return choice === 'merged' ? { field, choice, text: `merged ${view.local.text} + ${view.partner.text}` } : { field, choice };
}

/** Assignees among the people the default user mapping pairs by email (Tony, Chris), or unassigned. */
export const MAPPED_ASSIGNEES: Array<Record<SiteName, string> | null> = [
  { local: '712020:461c1efe-26d2-bd69-263d-d15ba382227a', partner: '557058:7e1a0c52-partner-tony' },
  { local: '712020:78be78d6-c6b7-f9e6-b2df-86cd68834dd0', partner: '557058:8f2b1d63-partner-chris' },
  null,
];

/** The people editing: the local admin, and on the partner a non-admin editor (so their writes are not the app's). */
export function people(sb: TestSandbox) {
  return {
    local: { email: sb.cfg.local.admin.email, apiToken: sb.cfg.local.admin.apiToken, accountId: sb.cfg.local.admin.accountId },
    partner: { email: 'editor@partner.example', apiToken: 'editor-token', accountId: '712020:9a8b7c6d-partner-editor' },
  };
}

/**
 * A person's request while faults are on: retried like a person would on 429/5xx (nothing was written); a dropped
 * connection after the write (the timeout fault) counts as done, which the oracle allows for ("maybe" writes).
 */
export async function send(sb: TestSandbox, site: SiteName, method: string, path: string, body?: unknown): Promise<{ status: number; body: any } | 'maybe'> {
  const who = people(sb)[site];
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const res = await sb.rest(site, method, path, body, who);
      if (res.status !== 429 && res.status < 500) return res;
    } catch {
      return 'maybe';
    }
    await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
  }
  throw new Error(`${method} ${path} on ${site} kept failing under faults`);
}

/** What the oracle needs to know about comments the people wrote. */
export interface CommentLedger {
  /** token → state: created (surely), maybe (a dropped connection on create), deleted. */
  tokens: Map<string, 'created' | 'maybe' | 'deleted'>;
  next: number;
  /** worklogs: worklog tokens, like comment ones (see `./convergence-worklogs.ts`). */
  worklogs?: WorklogLedger;
  /** attachments: file tokens, like comment ones (see `./convergence-attachments.ts`). */
  attachments?: AttachmentLedger;
}

const TOKEN = /\bc\d+x\d+\b/;

/** Applies one op to the pair; ops that find nothing to act on (no own comment, no transition) do nothing. */
export async function applyOp(sb: TestSandbox, keys: Record<SiteName, string>, op: Op, ledger: CommentLedger, caseNo: number): Promise<void> {
  if (op.kind === 'settle') return sb.idle(60_000);
  if (op.kind === 'restart-host') return sb.running.restartHost();
  if (isWorklogOp(op)) return applyWorklogOp(sb, send, keys, op, (ledger.worklogs ??= new Map()), caseNo, people(sb)[op.side].accountId); // worklogs
  if (isAttachmentOp(op)) return applyAttachmentOp(sb, send, keys, op, (ledger.attachments ??= new Map()), caseNo, people(sb)[op.side]); // attachments
  if (op.kind === 'both-edit') {
    const field = MANUAL_FIELDS[op.field % MANUAL_FIELDS.length];
    const id = (site: SiteName) => (field === 'summary' ? 'summary' : CUSTOM.text[site]);
    await Promise.all((['local', 'partner'] as const).map((site) => send(sb, site, 'PUT', `/rest/api/3/issue/${keys[site]}`, { fields: { [id(site)]: `${site} both ${op.text}` } })));
    return;
  }
  const key = keys[op.side];
  const issuePath = `/rest/api/3/issue/${key}`;
  switch (op.kind) {
    case 'summary':
      await send(sb, op.side, 'PUT', issuePath, { fields: { summary: `${op.side} ${op.text}` } });
      return;
    case 'description':
      await send(sb, op.side, 'PUT', issuePath, { fields: { description: adfParagraph(`${op.side} says ${op.text}`) } });
      return;
    case 'labels':
      await send(sb, op.side, 'PUT', issuePath, { fields: { labels: op.labels } });
      return;
    case 'custom-text':
      await send(sb, op.side, 'PUT', issuePath, { fields: { [CUSTOM.text[op.side]]: `${op.side} ${op.text}` } });
      return;
    case 'custom-select':
      await send(sb, op.side, 'PUT', issuePath, { fields: { [CUSTOM.select[op.side]]: SELECT_CHOICES[op.pick % SELECT_CHOICES.length] } });
      return;
    case 'custom-number':
      await send(sb, op.side, 'PUT', issuePath, { fields: { [CUSTOM.number[op.side]]: op.value } });
      return;
    case 'assignee': {
      const who = MAPPED_ASSIGNEES[op.pick % MAPPED_ASSIGNEES.length];
      await send(sb, op.side, 'PUT', issuePath, { fields: { assignee: who ? { accountId: who[op.side] } : null } });
      return;
    }
    case 'priority': {
      const list = await send(sb, op.side, 'GET', '/rest/api/3/priority');
      if (list === 'maybe') return;
      await send(sb, op.side, 'PUT', issuePath, { fields: { priority: { id: list.body[op.pick % list.body.length].id } } });
      return;
    }
    case 'transition': {
      const res = await send(sb, op.side, 'GET', `${issuePath}/transitions`);
      if (res === 'maybe') return;
      const usable = res.body.transitions.filter((t: any) => !t.hasScreen);
      if (usable.length) await send(sb, op.side, 'POST', `${issuePath}/transitions`, { transition: { id: usable[op.pick % usable.length].id } });
      return;
    }
    case 'comment-add': {
      const token = `c${caseNo}x${ledger.next++}`;
      const res = await send(sb, op.side, 'POST', `${issuePath}/comment`, { body: adfParagraph(`${token} from ${op.side}`) });
      ledger.tokens.set(token, res === 'maybe' ? 'maybe' : 'created');
      return;
    }
    case 'comment-edit':
    case 'comment-delete': {
      const mine = await ownComments(sb, op.side, key);
      if (!mine.length) return;
      const target = mine[op.pick % mine.length];
      const token = adfText(target.body).match(TOKEN)?.[0];
      if (op.kind === 'comment-edit') {
        await send(sb, op.side, 'PUT', `${issuePath}/comment/${target.id}`, { body: adfParagraph(`${token} edited on ${op.side}`) });
      } else {
        await send(sb, op.side, 'DELETE', `${issuePath}/comment/${target.id}`);
        if (token) ledger.tokens.set(token, 'deleted');
      }
      return;
    }
  }
}

async function ownComments(sb: TestSandbox, site: SiteName, key: string): Promise<any[]> {
  const res = await send(sb, site, 'GET', `/rest/api/3/issue/${key}/comment?maxResults=100`);
  if (res === 'maybe') return [];
  return res.body.comments.filter((c: any) => c.author?.accountId === people(sb)[site].accountId && TOKEN.test(adfText(c.body)));
}

/** Counts of each comment token on a side (attribution lines ignored). */
export async function tokenCounts(sb: TestSandbox, site: SiteName, key: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const c of await sb.comments(site, key)) {
    const token = adfText(c.body).match(TOKEN)?.[0];
    if (token) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

/** Comment text without the mirror's attribution line, for comparing both sides. */
export async function commentTexts(sb: TestSandbox, site: SiteName, key: string): Promise<string[]> {
  return (await sb.comments(site, key)).map((c) => adfText(c.body).replace(/^.* wrote on [^\n]*:\n/, '')).sort();
}
