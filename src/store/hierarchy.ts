/**
 * KVS records of issues waiting for their parent to be synced (issue 12): `waiting:<childId>` holds the wait,
 * `waiting-for:<parentId>` the ids of the children waiting for that parent. Values are parsed on read; a
 * record that does not parse reads as absent (the panel then simply offers sync again).
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import type { HierarchyPorts, WaitingChild } from '../sync/hierarchy-sync';

const Waiting = z.object({ childId: z.string(), childKey: z.string(), parentId: z.string(), parentKey: z.string(), connectionId: z.string(), since: z.string() });
const ChildIds = z.array(z.string());

const key = {
  waiting: (childId: string) => `waiting:${childId}`,
  waitingFor: (parentId: string) => `waiting-for:${parentId}`,
};

async function childIds(parentId: string): Promise<string[]> {
  const parsed = ChildIds.safeParse(await kvs.get(key.waitingFor(parentId)));
  return parsed.success ? parsed.data : [];
}

/** The wait of one issue, or undefined. */
export async function getWaiting(childId: string): Promise<WaitingChild | undefined> {
  const parsed = Waiting.safeParse(await kvs.get(key.waiting(childId)));
  return parsed.success ? parsed.data : undefined;
}

/** Remembers that `w.childId` waits for `w.parentId` (idempotent). */
export async function setWaiting(w: WaitingChild): Promise<void> {
  await kvs.set(key.waiting(w.childId), w);
  const ids = await childIds(w.parentId);
  if (!ids.includes(w.childId)) await kvs.set(key.waitingFor(w.parentId), [...ids, w.childId]);
}

/** Forgets one issue's wait (it was linked, or is no longer a child). */
export async function clearWaiting(childId: string): Promise<void> {
  await kvs.delete(key.waiting(childId));
}

/** Removes and returns the children still waiting for `parentId`. */
export async function takeWaitingChildren(parentId: string): Promise<WaitingChild[]> {
  const ids = await childIds(parentId);
  if (!ids.length) return [];
  await kvs.delete(key.waitingFor(parentId));
  const out: WaitingChild[] = [];
  for (const id of ids) {
    const w = await getWaiting(id);
    if (w && w.parentId === parentId) {
      out.push(w);
      await clearWaiting(id);
    }
  }
  return out;
}

/** The ports of `src/sync/hierarchy-sync.ts` over Forge KVS. */
export const hierarchyStore: HierarchyPorts = { setWaiting, getWaiting, takeWaitingChildren, clearWaiting };
