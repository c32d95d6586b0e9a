/**
 * field area (issue 10 §1, §5): the "Partner sync" custom field's resolver, shared with `static/field`.
 * The field's edit view asks the panel's question; on an existing issue Yes calls `enableSync` (the panel's
 * toggle), in the create dialog Yes submits `sync:<connectionId>` as the field value (`src/sync/offer.ts`).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import { z } from 'zod';
import { LinkView, PartnerChoice } from './index';

/** Resolver keys of the field area. */
export const FieldResolvers = { getFieldSync: 'getFieldSync' } as const;

/**
 * Result of `getFieldSync`: the project's partners; for an existing issue its link and, when an "offer sync" rule
 * matched it on create, the partner `offered` (the question is then pre-asked; nothing syncs without a Yes).
 */
export const FieldSyncView = z.object({
  projectKey: z.string(),
  /** Null in the create dialog (the issue does not exist yet). */
  issueKey: z.string().nullable(),
  // Lazy: `./index` re-exports this file, so its schemas are read when parsing, not when this module loads.
  partners: z.array(z.lazy(() => PartnerChoice)),
  link: z.lazy(() => LinkView).nullable(),
  offered: z.lazy(() => PartnerChoice).nullable(),
});
export type FieldSyncView = z.infer<typeof FieldSyncView>;

/** Payload and result schemas of the field area's resolvers. */
export const FieldResolverSchemas = {
  getFieldSync: { payload: z.object({}).strict(), result: FieldSyncView },
} as const;
