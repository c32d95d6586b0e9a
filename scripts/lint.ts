/**
 * `npm run lint [-- <appDir>] [--json]`: Forge's own linter (`@forge/lint`, the client-side half of `forge lint`,
 * which `forge deploy` runs first) over an app directory (default: this repository), fully offline.
 *
 * Offline means three things, all read from node_modules/@forge/lint/out/lint/linters/permission-linter:
 * - the permission linter reads the REST specs from files instead of developer.atlassian.com only when
 *   `USE_LOCAL_SWAGGER` and all six `LOCAL_{JIRA,JSM,JSW,CONF,CONF_V2,BB}_SWAGGER` variables are set: Jira's is the
 *   real spec in `../shared/data/`, the products this app never calls get an empty spec
 *   (test/fixtures/lint/empty-openapi.json);
 * - the spec cache (`conf`) lives under a throw-away `XDG_CONFIG_HOME`, so nothing of the user's is read or written;
 * - only the client-side linters run (`linter.mode: 'client-side'`): the server-side half asks Atlassian's GraphQL
 *   API about a registered app and needs a login.
 *
 * The manifest is read the way the CLI reads it (`ConfigFile.readConfig()` in the app directory). Prints Forge's
 * own report and ends with `forge lint: N errors, N warnings`; `--json` prints `{errors, warnings, problems[],
 * output}` instead. Exit code 1 when there is any error or warning (a warning would be a lint finding on deploy).
 * @see https://developer.atlassian.com/platform/forge/cli-reference/lint/
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const JIRA_SPEC = path.resolve(ROOT, '../shared/data/jira-platform-openapi-v3.json');
const EMPTY_SPEC = path.join(ROOT, 'test/fixtures/lint/empty-openapi.json');
const SOURCE_EXT = /\.(c|m)?(j|t)sx?$/;

/** One finding, as `@forge/lint` reports it (`line` 0 for manifest-wide findings). */
export interface LintProblem {
  level: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  message: string;
  reference: string;
}

/** Result of {@link runForgeLint}. `output` is the report as `forge lint` prints it. */
export interface LintReport {
  errors: number;
  warnings: number;
  problems: LintProblem[];
  output: string;
}

/** The environment that makes `@forge/lint` run without the network, with its cache in `configHome`. */
export function offlineLintEnv(configHome: string): Record<string, string> {
  if (!fs.existsSync(JIRA_SPEC)) throw new Error(`The Jira OpenAPI spec is missing at ${JIRA_SPEC}: ../shared must sit beside the checkout`);
  return {
    USE_LOCAL_SWAGGER: '1',
    LOCAL_JIRA_SWAGGER: JIRA_SPEC,
    LOCAL_JSM_SWAGGER: EMPTY_SPEC,
    LOCAL_JSW_SWAGGER: EMPTY_SPEC,
    LOCAL_CONF_SWAGGER: EMPTY_SPEC,
    LOCAL_CONF_V2_SWAGGER: EMPTY_SPEC,
    LOCAL_BB_SWAGGER: EMPTY_SPEC,
    XDG_CONFIG_HOME: configHome,
  };
}

/** Every source file under `<appDir>/src`, relative to `appDir` (what Forge bundles and lints). */
function sourceFiles(appDir: string): string[] {
  const src = path.join(appDir, 'src');
  return fs
    .readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => SOURCE_EXT.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join('src', f))
    .sort();
}

/**
 * Lints `appDir` in this process. Must run with {@link offlineLintEnv} already in `process.env` and with `appDir` as
 * the working directory (the linters read `manifest.yml` and `tsconfig.json` from there).
 */
async function lintHere(appDir: string): Promise<LintReport> {
  const { lint, reportLintResults } = await import('@forge/lint');
  const { ConfigFile, FileSystemReader, FileSystemWriter } = await import('@forge/cli-shared');
  // Read-only here: the writer is only used by `forge lint --fix`.
  const manifest = await new ConfigFile(new FileSystemReader(), new FileSystemWriter()).readConfig();
  const lines: string[] = [];
  const logger = { info: (m: string) => void lines.push(m) };
  // The only statsig call of the client-side linters (abstract-manifest-linter.js); no runtime is deprecated here.
  const statsig = { getDeprecatedRuntimes: async () => [] } as any;
  const results = await lint(sourceFiles(appDir), manifest, 'development', logger, statsig, { linter: { mode: 'client-side' } });
  reportLintResults(logger, results);
  const problems: LintProblem[] = results.flatMap((r) => [
    ...r.errors.map((p) => ({ level: 'error' as const, file: r.file, line: p.line, column: p.column, message: p.message, reference: p.reference })),
    ...r.warnings.map((p) => ({ level: 'warning' as const, file: r.file, line: p.line, column: p.column, message: p.message, reference: p.reference })),
  ]);
  // Forge colours its report for a terminal; the words are what matter here.
  const output = lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  return { errors: problems.filter((p) => p.level === 'error').length, warnings: problems.filter((p) => p.level === 'warning').length, problems, output };
}

/**
 * Runs the offline lint over `appDir` in a child process (its own working directory and environment).
 * @throws Error when the linter itself crashes (its stderr in the message)
 */
export function runForgeLint(appDir: string = ROOT): LintReport {
  const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-lint-'));
  try {
    const res = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', path.resolve(appDir)], {
      cwd: path.resolve(appDir),
      env: { ...process.env, ...offlineLintEnv(configHome), FORCE_COLOR: '0' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const marker = res.stdout.lastIndexOf('\n{"errors"');
    if (res.status !== 0 || marker < 0) throw new Error(`@forge/lint crashed (exit ${res.status}): ${res.stderr || res.stdout}`);
    return JSON.parse(res.stdout.slice(marker + 1)) as LintReport;
  } finally {
    fs.rmSync(configHome, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    const report = await lintHere(argv[1]);
    process.exitCode = 0;
    process.stdout.write(`\n${JSON.stringify(report)}\n`);
    return;
  }
  const json = argv.includes('--json');
  const appDir = argv.find((a) => !a.startsWith('--')) ?? ROOT;
  const report = runForgeLint(appDir);
  if (json) console.log(JSON.stringify(report, null, 2));
  else console.log(`${report.output}\nforge lint: ${report.errors} errors, ${report.warnings} warnings`);
  process.exitCode = report.errors + report.warnings > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  });
}
