/**
 * One site's state in memory with lookups, id allocation and JSON persistence (`${dataDir}/jira-<site>.json`,
 * written atomically, debounced after writes).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxConfig, SiteConfig } from '../config';
import { localDefs, partnerDefs } from './defs';
import { JiraError } from './errors';
import { loadSeed } from './seed';
import { baseUsers, giveSeededEmails } from './users';
import type { CustomFieldDef, IssueRec, ProjectDef, SiteDefs, SiteState, StatusDef, UserRec } from './types';

/** Jira's timestamp format: `2012-05-16T07:56:13.000+0000` (UTC). */
export function jiraDate(d: Date = new Date()): string {
  return d.toISOString().replace('Z', '+0000');
}

/** Milliseconds since the epoch of a Jira timestamp (`…+0000` or ISO-8601). */
export function jiraTime(s: string): number {
  return Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** Holds a site's definitions and state; every mutation goes through `touch()` so it gets persisted. */
export class SiteStore {
  readonly defs: SiteDefs;
  state: SiteState;
  private byKey = new Map<string, IssueRec>();
  private byId = new Map<string, IssueRec>();
  private timer: NodeJS.Timeout | null = null;
  private readonly file: string;

  /**
   * Loads `${dataDir}/jira-<site>.json`, or builds a fresh state (seeded from the dump on `local` when `seed`).
   * @param opts.fresh delete any saved state first
   * @param opts.saveDelayMs debounce for saving after writes (ms, default 1000)
   */
  constructor(
    readonly cfg: SandboxConfig,
    readonly site: SiteConfig,
    opts: { fresh?: boolean; seed?: boolean; log?: (m: string) => void; saveDelayMs?: number },
  ) {
    this.defs = site.name === 'local' ? localDefs() : partnerDefs();
    this.file = path.join(cfg.dataDir, `jira-${site.name}.json`);
    this.saveDelayMs = opts.saveDelayMs ?? 1000;
    if (opts.fresh) fs.rmSync(this.file, { force: true });
    const saved = fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as SiteState) : null;
    this.state = saved ?? this.initialState(opts.seed ?? true, opts.log);
    // State saved by an older emulator lacks users added since: give them back.
    for (const [id, u] of Object.entries(baseUsers(cfg, site))) this.state.users[id] ??= u;
    if (site.name === 'local') giveSeededEmails(this.state.users);
    this.reindex();
  }
  private readonly saveDelayMs: number;

  private initialState(seed: boolean, log?: (m: string) => void): SiteState {
    const users = baseUsers(this.cfg, this.site);
    const state: SiteState = {
      version: 1,
      users,
      issues: [],
      webhooks: [],
      counters: { issueId: 10000, commentId: 10000, historyId: 10000, webhookId: 1, keys: {} },
    };
    if (seed && this.site.name === 'local') {
      const t0 = Date.now();
      const s = loadSeed(this.cfg.dataDir);
      Object.assign(users, s.users);
      state.issues = s.issues;
      const maxId = (xs: string[]) => xs.reduce((m, x) => Math.max(m, Number(x) || 0), 0);
      state.counters.issueId = maxId(s.issues.map((i) => i.id)) + 1;
      state.counters.commentId = maxId(s.issues.flatMap((i) => i.comments.map((c) => c.id))) + 1;
      for (const i of s.issues) {
        const [k, n] = i.key.split('-');
        state.counters.keys[k] = Math.max(state.counters.keys[k] ?? 0, Number(n));
      }
      log?.(`jira ${this.site.name}: seeded ${s.issues.length} issues in ${Date.now() - t0} ms`);
    }
    return state;
  }

  private reindex(): void {
    this.byKey.clear();
    this.byId.clear();
    for (const i of this.state.issues) this.index(i);
  }

  private index(i: IssueRec): void {
    this.byKey.set(i.key.toUpperCase(), i);
    this.byId.set(i.id, i);
  }

  /** All issues (live array; do not mutate outside the store). */
  issues(): IssueRec[] {
    return this.state.issues;
  }

  /**
   * Finds an issue by id or key, or throws Jira's 404. Issue keys ignore case (`aloy-1` is ALOY-1), as Jira resolves
   * them; project keys do not (see `project`).
   */
  issue(idOrKey: string): IssueRec {
    const i = this.byId.get(idOrKey) ?? this.byKey.get(idOrKey.toUpperCase());
    if (!i) throw JiraError.notFound('Issue does not exist or you do not have permission to see it.');
    return i;
  }

  /** Adds a new issue, allocating its id and key (`<PROJECT>-<n>`). */
  addIssue(i: Omit<IssueRec, 'id' | 'key'>, project: ProjectDef): IssueRec {
    const c = this.state.counters;
    const n = (c.keys[project.key] = (c.keys[project.key] ?? 0) + 1);
    const rec: IssueRec = { ...i, id: String(c.issueId++), key: `${project.key}-${n}` };
    this.state.issues.push(rec);
    this.index(rec);
    this.touch();
    return rec;
  }

  /** Removes an issue. */
  removeIssue(i: IssueRec): void {
    this.state.issues = this.state.issues.filter((x) => x !== i);
    this.byKey.delete(i.key.toUpperCase());
    this.byId.delete(i.id);
    this.touch();
  }

  /** Next id for the given counter, as a string. */
  nextId(counter: 'commentId' | 'historyId'): string {
    return String(this.state.counters[counter]++);
  }

  private fieldIndex: Map<string, CustomFieldDef> | null = null;

  /** The site's custom fields: built-in ones, then synthetic ones (`addCustomFields`), in id order of creation. */
  customFields(): CustomFieldDef[] {
    return [...this.defs.customFields, ...(this.state.customFields ?? [])];
  }

  /** One custom field by id (`customfield_10010`), or undefined. */
  customField(id: string): CustomFieldDef | undefined {
    this.fieldIndex ??= new Map(this.customFields().map((f) => [f.id, f]));
    return this.fieldIndex.get(id);
  }

  /** Adds (persisted) synthetic custom fields. */
  addCustomFields(fields: CustomFieldDef[]): void {
    (this.state.customFields ??= []).push(...fields);
    this.fieldIndex = null;
    this.touch();
  }

  user(accountId: string | null): UserRec | null {
    return accountId ? (this.state.users[accountId] ?? null) : null;
  }

  status(id: string): StatusDef {
    const s = this.defs.statuses.find((x) => x.id === id);
    if (!s) throw new Error(`unknown status ${id}`);
    return s;
  }

  /**
   * Finds a project by id or key, or undefined. Keys are case-sensitive, as in Jira Cloud's REST paths and bodies
   * (`/project/aloy` is a 404 where `/project/ALOY` answers); JQL matches them ignoring case (see `jql.ts`).
   */
  project(idOrKey: string): ProjectDef | undefined {
    return this.defs.projects.find((p) => p.id === idOrKey || p.key === String(idOrKey));
  }

  private saving: Promise<void> = Promise.resolve();

  /** Marks state dirty: saves after the debounce delay. */
  touch(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save().catch((err) => console.error(`jira ${this.site.name}: could not save state to ${this.file}: ${err instanceof Error ? err.message : err}`));
    }, this.saveDelayMs);
    this.timer.unref();
  }

  /**
   * Writes the state now (temp file + atomic rename). Saves run one after another: two overlapping saves would
   * share the temp file and the second rename would fail.
   */
  save(): Promise<void> {
    if (this.timer) clearTimeout(this.timer), (this.timer = null);
    const run = this.saving.then(() => this.write());
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(this.state));
    await fs.promises.rename(tmp, this.file);
  }
}
