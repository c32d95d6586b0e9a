/**
 * What the Fields table needs to know about a row beyond the mapping: the partner fields it may map to (compatible
 * kinds), its option values on each site, and what is wrong with it in words (off the partner's screen, kinds that
 * cannot convert).
 */
import type { CatalogFieldView, SiteCatalogView } from '../../../../src/contract';
import { kindsCompatible as compatibleKinds } from '../../../../src/contract/mapping';
import type { FieldKind, FieldMap } from '../../../../src/model/mapping';

/** Kinds whose rows carry a value map (`FieldMap.values`). */
export const VALUE_KINDS: ReadonlySet<FieldKind> = new Set(['select', 'multiselect', 'checkbox', 'radio', 'components', 'versions']);

/** A kind in words, for "Local is a select list, partner is a number". */
export const KIND_WORDS: Record<FieldKind, string> = {
  text: 'a text field', paragraph: 'a paragraph', number: 'a number', date: 'a date', datetime: 'a date and time',
  url: 'a URL', labels: 'labels', select: 'a select list', multiselect: 'a multi-select list', checkbox: 'checkboxes',
  radio: 'radio buttons', user: 'a user picker', multiuser: 'a multi-user picker', priority: 'the priority',
  status: 'the status', issuetype: 'the issue type', components: 'components', versions: 'versions',
  estimate: 'a time estimate', // worklogs
};

/** Partner fields a local field of `kind` can sync with. */
export function compatibleFields(partner: SiteCatalogView, kind: FieldKind): CatalogFieldView[] {
  return partner.fields.filter((f) => f.kind !== null && compatibleKinds(kind, f.kind));
}

/** The values a field of `kind` can hold on `site`: its options, or the project's components or versions. */
export function valuesOf(site: SiteCatalogView, fieldId: string, kind: FieldKind): string[] {
  if (kind === 'components') return site.components;
  if (kind === 'versions') return site.versions;
  return site.fields.find((f) => f.id === fieldId)?.options ?? [];
}

/** What is wrong with `row` as the catalogs see it, in words; empty when nothing is. */
export function rowWarnings(row: FieldMap, partner: SiteCatalogView): string[] {
  const found = partner.fields.find((f) => f.id === row.partner);
  if (!found) return [`${row.name.partner || row.partner} is not a field of ${partner.projectKey}.`];
  const out: string[] = [];
  if (!found.onScreen && row.direction !== 'off' && row.direction !== 'from-partner') {
    out.push(`${found.name} is not on ${partner.projectKey}'s create screen: the sync cannot set it there.`);
  }
  if (found.kind && !compatibleKinds(row.kind, found.kind)) {
    out.push(`${row.name.local} is ${KIND_WORDS[row.kind]} and ${found.name} is ${KIND_WORDS[found.kind]}: the values cannot convert.`);
  }
  return out;
}
