/**
 * The mapping editor's part of the resolver contract: the two sites' catalogs as the editor shows them, the
 * default mapping, problems found in a mapping before it fails a sync, and the preview of what a mapping would
 * write. Parsed on both sides like the rest of `./index.ts`.
 */
import { z } from 'zod';
import { ConnectionMapping, FieldKind } from '../model/mapping';

/** A field of one site as the editor lists it. `kind` is null when the registry has no codec for it. */
export const CatalogFieldView = z.object({
  id: z.string(),
  name: z.string(),
  custom: z.boolean(),
  kind: FieldKind.nullable(),
  /** On one of the project's create screens: can be set there. */
  onScreen: z.boolean(),
  /** Option values (select, multi-select, checkbox, radio). */
  options: z.array(z.string()).optional(),
});
export type CatalogFieldView = z.infer<typeof CatalogFieldView>;

/** One site's catalog for the editor (see `src/sync/catalog.ts`). Emails only where the profile shows them. */
export const SiteCatalogView = z.object({
  projectKey: z.string(),
  fields: z.array(CatalogFieldView),
  issueTypes: z.array(z.object({ id: z.string(), name: z.string(), subtask: z.boolean() })),
  statuses: z.array(z.object({ id: z.string(), name: z.string(), category: z.string().optional() })),
  priorities: z.array(z.object({ id: z.string(), name: z.string() })),
  components: z.array(z.string()),
  versions: z.array(z.string()),
  users: z.array(z.object({ accountId: z.string(), displayName: z.string(), email: z.string().optional(), active: z.boolean() })),
});
export type SiteCatalogView = z.infer<typeof SiteCatalogView>;

/**
 * Something in a mapping that will not work as it stands: `error` (a sync would fail or write nothing, e.g. a
 * partner field not on the partner's screen, or kinds that cannot convert) or `warning` (works, with a caveat).
 * `row` is the index in `mapping.fields`, or null for the connection-wide maps.
 */
export const MappingProblem = z.object({
  row: z.number().int().nullable(),
  field: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type MappingProblem = z.infer<typeof MappingProblem>;

/** A suggested user pair (same display name, no visible email match): shown, never applied automatically. */
export const UserSuggestionView = z.object({ local: z.string(), partner: z.string(), reason: z.string() });

/** Payload of `getMappingCatalog`. */
export const MappingCatalogInput = z.object({ connectionId: z.string() });
/** Result of `getMappingCatalog`: both catalogs, the defaults, user suggestions and the problems of the saved mapping. */
export const MappingCatalog = z.object({
  connectionId: z.string(),
  local: SiteCatalogView,
  partner: SiteCatalogView,
  /** The mapping the defaults would build now (what "Reset to defaults" applies). */
  defaults: ConnectionMapping,
  userSuggestions: z.array(UserSuggestionView),
  problems: z.array(MappingProblem),
});
export type MappingCatalog = z.infer<typeof MappingCatalog>;

/** Payload of `checkMapping`: a mapping as edited, not saved. */
export const CheckMappingInput = z.object({ connectionId: z.string(), mapping: ConnectionMapping });
export const MappingCheck = z.object({ problems: z.array(MappingProblem) });

/**
 * Payload of `previewMapping`: a mapping as edited (not saved) and one issue: a local issue key (what the partner
 * issue would get, created or updated) or a partner issue key (what the local issue would get).
 */
export const PreviewInput = z.object({
  connectionId: z.string(),
  mapping: ConnectionMapping,
  issueKey: z.string().trim().min(1),
  side: z.enum(['local', 'partner']),
});
/** One field of a preview: the value now on the target and the value the sync would write, in words. */
export const PreviewField = z.object({
  field: z.string(),
  name: z.string(),
  current: z.string(),
  next: z.string(),
  /** Why a field is not written (an unmapped user, a field off the screen), or a note (a component left out). */
  note: z.string().optional(),
  written: z.boolean(),
});
/** Result of `previewMapping`: nothing is written on either site. */
export const Preview = z.object({
  action: z.enum(['create', 'update']),
  /** The issue that would be written: its key, or null when it would be created. */
  targetIssueKey: z.string().nullable(),
  targetSide: z.enum(['local', 'partner']),
  fields: z.array(PreviewField),
});
export type Preview = z.infer<typeof Preview>;

/** Whether two kinds can sync (the registry's rule, from `src/model/mapping.ts`), for the editor. */
export { compatibleKinds as kindsCompatible } from '../model/mapping';
