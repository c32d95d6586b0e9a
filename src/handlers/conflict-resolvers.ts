/**
 * Resolvers of conflicts: the issue panel's list and a person's decision, and the project's waiting list.
 * PLACEHOLDER while the engine work lands (branch wt-engine replaces this file).
 */
import { SyncError } from '../model/errors';
import { respond } from './respond';

const pending = () =>
  respond(async () => {
    throw new SyncError('internal', 'Conflict resolution is not available yet.');
  });

export const conflictResolvers = { getConflicts: pending, resolveConflict: pending, getWaitingConflicts: pending };
