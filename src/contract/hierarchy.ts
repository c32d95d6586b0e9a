/**
 * hierarchy (issue 12): the issue panel's view of a local issue's place in the sync hierarchy: the parent it
 * waits for (if any), and each of its issue links with whether it is mirrored, in words
 * ("Blocks ALOY-9: not mirrored, ALOY-9 is not synced").
 */
import { z } from 'zod';

export const HierarchyResolvers = { getIssueLinks: 'getIssueLinks' } as const;

export const IssueLinksView = z.object({
  issueKey: z.string(),
  /** The key of the parent this issue waits for before its copy is made, or null. */
  waitingFor: z.string().nullable(),
  links: z.array(z.object({ id: z.string(), text: z.string(), mirrored: z.boolean() })),
});
export type IssueLinksView = z.infer<typeof IssueLinksView>;

export const HierarchyResolverSchemas = {
  getIssueLinks: { payload: z.object({}).strict(), result: IssueLinksView },
} as const;
