/**
 * The "link issues that already exist" part of the resolver contract (area `existing`): from the issue panel,
 * search the partner project, preview a pair's differing fields and link it with a starting choice; from project
 * settings, match many local and partner issues by a key and link them in chunks. Parsed on both sides like the
 * rest of `./index.ts`.
 */
import { z } from 'zod';
import { FieldKind } from '../model/mapping';
import { ConflictValueView } from './conflicts';

/** A side whose value becomes the starting truth. */
export const StartingSide = z.enum(['local', 'partner']);

/**
 * The starting truth of a pair with no base: `all` for every differing field, `fields` per field (local field id →
 * side); a field named in `fields` overrides `all`. Every differing field needs one, else nothing is changed.
 */
export const StartingChoiceInput = z.object({
  all: StartingSide.optional(),
  fields: z.record(z.string(), StartingSide).default({}),
});

/** Payload of `searchPartnerIssues`: an issue key or words of its summary. */
export const PartnerSearchInput = z.object({ query: z.string().trim().min(1, 'Enter a key or words of the summary').max(200), connectionId: z.string().optional() });
/** One partner issue found; `linkedTo` is the local key it already syncs with (it cannot be linked again). */
export const PartnerHitView = z.object({ id: z.string(), key: z.string(), summary: z.string(), status: z.string(), linkedTo: z.string().nullable() });
export const PartnerSearchResult = z.object({ projectKey: z.string(), issues: z.array(PartnerHitView) });
export type PartnerSearchResult = z.infer<typeof PartnerSearchResult>;

/** Payload of `previewExistingLink`. */
export const ExistingPreviewInput = z.object({ partnerIssueKey: z.string().trim().min(1).max(40), connectionId: z.string().optional() });

/** One mapped field whose values differ, readable like a conflict's values. */
export const DifferingFieldView = z.object({
  /** Local field id, as `fields` of the choice names it. */
  field: z.string(),
  name: z.string(),
  kind: FieldKind,
  local: ConflictValueView,
  partner: ConflictValueView,
  /** Sides that may be chosen: both, or the one a one-way row copies from. */
  choices: z.array(StartingSide),
});
export type DifferingFieldView = z.infer<typeof DifferingFieldView>;

/** Result of `previewExistingLink`: what linking the pair would have to decide. */
export const ExistingPreview = z.object({
  connectionId: z.string(),
  issueKey: z.string(),
  partnerIssueKey: z.string(),
  partnerIssueUrl: z.string(),
  partnerSummary: z.string(),
  differing: z.array(DifferingFieldView),
  /** Mapped fields already equal on both sides. */
  sameCount: z.number().int(),
  /** Comments on each side now; the first sync mirrors them both ways, attributed. */
  comments: z.object({ local: z.number().int(), partner: z.number().int() }),
  /** Send back with the choice: the link is refused when the values changed since this preview. */
  fingerprint: z.string(),
});
export type ExistingPreview = z.infer<typeof ExistingPreview>;

/** Payload of `linkExistingIssue`: the person confirmed the starting choice for the pair shown. */
export const LinkExistingInput = StartingChoiceInput.extend({
  partnerIssueKey: z.string().trim().min(1).max(40),
  connectionId: z.string().optional(),
  fingerprint: z.string(),
  confirmed: z.literal(true),
});
export type LinkExistingInput = z.input<typeof LinkExistingInput>;

/** How bulk matching pairs issues: equal summaries, or a field on one side holding the other side's key. */
export const MatchKeyInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('summary') }),
  z.object({ kind: z.literal('local-field'), field: z.string().regex(/^customfield_\d+$/, 'Name the local field by its id, e.g. customfield_10010') }),
  z.object({ kind: z.literal('partner-field'), field: z.string().regex(/^customfield_\d+$/, 'Name the partner field by its id, e.g. customfield_10010') }),
]);

/** Payload of `previewMatch`: JQL on each side (scoped to the connection's projects; empty = the whole project). */
export const MatchPreviewInput = z.object({ connectionId: z.string(), localJql: z.string().max(2000).default(''), partnerJql: z.string().max(2000).default(''), key: MatchKeyInput });
export type MatchPreviewInput = z.input<typeof MatchPreviewInput>;

const PairRef = z.object({ localIssueId: z.string(), localKey: z.string(), partnerKey: z.string() });
/** Result of `previewMatch`. */
export const MatchPreviewView = z.object({
  pairs: z.array(PairRef.extend({ summary: z.string(), differing: z.array(z.string()) })),
  unmatchedLocal: z.array(z.string()),
  unmatchedPartner: z.array(z.string()),
  ambiguous: z.array(z.object({ value: z.string(), localKeys: z.array(z.string()), partnerKeys: z.array(z.string()) })),
  alreadyLinked: z.array(z.object({ localKey: z.string(), partnerKey: z.string(), why: z.string() })),
  fields: z.array(z.object({ field: z.string(), name: z.string(), pairs: z.number().int(), choices: z.array(StartingSide) })),
  truncated: z.boolean(),
});
export type MatchPreviewView = z.infer<typeof MatchPreviewView>;

/** Payload of `applyMatch`: one chunk of previewed pairs (at most 5) and the starting choice for all of them. */
export const ApplyMatchInput = StartingChoiceInput.extend({ connectionId: z.string(), pairs: z.array(PairRef).min(1).max(5), confirmed: z.literal(true) });
export type ApplyMatchInput = z.input<typeof ApplyMatchInput>;
/** Result of `applyMatch`; `notTried` go into the next call. */
export const ApplyMatchResult = z.object({
  linked: z.array(z.object({ localKey: z.string(), partnerKey: z.string() })),
  failed: z.array(z.object({ localKey: z.string(), partnerKey: z.string(), message: z.string() })),
  notTried: z.array(PairRef),
});
export type ApplyMatchResult = z.infer<typeof ApplyMatchResult>;
