/**
 * The sync engine's public API: pure functions over plain data (no Forge imports, no I/O).
 * Handlers and the sync job read both issues, call these, and apply the returned plans.
 */
export * from './types';
export { canonicalAdf, normaliseIssue, adfHash, sameValue, stableStringify, jiraTimeMs } from './normalise';
export {
  buildIdMap,
  buildFieldMapping,
  toEditFields,
  mapValues,
  type NamedId,
  type IdMapPair,
  type FieldMappingInput,
} from './mapping';
export { planMerge, decideField, conflictWinner, mapValue, equivalentValues, type FieldDecision } from './merge';
export { chooseTransition, equivalentStatuses, type TransitionChoice } from './transitions';
export {
  planComments,
  stripAttribution,
  hasAttribution,
  attributionParagraph,
  withAttribution,
  fillCreatedCommentId,
  siteHost,
  type CommentPlanInput,
  type CommentPlan,
} from './comments';
