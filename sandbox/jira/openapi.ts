/**
 * Validates HTTP responses against Jira Cloud's platform REST v3 OpenAPI spec
 * (`../shared/data/jira-platform-openapi-v3.json`), plus a stricter overlay where the spec is loose: issue fields
 * (summary, `StatusDetails`, `Priority`, `UserDetails`, ADF description), comments (ADF body, author), transitions,
 * and Jira's error body `{errorMessages: string[], errors: object}`. ADF is checked with `@atlaskit/adf-schema`'s
 * draft-04 JSON schema. Admin webhook paths (`/rest/webhooks/1.0/…`) are not in the spec and are skipped.
 * Used by the tests' HTTP client and, when validation is on, by the emulator itself (`SpecCheck`). Loading the spec
 * and compiling is lazy (first call, about a second); compiled validators are cached per operationId + status.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DATA_DIR } from './defs';

const AjvDraft04 = require('ajv-draft-04');

const SPEC_FILE = path.join(DATA_DIR, 'jira-platform-openapi-v3.json');
const SPEC_ID = 'https://jira.example/openapi-v3.json';

/** One response to check. `path` may be concrete (`/rest/api/3/issue/ALOY-1?fields=x`) or a template. */
export interface ResponseToValidate {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Outcome: `ok` false lists readable errors (`<where> <message>`). */
export interface ValidationResult {
  ok: boolean;
  errors: string[];
  /** The spec operation matched, if any. */
  operationId?: string;
}

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  literals: number;
  operationId: string;
  responses: Record<string, any>;
  /**
   * OAuth scope groups the operation accepts (any one group suffices): the spec's `x-atlassian-oauth2-scopes` in
   * state `Current` or `Beta`, else its `OAuth2` security requirement. Used by the Forge host's scope check.
   */
  scopeGroups: string[][];
}

let state: { ajv: Ajv; ops: Operation[]; cache: Map<string, ValidateFunction | null> } | null = null;

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function init() {
  if (state) return state;
  const spec = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8'));
  spec.$id = SPEC_ID;
  // The spec types changelog values as plain strings, yet its own examples (and real Jira) send null for "no value".
  for (const k of ['from', 'fromString', 'to', 'toString']) {
    const prop = spec.components.schemas.ChangeDetails?.properties?.[k];
    if (prop) prop.type = ['string', 'null'];
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
  addFormats(ajv);
  for (const f of ['int32', 'int64']) ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  const adf = adfValidator();
  ajv.addKeyword({
    keyword: 'x-adf',
    errors: true,
    validate: function v(this: unknown, _schema: unknown, data: unknown) {
      const ok = adf(data);
      (v as any).errors = ok ? null : (adf.errors ?? []).slice(0, 5).map((e: any) => ({ keyword: 'x-adf', instancePath: e.instancePath, message: `ADF: ${e.message}`, params: {} }));
      return ok;
    },
  });
  ajv.addSchema(spec);
  ajv.addSchema(overlaySchemas(), 'overlay');
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries<any>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!op?.responses) continue;
      const segments = template.split('/');
      ops.push({
        method: method.toUpperCase(),
        template,
        regex: new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
        literals: segments.filter((s) => !/^\{.+\}$/.test(s)).length,
        operationId: op.operationId,
        responses: op.responses,
        scopeGroups: scopeGroupsOf(op),
      });
    }
  }
  state = { ajv, ops, cache: new Map() };
  return state;
}

function scopeGroupsOf(op: any): string[][] {
  const ext: Array<{ scopes: string[]; state: string }> | undefined = op['x-atlassian-oauth2-scopes'];
  if (ext?.length) return ext.filter((g) => g.state === 'Current' || g.state === 'Beta').map((g) => g.scopes);
  return [(op.security ?? []).flatMap((s: Record<string, string[]>) => s.OAuth2 ?? [])].filter((g: string[]) => g.length);
}

function adfValidator(): ValidateFunction {
  const schema = require('@atlaskit/adf-schema/json-schema/v1/full.json');
  const ajv4 = new AjvDraft04({ strict: false, allErrors: false });
  return ajv4.compile(schema);
}

/** Overlay schemas (`overlay#/definitions/<name>`), referring to the spec's components. */
function overlaySchemas() {
  const c = (n: string) => ({ $ref: `${SPEC_ID}#/components/schemas/${n}` });
  const nullable = (s: object) => ({ anyOf: [{ type: 'null' }, s] });
  const user = { allOf: [c('UserDetails'), { type: 'object', required: ['accountId', 'displayName', 'active'], properties: { accountId: { type: 'string', minLength: 1 } } }] };
  const status = { allOf: [c('StatusDetails'), { type: 'object', required: ['id', 'name', 'statusCategory'], properties: { id: { type: 'string' }, name: { type: 'string' }, statusCategory: { type: 'object', required: ['id', 'key', 'name', 'colorName'] } } }] };
  const comment = { allOf: [c('Comment'), { type: 'object', required: ['id', 'author', 'body', 'created', 'updated'], properties: { id: { type: 'string' }, body: { 'x-adf': true }, author: { $ref: '#/definitions/user' } } }] };
  const issue = {
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string' },
      key: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*-\\d+$' },
      fields: {
        type: 'object',
        properties: {
          summary: { type: 'string' },
          description: nullable({ 'x-adf': true }),
          status,
          priority: nullable({ allOf: [c('Priority'), { type: 'object', required: ['id', 'name'] }] }),
          labels: { type: 'array', items: { type: 'string' } },
          issuetype: { allOf: [c('IssueTypeDetails'), { type: 'object', required: ['id', 'name'] }] },
          project: { type: 'object', required: ['id', 'key'] },
          reporter: nullable(user),
          assignee: nullable(user),
          creator: nullable(user),
          created: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}$' },
          updated: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}$' },
          comment: { type: 'object', required: ['comments', 'total'], properties: { comments: { type: 'array', items: { $ref: '#/definitions/comment' } } } },
          // hierarchy: parent, sub-tasks and issue links name the other issue in the spec's `LinkedIssue` form
          parent: { allOf: [c('LinkedIssue'), { type: 'object', required: ['id', 'key', 'fields'] }] },
          subtasks: { type: 'array', items: { allOf: [c('LinkedIssue'), { type: 'object', required: ['id', 'key', 'fields'] }] } },
          issuelinks: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'type'], properties: { id: { type: 'string' }, self: { type: 'string' }, type: { allOf: [c('IssueLinkType'), { type: 'object', required: ['id', 'name', 'inward', 'outward'] }] }, inwardIssue: c('LinkedIssue'), outwardIssue: c('LinkedIssue') }, oneOf: [{ required: ['inwardIssue'] }, { required: ['outwardIssue'] }] } },
        },
      },
    },
  };
  return {
    definitions: {
      user,
      status,
      comment,
      issue,
      error: { type: 'object', required: ['errorMessages', 'errors'], properties: { errorMessages: { type: 'array', items: { type: 'string' } }, errors: { type: 'object', additionalProperties: { type: 'string' } } } },
      issueList: { type: 'object', required: ['issues', 'isLast'], properties: { issues: { type: 'array', items: { $ref: '#/definitions/issue' } }, isLast: { type: 'boolean' } } },
      commentPage: { type: 'object', required: ['startAt', 'maxResults', 'total', 'comments'], properties: { comments: { type: 'array', items: { $ref: '#/definitions/comment' } } } },
      transitions: { type: 'object', required: ['transitions'], properties: { transitions: { type: 'array', items: { type: 'object', required: ['id', 'name', 'to', 'isAvailable', 'hasScreen'], properties: { to: status } } } } },
      created: { type: 'object', required: ['id', 'key', 'self'] },
      myself: { type: 'object', required: ['accountId', 'accountType', 'displayName', 'active'] },
    },
  };
}

/** Overlay definition applied on top of the spec, per operationId (2xx responses). */
const OVERLAY_2XX: Record<string, string> = {
  getIssue: 'issue',
  createIssue: 'created',
  searchAndReconsileIssuesUsingJql: 'issueList',
  searchAndReconsileIssuesUsingJqlPost: 'issueList',
  getComments: 'commentPage',
  getComment: 'comment',
  addComment: 'comment',
  updateComment: 'comment',
  getTransitions: 'transitions',
  getCurrentUser: 'myself',
};

const opCache = new Map<string, Operation | undefined>();

/**
 * Finds the spec operation for a method and a concrete or template path (most literal segments wins). Answers for
 * template paths (`/rest/api/3/issue/{issueIdOrKey}`) are cached, so a server can pass its route templates.
 */
export function findOperation(method: string, p: string): Operation | undefined {
  const { ops } = init();
  const clean = p.split('?')[0].replace(/\/+$/, '');
  const m = method.toUpperCase();
  const key = `${m} ${clean}`;
  if (opCache.has(key)) return opCache.get(key);
  const op = ops
    .filter((o) => o.method === m && (o.template === clean || o.regex.test(clean)))
    .sort((a, b) => b.literals - a.literals)[0];
  if (clean.includes('{') || opCache.size < 5000) opCache.set(key, op);
  return op;
}

function compiled(key: string, ref: string): ValidateFunction | null {
  const s = init();
  if (!s.cache.has(key)) s.cache.set(key, s.ajv.getSchema(ref) ?? s.ajv.compile({ $ref: ref }));
  return s.cache.get(key)!;
}

/**
 * Validates one response: against the spec's schema for the operation and status (when it has one), then the
 * overlay (2xx bodies of issue/comment/search/transition operations; `{errorMessages, errors}` for 4xx).
 * @returns `{ok, errors}`; an unknown REST path is an error, `/rest/webhooks/1.0/…` is skipped (ok)
 */
export function validateResponse(r: ResponseToValidate): ValidationResult {
  if (r.path.startsWith('/rest/webhooks/')) return { ok: true, errors: [] };
  const op = findOperation(r.method, r.path);
  if (!op) return { ok: false, errors: [`no operation in the spec for ${r.method} ${r.path}`] };
  const errors: string[] = [];
  const run = (v: ValidateFunction | null, label: string) => {
    if (v && !v(r.body)) for (const e of v.errors ?? []) errors.push(`${label}${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
  };
  const status = String(r.status);
  const response = op.responses[status] ?? op.responses.default;
  if (!response && !(r.status >= 400)) errors.push(`status ${status} is not documented for ${op.operationId}`);
  const schema = response?.content?.['application/json']?.schema;
  if (schema && r.body !== undefined && r.body !== '') {
    const pointer = `${SPEC_ID}#/paths/${escapePointer(op.template)}/${op.method.toLowerCase()}/responses/${status in op.responses ? status : 'default'}/content/application~1json/schema`;
    run(compiled(`${op.operationId}:${status}`, pointer), 'spec');
  }
  if (r.status >= 400) run(compiled('overlay:error', 'overlay#/definitions/error'), 'error body');
  else if (OVERLAY_2XX[op.operationId]) run(compiled(`overlay:${op.operationId}`, `overlay#/definitions/${OVERLAY_2XX[op.operationId]}`), 'overlay');
  return { ok: errors.length === 0, errors, operationId: op.operationId };
}

// notifications: request bodies the emulator checks against the spec
/**
 * Validates a request body against one of the spec's component schemas (e.g. `Notification` for
 * `POST /rest/api/3/issue/{issueIdOrKey}/notify`), as Jira's request parsing would refuse it.
 * @returns readable errors (`<where> <message>`), empty when the body fits
 */
export function requestBodyErrors(component: string, body: unknown): string[] {
  const v = compiled(`request:${component}`, `${SPEC_ID}#/components/schemas/${component}`);
  if (!v || v(body)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
