/**
 * The custom field definitions of each emulated site, with real names and schemas from
 * `../shared/data/jira-field-information.json` (`GET /rest/api/2/field` of public Jira sites), numbered the way a
 * Cloud site numbers them (`customfield_100xx`, `schema.customId` the same number).
 *
 * The two sites differ the way two real sites do, so field mapping is exercised for real:
 * - local keeps the first field of each type found in the dump (ids `customfield_10010`…`10021`, as before), plus
 *   a multi-user picker (`customfield_10022`);
 * - partner numbers its own fields (`customfield_10040`…`10052`): most have a local namesake of the same type
 *   (select-like fields with partly different options: Alpha/Beta/Delta where local has Alpha/Beta/Gamma), two
 *   share a local name with another type, and some exist on one side only (local: URL, multi-version; partner:
 *   radio buttons and a text field left off PARTNER's screen).
 *
 * Every field has one global context, as Jira creates with the field ("Default Configuration Scheme for …").
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-custom-field-contexts/
 */
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from './defs';
import type { CustomFieldDef, CustomType } from './types';

export type { CustomFieldDef, CustomType, OptionDef } from './types';

/** `schema.custom` prefix of Jira's built-in custom field types. */
export const PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** The schema `type`/`items` of each custom type, as the field dump has them. */
export const TYPE_SCHEMA: Record<CustomType, { type: string; items?: string }> = {
  textfield: { type: 'string' },
  textarea: { type: 'string' },
  float: { type: 'number' },
  datepicker: { type: 'date' },
  datetime: { type: 'datetime' },
  select: { type: 'option' },
  multiselect: { type: 'array', items: 'option' },
  multicheckboxes: { type: 'array', items: 'option' },
  radiobuttons: { type: 'option' },
  url: { type: 'string' },
  labels: { type: 'array', items: 'string' },
  userpicker: { type: 'user' },
  multiuserpicker: { type: 'array', items: 'user' },
  multiversion: { type: 'array', items: 'version' },
};

/** Types whose values are options of the field's context. */
export const OPTION_TYPES: readonly CustomType[] = ['select', 'multiselect', 'multicheckboxes', 'radiobuttons'];

/** The local site's types, in the order their fields are numbered from `customfield_10010`. */
export const LOCAL_TYPES: readonly CustomType[] = [
  'textfield', 'textarea', 'float', 'datepicker', 'datetime', 'select', 'multiselect', 'multicheckboxes', 'url', 'labels', 'userpicker', 'multiversion', 'multiuserpicker',
];

/** Context id of a field: one global context per field, ids distinct across fields of a site. */
const contextOf = (customId: number) => String(customId + 100000);

/** A custom field definition of `type` numbered `customId`, with options `[value, id]`. */
export function fieldDef(customId: number, name: string, type: CustomType, options: Array<[string, string]> = []): CustomFieldDef {
  const schema = TYPE_SCHEMA[type];
  return {
    id: `customfield_${customId}`,
    name,
    type,
    schema: { type: schema.type, ...(schema.items ? { items: schema.items } : {}), custom: PREFIX + type, customId },
    options: options.map(([value, id]) => ({ id, value })),
    contextId: contextOf(customId),
  };
}

/** First field name of each custom type in the dump (dump order). @throws if the field dump is missing */
function firstNames(): Map<string, string> {
  const bySite: Record<string, Array<{ name: string; schema?: { custom?: string } }>> = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'jira-field-information.json'), 'utf8'));
  const found = new Map<string, string>();
  for (const fields of Object.values(bySite)) {
    for (const f of fields) {
      const t = f.schema?.custom?.startsWith(PREFIX) ? f.schema.custom.slice(PREFIX.length) : '';
      if (t && !found.has(t)) found.set(t, f.name);
    }
  }
  return found;
}

let local: CustomFieldDef[] | null = null;

/**
 * The local site's custom fields: for each of `LOCAL_TYPES` the first field of that type in the dump, numbered
 * `customfield_10010` on; select-like fields offer Alpha/Beta/Gamma (option ids `10100 + index*10 + k`).
 */
export function localCustomFields(): CustomFieldDef[] {
  if (local) return local;
  const names = firstNames();
  local = LOCAL_TYPES.filter((t) => names.has(t)).map((t, i) => {
    const options = OPTION_TYPES.includes(t) ? ['Alpha', 'Beta', 'Gamma'].map((v, k): [string, string] => [v, String(10100 + i * 10 + k)]) : [];
    return fieldDef(10010 + i, names.get(t)!, t, options);
  });
  return local;
}

/** The partner field left off PARTNER's create/edit screens (a mapping editor flags it). */
export const PARTNER_OFF_SCREEN = 'customfield_10052';

const opts = (values: string[], first: number) => values.map((v, k): [string, string] => [v, String(first + k)]);

/** The partner site's custom fields (see the module comment for how they differ from local ones). */
export function partnerCustomFields(): CustomFieldDef[] {
  return [
    fieldDef(10040, 'Git Notification Mailing List', 'textfield'),
    // Same name as a local paragraph field, but a one-line text field here.
    fieldDef(10041, 'Blogs - New Blog Write Access', 'textfield'),
    fieldDef(10042, 'Cloudstack-CVSS', 'float'),
    fieldDef(10043, 'Review Date', 'datepicker'),
    // Same name as a local date-time field, but a date picker here.
    fieldDef(10044, 'Actual start', 'datepicker'),
    fieldDef(10045, 'Github Integration', 'select', opts(['Alpha', 'Beta', 'Delta'], 10300)),
    fieldDef(10046, 'Suspected Cause / Domain', 'multiselect', opts(['Alpha', 'Beta', 'Delta'], 10310)),
    fieldDef(10047, 'Lucene Fields', 'multicheckboxes', opts(['Alpha', 'Gamma', 'Delta'], 10320)),
    fieldDef(10048, 'Language', 'labels'),
    fieldDef(10049, 'Tester', 'userpicker'),
    fieldDef(10050, 'Reviewers', 'multiuserpicker'),
    fieldDef(10051, 'Testcase included', 'radiobuttons', opts(['Yes', 'No'], 10330)),
    fieldDef(10052, 'Cc', 'textfield'),
  ];
}

/** The kinds synthetic fields cycle through (every emulated type but multi-version, which needs versions). */
const SYNTHETIC_TYPES: readonly CustomType[] = [
  'textfield', 'select', 'textarea', 'float', 'multiselect', 'datepicker', 'userpicker', 'multicheckboxes', 'radiobuttons', 'labels', 'datetime', 'url', 'multiuserpicker',
];

/** First `customId` of synthetic fields per site (clear of the built-in ones). */
export const SYNTHETIC_BASE = { local: 11000, partner: 12000 } as const;

/**
 * `count` synthetic custom fields numbered after `existing` ones (`Synthetic 1 (select)`, …), cycling through the
 * emulated types; select-like ones get three options `Option 1..3` (ids `customId*10 + k`).
 */
export function syntheticFields(site: 'local' | 'partner', existing: number, count: number): CustomFieldDef[] {
  return Array.from({ length: count }, (_, k) => {
    const n = existing + k;
    const type = SYNTHETIC_TYPES[n % SYNTHETIC_TYPES.length];
    const customId = SYNTHETIC_BASE[site] + n;
    const options = OPTION_TYPES.includes(type) ? opts(['Option 1', 'Option 2', 'Option 3'], customId * 10) : [];
    return fieldDef(customId, `Synthetic ${n + 1} (${type})`, type, options);
  });
}
